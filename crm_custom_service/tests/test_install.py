from odoo.tests import tagged

from odoo.addons.crm_custom.tests.common import CrmCustomCommon


@tagged("post_install", "-at_install")
class TestInstall(CrmCustomCommon):
    def test_x1_installed_on_helpdesk(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["crm_custom_service", "crm_custom", "helpdesk_mgmt"])]
        )
        self.assertEqual(len(modules), 3)
        self.assertEqual(set(modules.mapped("state")), {"installed"})

    def test_b2_roles_reach_helpdesk(self):
        self.assertTrue(
            self.customer_manager.has_group("helpdesk_mgmt.group_helpdesk_user_own")
        )
        self.assertFalse(
            self.customer_manager.has_group("helpdesk_mgmt.group_helpdesk_user")
        )
        self.assertTrue(
            self.sales_manager.has_group("helpdesk_mgmt.group_helpdesk_user")
        )
        self.assertFalse(
            self.executive.has_group("helpdesk_mgmt.group_helpdesk_user_own")
        )
