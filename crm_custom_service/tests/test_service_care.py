from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceCare(ServiceCommon):
    def _followups(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("crm_custom.mail_activity_type_care_followup").id,
                ),
            ]
        )

    def test_c11_followup_visit_after_a_service_is_archived(self):
        # off by default
        service = self._handled_service()
        service.with_user(self.customer_manager).action_feedback(4, "Works now.")
        self.assertEqual(service.service_state, "archived")
        self.assertFalse(self._followups())
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_custom.care_followup_service", True)
        params.set_param("crm_custom.care_followup_service_days", 3)
        # sent back (satisfaction below 3): not archived, no follow-up
        service = self._handled_service()
        service.with_user(self.customer_manager).action_feedback(1, "Still broken.")
        self.assertFalse(self._followups())
        service.with_user(self.customer_manager).action_handle("Replaced the drum.")
        service.with_user(self.customer_manager).action_feedback(5, "Works now.")
        followup = self._followups()
        self.assertEqual(len(followup), 1)
        self.assertEqual(followup.user_id, self.customer_manager)
        self.assertIn(service.display_name, followup.summary)
