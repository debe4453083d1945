from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError


class CrmLeadPlanTemplate(models.Model):
    """A reusable development plan (beyond the spec): steps with day offsets
    that a sales manager defines once and applies to opportunities in one
    click, e.g. while assigning them."""

    _name = "crm.lead.plan.template"
    _description = "Development Plan Template"
    _order = "sequence, name, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text()
    company_id = fields.Many2one(
        "res.company",
        index="btree_not_null",
        help="Leave empty to offer the template in every company.",
    )
    line_ids = fields.One2many(
        "crm.lead.plan.template.line", "template_id", string="Steps", copy=True
    )
    line_count = fields.Integer(string="Step Count", compute="_compute_line_count")

    def _compute_line_count(self):
        for template in self:
            template.line_count = len(template.line_ids)

    def _prepare_plan_items(self, lead, date_start):
        self.ensure_one()
        return [
            {
                "lead_id": lead.id,
                "date": date_start + timedelta(days=line.day_offset),
                "content": line.content,
            }
            for line in self.line_ids
        ]

    def _apply_to_leads(self, leads, date_start=None):
        """Add the template's steps to the plans of ``leads``, dated from
        ``date_start`` (today by default)."""
        self.ensure_one()
        if not self.line_ids:
            raise UserError(
                self.env._("The plan template “%(name)s” has no steps.", name=self.name)
            )
        leads = leads.with_env(self.env)
        leads._check_plan_template_applicable()
        date_start = date_start or fields.Date.context_today(self)
        vals_list = []
        for lead in leads:
            vals_list += self._prepare_plan_items(lead, date_start)
        # the checks above allow sales managers too: create as superuser
        return self.env["crm.lead.plan.item"].sudo().create(vals_list)
