from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestServicePortal(HttpCase):
    """S4/S5 from helpdesk_mgmt's portal: customers see their services and
    give the satisfaction feedback."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {"name": "Portal Customer Co", "is_company": True}
        )
        cls.other_customer = Partner.create(
            {"name": "Other Customer Co", "is_company": True}
        )
        cls.portal_user = new_test_user(
            cls.env, login="test_service_portal_user", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.other_portal_user = new_test_user(
            cls.env, login="test_service_other_portal_user", groups="base.group_portal"
        )
        cls.other_portal_user.partner_id.parent_id = cls.other_customer
        cls.assignee = cls.env.ref("crm_custom.user_customer_manager_1")
        # Superuser steps: the role checks are tested in test_service.
        cls.service = cls.env["helpdesk.ticket"].create(
            {
                "name": "Portal service: noisy spindle",
                "description": "<p>The spindle is noisy.</p>",
                "service_type_id": cls.env.ref(
                    "crm_custom_service.service_type_complaint"
                ).id,
                "partner_id": cls.customer.id,
            }
        )
        cls.service.action_assign(cls.assignee.id)
        cls.service.action_handle("Bearing greased on site.")

    def _post_feedback(self, satisfaction, result="Works again."):
        response = self.url_open(
            f"/my/ticket/{self.service.id}/service_feedback",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "satisfaction": satisfaction,
                "result": result,
            },
        )
        self.service.invalidate_recordset()
        return response

    def test_s4_portal_lists_the_customers_services(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Portal service: noisy spindle", response.text)
        self.assertIn("Complaint", response.text)
        page = self.url_open(f"/my/ticket/{self.service.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Bearing greased on site.", page.text)
        self.assertIn('id="service_feedback_form"', page.text)
        # A service is closed by the feedback, not by helpdesk's close buttons.
        self.assertNotIn('action="/ticket/close"', page.text)

    def test_s4_portal_feedback_archives_the_service(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self._post_feedback("4", "The machine is quiet now.")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you for your feedback.", response.text)
        self.assertNotIn('id="service_feedback_form"', response.text)
        self.assertEqual(self.service.service_state, "archived")
        self.assertEqual(self.service.satisfaction, 4)
        self.assertEqual(self.service.feedback_result, "The machine is quiet now.")

    def test_s4_portal_low_satisfaction_sends_back(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        self._post_feedback("2", "Still noisy.")
        self.assertEqual(self.service.service_state, "assigned")
        self.assertEqual(self.service.sent_back_count, 1)

    def test_s4_portal_satisfaction_outside_1_to_5_is_refused(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        for value in ("0", "6", "abc", ""):
            response = self._post_feedback(value)
            self.assertEqual(response.status_code, 200)
            self.assertIn("alert-danger", response.text)
            self.assertEqual(self.service.service_state, "handled")
        self.assertFalse(self.service.satisfaction)

    def test_s4_portal_other_customer_cannot_give_feedback(self):
        self.authenticate(self.other_portal_user.login, self.other_portal_user.login)
        response = self._post_feedback("5")
        self.assertTrue(response.url.endswith("/my"))
        self.assertEqual(self.service.service_state, "handled")

    def test_s5_portal_cannot_close_a_service(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        with mute_logger("odoo.http"):
            self.url_open(
                "/ticket/close",
                data={
                    "csrf_token": http.Request.csrf_token(self),
                    "stage_id": done.id,
                    "ticket_id": self.service.id,
                },
            )
        self.service.invalidate_recordset()
        self.assertEqual(self.service.service_state, "handled")
