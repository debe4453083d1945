# Its own file by concern (house style: models/<model>_<concern>.py).
# pylint: disable=consider-merging-classes-inherited
from odoo import models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _service_write(self, vals):
        """C11: when a service reaches 已归档 (archived), plan the optional
        follow-up visit 回访 for the customer's manager."""
        open_services = self.filtered(lambda t: t.service_state != "archived")
        res = super()._service_write(vals)
        archived = open_services.filtered(lambda t: t.service_state == "archived")
        if archived:
            Care = self.env["crm.care.date"]
            days = Care._care_followup_days("service")
            if days is not None:
                Care._care_plan_followups(
                    [
                        (
                            ticket.commercial_partner_id,
                            days,
                            self.env._(
                                "Follow-up visit: service %s archived",
                                ticket.display_name,
                            ),
                            ticket.user_id,
                        )
                        for ticket in archived
                        if ticket.commercial_partner_id
                    ]
                )
        return res
