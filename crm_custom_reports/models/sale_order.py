from odoo import models


class SaleOrder(models.Model):
    """Keep the customers' monthly sales (crm.customer.sales.month) up to
    date. Confirming, cancelling, deleting a confirmed order or moving it to
    another customer, date or company refreshes them with the rest of the
    customer's order data (X8, ``_crm_order_data_ctes`` of res.partner);
    the other changes that alter what a confirmed order contributes mark
    its customer, whose months are recomputed before commit."""

    _inherit = "sale.order"

    # What a confirmed order contributes depends on these too.
    _SALES_MONTH_FIELDS = frozenset(
        {"user_id", "currency_id", "currency_rate", "amount_untaxed"}
    )

    def _sales_month_mark(self):
        # Only orders that are (or were, when called before a change)
        # confirmed count.
        counted = self.filtered(lambda order: order.id and order.state == "sale")
        if counted:
            self.env["crm.customer.sales.month"]._mark_partners(counted.partner_id)

    def write(self, vals):
        relevant = (
            not self._SALES_MONTH_FIELDS.isdisjoint(vals)
            # Otherwise the order data refresh covers them.
            and self._CRM_ORDER_DATA_FIELDS.isdisjoint(vals)
            and "state" not in vals
        )
        if relevant:
            # Before the change: the customer the order counted for until now.
            self._sales_month_mark()
        result = super().write(vals)
        if relevant:
            self._sales_month_mark()
        return result

    def _compute_amounts(self):
        # Lines added to or changed on a confirmed order change its amount
        # without writing on the order.
        result = super()._compute_amounts()
        self._sales_month_mark()
        return result
