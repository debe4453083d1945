from odoo.addons.crm.tests.test_crm_activity import TestCrmMailActivity  # noqa: F401
from odoo.addons.crm.tests.test_crm_lead import (
    TestCRMLead,  # noqa: F401
    TestCrmLeadMailTrackingDuration,  # noqa: F401
    TestLeadFormTools,  # noqa: F401
)
from odoo.addons.crm.tests.test_crm_lead_assignment import TestLeadAssign  # noqa: F401
from odoo.addons.crm.tests.test_crm_lead_convert import (
    TestLeadConvert,  # noqa: F401
    TestLeadConvertBatch,  # noqa: F401
    TestLeadConvertForm,  # noqa: F401
)
from odoo.addons.crm.tests.test_crm_lead_convert_mass import (
    TestLeadConvertMass,  # noqa: F401
)
from odoo.addons.crm.tests.test_crm_lead_duplicates import (  # noqa: F401
    TestCRMLead as TestCRMLead_CrmLeadDuplicates,
)
from odoo.addons.crm.tests.test_crm_lead_lost import (  # noqa: F401
    TestLeadConvert as TestLeadConvert_CrmLeadLost,
)
from odoo.addons.crm.tests.test_crm_lead_merge import TestLeadMerge  # noqa: F401
from odoo.addons.crm.tests.test_crm_lead_multicompany import (
    TestCRMLeadMultiCompany,  # noqa: F401
)
from odoo.addons.crm.tests.test_crm_lead_notification import (
    NewLeadNotification,  # noqa: F401
)
from odoo.addons.crm.tests.test_crm_lead_smart_calendar import (
    TestCRMLeadSmartCalendar,  # noqa: F401
)
from odoo.addons.crm.tests.test_crm_pls import TestCRMPLS  # noqa: F401
from odoo.addons.crm.tests.test_crm_ui import TestUi  # noqa: F401
from odoo.addons.crm.tests.test_digest import TestCrmDigest  # noqa: F401
from odoo.addons.crm.tests.test_performances import TestLeadAssignPerf  # noqa: F401
from odoo.addons.crm.tests.test_sales_team_ui import (  # noqa: F401
    TestUi as TestUi_SalesTeamUi,
)
