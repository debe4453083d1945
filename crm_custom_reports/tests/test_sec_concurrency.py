"""sec_concurrency for crm_custom_reports: orders of one customer confirmed
at the same moment from separate database transactions lose no update of
the monthly sales (R1, X4); see crm_custom/tests/test_sec_concurrency.py
for the method."""

from odoo import Command, api, fields
from odoo.tests import tagged

from odoo.addons.crm_custom.tests.common import THREADS, SecConcurrencyCommon


@tagged("post_install", "-at_install")
class TestSecConcurrency(SecConcurrencyCommon):
    def test_sec_concurrency_orders_lose_no_update(self):
        """Orders of one customer confirmed at the same moment by two
        salespeople: the customer's monthly sales (R1) and last order date
        (W1) count every one of them."""

        def setup(env):
            product = env["product.product"].create(
                {"name": "Sec Concurrency Chair", "type": "consu", "list_price": 10.0}
            )
            customer = env["res.partner"].create(
                {
                    "name": "Sec Buying Customer",
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": self.user_ids[0],
                }
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "user_id": self.user_ids[i % 2],
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "product_uom_qty": i + 1,
                                    "price_unit": 100.0,
                                }
                            )
                        ],
                    }
                    for i in range(THREADS)
                ]
            )
            return customer.id, orders.ids, product.id

        customer_id, order_ids, product_id = self._committed(setup)
        try:
            outcomes = self._race(
                [
                    (
                        api.SUPERUSER_ID,
                        lambda env, oid=oid: env["sale.order"]
                        .browse(oid)
                        .action_confirm(),
                    )
                    for oid in order_ids
                ]
            )
            self.assertTrue(all(kind == "ok" for kind, _r in outcomes), outcomes)

            def check(env):
                orders = env["sale.order"].browse(order_ids)
                months = env["crm.customer.sales.month"].search(
                    [("partner_id", "=", customer_id)]
                )
                customer = env["res.partner"].browse(customer_id)
                return (
                    sum(orders.mapped("amount_untaxed")),
                    sum(months.mapped("amount")),
                    sum(months.mapped("order_count")),
                    customer.last_order_date,
                    customer.churn_purchase_count,
                )

            expected, amount, order_count, last_order, purchases = self._committed(
                check
            )
            self.assertAlmostEqual(amount, expected)
            self.assertEqual(order_count, THREADS)
            self.assertEqual(last_order, fields.Date.today())
            self.assertEqual(purchases, 1, "one purchase day")
        finally:
            self._cleanup(partner_ids=[customer_id], order_ids=order_ids)
            self._committed(
                lambda env: env["product.product"].browse(product_id).unlink()
            )
