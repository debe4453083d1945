from odoo import models


class ResPartner(models.Model):
    """Follow-up records 跟进记录 (C9) are logged from the customer: the
    form, the My Customers list and kanban, on a phone too."""

    _inherit = "res.partner"

    def action_crm_log_followup(self):
        """The quick follow-up form, in a dialog, for this customer."""
        self.ensure_one()
        customer = self.commercial_partner_id
        phone = self.env.ref(
            "crm_custom.dictionary_followup_channel_phone", raise_if_not_found=False
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Follow-up"),
            "res_model": "crm.interaction",
            "view_mode": "form",
            "views": [
                (self.env.ref("crm_custom.view_crm_interaction_form_quick").id, "form")
            ],
            "target": "new",
            "context": {
                "default_partner_id": customer.id,
                "default_contact_id": (
                    self.id if self != customer else customer.primary_contact_id.id
                ),
                "default_channel_id": phone.id if phone else False,
                "dialog_size": "medium",
            },
        }
