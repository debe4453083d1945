from odoo import fields, models


class CrmLeadPlanApply(models.TransientModel):
    """Add the steps of a plan template to the development plan of
    opportunities in development."""

    _name = "crm.lead.plan.apply"
    _description = "Apply a Development Plan Template"

    lead_ids = fields.Many2many("crm.lead", string="Opportunities", required=True)
    template_id = fields.Many2one(
        "crm.lead.plan.template", string="Plan Template", required=True
    )
    date_start = fields.Date(
        string="Start Date", required=True, default=fields.Date.context_today
    )

    def action_apply(self):
        self.ensure_one()
        self.template_id._apply_to_leads(self.lead_ids, self.date_start)
        return {"type": "ir.actions.act_window_close"}
