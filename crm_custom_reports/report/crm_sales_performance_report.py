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

    kind = fields.Selection(
        [("sale", "Sales"), ("opportunity", "Opportunity")], readonly=True
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

    month_count = fields.Integer(string="Months", readonly=True)

    # Grouped reads without period or row read the sales to date
    # (crm.analysis.mixin); opportunity rows are the same either way.
    _sales_period_fields = ("date", "id")
    _sales_free_fields = ("opportunity_count", "won_count", "conversion_rate")

    @property
    def _table_query(self):
        if self.env.context.get(SALES_TO_DATE):
            sales = SQL(
                """
                SELECT t.id * 2 AS id, t.user_id, t.company_id, t.partner_id,
                       NULL::date AS date, t.amount, t.order_count,
                       t.month_count
                  FROM crm_customer_sales_total t
                """
            )
        else:
            sales = SQL(
                """
                SELECT s.id * 2 AS id, s.user_id, s.company_id, s.partner_id,
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
                   s.month_count AS month_count
              FROM (%s) s
              LEFT JOIN res_company c ON c.id = s.company_id
            UNION ALL
            SELECT l.id * 2 + 1 AS id,
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
                   1 AS month_count
              FROM crm_lead l
              LEFT JOIN res_company c ON c.id = l.company_id
             WHERE l.type = 'opportunity' AND l.user_id IS NOT NULL
            """,
            sales,
        )

    def _drilldown_action(self):
        """The confirmed orders behind sales rows, else the opportunities."""
        sales = self.filtered(lambda row: row.kind == "sale")
        if sales:
            months = self.env["crm.customer.contribution.report"].browse(
                [row.id // 2 for row in sales]
            )
            return months._drilldown_action()
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
