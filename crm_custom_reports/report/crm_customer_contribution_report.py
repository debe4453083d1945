from odoo import fields, models
from odoo.tools import SQL

from .crm_analysis_mixin import SALES_TO_DATE


class CrmCustomerContributionReport(models.Model):
    """R1 客户贡献分析: confirmed sales per customer company and month, in
    company currency, largest first.

    Reads the monthly sales summary (crm.customer.sales.month, see there why)
    instead of the orders, and its roll-up to date for grouped reads without
    period (the default pivot: to date, per customer manager, then per
    customer). The customer manager is the customer's current
    owner, so that a customer manager sees the whole history of the
    customers he owns now and nothing of the ones he lost; the salesperson of
    the orders is kept apart."""

    _name = "crm.customer.contribution.report"
    _inherit = ["crm.analysis.mixin"]
    _description = "Customer Contribution Analysis"
    _auto = False
    _rec_name = "partner_id"
    _order = "amount desc, id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Customer Manager", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(
        string="Month", readonly=True, help="First day of the month of the orders."
    )
    order_count = fields.Integer(string="Orders", readonly=True)
    amount = fields.Monetary(
        readonly=True,
        help="Untaxed amount of the confirmed orders, in company currency.",
    )

    month_count = fields.Integer(string="Months", readonly=True)

    # Grouped reads without period or row read the sales to date
    # (crm.analysis.mixin).
    _sales_period_fields = ("date", "id")

    @property
    def _table_query(self):
        # LEFT JOINs on primary keys: PostgreSQL drops them when a query does
        # not use their columns.
        if self.env.context.get(SALES_TO_DATE):
            return SQL(
                """
                SELECT t.id AS id,
                       t.partner_id AS partner_id,
                       p.user_id AS user_id,
                       t.user_id AS salesperson_id,
                       t.company_id AS company_id,
                       c.currency_id AS currency_id,
                       NULL::date AS date,
                       t.order_count AS order_count,
                       t.amount AS amount,
                       t.month_count AS month_count
                  FROM crm_customer_sales_total t
                  LEFT JOIN res_partner p ON p.id = t.partner_id
                  LEFT JOIN res_company c ON c.id = t.company_id
                """
            )
        return SQL(
            """
            SELECT s.id AS id,
                   s.partner_id AS partner_id,
                   p.user_id AS user_id,
                   s.user_id AS salesperson_id,
                   s.company_id AS company_id,
                   c.currency_id AS currency_id,
                   s.month AS date,
                   s.order_count AS order_count,
                   s.amount AS amount,
                   1 AS month_count
              FROM crm_customer_sales_month s
              LEFT JOIN res_partner p ON p.id = s.partner_id
              LEFT JOIN res_company c ON c.id = s.company_id
            """
        )

    def _drilldown_action(self):
        """The confirmed orders behind these rows; the customers for users
        who may not read orders (executives)."""
        if not self.env["sale.order"].has_access("read"):
            return self.partner_id._crm_reports_open_customers()
        self.env["sale.order"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT so.id
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                  JOIN crm_customer_sales_month s
                    ON s.partner_id = p.commercial_partner_id
                   AND s.company_id = so.company_id
                   AND s.user_id IS NOT DISTINCT FROM so.user_id
                   AND s.month = date_trunc('month', so.date_order)::date
                 WHERE so.state = 'sale' AND s.id = ANY(%s)
                """,
                self.ids,
            )
        )
        order_ids = [row[0] for row in self.env.cr.fetchall()]
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action.update(
            {
                "domain": [("id", "in", order_ids)],
                "context": {"create": False},
                "name": self.env._("Confirmed Orders"),
            }
        )
        return action
