from odoo import api, fields, models

from ..models.crm_notification import close_dialog, notification_action


class CrmLeadAssign(models.TransientModel):
    """指派销售机会 (O4): a sales manager assigns one or many unassigned
    opportunities to exactly one customer manager, optionally with a plan
    template that starts today."""

    _name = "crm.lead.assign"
    _description = "Assign Opportunities"

    lead_ids = fields.Many2many(
        "crm.lead",
        string="Opportunities",
        required=True,
        domain=[
            ("user_id", "=", False),
            ("type", "=", "opportunity"),
            ("stage_id.is_won", "=", False),
        ],
    )
    user_id = fields.Many2one(
        "res.users",
        string="Customer Manager",
        required=True,
        domain=lambda self: [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref("crm_custom.group_customer_manager").id),
        ],
    )
    plan_template_id = fields.Many2one(
        "crm.lead.plan.template",
        help="Optional: the development plan the customer manager starts with, "
        "dated from today.",
    )

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        if (
            "lead_ids" in fields_list
            and not defaults.get("lead_ids")
            and self.env.context.get("active_model") == "crm.lead"
        ):
            defaults["lead_ids"] = [
                fields.Command.set(self.env.context.get("active_ids", []))
            ]
        return defaults

    def action_assign(self):
        self.ensure_one()
        self.lead_ids._assign_customer_manager(self.user_id)
        if self.plan_template_id:
            self.plan_template_id._apply_to_leads(self.lead_ids)
        return notification_action(
            self.env._(
                "Assignment succeeded: %(count)s opportunities assigned to %(user)s.",
                count=len(self.lead_ids),
                user=self.user_id.name,
            ),
            close_dialog(),
        )
