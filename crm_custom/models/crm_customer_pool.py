import logging
from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

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
    def _default_pool_sql(self):
        """``_default_pool`` as an SQL subquery of its id (NULL without
        pools), for the statements that resolve it themselves instead of
        querying it first."""
        self.flush_model(["active", "is_open", "sequence"])
        return SQL(
            "(SELECT dp.id FROM crm_customer_pool dp WHERE dp.active"
            " ORDER BY COALESCE(dp.is_open, FALSE) DESC, dp.sequence, dp.id"
            " LIMIT 1)"
        )

    @api.model
    def _home_pool_for_users(self, users):
        """Pool governing the customers owned by each of ``users``: the first
        pool they belong to (directly or through a sales team), else the
        default pool. Returns a dict user id -> pool."""
        # One search per owner on the membership domain of the record rules:
        # no pool, member or team record is read into the cache for it.
        Pool = self.sudo()
        result = {}
        default = None
        for user in users:
            pool = Pool.search(
                [("is_open", "=", False), *self._member_domain(user)], limit=1
            )
            if not pool:
                if default is None:
                    default = Pool._default_pool()
                pool = default
            result[user.id] = pool
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
            done = self._limit_count(
                "crm.customer.ownership.log",
                [
                    ("to_user_id", "=", user.id),
                    ("pool_id", "=", self.id),
                    ("method", "=", "claim"),
                    ("date", ">=", day_start.replace(tzinfo=None)),
                ],
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
        owned = self._limit_count("res.partner", domain)
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

    @api.model
    def _limit_count(self, model, domain):
        """Count for a limit check (P5), as superuser, made under the lock
        of ``res.partner._pool_serialize_user``. Under REPEATABLE READ this
        transaction's snapshot predates the claims committed while it
        waited for the lock, which only a cursor opened now sees; this
        transaction's own changes only its own cursor sees. The larger count
        of the two is kept: the stricter."""
        here = self.env[model].sudo().search_count(domain)
        with self.env.registry.cursor() as cr:
            latest = self.env(cr=cr, su=True)[model].search_count(domain)
        return max(here, latest)

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
