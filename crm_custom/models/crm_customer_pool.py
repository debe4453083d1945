import logging
from datetime import datetime, time

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)

# The recycling inputs of a pool: changing one of them moves the recycle
# date of every customer the pool governs.
RECYCLE_RULE_FIELDS = (
    "active",
    "auto_recycle",
    "recycle_no_followup",
    "no_followup_days",
    "recycle_no_deal",
    "no_deal_days",
    "exempt_open_opportunity",
    "exempt_recent_deal_days",
    "exempt_locked",
    "level_rule_ids",
)


class CrmCustomerPool(models.Model):
    """A customer pool 客户池 / 公海 (P8): the customers nobody owns, the
    people who may claim them and the rules that send owned customers back
    (recycling, P4) and limit claiming (P5). A company may keep several pools,
    e.g. one per sales team, each with its own members and rules."""

    _name = "crm.customer.pool"
    _description = "Customer Pool"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    description = fields.Text(translate=True)

    # --- Members ---------------------------------------------------------
    member_user_ids = fields.Many2many(
        "res.users",
        "crm_customer_pool_member_user_rel",
        "pool_id",
        "user_id",
        string="Member Users",
        domain=[("share", "=", False)],
        help="Salespeople who see the customers of this pool and may claim them.",
    )
    member_team_ids = fields.Many2many(
        "crm.team",
        "crm_customer_pool_crm_team_rel",
        "pool_id",
        "team_id",
        string="Member Sales Teams",
        help="Every member of these sales teams is a member of the pool.",
    )
    admin_user_ids = fields.Many2many(
        "res.users",
        "crm_customer_pool_admin_user_rel",
        "pool_id",
        "user_id",
        string="Administrators",
        domain=[("share", "=", False)],
        help="Besides sales managers, these users may assign the customers of "
        "this pool, lock them and see their contact details.",
    )
    is_open = fields.Boolean(
        string="Open to All Salespeople",
        compute="_compute_is_open",
        store=True,
        help="A pool without member users and teams is open to every salesperson.",
    )

    # --- Recycling (P4) --------------------------------------------------
    auto_recycle = fields.Boolean(
        string="Recycle Automatically",
        default=True,
        help="Send owned customers back to this pool when they meet a rule below.",
    )
    recycle_no_followup = fields.Boolean(string="Without Follow-up", default=True)
    no_followup_days = fields.Integer(
        string="Days Without Follow-up",
        default=30,
        help="An owned customer returns to the pool after this many days "
        "without follow-up (interaction, done activity, message, opportunity "
        "stage change), counted from its last follow-up or from the day its "
        "owner got it, whichever is later.",
    )
    recycle_no_deal = fields.Boolean(string="Without Deal", default=False)
    no_deal_days = fields.Integer(
        string="Days Without Deal",
        default=90,
        help="An owned customer returns to the pool after this many days "
        "without a confirmed sales order, counted from its last order or from "
        "the day its owner got it, whichever is later.",
    )
    level_rule_ids = fields.One2many(
        "crm.customer.pool.level.rule",
        "pool_id",
        string="Days per Customer Level",
        copy=True,
    )
    exempt_open_opportunity = fields.Boolean(
        string="Exempt Customers with Open Opportunities", default=True
    )
    exempt_recent_deal_days = fields.Integer(
        string="Exempt After a Deal (Days)",
        default=0,
        help="A customer is not recycled, for any reason, within this many "
        "days of its last confirmed order. 0 disables the exemption.",
    )
    exempt_locked = fields.Boolean(string="Exempt Locked Customers", default=True)

    # --- Reminders ------------------------------------------------------
    reminder_days = fields.Integer(
        string="Remind Days Before",
        default=3,
        help="The owner is reminded this many days before the customer is "
        "recycled. 0 sends no reminder.",
    )
    reminder_activity = fields.Boolean(string="Remind with an Activity", default=True)
    reminder_email = fields.Boolean(string="Remind by Email", default=False)

    # --- Limits (P5) ------------------------------------------------------
    daily_claim_limit = fields.Integer(
        string="Claims per Day",
        default=0,
        help="How many customers a salesperson may claim from this pool per "
        "day. 0 means no limit.",
    )
    owned_limit = fields.Integer(
        string="Owned Customers Limit",
        default=0,
        help="A salesperson who already owns this many customers cannot claim "
        "or be assigned more. 0 means no limit.",
    )
    owned_limit_count_deals = fields.Boolean(
        string="Customers with Deals Count",
        default=True,
        help="Whether customers that have bought count towards the owned "
        "customers limit.",
    )
    reclaim_cooldown_days = fields.Integer(
        string="Previous Owner Cooldown (Days)",
        default=0,
        help="The salesperson who lost a customer to this pool cannot claim it "
        "again within this many days. 0 means no cooldown.",
    )

    # --- Visibility and notifications ----------------------------------
    mask_contact = fields.Boolean(
        string="Mask Contact Details",
        default=True,
        help="Phone numbers, emails and street addresses of the customers of "
        "this pool and of their contacts are hidden until someone claims them "
        "(sales managers and pool administrators still see them).",
    )
    assign_notification = fields.Selection(
        [
            ("message", "Internal Message"),
            ("email", "Email"),
            ("none", "No Notification"),
        ],
        string="Notify on Assignment",
        default="message",
        required=True,
        help="How a salesperson learns that customers were assigned to them.",
    )

    partner_ids = fields.One2many(
        "res.partner",
        "pool_id",
        string="Customers in Pool",
        domain=[("is_company", "=", True)],
    )
    partner_count = fields.Integer(
        string="Number of Customers in Pool", compute="_compute_partner_counts"
    )
    owned_partner_count = fields.Integer(
        string="Owned Customers Governed", compute="_compute_partner_counts"
    )

    _sql_constraints = [
        (
            "days_positive",
            "CHECK(no_followup_days >= 0 AND no_deal_days >= 0 "
            "AND exempt_recent_deal_days >= 0 AND reminder_days >= 0 "
            "AND daily_claim_limit >= 0 AND owned_limit >= 0 "
            "AND reclaim_cooldown_days >= 0)",
            "Days and limits of a customer pool cannot be negative.",
        ),
    ]

    @api.depends("member_user_ids", "member_team_ids")
    def _compute_is_open(self):
        for pool in self:
            pool.is_open = not pool.member_user_ids and not pool.member_team_ids

    def _compute_partner_counts(self):
        Partner = self.env["res.partner"].with_context(active_test=True)
        in_pool = dict(
            Partner.sudo()._read_group(
                [("pool_id", "in", self.ids), ("is_company", "=", True)],
                ["pool_id"],
                ["__count"],
            )
        )
        owned = dict(
            Partner.sudo()._read_group(
                [
                    ("home_pool_id", "in", self.ids),
                    ("pool_state", "=", "owned"),
                    ("is_company", "=", True),
                ],
                ["home_pool_id"],
                ["__count"],
            )
        )
        for pool in self:
            pool.partner_count = in_pool.get(pool, 0)
            pool.owned_partner_count = owned.get(pool, 0)

    @api.constrains(
        "auto_recycle",
        "recycle_no_followup",
        "recycle_no_deal",
        "no_followup_days",
        "no_deal_days",
    )
    def _check_recycle_rules(self):
        for pool in self:
            if (
                pool.recycle_no_followup
                and pool.auto_recycle
                and not pool.no_followup_days
            ):
                raise ValidationError(
                    self.env._(
                        "Pool %(pool)s recycles customers without follow-up: "
                        "set the number of days.",
                        pool=pool.display_name,
                    )
                )
            if pool.recycle_no_deal and pool.auto_recycle and not pool.no_deal_days:
                raise ValidationError(
                    self.env._(
                        "Pool %(pool)s recycles customers without deal: "
                        "set the number of days.",
                        pool=pool.display_name,
                    )
                )

    # --- Membership --------------------------------------------------------

    @api.model
    def _member_domain(self, user):
        """Domain of the pools ``user`` belongs to (also used by the record
        rules, evaluated in SQL so that membership changes apply at once)."""
        return [
            "|",
            "|",
            "|",
            ("is_open", "=", True),
            ("member_user_ids", "in", [user.id]),
            ("admin_user_ids", "in", [user.id]),
            ("member_team_ids.crm_team_member_ids.user_id", "in", [user.id]),
        ]

    def _is_member(self, user):
        self.ensure_one()
        return bool(
            self.is_open
            or user in self.member_user_ids
            or user in self.admin_user_ids
            or (self.member_team_ids & user.crm_team_ids)
        )

    def _is_administrator(self, user):
        """Sales managers administer every pool; administrators their own."""
        self.ensure_one()
        return (
            user.has_group("crm_custom.group_sales_manager")
            or user in self.admin_user_ids
        )

    @api.model
    def _default_pool(self):
        """The pool that governs customers without one: the first open pool,
        else the first pool."""
        pools = self.sudo().search([], order="is_open desc, sequence, id", limit=1)
        return pools

    @api.model
    def _home_pool_for_users(self, users):
        """Pool governing the customers owned by each of ``users``: the first
        pool they belong to (directly or through a sales team), else the
        default pool. Returns a dict user id -> pool."""
        pools = self.sudo().search([])
        default = pools.sorted(lambda p: (not p.is_open, p.sequence, p.id))[:1]
        result = {}
        for user in users:
            result[user.id] = next(
                (pool for pool in pools if not pool.is_open and pool._is_member(user)),
                default,
            )
        return result

    # --- Rule changes -----------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        pools = super().create(vals_list)
        self._pool_rules_changed()
        return pools

    def write(self, vals):
        res = super().write(vals)
        if any(fname in vals for fname in RECYCLE_RULE_FIELDS):
            self._pool_rules_changed()
        return res

    def unlink(self):
        res = super().unlink()
        self._pool_rules_changed()
        return res

    def _pool_rules_changed(self):
        # Recomputing every governed customer is one set-based UPDATE; the
        # fallback pool may change too, so refresh all owned customers.
        self.env["res.partner"]._pool_refresh_recycle_dates(all_customers=True)

    # --- Actions -----------------------------------------------------------

    def action_view_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_customer_pool"
        )
        action["domain"] = [("pool_id", "=", self.id), ("is_company", "=", True)]
        action["context"] = {}
        return action

    def action_view_owned_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_pool_owned_customers"
        )
        action["domain"] = [
            ("home_pool_id", "=", self.id),
            ("pool_state", "=", "owned"),
            ("is_company", "=", True),
        ]
        action["context"] = {}
        return action

    # --- Limits (P5) -----------------------------------------------------

    def _check_claim_limits(self, user, partners):
        """Raise when ``user`` claiming ``partners`` from this pool exceeds
        the daily claim limit or the owned-customers limit."""
        self.ensure_one()
        if self.daily_claim_limit:
            tz = pytz.timezone(user.tz or "UTC")
            today = fields.Date.context_today(self.with_user(user))
            day_start = tz.localize(datetime.combine(today, time.min)).astimezone(
                pytz.UTC
            )
            done = (
                self.env["crm.customer.ownership.log"]
                .sudo()
                .search_count(
                    [
                        ("to_user_id", "=", user.id),
                        ("pool_id", "=", self.id),
                        ("method", "=", "claim"),
                        ("date", ">=", day_start.replace(tzinfo=None)),
                    ]
                )
            )
            if done + len(partners) > self.daily_claim_limit:
                raise UserError(
                    self.env._(
                        "You may claim at most %(limit)s customers a day from the "
                        "pool %(pool)s; you have claimed %(done)s today and "
                        "selected %(count)s.",
                        limit=self.daily_claim_limit,
                        pool=self.display_name,
                        done=done,
                        count=len(partners),
                    )
                )
        self._check_owned_limit(user, partners)

    def _check_owned_limit(self, user, partners):
        self.ensure_one()
        if not self.owned_limit:
            return
        Partner = self.env["res.partner"].sudo()
        domain = [
            ("user_id", "=", user.id),
            ("pool_state", "=", "owned"),
            ("is_company", "=", True),
        ]
        counted = partners
        if not self.owned_limit_count_deals and "last_order_date" in Partner._fields:
            domain.append(("last_order_date", "=", False))
            counted = partners.filtered(lambda partner: not partner.last_order_date)
        owned = Partner.search_count(domain)
        if owned + len(counted) > self.owned_limit:
            raise UserError(
                self.env._(
                    "%(user)s may own at most %(limit)s customers under the rules "
                    "of the pool %(pool)s and already owns %(owned)s.",
                    user=user.name,
                    limit=self.owned_limit,
                    pool=self.display_name,
                    owned=owned,
                )
            )

    # --- Recycling (P4) --------------------------------------------------

    def init(self):
        # Owned-customer counts (limits, record rules) filter on the owner.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS res_partner_crm_pool_owner_index "
            "ON res_partner (user_id) WHERE user_id IS NOT NULL"
        )

    @api.model
    def _recycle_plan_sql(self, condition):
        """SELECT of the owned customers matching ``condition`` (SQL on the
        alias ``p`` of res_partner, ``dl`` for the deadlines) with the day
        each one returns to its pool and why. The single definition of the
        recycling rules, used to store ``recycle_date`` and by the cron:

        - the rules are those of the customer's pool (``home_pool_id``, else
          the default pool), with the days of its customer level if the pool
          lists that level (0 there: never for that reason);
        - no follow-up for N days: N days after the last follow-up, or after
          the day the owner got the customer if that is later;
        - no deal for M days: M days after the last confirmed order, or after
          the day the owner got the customer if that is later;
        - exempt (no date): locked customers, customers with an open
          opportunity, as the pool says; a recent deal postpones the date to
          the end of the pool's exemption after a deal.
        """
        Partner = self.env["res.partner"]
        fallback = self._default_pool().id or None

        def column(fname, cast):
            field = Partner._fields.get(fname)
            if field and field.store and field.column_type:
                return SQL.identifier("p", fname)
            return SQL("NULL::%s", SQL(cast))

        level = column("customer_level_id", "int4")
        last_deal = column("last_order_date", "date")
        return SQL(
            """
            SELECT p.id AS id, p.user_id AS user_id, g.id AS pool_id,
                   d.followup_days, d.deal_days,
                   CASE WHEN dl.deal_deadline IS NULL
                          OR dl.followup_deadline <= dl.deal_deadline
                        THEN 'followup' ELSE 'deal' END AS reason,
                   CASE
                     WHEN NOT g.active OR NOT g.auto_recycle THEN NULL
                     WHEN LEAST(dl.followup_deadline, dl.deal_deadline) IS NULL
                     THEN NULL
                     WHEN g.exempt_locked AND p.pool_locked THEN NULL
                     WHEN g.exempt_open_opportunity AND EXISTS (
                          SELECT 1
                            FROM crm_lead l
                            JOIN res_partner lp ON lp.id = l.partner_id
                           WHERE lp.commercial_partner_id = p.id
                             AND l.active AND l.type = 'opportunity'
                             AND COALESCE(l.probability, 0) < 100) THEN NULL
                     ELSE GREATEST(
                          LEAST(dl.followup_deadline, dl.deal_deadline),
                          %(last_deal)s + NULLIF(g.exempt_recent_deal_days, 0))
                   END AS recycle_date
              FROM res_partner p
              JOIN crm_customer_pool g ON g.id = COALESCE(p.home_pool_id, %(fallback)s)
              LEFT JOIN crm_customer_pool_level_rule r
                     ON r.pool_id = g.id AND r.customer_level_id = %(level)s
             CROSS JOIN LATERAL (
                   SELECT CASE WHEN g.recycle_no_followup
                               THEN NULLIF(COALESCE(r.no_followup_days,
                                                    g.no_followup_days), 0)
                          END AS followup_days,
                          CASE WHEN g.recycle_no_deal
                               THEN NULLIF(COALESCE(r.no_deal_days, g.no_deal_days), 0)
                          END AS deal_days) d
             CROSS JOIN LATERAL (
                   SELECT GREATEST(p.last_followup_date,
                                   COALESCE(p.date_owned, p.create_date::date))
                            + d.followup_days AS followup_deadline,
                          GREATEST(%(last_deal)s,
                                   COALESCE(p.date_owned, p.create_date::date))
                            + d.deal_days AS deal_deadline) dl
             WHERE p.pool_state = 'owned' AND p.is_company AND p.active
               AND %(condition)s
            """,
            fallback=fallback,
            level=level,
            last_deal=last_deal,
            condition=condition,
        )

    @api.model
    def _refresh_recycle_dates(self, partner_ids=None):
        """Store the recycle date of the given customers (all when
        ``partner_ids`` is None): one UPDATE of the rows whose date changes."""
        if partner_ids is not None and not partner_ids:
            return
        self.env.flush_all()
        if partner_ids is None:
            condition = SQL("TRUE")
            stale = SQL("TRUE")
        else:
            condition = SQL("p.id = ANY(%s)", list(partner_ids))
            stale = SQL("t.id = ANY(%s)", list(partner_ids))
        cr = self.env.cr
        cr.execute(
            SQL(
                """
            UPDATE res_partner t SET recycle_date = plan.recycle_date
              FROM (%(plan)s) plan
             WHERE t.id = plan.id AND t.recycle_date IS DISTINCT FROM plan.recycle_date
            RETURNING t.id
            """,
                plan=self._recycle_plan_sql(condition),
            )
        )
        changed = [row[0] for row in cr.fetchall()]
        # Customers no longer owned (or archived) keep no date.
        cr.execute(
            SQL(
                """
            UPDATE res_partner t SET recycle_date = NULL
             WHERE t.recycle_date IS NOT NULL AND %(stale)s
               AND (t.pool_state IS DISTINCT FROM 'owned'
                    OR NOT t.is_company OR NOT t.active)
            RETURNING t.id
            """,
                stale=stale,
            )
        )
        changed += [row[0] for row in cr.fetchall()]
        if changed:
            self.env["res.partner"].browse(changed).invalidate_recordset(
                ["recycle_date", "days_to_recycle"]
            )

    @api.model
    def _cron_recycle_customers(self, batch_size=5000, autocommit=False):
        """P4: send every owned customer whose recycle day has come back to
        its pool, logging the reason ("No follow-up for 30 days"). Set-based:
        one query finds the due customers (the stored recycle date, kept up
        to date by every change of its inputs, narrows the search through its
        index; the rules are evaluated again on those candidates), then each
        batch is released and logged by a single statement. Safe to rerun:
        released customers are no longer owned, so a rerun finds nothing; a
        customer being edited at that moment is skipped until the next run.
        The daily reminder action recomputes every stored date first, which
        also repairs dates whose inputs were changed outside the ORM."""
        self.env.flush_all()
        cr = self.env.cr
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        # The reasons are stored: write them in the company's language.
        company_env = self.with_context(
            lang=self.env.company.partner_id.lang or self.env.lang
        ).env
        cr.execute(
            SQL(
                """
            SELECT plan.id, plan.user_id, plan.pool_id,
                   CASE plan.reason
                        WHEN 'followup' THEN format(%(no_followup)s, plan.followup_days)
                        ELSE format(%(no_deal)s, plan.deal_days)
                   END
              FROM (%(plan)s) plan
             WHERE plan.recycle_date <= %(today)s
             ORDER BY plan.id
            """,
                no_followup=company_env._("No follow-up for %s days"),
                no_deal=company_env._("No deal for %s days"),
                plan=self._recycle_plan_sql(SQL("p.recycle_date <= %s", today)),
                today=today,
            )
        )
        due = cr.fetchall()
        released = processed = 0
        for batch in split_every(batch_size, due, list):
            processed += len(batch)
            ids, user_ids, pool_ids, reasons = (
                list(column) for column in zip(*batch, strict=True)
            )
            # Lock, release and log the batch in one statement; a customer
            # someone is editing right now is skipped until the next run.
            cr.execute(
                SQL(
                    """
                WITH due AS (
                    SELECT * FROM unnest(%(ids)s::int4[], %(user_ids)s::int4[],
                                         %(pool_ids)s::int4[], %(reasons)s::varchar[])
                           AS due(id, user_id, pool_id, reason)
                ), locked AS (
                    SELECT p.id FROM res_partner p JOIN due ON due.id = p.id
                     WHERE p.pool_state = 'owned' AND p.user_id = due.user_id
                       FOR NO KEY UPDATE OF p SKIP LOCKED
                ), released AS (
                    UPDATE res_partner p
                       SET user_id = NULL, pool_id = due.pool_id,
                           home_pool_id = due.pool_id, pool_state = 'pool',
                           pool_previous_user_id = due.user_id,
                           pool_entry_date = %(today)s, date_owned = NULL,
                           recycle_date = NULL, pool_reminder_date = NULL,
                           write_uid = %(uid)s, write_date = %(now)s
                      FROM due JOIN locked ON locked.id = due.id
                     WHERE p.id = due.id
                 RETURNING p.id, due.user_id, due.pool_id, due.reason, p.company_id
                )
                INSERT INTO crm_customer_ownership_log
                       (partner_id, from_user_id, date, method, reason, user_id,
                        pool_id, company_id, create_uid, create_date, write_uid,
                        write_date)
                SELECT r.id, r.user_id, %(now)s, 'recycle', r.reason, %(uid)s,
                       r.pool_id, r.company_id, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM released r
             RETURNING partner_id
                """,
                    ids=ids,
                    user_ids=user_ids,
                    pool_ids=pool_ids,
                    reasons=reasons,
                    today=today,
                    now=now,
                    uid=self.env.uid,
                )
            )
            released_ids = [row[0] for row in cr.fetchall()]
            released += len(released_ids)
            due_by_id = {row[0]: row for row in batch}
            self._log_recycled([due_by_id[pid] for pid in released_ids], company_env)
            # Their contacts follow (pool_state is mirrored for the rules).
            cr.execute(
                SQL(
                    """
                UPDATE res_partner SET pool_state = 'pool'
                 WHERE commercial_partner_id = ANY(%(ids)s)
                   AND id <> commercial_partner_id
                   AND pool_state IS DISTINCT FROM 'pool'
                """,
                    ids=released_ids,
                )
            )
            if autocommit:
                # Run by ir.cron: keep each finished batch (see docstring).
                cr.commit()  # pylint: disable=invalid-commit
            self.env["ir.cron"]._notify_progress(
                done=processed, remaining=len(due) - processed
            )
        if due:
            self.env["res.partner"].invalidate_model()
            self.env["crm.customer.ownership.log"].invalidate_model()
        _logger.info("Customer pool: %s customers recycled", released)
        return released

    @api.model
    def _log_recycled(self, rows, company_env):
        """The chatter of each recycled customer shows the change: a note
        naming the rule and the reason, with the owner and the pool as
        tracked values (the operation log reads them). ``rows``: (partner
        id, former owner id, pool id, reason). Two INSERT statements for the
        batch, like the release itself: the ORM would cost tens of
        milliseconds per customer."""
        if not rows:
            return
        Field = self.env["ir.model.fields"]
        users = self.env["res.users"].sudo().browse({row[1] for row in rows})
        pools = self.with_env(company_env).sudo().browse({row[2] for row in rows})
        user_names = {user.id: user.display_name for user in users}
        pool_names = {pool.id: pool.display_name for pool in pools}
        now = fields.Datetime.now()
        bodies = [
            Markup("<p>%s</p>")
            % company_env._(
                "Recycled into the pool %(pool)s by its rule: %(reason)s",
                pool=pool_names.get(pool_id, ""),
                reason=reason,
            )
            for _partner_id, _user_id, pool_id, reason in rows
        ]
        self.env.cr.execute(
            SQL(
                """
                WITH released AS (
                    SELECT * FROM unnest(%(ids)s::int4[], %(user_ids)s::int4[],
                                         %(user_names)s::varchar[],
                                         %(pool_ids)s::int4[],
                                         %(pool_names)s::varchar[],
                                         %(bodies)s::text[])
                           AS r(partner_id, user_id, user_name, pool_id,
                                pool_name, body)
                ), message AS (
                    INSERT INTO mail_message
                           (model, res_id, message_type, subtype_id, is_internal,
                            author_id, body, date, record_name,
                            create_uid, create_date, write_uid, write_date)
                    SELECT 'res.partner', r.partner_id, 'notification',
                           %(note)s, TRUE, %(author)s, r.body, %(now)s, NULL,
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM released r
                 RETURNING id, res_id
                )
                INSERT INTO mail_tracking_value
                       (field_id, old_value_integer, old_value_char,
                        new_value_integer, new_value_char, mail_message_id,
                        create_uid, create_date, write_uid, write_date)
                SELECT v.field_id, v.old_id, v.old_name, v.new_id, v.new_name,
                       m.id, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM message m
                  JOIN released r ON r.partner_id = m.res_id
                 CROSS JOIN LATERAL (VALUES
                       (%(user_field)s, r.user_id, r.user_name, 0, ''),
                       (%(pool_field)s, 0, '', r.pool_id, r.pool_name))
                       AS v(field_id, old_id, old_name, new_id, new_name)
                """,
                ids=[row[0] for row in rows],
                user_ids=[row[1] or 0 for row in rows],
                user_names=[user_names.get(row[1], "") for row in rows],
                pool_ids=[row[2] or 0 for row in rows],
                pool_names=[pool_names.get(row[2], "") for row in rows],
                bodies=[str(body) for body in bodies],
                note=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                author=self.env.user.partner_id.id,
                now=now,
                uid=self.env.uid,
                user_field=Field._get("res.partner", "user_id").id,
                pool_field=Field._get("res.partner", "pool_id").id,
            )
        )
        self.env["mail.message"].invalidate_model()
        self.env["res.partner"].invalidate_model(["message_ids"])

    @api.model
    def _cron_remind_owners(self, batch_size=500, autocommit=False):
        """P4: remind owners, D days before (as each pool says), of their
        customers about to return to the pool: an activity on the customer
        and/or one email per owner. Each recycle date is reminded once."""
        self._refresh_recycle_dates()
        cr = self.env.cr
        today = fields.Date.context_today(self)
        cr.execute(
            SQL(
                """
            SELECT p.id
              FROM res_partner p
              JOIN crm_customer_pool g ON g.id = COALESCE(p.home_pool_id, %(fallback)s)
             WHERE p.pool_state = 'owned' AND p.is_company AND p.active
               AND p.recycle_date >= %(today)s
               AND g.reminder_days > 0 AND (g.reminder_activity OR g.reminder_email)
               AND p.recycle_date <= %(today)s + g.reminder_days
               AND p.pool_reminder_date IS DISTINCT FROM p.recycle_date
             ORDER BY p.user_id, p.id
            """,
                fallback=self._default_pool().id or None,
                today=today,
            )
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        Partner = self.env["res.partner"].sudo()
        fallback = self._default_pool()
        activity_type = self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        template = self.env.ref(
            "crm_custom.mail_template_customer_pool_reminder", raise_if_not_found=False
        )
        for ids in split_every(batch_size, partner_ids, list):
            partners = Partner.browse(ids)
            activities = []
            emails = {}
            for partner in partners:
                pool = partner.home_pool_id or fallback
                if pool.reminder_activity and activity_type:
                    activities.append(
                        {
                            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                            "res_id": partner.id,
                            "activity_type_id": activity_type.id,
                            "user_id": partner.user_id.id,
                            "date_deadline": partner.recycle_date,
                            "summary": self.env._(
                                "Follow up before it returns to the pool on %s",
                                partner.recycle_date,
                            ),
                        }
                    )
                if pool.reminder_email:
                    emails.setdefault(partner.user_id, Partner)
                    emails[partner.user_id] |= partner
            if activities:
                self.env["mail.activity"].sudo().with_context(
                    mail_activity_quick_update=True
                ).create(activities)
            if template:
                for user, customers in emails.items():
                    template.sudo().with_context(
                        lang=user.lang,
                        pool_customers=[
                            (customer.display_name, customer.recycle_date)
                            for customer in customers
                        ],
                    ).send_mail(user.id)
            cr.execute(
                SQL(
                    "UPDATE res_partner SET pool_reminder_date = recycle_date "
                    "WHERE id = ANY(%s)",
                    ids,
                )
            )
            partners.invalidate_recordset(["pool_reminder_date"])
            if autocommit:
                # Run by ir.cron: keep each finished batch (see docstring).
                cr.commit()  # pylint: disable=invalid-commit
        return len(partner_ids)

    # --- Notifications (P3) -------------------------------------------

    @api.model
    def _notify_assignment(self, customers, user, reason, notification, governing):
        """Tell ``user`` that ``customers`` were assigned to them, by
        internal message or email (``notification``, else the setting of the
        customers' pool)."""
        if not notification:
            pools = {pool for pool in governing.values() if pool}
            notification = next(iter(pools)).assign_notification if pools else "message"
        if notification == "none":
            return
        template = self.env.ref(
            "crm_custom.mail_template_customer_pool_assigned", raise_if_not_found=False
        )
        if not template:
            return
        template = template.sudo().with_context(
            lang=user.lang,
            pool_customers=[customer.display_name for customer in customers],
            pool_assigned_by=self.env.user.name,
            pool_reason=reason or "",
        )
        if notification == "email":
            template.send_mail(user.id)
            return
        rendered = template._render_field("body_html", user.ids, compute_lang=True)[
            user.id
        ]
        subject = template._render_field("subject", user.ids, compute_lang=True)[
            user.id
        ]
        # One customer: the message links to it; several: a plain message.
        thread = customers if len(customers) == 1 else customers.browse()
        thread.sudo().message_notify(
            partner_ids=user.partner_id.ids,
            subject=subject,
            body=rendered,
            email_layout_xmlid="mail.mail_notification_light",
        )
