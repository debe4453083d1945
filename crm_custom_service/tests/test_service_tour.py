from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestServiceTour(HttpCase):
    def _tour_service(self):
        return self.env["helpdesk.ticket"].search(
            [("name", "=", "Tour service: printer jams")]
        )

    def test_s1_s5_tour_service_lifecycle_across_roles(self):
        """create (customer manager) → assign (sales manager) → handle (the
        assignee) → feedback (customer manager) → archived, read only."""
        self.start_tour(
            "/odoo", "crm_custom_service_lifecycle_create", login="customer_manager_1"
        )
        service = self._tour_service()
        self.assertEqual(len(service), 1)
        self.assertEqual(service.service_state, "new")
        self.assertEqual(service.service_type_id.code, "complaint")
        self.assertEqual(service.create_uid.login, "customer_manager_1")

        self.start_tour(
            "/odoo/crm-services",
            "crm_custom_service_lifecycle_assign",
            login="sales_manager",
        )
        service.invalidate_recordset()
        self.assertEqual(service.service_state, "assigned")
        self.assertEqual(service.user_id.login, "customer_manager_1")

        self.start_tour(
            "/odoo/crm-services",
            "crm_custom_service_lifecycle_handle",
            login="customer_manager_1",
        )
        service.invalidate_recordset()
        self.assertEqual(service.service_state, "handled")
        self.assertIn("feed rollers", service.handling_note)

        self.start_tour(
            "/odoo/crm-services",
            "crm_custom_service_lifecycle_feedback",
            login="customer_manager_1",
        )
        service.invalidate_recordset()
        self.assertEqual(service.service_state, "archived")
        self.assertEqual(service.satisfaction, 4)
        self.assertEqual(service.feedback_result, "The printer works again.")
