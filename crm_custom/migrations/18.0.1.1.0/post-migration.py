from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """P1, X8: customer companies that nobody owns and no pool holds (created
    outside the Customers menu before this version) go to the default pool;
    the derived data those versions left stale is repaired."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.partner"]._pool_adopt_all_orphans()
    env["crm.consistency.check"].check_drift(repair=True)
