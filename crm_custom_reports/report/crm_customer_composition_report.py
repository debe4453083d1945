from odoo import fields, models
from odoo.tools import SQL

# Credit rating 信用度 and satisfaction 满意度 of customers: 1 to 5, 0 when not
# rated yet (crm_custom's res.partner).
SCORE_SELECTION = [
    ("0", "Not Rated"),
    ("1", "1"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5"),
]


class CrmCustomerCompositionReport(models.Model):
    """R2 客户构成分析: the customers by level, credit rating and
    satisfaction, with their count and share. One row per active customer
    company; the share is computed per group (crm.analysis.mixin)."""

    _name = "crm.customer.composition.report"
    _inherit = ["crm.analysis.mixin"]
    _description = "Customer Composition Analysis"
    _auto = False
    _rec_name = "partner_id"
    _order = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Customer Manager", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    customer_level_id = fields.Many2one("crm.dictionary.item", readonly=True)
    credit_rating = fields.Selection(SCORE_SELECTION, readonly=True)
    satisfaction = fields.Selection(SCORE_SELECTION, readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    share = fields.Float(
        string="Share (%)",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="Share of the customers shown (with the current filters).",
    )

    def init(self):
        # Customer managers read the rows of their customers (record rule on
        # the customer's manager, here and in the contribution and value
        # analyses): crm_custom's index on the owner serves them. This index
        # was the same one again, a cost on every write of a partner.
        self.env.cr.execute(
            SQL("DROP INDEX IF EXISTS res_partner_crm_reports_user_id_idx")
        )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT p.id AS id,
                   p.id AS partner_id,
                   p.user_id AS user_id,
                   p.company_id AS company_id,
                   p.customer_level_id AS customer_level_id,
                   COALESCE(p.credit_rating, 0)::varchar AS credit_rating,
                   COALESCE(p.satisfaction, 0)::varchar AS satisfaction,
                   1 AS customer_count,
                   NULL::float AS share
              FROM res_partner p
             WHERE p.active AND p.is_company AND p.customer_rank > 0
            """
        )

    def _drilldown_action(self):
        return self.partner_id._crm_reports_open_customers()
