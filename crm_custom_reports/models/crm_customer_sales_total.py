from odoo import fields, models
from odoo.tools import SQL


class CrmCustomerSalesTotal(models.Model):
    """Confirmed sales to date of one customer, company and salesperson: the
    roll-up of crm.customer.sales.month over all months, kept with it.

    The default views of the contribution, value and performance analyses
    show figures to date (the user adds periods): read here, they aggregate
    about one row per customer instead of one per order."""

    _name = "crm.customer.sales.total"
    _description = "Customer Sales to Date"
    _log_access = False
    _order = "amount desc, id"

    _inherit = ["crm.customer.sales.summary.mixin"]

    _summary_measures = ("amount", "order_count", "month_count")

    month_count = fields.Integer(
        string="Months",
        readonly=True,
        help="Number of months with sales: the rows of the monthly sales "
        "rolled up here.",
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS crm_customer_sales_total_key"
                " ON crm_customer_sales_total (partner_id, company_id, user_id)"
                " NULLS NOT DISTINCT"
            )
        )
        # Sales performance per salesperson (and its record rule).
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS crm_customer_sales_total_user_idx"
                " ON crm_customer_sales_total (user_id)"
            )
        )
        self.env.cr.execute(SQL("SELECT 1 FROM crm_customer_sales_total LIMIT 1"))
        if not self.env.cr.rowcount:
            # Added after the monthly sales (module update): roll them up.
            SalesMonth = self.env["crm.customer.sales.month"]
            self.env.cr.execute(
                SQL(
                    "INSERT INTO crm_customer_sales_total"
                    " (partner_id, company_id, user_id, amount, order_count,"
                    " month_count) %s",
                    SalesMonth._total_rows_sql(),
                )
            )
