from odoo import api, fields, models

from ..models.crm_notification import close_dialog, notification_action


def _partner_gender_selection(wizard):
    # the customer data feature defines the contact's gender on res.partner
    field = wizard.env["res.partner"]._fields.get("gender")
    if field:
        return field._description_selection(wizard.env)
    return [("male", "Male"), ("female", "Female")]


class CrmLeadDevelopmentSuccess(models.TransientModel):
    """开发成功 (O7): confirm the success of a development and complete the
    contact the customer is created with."""

    _name = "crm.lead.development.success"
    _description = "Development Success"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", required=True)
    partner_name = fields.Char(related="lead_id.partner_name", string="Customer Name")
    contact_name = fields.Char(related="lead_id.contact_name", string="Contact")
    existing_company_id = fields.Many2one(
        "res.partner",
        string="Existing Customer",
        compute="_compute_existing",
        help="A company of this name exists: it is linked instead of creating "
        "a duplicate.",
    )
    contact_exists = fields.Boolean(compute="_compute_existing")
    contact_gender = fields.Selection(selection=_partner_gender_selection)
    contact_function = fields.Char(
        string="Contact Job Position",
        compute="_compute_contact_function",
        store=True,
        readonly=False,
    )
    contact_phone = fields.Char(
        compute="_compute_contact_phone",
        store=True,
        readonly=False,
    )

    @api.depends("lead_id")
    def _compute_existing(self):
        for wizard in self:
            lead = wizard.lead_id
            company = lead.partner_id.commercial_partner_id.sudo()
            if not company and lead.partner_name:
                company = lead._find_development_companies().get(
                    self.env["res.partner"]._crm_normalize_name(lead.partner_name),
                    company,
                )
            wizard.existing_company_id = company
            wizard.contact_exists = bool(lead._find_development_contact(company))

    @api.depends("lead_id")
    def _compute_contact_function(self):
        for wizard in self:
            wizard.contact_function = wizard.lead_id.function

    @api.depends("lead_id")
    def _compute_contact_phone(self):
        for wizard in self:
            wizard.contact_phone = wizard.lead_id.phone

    def action_confirm(self):
        self.ensure_one()
        contact_values = {
            "gender": self.contact_gender,
            "function": self.contact_function,
            "phone": self.contact_phone,
        }
        self.lead_id._development_succeed(
            {key: value for key, value in contact_values.items() if value}
        )
        return notification_action(
            self.lead_id._development_success_message(), close_dialog()
        )
