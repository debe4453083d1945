from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger

from .common import CrmCustomCommon


@tagged("post_install", "-at_install")
class TestChurnWarning(CrmCustomCommon):
    """Churn warnings 流失预警 (W1-W4)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "churn_threshold_months": 6,
                "churn_cycle_rule": True,
                "churn_cycle_factor": 3.0,
                "churn_cycle_min_orders": 4,
            }
        )
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "Churn Test Machinery",
                "is_company": True,
                "user_id": cls.customer_manager.id,
            }
        )
        cls.contact = Partner.create(
            {
                "name": "Buyer Zhao",
                "parent_id": cls.customer.id,
                "type": "contact",
                "gender": "male",
                "function": "Purchasing Manager",
                "phone": "021-12345678",
            }
        )
        cls.customer_2 = Partner.create(
            {
                "name": "Churn Test Logistics",
                "is_company": True,
                "user_id": cls.customer_manager_2.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Churn Test Service", "type": "service", "list_price": 100.0}
        )
        cls.Warning = cls.env["crm.churn.warning"]

    def _order(self, partner, days_ago=0, confirm=True):
        """A sale order for ``partner``, confirmed ``days_ago`` days ago."""
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 1}
                    )
                ],
            }
        )
        if confirm:
            with freeze_time(fields.Datetime.now() - timedelta(days=days_ago)):
                order.action_confirm()
        return order

    def _run_cron(self, **kwargs):
        return self.Warning._cron_create_churn_warnings(**kwargs)

    def _warnings(self, partner):
        return self.Warning.search([("partner_id", "=", partner.id)])

    def _open_warning(self, partner=None, days_ago=200):
        partner = partner or self.customer
        self._order(partner, days_ago=days_ago)
        warning = self._run_cron() & self._warnings(partner)
        self.assertEqual(len(warning), 1)
        return warning

    # ------------------------------------------------------------------
    # W1: last order date and detection
    # ------------------------------------------------------------------

    def test_w1_order_on_contact_counts_for_company(self):
        order = self._order(self.contact, days_ago=40)
        self.assertEqual(
            self.customer.last_order_date, fields.Date.to_date(order.date_order)
        )
        self.assertEqual(self.customer.churn_purchase_count, 1)
        self.assertFalse(self.contact.last_order_date, "kept on the company only")

    def test_w1_draft_and_cancelled_orders_do_not_count(self):
        old = self._order(self.customer, days_ago=300)
        self._order(self.customer, confirm=False)
        self.assertEqual(
            self.customer.last_order_date, fields.Date.to_date(old.date_order)
        )
        recent = self._order(self.contact, days_ago=10)
        self.assertEqual(
            self.customer.last_order_date, fields.Date.to_date(recent.date_order)
        )
        self.assertEqual(self.customer.churn_purchase_count, 2)
        recent.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(recent.state, "cancel")
        self.assertEqual(
            self.customer.last_order_date, fields.Date.to_date(old.date_order)
        )
        self.assertEqual(self.customer.churn_purchase_count, 1)
        # With its only order cancelled the customer has no last order.
        old.with_context(disable_cancel_warning=True).action_cancel()
        self.assertFalse(self.customer.last_order_date)
        self.assertFalse(self._run_cron() & self._warnings(self.customer))

    def test_w1_batch_of_orders_updates_each_customer(self):
        orders = self._order(self.customer, confirm=False) | self._order(
            self.customer_2, confirm=False
        )
        orders.action_confirm()
        self.assertEqual(self.customer.churn_purchase_count, 1)
        self.assertEqual(self.customer_2.churn_purchase_count, 1)
        self.assertTrue(self.customer.last_order_date)
        self.assertTrue(self.customer_2.last_order_date)

    def test_w1_moved_order_updates_both_customers(self):
        order = self._order(self.customer, days_ago=20)
        order.partner_id = self.customer_2
        self.assertFalse(self.customer.last_order_date)
        self.assertEqual(
            self.customer_2.last_order_date, fields.Date.to_date(order.date_order)
        )

    def test_w1_backfill_from_existing_orders(self):
        order = self._order(self.contact, days_ago=50)
        self.env.cr.execute(
            "UPDATE res_partner SET last_order_date = NULL,"
            " churn_purchase_count = 0 WHERE id = %s",
            [self.customer.id],
        )
        self.env["res.partner"].invalidate_model(["last_order_date"])
        self.env["res.partner"]._churn_refresh_all_order_stats()
        self.assertEqual(
            self.customer.last_order_date, fields.Date.to_date(order.date_order)
        )

    def test_w1_warning_after_threshold_without_duplicates(self):
        order = self._order(self.contact, days_ago=200)
        self._order(self.customer_2, days_ago=30)
        created = self._run_cron()
        warning = self._warnings(self.customer)
        self.assertEqual(len(warning), 1)
        self.assertIn(warning, created)
        self.assertFalse(self._warnings(self.customer_2), "ordered 30 days ago")
        self.assertFalse(self._warnings(self.contact), "contacts get no warning")
        self.assertEqual(warning.state, "open")
        self.assertEqual(warning.trigger_rule, "threshold")
        self.assertEqual(warning.user_id, self.customer_manager)
        self.assertEqual(warning.last_order_date, fields.Date.to_date(order.date_order))
        self.assertIn("more than 6 months", warning.reason)
        self.assertIn("days since the last order", warning.reason)
        # Reruns, in small batches too, create nothing more.
        self.assertFalse(self._run_cron() & self._warnings(self.customer))
        self.assertFalse(self._run_cron(batch_size=3) & self._warnings(self.customer))
        self.assertEqual(len(self._warnings(self.customer)), 1)
        # Nor while the warning is postponed.
        warning.measure_ids = [Command.create({"measure": "Visit the buyer"})]
        warning.action_postpone()
        self._run_cron()
        self.assertEqual(len(self._warnings(self.customer)), 1)

    def test_w1_small_batches_cover_every_customer(self):
        customers = self.customer | self.customer_2
        for customer in customers:
            self._order(customer, days_ago=250)
        created = self._run_cron(batch_size=1)
        self.assertEqual(created.partner_id & customers, customers)

    def test_w1_threshold_is_a_setting(self):
        self._order(self.customer, days_ago=200)
        self.env.company.churn_threshold_months = 12
        self.assertFalse(self._run_cron() & self._warnings(self.customer))
        self.env.company.churn_threshold_months = 6
        self.assertTrue(self._run_cron() & self._warnings(self.customer))
        with self.assertRaises(ValidationError):
            self.env.company.churn_threshold_months = 0

    def test_w1_one_active_warning_per_customer_enforced(self):
        warning = self._open_warning()
        with self.assertRaises(ValidationError):
            self.Warning.create(
                {
                    "partner_id": self.customer.id,
                    "last_order_date": warning.last_order_date,
                }
            )
        # Even raw SQL (a concurrent run) cannot add a second open warning.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "INSERT INTO crm_churn_warning (partner_id, state,"
                    " trigger_rule, last_order_date)"
                    " VALUES (%s, 'open', 'threshold', %s)",
                    [self.customer.id, warning.last_order_date],
                )

    def test_w1_buying_cycle_rule_fires(self):
        # Orders every 30 days, the last one 130 days ago: well before the
        # 6-month threshold, but overdue by more than 3 times the cycle.
        for days_ago in (250, 220, 190, 160, 130):
            self._order(self.customer, days_ago=days_ago)
        self.assertEqual(self.customer.churn_purchase_count, 5)
        self.assertEqual(self.customer.churn_median_interval, 30.0)
        warning = self._run_cron() & self._warnings(self.customer)
        self.assertEqual(len(warning), 1)
        self.assertEqual(warning.trigger_rule, "buying_cycle")
        self.assertEqual(warning.median_interval, 30.0)
        self.assertIn("usually orders every 30 days", warning.reason)
        self.assertIn(f"{warning.days_without_order} days since", warning.reason)
        self.assertGreater(warning.days_without_order, 90)

    def test_w1_buying_cycle_rule_does_not_fire(self):
        # Regular buyer: every 30 days, last order 60 days ago (< 3 x 30).
        for days_ago in (180, 150, 120, 90, 60):
            self._order(self.customer, days_ago=days_ago)
        # Too few orders to judge: 3 orders, last one 100 days ago.
        for days_ago in (160, 130, 100):
            self._order(self.customer_2, days_ago=days_ago)
        created = self._run_cron()
        self.assertFalse(created & (self._warnings(self.customer)))
        self.assertFalse(created & (self._warnings(self.customer_2)))
        # Overdue now, but the rule is switched off.
        self.env.company.churn_cycle_factor = 1.5
        self.env.company.churn_cycle_rule = False
        self.assertFalse(self._run_cron() & self._warnings(self.customer))
        self.env.company.churn_cycle_rule = True
        self.assertTrue(self._run_cron() & self._warnings(self.customer))

    def test_w1_sales_managers_get_a_digest(self):
        self._order(self.customer, days_ago=200)
        before = self.env["mail.message"].search([], order="id desc", limit=1).id
        self._run_cron()
        digest = self.env["mail.message"].search(
            [
                ("id", ">", before),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.sales_manager.partner_id.ids),
            ]
        )
        self.assertEqual(len(digest), 1)
        self.assertIn("new churn warnings", digest.subject)
        self.assertIn(self.customer.name, digest.body)
        self.assertNotIn(self.customer_manager.partner_id, digest.partner_ids)
        # Nothing new, no digest.
        self._run_cron()
        self.assertEqual(
            self.env["mail.message"].search_count(
                [("id", ">", digest.id), ("message_type", "=", "user_notification")]
            ),
            0,
        )

    # ------------------------------------------------------------------
    # W2: postpone with measures, confirm the loss with a reason
    # ------------------------------------------------------------------

    def test_w2_postpone_with_measures_and_response(self):
        warning = self._open_warning().with_user(self.customer_manager)
        with self.assertRaises(UserError):
            warning.action_postpone()
        # No way around the action: a direct write is refused, and even the
        # superuser cannot postpone without a measure.
        with self.assertRaises(UserError):
            warning.write({"state": "postponed"})
        with self.assertRaises(ValidationError):
            warning.sudo().write({"state": "postponed"})
        with Form(warning) as form:
            with form.measure_ids.new() as measure:
                measure.measure = "Visited the purchasing manager"
                measure.customer_response = "Will order next quarter"
        warning.action_postpone()
        self.assertEqual(warning.state, "postponed")
        self.assertEqual(warning.date_postponed, fields.Date.context_today(warning))
        self.assertEqual(warning.measure_ids.date, fields.Date.context_today(warning))
        self.assertEqual(warning.measure_ids.user_id, self.customer_manager)
        self.assertFalse(self.customer.churn_lost)
        # Every measure is told in the chatter.
        self.assertIn(
            "Will order next quarter",
            "".join(warning.message_ids.mapped("body")),
        )
        # A postponed warning keeps at least one measure.
        with self.assertRaises(UserError):
            warning.measure_ids.unlink()

    def test_w2_confirm_loss_requires_reason(self):
        warning = self._open_warning().with_user(self.customer_manager)
        action = warning.action_confirm_loss()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.customer_manager)
            .with_context(**action["context"])
        )
        with self.assertRaises(AssertionError):
            with Form(wizard) as form:
                pass  # the reason is required in the form
        confirm = wizard.create({"lost_reason": "   "})
        self.assertEqual(confirm.warning_ids, warning)
        with self.assertRaises(UserError):
            confirm.action_confirm()
        with self.assertRaises(UserError):
            warning.write({"state": "confirmed", "lost_reason": "Direct write"})
        with self.assertRaises(ValidationError):
            warning.sudo().write({"state": "confirmed"})
        self.assertEqual(warning.state, "open")
        self.assertFalse(self.customer.churn_lost)

        with Form(wizard) as form:
            form.lost_reason = "Moved to a cheaper competitor"
        form.record.action_confirm()
        self.assertEqual(warning.state, "confirmed")
        self.assertEqual(warning.lost_reason, "Moved to a cheaper competitor")
        self.assertEqual(warning.date_confirmed, fields.Date.context_today(warning))
        self.assertTrue(self.customer.churn_lost)

    def test_w2_changes_are_tracked(self):
        warning = self._open_warning().with_context(tracking_disable=False)
        # Records created in the current transaction are only tracked once it
        # is about to commit: close that step as a commit would.
        self.env.flush_all()
        self.env.cr.precommit.run()
        warning.measure_ids = [Command.create({"measure": "Phone call"})]
        warning.action_postpone()
        warning._confirm_loss("Company closed")
        # Tracking values are written when the transaction is about to commit.
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = warning.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("state", tracked)
        self.assertIn("lost_reason", tracked)
        partner_tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", self.customer.id),
            ]
        )
        self.assertIn("churn_lost", partner_tracked.field_id.mapped("name"))

    def test_w2_guard_context_key_does_not_open(self):
        """B2: no context key opens the guard of a churn warning's status;
        its actions still write it, in the user's name."""
        warning = self._open_warning().with_context(tracking_disable=False)
        self.env.flush_all()
        self.env.cr.precommit.run()
        as_cm = warning.with_user(self.customer_manager)
        for key in ("sudo", "su", "install_mode", "tracking_disable", "import_file"):
            with self.subTest(key=key), self.assertRaises(UserError):
                as_cm.with_context(**{key: True}).write(
                    {"state": "confirmed", "lost_reason": "Sneaky"}
                )
        self.assertEqual(warning.state, "open")
        as_cm._confirm_loss("Company closed")
        self.assertEqual(warning.state, "confirmed")
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = warning.message_ids.filtered("tracking_value_ids")
        self.assertIn("state", tracked.tracking_value_ids.field_id.mapped("name"))
        self.assertEqual(tracked[:1].author_id, self.customer_manager.partner_id)

    def test_w2_closed_warnings_are_history(self):
        warning = self._open_warning()
        warning._confirm_loss("Company closed")
        with self.assertRaises(UserError):
            warning.action_postpone()
        with self.assertRaises(UserError):
            warning.action_confirm_loss()
        with self.assertRaises(UserError):
            warning.write({"state": "open"})
        with self.assertRaises(UserError):
            self.env["crm.churn.warning.measure"].create(
                {"warning_id": warning.id, "measure": "Too late"}
            )
        # A lost customer gets no new warning from the scheduled action.
        self.assertFalse(self._run_cron() & self._warnings(self.customer))

    def test_w2_executive_and_other_manager_cannot_act(self):
        warning = self._open_warning()
        with self.assertRaises(AccessError):
            warning.with_user(self.executive).write({"state": "postponed"})
        with self.assertRaises(AccessError):
            warning.with_user(self.customer_manager_2)._confirm_loss("Not mine")
        self.assertEqual(warning.state, "open")

    # ------------------------------------------------------------------
    # W3: a new confirmed order ends the open warning
    # ------------------------------------------------------------------

    def test_w3_new_order_resolves_open_warning(self):
        warning = self._open_warning()
        order = self._order(self.contact, confirm=False)
        self.assertEqual(warning.state, "open", "a quotation is not an order yet")
        order.action_confirm()
        self.assertEqual(warning.state, "resolved")
        self.assertEqual(warning.resolved_order_id, order)
        self.assertEqual(warning.date_resolved, fields.Date.context_today(warning))
        self.assertIn(order.name, warning.message_ids[0].body)
        self.assertEqual(
            self.customer.last_order_date, fields.Date.to_date(order.date_order)
        )

    def test_w3_new_order_clears_lost_mark(self):
        warning = self._open_warning()
        warning._confirm_loss("Went to a competitor")
        self.assertTrue(self.customer.churn_lost)
        self._order(self.customer)
        self.assertFalse(self.customer.churn_lost)
        self.assertEqual(warning.state, "confirmed", "the loss stays in history")

    # ------------------------------------------------------------------
    # W4: lists, rights, customer form
    # ------------------------------------------------------------------

    def test_w4_customer_managers_see_their_own_warnings(self):
        own = self._open_warning(self.customer)
        other = self._open_warning(self.customer_2)
        both = own | other
        visible = self.Warning.with_user(self.customer_manager).search(
            [("id", "in", both.ids)]
        )
        self.assertEqual(visible, own)
        with self.assertRaises(AccessError):
            other.with_user(self.customer_manager).read(["state"])
        manager_visible = self.Warning.with_user(self.sales_manager).search(
            [("id", "in", both.ids)]
        )
        self.assertEqual(manager_visible, both)
        self.assertEqual(
            self.Warning.with_user(self.executive).search([("id", "in", both.ids)]),
            both,
        )
        with self.assertRaises(AccessError):
            self.Warning.with_user(self.internal_user).search([])

    def test_w4_warning_follows_customer_reassignment(self):
        warning = self._open_warning()
        self.customer.user_id = self.customer_manager_2
        self.assertEqual(warning.user_id, self.customer_manager_2)
        self.assertTrue(
            self.Warning.with_user(self.customer_manager_2).search(
                [("id", "=", warning.id)]
            )
        )
        warning._confirm_loss("Company closed")
        self.customer.user_id = self.customer_manager
        self.assertEqual(
            warning.user_id, self.customer_manager_2, "closed: who handled it"
        )

    def test_w4_search_filters_and_customer_smart_button(self):
        warning = self._open_warning()
        Warnings = self.Warning.with_user(self.sales_manager)
        self.assertIn(warning, Warnings.search([("state", "=", "open")]))
        self.assertIn(
            warning, Warnings.search([("user_id", "=", self.customer_manager.id)])
        )
        self.assertIn(
            warning,
            Warnings.search([("last_order_date", "<", fields.Date.today())]),
        )
        customer = self.customer.with_user(self.customer_manager)
        self.assertEqual(customer.churn_warning_count, 1)
        action = customer.action_view_churn_warnings()
        self.assertEqual(Warnings.search(action["domain"]), warning)
        views = self.Warning.get_views(
            [
                (False, view)
                for view in ("list", "form", "kanban", "search", "pivot", "graph")
            ]
        )
        self.assertEqual(
            set(views["views"]),
            {"list", "form", "kanban", "search", "pivot", "graph"},
        )
        self.assertTrue(
            self.env.ref("crm_custom.menu_crm_churn_warning").id
            in self.env["ir.ui.menu"]
            .with_user(self.customer_manager)
            ._visible_menu_ids()
        )

    def test_w4_demo_has_a_warning_in_each_state(self):
        demo = self.env.ref("crm_custom.demo_churn_warning_huaxin", False)
        if not demo:
            return  # installed without demo data
        states = set(self.Warning.search([]).mapped("state"))
        self.assertEqual(states, {"open", "postponed", "confirmed", "resolved"})
        self.assertTrue(
            self.env.ref("crm_custom.demo_churn_customer_changjiang").churn_lost
        )
