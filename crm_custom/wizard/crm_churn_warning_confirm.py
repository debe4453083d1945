from odoo import api, fields, models


class CrmChurnWarningConfirm(models.TransientModel):
    """确认流失: confirm the loss of one or several customers, with the
    reason (required)."""

    _name = "crm.churn.warning.confirm"
    _description = "Confirm Customer Loss"

    warning_ids = fields.Many2many(
        "crm.churn.warning", string="Churn Warnings", required=True
    )
    lost_reason = fields.Text(string="Reason of Loss", required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "warning_ids" in fields_list
            and context.get("active_model") == "crm.churn.warning"
            and context.get("active_ids")
        ):
            values["warning_ids"] = [fields.Command.set(context["active_ids"])]
        return values

    def action_confirm(self):
        self.ensure_one()
        self.warning_ids._confirm_loss(self.lost_reason)
        return {"type": "ir.actions.act_window_close"}
