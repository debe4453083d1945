import json

from odoo import http
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTour(HttpCase):
    def test_r7_tour_executive_opens_dashboard_and_analyses(self):
        self.start_tour("/odoo", "crm_custom_reports_open_analyses", login="executive")

    def test_r7_excel_export_of_an_analysis(self):
        """The list export to Excel (/web/export/xlsx) of an analysis, as an
        executive."""
        self.authenticate("executive", "executive")
        Report = self.env["crm.customer.contribution.report"]
        rows = Report.search([])
        response = self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(
                    {
                        "model": Report._name,
                        "fields": [
                            {
                                "name": "partner_id",
                                "label": "Customer",
                                "type": "many2one",
                            },
                            {"name": "date", "label": "Month", "type": "date"},
                            {"name": "amount", "label": "Amount", "type": "monetary"},
                        ],
                        "ids": rows.ids,
                        "domain": [],
                        "groupby": [],
                        "import_compat": False,
                    }
                ),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertTrue(response.content.startswith(b"PK"))

    def test_r7_pivot_download_xlsx(self):
        """The pivot's 'Download xlsx' of an analysis, as an executive."""
        self.authenticate("executive", "executive")
        table = {
            "title": "Customer Contribution",
            "model": "crm.customer.contribution.report",
            "measure_count": 1,
            "origin_count": 1,
            "col_group_headers": [[{"title": "Total", "width": 1, "height": 1}]],
            "measure_headers": [
                {"title": "Amount", "width": 1, "height": 1, "is_bold": True}
            ],
            "origin_headers": [],
            "rows": [
                {"title": "Total", "indent": 0, "values": [{"value": 1800.0}]},
            ],
        }
        response = self.url_open(
            "/web/pivot/export_xlsx",
            data={
                "data": json.dumps(table),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))
