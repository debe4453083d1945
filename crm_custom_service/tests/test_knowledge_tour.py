from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestKnowledgeTour(HttpCase):
    def test_s8_tour_complaint_solved_by_a_suggested_solution(self):
        service = self.env.ref("crm_custom_service.service_demo_assigned")
        solution = self.env.ref("crm_custom_service.kb_demo_slow_response")
        self.assertEqual(service.user_id.login, "customer_manager_1")
        self.assertEqual(service.service_type_id.code, "complaint")
        self.assertIn(solution, service.kb_suggestion_ids)
        self.start_tour(
            "/odoo/crm-services",
            "crm_custom_service_knowledge_solution",
            login="customer_manager_1",
        )
        service.invalidate_recordset()
        self.assertEqual(service.solution_page_id, solution)
