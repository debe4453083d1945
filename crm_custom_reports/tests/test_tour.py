from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTour(HttpCase):
    def test_x2_tour_executive_opens_analyses(self):
        self.start_tour("/odoo", "crm_custom_reports_open_analyses", login="executive")
