"""sec_crash for crm_custom_reports: the management report action (R7)
fails midway (failure injected with mock.patch); nothing is sent and the
rerun sends the report exactly once (X4). See
crm_custom/tests/test_sec_crash.py for the method."""

from unittest import mock

from odoo.tests import tagged

from odoo.addons.crm_custom.tests.common import InjectedCrash, SecurityCommon


@tagged("post_install", "-at_install")
class TestSecCrashTransactional(SecurityCommon):
    """Actions that run in one transaction: the failing run is rolled back
    whole, the rerun does everything once."""

    def test_sec_crash_management_report_fails_midway(self):
        Report = self.env["report.crm_custom_reports.report_customer_management"]
        ReportClass = type(Report)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_custom_reports.management_report_last_period", False)
        self.executive.write({"email": "executive@example.com"})
        mails_before = self.env["mail.mail"].search([])

        def crash(*args, **kwargs):
            raise InjectedCrash("crash while rendering the report")

        with mock.patch.object(ReportClass, "_render_pdf", crash):
            self._failing_run(lambda: Report._cron_send_management_report())
        self.assertFalse(self.env["mail.mail"].search([]) - mails_before)
        with mock.patch.object(
            ReportClass, "_render_pdf", lambda *a, **k: b"%PDF-1.4 sec"
        ):
            sent = Report._cron_send_management_report()
            again = Report._cron_send_management_report()
        self.assertTrue(sent)
        self.assertFalse(again, "one report per period")
        self.assertEqual(self.env["mail.mail"].search([]) - mails_before, sent)
