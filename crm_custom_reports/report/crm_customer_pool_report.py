from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_custom.models.crm_customer_ownership_log import OWNERSHIP_METHODS

# The salesperson an ownership change concerns.
SALESPERSON_EXPRESSION = (
    "CASE WHEN g.method IN ('claim', 'assign') THEN g.to_user_id"
    " ELSE g.from_user_id END"
)


class CrmCustomerPoolReport(models.Model):
    """Customer pool statistics 客户池统计: claims 领取, assignments 分配,
    recycles 回收 and releases per salesperson and period, from the ownership
    history. The salesperson of a row is the one the change concerns: the
    new owner of a claim or an assignment, the previous owner of a recycle
    or a release."""

    _name = "crm.customer.pool.report"
    _inherit = ["crm.analysis.mixin"]
    _description = "Customer Pool Statistics"
    _auto = False
    _rec_name = "partner_id"
    _order = "date desc, id desc"

    log_id = fields.Many2one(
        "crm.customer.ownership.log", string="Ownership Change", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    done_by_id = fields.Many2one("res.users", readonly=True)
    from_user_id = fields.Many2one("res.users", string="From", readonly=True)
    to_user_id = fields.Many2one("res.users", string="To", readonly=True)
    pool_id = fields.Many2one("crm.customer.pool", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    method = fields.Selection(OWNERSHIP_METHODS, string="How", readonly=True)
    date = fields.Date(readonly=True)
    claim_count = fields.Integer(string="Claims", readonly=True)
    assign_count = fields.Integer(string="Assignments", readonly=True)
    recycle_count = fields.Integer(string="Recycles", readonly=True)
    put_count = fields.Integer(string="Put into Pool", readonly=True)

    def init(self):
        # The salesperson of a row is an expression: index it, so that the
        # record rule of customer managers finds their rows and the planner
        # knows how many salespeople there are (grouping by it).
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS crm_customer_ownership_log_salesperson_idx"
                " ON crm_customer_ownership_log ((%s))",
                SQL(SALESPERSON_EXPRESSION.replace("g.", "")),
            )
        )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT g.id AS id,
                   g.id AS log_id,
                   g.partner_id AS partner_id,
                   %s AS user_id,
                   g.user_id AS done_by_id,
                   g.from_user_id AS from_user_id,
                   g.to_user_id AS to_user_id,
                   g.pool_id AS pool_id,
                   g.company_id AS company_id,
                   g.method AS method,
                   g.date::date AS date,
                   (g.method = 'claim')::int AS claim_count,
                   (g.method = 'assign')::int AS assign_count,
                   (g.method = 'recycle')::int AS recycle_count,
                   (g.method = 'put')::int AS put_count
              FROM crm_customer_ownership_log g
            """,
            SQL(SALESPERSON_EXPRESSION),
        )

    def _drilldown_action(self):
        return self.partner_id._crm_reports_open_customers()
