"""sec_crash for crm_custom_service: the service time limits action (S7)
fails on its k-th late service (failure injected with mock.patch); the run
is rolled back whole and the rerun escalates each service exactly once (X4).
See crm_custom/tests/test_sec_crash.py for the method."""

from datetime import timedelta
from unittest import mock

from odoo import fields
from odoo.tests import tagged

from odoo.addons.crm_custom.tests.common import InjectedCrash

from .common import ServiceSecurityCommon


@tagged("post_install", "-at_install")
class TestSecCrashTransactional(ServiceSecurityCommon):
    """Actions that run in one transaction: the failing run is rolled back
    whole, the rerun does everything once."""

    def test_sec_crash_service_time_limits_fail_on_record_k(self):
        service_type = self.service_type
        service_type.sudo().write({"service_assign_hours": 4})
        long_ago = fields.Datetime.now() - timedelta(days=2)
        services = self.env["helpdesk.ticket"]
        for index in range(5):
            services |= self._service(
                self.customer_manager,
                self.customer_own,
                name=f"Sec late {index}",
                date_requested=long_ago,
            )
        Ticket = type(self.env["helpdesk.ticket"])
        original = Ticket._service_escalation_texts
        calls = []

        def crash_on_third(ticket, kind):
            calls.append(ticket.id)
            if len(calls) == 3:
                raise InjectedCrash("crash on the third late service")
            return original(ticket, kind)

        def activities():
            return self.env["mail.activity"].search_count(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", services.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref(
                            "crm_custom_service.mail_activity_type_service_overdue"
                        ).id,
                    ),
                ]
            )

        with mock.patch.object(Ticket, "_service_escalation_texts", crash_on_third):
            self._failing_run(
                lambda: self.env["helpdesk.ticket"]._cron_service_time_limits()
            )
        self.assertEqual(activities(), 0, "nothing half escalated")
        self.assertEqual(set(services.mapped("overdue_escalated_state")), {False})
        self.env["helpdesk.ticket"]._cron_service_time_limits()
        once = activities()
        self.assertTrue(once)
        self.assertEqual(set(services.mapped("overdue_escalated_state")), {"new"})
        self.env["helpdesk.ticket"]._cron_service_time_limits()
        self.assertEqual(activities(), once, "a rerun escalates nothing twice")
