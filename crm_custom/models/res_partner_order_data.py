from odoo import models


class ResPartner(models.Model):
    """X8: the data derived from a customer's confirmed orders (last order
    date, purchases and buying cycle here; the monthly and total sales of
    crm_custom_reports) has one entry point, ``_crm_refresh_order_data``,
    called on every path that moves orders between customers: an order
    confirmed, cancelled, deleted or moved to another customer, a contact
    moved to another company (or made a company), partners merged. The
    consistency check (crm.consistency.check) recomputes it all and reports
    what differs."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _crm_refresh_order_data(self):
        """Recompute the order-derived data of the customers (commercial
        partners) of these partners from their confirmed orders, then their
        recycle dates (the no-deal rule reads the last order date). Modules
        adding order-derived data extend this method."""
        customers = self.sudo().exists().commercial_partner_id
        if customers:
            customers._churn_refresh_order_stats()
            customers._pool_refresh_recycle_dates()

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
