from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        """C11: once the delivery completes a customer order, plan the
        optional follow-up visit 回访 for the customer's manager."""
        orders = self.sale_id.filtered(lambda order: order.delivery_status != "full")
        res = super()._action_done()
        days = self.env["crm.care.date"]._care_followup_days("delivery")
        if days is None:
            return res
        delivered = orders.filtered(lambda order: order.delivery_status == "full")
        if delivered:
            self.env["crm.care.date"]._care_plan_followups(
                [
                    (
                        order.partner_id.commercial_partner_id,
                        days,
                        self.env._("Follow-up visit: order %s delivered", order.name),
                        order.user_id,
                    )
                    for order in delivered
                ]
            )
        return res
