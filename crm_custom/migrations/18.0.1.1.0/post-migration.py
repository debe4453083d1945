"""Issue 22 and the customer data of 18.0.1.1.0 on a database of 18.0.1.0.0.

- The development process governs its own opportunities: those created
  before with a development trace (source, assignment, plan) enter it; crm's
  personal lead rule gets crm_custom's domain (it is noupdate in crm).
- P1, X8: customer companies that nobody owns and no pool holds (created
  outside the Customers menu) go to the default pool; the derived data those
  versions left stale is repaired.
- C10: existing customers get their customer codes.
"""

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
    env["res.partner"]._pool_adopt_all_orphans()
    env["res.partner"]._crm_number_existing_customers()
    env["crm.consistency.check"].check_drift(repair=True)
