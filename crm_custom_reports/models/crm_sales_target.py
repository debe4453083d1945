from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


class CrmSalesTarget(models.Model):
    """业绩目标 (R8): the sales amount (company currency) and the new
    customers a customer manager or a sales team should reach in a month, a
    quarter or a year. Entered by sales managers; the actual figures come
    from the target-vs-actual analysis (crm.sales.target.report)."""

    _name = "crm.sales.target"
    _description = "Sales Target"
    _order = "date_start desc, period_type, user_id, team_id, id"

    target_type = fields.Selection(
        [("user", "Customer Manager"), ("team", "Sales Team")],
        string="Target For",
        required=True,
        default="user",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Customer Manager",
        index=True,
        ondelete="cascade",
        domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", index=True, ondelete="cascade"
    )
    period_type = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
        required=True,
        default="month",
    )
    date_start = fields.Date(
        string="Period Start",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="First day of the month, quarter or year.",
    )
    date_end = fields.Date(
        string="Period End",
        compute="_compute_date_end",
        store=True,
        help="Last day of the period.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_target = fields.Monetary(
        string="Sales Target",
        help="Untaxed amount of confirmed orders to reach, in company currency.",
    )
    new_customer_target = fields.Integer(
        string="New Customers Target",
        help="Customers whose first confirmed order falls in the period.",
    )
    amount_actual = fields.Monetary(
        string="Sales Amount", compute="_compute_actual", compute_sudo=True
    )
    new_customer_actual = fields.Integer(
        string="New Customers", compute="_compute_actual", compute_sudo=True
    )
    amount_rate = fields.Float(
        string="Completion (%)",
        compute="_compute_actual",
        compute_sudo=True,
        digits=(16, 1),
    )
    new_customer_rate = fields.Float(
        string="New Customers Completion (%)",
        compute="_compute_actual",
        compute_sudo=True,
        digits=(16, 1),
    )

    _sql_constraints = [
        (
            "target_unique",
            "UNIQUE NULLS NOT DISTINCT "
            "(company_id, user_id, team_id, period_type, date_start)",
            "There is already a target for this customer manager or team "
            "and period.",
        ),
        (
            "target_positive",
            "CHECK (COALESCE(amount_target, 0) >= 0 "
            "AND COALESCE(new_customer_target, 0) >= 0)",
            "Targets cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    @api.depends("period_type", "date_start")
    def _compute_date_end(self):
        for target in self:
            if target.date_start and target.period_type:
                target.date_end = (
                    target.date_start
                    + relativedelta(months=PERIOD_MONTHS[target.period_type])
                    - relativedelta(days=1)
                )
            else:
                target.date_end = False

    @api.depends("user_id", "team_id", "date_start", "period_type", "company_id")
    def _compute_actual(self):
        stored = self.filtered("id")
        actuals = {}
        if stored:
            self.flush_model()
            Report = self.env["crm.sales.target.report"].sudo()
            for row in Report.search_read(
                [("target_id", "in", stored.ids)],
                ["target_id", "amount_actual", "new_customer_actual"],
                load=None,
            ):
                actuals[row["target_id"]] = row
        for target in self:
            row = actuals.get(target.id, {})
            target.amount_actual = row.get("amount_actual", 0.0)
            target.new_customer_actual = row.get("new_customer_actual", 0)
            target.amount_rate = (
                target.amount_actual * 100.0 / target.amount_target
                if target.amount_target
                else 0.0
            )
            target.new_customer_rate = (
                target.new_customer_actual * 100.0 / target.new_customer_target
                if target.new_customer_target
                else 0.0
            )

    @api.constrains("target_type", "user_id", "team_id", "period_type", "date_start")
    def _check_period_and_owner(self):
        for target in self:
            if target.target_type == "user" and (not target.user_id or target.team_id):
                raise ValidationError(
                    self.env._("A customer manager target needs a customer manager.")
                )
            if target.target_type == "team" and (not target.team_id or target.user_id):
                raise ValidationError(
                    self.env._("A sales team target needs a sales team.")
                )
            start = target.date_start
            if (
                start.day != 1
                or (target.period_type == "quarter" and (start.month - 1) % 3)
                or (target.period_type == "year" and start.month != 1)
            ):
                raise ValidationError(
                    self.env._(
                        "The period of a target starts on the first day of its "
                        "month, quarter or year (%(date)s is not).",
                        date=start,
                    )
                )

    @api.onchange("target_type")
    def _onchange_target_type(self):
        if self.target_type == "user":
            self.team_id = False
        else:
            self.user_id = False

    @api.onchange("period_type", "date_start")
    def _onchange_period_start(self):
        """Move the start to the first day of its period."""
        if self.date_start and self.period_type:
            self.date_start = self._period_start(self.date_start, self.period_type)

    @api.model
    def _period_start(self, day, period_type):
        day = day.replace(day=1)
        if period_type == "quarter":
            return day.replace(month=day.month - (day.month - 1) % 3)
        if period_type == "year":
            return day.replace(month=1)
        return day

    @api.depends("user_id", "team_id", "period_type", "date_start")
    def _compute_display_name(self):
        labels = dict(self._fields["period_type"]._description_selection(self.env))
        for target in self:
            owner = target.user_id or target.team_id
            target.display_name = (
                f"{owner.display_name or ''} {labels.get(target.period_type, '')} "
                f"{target.date_start or ''}"
            ).strip()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_manager(self):
        """Only who may create targets (sales managers) copies or spreads."""
        self.browse().check_access("create")

    def action_copy_next_period(self):
        """复制上期: copy the selected targets to the period that follows
        each of them (existing targets of that period are left as they are)."""
        self._check_manager()
        if not self:
            raise UserError(self.env._("Select the targets of the last period."))
        keys = {
            (t.company_id.id, t.user_id.id, t.team_id.id, t.period_type, t.date_start)
            for t in self.search([])
        }
        vals_list = []
        for target in self:
            start = target.date_start + relativedelta(
                months=PERIOD_MONTHS[target.period_type]
            )
            key = (
                target.company_id.id,
                target.user_id.id,
                target.team_id.id,
                target.period_type,
                start,
            )
            if key in keys:
                continue
            keys.add(key)
            vals_list.append(
                {
                    "target_type": target.target_type,
                    "user_id": target.user_id.id,
                    "team_id": target.team_id.id,
                    "period_type": target.period_type,
                    "date_start": start,
                    "company_id": target.company_id.id,
                    "amount_target": target.amount_target,
                    "new_customer_target": target.new_customer_target,
                }
            )
        created = self.create(vals_list)
        return self._action_show(created or self)

    def action_spread_year(self):
        """分解到月: spread yearly targets evenly over their twelve months
        (the amount's rounding goes to December, the remaining customers to
        the first months); months already set are kept."""
        self._check_manager()
        years = self.filtered(lambda t: t.period_type == "year")
        if not years or years != self:
            raise UserError(self.env._("Select yearly targets to spread over months."))
        existing = {
            (t.company_id.id, t.user_id.id, t.team_id.id, t.date_start)
            for t in self.search(
                [
                    ("period_type", "=", "month"),
                    ("date_start", ">=", min(years.mapped("date_start"))),
                    ("date_start", "<=", max(years.mapped("date_end"))),
                ]
            )
        }
        vals_list = []
        for target in years:
            digits = target.currency_id.decimal_places
            monthly = float_round(target.amount_target / 12, precision_digits=digits)
            customers, extra = divmod(target.new_customer_target, 12)
            for index in range(12):
                start = target.date_start + relativedelta(months=index)
                key = (
                    target.company_id.id,
                    target.user_id.id,
                    target.team_id.id,
                    start,
                )
                if key in existing:
                    continue
                last = index == 11
                vals_list.append(
                    {
                        "target_type": target.target_type,
                        "user_id": target.user_id.id,
                        "team_id": target.team_id.id,
                        "period_type": "month",
                        "date_start": start,
                        "company_id": target.company_id.id,
                        "amount_target": target.amount_target - monthly * 11
                        if last
                        else monthly,
                        "new_customer_target": customers + (index < extra),
                    }
                )
        return self._action_show(self.create(vals_list) or self)

    def _action_show(self, targets):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom_reports.action_crm_sales_target"
        )
        action["domain"] = [("id", "in", targets.ids)]
        return action
