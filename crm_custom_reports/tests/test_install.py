from odoo.tests import tagged

from odoo.addons.crm_custom.tests.common import CrmCustomCommon


@tagged("post_install", "-at_install")
class TestInstall(CrmCustomCommon):
    def test_x1_installed_with_both_addons(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["crm_custom_reports", "crm_custom", "crm_custom_service"])]
        )
        self.assertEqual(len(modules), 3)
        self.assertEqual(set(modules.mapped("state")), {"installed"})

    def test_b2_executive_reads_analyses_and_changes_nothing(self):
        report = self.env["crm.customer.contribution.report"]
        self.assertTrue(report.with_user(self.executive).has_access("read"))
        for operation in ("write", "create", "unlink"):
            self.assertFalse(
                report.with_user(self.executive).has_access(operation),
                f"executive may {operation}",
            )
        self.assertFalse(report.with_user(self.internal_user).has_access("read"))

    def test_b2_analyses_menu_for_roles(self):
        menu = self.env.ref("crm_custom_reports.menu_crm_analyses_root")
        for user in (self.executive, self.sales_manager, self.customer_manager):
            self.assertIn(
                menu.id, self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            )
        self.assertNotIn(
            menu.id,
            self.env["ir.ui.menu"].with_user(self.internal_user)._visible_menu_ids(),
        )
