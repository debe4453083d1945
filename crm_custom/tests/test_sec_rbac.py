"""B2 / sec_rbac: every role against every model the addons add or extend.

The rights matrix below is the spec (JB-RM-CRM 2.2 and requirements B2, P6,
O1-O5, W2-W4, S1-S5, R1-R7) written as a table: for each model and scope
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

import logging
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .sec_common import ROLES, SecurityCommon

# Figures go to the test framework's logger, which tests/run shows at INFO
# (run with -s to see them).
_logger = logging.getLogger("odoo.tests.common.crm_security")

ROLE_LETTERS = dict(zip(ROLES, "SCEPI", strict=True))

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
    # --- crm_custom_reports (R1-R7): read only; own rows for customer
    # managers, all rows for sales managers and executives.
    **{
        (report, scope): {
            "read": "AAADD" if scope == "own" else "ADADD",
            "write": "DDDDD",
            "create": "DDDDD",
            "unlink": "DDDDD",
        }
        for report in (
            "crm.customer.contribution.report",
            "crm.customer.composition.report",
            "crm.customer.service.report",
            "crm.customer.churn.report",
            "crm.customer.value.report",
            "crm.sales.performance.report",
            "crm.customer.pool.report",
        )
        for scope in ("own", "other")
    },
    ("crm.customer.sales.month", "all"): {
        "read": "DDDDD",
        "write": "DDDDD",
        "create": "DDDDD",
        "unlink": "DDDDD",
    },
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
    "crm.service.step.wizard": "AADDD",
    "crm.customer.management.report.wizard": "AAADD",
}

# SQL views and system tables: even the superuser cannot write them.
NO_SUPERUSER_BASELINE = {
    "crm.customer.contribution.report",
    "crm.customer.composition.report",
    "crm.customer.service.report",
    "crm.customer.churn.report",
    "crm.customer.value.report",
    "crm.sales.performance.report",
    "crm.customer.pool.report",
    "crm.customer.sales.month",
}


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestSecRbac(SecurityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # Records the read-only models and the children of the matrix need.
        cls.lead_own = cls._lead(cls.sales_manager, assignee=cls.customer_manager)
        cls.lead_other = cls._lead(cls.sales_manager, assignee=cls.customer_manager_2)
        cls.template = env["crm.lead.plan.template"].create(
            {
                "name": "Sec template",
                "line_ids": [Command.create({"day_offset": 1, "content": "Call"})],
            }
        )
        # Report rows on both sides: orders, a lost customer each, pool
        # history, assigned opportunities (above) and services.
        cls._order(cls.customer_own, cls.customer_manager, days_ago=3)
        cls._order(cls.customer_other, cls.customer_manager_2, days_ago=3)
        # After the orders, which would resolve them (W3).
        cls.warning_own = cls._warning(cls.customer_own)
        cls.warning_other = cls._warning(cls.customer_other)
        lost_own = cls._customer("Sec Lost Own Co", cls.customer_manager)
        lost_other = cls._customer("Sec Lost Other Co", cls.customer_manager_2)
        for customer in lost_own | lost_other:
            cls._warning(customer)._confirm_loss("Moved to a competitor")
        env["crm.customer.ownership.log"].create(
            [
                {
                    "partner_id": cls.customer_own.id,
                    "method": "assign",
                    "to_user_id": cls.customer_manager.id,
                    "pool_id": cls.pool.id,
                },
                {
                    "partner_id": cls.customer_other.id,
                    "method": "assign",
                    "to_user_id": cls.customer_manager_2.id,
                    "pool_id": cls.pool.id,
                },
            ]
        )
        cls._service(cls.customer_manager, cls.customer_own)
        cls._service(cls.customer_manager_2, cls.customer_other)
        env.flush_all()  # the analyses are SQL views
        cls.checks = []

    # ------------------------------------------------------------------
    # Fresh records per model and scope (as superuser)
    # ------------------------------------------------------------------

    def _owner(self, scope):
        return (
            self.customer_manager
            if scope.startswith("own")
            else self.customer_manager_2
        )

    def _make(self, model, scope):
        """A fresh record of ``model`` in ``scope``, as superuser."""
        seq = len(self.checks)
        customer = self.customer_own if scope.startswith("own") else self.customer_other
        owner = self._owner(scope)
        builders = {
            "res.partner": self._make_partner,
            "crm.churn.warning": self._make_warning,
            "crm.lead": self._make_lead,
            "crm.lead.plan.item": self._make_plan_item,
            "sale.order": lambda scope, seq: self._order(
                customer, owner, confirm=False
            ),
            "helpdesk.ticket": lambda scope, seq: self._service(owner, customer),
        }
        if model in builders:
            return builders[model](scope, seq)
        vals = self._simple_vals(model, scope, seq)
        if vals is not None:
            return self.env[model].create(vals)
        return self._existing_row(model, scope)

    def _simple_vals(self, model, scope, seq):
        customer = self.customer_own if scope == "own" else self.customer_other
        if model == "crm.customer.pool.level.rule":
            pool = self.env["crm.customer.pool"].create({"name": f"Sec pool {seq}"})
            return {
                "pool_id": pool.id,
                "customer_level_id": self.customer_level.id,
                "no_followup_days": 60,
            }
        warning = self.warning_own if scope == "own" else self.warning_other
        return {
            "crm.dictionary.item": {
                "name": f"Sec region {seq}",
                "category": "region",
                "code": f"sec_r{seq}",
            },
            "crm.interaction": {
                "partner_id": customer.id,
                "summary": "Visit",
                "user_id": self._owner(scope).id,
            },
            "crm.customer.pool": {"name": f"Sec pool {seq}"},
            "crm.customer.ownership.log": {
                "partner_id": customer.id,
                "method": "claim",
                "to_user_id": self._owner(scope).id,
            },
            "crm.churn.warning.measure": {
                "warning_id": warning.id,
                "measure": "Call the buyer",
            },
            "crm.lead.plan.template": {"name": f"Sec template {seq}"},
            "crm.lead.plan.template.line": {
                "template_id": self.template.id,
                "content": "Visit",
                "day_offset": 2,
            },
            "helpdesk.ticket.stage": {"name": f"Sec stage {seq}"},
            "helpdesk.ticket.team": {"name": f"Sec team {seq}"},
        }.get(model)

    def _make_partner(self, scope, seq):
        if scope == "pool":
            return self._customer(
                f"Sec Fresh Pool {seq}",
                False,
                pool_id=self.pool.id,
                home_pool_id=self.pool.id,
            )
        if scope == "contact_other":
            return self._contact(f"Sec Fresh Contact {seq}", self.customer_other)
        return self._customer(f"Sec Fresh {scope} {seq}", self._owner(scope))

    def _make_warning(self, scope, seq):
        customer = self._customer(f"Sec Churn {scope} {seq}", self._owner(scope))
        warning = self._warning(customer)
        self.env["crm.churn.warning.measure"].create(
            {"warning_id": warning.id, "measure": "Visit with a discount offer"}
        )
        return warning

    def _make_lead(self, scope, seq):
        creator = self._owner(scope)
        if scope.endswith("unassigned"):
            return self._lead(creator)
        return self._lead(self.sales_manager, assignee=creator)

    def _make_plan_item(self, scope, seq):
        lead = self.lead_own if scope == "own" else self.lead_other
        return (
            self.env["crm.lead.plan.item"]
            .with_user(lead.user_id)
            .create({"lead_id": lead.id, "date": self.today, "content": "Call"})
            .sudo()
        )

    def _existing_row(self, model, scope):
        """Read-only models (analyses): an existing row of the scope."""
        Model = self.env[model]
        if model == "crm.customer.sales.month":
            rows = Model.search([], limit=1)
        else:
            owner_field = (
                "customer_manager_id"
                if "customer_manager_id" in Model._fields
                else "user_id"
            )
            rows = Model.search([(owner_field, "=", self._owner(scope).id)], limit=1)
        self.assertTrue(rows, f"no {model} row for scope {scope}: fixture incomplete")
        return rows

    def _create_vals(self, model, scope):
        seq = len(self.checks)
        owner = self._owner(scope)
        customer = self.customer_own if scope.startswith("own") else self.customer_other
        if model == "res.partner":
            if scope == "pool":
                return {
                    "name": f"Sec New Pool {seq}",
                    "is_company": True,
                    "customer_rank": 1,
                    "pool_id": self.pool.id,
                }
            if scope == "contact_other":
                return {
                    "name": f"Sec New Contact {seq}",
                    "parent_id": self.customer_other.id,
                    "gender": "female",
                    "function": "CEO",
                    "phone": "021-1234567",
                }
            return {
                "name": f"Sec New {seq}",
                "is_company": True,
                "customer_rank": 1,
                "user_id": owner.id,
            }
        return {
            "crm.dictionary.item": {
                "name": f"Sec new {seq}",
                "category": "region",
                "code": f"sec_new{seq}",
            },
            "crm.interaction": {"partner_id": customer.id, "summary": "Phone call"},
            "crm.customer.pool": {"name": f"Sec new pool {seq}"},
            "crm.customer.pool.level.rule": {
                "pool_id": self.pool.id,
                "customer_level_id": self.customer_level.id,
                "no_followup_days": 45,
            },
            "crm.customer.ownership.log": {
                "partner_id": customer.id,
                "method": "claim",
                "to_user_id": owner.id,
            },
            "crm.churn.warning": {
                "partner_id": self._customer(f"Sec New Churn {seq}", owner).id,
                "last_order_date": self.today - timedelta(days=300),
            },
            "crm.churn.warning.measure": {
                "warning_id": (
                    self.warning_own if scope == "own" else self.warning_other
                ).id,
                "measure": "Send a gift",
            },
            "crm.lead": {
                "name": "Sec new need",
                "partner_name": "Sec New Prospect",
                "type": "opportunity",
                # as the Development menu creates it (O1-O4 govern these)
                "is_development": True,
                **({"user_id": owner.id} if scope == "own_assigned" else {}),
            },
            "crm.lead.plan.item": {
                "lead_id": (self.lead_own if scope == "own" else self.lead_other).id,
                "date": self.today + timedelta(days=3),
                "content": "Visit",
            },
            "crm.lead.plan.template": {"name": f"Sec new template {seq}"},
            "crm.lead.plan.template.line": {
                "template_id": self.template.id,
                "content": "Quote",
                "day_offset": 5,
            },
            "helpdesk.ticket": {
                "name": "Sec new service",
                "description": "<p>Help</p>",
                "service_type_id": self.service_type.id,
                "partner_id": customer.id,
            },
            "helpdesk.ticket.stage": {"name": f"Sec new stage {seq}"},
            "helpdesk.ticket.team": {"name": f"Sec new team {seq}"},
        }.get(model, {"name": "x"})

    WRITE_VALS = {
        "res.partner": {"comment": "<p>Checked by the rights matrix</p>"},
        "crm.dictionary.item": {"description": "Checked"},
        "crm.interaction": {"place": "Shanghai office"},
        "crm.customer.pool": {"description": "Checked"},
        "crm.customer.pool.level.rule": {"no_followup_days": 40},
        "crm.customer.ownership.log": {"reason": "Rewritten history"},
        "crm.churn.warning.measure": {"customer_response": "Will think about it"},
        "crm.lead": {"description": "<p>Checked</p>"},
        "crm.lead.plan.item": {"result": "The buyer agreed to a visit"},
        "crm.lead.plan.template": {"description": "Checked"},
        "crm.lead.plan.template.line": {"content": "Checked"},
        "sale.order": {"client_order_ref": "SEC-1"},
        "helpdesk.ticket": {"description": "<p>Checked</p>"},
        "helpdesk.ticket.stage": {"sequence": 99},
        "helpdesk.ticket.team": {"sequence": 99},
    }

    def _operate(self, env, model, scope, operation):
        """Run one operation in ``env``; raise on refusal."""
        if operation == "create":
            env[model].create(self._create_vals(model, scope))
            return
        record = self._make(model, scope).with_env(env)
        if operation == "read":
            record.read(["display_name"])
        elif operation == "unlink":
            record.unlink()
        elif model == "crm.churn.warning":
            record.action_postpone()
        else:
            record.write(self.WRITE_VALS.get(model, {"display_name": "x"}))

    def _attempt(self, env, model, scope, operation):
        """'A' when the operation succeeds, 'D' when refused with an access
        or user error; always rolled back."""
        try:
            with self.env.cr.savepoint():
                self._operate(env, model, scope, operation)
                env.flush_all()
                raise _Rollback
        except _Rollback:
            return "A", None
        except (AccessError, UserError) as error:
            return "D", error
        finally:
            self.env.invalidate_all()

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------

    @mute_logger("odoo.models", "odoo.models.unlink", "odoo.addons.base.models.ir_rule")
    def test_sec_rbac_roles_by_models_matrix(self):
        mismatches = []
        baseline_failures = []
        for (model, scope), operations in RIGHTS.items():
            for operation, expected in operations.items():
                if model not in NO_SUPERUSER_BASELINE:
                    outcome, error = self._attempt(self.env, model, scope, operation)
                    if outcome != "A":
                        baseline_failures.append(
                            f"{model}/{scope}/{operation}: {error}"
                        )
                for role, want in zip(ROLES, expected, strict=True):
                    env = self.env(user=self.users[role])
                    got, error = self._attempt(env, model, scope, operation)
                    self.checks.append((role, model, scope, operation, got))
                    if got != want:
                        mismatches.append(
                            f"{ROLE_LETTERS[role]} {model}/{scope}/{operation}: "
                            f"expected {want}, got {got} ({error})"
                        )
        for model, expected in WIZARD_RIGHTS.items():
            for role, want in zip(ROLES, expected, strict=True):
                allowed = (
                    self.env[model].with_user(self.users[role]).has_access("create")
                )
                got = "A" if allowed else "D"
                self.checks.append((role, model, "model", "create", got))
                if got != want:
                    mismatches.append(
                        f"{ROLE_LETTERS[role]} {model}/create: "
                        f"expected {want}, got {got}"
                    )
        models_covered = {check[1] for check in self.checks}
        summary = (
            f"sec_rbac: {len(self.checks)} role x model x operation checks, "
            f"{len(ROLES)} roles, {len(models_covered)} models, "
            f"{sum(1 for c in self.checks if c[4] == 'A')} allowed, "
            f"{sum(1 for c in self.checks if c[4] == 'D')} denied"
        )
        _logger.info(summary)
        self.assertFalse(
            baseline_failures + mismatches, "\n".join(baseline_failures + mismatches)
        )

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

    def test_b2_sales_manager_rights(self):
        manager = self.sales_manager
        # Assigns opportunities (O4), with a plan template (sets up plans).
        lead = self._lead(self.customer_manager)
        self.env["crm.lead.assign"].with_user(manager).create(
            {
                "lead_ids": [Command.set(lead.ids)],
                "user_id": self.customer_manager.id,
            }
        ).action_assign()
        self.assertEqual(lead.development_state, "in_development")
        self.env["crm.lead.plan.apply"].with_user(manager).create(
            {
                "lead_ids": [Command.set(lead.ids)],
                "template_id": self.template.id,
            }
        ).action_apply()
        self.assertEqual(lead.plan_item_count, 1)
        # Assigns services (S2) and customers (P3).
        service = self._service(self.customer_manager, self.customer_own)
        service.with_user(manager).action_assign(self.customer_manager_2.id)
        self.assertEqual(service.service_state, "assigned")
        self.env["crm.customer.pool.assign.wizard"].with_user(manager).create(
            {
                "partner_ids": [Command.set(self.customer_pool.ids)],
                "user_id": self.customer_manager.id,
            }
        ).action_confirm()
        self.assertEqual(self.customer_pool.user_id, self.customer_manager)
        # Maintains the data dictionary (B1) and the pools (P4, P8).
        self.env["crm.dictionary.item"].with_user(manager).create(
            {
                "name": "Sec Strategic",
                "category": "customer_level",
                "code": "sec_strategic",
            }
        )
        self.pool.with_user(manager).write({"no_followup_days": 45})
        # Analyses everything (R1-R7) and gets the management report.
        for report in (
            "crm.customer.contribution.report",
            "crm.customer.composition.report",
            "crm.customer.service.report",
            "crm.customer.churn.report",
        ):
            rows = self.env[report].with_user(manager).search([])
            owners = set(
                rows.mapped(
                    "customer_manager_id"
                    if "customer_manager_id" in rows._fields
                    else "user_id"
                ).ids
            )
            self.assertLessEqual(
                {self.customer_manager.id, self.customer_manager_2.id}, owners, report
            )
        action = (
            self.env["crm.customer.management.report.wizard"]
            .with_user(manager)
            .create({})
            .action_print()
        )
        self.assertEqual(action["type"], "ir.actions.report")
        # Not a customer manager's work: handling someone's service, ending
        # someone's development.
        with self.assertRaises(AccessError):
            service.with_user(manager).action_handle("Handled for him")
        with self.assertRaises(AccessError):
            lead.with_user(manager).action_development_success()

    def test_b2_customer_manager_rights(self):
        cm = self.customer_manager
        Partner = self.env["res.partner"].with_user(cm)
        # Maintains his customers (C1-C3).
        customer = Partner.create(
            {
                "name": "Sec CM Customer",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cm.id,
            }
        )
        customer.write({"satisfaction": 4, "credit_rating": 5})
        self.env["crm.interaction"].with_user(cm).create(
            {"partner_id": customer.id, "summary": "First visit"}
        )
        # Creates services and handles the ones assigned to him (S1, S3, S4).
        service = self._service(cm, customer)
        service.with_user(self.sales_manager).action_assign(cm.id)
        service.with_user(cm).action_handle("Explained the settings")
        service.with_user(cm).action_feedback(4, "Happy")
        self.assertEqual(service.service_state, "archived")
        # Creates opportunities, writes and executes the development plan of
        # the ones assigned to him (O1, O5, O6) and ends them (O7).
        lead = self._lead(cm)
        lead.with_user(self.sales_manager)._assign_customer_manager(cm)
        item = (
            self.env["crm.lead.plan.item"]
            .with_user(cm)
            .create(
                {"lead_id": lead.id, "date": self.today, "content": "Call the buyer"}
            )
        )
        item.with_user(cm).write({"result": "Meeting set"})
        lead.with_user(cm).action_development_success(
            contact_gender="male", contact_function="Buyer"
        )
        self.assertEqual(lead.development_state, "success")
        # Postpones or confirms the loss of his customers (W2).
        self.env["crm.churn.warning.measure"].with_user(cm).create(
            {"warning_id": self.warning_own.id, "measure": "Visit"}
        )
        self.warning_own.with_user(cm).action_postpone()
        self.warning_own.with_user(cm)._confirm_loss("Moved to a competitor")
        self.assertEqual(self.warning_own.state, "confirmed")
        # Reads his own analysis rows only.
        rows = self.env["crm.customer.contribution.report"].with_user(cm).search([])
        self.assertEqual(set(rows.mapped("user_id").ids), {cm.id})
        # What is not his: assigning, the dictionary, other managers' data.
        with self.assertRaises(AccessError):
            self._lead(cm).with_user(cm)._assign_customer_manager(cm)
        with self.assertRaises(AccessError):
            self._service(cm, customer).with_user(cm).action_assign(cm.id)
        with self.assertRaises(AccessError):
            self.env["crm.dictionary.item"].with_user(cm).create(
                {"name": "Sec Mine", "category": "region", "code": "sec_mine"}
            )
        with self.assertRaises(AccessError):
            self.customer_other.with_user(cm).read(["name"])
        with self.assertRaises(AccessError):
            self.warning_other.with_user(cm).action_postpone()

    def test_b2_executive_rights(self):
        executive = self.executive
        # Reads the four analyses of the spec, every row (R1-R4).
        for report in (
            "crm.customer.contribution.report",
            "crm.customer.composition.report",
            "crm.customer.service.report",
            "crm.customer.churn.report",
        ):
            Report = self.env[report]
            self.assertEqual(
                Report.with_user(executive).search_count([]),
                Report.search_count([]),
                report,
            )
        # Changes nothing.
        attempts = [
            lambda: self.customer_own.with_user(executive).write({"comment": "x"}),
            lambda: self.env["res.partner"]
            .with_user(executive)
            .create({"name": "Sec Exec Co", "is_company": True}),
            lambda: self._lead(executive),
            lambda: self._service(executive, self.customer_own),
            lambda: self.warning_own.with_user(executive).action_postpone(),
            lambda: self.env["crm.dictionary.item"]
            .with_user(executive)
            .create({"name": "Sec Exec", "category": "region", "code": "sec_exec"}),
            lambda: self.pool.with_user(executive).write({"no_followup_days": 1}),
            lambda: self.env["crm.interaction"]
            .with_user(executive)
            .create({"partner_id": self.customer_own.id, "summary": "x"}),
        ]
        for attempt in attempts:
            with self.assertRaises(AccessError):
                attempt()
