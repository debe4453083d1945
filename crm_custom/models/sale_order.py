from odoo import api, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # A confirmed order changing one of these changes the order-derived data
    # of its customer (X8).
    _CRM_ORDER_DATA_FIELDS = frozenset({"partner_id", "date_order", "company_id"})

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # Orders created confirmed (imports, integrations).
        orders.filtered(
            lambda order: order.state == "sale"
        ).partner_id._crm_refresh_order_data()
        return orders

    def action_confirm(self):
        # The state written by the confirmation refreshes the customers'
        # order data (see write); then the sale ends their churn warnings.
        result = super().action_confirm()
        self._churn_orders_confirmed()
        return result

    def write(self, vals):
        # A confirmed order moved to another customer, date or company, or
        # confirmed or cancelled (state), changes the history of the
        # customers involved: one grouped refresh for the whole batch.
        counted = self.browse()
        if self._CRM_ORDER_DATA_FIELDS.intersection(vals) or "state" in vals:
            counted = self.filtered(lambda order: order.state == "sale")
        before = counted.partner_id
        result = super().write(vals)
        if "state" in vals:
            counted |= self.filtered(lambda order: order.state == "sale")
        if counted:
            (before | counted.partner_id)._crm_refresh_order_data()
        return result

    def unlink(self):
        customers = self.filtered(lambda order: order.state == "sale").partner_id
        result = super().unlink()
        if customers:
            customers._crm_refresh_order_data()
        return result

    def _churn_orders_confirmed(self):
        """Newly confirmed orders end the open churn warnings of their
        customers (W3) and clear their lost mark. These are consequences of
        the sale, not edits by the salesperson, hence sudo."""
        customers = self.partner_id.commercial_partner_id
        if not customers:
            return
        self.env["crm.churn.warning"].sudo()._resolve_by_orders(self)
        customers.sudo().filtered("churn_lost").write({"churn_lost": False})
