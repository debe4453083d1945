from odoo import fields, models
from odoo.tools import SQL

from .crm_analysis_mixin import SALES_TO_DATE


class CrmSalesPerformanceReport(models.Model):
    """R6 销售业绩: per customer manager and period, the sales amount, the
    customers won (customers with a confirmed order) and the opportunities
    assigned and won, with the conversion rate.

    Two kinds of rows: the salesperson's monthly sales per customer (from
    the monthly sales summary) and one row per opportunity assigned to a
    customer manager, dated when it was assigned. The conversion rate is
    the average of 100 (won) or 0 over the opportunity rows only (NULL on
    sales rows), i.e. won / assigned in any grouping. Sales come from the
    monthly sales summary, or from its roll-up to date for grouped reads
    without period (the default pivot)."""

    _name = "crm.sales.performance.report"
    _inherit = ["crm.analysis.mixin"]
    _description = "Sales Performance Analysis"
    _auto = False
    _rec_name = "user_id"
    _order = "date desc, id desc"
    # Flushed before the view is read (the sales and leads are flushed by
    # crm.analysis.mixin and the ORM).
    _depends = {
        "crm.sales.target": [
            "target_type",
            "user_id",
            "period_type",
            "date_start",
            "company_id",
            "amount_target",
        ],
    }

    kind = fields.Selection(
        [("sale", "Sales"), ("opportunity", "Opportunity"), ("target", "Target")],
        readonly=True,
    )
    user_id = fields.Many2one("res.users", string="Customer Manager", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(
        string="Period",
        readonly=True,
        help="Month of the orders; day an opportunity was assigned.",
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    amount = fields.Monetary(
        string="Sales Amount",
        readonly=True,
        help="Untaxed amount of the confirmed orders, in company currency.",
    )
    order_count = fields.Integer(string="Orders", readonly=True)
    won_partner_id = fields.Many2one(
        "res.partner",
        string="Customers Won",
        readonly=True,
        help="Customers with a confirmed order in the period (counted once).",
    )
    opportunity_count = fields.Integer(string="Opportunities Assigned", readonly=True)
    won_count = fields.Integer(string="Opportunities Won", readonly=True)
    conversion_rate = fields.Float(
        string="Conversion Rate (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Opportunities won out of the opportunities assigned.",
    )

    target_id = fields.Many2one("crm.sales.target", readonly=True)
    amount_target = fields.Monetary(
        string="Sales Target",
        readonly=True,
        help="Sales targets (业绩目标) of the customer managers, per month: a "
        "quarterly or yearly target counts for a third or a twelfth in each "
        "of its months that has no finer target.",
    )
    completion_rate = fields.Float(
        string="Completion (%)",
        readonly=True,
        digits=(16, 1),
        help="Sales amount over sales target of the rows in the group.",
    )

    month_count = fields.Integer(string="Months", readonly=True)

    # Grouped reads without period or row read the sales to date
    # (crm.analysis.mixin); opportunity rows are the same either way.
    _sales_period_fields = ("date", "id")
    _sales_free_fields = ("opportunity_count", "won_count", "conversion_rate")

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec.split(":")[0] == "completion_rate":
            return SQL(
                "SUM(%s) * 100.0 / NULLIF(SUM(%s), 0)",
                self._field_to_sql(self._table, "amount", query),
                self._field_to_sql(self._table, "amount_target", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    @property
    def _table_query(self):
        if self.env.context.get(SALES_TO_DATE):
            sales = SQL(
                """
                SELECT t.id * 3 AS id, t.user_id, t.company_id, t.partner_id,
                       NULL::date AS date, t.amount, t.order_count,
                       t.month_count
                  FROM crm_customer_sales_total t
                """
            )
        else:
            sales = SQL(
                """
                SELECT s.id * 3 AS id, s.user_id, s.company_id, s.partner_id,
                       s.month AS date, s.amount, s.order_count,
                       1 AS month_count
                  FROM crm_customer_sales_month s
                """
            )
        return SQL(
            """
            SELECT s.id AS id,
                   'sale' AS kind,
                   s.user_id AS user_id,
                   s.company_id AS company_id,
                   c.currency_id AS currency_id,
                   s.date AS date,
                   s.partner_id AS partner_id,
                   NULL::integer AS lead_id,
                   s.amount AS amount,
                   s.order_count AS order_count,
                   s.partner_id AS won_partner_id,
                   0 AS opportunity_count,
                   0 AS won_count,
                   NULL::float AS conversion_rate,
                   s.month_count AS month_count,
                   NULL::integer AS target_id,
                   0.0 AS amount_target,
                   NULL::float AS completion_rate
              FROM (%s) s
              LEFT JOIN res_company c ON c.id = s.company_id
            UNION ALL
            SELECT l.id * 3 + 1 AS id,
                   'opportunity' AS kind,
                   l.user_id AS user_id,
                   l.company_id AS company_id,
                   c.currency_id AS currency_id,
                   COALESCE(l.date_assigned, l.create_date)::date AS date,
                   l.partner_id AS partner_id,
                   l.id AS lead_id,
                   0.0 AS amount,
                   0 AS order_count,
                   NULL::integer AS won_partner_id,
                   1 AS opportunity_count,
                   CASE WHEN l.development_state = 'success' THEN 1 ELSE 0 END
                       AS won_count,
                   CASE WHEN l.development_state = 'success' THEN 100.0 ELSE 0.0 END
                       AS conversion_rate,
                   1 AS month_count,
                   NULL::integer AS target_id,
                   0.0 AS amount_target,
                   NULL::float AS completion_rate
              FROM crm_lead l
              LEFT JOIN res_company c ON c.id = l.company_id
             WHERE l.type = 'opportunity' AND l.user_id IS NOT NULL
            UNION ALL
            SELECT t.id * 3 + 2 AS id,
                   'target' AS kind,
                   t.user_id AS user_id,
                   t.company_id AS company_id,
                   c.currency_id AS currency_id,
                   t.month AS date,
                   NULL::integer AS partner_id,
                   NULL::integer AS lead_id,
                   0.0 AS amount,
                   0 AS order_count,
                   NULL::integer AS won_partner_id,
                   0 AS opportunity_count,
                   0 AS won_count,
                   NULL::float AS conversion_rate,
                   1 AS month_count,
                   t.target_id AS target_id,
                   t.amount_target AS amount_target,
                   NULL::float AS completion_rate
              FROM (%s) t
              LEFT JOIN res_company c ON c.id = t.company_id
            """,
            sales,
            self._monthly_targets_sql(),
        )

    def _monthly_targets_sql(self):
        """The customer managers' targets per month: each month takes the
        finest target that covers it (month, else quarter / 3, else year /
        12), so that entering a year and spreading it never counts twice.
        One row per customer manager, company and month."""
        return SQL(
            """
            SELECT DISTINCT ON (st.user_id, st.company_id, m.month)
                   (st.id * 12 + m.idx) AS id,
                   st.id AS target_id, st.user_id, st.company_id,
                   m.month::date AS month,
                   COALESCE(st.amount_target, 0) / m.months AS amount_target
              FROM crm_sales_target st
              CROSS JOIN LATERAL (
                  SELECT (st.date_start + make_interval(months => g))::date
                             AS month,
                         g AS idx,
                         CASE st.period_type WHEN 'month' THEN 1
                              WHEN 'quarter' THEN 3 ELSE 12 END AS months
                    FROM generate_series(
                        0, CASE st.period_type WHEN 'month' THEN 0
                                WHEN 'quarter' THEN 2 ELSE 11 END) g
              ) m
             WHERE st.target_type = 'user' AND st.user_id IS NOT NULL
             ORDER BY st.user_id, st.company_id, m.month, m.months
            """
        )

    def _drilldown_action(self):
        """The confirmed orders behind sales rows, else the targets, else
        the opportunities."""
        sales = self.filtered(lambda row: row.kind == "sale")
        if sales:
            months = self.env["crm.customer.contribution.report"].browse(
                [row.id // 3 for row in sales]
            )
            return months._drilldown_action()
        targets = self.filtered(lambda row: row.kind == "target")
        if targets:
            return (
                self.env["crm.sales.target"]
                .browse(targets.target_id.ids)
                ._action_show(targets.target_id)
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm.crm_lead_action_pipeline"
        )
        action.update(
            {
                "domain": [("id", "in", self.lead_id.ids)],
                "context": {"create": False, "active_test": False},
                "view_mode": "list,form",
                "views": [(False, "list"), (False, "form")],
            }
        )
        return action
