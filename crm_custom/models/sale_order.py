from contextlib import contextmanager

from odoo import api, models

# Keys of the transaction's data (cr.precommit.data): the depth of the order
# actions under way, and the partners whose order data waits for their end.
DEFER_DEPTH_KEY = "crm_custom.order_data_defer_depth"
PENDING_KEY = "crm_custom.order_data_partners"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # A confirmed order changing one of these changes the order-derived data
    # of its customer (X8).
    _CRM_ORDER_DATA_FIELDS = frozenset({"partner_id", "date_order", "company_id"})

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # Orders created confirmed (imports, integrations).
        confirmed = orders.filtered(lambda order: order.state == "sale")
        if confirmed:
            confirmed._crm_order_data_changed(confirmed.partner_id.ids)
        return orders

    def action_confirm(self):
        # The state written by the confirmation changes the customers' order
        # data (see write): refreshed once, when the confirmation is done;
        # then the sale ends their churn warnings.
        with self._crm_order_data_deferred() as refreshed:
            result = super().action_confirm()
        self._churn_orders_confirmed(refreshed)
        return result

    def _action_cancel(self):
        with self._crm_order_data_deferred():
            return super()._action_cancel()

    def write(self, vals):
        # A confirmed order moved to another customer, date or company, or
        # confirmed or cancelled (state), changes the history of the
        # customers involved: one grouped refresh for the whole batch.
        counted = self.browse()
        if self._CRM_ORDER_DATA_FIELDS.intersection(vals) or "state" in vals:
            counted = self.filtered(lambda order: order.state == "sale")
        before = counted.partner_id.ids
        result = super().write(vals)
        if "state" in vals:
            counted |= self.filtered(lambda order: order.state == "sale")
        if counted:
            self._crm_order_data_changed(before + counted.partner_id.ids)
        return result

    def unlink(self):
        partner_ids = self.filtered(lambda order: order.state == "sale").partner_id.ids
        result = super().unlink()
        if partner_ids:
            self._crm_order_data_changed(partner_ids)
        return result

    # --- X8: the customers' order data ---------------------------------------

    def _crm_order_data_changed(self, partner_ids):
        """The order data of the customers of these partners (ids) changed:
        refresh it now, or at the end of the order action under way."""
        data = self.env.cr.precommit.data
        if not data.get(DEFER_DEPTH_KEY):
            self.env["res.partner"]._crm_refresh_order_data_of(partner_ids)
            return
        if PENDING_KEY not in data:
            # Safety net: an action that failed inside a savepoint left
            # pending partners behind; they are refreshed before commit.
            env = self.env

            @self.env.cr.precommit.add
            def refresh_order_data():
                env["sale.order"]._crm_order_data_sync()

        data.setdefault(PENDING_KEY, set()).update(partner_ids)

    @api.model
    def _crm_order_data_sync(self):
        """Refresh the order data waiting for the end of the order actions;
        return the rows of the refresh by customer id."""
        pending = self.env.cr.precommit.data.pop(PENDING_KEY, None)
        if not pending:
            return {}
        return self.env["res.partner"]._crm_refresh_order_data_of(pending)

    @contextmanager
    def _crm_order_data_deferred(self):
        """Order actions (confirm, cancel) write the orders several times and
        touch their customers once: the refresh of the customers' order data
        waits for the end of the outermost action and runs once, after the
        action's own writes (one statement, no early flush). Yields a dict
        filled with the rows of that refresh (empty when nested)."""
        data = self.env.cr.precommit.data
        data[DEFER_DEPTH_KEY] = data.get(DEFER_DEPTH_KEY, 0) + 1
        refreshed = {}
        try:
            yield refreshed
        finally:
            data[DEFER_DEPTH_KEY] -= 1
        if not data[DEFER_DEPTH_KEY]:
            refreshed.update(self._crm_order_data_sync())

    def _churn_orders_confirmed(self, refreshed=None):
        """Newly confirmed orders end the open churn warnings of their
        customers (W3) and clear their lost mark. These are consequences of
        the sale, not edits by the salesperson, hence sudo. ``refreshed``:
        the rows of the order data refresh of their customers, which tell
        which customers have an open warning or the lost mark (checked here
        when missing)."""
        if not self:
            return
        if refreshed:
            warned = {pid for pid, row in refreshed.items() if row[-1]}
            lost = {pid for pid, row in refreshed.items() if row[-2]}
            if warned or lost:
                # Only the customers of these orders.
                customer_ids = set(self.partner_id.commercial_partner_id.ids)
                warned &= customer_ids
                lost &= customer_ids
            if warned:
                orders = self.filtered(
                    lambda order: order.partner_id.commercial_partner_id.id in warned
                )
                self.env["crm.churn.warning"].sudo()._resolve_by_orders(orders)
            if lost:
                self.env["res.partner"].sudo().browse(sorted(lost)).write(
                    {"churn_lost": False}
                )
            return
        customers = self.partner_id.commercial_partner_id
        if not customers:
            return
        self.env["crm.churn.warning"].sudo()._resolve_by_orders(self)
        customers.sudo().filtered("churn_lost").write({"churn_lost": False})
