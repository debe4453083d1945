import logging
from collections import Counter, defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .crm_note_parts import note_parts

_logger = logging.getLogger(__name__)

# A customer has at most one warning in these states (W1).
ACTIVE_STATES = ("open", "postponed")
# Allowed state changes; confirmed and resolved warnings are history.
STATE_TRANSITIONS = {
    "open": {"postponed", "confirmed", "resolved"},
    "postponed": {"confirmed", "resolved"},
    "confirmed": set(),
    "resolved": set(),
}
DIGEST_MAX_LINES = 20
# Written by the actions below, the orders (W3) and the scheduled action
# only: a direct write or RPC cannot close, reopen or rewrite a warning (B2).
PROTECTED_FIELDS = frozenset(
    {
        "partner_id",
        "user_id",
        "company_id",
        "state",
        "last_order_date",
        "trigger_rule",
        "days_without_order",
        "threshold_months",
        "purchase_count",
        "median_interval",
        "date_postponed",
        "date_confirmed",
        "lost_reason",
        "date_resolved",
        "resolved_order_id",
    }
)


class CrmChurnWarning(models.Model):
    """Churn warning 流失预警 (W1-W4): a customer that has stopped buying. The
    customer manager postpones the loss with retention measures 暂缓流失 or
    confirms it 确认流失; a new confirmed order resolves it by itself."""

    _name = "crm.churn.warning"
    _description = "Churn Warning"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.guarded.fields.mixin"]
    _order = "create_date desc, id desc"
    _rec_name = "partner_id"
    _guarded_fields = PROTECTED_FIELDS

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Customer Manager",
        compute="_compute_user_id",
        store=True,
        index=True,
        tracking=True,
        help="The customer's manager; follows the customer while the warning "
        "is open or postponed.",
    )
    company_id = fields.Many2one(
        related="partner_id.company_id", store=True, index=True
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("postponed", "Postponed"),
            ("confirmed", "Lost"),
            ("resolved", "Resolved"),
        ],
        string="Status",
        required=True,
        default="open",
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    last_order_date = fields.Date(
        required=True,
        readonly=True,
        help="The customer's last confirmed order when the warning was raised.",
    )
    trigger_rule = fields.Selection(
        [
            ("threshold", "No order within the threshold"),
            ("buying_cycle", "Buying cycle overdue"),
        ],
        string="Rule",
        required=True,
        default="threshold",
        readonly=True,
    )
    days_without_order = fields.Integer(
        readonly=True, help="Days since the last order when the warning was raised."
    )
    threshold_months = fields.Integer(
        string="Threshold (Months)",
        readonly=True,
        help="The churn threshold in force when the warning was raised.",
    )
    purchase_count = fields.Integer(
        string="Purchases",
        readonly=True,
        help="Days with a confirmed order when the warning was raised.",
    )
    median_interval = fields.Float(
        string="Usual Days Between Orders",
        readonly=True,
        digits=(16, 1),
        help="The customer's buying cycle: median days between two purchases.",
    )
    reason = fields.Char(
        string="Why", compute="_compute_reason", help="Why the warning was raised."
    )
    days_since_last_order = fields.Integer(compute="_compute_days_since_last_order")
    measure_ids = fields.One2many(
        "crm.churn.warning.measure", "warning_id", string="Retention Measures"
    )
    measure_count = fields.Integer(compute="_compute_measure_count")
    date_postponed = fields.Date(readonly=True, copy=False, tracking=True)
    date_confirmed = fields.Date(
        string="Loss Confirmed On", readonly=True, copy=False, tracking=True
    )
    lost_reason = fields.Text(
        string="Reason of Loss", readonly=True, copy=False, tracking=True
    )
    date_resolved = fields.Date(readonly=True, copy=False)
    resolved_order_id = fields.Many2one(
        "sale.order",
        string="Resolving Order",
        readonly=True,
        copy=False,
        help="The confirmed order that ended the warning.",
    )

    def init(self):
        # W1: at most one open or postponed warning per customer, whatever
        # the reruns or concurrent runs of the scheduled action. Also the index
        # of the detection query's anti-join.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS"
                " crm_churn_warning_one_active_per_partner"
                " ON crm_churn_warning (partner_id)"
                " WHERE state IN ('open', 'postponed')"
            )
        )

    @api.depends("partner_id.user_id")
    def _compute_user_id(self):
        for warning in self:
            # A closed warning keeps the manager who handled it (R4).
            if warning.state in ACTIVE_STATES or not warning.user_id:
                warning.user_id = warning.partner_id.user_id

    @api.depends(
        "trigger_rule", "days_without_order", "median_interval", "threshold_months"
    )
    def _compute_reason(self):
        for warning in self:
            warning.reason = warning._reason_text(
                warning.trigger_rule,
                # 32.0 reads "32", 32.5 stays "32.5".
                interval=format(round(warning.median_interval, 1), "g"),
                days=warning.days_without_order,
                months=warning.threshold_months,
            )

    @api.model
    def _reason_text(self, trigger_rule, interval, days, months):
        """Why a warning of rule ``trigger_rule`` was raised, in the
        language of the environment."""
        if trigger_rule == "buying_cycle":
            return self.env._(
                "usually orders every %(interval)s days; "
                "%(days)s days since the last order",
                interval=interval,
                days=days,
            )
        return self.env._(
            "no order for more than %(months)s months; "
            "%(days)s days since the last order",
            months=months,
            days=days,
        )

    @api.depends("last_order_date")
    def _compute_days_since_last_order(self):
        today = fields.Date.context_today(self)
        for warning in self:
            warning.days_since_last_order = (
                (today - warning.last_order_date).days if warning.last_order_date else 0
            )

    @api.depends("measure_ids")
    def _compute_measure_count(self):
        for warning in self:
            warning.measure_count = len(warning.measure_ids)

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.model
    def _check_no_other_active_warning(self, partner_ids, exclude_ids=()):
        """At most one open or postponed warning per customer (W1); the
        partial unique index enforces it in the database as well, this gives
        the readable message."""
        repeated = {pid for pid in partner_ids if partner_ids.count(pid) > 1}
        existing = (
            self.sudo()
            .search(
                [
                    ("partner_id", "in", list(partner_ids)),
                    ("state", "in", ACTIVE_STATES),
                    ("id", "not in", list(exclude_ids)),
                ]
            )
            .partner_id
        )
        partners = existing | self.env["res.partner"].browse(repeated)
        if partners:
            raise ValidationError(
                self.env._(
                    "%s already has an open churn warning.",
                    partners[0].display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_no_other_active_warning(
            [
                vals.get("partner_id")
                for vals in vals_list
                if vals.get("state", "open") in ACTIVE_STATES
            ]
        )
        return super().create(vals_list)

    @api.constrains("partner_id", "state")
    def _check_one_active_warning(self):
        active = self.filtered(lambda warning: warning.state in ACTIVE_STATES)
        if active:
            self._check_no_other_active_warning(active.partner_id.ids, active.ids)

    @api.constrains("state", "lost_reason")
    def _check_lost_reason(self):
        for warning in self:
            if warning.state == "confirmed" and not (warning.lost_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give the reason of the loss to confirm it (%s).",
                        warning.partner_id.display_name,
                    )
                )

    @api.constrains("state")
    def _check_postponed_has_measures(self):
        for warning in self:
            if warning.state == "postponed" and not warning.measure_ids:
                raise ValidationError(
                    self.env._(
                        "Record at least one retention measure with its date "
                        "before postponing the loss of %s.",
                        warning.partner_id.display_name,
                    )
                )

    def write(self, vals):
        if self._guarded_fields_in(vals):
            self.check_access("write")
            raise UserError(
                self.env._(
                    "A churn warning changes only through its actions: postpone "
                    "it, confirm the loss, or a new confirmed order of the "
                    "customer."
                )
            )
        if "state" in vals:
            labels = dict(self._fields["state"]._description_selection(self.env))
            for warning in self:
                if warning.state != vals["state"] and vals[
                    "state"
                ] not in STATE_TRANSITIONS.get(warning.state, ()):
                    raise UserError(
                        self.env._(
                            "A churn warning in status %(old)s cannot change to "
                            "%(new)s (%(customer)s).",
                            old=labels.get(warning.state),
                            new=labels.get(vals["state"]),
                            customer=warning.partner_id.display_name,
                        )
                    )
            if vals["state"] == "confirmed" and not vals.get("date_confirmed"):
                vals = dict(vals, date_confirmed=fields.Date.context_today(self))
        result = super().write(vals)
        if vals.get("state") == "confirmed":
            # The customer is lost 已流失 (W2); a new order clears the mark.
            self.partner_id.sudo().write({"churn_lost": True})
        return result

    # ------------------------------------------------------------------
    # Actions (W2)
    # ------------------------------------------------------------------

    def _check_active(self):
        for warning in self:
            if warning.state not in ACTIVE_STATES:
                raise UserError(
                    self.env._(
                        "The churn warning of %s is closed already.",
                        warning.partner_id.display_name,
                    )
                )

    def action_postpone(self):
        """暂缓流失: the customer manager keeps the customer and works on it
        with the recorded retention measures."""
        for warning in self:
            if warning.state != "open":
                raise UserError(
                    self.env._(
                        "Only an open churn warning can be postponed (%s).",
                        warning.partner_id.display_name,
                    )
                )
        # The checks above are the rule: write through the guard (see write).
        self.check_access("write")
        self._guarded_write(
            {
                "state": "postponed",
                "date_postponed": fields.Date.context_today(self),
            }
        )
        return True

    def action_confirm_loss(self):
        """确认流失: ask for the reason in a wizard."""
        self._check_active()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Confirm Loss"),
            "res_model": "crm.churn.warning.confirm",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": self._name,
                "active_ids": self.ids,
            },
        }

    def _confirm_loss(self, reason):
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the loss to confirm it."))
        self._check_active()
        self.check_access("write")
        self._guarded_write(
            {
                "state": "confirmed",
                "lost_reason": reason,
                "date_confirmed": fields.Date.context_today(self),
            }
        )
        return True

    def action_view_customer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # W3: a new confirmed order ends the open warning
    # ------------------------------------------------------------------

    @api.model
    def _resolve_by_orders(self, orders):
        customers = orders.partner_id.commercial_partner_id
        warnings = self.search(
            [("partner_id", "in", customers.ids), ("state", "in", ACTIVE_STATES)]
        )
        if not warnings:
            return warnings
        latest_order = {}
        for order in orders.sorted(lambda order: (order.date_order, order.id)):
            latest_order[order.partner_id.commercial_partner_id.id] = order
        today = fields.Date.context_today(self)
        warnings_by_order = defaultdict(lambda: self.browse())
        for warning in warnings:
            warnings_by_order[latest_order[warning.partner_id.id]] |= warning
        bodies = {}
        for order, order_warnings in warnings_by_order.items():
            order_warnings._guarded_write(
                {
                    "state": "resolved",
                    "date_resolved": today,
                    "resolved_order_id": order.id,
                }
            )
            for warning in order_warnings:
                bodies[warning.id] = self.env._(
                    "The customer ordered again: the confirmed order %s ended "
                    "this churn warning.",
                    order._get_html_link(),
                )
        warnings._message_log_batch(
            bodies=bodies, author_id=self.env.user.partner_id.id
        )
        return warnings

    # ------------------------------------------------------------------
    # W1: scheduled detection
    # ------------------------------------------------------------------

    @api.model
    def _churn_rule_settings(self, today):
        """One row of settings per company, for the detection query."""
        rows = []
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            rows.append(
                SQL(
                    "(%s, %s::date, %s, %s, %s::numeric, %s)",
                    company.id,
                    today - relativedelta(months=company.churn_threshold_months),
                    company.churn_threshold_months,
                    company.churn_cycle_rule,
                    company.churn_cycle_factor,
                    company.churn_cycle_min_orders,
                )
            )
        return SQL(", ").join(rows)

    @api.model
    def _churn_candidates_sql(self, today, settings):
        """FROM/WHERE of the detection: customers (commercial partners with
        confirmed orders, neither archived nor lost) without an order for more
        than their company's threshold, or overdue against their own buying
        cycle, and without an open or postponed warning. Reads only the order
        statistics kept on the customers, never the orders."""
        return SQL(
            """
              FROM res_partner p
              JOIN (VALUES %(settings)s) AS s (
                       company_id, threshold_date, threshold_months,
                       cycle_rule, cycle_factor, cycle_min_orders)
                ON s.company_id = COALESCE(p.company_id, %(company)s)
             WHERE p.last_order_date IS NOT NULL
               AND p.commercial_partner_id = p.id
               AND p.active
               AND p.churn_lost IS NOT TRUE
               AND (p.last_order_date < s.threshold_date
                    OR (s.cycle_rule
                        AND p.churn_purchase_count >= s.cycle_min_orders
                        AND %(today)s::date - p.last_order_date
                            > s.cycle_factor * p.churn_median_interval))
               AND NOT EXISTS (
                       SELECT 1 FROM crm_churn_warning w
                        WHERE w.partner_id = p.id
                          AND w.state IN ('open', 'postponed'))
            """,
            settings=settings,
            company=self.env.company.id,
            today=today,
        )

    @api.model
    def _cron_create_churn_warnings(self, batch_size=50000):
        """Raise a warning for each customer that has not ordered for more
        than its company's threshold, or that is overdue against its own
        buying cycle (W1). Set-based: one query finds the customers, then one
        INSERT ... SELECT per batch of them creates the warnings. At most one
        open warning per customer (anti-join, and the partial unique index
        against concurrent runs), so the job is safe to rerun. Sales managers
        get a digest of the new warnings.

        The batches are not committed one by one: the candidates live in a
        temporary table dropped at commit, and the job is fast (one
        statement per batch); a failed run leaves nothing and is rerun."""
        # Server (UTC) day, like the last order dates taken from date_order.
        today = fields.Date.today()
        now = fields.Datetime.now()
        count = self._churn_select_candidates(today)
        created_ids = []
        per_manager = Counter()
        for start in range(0, count, batch_size):
            for warning_id, user_id in self._churn_insert_batch(
                start, start + batch_size, now
            ):
                created_ids.append(warning_id)
                per_manager[user_id] += 1
            self.env["ir.cron"]._notify_progress(
                done=min(start + batch_size, count),
                remaining=max(count - start - batch_size, 0),
            )
        self.env.cr.execute(SQL("DROP TABLE crm_churn_detection"))
        warnings = self.browse(created_ids)
        _logger.info("Churn warnings: %s new", len(warnings))
        if warnings:
            # The chatter was written with the warnings (_churn_insert_batch).
            self.env["mail.followers"].invalidate_model()
            self.env["mail.message"].invalidate_model()
            warnings.invalidate_recordset(["message_ids", "message_follower_ids"])
            warnings._send_digest(per_manager)
        return warnings

    @api.model
    def _churn_select_candidates(self, today):
        """Find the customers to warn and what each warning will state, into
        the temporary table crm_churn_detection numbered in customer order;
        returns their number."""
        self.env["res.partner"].flush_model(
            [
                "active",
                "commercial_partner_id",
                "company_id",
                "user_id",
                "last_order_date",
                "churn_lost",
                "churn_purchase_count",
                "churn_median_interval",
            ]
        )
        self.flush_model()
        # One query finds the customers and what each warning will state,
        # into a temporary table numbered in customer order...
        self.env.cr.execute(SQL("DROP TABLE IF EXISTS crm_churn_detection"))
        self.env.cr.execute(
            SQL(
                """
                CREATE TEMPORARY TABLE crm_churn_detection ON COMMIT DROP AS
                SELECT ROW_NUMBER() OVER (ORDER BY p.id) AS seq,
                       p.id AS partner_id, p.user_id, p.company_id,
                       CASE WHEN p.last_order_date < s.threshold_date
                            THEN 'threshold' ELSE 'buying_cycle' END
                           AS trigger_rule,
                       p.last_order_date,
                       %(today)s::date - p.last_order_date AS days_without_order,
                       s.threshold_months,
                       p.churn_purchase_count AS purchase_count,
                       p.churn_median_interval AS median_interval
                %(candidates)s
                """,
                today=today,
                candidates=self._churn_candidates_sql(
                    today, self._churn_rule_settings(today)
                ),
            )
        )
        return self.env.cr.rowcount

    @api.model
    def _churn_insert_batch(self, start, stop, now):
        """Insert the warnings of the candidates numbered ``start`` (excluded)
        to ``stop``, without a second look at the customers; the unique index
        settles concurrent runs. In the same statement, from the inserted
        rows, their chatter: the customer manager follows each warning (with
        the model's default subtypes, so that he hears of what is posted on
        it) and its chatter opens with why it was raised (the ORM would cost
        milliseconds per warning). Returns (warning id, customer manager id)
        rows."""
        subtypes = self.env["mail.message.subtype"].default_subtypes(self._name)[0]
        self.env.cr.execute(
            SQL(
                """
                WITH warning AS (
                    INSERT INTO crm_churn_warning (
                        partner_id, user_id, company_id, trigger_rule,
                        last_order_date, days_without_order, threshold_months,
                        purchase_count, median_interval,
                        state, create_uid, create_date, write_uid, write_date)
                    SELECT partner_id, user_id, company_id, trigger_rule,
                           last_order_date, days_without_order, threshold_months,
                           purchase_count, median_interval,
                           'open', %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM crm_churn_detection
                     WHERE seq > %(start)s AND seq <= %(stop)s
                    ON CONFLICT (partner_id) WHERE state IN ('open', 'postponed')
                    DO NOTHING
                    RETURNING id, user_id, trigger_rule, days_without_order,
                              threshold_months, median_interval
                ), follower AS (
                    INSERT INTO mail_followers (res_model, res_id, partner_id)
                    SELECT %(model)s, w.id, u.partner_id
                      FROM warning w
                      JOIN res_users u ON u.id = w.user_id
                    ON CONFLICT DO NOTHING
                    RETURNING id
                ), follower_subtype AS (
                    INSERT INTO mail_followers_mail_message_subtype_rel
                           (mail_followers_id, mail_message_subtype_id)
                    SELECT f.id, s.id
                      FROM follower f
                     CROSS JOIN unnest(%(subtypes)s::int4[]) AS s(id)
                ), message AS (
                    INSERT INTO mail_message
                           (model, res_id, message_type, subtype_id, is_internal,
                            author_id, body, date,
                            create_uid, create_date, write_uid, write_date)
                    SELECT %(model)s, w.id, 'notification', %(note)s, TRUE,
                           %(author)s, %(body)s, %(now)s,
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM warning w
                )
                SELECT id, user_id FROM warning ORDER BY id
                """,
                model=self._name,
                subtypes=subtypes.ids,
                note=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                author=self.env.user.partner_id.id,
                body=self._churn_note_body_sql(),
                uid=self.env.uid,
                now=now,
                start=start,
                stop=stop,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _churn_note_body_sql(self):
        """SQL expression of the opening note of the inserted warning ``w``:
        the same body as ``_churn_note_body`` renders in Python, in the
        language of the environment. The note is translated once per rule
        with placeholders, and the warning's figures are set in SQL."""
        fields_sql = {
            # format(round(x, 1), "g") as _compute_reason writes it: 32.0
            # reads "32", 32.5 stays "32.5" (the median, a multiple of 0.5,
            # is far below the 6 significant digits of "g").
            "interval": SQL(
                "trim_scale(round(COALESCE(w.median_interval, 0)::numeric, 1))::text"
            ),
            "days": SQL("COALESCE(w.days_without_order, 0)::text"),
            "months": SQL("COALESCE(w.threshold_months, 0)::text"),
        }

        def body(trigger_rule):
            parts = note_parts(
                lambda **values: self._churn_note_body(trigger_rule, **values),
                fields_sql,
            )
            return SQL(
                "concat(%s)",
                SQL(", ").join(
                    SQL("%s", part) if index % 2 == 0 else fields_sql[part]
                    for index, part in enumerate(parts)
                ),
            )

        return SQL(
            "CASE WHEN w.trigger_rule = 'buying_cycle' THEN %s ELSE %s END",
            body("buying_cycle"),
            body("threshold"),
        )

    @api.model
    def _churn_note_body(self, trigger_rule, interval, days, months):
        """The opening note of a warning raised by the scheduled action."""
        return str(
            Markup("<p>%s</p>")
            % self.env._(
                "Churn warning raised: %s.",
                self._reason_text(trigger_rule, interval, days, months),
            )
        )

    def _send_digest(self, per_manager):
        """Tell the sales managers 销售主管 which customers were newly
        warned: one message per language, sent to all of them."""
        managers = (
            self.env.ref("crm_custom.group_sales_manager")
            .sudo()
            .users.filtered(lambda user: user.active and not user.share)
        )
        by_lang = defaultdict(lambda: self.env["res.partner"])
        for manager in managers:
            by_lang[manager.lang or "en_US"] |= manager.partner_id
        for lang, recipients in by_lang.items():
            self.with_context(lang=lang)._send_digest_to(recipients, per_manager)

    def _send_digest_to(self, recipients, per_manager):
        no_manager = self.env._("No customer manager")
        # One prefetch for all the managers' names.
        users = self.env["res.users"].sudo().browse(uid for uid in per_manager if uid)
        names = {user.id: user.display_name for user in users}
        counts = sorted(
            (names.get(uid, no_manager), count) for uid, count in per_manager.items()
        )
        # A fresh browse: a slice would prefetch all the new warnings.
        lines = self.browse(self.ids[:DIGEST_MAX_LINES])
        action = self.env.ref("crm_custom.action_crm_churn_warning")
        body = self.env["ir.qweb"]._render(
            "crm_custom.churn_warning_digest",
            {
                "count": len(self),
                "counts": counts,
                "warnings": lines,
                "more": len(self) - len(lines),
                "url": f"/odoo/action-{action.id}",
            },
        )
        self.env["mail.thread"].message_notify(
            subject=self.env._("%s new churn warnings", len(self)),
            body=body,
            partner_ids=recipients.ids,
            notify_author=True,
        )
