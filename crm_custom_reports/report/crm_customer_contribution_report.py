from odoo import fields, models
from odoo.tools import SQL


class CrmCustomerContributionReport(models.Model):
    """R1 客户贡献分析: confirmed order amounts per customer company and date,
    in company currency."""

    _name = "crm.customer.contribution.report"
    _description = "Customer Contribution Analysis"
    _auto = False
    _rec_name = "partner_id"
    _order = "amount desc"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Customer Manager", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(string="Order Date", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    amount = fields.Monetary(readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT so.id AS id,
                   COALESCE(p.commercial_partner_id, p.id) AS partner_id,
                   so.user_id AS user_id,
                   so.company_id AS company_id,
                   c.currency_id AS currency_id,
                   so.date_order::date AS date,
                   1 AS order_count,
                   so.amount_untaxed
                       / COALESCE(NULLIF(so.currency_rate, 0), 1.0) AS amount
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
              JOIN res_company c ON c.id = so.company_id
             WHERE so.state = 'sale'
            """
        )
