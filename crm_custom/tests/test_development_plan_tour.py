from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDevelopmentPlanTour(HttpCase):
    def test_o1_to_o7_tour_create_assign_plan_succeed(self):
        """The whole path in the web client, each step by its role:
        create → assign → plan → record the result → success → customer."""
        self.start_tour(
            "/odoo", "crm_custom_development_create", login="customer_manager_1"
        )
        lead = self.env["crm.lead"].search(
            [("partner_name", "=", "Tour Furniture Ltd")]
        )
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.development_state, "unassigned")
        self.assertEqual(lead.create_uid.login, "customer_manager_1")

        self.start_tour("/odoo", "crm_custom_development_assign", login="sales_manager")
        self.assertEqual(lead.development_state, "in_development")
        self.assertEqual(lead.user_id.login, "customer_manager_1")

        self.start_tour(
            "/odoo", "crm_custom_development_plan", login="customer_manager_1"
        )
        self.assertEqual(lead.plan_item_ids.result, "The customer agreed to order")
        self.assertEqual(lead.development_state, "success")
        company = self.env["res.partner"].search(
            [("name", "=", "Tour Furniture Ltd"), ("is_company", "=", True)]
        )
        self.assertEqual(len(company), 1)
        self.assertEqual(company.user_id.login, "customer_manager_1")
        self.assertEqual(company.child_ids.name, "Tour Contact")
        self.assertEqual(company.child_ids.phone, "13900001234")
        self.assertEqual(company.child_ids.function, "Purchasing Manager")
