from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTour(HttpCase):
    def test_x2_tour_customer_manager_opens_services(self):
        self.start_tour(
            "/odoo", "crm_custom_service_open_services", login="customer_manager_1"
        )
