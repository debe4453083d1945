from odoo.tests import tagged

from .common import ReportsCommon


@tagged("post_install", "-at_install")
class TestX3SalesIntegration(ReportsCommon):
    """X3: orders confirmed in the standard Sales app feed the churn data and
    the contribution analysis; cancelling them takes them out again."""

    def _contribution(self, customer):
        groups = self.env["crm.customer.contribution.report"]._read_group(
            [("partner_id", "=", customer.id)], aggregates=["amount:sum"]
        )
        return groups[0][0] if groups else 0.0

    def test_x3_sales_orders_feed_churn_and_contribution(self):
        customer = self.env["res.partner"].create(
            {
                "name": "X3 Pump Works",
                "is_company": True,
                "customer_rank": 1,
                "user_id": self.cm1.id,
            }
        )
        self.assertFalse(customer.last_order_date)
        self.assertEqual(self._contribution(customer), 0.0)

        order = self._order(customer, 1200.0, "2026-03-05", self.cm1)
        customer.invalidate_recordset()
        self.assertEqual(str(customer.last_order_date), "2026-03-05")
        self.assertAlmostEqual(self._contribution(customer), 1200.0)

        order._action_cancel()
        self.env.flush_all()
        customer.invalidate_recordset()
        self.assertFalse(customer.last_order_date)
        self.assertEqual(self._contribution(customer), 0.0)
