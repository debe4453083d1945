from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCustomerPoolTour(HttpCase):
    def test_p2_tour_customer_manager_claims_from_the_pool(self):
        customer = self.env.ref("crm_custom.demo_pool_customer_huamei")
        manager = self.env.ref("crm_custom.user_customer_manager_1")
        self.assertEqual(customer.pool_state, "pool")
        self.start_tour(
            "/odoo", "crm_custom_customer_pool_claim", login="customer_manager_1"
        )
        self.assertEqual(customer.user_id, manager)
        self.assertEqual(customer.pool_state, "owned")
        log = self.env["crm.customer.ownership.log"].search(
            [("partner_id", "=", customer.id), ("method", "=", "claim")]
        )
        self.assertEqual(log.to_user_id, manager)
