from odoo import api, fields, models

from ..models.crm_notification import close_dialog, notification_action


class CrmCustomerPoolPutWizard(models.TransientModel):
    """放入客户池 (P1): put one or many customers into a pool, with a reason."""

    _name = "crm.customer.pool.put.wizard"
    _description = "Put Customers into a Pool"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    pool_id = fields.Many2one(
        "crm.customer.pool",
        required=True,
        default=lambda self: self._default_pool_id(),
        domain="[('id', 'in', available_pool_ids)]",
    )
    available_pool_ids = fields.Many2many(
        "crm.customer.pool",
        string="Available Pools",
        compute="_compute_available_pool_ids",
    )
    reason = fields.Text(required=True)

    @api.model
    def _available_pools(self):
        Pool = self.env["crm.customer.pool"]
        if self.env.user.has_group("crm_custom.group_sales_manager"):
            return Pool.search([("active", "=", True)])
        return Pool.search(Pool._member_domain(self.env.user))

    @api.model
    def _default_pool_id(self):
        partners = self.env["res.partner"].browse(
            self.env.context.get("default_partner_ids") or []
        )
        available = self._available_pools()
        home = partners.sudo().home_pool_id & available
        return (home[:1] or available[:1]).id

    def _compute_available_pool_ids(self):
        self.available_pool_ids = self._available_pools()

    def action_confirm(self):
        self.ensure_one()
        self.partner_ids._pool_put(self.pool_id, self.reason)
        return notification_action(
            self.env._("Put into the pool %s.", self.pool_id.display_name),
            close_dialog("pool_put"),
        )
