from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmLeadPlanTemplateLine(models.Model):
    """A step of a development plan template: its content and how many days
    after the start of the plan it is due."""

    _name = "crm.lead.plan.template.line"
    _description = "Development Plan Template Step"
    _order = "template_id, day_offset, sequence, id"

    template_id = fields.Many2one(
        "crm.lead.plan.template", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    day_offset = fields.Integer(
        string="Day",
        default=0,
        help="Days after the start of the plan (0 = the start day).",
    )
    content = fields.Text(string="Plan", required=True)

    @api.constrains("day_offset")
    def _check_day_offset(self):
        if any(line.day_offset < 0 for line in self):
            raise ValidationError(
                self.env._("A step is due on or after the start of the plan.")
            )
