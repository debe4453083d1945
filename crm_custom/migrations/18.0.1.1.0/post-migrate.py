"""Issue 22: the development process governs its own opportunities.

Opportunities created before were all governed: those with a development
trace (source, assignment, plan) enter the process; crm's personal lead rule
gets crm_custom's new domain (it is noupdate in crm)."""

from odoo import SUPERUSER_ID, api

from odoo.addons.crm_custom.hooks import apply_standard_overrides


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        """
        UPDATE crm_lead l
           SET is_development = TRUE
         WHERE l.type = 'opportunity'
           AND (l.customer_source_id IS NOT NULL
                OR l.date_assigned IS NOT NULL
                OR EXISTS (SELECT 1 FROM crm_lead_plan_item i WHERE i.lead_id = l.id))
        """
    )
    apply_standard_overrides(env)
