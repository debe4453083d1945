from lxml import etree

from odoo.tests import HttpCase, tagged

# Actions of the main multi-record screens: on a phone the web client opens
# their kanban view (the action's mobile_view_mode), so each needs one.
PHONE_ACTIONS = (
    "crm_custom.action_crm_customers",
    "crm_custom.action_crm_my_customers",
    "crm_custom.action_crm_customer_pool",
    "crm_custom.action_crm_lead_development",
    "crm_custom.action_crm_lead_my_development",
    "crm_custom.action_crm_churn_warning",
    "crm_custom_service.action_crm_services",
    "crm_custom_service.action_crm_services_mine",
)


@tagged("post_install", "-at_install")
class TestX2Phone(HttpCase):
    """X2 on a phone: the browser runs at 375 x 667 with touch events, so
    the web client uses its small-screen layout (app menu sidebar, kanban
    views, status bar buttons in the gear menu, full-screen dialogs)."""

    browser_size = "375x667"
    touch_enabled = True

    def _kanban_arch(self, action):
        views = dict((view_type, view_id) for view_id, view_type in action.views)
        self.assertIn("kanban", views, f"{action.xml_id} has no kanban view")
        model = self.env[action.res_model]
        arch = model.get_views([(views["kanban"], "kanban")])["views"]["kanban"]
        return etree.fromstring(arch["arch"])

    def test_x2_phone_main_screens_open_as_cards(self):
        for xmlid in PHONE_ACTIONS:
            action = self.env.ref(xmlid)
            with self.subTest(action=xmlid):
                self.assertEqual(action.mobile_view_mode, "kanban")
                self._kanban_arch(action)

    def test_x2_phone_pool_cards_carry_the_claim_button(self):
        """The main action of the pool is on its cards, not only in the list
        header (which a phone does not show)."""
        arch = self._kanban_arch(self.env.ref("crm_custom.action_crm_customer_pool"))
        self.assertTrue(arch.xpath("//button[@name='action_open_pool_claim_wizard']"))

    def test_x2_phone_claim_from_the_pool(self):
        customer = self.env.ref("crm_custom.demo_pool_customer_changjiang")
        manager = self.env.ref("crm_custom.user_customer_manager_1")
        self.assertEqual(customer.pool_state, "pool")
        self.start_tour(
            "/odoo",
            "crm_custom_reports_x2_phone_pool_claim",
            login="customer_manager_1",
        )
        customer.invalidate_recordset()
        self.assertEqual(customer.user_id, manager)
        self.assertEqual(customer.pool_state, "owned")
        log = self.env["crm.customer.ownership.log"].search(
            [("partner_id", "=", customer.id), ("method", "=", "claim")]
        )
        self.assertEqual(log.to_user_id, manager)

    def test_x2_phone_log_an_interaction(self):
        customer = self.env.ref("crm_custom.demo_customer_jinggong")
        self.start_tour(
            "/odoo",
            "crm_custom_reports_x2_phone_interaction",
            login="customer_manager_1",
        )
        record = self.env["crm.interaction"].search(
            [("summary", "=", "手机记录:确认备件交期")]
        )
        self.assertEqual(len(record), 1)
        self.assertEqual(record.partner_id, customer)
        self.assertEqual(record.place, "电话")
        self.assertEqual(record.user_id.login, "customer_manager_1")

    def test_x2_phone_handle_an_assigned_service(self):
        service = self.env.ref("crm_custom_service.service_demo_assigned")
        self.assertEqual(service.service_state, "assigned")
        self.assertEqual(service.user_id.login, "customer_manager_1")
        self.start_tour(
            "/odoo",
            "crm_custom_reports_x2_phone_service_handle",
            login="customer_manager_1",
        )
        service.invalidate_recordset()
        self.assertEqual(service.service_state, "handled")
        self.assertIn("售后专线", service.handling_note)
