from odoo import api, models


class SaleOrder(models.Model):
    """Keep the customers' monthly sales (crm.customer.sales.month) up to
    date: every change that can alter what a confirmed order contributes
    marks its customer, whose months are recomputed before commit."""

    _inherit = "sale.order"

    # What a confirmed order contributes depends on these.
    _SALES_MONTH_FIELDS = frozenset(
        {
            "state",
            "partner_id",
            "company_id",
            "user_id",
            "date_order",
            "currency_id",
            "currency_rate",
            "amount_untaxed",
        }
    )

    def _sales_month_mark(self):
        # Only orders that are (or were, when called before a change)
        # confirmed count.
        counted = self.filtered(lambda order: order.id and order.state == "sale")
        if counted:
            self.env["crm.customer.sales.month"]._mark_partners(counted.partner_id)

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # Orders created confirmed (imports, integrations).
        orders._sales_month_mark()
        return orders

    def write(self, vals):
        # Confirming and cancelling orders go through here (state and date).
        relevant = not self._SALES_MONTH_FIELDS.isdisjoint(vals)
        if relevant:
            # Before the change: the customer the order counted for until now.
            self._sales_month_mark()
        result = super().write(vals)
        if relevant:
            self._sales_month_mark()
        return result

    def unlink(self):
        self._sales_month_mark()
        return super().unlink()

    def _compute_amounts(self):
        # Lines added to or changed on a confirmed order change its amount
        # without writing on the order.
        result = super()._compute_amounts()
        self._sales_month_mark()
        return result
