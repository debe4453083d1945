"""B2 / sec_rbac for crm_custom_reports: every role against the analyses
(R1-R7), with crm_custom's rights matrix check (see
crm_custom/tests/test_sec_rbac.py for the roles and the scopes), and what
each role does across the three addons (B2, 2.2)."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.crm_custom_service.tests.common import ServiceRbacCommon

from .common import REPORT_MODELS

# model, scope -> {operation: rights of S C E P I}
RIGHTS = {
    # --- crm_custom_reports (R1-R7): read only; own rows for customer
    # managers, all rows for sales managers and executives.
    **{
        (report, scope): {
            "read": "AAADD" if scope == "own" else "ADADD",
            "write": "DDDDD",
            "create": "DDDDD",
            "unlink": "DDDDD",
        }
        for report in REPORT_MODELS
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
    "crm.customer.management.report.wizard": "AAADD",
}

# SQL views and system tables: even the superuser cannot write them.
NO_SUPERUSER_BASELINE = frozenset({*REPORT_MODELS, "crm.customer.sales.month"})


@tagged("post_install", "-at_install")
class TestSecRbac(ServiceRbacCommon):
    RIGHTS = RIGHTS
    WIZARD_RIGHTS = WIZARD_RIGHTS
    NO_SUPERUSER_BASELINE = NO_SUPERUSER_BASELINE

    @mute_logger("odoo.models", "odoo.models.unlink", "odoo.addons.base.models.ir_rule")
    def test_sec_rbac_roles_by_models_matrix(self):
        self._check_rights_matrix()

    # ------------------------------------------------------------------
    # B2: each role does what the spec gives it, and no more (2.2)
    # ------------------------------------------------------------------

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
