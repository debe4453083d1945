import json
from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import file_open, mute_logger

from .common import ReportsCommon


@tagged("post_install", "-at_install")
class TestTargets(ReportsCommon):
    """R8 业绩目标: targets per customer manager and sales team, their
    actual figures against SQL computed independently over the orders, the
    completion rate in the performance analysis, and who may see or change
    them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create(
            {"name": "Golden Team", "member_ids": [(6, 0, (cls.cm1 | cls.cm2).ids)]}
        )
        Target = cls.env["crm.sales.target"].with_user(cls.sales_manager)
        cls.target_cm1_q1 = Target.create(
            {
                "user_id": cls.cm1.id,
                "period_type": "quarter",
                "date_start": "2024-01-01",
                "amount_target": 5000.0,
                "new_customer_target": 3,
            }
        )
        cls.target_cm1_jan = Target.create(
            {
                "user_id": cls.cm1.id,
                "period_type": "month",
                "date_start": "2024-01-01",
                "amount_target": 2000.0,
                "new_customer_target": 1,
            }
        )
        cls.target_cm2_mar = Target.create(
            {
                "user_id": cls.cm2.id,
                "period_type": "month",
                "date_start": "2024-03-01",
                "amount_target": 600.0,
                "new_customer_target": 1,
            }
        )
        cls.target_team_2024 = Target.create(
            {
                "target_type": "team",
                "team_id": cls.team.id,
                "period_type": "year",
                "date_start": "2024-01-01",
                "amount_target": 10000.0,
                "new_customer_target": 0,
            }
        )
        cls.targets = (
            cls.target_cm1_q1
            | cls.target_cm1_jan
            | cls.target_cm2_mar
            | cls.target_team_2024
        )

    def _expected_actual(self, users, date_from, date_to):
        """Sales and new customers of these salespeople in the period, from
        the orders."""
        [(amount,)] = self._sql(
            """
            SELECT COALESCE(SUM(so.amount_untaxed / so.currency_rate), 0)
              FROM sale_order so
             WHERE so.state = 'sale' AND so.user_id IN %s
               AND so.company_id = %s
               AND so.date_order >= %s AND so.date_order < %s::date + 1
            """,
            tuple(users.ids),
            self.env.company.id,
            date_from,
            date_to,
        )
        [(customers,)] = self._sql(
            """
            WITH firsts AS (
                SELECT p.commercial_partner_id AS partner_id,
                       MIN(date_trunc('month', so.date_order)) AS first_month
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %s
                 GROUP BY 1
            )
            SELECT COUNT(DISTINCT f.partner_id)
              FROM firsts f
             WHERE f.first_month >= %s AND f.first_month <= %s
               AND EXISTS (
                   SELECT 1 FROM sale_order so
                     JOIN res_partner p ON p.id = so.partner_id
                    WHERE so.state = 'sale' AND so.user_id IN %s
                      AND p.commercial_partner_id = f.partner_id
                      AND date_trunc('month', so.date_order) = f.first_month)
            """,
            self.env.company.id,
            date_from,
            date_to,
            tuple(users.ids),
        )
        return round(float(amount), 2), customers

    def test_r8_targets_against_actual_equal_sql(self):
        Report = self.env["crm.sales.target.report"].with_user(self.sales_manager)
        rows = {
            row.target_id: row
            for row in Report.search([("target_id", "in", self.targets.ids)])
        }
        self.assertEqual(set(rows), set(self.targets))
        for target, users in (
            (self.target_cm1_q1, self.cm1),
            (self.target_cm1_jan, self.cm1),
            (self.target_cm2_mar, self.cm2),
            (self.target_team_2024, self.cm1 | self.cm2),
        ):
            with self.subTest(target=target.display_name):
                row = rows[target]
                expected = self._expected_actual(
                    users, target.date_start, target.date_end
                )
                self.assertEqual(
                    (round(row.amount_actual, 2), row.new_customer_actual), expected
                )
                self.assertEqual(
                    (target.amount_actual, target.new_customer_actual),
                    (row.amount_actual, row.new_customer_actual),
                )
        # Hand check: Q1 2024 of cm1: 1500 (Jan, the contact's order counts
        # for its company) + 2000 (Feb, converted); new customers A and B.
        self.assertEqual(
            self._expected_actual(self.cm1, date(2024, 1, 1), date(2024, 3, 31)),
            (3500.0, 2),
        )
        self.assertAlmostEqual(self.target_cm1_q1.amount_rate, 70.0)
        self.assertEqual(round(self.target_cm1_q1.new_customer_rate, 1), 66.7)
        # cm2 sold 300 in March to A, who bought before: no new customer.
        self.assertEqual(
            (
                self.target_cm2_mar.amount_actual,
                self.target_cm2_mar.new_customer_actual,
            ),
            (300.0, 0),
        )
        # Completion of a group: actual over target of its rows.
        [(amount_rate, customer_rate)] = Report._read_group(
            [("target_id", "in", (self.target_cm1_q1 | self.target_cm2_mar).ids)],
            [],
            ["amount_rate:sum", "new_customer_rate:sum"],
        )
        self.assertAlmostEqual(amount_rate, (3500.0 + 300.0) * 100.0 / 5600.0)
        self.assertAlmostEqual(customer_rate, 2 * 100.0 / 4)
        # No target, no rate (no division by zero).
        zero = self.targets[0].copy({"date_start": "2030-01-01", "amount_target": 0})
        self.assertEqual(zero.amount_rate, 0.0)
        [(rate,)] = Report._read_group(
            [("target_id", "=", zero.id)], [], ["amount_rate:sum"]
        )
        self.assertFalse(rate)

    def test_r8_completion_in_performance_analysis(self):
        """R6 gets each customer manager's target per month (the finest
        target covering the month) and the completion rate."""
        Report = self.env["crm.sales.performance.report"].with_user(self.sales_manager)
        domain = [
            ("user_id", "in", (self.cm1 | self.cm2).ids),
            ("date", ">=", "2024-01-01"),
            ("date", "<=", "2024-03-31"),
        ]
        got = {
            user.id: (round(amount, 2), round(target, 2), round(rate or 0, 2))
            for user, amount, target, rate in Report._read_group(
                domain,
                ["user_id"],
                ["amount:sum", "amount_target:sum", "completion_rate:sum"],
            )
        }
        cm1_target = 2000.0 + 2 * 5000.0 / 3  # January has its own target
        self.assertEqual(
            got[self.cm1.id],
            (3500.0, round(cm1_target, 2), round(3500.0 * 100 / cm1_target, 2)),
        )
        self.assertEqual(got[self.cm2.id], (300.0, 600.0, 50.0))
        per_month = {
            (user.id, month): target
            for user, month, target in Report._read_group(
                domain, ["user_id", "date:month"], ["amount_target:sum"]
            )
        }
        self.assertEqual(per_month[(self.cm1.id, date(2024, 1, 1))], 2000.0)
        self.assertAlmostEqual(per_month[(self.cm1.id, date(2024, 2, 1))], 5000.0 / 3)
        # Without period (sales to date) the targets are there too.
        [(target,)] = Report._read_group(
            [("user_id", "=", self.cm2.id)], [], ["amount_target:sum"]
        )
        self.assertEqual(target, 600.0)
        # The graph and the drill-down.
        row = Report.search([("kind", "=", "target"), ("user_id", "=", self.cm2.id)])
        action = row.action_open_records()
        self.assertEqual(action["res_model"], "crm.sales.target")
        self.assertEqual(action["domain"], [("id", "in", self.target_cm2_mar.ids)])

    def test_r8_customer_manager_sees_own_targets_and_changes_none(self):
        Target = self.env["crm.sales.target"]
        mine = Target.with_user(self.cm2).search([])
        # Their own target and their team's, not cm1's.
        self.assertEqual(mine, self.target_cm2_mar | self.target_team_2024)
        with self.assertRaises(AccessError):
            self.target_cm1_q1.with_user(self.cm2).read(["amount_target"])
        with self.assertRaises(AccessError):
            self.target_cm2_mar.with_user(self.cm2).write({"amount_target": 1.0})
        with self.assertRaises(AccessError):
            Target.with_user(self.cm2).create(
                {"user_id": self.cm2.id, "date_start": "2024-04-01"}
            )
        with self.assertRaises(AccessError):
            self.target_cm2_mar.with_user(self.cm2).action_copy_next_period()
        # Their progress: the analyses show their own rows only.
        rows = self.env["crm.sales.target.report"].with_user(self.cm2).search([])
        self.assertEqual(rows.target_id, self.target_cm2_mar | self.target_team_2024)
        perf = self.env["crm.sales.performance.report"].with_user(self.cm2)
        self.assertEqual(
            perf.search([("kind", "=", "target")]).target_id, self.target_cm2_mar
        )
        # The progress computed on their targets is readable.
        self.assertEqual(mine.sorted("id")[0].with_user(self.cm2).amount_actual, 300.0)
        # Executives read everything, change nothing.
        self.assertEqual(
            Target.with_user(self.executive).search_count(
                [("id", "in", self.targets.ids)]
            ),
            4,
        )
        with self.assertRaises(AccessError):
            self.target_cm2_mar.with_user(self.executive).write({"amount_target": 1.0})

    def test_r8_copy_last_period_and_spread_a_year(self):
        Target = self.env["crm.sales.target"].with_user(self.sales_manager)
        (self.target_cm1_q1 | self.target_cm2_mar).with_user(
            self.sales_manager
        ).action_copy_next_period()
        q2 = Target.search(
            [("user_id", "=", self.cm1.id), ("date_start", "=", "2024-04-01")]
        )
        self.assertEqual(
            (q2.period_type, q2.amount_target, q2.new_customer_target),
            ("quarter", 5000.0, 3),
        )
        april = Target.search(
            [("user_id", "=", self.cm2.id), ("date_start", "=", "2024-04-01")]
        )
        self.assertEqual((april.period_type, april.amount_target), ("month", 600.0))
        # Copying again creates no duplicate.
        self.target_cm1_q1.with_user(self.sales_manager).action_copy_next_period()
        self.assertEqual(
            Target.search_count(
                [("user_id", "=", self.cm1.id), ("date_start", "=", "2024-04-01")]
            ),
            1,
        )
        year = Target.create(
            {
                "user_id": self.cm2.id,
                "period_type": "year",
                "date_start": "2025-01-01",
                "amount_target": 12001.0,
                "new_customer_target": 14,
            }
        )
        kept = Target.create(
            {"user_id": self.cm2.id, "date_start": "2025-05-01", "amount_target": 7.0}
        )
        year.action_spread_year()
        months = Target.search(
            [
                ("user_id", "=", self.cm2.id),
                ("period_type", "=", "month"),
                ("date_start", ">=", "2025-01-01"),
            ]
        )
        self.assertEqual(len(months), 12)
        self.assertEqual(kept.amount_target, 7.0)
        spread = months - kept
        self.assertEqual(spread[-1].date_start, date(2025, 1, 1))
        self.assertAlmostEqual(sum(spread.mapped("amount_target")), 12001.0 - 1000.08)
        self.assertEqual(
            spread.filtered(lambda t: t.date_start.month == 1).new_customer_target, 2
        )
        self.assertEqual(
            spread.filtered(lambda t: t.date_start.month == 3).new_customer_target, 1
        )
        with self.assertRaises(UserError):
            self.target_cm2_mar.with_user(self.sales_manager).action_spread_year()

    def test_r8_bad_input(self):
        Target = self.env["crm.sales.target"].with_user(self.sales_manager)
        with self.assertRaises(ValidationError):
            Target.create(
                {
                    "user_id": self.cm1.id,
                    "period_type": "quarter",
                    "date_start": "2024-02-01",
                }
            )
        with self.assertRaises(ValidationError):
            Target.create({"target_type": "user", "date_start": "2024-02-01"})
        with self.assertRaises(ValidationError):
            Target.create(
                {
                    "target_type": "team",
                    "team_id": self.team.id,
                    "user_id": self.cm1.id,
                    "date_start": "2024-02-01",
                }
            )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Target.create(
                    {
                        "user_id": self.cm1.id,
                        "date_start": "2024-05-01",
                        "amount_target": -1,
                    }
                )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Target.create({"user_id": self.cm2.id, "date_start": "2024-03-01"})

    def test_r8_management_report_and_dashboard_show_targets_and_rates(self):
        Report = self.env["report.crm_custom_reports.report_customer_management"]
        data = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
        values = Report.with_user(self.executive)._get_report_values(None, data)
        self.assertLessEqual(self.targets, values["targets"]["targets"].target_id)
        self.assertEqual(len(values["rates"]["months"]), 12)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.executive)
            ._render_qweb_html(
                "crm_custom_reports.action_report_customer_management", None, data=data
            )[0]
            .decode()
        )
        self.assertIn("o_crm_report_targets", html)
        self.assertIn("o_crm_report_rates", html)
        self.assertIn(self.cm1.name, html)
        # A customer manager's report: their own targets, no company rates.
        values = Report.with_user(self.cm2)._get_report_values(None, data)
        self.assertEqual(
            values["targets"]["targets"].target_id,
            self.target_cm2_mar | self.target_team_2024,
        )
        self.assertFalse(values["rates"]["months"])
        # The management dashboard: sales managers and executives.
        dashboard = self.env.ref("crm_custom_reports.spreadsheet_dashboard_management")
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(dashboard, Dashboard.with_user(self.executive).search([]))
        self.assertIn(dashboard, Dashboard.with_user(self.sales_manager).search([]))
        self.assertNotIn(dashboard, Dashboard.with_user(self.cm1).search([]))
        with file_open(
            "crm_custom_reports/data/files/management_dashboard.json"
        ) as file:
            spreadsheet = json.load(file)
        charts = [
            f["data"] for sheet in spreadsheet["sheets"] for f in sheet["figures"]
        ]
        self.assertEqual(
            {chart["metaData"]["resModel"] for chart in charts},
            {"crm.sales.target.report", "crm.customer.rate.report"},
        )
        for chart in charts:
            meta = chart["metaData"]
            Model = self.env[meta["resModel"]].with_user(self.executive)
            measure = meta["measure"]
            groups = Model.read_group(
                chart["searchParams"]["domain"],
                [f"{measure}:{Model._fields[measure].aggregator}"],
                meta["groupBy"],
                lazy=False,
            )
            self.assertTrue(groups, meta)
        for menu_xmlid in spreadsheet["chartOdooMenusReferences"].values():
            self.assertTrue(self.env.ref(menu_xmlid).action)
