"""sec_rpc for crm_custom_reports: reading and exporting other managers'
data over HTTP JSON-RPC (/web/dataset/call_kw) as a logged-in customer
manager: customers, warnings, services, opportunities, interactions and the
rows of the analyses (B2, W4, S, R1-R7). See
crm_custom/tests/test_sec_rpc.py."""

from odoo.tests import tagged

from odoo.addons.crm_custom_service.tests.common import ServiceRpcCommon

from .common import REPORT_MODELS


@tagged("post_install", "-at_install")
class TestSecRpc(ServiceRpcCommon):
    # ------------------------------------------------------------------
    # Reading (P6, W4, S, R)
    # ------------------------------------------------------------------

    def test_sec_rpc_read_and_export_other_managers_data(self):
        other_records = {
            "res.partner": self.customer_other | self.contact_other,
            "crm.churn.warning": self.warning_other,
            "helpdesk.ticket": self.service_other,
            "crm.lead": self.lead_other,
            "crm.interaction": self.env["crm.interaction"].create(
                {
                    "partner_id": self.customer_other.id,
                    "summary": "Secret visit",
                    "user_id": self.customer_manager_2.id,
                }
            ),
        }
        for model, records in other_records.items():
            self._refused(model, "read", [records.ids, ["display_name"]])
            self._refused(model, "export_data", [records.ids, ["display_name"]])
            type(self).probes += 2
            self.assertFalse(
                self._call(
                    model,
                    "search_read",
                    [[("id", "in", records.ids)], ["display_name"]],
                )
            )
            result = self._call(
                model,
                "web_search_read",
                [],
                {
                    "domain": [("id", "in", records.ids)],
                    "specification": {"display_name": {}},
                },
            )
            self.assertEqual(result["length"], 0, model)
        # Reports: only the customer manager's own rows, in lists, groups
        # and exports.
        Report = self.env["crm.customer.contribution.report"]
        own_total = sum(
            Report.search([("user_id", "=", self.customer_manager.id)]).mapped("amount")
        )
        other_rows = Report.search([("user_id", "=", self.customer_manager_2.id)])
        self.assertTrue(other_rows and own_total)
        for report in REPORT_MODELS:
            type(self).probes += 1
            rows = self._call(report, "search_read", [[], ["user_id"]])
            self.assertTrue(
                all(
                    row["user_id"] and row["user_id"][0] == self.customer_manager.id
                    for row in rows
                    if "user_id" in row
                )
                or report == "crm.customer.service.report",
                report,
            )
            owner = (
                "customer_manager_id"
                if report == "crm.customer.service.report"
                else "user_id"
            )
            foreign = self.env[report].search(
                [(owner, "=", self.customer_manager_2.id)]
            )
            if foreign:
                self._refused(report, "read", [foreign.ids[:1], ["display_name"]])
                self._refused(
                    report, "export_data", [foreign.ids[:1], ["display_name"]]
                )
            type(self).probes += 1
            visible = self._call(
                report,
                "web_search_read",
                [],
                {"domain": [("id", "in", foreign.ids)], "specification": {"id": {}}},
            )
            self.assertEqual(visible["length"], 0, report)
        type(self).probes += 1
        groups = self._call(
            "crm.customer.contribution.report",
            "web_read_group",
            [],
            {"domain": [], "fields": ["amount:sum"], "groupby": ["user_id"]},
        )
        self.assertEqual(
            [group["user_id"][0] for group in groups["groups"]],
            [self.customer_manager.id],
        )
        self.assertAlmostEqual(groups["groups"][0]["amount"], own_total)
