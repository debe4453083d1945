from odoo import fields, models
from odoo.tools import SQL

PERIOD_INTERVALS = {"month": "1 month", "quarter": "3 months", "year": "1 year"}


class CrmSalesTargetReport(models.Model):
    """R8 目标完成情况: each sales target with the actual figures of its
    period, from the customers' monthly sales (crm.customer.sales.month):

    - sales amount: untaxed confirmed sales of the period, in company
      currency, of the customer manager (the order's salesperson), or of
      the current members of the sales team;
    - new customers: customers whose first confirmed order (in the
      company) falls in the period, counted for the salespeople who sold to
      them in that first month.

    Completion rates are computed by the grouped query itself (actual over
    target of the rows in the group), so that totals are right."""

    _name = "crm.sales.target.report"
    _inherit = ["crm.analysis.mixin"]
    _description = "Sales Target Analysis"
    _auto = False
    _rec_name = "target_id"
    _order = "date desc, id desc"
    # Flushed before the view is read.
    _depends = {
        "crm.sales.target": [
            "target_type",
            "user_id",
            "team_id",
            "period_type",
            "date_start",
            "date_end",
            "company_id",
            "amount_target",
            "new_customer_target",
        ],
        "crm.team.member": ["crm_team_id", "user_id", "active"],
    }

    target_id = fields.Many2one("crm.sales.target", readonly=True)
    target_type = fields.Selection(
        [("user", "Customer Manager"), ("team", "Sales Team")],
        string="Target For",
        readonly=True,
    )
    user_id = fields.Many2one("res.users", string="Customer Manager", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    period_type = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
        readonly=True,
    )
    date = fields.Date(string="Period", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_target = fields.Monetary(string="Sales Target", readonly=True)
    amount_actual = fields.Monetary(string="Sales Amount", readonly=True)
    amount_rate = fields.Float(
        string="Completion (%)",
        readonly=True,
        digits=(16, 1),
        help="Sales amount over sales target.",
    )
    new_customer_target = fields.Integer(string="New Customers Target", readonly=True)
    new_customer_actual = fields.Integer(string="New Customers", readonly=True)
    new_customer_rate = fields.Float(
        string="New Customers Completion (%)",
        readonly=True,
        digits=(16, 1),
        help="New customers over new customers target.",
    )

    # Ratios of sums (see _read_group_select).
    _ratio_fields = {
        "amount_rate": ("amount_actual", "amount_target"),
        "new_customer_rate": ("new_customer_actual", "new_customer_target"),
    }

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS target_id,
                   t.target_type AS target_type,
                   t.user_id AS user_id,
                   t.team_id AS team_id,
                   t.period_type AS period_type,
                   t.date_start AS date,
                   t.company_id AS company_id,
                   c.currency_id AS currency_id,
                   COALESCE(t.amount_target, 0) AS amount_target,
                   COALESCE(a.amount, 0) AS amount_actual,
                   COALESCE(a.amount, 0) * 100.0
                       / NULLIF(t.amount_target, 0) AS amount_rate,
                   COALESCE(t.new_customer_target, 0) AS new_customer_target,
                   COALESCE(n.customers, 0) AS new_customer_actual,
                   COALESCE(n.customers, 0) * 100.0
                       / NULLIF(t.new_customer_target, 0) AS new_customer_rate
              FROM crm_sales_target t
              JOIN res_company c ON c.id = t.company_id
              CROSS JOIN LATERAL (
                  SELECT CASE WHEN t.target_type = 'team'
                              THEN ARRAY(SELECT m.user_id FROM crm_team_member m
                                          WHERE m.crm_team_id = t.team_id
                                            AND m.active)
                              ELSE ARRAY[t.user_id] END AS user_ids
              ) u
              LEFT JOIN LATERAL (
                  SELECT SUM(s.amount) AS amount
                    FROM crm_customer_sales_month s
                   WHERE s.user_id = ANY(u.user_ids)
                     AND s.company_id = t.company_id
                     AND s.month >= t.date_start AND s.month <= t.date_end
              ) a ON TRUE
              LEFT JOIN LATERAL (
                  SELECT COUNT(DISTINCT s.partner_id) AS customers
                    FROM crm_customer_sales_month s
                   WHERE s.user_id = ANY(u.user_ids)
                     AND s.company_id = t.company_id
                     AND s.month >= t.date_start AND s.month <= t.date_end
                     AND NOT EXISTS (
                         SELECT 1 FROM crm_customer_sales_month e
                          WHERE e.partner_id = s.partner_id
                            AND e.company_id = s.company_id
                            AND e.month < s.month)
              ) n ON TRUE
            """
        )

    def _read_group_select(self, aggregate_spec, query):
        fname = aggregate_spec.split(":")[0]
        if fname in self._ratio_fields:
            actual, target = self._ratio_fields[fname]
            return SQL(
                "SUM(%s) * 100.0 / NULLIF(SUM(%s), 0)",
                self._field_to_sql(self._table, actual, query),
                self._field_to_sql(self._table, target, query),
            )
        return super()._read_group_select(aggregate_spec, query)

    def _drilldown_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom_reports.action_crm_sales_target"
        )
        action["domain"] = [("id", "in", self.target_id.ids)]
        return action
