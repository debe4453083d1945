"""Customer pool 客户池: recycling and claim limits (P4-P5)."""

from datetime import datetime, time, timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import PoolCommon


@tagged("post_install", "-at_install")
class TestCustomerPoolRecycling(PoolCommon):
    """Owned customers back to their pool, claim limits (P4-P5)."""

    # --- P4 recycling -----------------------------------------------------

    def test_p4_cron_recycles_customers_without_followup(self):
        due = self._owned(
            "Neglected", self.customer_manager, owned_days=60, followup_days=31
        )
        contact = self.Partner.create(
            {"name": "Neglected Buyer", "parent_id": due.id, "type": "contact"}
        )
        fresh = self._owned(
            "Followed", self.customer_manager, owned_days=60, followup_days=29
        )
        claimed_recently = self._owned(
            "Just Claimed", self.customer_manager, owned_days=5, followup_days=100
        )
        self.assertEqual(due.days_to_recycle, -1)
        self.Pool._cron_recycle_customers()
        self.assertEqual(due.pool_state, "pool")
        self.assertEqual(due.pool_id, self.pool)
        self.assertFalse(due.user_id)
        self.assertEqual(due.pool_previous_user_id, self.customer_manager)
        self.assertEqual(due.pool_entry_date, self.today)
        self.assertEqual(contact.pool_state, "pool")
        log = self._logs(due)
        self.assertEqual(
            (log.method, log.from_user_id, log.reason, log.pool_id),
            ("recycle", self.customer_manager, "No follow-up for 30 days", self.pool),
        )
        self.assertEqual(fresh.pool_state, "owned")
        self.assertEqual(claimed_recently.pool_state, "owned")

    def test_p4_cron_rerun_releases_nothing_twice(self):
        due = self._owned(
            "Rerun", self.customer_manager, owned_days=60, followup_days=45
        )
        first = self.Pool._cron_recycle_customers(batch_size=1)
        self.assertGreaterEqual(first, 1)
        self.assertEqual(due.pool_state, "pool")
        self.assertEqual(self.Pool._cron_recycle_customers(), 0)
        self.assertEqual(len(self._logs(due)), 1)

    def test_p4_cron_commits_batches_only_when_scheduled(self):
        """The recycling and reminder crons commit each batch when their
        scheduled action runs them (``autocommit=True``), never when called
        from other code; they report their progress to ir.cron."""
        first = self._owned("Commit A", self.customer_manager, 60, followup_days=45)
        with patch.object(self.env.cr, "commit") as commit:
            self.assertGreaterEqual(self.Pool._cron_recycle_customers(), 1)
            self.Pool._cron_remind_owners()
        commit.assert_not_called()
        self.assertEqual(first.pool_state, "pool")
        second = self._owned("Commit B", self.customer_manager, 60, followup_days=45)
        cron = self.env.ref("crm_custom.ir_cron_crm_customer_pool_recycle")
        cron, progress = cron._add_progress()
        with patch.object(self.env.cr, "commit") as commit:
            released = self.Pool.with_context(
                ir_cron_progress_id=progress.id
            )._cron_recycle_customers(batch_size=1, autocommit=True)
        self.assertEqual(commit.call_count, released)
        self.assertEqual(second.pool_state, "pool")
        self.assertEqual((progress.done, progress.remaining), (released, 0))

    def test_p4_orders_move_the_no_deal_recycle_date(self):
        # The order data refresh writes the recycle date with the last order
        # date (one UPDATE): equal to a recomputation from the stored data
        # after a confirmation, a back-dated order, a cancellation; a
        # customer that is not owned keeps none.
        self.pool.write(
            {"recycle_no_deal": True, "no_deal_days": 60, "no_followup_days": 90}
        )
        customer = self._owned(
            "Orders Move It", self.customer_manager, owned_days=200, followup_days=1
        )
        pooled = self._owned(
            "Not Owned", self.customer_manager, owned_days=200, followup_days=1
        )
        pooled.with_user(self.sales_manager)._pool_put(self.pool, "Reorganisation")
        self.assertEqual(pooled.pool_state, "pool")
        self.assertEqual(customer.recycle_date, self._days_ago(140))

        product = self.env["product.product"].create(
            {"name": "Recycle Test Service", "type": "service", "list_price": 10}
        )

        def order(partner, days_ago):
            sale = self.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
            )
            sale.action_confirm()
            # Back-dated: a confirmed order moved to another date, at noon
            # (UTC) of that day of the test's calendar, whose date is the
            # same in UTC, where orders are dated, at any hour of the run.
            sale.date_order = datetime.combine(self._days_ago(days_ago), time(12))
            return sale

        def assert_fresh():
            stored = (customer | pooled).mapped("recycle_date")
            self.env.flush_all()
            self.Pool._refresh_recycle_dates((customer | pooled).ids)
            self.assertEqual((customer | pooled).mapped("recycle_date"), stored)
            self.assertFalse(pooled.recycle_date)

        recent = order(customer, 5)
        self.assertEqual(customer.last_order_date, self._days_ago(5))
        self.assertEqual(customer.recycle_date, self.today + timedelta(days=55))
        assert_fresh()
        older = order(customer, 30)
        self.assertEqual(customer.recycle_date, self.today + timedelta(days=55))
        order(pooled, 2)
        assert_fresh()
        recent.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(customer.last_order_date, self._days_ago(30))
        self.assertEqual(customer.recycle_date, self.today + timedelta(days=30))
        assert_fresh()
        older.with_context(disable_cancel_warning=True).action_cancel()
        self.assertFalse(customer.last_order_date)
        self.assertEqual(customer.recycle_date, self._days_ago(140))
        assert_fresh()

    def test_p4_cron_recycles_customers_without_deal(self):
        self.pool.write({"recycle_no_deal": True, "no_deal_days": 60})
        no_deal = self._owned(
            "No Deal", self.customer_manager, owned_days=200, followup_days=1
        )
        no_deal.write({"last_order_date": self._days_ago(61)})
        dealt = self._owned(
            "Recent Deal", self.customer_manager, owned_days=200, followup_days=1
        )
        dealt.write({"last_order_date": self._days_ago(10)})
        self.assertEqual(no_deal.recycle_date, self._days_ago(1))
        self.Pool._cron_recycle_customers()
        self.assertEqual(no_deal.pool_state, "pool")
        self.assertEqual(self._logs(no_deal).reason, "No deal for 60 days")
        self.assertEqual(dealt.pool_state, "owned")

    def test_p4_days_per_customer_level(self):
        levels = self.env["crm.dictionary.item"].create(
            [
                {
                    "name": "Pool Key Account",
                    "category": "customer_level",
                    "code": "pool_key",
                },
                {
                    "name": "Pool Strategic",
                    "category": "customer_level",
                    "code": "pool_strategic",
                },
                {
                    "name": "Pool Small",
                    "category": "customer_level",
                    "code": "pool_small",
                },
            ]
        )
        self.pool.write(
            {
                "level_rule_ids": [
                    Command.create(
                        {"customer_level_id": levels[0].id, "no_followup_days": 90}
                    ),
                    Command.create(
                        {"customer_level_id": levels[1].id, "no_followup_days": 0}
                    ),
                ]
            }
        )
        key = self._owned(
            "Key",
            self.customer_manager,
            owned_days=100,
            followup_days=40,
            customer_level_id=levels[0].id,
        )
        strategic = self._owned(
            "Strategic",
            self.customer_manager,
            owned_days=400,
            customer_level_id=levels[1].id,
        )
        small = self._owned(
            "Small",
            self.customer_manager,
            owned_days=100,
            followup_days=40,
            customer_level_id=levels[2].id,
        )
        self.assertEqual(key.recycle_date, self.today + timedelta(days=50))
        self.assertFalse(strategic.recycle_date)
        self.assertEqual(small.recycle_date, self._days_ago(10))
        self.Pool._cron_recycle_customers()
        self.assertEqual(
            (key.pool_state, strategic.pool_state, small.pool_state),
            ("owned", "owned", "pool"),
        )

    def test_p4_exemptions(self):
        self.pool.write(
            {
                "recycle_no_deal": True,
                "no_deal_days": 400,
                "exempt_recent_deal_days": 45,
            }
        )
        with_lead = self._owned("With Lead", self.customer_manager, owned_days=90)
        contact = self.Partner.create(
            {"name": "Lead Contact", "parent_id": with_lead.id, "type": "contact"}
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Open Deal",
                "type": "opportunity",
                "partner_id": contact.id,
                "user_id": self.customer_manager.id,
            }
        )
        locked = self._owned("Locked", self.customer_manager, owned_days=90)
        locked.with_user(self.sales_manager).action_pool_lock()
        recent_deal = self._owned(
            "Recent Deal Exempt", self.customer_manager, owned_days=90
        )
        recent_deal.write({"last_order_date": self._days_ago(20)})
        self.assertFalse(with_lead.recycle_date)
        self.assertFalse(locked.recycle_date)
        self.assertEqual(recent_deal.recycle_date, self.today + timedelta(days=25))
        self.Pool._cron_recycle_customers()
        self.assertEqual(
            {with_lead.pool_state, locked.pool_state, recent_deal.pool_state}, {"owned"}
        )
        # Losing the opportunity and unlocking end the exemptions.
        lead.action_set_lost()
        locked.with_user(self.sales_manager).action_pool_unlock()
        self.assertEqual(with_lead.recycle_date, self._days_ago(60))
        self.assertEqual(locked.recycle_date, self._days_ago(60))
        self.Pool._cron_recycle_customers()
        self.assertEqual((with_lead.pool_state, locked.pool_state), ("pool", "pool"))
        with self.assertRaises(AccessError):
            recent_deal.with_user(self.customer_manager).action_pool_lock()

    def test_p4_reminder_before_recycling(self):
        self.pool.reminder_email = True
        soon = self._owned(
            "Soon Due", self.customer_manager, owned_days=60, followup_days=28
        )
        later = self._owned(
            "Later Due", self.customer_manager, owned_days=60, followup_days=20
        )
        self.assertEqual(soon.days_to_recycle, 2)
        self.assertIn(soon, self.Partner.search([("days_to_recycle", "<=", 3)]))
        self.assertNotIn(later, self.Partner.search([("days_to_recycle", "<=", 3)]))
        mails_before = self.env["mail.mail"].search([])
        self.Pool._cron_remind_owners()
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", (soon | later).ids)]
        )
        self.assertEqual(activities.res_id, soon.id)
        self.assertEqual(activities.user_id, self.customer_manager)
        self.assertEqual(activities.date_deadline, soon.recycle_date)
        mails = self.env["mail.mail"].search([]) - mails_before
        mine = mails.filtered(
            lambda mail: self.customer_manager.partner_id in mail.recipient_ids
        )
        self.assertEqual(len(mine), 1)
        self.assertIn("Soon Due", mine.body_html)
        # Rerun: no second reminder for the same date.
        self.Pool._cron_remind_owners()
        self.assertEqual(
            len(
                self.env["mail.activity"].search(
                    [("res_model", "=", "res.partner"), ("res_id", "=", soon.id)]
                )
            ),
            1,
        )
        # Doing the activity is a follow-up: the countdown restarts.
        activities.with_user(self.customer_manager).action_feedback(feedback="Visited")
        self.assertEqual(soon.days_to_recycle, 30)

    # --- P5 limits --------------------------------------------------------

    def test_p5_daily_claim_limit(self):
        self.pool.daily_claim_limit = 2
        customers = [self._in_pool(f"Daily {index}") for index in range(4)]
        as_cm = self.customer_manager
        customers[0].with_user(as_cm)._pool_claim()
        with self.assertRaises(UserError):
            (customers[1] | customers[2]).with_user(as_cm)._pool_claim()
        self.assertEqual(
            customers[1].pool_state, "pool", "a refused batch claims nothing"
        )
        customers[1].with_user(as_cm)._pool_claim()
        with self.assertRaises(UserError):
            customers[2].with_user(as_cm)._pool_claim()
        self.assertEqual(customers[2].pool_state, "pool")
        # Another salesperson has their own count; tomorrow the count restarts.
        customers[2].with_user(self.customer_manager_2)._pool_claim()
        with freeze_time(fields.Datetime.now() + timedelta(days=1)):
            customers[3].with_user(as_cm)._pool_claim()
        self.assertEqual(customers[3].user_id, as_cm)

    def test_p5_owned_customers_limit(self):
        self.pool.write({"owned_limit": 2, "owned_limit_count_deals": True})
        self._owned("Owned 1", self.customer_manager)
        buyer = self._owned("Owned 2", self.customer_manager)
        buyer.write({"last_order_date": self._days_ago(3)})
        extra = self._in_pool("Over Limit")
        with self.assertRaises(UserError):
            extra.with_user(self.customer_manager)._pool_claim()
        with self.assertRaises(UserError):
            extra.with_user(self.sales_manager)._pool_assign(self.customer_manager)
        self.assertEqual(extra.pool_state, "pool")
        # Customers that bought do not count when the pool says so.
        self.pool.owned_limit_count_deals = False
        extra.with_user(self.customer_manager)._pool_claim()
        self.assertEqual(extra.user_id, self.customer_manager)

    def test_p5_previous_owner_cooldown(self):
        self.pool.reclaim_cooldown_days = 7
        customer = self._owned("Cooldown", self.customer_manager)
        customer.with_user(self.customer_manager)._pool_put(self.pool, "Giving up")
        with self.assertRaises(UserError):
            customer.with_user(self.customer_manager)._pool_claim()
        with freeze_time(fields.Datetime.now() + timedelta(days=6)):
            with self.assertRaises(UserError):
                customer.with_user(self.customer_manager)._pool_claim()
        with freeze_time(fields.Datetime.now() + timedelta(days=7)):
            customer.with_user(self.customer_manager)._pool_claim()
        self.assertEqual(customer.user_id, self.customer_manager)
        # Anyone else may claim at once.
        other = self._owned("Cooldown Other", self.customer_manager)
        other.with_user(self.customer_manager)._pool_put(self.pool, "Giving up")
        other.with_user(self.customer_manager_2)._pool_claim()
        self.assertEqual(other.user_id, self.customer_manager_2)
