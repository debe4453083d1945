from odoo.addons.sale_crm.tests.test_crm_lead_merge import (
    TestLeadSaleMerge,  # noqa: F401
)
from odoo.addons.sale_crm.tests.test_sale_crm import TestSaleCrm  # noqa: F401
