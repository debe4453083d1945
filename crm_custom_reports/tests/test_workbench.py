from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import ReportsCommon


@tagged("post_install", "-at_install")
class TestWorkbench(ReportsCommon):
    """R10 工作台: each tile counts the records of the user who reads it,
    with their rights, as independent SQL does; its action opens exactly
    those records; the whole workbench costs a bounded number of queries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # "Today" is the customer manager's, in their time zone (the tiles
        # count in the reader's): near midnight UTC it is not the server's.
        cls.today = fields.Date.context_today(cls.env["res.users"].with_user(cls.cm1))
        Activity = cls.env["mail.activity"]
        todo = cls.env.ref("mail.mail_activity_data_todo")
        model_id = cls.env["ir.model"]._get_id("res.partner")
        cls.activity_today = Activity.create(
            {
                "res_model_id": model_id,
                "res_id": cls.customer_a.id,
                "activity_type_id": todo.id,
                "summary": "Golden call today",
                "user_id": cls.cm1.id,
                "date_deadline": cls.today,
            }
        )
        cls.activity_late = Activity.create(
            {
                "res_model_id": model_id,
                "res_id": cls.customer_b.id,
                "activity_type_id": todo.id,
                "summary": "Golden late call",
                "user_id": cls.cm1.id,
                "date_deadline": cls.today - timedelta(days=3),
            }
        )
        cls.activity_cm2 = Activity.create(
            {
                "res_model_id": model_id,
                "res_id": cls.customer_c.id,
                "activity_type_id": todo.id,
                "summary": "Golden call of cm2",
                "user_id": cls.cm2.id,
                "date_deadline": cls.today,
            }
        )
        # Customer A returns to the pool in 3 days, B in 30.
        cls.customer_a.sudo().recycle_date = cls.today + timedelta(days=3)
        cls.customer_b.sudo().recycle_date = cls.today + timedelta(days=30)
        # An open churn warning of cm1's customer A, a service assigned to
        # cm1.
        cls.warning_a = (
            cls.env["crm.churn.warning"]
            .sudo()
            .create({"partner_id": cls.customer_a.id, "last_order_date": "2024-03-05"})
        )
        cls.service_a = cls.services.filtered(
            lambda s: s.partner_id == cls.customer_a and s.service_state == "new"
        )
        cls.service_a.with_user(cls.sales_manager).action_assign(cls.cm1)
        cls.target = (
            cls.env["crm.sales.target"]
            .with_user(cls.sales_manager)
            .create(
                {
                    "user_id": cls.cm1.id,
                    "period_type": "month",
                    "date_start": cls.today.replace(day=1),
                    "amount_target": 1000.0,
                }
            )
        )

    def _tiles(self, user, scope="mine"):
        tiles = (
            self.env["crm.workbench.tile"]
            .with_user(user)
            .with_context(workbench_scope=scope)
            .search([])
        )
        return {tile.code: tile for tile in tiles}

    def _readable_activities(self, reader):
        """The activities whose documents ``reader`` may read (the tiles
        count with the user's rights: e.g. the administrator's activities on
        invoices are not a sales manager's business)."""
        self.env.cr.execute("SELECT id, res_model, res_id FROM mail_activity")
        return tuple(
            activity_id
            for activity_id, model, res_id in self.env.cr.fetchall()
            if model in self.env
            and self.env[model].with_user(reader).browse(res_id).has_access("read")
        ) or (0,)

    def _expected(self, users, reader=None):
        reader = reader or users[:1]
        today = fields.Date.context_today(self.env["res.users"].with_user(reader))
        ids = tuple(users.ids)
        activities = self._readable_activities(reader)
        queries = {
            "activity_today": (
                "SELECT COUNT(*) FROM mail_activity WHERE active"
                " AND user_id IN %s AND date_deadline = %s AND id IN %s",
                (ids, today, activities),
            ),
            "activity_overdue": (
                "SELECT COUNT(*) FROM mail_activity WHERE active"
                " AND user_id IN %s AND date_deadline < %s AND id IN %s",
                (ids, today, activities),
            ),
            "plan_today": (
                "SELECT COUNT(*) FROM crm_lead_plan_item WHERE user_id IN %s"
                " AND date = %s AND result IS NULL",
                (ids, today),
            ),
            "plan_overdue": (
                "SELECT COUNT(*) FROM crm_lead_plan_item i"
                " JOIN crm_lead l ON l.id = i.lead_id"
                " WHERE i.user_id IN %s AND i.date < %s AND i.result IS NULL"
                " AND l.development_state = 'in_development'",
                (ids, today),
            ),
            "pool_return": (
                "SELECT COUNT(*) FROM res_partner WHERE user_id IN %s"
                " AND is_company AND active AND pool_state = 'owned'"
                " AND recycle_date <= %s",
                (ids, today + timedelta(days=7)),
            ),
            "churn_open": (
                "SELECT COUNT(*) FROM crm_churn_warning WHERE user_id IN %s"
                " AND state = 'open'",
                (ids,),
            ),
            "service_assigned": (
                "SELECT COUNT(*) FROM helpdesk_ticket WHERE user_id IN %s"
                " AND service_type_id IS NOT NULL AND service_state = 'assigned'",
                (ids,),
            ),
            "service_overdue": (
                "SELECT COUNT(*) FROM helpdesk_ticket WHERE user_id IN %s"
                " AND service_type_id IS NOT NULL AND ("
                " (service_state = 'new'"
                "  AND deadline_assign < now() at time zone 'UTC')"
                " OR (service_state = 'assigned'"
                "     AND deadline_handle < now() at time zone 'UTC'))",
                (ids,),
            ),
        }
        return {
            code: self._sql(query, *params)[0][0]
            for code, (query, params) in queries.items()
        }

    def test_r10_counts_per_user_equal_sql(self):
        for user in (self.cm1, self.cm2):
            with self.subTest(user=user.login):
                tiles = self._tiles(user)
                got = {
                    code: tile.count for code, tile in tiles.items() if code != "target"
                }
                self.assertEqual(got, self._expected(user))
        cm1 = self._tiles(self.cm1)
        self.assertGreaterEqual(cm1["activity_today"].count, 1)
        self.assertGreaterEqual(cm1["activity_overdue"].count, 1)
        self.assertTrue(cm1["activity_overdue"].is_alert)
        self.assertEqual(cm1["pool_return"].count, 1)
        self.assertGreaterEqual(cm1["churn_open"].count, 1)
        self.assertGreaterEqual(cm1["service_assigned"].count, 1)
        # Target progress: this month's target of 1000, nothing sold.
        self.assertEqual((cm1["target"].count, cm1["target"].value), (1, "0%"))
        self.assertEqual(self._tiles(self.cm2)["target"].value, "-")

    def test_r10_team_workbench_of_sales_managers(self):
        team = self._tiles(self.sales_manager, scope="team")
        managers = self.env.ref("crm_custom.group_customer_manager").users
        got = {code: tile.count for code, tile in team.items() if code != "target"}
        self.assertEqual(got, self._expected(managers, reader=self.sales_manager))
        # A customer manager asking for the team scope gets their own.
        cm1 = self._tiles(self.cm1, scope="team")
        self.assertEqual(
            {code: tile.count for code, tile in cm1.items() if code != "target"},
            self._expected(self.cm1),
        )

    def test_r10_tiles_open_their_records(self):
        tiles = self._tiles(self.cm1)
        for code, records in (
            ("activity_today", self.activity_today),
            ("activity_overdue", self.activity_late),
            ("pool_return", self.customer_a),
            ("churn_open", self.warning_a),
            ("service_assigned", self.service_a),
            ("target", self.target),
        ):
            with self.subTest(tile=code):
                action = tiles[code].action_open()
                found = (
                    self.env[action["res_model"]]
                    .with_user(self.cm1)
                    .search(action["domain"])
                )
                self.assertIn(records, found)
                self.assertEqual(len(found), tiles[code].count)
        action = tiles["pool_return"].action_open()
        found = self.env["res.partner"].with_user(self.cm1).search(action["domain"])
        self.assertNotIn(self.customer_b, found)
        found = (
            self.env["mail.activity"]
            .with_user(self.cm1)
            .search(tiles["activity_today"].action_open()["domain"])
        )
        self.assertNotIn(self.activity_cm2, found)

    def test_r10_query_count_bounded(self):
        Tile = (
            self.env["crm.workbench.tile"]
            .with_user(self.cm1)
            .with_context(workbench_scope="mine")
        )
        tiles = Tile.search([])
        tiles.invalidate_model()
        self.env.flush_all()
        # 43 measured (9 tiles, one count each plus rules and the target).
        with self.assertQueryCount(50):
            tiles.web_read(
                {
                    "name": {},
                    "value": {},
                    "count": {},
                    "is_alert": {},
                    "code": {},
                    "icon": {},
                }
            )


@tagged("post_install", "-at_install")
class TestWorkbenchPhone(HttpCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_r10_tour_workbench_on_a_phone(self):
        service = self.env.ref("crm_custom_service.service_demo_assigned")
        self.assertEqual(service.user_id.login, "customer_manager_1")
        self.start_tour(
            "/odoo", "crm_custom_reports_workbench_phone", login="customer_manager_1"
        )
