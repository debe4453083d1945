from odoo import models


class CrmLead2opportunityPartner(models.TransientModel):
    """O11: Odoo's conversion wizard (and its mass version, which inherits
    it) brings the converted opportunities into the development process,
    once Odoo has assigned their salesperson."""

    _inherit = "crm.lead2opportunity.partner"

    def _convert_and_allocate(self, leads, user_ids, team_id=False):
        res = super()._convert_and_allocate(leads, user_ids, team_id=team_id)
        leads._enter_development()
        return res
