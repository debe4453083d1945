from odoo import fields, models
from odoo.tools import SQL

RATING_SELECTION = [
    ("0", "Not Rated"),
    ("1", "One Star"),
    ("2", "Two Stars"),
    ("3", "Three Stars"),
]


class CrmCustomerValueReport(models.Model):
    """R5 客户价值/来源/区域统计: the customers by value (level, rating and
    what they bought), by source and by region. One row per active customer
    company with its confirmed sales to date, in company currency, taken
    from the sales summary to date (crm.customer.sales.total), about one
    row per customer: no order is read."""

    _name = "crm.customer.value.report"
    _inherit = ["crm.analysis.mixin"]
    _description = "Customer Value, Source and Region Statistics"
    _auto = False
    _rec_name = "partner_id"
    _order = "amount desc, id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Customer Manager", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(string="Customer Since", readonly=True)
    customer_level_id = fields.Many2one("crm.dictionary.item", readonly=True)
    rating = fields.Selection(RATING_SELECTION, readonly=True)
    customer_source_id = fields.Many2one(
        "crm.dictionary.item", string="Source", readonly=True
    )
    region_id = fields.Many2one("crm.dictionary.item", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Province", readonly=True)
    industry_id = fields.Many2one("res.partner.industry", readonly=True)
    company_nature_id = fields.Many2one("crm.dictionary.item", readonly=True)
    annual_revenue_id = fields.Many2one("crm.dictionary.item", readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    share = fields.Float(
        string="Share (%)",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="Share of the customers shown (with the current filters).",
    )
    order_count = fields.Integer(string="Orders", readonly=True)
    amount = fields.Monetary(
        string="Sales",
        readonly=True,
        help="Untaxed amount of all confirmed orders, in company currency.",
    )
    amount_avg = fields.Monetary(
        string="Average Sales per Customer", readonly=True, aggregator="avg"
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT p.id AS id,
                   p.id AS partner_id,
                   p.user_id AS user_id,
                   p.company_id AS company_id,
                   COALESCE(
                       pc.currency_id,
                       (SELECT currency_id FROM res_company ORDER BY id LIMIT 1)
                   ) AS currency_id,
                   p.create_date::date AS date,
                   p.customer_level_id AS customer_level_id,
                   COALESCE(p.rating, '0') AS rating,
                   p.customer_source_id AS customer_source_id,
                   p.region_id AS region_id,
                   p.state_id AS state_id,
                   p.industry_id AS industry_id,
                   p.company_nature_id AS company_nature_id,
                   p.annual_revenue_id AS annual_revenue_id,
                   1 AS customer_count,
                   NULL::float AS share,
                   COALESCE(v.order_count, 0) AS order_count,
                   COALESCE(v.amount, 0.0) AS amount,
                   COALESCE(v.amount, 0.0) AS amount_avg
              FROM res_partner p
              LEFT JOIN (
                    SELECT partner_id,
                           SUM(amount) AS amount,
                           SUM(order_count) AS order_count
                      FROM crm_customer_sales_total
                     GROUP BY partner_id
                   ) v ON v.partner_id = p.id
              LEFT JOIN res_company pc ON pc.id = p.company_id
             WHERE p.active AND p.is_company AND p.customer_rank > 0
            """
        )

    def _drilldown_action(self):
        return self.partner_id._crm_reports_open_customers()
