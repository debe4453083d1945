from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        result = super().action_confirm()
        self._churn_orders_changed(confirmed=True)
        # the recycle date depends on the last order date updated above
        self.partner_id._pool_refresh_recycle_dates()
        return result

    def _action_cancel(self):
        # Only orders that were confirmed counted in the customer's history.
        counted = self.filtered(lambda order: order.state == "sale")
        result = super()._action_cancel()
        counted._churn_orders_changed()
        self.partner_id._pool_refresh_recycle_dates()
        return result

    def write(self, vals):
        # A confirmed order moved to another customer or date changes the
        # history of the customers involved.
        counted = self.browse()
        if "partner_id" in vals or "date_order" in vals:
            counted = self.filtered(lambda order: order.state == "sale")
        before = counted.partner_id.commercial_partner_id
        result = super().write(vals)
        if counted:
            customers = before | counted.partner_id.commercial_partner_id
            customers.sudo()._churn_refresh_order_stats()
        return result

    def _churn_orders_changed(self, confirmed=False):
        """Keep the customers' last order date and buying cycle up to date
        (one grouped query for the whole batch of orders) and, for newly
        confirmed orders, end their open churn warnings (W3) and clear their
        lost mark. These are consequences of the sale, not edits by the
        salesperson, hence sudo."""
        customers = self.partner_id.commercial_partner_id
        if not customers:
            return
        customers.sudo()._churn_refresh_order_stats()
        if confirmed:
            self.env["crm.churn.warning"].sudo()._resolve_by_orders(self)
            customers.sudo().filtered("churn_lost").write({"churn_lost": False})
