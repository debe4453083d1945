from odoo import api, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        # Orders count for the commercial partner of their customer: moving a
        # contact to another company (or making it one) moves its orders'
        # sales from one customer to the other in the monthly sales.
        moved = {"parent_id", "is_company"}.intersection(vals)
        SalesMonth = self.env["crm.customer.sales.month"]
        if moved:
            SalesMonth._mark_partners(self)
        result = super().write(vals)
        if moved:
            SalesMonth._mark_partners(self)
        return result

    def unlink(self):
        # Merged customers are deleted with their buying months (R9 rates,
        # crm.customer.activity.month); those kept (archived instead of
        # deleted) get theirs back.
        Activity = self.env["crm.customer.activity.month"].sudo()
        ids = self.ids
        Activity._forget_partners(ids)
        result = super().unlink()
        Activity._refresh_partners(self.browse(ids).sudo().exists().ids)
        return result

    @api.model
    def _crm_order_data_ctes(self):
        # X8: the monthly and total sales are order-derived data too,
        # refreshed in the same statement, and with them the buying months
        # of the rates (R9, crm.customer.activity.month).
        return super()._crm_order_data_ctes() + self.env[
            "crm.customer.sales.month"
        ]._refresh_ctes(SQL("SELECT id FROM targets"), orders=SQL("crm_target_orders"))

    @api.model
    def _crm_order_data_refreshed(self, customer_ids):
        result = super()._crm_order_data_refreshed(customer_ids)
        self.env["crm.customer.sales.month"]._invalidate_analyses()
        return result

    def _crm_reports_open_customers(self):
        """Drill-down of the analyses: these customers in the customer
        views."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_customers"
        )
        action.update(
            {
                "name": self.env._("Customers"),
                "domain": [("id", "in", self.ids)],
                "context": {"create": False, "active_test": False},
            }
        )
        return action
