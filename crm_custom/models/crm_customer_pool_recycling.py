import logging

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from .crm_note_parts import note_parts

_logger = logging.getLogger(__name__)


class CrmCustomerPool(models.Model):
    """Recycling (P4): the rules that send owned customers back to their
    pool, the recycle dates they give, and the crons that apply them."""

    _inherit = "crm.customer.pool"

    # --- Recycling (P4) --------------------------------------------------

    def init(self):
        # Partners of an owner (record rules of other models, reports).
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS res_partner_crm_pool_owner_index "
            "ON res_partner (user_id) WHERE user_id IS NOT NULL"
        )
        # A customer manager's customers: My Customers, the owned-customers
        # limit of every claim (without deals: the last order date), the
        # workbench; a tenth of the entries of the one above.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS res_partner_crm_owned_customer_index "
            "ON res_partner (user_id, last_order_date) "
            "WHERE is_company AND pool_state = 'owned'"
        )

    @api.model
    def _recycle_plan_sql(self, condition, last_deal=None):
        """SELECT of the owned customers matching ``condition`` (SQL on the
        alias ``p`` of res_partner, ``dl`` for the deadlines) with the day
        each one returns to its pool and why. The single definition of the
        recycling rules, used to store ``recycle_date`` and by the cron.
        ``last_deal``: SQL, the last order date to use instead of the stored
        one (a column of an outer query: the order data refresh writes the
        last order dates and the recycle dates in one statement).

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
        fallback = self._default_pool_sql()

        def column(fname, cast):
            field = Partner._fields.get(fname)
            if field and field.store and field.column_type:
                return SQL.identifier("p", fname)
            return SQL("NULL::%s", SQL(cast))

        level = column("customer_level_id", "int4")
        if last_deal is None:
            last_deal = column("last_order_date", "date")
        # Open opportunities through a lateral join on the array of the
        # customer's contacts rather than EXISTS over a join: the planner
        # plans an EXISTS twice (per row and hashed) to keep one, and a join
        # of two large tables weighs many plans; planning costs more than
        # running it for one customer, and this is as fast on the whole base.
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
                     WHEN g.exempt_open_opportunity AND opportunity.id IS NOT NULL
                     THEN NULL
                     ELSE GREATEST(
                          LEAST(dl.followup_deadline, dl.deal_deadline),
                          %(last_deal)s + NULLIF(g.exempt_recent_deal_days, 0))
                   END AS recycle_date
              FROM res_partner p
              JOIN crm_customer_pool g ON g.id = COALESCE(p.home_pool_id, %(fallback)s)
              LEFT JOIN crm_customer_pool_level_rule r
                     ON r.pool_id = g.id AND r.customer_level_id = %(level)s
              LEFT JOIN LATERAL (
                   SELECT l.id
                     FROM crm_lead l
                    WHERE l.partner_id = ANY(ARRAY(
                          SELECT lp.id FROM res_partner lp
                           WHERE lp.commercial_partner_id = p.id))
                      AND l.active AND l.type = 'opportunity'
                      AND COALESCE(l.probability, 0) < 100
                    LIMIT 1) opportunity ON TRUE
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
        # One statement; customers no longer owned (or archived), never in
        # the plan, keep no date. The plan is materialized: its date is
        # computed once per customer (a subquery would be computed again
        # for the WHERE clause, with its search for open opportunities).
        cr.execute(
            SQL(
                """
            WITH plan AS MATERIALIZED (%(plan)s),
            planned AS (
                UPDATE res_partner t SET recycle_date = plan.recycle_date
                  FROM plan
                 WHERE t.id = plan.id
                   AND t.recycle_date IS DISTINCT FROM plan.recycle_date
                RETURNING t.id
            ), cleared AS (
                UPDATE res_partner t SET recycle_date = NULL
                 WHERE t.recycle_date IS NOT NULL AND %(stale)s
                   AND (t.pool_state IS DISTINCT FROM 'owned'
                        OR NOT t.is_company OR NOT t.active)
                RETURNING t.id
            )
            SELECT id FROM planned UNION ALL SELECT id FROM cleared
            """,
                plan=self._recycle_plan_sql(condition),
                stale=stale,
            )
        )
        changed = [row[0] for row in cr.fetchall()]
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
        # ``autocommit``: the scheduled action's code asks to commit each
        # batch (ir.cron._crm_commit_progress).
        self.env.flush_all()
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        # The reasons are stored: write them in the company's language.
        company_env = self.with_context(
            lang=self.env.company.partner_id.lang or self.env.lang
        ).env
        due = self._recycle_due(today, company_env)
        released = processed = 0
        for batch in split_every(batch_size, due, list):
            processed += len(batch)
            released += self._recycle_batch(batch, today, now, company_env)
            self.env["ir.cron"]._crm_commit_progress(
                processed, len(due) - processed, commit=autocommit
            )
        if due:
            self.env["res.partner"].invalidate_model()
            self.env["crm.customer.ownership.log"].invalidate_model()
        _logger.info("Customer pool: %s customers recycled", released)
        return released

    @api.model
    def _recycle_due(self, today, company_env):
        """The owned customers due back to their pool: (id, owner id, pool
        id, reason) rows, in id order."""
        cr = self.env.cr
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
        return cr.fetchall()

    @api.model
    def _recycle_batch(self, batch, today, now, company_env):
        """Release and log a batch of due rows; returns how many customers
        were released (those edited right now wait for the next run)."""
        cr = self.env.cr
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
                       commercial_user_id = NULL, commercial_pool_id = due.pool_id,
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
        due_by_id = {row[0]: row for row in batch}
        self._log_recycled([due_by_id[pid] for pid in released_ids], company_env)
        # Their contacts follow (the state, owner and pool of their customer
        # are mirrored for the record rules).
        cr.execute(
            SQL(
                """
            UPDATE res_partner c
               SET pool_state = 'pool', commercial_user_id = NULL,
                   commercial_pool_id = p.pool_id
              FROM res_partner p
             WHERE p.id = ANY(%(ids)s)
               AND c.commercial_partner_id = p.id
               AND c.id <> p.id
               AND (c.pool_state IS DISTINCT FROM 'pool'
                    OR c.commercial_user_id IS NOT NULL
                    OR c.commercial_pool_id IS DISTINCT FROM p.pool_id)
            """,
                ids=released_ids,
            )
        )
        return len(released_ids)

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
        # The note, translated once for the batch with placeholders: the
        # same body as Markup("<p>%s</p>") % _(...) of each customer's pool
        # and reason, which are escaped the same way.
        parts = note_parts(
            lambda **values: Markup("<p>%s</p>")
            % company_env._(
                "Recycled into the pool %(pool)s by its rule: %(reason)s", **values
            ),
            ("pool", "reason"),
        )
        bodies = []
        for _partner_id, _user_id, pool_id, reason in rows:
            values = {"pool": pool_names.get(pool_id, ""), "reason": reason}
            bodies.append(
                "".join(
                    str(escape(values[part])) if index % 2 else part
                    for index, part in enumerate(parts)
                )
            )
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
                bodies=bodies,
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
        and/or one email per owner. Each recycle date is reminded once.
        (``autocommit``: see _cron_recycle_customers.)"""
        self._refresh_recycle_dates()
        partner_ids = self._remind_due_ids(fields.Date.context_today(self))
        done = 0
        for ids in split_every(batch_size, partner_ids, list):
            self._remind_batch(self.env["res.partner"].sudo().browse(ids))
            done += len(ids)
            self.env["ir.cron"]._crm_commit_progress(
                done, len(partner_ids) - done, commit=autocommit
            )
        return len(partner_ids)

    @api.model
    def _remind_due_ids(self, today):
        """The owned customers whose owner is to be reminded today, by owner."""
        cr = self.env.cr
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
        return [row[0] for row in cr.fetchall()]

    @api.model
    def _remind_batch(self, partners):
        """Remind the owners of ``partners`` (sudo) as their pools say, and
        mark the recycle dates reminded."""
        Partner = self.env["res.partner"].sudo()
        fallback = self._default_pool()
        activity_type = self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        template = self.env.ref(
            "crm_custom.mail_template_customer_pool_reminder", raise_if_not_found=False
        )
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
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET pool_reminder_date = recycle_date "
                "WHERE id = ANY(%s)",
                partners.ids,
            )
        )
        partners.invalidate_recordset(["pool_reminder_date"])
