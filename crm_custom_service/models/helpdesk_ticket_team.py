from odoo import models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    def _get_applicable_stages(self):
        # Service stages belong to the services lifecycle only: ordinary
        # tickets (with or without a team) never land in them.
        return super()._get_applicable_stages().filtered(lambda s: not s.service_state)
