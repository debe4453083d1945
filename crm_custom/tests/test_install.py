from odoo.tests import tagged

from .common import CrmCustomCommon


@tagged("post_install", "-at_install")
class TestInstall(CrmCustomCommon):
    def test_x1_installed_with_dependencies(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["crm_custom", "crm", "sale_management", "stock"])]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 4)

    def test_b2_roles_build_on_sales_groups(self):
        self.assertTrue(
            self.customer_manager.has_group("sales_team.group_sale_salesman")
        )
        self.assertFalse(
            self.customer_manager.has_group("sales_team.group_sale_salesman_all_leads")
        )
        self.assertTrue(
            self.sales_manager.has_group("sales_team.group_sale_salesman_all_leads")
        )
        self.assertTrue(
            self.sales_manager.has_group("crm_custom.group_customer_manager")
        )
        self.assertFalse(
            self.executive.has_group("sales_team.group_sale_salesman"),
            "Executives read analyses; they get no sales rights.",
        )
        self.assertFalse(self.executive.has_group("crm_custom.group_customer_manager"))

    def test_b2_demo_users_have_their_roles(self):
        roles = {
            "sales_manager": "crm_custom.group_sales_manager",
            "customer_manager_1": "crm_custom.group_customer_manager",
            "customer_manager_2": "crm_custom.group_customer_manager",
            "executive": "crm_custom.group_executive",
        }
        for login, group in roles.items():
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertTrue(user, f"demo user {login} missing")
            self.assertTrue(user.has_group(group), f"{login} lacks {group}")
        self.assertFalse(
            self.env.ref("crm_custom.user_customer_manager_1").has_group(
                "crm_custom.group_sales_manager"
            )
        )

    def test_b2_customers_menu_visible_to_customer_managers_only(self):
        menu = self.env.ref("crm_custom.menu_crm_customers_root")
        visible = (
            self.env["ir.ui.menu"].with_user(self.customer_manager)._visible_menu_ids()
        )
        self.assertIn(menu.id, visible)
        hidden = self.env["ir.ui.menu"].with_user(self.executive)._visible_menu_ids()
        self.assertNotIn(menu.id, hidden)
