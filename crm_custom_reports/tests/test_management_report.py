import base64
import json
from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import file_open

from odoo.addons.crm_custom_reports.report.crm_customer_management_report import (
    LAST_SENT_PARAM,
    PERIOD_PARAM,
)

from .common import REPORT_MODELS, ReportsCommon

REPORT_XMLID = "crm_custom_reports.action_report_customer_management"


@tagged("post_install", "-at_install")
class TestManagementReport(ReportsCommon):
    """R7: the customer management report 客户管理报告 (PDF), its monthly
    email to the executives and the dashboard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["report.crm_custom_reports.report_customer_management"]
        cls.executive.email = "executive@example.com"

    def _html(self, date_from, date_to, user=None):
        html, _report_type = (
            self.env["ir.actions.report"]
            .with_user(user or self.sales_manager)
            ._render_qweb_html(
                REPORT_XMLID,
                None,
                data={"date_from": date_from, "date_to": date_to},
            )
        )
        return html.decode()

    def test_r7_report_gathers_the_four_analyses(self):
        html = self._html("2024-01-01", "2024-12-31")
        for title in (
            "Customer Contribution",
            "Customer Composition",
            "Customer Services",
            "Customer Churn",
        ):
            self.assertIn(title, html)
        # R1: largest customers of the period; R4: the losses of the period.
        self.assertIn("Golden Electronics Co", html)
        self.assertIn("Moved to a cheaper competitor", html)
        self.assertIn("Company closed", html)
        values = self.Report.with_user(self.sales_manager)._get_report_values(
            None, {"date_from": "2024-01-01", "date_to": "2024-12-31"}
        )
        top = [
            (line["partner"], line["amount"])
            for line in values["contribution"]["top"]
            if line["partner"] in self.customers
        ]
        self.assertEqual(
            top,
            [
                (self.customer_b, 2000.0),
                (self.customer_a, 1800.0),
                (self.customer_d, 250.0),
            ],
        )
        losses = values["churn"]["losses"].filtered(
            lambda loss: loss.partner_id in self.customers
        )
        self.assertEqual(losses.warning_id, self.warning_c | self.warning_b)
        services = {line["type"]: line["count"] for line in values["services"]["lines"]}
        self.assertGreaterEqual(services[self.type_complaint], 2)
        # A shorter period leaves out what happened outside it.
        html = self._html("2024-07-01", "2024-09-30")
        self.assertIn("Company closed", html)
        self.assertNotIn("Moved to a cheaper competitor", html)

    def test_r7_report_of_customer_manager_shows_own_customers(self):
        html = self._html("2023-01-01", "2024-12-31", user=self.cm2)
        self.assertIn("Golden Logistics Co", html)
        self.assertNotIn("Golden Electronics Co", html)
        self.assertNotIn("Company closed", html)

    def test_r7_report_renders_as_pdf(self):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.executive)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                REPORT_XMLID,
                data={"date_from": "2024-01-01", "date_to": "2024-12-31"},
            )
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_r7_wizard_chooses_the_period(self):
        with freeze_time("2024-03-15"):
            wizard_form = Form(
                self.env["crm.customer.management.report.wizard"].with_user(
                    self.executive
                )
            )
            self.assertEqual(wizard_form.date_from, date(2024, 2, 1))
            self.assertEqual(wizard_form.date_to, date(2024, 2, 29))
            wizard = wizard_form.save()
        action = wizard.action_print()
        self.assertEqual(
            action["report_name"], "crm_custom_reports.report_customer_management"
        )
        self.assertEqual(
            action["data"], {"date_from": "2024-02-01", "date_to": "2024-02-29"}
        )
        with self.assertRaises(ValidationError):
            wizard.write({"date_from": "2024-03-01", "date_to": "2024-02-01"})
        with self.assertRaises(UserError):
            self.Report._get_report_values(None, {"date_from": "2024-03-01"})

    def test_r7_period_of_the_scheduled_report(self):
        params = self.env["ir.config_parameter"].sudo()
        today = date(2024, 5, 20)
        for period, expected in (
            ("month", (date(2024, 4, 1), date(2024, 4, 30))),
            ("quarter", (date(2024, 1, 1), date(2024, 3, 31))),
            ("year", (date(2023, 1, 1), date(2023, 12, 31))),
        ):
            params.set_param(PERIOD_PARAM, period)
            self.assertEqual(self.Report._last_completed_period(today), expected)
        settings = self.env["res.config.settings"].create(
            {"crm_management_report_period": "quarter"}
        )
        settings.execute()
        self.assertEqual(params.get_param(PERIOD_PARAM), "quarter")

    def test_r7_scheduled_action_emails_the_pdf_to_executives(self):
        self.env["ir.config_parameter"].sudo().set_param(PERIOD_PARAM, "month")
        cron = self.env.ref(
            "crm_custom_reports.ir_cron_send_customer_management_report"
        )
        self.assertEqual(cron.model_id.model, self.Report._name)
        Mail = self.env["mail.mail"]
        before = Mail.search([])
        with freeze_time("2024-03-05 06:00:00"):
            self.Report.with_context(
                force_report_rendering=True
            )._cron_send_management_report()
        mails = Mail.search([]) - before
        self.assertTrue(mails)
        self.assertIn(self.executive.partner_id, mails.recipient_ids)
        self.assertNotIn(self.cm1.partner_id, mails.recipient_ids)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        for mail in mails:
            self.assertIn("2024-02-01", mail.subject)
            attachment = mail.attachment_ids
            self.assertEqual(len(attachment), 1)
            self.assertEqual(attachment.mimetype, "application/pdf")
            self.assertTrue(base64.b64decode(attachment.datas).startswith(b"%PDF"))
        self.assertEqual(
            self.env["ir.config_parameter"].sudo().get_param(LAST_SENT_PARAM),
            "2024-02-01/2024-02-29",
        )
        # Rerun in the same month: nothing more is sent.
        with freeze_time("2024-03-20 06:00:00"):
            self.Report._cron_send_management_report()
        self.assertEqual(Mail.search([]) - before, mails)

    def test_r7_dashboard_gathers_the_analyses(self):
        dashboard = self.env.ref(
            "crm_custom_reports.spreadsheet_dashboard_customer_analyses"
        )
        for user in (self.executive, self.sales_manager, self.cm1):
            self.assertIn(
                dashboard,
                self.env["spreadsheet.dashboard"].with_user(user).search([]),
            )
        self.assertNotIn(
            dashboard,
            self.env["spreadsheet.dashboard"].with_user(self.internal_user).search([]),
        )
        with file_open(
            "crm_custom_reports/data/files/customer_analyses_dashboard.json"
        ) as file:
            spreadsheet = json.load(file)
        charts = [
            figure["data"]
            for sheet in spreadsheet["sheets"]
            for figure in sheet["figures"]
        ]
        self.assertEqual(
            {chart["metaData"]["resModel"] for chart in charts},
            set(REPORT_MODELS),
        )
        # Every chart reads its analysis as an executive.
        for chart in charts:
            meta = chart["metaData"]
            measure = meta["measure"]
            Model = self.env[meta["resModel"]].with_user(self.executive)
            fields = (
                []
                if measure == "__count"
                else [f"{measure}:{Model._fields[measure].aggregator}"]
            )
            groups = Model.read_group([], fields, meta["groupBy"], lazy=False)
            self.assertTrue(groups, meta)
        for menu_xmlid in spreadsheet["chartOdooMenusReferences"].values():
            self.assertTrue(self.env.ref(menu_xmlid).action)
        action = self.env.ref(
            "crm_custom_reports.action_crm_customer_analyses_dashboard"
        )
        self.assertEqual(action.params, {"dashboard_id": dashboard.id})
