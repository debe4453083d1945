from odoo import api, fields, models

from ..models.crm_notification import close_dialog, notification_action


class CrmCustomerPoolAssignWizard(models.TransientModel):
    """分配 (P3): a sales manager (or a pool administrator) gives customers to
    a salesperson, who is told by internal message or email."""

    _name = "crm.customer.pool.assign.wizard"
    _description = "Assign Customers to a Salesperson"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        domain=lambda self: [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref("sales_team.group_sale_salesman").ids),
        ],
    )
    notification = fields.Selection(
        [
            ("message", "Internal Message"),
            ("email", "Email"),
            ("none", "No Notification"),
        ],
        string="Notify By",
        required=True,
        default=lambda self: self._default_notification(),
    )
    reason = fields.Char()

    @api.model
    def _default_notification(self):
        partners = (
            self.env["res.partner"]
            .browse(self.env.context.get("default_partner_ids") or [])
            .sudo()
        )
        pool = (partners.pool_id or partners.home_pool_id)[:1]
        return pool.assign_notification or "message"

    def action_confirm(self):
        self.ensure_one()
        self.partner_ids._pool_assign(self.user_id, self.reason, self.notification)
        return notification_action(
            self.env._(
                "%(count)s customer(s) assigned to %(user)s.",
                count=len(self.partner_ids),
                user=self.user_id.name,
            ),
            close_dialog("pool_assign"),
        )
