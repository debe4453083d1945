from datetime import date

from odoo import Command, models
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.crm_custom_reports.models.crm_customer_sales_month import PENDING_KEY

from .common import REPORT_MODELS, ReportsCommon


def _key(value):
    """A comparable key of a grouped value (records by id)."""
    if isinstance(value, models.BaseModel):
        return value.id or False
    return value


@tagged("post_install", "-at_install")
class TestReports(ReportsCommon):
    """The analyses 统计报表 R1-R6 against SQL computed independently on the
    golden data set, with the rows each role may see."""

    def _grouped(self, model, domain, groupby, aggregates, user=None):
        Report = self.env[model].with_user(user or self.sales_manager)
        return {
            tuple(_key(value) for value in row[: len(groupby)]): tuple(
                round(value, 2) if isinstance(value, float) else value
                for value in row[len(groupby) :]
            )
            for row in Report._read_group(domain, groupby, aggregates)
        }

    def _rounded(self, rows, width):
        return {
            tuple(row[:width]): tuple(
                round(float(value), 2)
                if value is not None and not isinstance(value, int)
                else value
                for value in row[width:]
            )
            for row in rows
        }

    # ------------------------------------------------------------------
    # R1 客户贡献分析
    # ------------------------------------------------------------------

    def _r1_expected_months(self, partner_ids):
        return self._rounded(
            self._sql(
                """
                SELECT p.commercial_partner_id,
                       date_trunc('month', so.date_order)::date,
                       SUM(so.amount_untaxed / so.currency_rate),
                       COUNT(*)
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND p.commercial_partner_id IN %s
                 GROUP BY 1, 2
                """,
                tuple(partner_ids),
            ),
            2,
        )

    def test_r1_contribution_per_customer_and_month_equals_sql(self):
        domain = [("partner_id", "in", self.customers.ids)]
        got = self._grouped(
            "crm.customer.contribution.report",
            domain,
            ["partner_id", "date:month"],
            ["amount:sum", "order_count:sum"],
        )
        self.assertEqual(got, self._r1_expected_months(self.customers.ids))
        # Hand check: the contact's order counts for its company, the
        # cancelled and draft orders do not, the foreign order is converted.
        a, b, c = self.customer_a.id, self.customer_b.id, self.customer_c.id
        self.assertEqual(got[(a, date(2024, 1, 1))], (1500.0, 2))
        self.assertEqual(got[(b, date(2024, 2, 1))], (2000.0, 1))
        self.assertEqual(got[(c, date(2023, 12, 1))], (700.0, 1))
        self.assertNotIn((c, date(2024, 1, 1)), got)
        self.assertEqual(self.order_b_feb.currency_id, self.foreign_currency)

    def test_r1_contribution_to_date_per_customer_manager_equals_sql(self):
        """The default pivot (figures to date per customer manager, then per
        customer) is read from the sales to date: same figures, and the
        count is the number of months."""
        Report = self.env["crm.customer.contribution.report"]
        domain = [("partner_id", "in", self.customers.ids)]
        self.assertFalse(
            Report._read_group_needs_months(
                domain, ["user_id"], ["amount:sum"], (), None
            )
        )
        self.assertTrue(
            Report._read_group_needs_months(
                domain, ["date:year"], ["amount:sum"], (), None
            )
        )
        got = self._grouped(
            "crm.customer.contribution.report",
            domain,
            ["user_id", "partner_id"],
            ["amount:sum", "order_count:sum", "__count"],
        )
        expected = self._rounded(
            self._sql(
                """
                SELECT cp.user_id, cp.id,
                       SUM(so.amount_untaxed / so.currency_rate),
                       COUNT(*),
                       COUNT(DISTINCT (so.company_id, so.user_id,
                                       date_trunc('month', so.date_order)))
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                  JOIN res_partner cp ON cp.id = p.commercial_partner_id
                 WHERE so.state = 'sale' AND cp.id IN %s
                 GROUP BY 1, 2
                """,
                tuple(self.customers.ids),
            ),
            2,
        )
        expected = {(user or False, pid): v for (user, pid), v in expected.items()}
        self.assertEqual(got, expected)
        # The month path gives the same totals.
        months = self._grouped(
            "crm.customer.contribution.report",
            domain + [("date", "!=", False)],
            ["user_id", "partner_id"],
            ["amount:sum", "order_count:sum", "__count"],
        )
        self.assertEqual(months, got)

    def test_r1_contribution_largest_first_and_filters(self):
        Report = self.env["crm.customer.contribution.report"].with_user(
            self.sales_manager
        )
        rows = Report.search([("partner_id", "in", self.customers.ids)])
        amounts = rows.mapped("amount")
        self.assertEqual(amounts, sorted(amounts, reverse=True))
        # Largest customers of a period, as the grouped list asks for them.
        top = Report.read_group(
            [
                ("partner_id", "in", self.customers.ids),
                ("date", ">=", "2024-01-01"),
                ("date", "<=", "2024-12-31"),
            ],
            ["amount:sum"],
            ["partner_id"],
            orderby="amount desc",
            limit=2,
        )
        self.assertEqual(
            [group["partner_id"][0] for group in top],
            [self.customer_b.id, self.customer_a.id],
        )
        self.assertEqual([group["amount"] for group in top], [2000.0, 1800.0])
        by_customer = Report.search([("partner_id", "=", self.customer_c.id)])
        self.assertEqual(by_customer.partner_id, self.customer_c)

    def test_r1_pivot_groups_in_standard_order(self):
        """The default pivot's groups come sorted like read_group sorts them
        in SQL (users by name), empty group last."""
        Report = self.env["crm.customer.contribution.report"].with_user(
            self.sales_manager
        )
        domain = [("partner_id", "in", self.customers.ids)]
        groups = Report.read_group(
            domain, ["amount:sum"], ["user_id", "date:year"], lazy=False
        )
        reference = Report.read_group(
            domain,
            ["amount:sum"],
            ["user_id", "date:year"],
            orderby="user_id, date:year",
            lazy=False,
            limit=1000,
        )
        self.assertEqual(
            [(g["user_id"], g["date:year"], g["amount"]) for g in groups],
            [(g["user_id"], g["date:year"], g["amount"]) for g in reference],
        )
        self.assertFalse(groups[-1]["user_id"])

    def test_r1_customer_manager_sees_only_own_customers(self):
        Report = self.env["crm.customer.contribution.report"]
        mine = Report.with_user(self.cm1).search([])
        self.assertEqual(
            mine.partner_id & self.customers, self.customer_a | self.customer_b
        )
        self.assertEqual(set(mine.mapped("user_id")), {self.cm1})
        theirs = Report.with_user(self.cm2).search([])
        self.assertEqual(theirs.partner_id & self.customers, self.customer_c)
        # Grouped reads too (the to-date path).
        totals = Report.with_user(self.cm1).read_group([], ["amount:sum"], ["user_id"])
        self.assertEqual([group["user_id"][0] for group in totals], [self.cm1.id])
        everything = Report.with_user(self.executive).search(
            [("partner_id", "in", self.customers.ids)]
        )
        self.assertEqual(everything.partner_id, self.customers)

    def test_r1_contribution_follows_order_changes(self):
        Report = self.env["crm.customer.contribution.report"]

        def months(customer):
            return {
                (row.date, row.amount, row.order_count)
                for row in Report.search([("partner_id", "=", customer.id)])
            }

        order = self._order(self.customer_d, 100, "2024-05-10", self.cm1)
        self.assertIn((date(2024, 5, 1), 100.0, 1), months(self.customer_d))
        # A line added to the confirmed order
        order.order_line = [
            Command.create(
                {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 50}
            )
        ]
        self.assertIn((date(2024, 5, 1), 150.0, 1), months(self.customer_d))
        # Its date moved to another month
        order.date_order = "2024-06-02 10:00:00"
        self.assertEqual(
            {
                row
                for row in months(self.customer_d)
                if row[0].year == 2024 and row[0].month in (5, 6)
            },
            {(date(2024, 6, 1), 150.0, 1)},
        )
        # Its contact moved to another company: the sales move with it
        contact = self.env["res.partner"].create(
            {
                "name": "Buyer Li",
                "parent_id": self.customer_d.id,
                "type": "contact",
                "gender": "female",
                "function": "Buyer",
                "phone": "010-7654321",
            }
        )
        self._order(contact, 70, "2024-08-08", self.cm1)
        self.assertIn((date(2024, 8, 1), 70.0, 1), months(self.customer_d))
        contact.parent_id = self.customer_b
        self.assertNotIn((date(2024, 8, 1), 70.0, 1), months(self.customer_d))
        self.assertIn((date(2024, 8, 1), 70.0, 1), months(self.customer_b))
        # Cancelled: gone
        order._action_cancel()
        self.assertFalse(
            [row for row in months(self.customer_d) if row[0] == date(2024, 6, 1)]
        )
        # The analysis still equals the orders.
        got = self._grouped(
            "crm.customer.contribution.report",
            [("partner_id", "in", self.customers.ids)],
            ["partner_id", "date:month"],
            ["amount:sum", "order_count:sum"],
        )
        self.assertEqual(got, self._r1_expected_months(self.customers.ids))

    def test_r1_monthly_sales_refreshed_before_commit(self):
        """Without any analysis read, the refresh runs when the transaction
        commits (its pre-commit hook), and a rebuild finds the same rows."""
        self._order(self.customer_d, 120, "2024-10-10", self.cm2)
        self.assertIn(
            self.customer_d.id, self.env.cr.precommit.data.get(PENDING_KEY, set())
        )
        self.env.cr.flush()  # what commit does first
        self.assertFalse(self.env.cr.precommit.data.get(PENDING_KEY))
        self.env.cr.execute(
            "SELECT amount, order_count FROM crm_customer_sales_month"
            " WHERE partner_id = %s AND month = '2024-10-01'",
            [self.customer_d.id],
        )
        self.assertEqual(self.env.cr.fetchall(), [(120.0, 1)])

        def snapshot():
            self.env.cr.execute(
                "SELECT partner_id, company_id, user_id, month,"
                " round(amount::numeric, 2), order_count"
                " FROM crm_customer_sales_month ORDER BY 1, 2, 3, 4"
            )
            months = self.env.cr.fetchall()
            self.env.cr.execute(
                "SELECT partner_id, company_id, user_id, round(amount::numeric, 2),"
                " order_count, month_count FROM crm_customer_sales_total"
                " ORDER BY 1, 2, 3"
            )
            return months, self.env.cr.fetchall()

        incremental = snapshot()
        self.env["crm.customer.sales.month"]._rebuild()
        self.assertEqual(snapshot(), incremental)

    def test_r1_drilldown_opens_orders_or_customers(self):
        Report = self.env["crm.customer.contribution.report"]
        row = Report.with_user(self.sales_manager).search(
            [("partner_id", "=", self.customer_a.id), ("date", "=", "2024-01-01")]
        )
        action = row.action_open_records()
        self.assertEqual(action["res_model"], "sale.order")
        orders = self.env["sale.order"].search(action["domain"])
        self.assertEqual(orders, self.order_a_jan | self.order_a_contact_jan)
        # Executives read no orders: they get the customer.
        action = row.with_user(self.executive).action_open_records()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(action["domain"], [("id", "in", self.customer_a.ids)])

    # ------------------------------------------------------------------
    # R2 客户构成分析
    # ------------------------------------------------------------------

    def test_r2_composition_by_level_credit_satisfaction_equals_sql(self):
        domain = [("partner_id", "in", self.customers.ids)]
        for fname, column in (
            ("customer_level_id", "customer_level_id"),
            ("credit_rating", "COALESCE(credit_rating, 0)::varchar"),
            ("satisfaction", "COALESCE(satisfaction, 0)::varchar"),
        ):
            got = self._grouped(
                "crm.customer.composition.report",
                domain,
                [fname],
                ["__count", "customer_count:sum", "share:sum"],
            )
            rows = self._sql(
                f"SELECT {column}, COUNT(*) FROM res_partner"  # noqa: S608
                " WHERE id IN %s AND active AND is_company AND customer_rank > 0"
                " GROUP BY 1",
                tuple(self.customers.ids),
            )
            total = sum(count for _value, count in rows)
            expected = {
                (value or False,): (count, count, round(count * 100.0 / total, 2))
                for value, count in rows
            }
            self.assertEqual(got, expected, fname)
        levels = self._grouped(
            "crm.customer.composition.report",
            domain,
            ["customer_level_id"],
            ["__count", "share:sum"],
        )
        self.assertEqual(levels[(self.level_ordinary.id,)], (2, 50.0))
        self.assertEqual(levels[(False,)], (1, 25.0))

    def test_r2_customers_of_other_companies_hidden(self):
        other_company = self.env["res.company"].create({"name": "Golden Branch"})
        branch_customer = self.env["res.partner"].create(
            {
                "name": "Golden Branch Customer",
                "is_company": True,
                "customer_rank": 1,
                "company_id": other_company.id,
            }
        )
        Report = self.env["crm.customer.composition.report"]
        self.assertFalse(
            Report.with_user(self.executive).search(
                [("partner_id", "=", branch_customer.id)]
            )
        )
        self.executive.write({"company_ids": [Command.link(other_company.id)]})
        self.assertTrue(
            Report.with_user(self.executive)
            .with_context(allowed_company_ids=[other_company.id])
            .search([("partner_id", "=", branch_customer.id)])
        )

    def test_r2_customer_manager_shares_of_own_customers(self):
        Report = self.env["crm.customer.composition.report"]
        mine = Report.with_user(self.cm1).search([])
        self.assertEqual(
            mine.partner_id & self.customers, self.customer_a | self.customer_b
        )
        self.assertEqual(set(mine.mapped("user_id")), {self.cm1})
        groups = Report.with_user(self.cm1).read_group(
            [], ["customer_count:sum", "share:sum"], ["credit_rating"], lazy=False
        )
        self.assertAlmostEqual(sum(group["share"] for group in groups), 100.0)
        self.assertEqual(sum(group["customer_count"] for group in groups), len(mine))

    # ------------------------------------------------------------------
    # R3 客户服务分析
    # ------------------------------------------------------------------

    def test_r3_services_by_type_and_month_equals_sql(self):
        got = self._grouped(
            "crm.customer.service.report",
            [("ticket_id", "in", self.services.ids)],
            ["service_type_id", "date:month"],
            ["service_count:sum", "handled_count:sum", "satisfaction:avg"],
        )
        expected = self._rounded(
            self._sql(
                """
                SELECT service_type_id,
                       date_trunc('month', date_requested)::date,
                       COUNT(*),
                       COUNT(date_handled),
                       AVG(NULLIF(satisfaction, 0))
                  FROM helpdesk_ticket
                 WHERE id IN %s
                 GROUP BY 1, 2
                """,
                tuple(self.services.ids),
            ),
            2,
        )
        expected = {
            key: (count, handled, satisfaction or False)
            for key, (count, handled, satisfaction) in expected.items()
        }
        self.assertEqual(got, expected)
        consultation_jan = (self.type_consultation.id, date(2024, 1, 1))
        self.assertEqual(got[consultation_jan], (1, 1, 4.0))

    def test_r3_customer_manager_sees_services_of_own_customers(self):
        Report = self.env["crm.customer.service.report"]
        mine = Report.with_user(self.cm1).search(
            [("ticket_id", "in", self.services.ids)]
        )
        self.assertEqual(mine.partner_id, self.customer_a)
        theirs = Report.with_user(self.cm2).search(
            [("ticket_id", "in", self.services.ids)]
        )
        self.assertEqual(theirs.partner_id, self.customer_c)
        everything = Report.with_user(self.executive).search(
            [("ticket_id", "in", self.services.ids)]
        )
        self.assertEqual(everything.ticket_id, self.services)
        action = mine[:1].action_open_records()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        self.assertEqual(action["domain"], [("id", "in", mine[:1].ticket_id.ids)])

    # ------------------------------------------------------------------
    # R4 客户流失分析
    # ------------------------------------------------------------------

    def test_r4_confirmed_losses_equal_sql(self):
        Report = self.env["crm.customer.churn.report"].with_user(self.sales_manager)
        rows = Report.search([("partner_id", "in", self.customers.ids)])
        got = {
            (
                row.partner_id.id,
                row.user_id.id,
                row.last_order_date,
                row.date_confirmed,
                row.lost_reason,
            )
            for row in rows
        }
        expected = set(
            self._sql(
                """
                SELECT partner_id, user_id, last_order_date, date_confirmed,
                       lost_reason
                  FROM crm_churn_warning
                 WHERE state = 'confirmed' AND partner_id IN %s
                """,
                tuple(self.customers.ids),
            )
        )
        self.assertEqual(got, expected)
        self.assertEqual(
            got,
            {
                (
                    self.customer_c.id,
                    self.cm2.id,
                    date(2023, 12, 15),
                    date(2024, 6, 30),
                    "Moved to a cheaper competitor",
                ),
                (
                    self.customer_b.id,
                    self.cm1.id,
                    date(2024, 2, 10),
                    date(2024, 9, 1),
                    "Company closed",
                ),
            },
        )
        per_manager = self._grouped(
            "crm.customer.churn.report",
            [("partner_id", "in", self.customers.ids)],
            ["user_id", "date_confirmed:quarter"],
            ["lost_count:sum"],
        )
        self.assertEqual(
            per_manager,
            {
                (self.cm2.id, date(2024, 4, 1)): (1,),
                (self.cm1.id, date(2024, 7, 1)): (1,),
            },
        )

    def test_r4_customer_manager_sees_own_losses(self):
        Report = self.env["crm.customer.churn.report"]
        mine = Report.with_user(self.cm1).search([])
        self.assertEqual(mine.warning_id & self.warnings, self.warning_b)
        theirs = Report.with_user(self.cm2).search([])
        self.assertEqual(theirs.warning_id & self.warnings, self.warning_c)
        action = mine.filtered(
            lambda r: r.warning_id == self.warning_b
        ).action_open_records()
        self.assertEqual(action["res_model"], "crm.churn.warning")
        self.assertEqual(action["domain"], [("id", "in", self.warning_b.ids)])

    # ------------------------------------------------------------------
    # R5 客户价值 / 来源 / 区域统计
    # ------------------------------------------------------------------

    def test_r5_value_source_region_equals_sql(self):
        got = self._grouped(
            "crm.customer.value.report",
            [("partner_id", "in", self.customers.ids)],
            ["region_id", "customer_source_id"],
            ["__count", "share:sum", "amount:sum", "order_count:sum"],
        )
        rows = self._sql(
            """
            SELECT p.region_id, p.customer_source_id, COUNT(*),
                   COALESCE(SUM(s.amount), 0), COALESCE(SUM(s.orders), 0)
              FROM res_partner p
              LEFT JOIN (
                    SELECT c.commercial_partner_id AS partner_id,
                           SUM(so.amount_untaxed / so.currency_rate) AS amount,
                           COUNT(*) AS orders
                      FROM sale_order so
                      JOIN res_partner c ON c.id = so.partner_id
                     WHERE so.state = 'sale'
                     GROUP BY 1
                   ) s ON s.partner_id = p.id
             WHERE p.id IN %s
             GROUP BY 1, 2
            """,
            tuple(self.customers.ids),
        )
        total = sum(row[2] for row in rows)
        expected = {
            (region or False, source or False): (
                count,
                round(count * 100.0 / total, 2),
                round(float(amount), 2),
                int(orders),
            )
            for region, source, count, amount, orders in rows
        }
        self.assertEqual(got, expected)
        self.assertEqual(
            got[(self.region_east.id, self.source_phone.id)], (1, 25.0, 1800.0, 3)
        )
        by_rating = self._grouped(
            "crm.customer.value.report",
            [("partner_id", "in", self.customers.ids)],
            ["rating"],
            ["amount:sum", "amount_avg:avg"],
        )
        self.assertEqual(by_rating[("3",)], (1800.0, 1800.0))
        self.assertEqual(by_rating[("0",)], (2250.0, 1125.0))

    def test_r5_customer_manager_sees_own_customers(self):
        Report = self.env["crm.customer.value.report"]
        mine = Report.with_user(self.cm2).search([])
        self.assertEqual(mine.partner_id & self.customers, self.customer_c)
        action = mine.filtered(
            lambda row: row.partner_id == self.customer_c
        ).action_open_records()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(action["domain"], [("id", "in", self.customer_c.ids)])

    # ------------------------------------------------------------------
    # R6 销售业绩
    # ------------------------------------------------------------------

    def test_r6_performance_per_customer_manager_equals_sql(self):
        domain = [("partner_id", "in", self.customers.ids)]
        aggregates = [
            "amount:sum",
            "won_partner_id:count_distinct",
            "opportunity_count:sum",
            "won_count:sum",
            "conversion_rate:avg",
        ]
        got = self._grouped(
            "crm.sales.performance.report", domain, ["user_id"], aggregates
        )
        sales = {
            user: (float(amount), customers)
            for user, amount, customers in self._sql(
                """
                SELECT so.user_id,
                       SUM(so.amount_untaxed / so.currency_rate),
                       COUNT(DISTINCT p.commercial_partner_id)
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND p.commercial_partner_id IN %s
                 GROUP BY 1
                """,
                tuple(self.customers.ids),
            )
        }
        leads = {
            user: (assigned, won)
            for user, assigned, won in self._sql(
                """
                SELECT l.user_id, COUNT(*),
                       COUNT(*) FILTER (WHERE s.is_won AND l.active)
                  FROM crm_lead l
                  LEFT JOIN crm_stage s ON s.id = l.stage_id
                 WHERE l.id IN %s AND l.user_id IS NOT NULL
                 GROUP BY 1
                """,
                tuple(self.leads.ids),
            )
        }
        expected = {}
        for user in set(sales) | set(leads):
            amount, customers = sales.get(user, (0.0, 0))
            assigned, won = leads.get(user, (0, 0))
            expected[(user or False,)] = (
                round(amount, 2),
                customers,
                assigned,
                won,
                round(won * 100.0 / assigned, 2) if assigned else False,
            )
        self.assertEqual(got, expected)
        self.assertEqual(got[(self.cm1.id,)], (3500.0, 2, 3, 1, 33.33))
        self.assertEqual(got[(self.cm2.id,)], (1000.0, 2, 2, 1, 50.0))
        # Per period (the month path) the year's figures are the same here.
        per_year = self._grouped(
            "crm.sales.performance.report",
            domain + [("date", ">=", "2024-01-01"), ("date", "<=", "2024-12-31")],
            ["user_id"],
            aggregates,
        )
        self.assertEqual(per_year[(self.cm1.id,)], (3500.0, 2, 3, 1, 33.33))
        self.assertEqual(per_year[(self.cm2.id,)], (300.0, 1, 2, 1, 50.0))

    def test_r6_customer_manager_sees_own_performance(self):
        Report = self.env["crm.sales.performance.report"]
        mine = Report.with_user(self.cm1).search([])
        self.assertEqual(set(mine.mapped("user_id")), {self.cm1})
        groups = Report.with_user(self.cm2).read_group([], ["amount:sum"], ["user_id"])
        self.assertEqual([group["user_id"][0] for group in groups], [self.cm2.id])
        lead_row = mine.filtered(lambda row: row.lead_id == self.leads[0])
        action = lead_row.action_open_records()
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(action["domain"], [("id", "in", self.leads[0].ids)])
        sale_row = mine.filtered(
            lambda row: row.kind == "sale" and row.partner_id == self.customer_b
        )
        action = sale_row.with_user(self.sales_manager).action_open_records()
        self.assertEqual(
            self.env["sale.order"].search(action["domain"]), self.order_b_feb
        )

    # ------------------------------------------------------------------
    # Customer pool statistics 客户池统计
    # ------------------------------------------------------------------

    def test_r6_pool_statistics_per_salesperson_equal_sql(self):
        got = self._grouped(
            "crm.customer.pool.report",
            [("log_id", "in", self.logs.ids)],
            ["user_id", "date:month"],
            [
                "claim_count:sum",
                "assign_count:sum",
                "recycle_count:sum",
                "put_count:sum",
            ],
        )
        expected = {
            (user or False, month): tuple(counts)
            for user, month, *counts in self._sql(
                """
                SELECT CASE WHEN method IN ('claim', 'assign') THEN to_user_id
                            ELSE from_user_id END,
                       date_trunc('month', date)::date,
                       COUNT(*) FILTER (WHERE method = 'claim'),
                       COUNT(*) FILTER (WHERE method = 'assign'),
                       COUNT(*) FILTER (WHERE method = 'recycle'),
                       COUNT(*) FILTER (WHERE method = 'put')
                  FROM crm_customer_ownership_log
                 WHERE id IN %s
                 GROUP BY 1, 2
                """,
                tuple(self.logs.ids),
            )
        }
        self.assertEqual(got, expected)
        self.assertEqual(got[(self.cm2.id, date(2024, 1, 1))], (1, 0, 0, 0))
        self.assertEqual(got[(self.cm2.id, date(2024, 3, 1))], (0, 0, 1, 0))
        mine = self.env["crm.customer.pool.report"].with_user(self.cm1).search([])
        self.assertEqual(set(mine.mapped("user_id")), {self.cm1})
        self.assertEqual(mine.log_id & self.logs, self.logs[0] | self.logs[4])

    # ------------------------------------------------------------------
    # Rights (B2) on every analysis
    # ------------------------------------------------------------------

    def test_r7_executive_reads_everything_and_changes_nothing(self):
        for model in REPORT_MODELS:
            Report = self.env[model].with_user(self.executive)
            rows = Report.search([], limit=1)
            self.assertTrue(rows, model)
            for operation in ("write", "create", "unlink"):
                with self.assertRaises(AccessError, msg=f"{model} {operation}"):
                    Report.check_access(operation)
            with self.assertRaises(AccessError, msg=model):
                rows.write({})
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.internal_user).search([])

    def test_r7_export_respects_record_rules(self):
        """Excel export (list export, export_data) of every analysis: the
        rows each role may read, no more."""
        for model in REPORT_MODELS:
            Report = self.env[model]
            fields = [
                name
                for name in ("partner_id", "user_id", "amount", "date")
                if name in Report._fields
            ]
            everything = Report.with_user(self.executive).search([])
            data = everything.export_data(fields)["datas"]
            self.assertEqual(len(data), len(everything), model)
            mine = Report.with_user(self.cm1).search([])
            self.assertLess(len(mine), len(everything), model)
            exported = mine.export_data(fields)["datas"]
            self.assertEqual(len(exported), len(mine), model)
            # Rows of others cannot be exported by id either.
            others = everything - mine.with_user(self.executive)
            with self.assertRaises(AccessError, msg=model):
                Report.with_user(self.cm1).browse(others[:1].ids).export_data(fields)
