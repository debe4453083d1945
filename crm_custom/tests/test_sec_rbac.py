"""B2 / sec_rbac: every role against every model crm_custom adds or extends
(crm_custom_service and crm_custom_reports check theirs in their own
test_sec_rbac.py, with SecRbacCommon of tests/common.py).

The rights matrix below is the spec (JB-RM-CRM 2.2 and requirements B2, P6,
O1-O5, W2-W4) written as a table: for each model and scope
(the customer manager's own record, another customer manager's record, a
pool record, or the model as a whole), each operation and each role, whether
the operation is allowed (A) or denied (D). Roles, in this order:

    S sales manager 销售主管, C customer manager 客户经理, E executive 高管,
    P portal user (a contact of the customer manager's customer),
    I internal user without CRM rights.

Each cell is checked through the ORM with ``with_user`` on a fresh record,
inside a savepoint that is rolled back, so that checks never influence each
other. Every operation is first run as superuser to prove that it is valid
at all: a denial is then a matter of rights, not of bad test data."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SecRbacCommon

# model, scope -> {operation: rights of S C E P I}
RIGHTS = {
    # --- crm_custom ---------------------------------------------------
    ("res.partner", "own"): {
        "read": "AAADA",
        "write": "AADDD",
        "create": "AADDD",
        "unlink": "DDDDD",
    },
    ("res.partner", "other"): {
        "read": "ADADA",
        "write": "ADDDD",
        "create": "ADDDD",
        "unlink": "DDDDD",
    },
    ("res.partner", "pool"): {
        "read": "AAADA",
        "write": "ADDDD",
        "create": "ADDDD",
        "unlink": "DDDDD",
    },
    ("res.partner", "contact_other"): {
        "read": "ADADA",
        "write": "ADDDD",
        "create": "ADDDD",
    },
    ("crm.dictionary.item", "all"): {
        "read": "AAADA",
        "write": "ADDDD",
        "create": "ADDDD",
        "unlink": "ADDDD",
    },
    ("crm.interaction", "own"): {
        "read": "AADDD",
        "write": "AADDD",
        "create": "AADDD",
        "unlink": "AADDD",
    },
    ("crm.interaction", "other"): {
        "read": "ADDDD",
        "write": "ADDDD",
        "create": "ADDDD",
        "unlink": "ADDDD",
    },
    ("crm.customer.pool", "all"): {
        "read": "AAADA",
        "write": "ADDDD",
        "create": "ADDDD",
        "unlink": "ADDDD",
    },
    ("crm.customer.pool.level.rule", "all"): {
        "read": "AAADA",
        "write": "ADDDD",
        "create": "ADDDD",
        "unlink": "ADDDD",
    },
    # History is written by the pool operations only (P7).
    ("crm.customer.ownership.log", "own"): {
        "read": "AADDD",
        "write": "DDDDD",
        "create": "DDDDD",
        "unlink": "DDDDD",
    },
    ("crm.customer.ownership.log", "other"): {
        "read": "ADDDD",
        "write": "DDDDD",
        "create": "DDDDD",
        "unlink": "DDDDD",
    },
    # W2: write = the customer manager's own path (postpone); W1: warnings
    # come from the scheduled action, sales managers may add or remove one.
    ("crm.churn.warning", "own"): {
        "read": "AAADD",
        "write": "AADDD",
        "create": "ADDDD",
        "unlink": "ADDDD",
    },
    ("crm.churn.warning", "other"): {
        "read": "ADADD",
        "write": "ADDDD",
        "create": "ADDDD",
        "unlink": "ADDDD",
    },
    ("crm.churn.warning.measure", "own"): {
        "read": "AAADD",
        "write": "AADDD",
        "create": "AADDD",
        "unlink": "AADDD",
    },
    ("crm.churn.warning.measure", "other"): {
        "read": "ADADD",
        "write": "ADDDD",
        "create": "ADDDD",
        "unlink": "ADDDD",
    },
    # O1-O4: both create; only unassigned ones are edited; only their
    # creator deletes; only sales managers assign.
    ("crm.lead", "own_unassigned"): {
        "read": "AADDD",
        "write": "AADDD",
        "create": "AADDD",
        "unlink": "DADDD",
    },
    ("crm.lead", "own_assigned"): {
        "read": "AADDD",
        "write": "DDDDD",
        "create": "ADDDD",
        "unlink": "DDDDD",
    },
    ("crm.lead", "other_unassigned"): {
        "read": "ADDDD",
        "write": "ADDDD",
        "unlink": "DDDDD",
    },
    ("crm.lead", "other_assigned"): {
        "read": "ADDDD",
        "write": "DDDDD",
        "unlink": "DDDDD",
    },
    # O5/O6: the customer manager developing the opportunity writes and
    # executes its plan; sales managers read it (and apply templates, see
    # test_b2_sales_manager_sets_up_plans_through_templates).
    ("crm.lead.plan.item", "own"): {
        "read": "AADDD",
        "write": "DADDD",
        "create": "DADDD",
        "unlink": "DADDD",
    },
    ("crm.lead.plan.item", "other"): {
        "read": "ADDDD",
        "write": "DDDDD",
        "create": "DDDDD",
        "unlink": "DDDDD",
    },
    ("crm.lead.plan.template", "all"): {
        "read": "AADDD",
        "write": "ADDDD",
        "create": "ADDDD",
        "unlink": "ADDDD",
    },
    ("crm.lead.plan.template.line", "all"): {
        "read": "AADDD",
        "write": "ADDDD",
        "create": "ADDDD",
        "unlink": "ADDDD",
    },
    ("sale.order", "own"): {"read": "AADDD", "write": "AADDD"},
    ("sale.order", "other"): {"read": "ADDDD", "write": "ADDDD"},
}

# Wizards (transient models): who may open them at all.
WIZARD_RIGHTS = {
    "crm.churn.warning.confirm": "AADDD",
    "crm.customer.pool.put.wizard": "AADDD",
    "crm.customer.pool.claim.wizard": "AADDD",
    "crm.customer.pool.assign.wizard": "AADDD",
    "crm.lead.assign": "ADDDD",
    "crm.lead.development.success": "AADDD",
    "crm.lead.plan.apply": "AADDD",
}


@tagged("post_install", "-at_install")
class TestSecRbac(SecRbacCommon):
    RIGHTS = RIGHTS
    WIZARD_RIGHTS = WIZARD_RIGHTS

    @mute_logger("odoo.models", "odoo.models.unlink", "odoo.addons.base.models.ir_rule")
    def test_sec_rbac_roles_by_models_matrix(self):
        self._check_rights_matrix()

    # ------------------------------------------------------------------
    # B2: each role does what the spec gives it, and no more (2.2)
    # ------------------------------------------------------------------

    def test_b2_system_administrator_manages_users_and_roles(self):
        admin = self.env.ref("base.user_admin")
        Users = self.env["res.users"].with_user(admin)
        user = Users.create({"name": "Sec New Manager", "login": "sec_new_manager"})
        user.write(
            {
                "groups_id": [
                    Command.link(self.env.ref("crm_custom.group_customer_manager").id)
                ]
            }
        )
        self.assertTrue(user.has_group("crm_custom.group_customer_manager"))
        self.assertTrue(user.has_group("sales_team.group_sale_salesman"))
        sales_manager_group = self.env.ref("crm_custom.group_sales_manager")
        for role in (
            "sales_manager",
            "customer_manager",
            "executive",
            "internal",
            "portal",
        ):
            with self.assertRaises(AccessError, msg=role):
                self.env["res.users"].with_user(self.users[role]).browse(user.id).write(
                    {"groups_id": [Command.link(sales_manager_group.id)]}
                )
            with self.assertRaises(AccessError, msg=role):
                self.env["res.users"].with_user(self.users[role]).create(
                    {"name": "Sec Intruder", "login": f"sec_intruder_{role}"}
                )
        self.assertFalse(user.has_group("crm_custom.group_sales_manager"))
