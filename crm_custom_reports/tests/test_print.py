import json

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import ReportsCommon


@tagged("post_install", "-at_install")
class TestPrint(ReportsCommon):
    """R7 打印: any analysis printed as the user looks at it, with the
    total of each of its groups, in the user's language."""

    def _wizard(self, user, model, domain, context, title="Golden print"):
        return (
            self.env["crm.analysis.print.wizard"]
            .with_user(user)
            .create(
                {
                    "res_model": model,
                    "domain": json.dumps(domain),
                    "print_context": json.dumps(context),
                    "title": title,
                }
            )
        )

    def _html(self, wizard):
        return (
            self.env["ir.actions.report"]
            .with_env(wizard.env)
            ._render_qweb_html(
                "crm_custom_reports.action_report_crm_analysis", wizard.ids
            )[0]
            .decode()
        )

    def test_r7_grouped_pivot_prints_its_group_totals(self):
        wizard = self._wizard(
            self.executive,
            "crm.sales.performance.report",
            [("partner_id", "in", self.customers.ids)],
            {
                "pivot_row_groupby": ["user_id"],
                "pivot_column_groupby": ["date:year"],
                "pivot_measures": ["amount", "won_partner_id"],
            },
        )
        table = wizard._print_table()
        rows = [(row["depth"], row["label"], row["values"]) for row in table["rows"]]
        # Same figures as the grouped read (R6 checks them against SQL):
        # cm1 3500 in 2024, cm2 700 in 2023 and 300 in 2024, D's order
        # without salesperson 250, total 4750.
        self.assertIn((0, self.cm1.name, [3500.0, 2]), rows)
        self.assertIn((1, "2024", [3500.0, 2]), rows)
        self.assertIn((0, self.cm2.name, [1000.0, 2]), rows)
        self.assertIn((1, "2023", [700.0, 1]), rows)
        self.assertEqual(rows[-1], (0, "Grand Total", [4750.0, 4]))
        html = self._html(wizard)
        for text in (
            self.cm1.name,
            self.cm2.name,
            "3,500.00",
            "1,000.00",
            "4,750.00",
            "Golden print",
        ):
            self.assertIn(text, html)
        self.assertIn("o_crm_analysis_total", html)
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.executive)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "crm_custom_reports.action_report_crm_analysis", wizard.ids
            )
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_r7_print_from_the_view_and_in_chinese(self):
        """The gear menu's Print sends the view's domain, context and
        facets; the table is in the user's language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_custom_reports"], ["zh_CN"], overwrite=True
        )
        self.executive.lang = "zh_CN"
        action = (
            self.env["crm.analysis.print.wizard"]
            .with_user(self.executive)
            .with_context(lang="zh_CN")
            .action_print_view(
                "crm.customer.churn.report",
                [["partner_id", "in", self.customers.ids]],
                {"group_by": ["user_id"]},
                "流失分析",
                ["客户: Golden"],
            )
        )
        self.assertEqual(
            action["report_name"], "crm_custom_reports.report_crm_analysis"
        )
        wizard = self.env["crm.analysis.print.wizard"].browse(
            action["context"]["active_ids"]
        )
        table = (
            wizard.with_user(self.executive).with_context(lang="zh_CN")._print_table()
        )
        # Measures of the pivot view when the view has none of its own.
        self.assertEqual(len(table["measures"]), 1)
        label = (
            self.env["ir.model.fields"]
            ._get("crm.customer.churn.report", "lost_count")
            .with_context(lang="zh_CN")
            .field_description
        )
        self.assertNotEqual(label, "Lost Customers")
        self.assertEqual(table["measures"], [label])
        rows = {row["label"]: row["values"] for row in table["rows"]}
        self.assertEqual(rows[self.cm1.name], [1])  # B's loss, handled by cm1
        self.assertEqual(rows[self.cm2.name], [1])
        self.assertEqual(table["rows"][-1]["values"], [2])
        html = self._html(wizard.with_user(self.executive).with_context(lang="zh_CN"))
        self.assertIn("流失分析", html)
        self.assertIn("客户: Golden", html)
        self.assertIn(label, html)

    def test_r7_rights_and_bad_input(self):
        # A customer manager prints their own rows only.
        wizard = self._wizard(
            self.cm1,
            "crm.sales.performance.report",
            [("kind", "=", "sale")],
            {"group_by": ["user_id"], "pivot_measures": ["amount"]},
        )
        labels = [row["label"] for row in wizard._print_table()["rows"]]
        self.assertEqual(labels, [self.cm1.name, "Grand Total"])
        for context in (
            {"group_by": ["no_such_field"]},
            {"pivot_measures": ["partner_name_nope"]},
        ):
            with self.subTest(context=context), self.assertRaises(UserError):
                self._wizard(
                    self.executive, "crm.customer.churn.report", [], context
                ).action_print()
        wizard = self._wizard(self.executive, "crm.customer.churn.report", [], {})
        wizard.domain = "not a domain ["
        with self.assertRaises(UserError):
            wizard.action_print()
        # Only analyses are printed.
        with self.assertRaises(UserError):
            self._wizard(self.executive, "res.partner", [], {}).action_print()


@tagged("post_install", "-at_install")
class TestPrintTour(HttpCase):
    def test_r7_tour_executive_prints_a_grouped_analysis(self):
        self.start_tour(
            "/odoo/action-crm_custom_reports.action_crm_sales_performance_report",
            "crm_custom_reports_print_analysis",
            login="executive",
        )
        wizard = self.env["crm.analysis.print.wizard"].search(
            [], order="id desc", limit=1
        )
        self.assertEqual(wizard.res_model, "crm.sales.performance.report")
        self.assertEqual(wizard.create_uid.login, "executive")
        self.assertIn("user_id", json.loads(wizard.print_context)["pivot_row_groupby"])
