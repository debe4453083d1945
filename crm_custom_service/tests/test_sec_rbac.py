"""B2 / sec_rbac for crm_custom_service: every role against the models
the addon adds or extends (S1-S5), with crm_custom's rights matrix check
(see crm_custom/tests/test_sec_rbac.py for the roles and the scopes)."""

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ServiceRbacCommon

# model, scope -> {operation: rights of S C E P I}
RIGHTS = {
    # --- crm_custom_service (S1-S5) -------------------------------------
    ("helpdesk.ticket", "own"): {
        "read": "AAAAD",
        "write": "AADDD",
        "create": "AADDD",
        "unlink": "DDDDD",
    },
    ("helpdesk.ticket", "other"): {
        "read": "ADADD",
        "write": "ADDDD",
        "unlink": "DDDDD",
    },
    ("helpdesk.ticket.stage", "all"): {
        "read": "AAAAA",
        "write": "DDDDD",
        "create": "DDDDD",
        "unlink": "DDDDD",
    },
    ("helpdesk.ticket.team", "all"): {
        "read": "AAAAA",
        "write": "DDDDD",
        "create": "DDDDD",
        "unlink": "DDDDD",
    },
}

# Wizards (transient models): who may open them at all.
WIZARD_RIGHTS = {
    "crm.service.step.wizard": "AADDD",
}


@tagged("post_install", "-at_install")
class TestSecRbac(ServiceRbacCommon):
    RIGHTS = RIGHTS
    WIZARD_RIGHTS = WIZARD_RIGHTS

    @mute_logger("odoo.models", "odoo.models.unlink", "odoo.addons.base.models.ir_rule")
    def test_sec_rbac_roles_by_models_matrix(self):
        self._check_rights_matrix()
