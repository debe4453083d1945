from odoo.tests import HttpCase, new_test_user, tagged


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


@tagged("post_install", "-at_install")
class TestKnowledgePortal(HttpCase):
    """S8: customers read the published solutions of public categories."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="test_kb_portal", groups="base.group_portal"
        )
        cls.public = cls.env.ref("crm_custom_service.kb_demo_invoice")
        cls.staff_only = cls.env.ref("crm_custom_service.kb_demo_slow_response")
        cls.public.parent_id.kb_public = True
        cls.staff_only.parent_id.kb_public = False

    def test_s8_portal_lists_and_opens_public_solutions_only(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        listing = self.url_open("/my/solutions")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.public.name, listing.text)
        self.assertNotIn(self.staff_only.name, listing.text)
        found = self.url_open("/my/solutions?search=%E5%8F%91%E7%A5%A8")  # 发票
        self.assertIn(self.public.name, found.text)
        page = self.url_open(f"/my/solutions/{self.public.id}")
        self.assertIn("增值税专用发票", page.text)
        refused = self.url_open(f"/my/solutions/{self.staff_only.id}")
        self.assertTrue(refused.url.endswith("/my/solutions"))
        self.assertNotIn("专人回电", refused.text)
