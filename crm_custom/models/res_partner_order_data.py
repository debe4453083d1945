from odoo import api, models, tools


class ResPartner(models.Model):
    """X8: the data derived from a customer's confirmed orders (last order
    date, purchases and buying cycle here; the monthly and total sales of
    crm_custom_reports) has one entry point, ``_crm_refresh_order_data``,
    called on every path that moves orders between customers: an order
    confirmed, cancelled, deleted or moved to another customer, a contact
    moved to another company (or made a company), partners merged. The
    consistency check (crm.consistency.check) recomputes it all and reports
    what differs.

    The refresh is one SQL statement whatever the number of customers:
    modules adding order-derived data add their data-modifying CTEs to it
    (``_crm_order_data_ctes``) rather than statements of their own; the
    recycle dates of the customers whose last order date moves are written
    with it."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _crm_refresh_order_data(self):
        """Recompute the order-derived data of the customers (commercial
        partners) of these partners from their confirmed orders, then their
        recycle dates (the no-deal rule reads the last order date)."""
        if self:
            rows = self.env["res.partner"]._crm_refresh_order_data_of(self.ids)
            # Partners merged or moved: their recycle dates may move for
            # other reasons than the last order date.
            self.env["res.partner"].browse(rows)._pool_refresh_recycle_dates()

    @api.model
    def _crm_refresh_order_data_of(self, partner_ids):
        """The refresh of the customers of these partners (ids, contacts
        included; gone ones ignored), with the recycle dates of the
        customers whose last order date moves, in one statement. Return the
        rows of ``_churn_update_order_stats`` by customer id."""
        partner_ids = sorted({pid for pid in partner_ids if pid})
        if not partner_ids:
            return {}
        Partner = self.sudo()
        # The no-deal rule of the recycle date reads the last order date:
        # the customers whose last order date moves get theirs recomputed in
        # the same UPDATE (recycle).
        rows = Partner._churn_update_order_stats(
            [],
            partner_ids=partner_ids,
            ctes=Partner._crm_order_data_ctes_cached(),
            recycle=True,
        )
        Partner._crm_order_data_refreshed(list(rows))
        return rows

    @api.model
    def _crm_order_data_ctes(self):
        """Data-modifying CTEs (SQL ``name AS (...)``) run in the statement
        of the order data refresh, on the CTEs ``targets`` (column ``id``:
        the customers refreshed) and ``crm_target_orders`` (their confirmed
        orders, see ``_crm_confirmed_orders_sql``). Modules keeping
        order-derived data extend this, and ``_crm_order_data_refreshed``
        for what follows."""
        return []

    @api.model
    @tools.ormcache()
    def _crm_order_data_ctes_cached(self):
        # Composing the CTEs costs a few hundred SQL objects on every order;
        # they hold no parameter and change only with the registry.
        return tuple(self._crm_order_data_ctes())

    @api.model
    def _crm_order_data_refreshed(self, customer_ids):
        """Called after the refresh of these customers (cache
        invalidation of the data the CTEs wrote)."""

    def write(self, vals):
        # Orders count for the commercial partner of their customer: a
        # contact moved to another company (or made a company) takes its
        # orders from one customer to the other.
        moved = {"parent_id", "is_company"}.intersection(vals)
        before = self.sudo().commercial_partner_id if moved else self.browse()
        res = super().write(vals)
        if moved:
            (before | self.sudo().commercial_partner_id)._crm_refresh_order_data()
        return res
