from datetime import timedelta
from unittest.mock import patch

from lxml import etree

from odoo import Command, api, fields
from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, freeze_time, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import CrmCustomCommon


class PoolCommon(CrmCustomCommon):
    """A pool whose members are the two test customer managers, and helpers
    to make customers owned or in a pool at a given distance in time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.Pool = cls.env["crm.customer.pool"]
        cls.Log = cls.env["crm.customer.ownership.log"]
        cls.today = fields.Date.context_today(cls.Partner)
        cls.pool = cls.Pool.create(
            {
                "name": "Test Pool",
                "sequence": 0,
                "member_user_ids": [
                    Command.set([cls.customer_manager.id, cls.customer_manager_2.id])
                ],
                "recycle_no_followup": True,
                "no_followup_days": 30,
                "recycle_no_deal": False,
                "exempt_open_opportunity": True,
                "exempt_locked": True,
                "reminder_days": 3,
                "reminder_activity": True,
                "reminder_email": False,
                "daily_claim_limit": 0,
                "owned_limit": 0,
                "reclaim_cooldown_days": 0,
                "mask_contact": True,
                "assign_notification": "message",
            }
        )

    @classmethod
    def _days_ago(cls, days):
        return cls.today - timedelta(days=days)

    @classmethod
    def _owned(cls, name, owner, owned_days=0, followup_days=None, pool=None, **vals):
        """A customer owned by ``owner`` for ``owned_days`` days, followed up
        ``followup_days`` days ago (never if None)."""
        customer = cls.Partner.create(
            {
                "name": name,
                "is_company": True,
                "user_id": owner.id,
                **vals,
            }
        )
        customer.write(
            {
                "home_pool_id": (pool or cls.pool).id,
                "date_owned": cls._days_ago(owned_days),
                "last_followup_date": (
                    cls._days_ago(followup_days) if followup_days is not None else False
                ),
            }
        )
        return customer

    @classmethod
    def _in_pool(cls, name, pool=None, previous_owner=None, entry_days=0, **vals):
        customer = cls.Partner.create(
            {
                "name": name,
                "is_company": True,
                "user_id": False,
                "pool_id": (pool or cls.pool).id,
                "home_pool_id": (pool or cls.pool).id,
                "pool_previous_user_id": previous_owner.id if previous_owner else False,
                "pool_entry_date": cls._days_ago(entry_days),
                "phone": "021-66668888",
                "email": "info@pool-customer.example.com",
                "street": "Zhangjiang Road 1",
                **vals,
            }
        )
        return customer

    def _logs(self, customer):
        return self.Log.search([("partner_id", "=", customer.id)], order="id")


@tagged("post_install", "-at_install")
class TestCustomerPool(PoolCommon):
    """Customer pool 客户池 / 公海 (P1-P9)."""

    # --- P1 put into the pool, follow-up -----------------------------------

    def test_p1_put_into_pool_moves_customer_out_of_my_customers(self):
        customer = self._owned("Put Machinery", self.customer_manager)
        partner_as_owner = customer.with_user(self.customer_manager)
        action = partner_as_owner.action_open_pool_put_wizard()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.customer_manager)
            .with_context(**action["context"])
        )
        wizard_form.pool_id = self.pool
        wizard_form.reason = "No budget this year"
        wizard_form.save().action_confirm()

        self.assertEqual(customer.pool_state, "pool")
        self.assertFalse(customer.user_id)
        self.assertEqual(customer.pool_id, self.pool)
        self.assertEqual(customer.pool_previous_user_id, self.customer_manager)
        self.assertEqual(customer.pool_entry_date, self.today)
        self.assertFalse(customer.recycle_date)
        my_customers = self.Partner.with_user(self.customer_manager).search(
            [("user_id", "=", self.customer_manager.id), ("is_company", "=", True)]
        )
        self.assertNotIn(customer, my_customers)
        in_pool = self.Partner.with_user(self.customer_manager).search(
            [("pool_state", "=", "pool"), ("is_company", "=", True)]
        )
        self.assertIn(customer, in_pool)
        log = self._logs(customer)
        self.assertEqual(len(log), 1)
        self.assertEqual(
            (
                log.method,
                log.from_user_id,
                log.to_user_id,
                log.reason,
                log.user_id,
                log.pool_id,
            ),
            (
                "put",
                self.customer_manager,
                self.env["res.users"],
                "No budget this year",
                self.customer_manager,
                self.pool,
            ),
        )

    def test_p1_put_in_batch_and_contacts_follow(self):
        customers = self._owned("Batch A", self.customer_manager) | self._owned(
            "Batch B", self.customer_manager
        )
        contact = self.Partner.create(
            {"name": "Buyer Qian", "parent_id": customers[0].id, "type": "contact"}
        )
        self.assertEqual(contact.pool_state, "owned")
        customers.with_user(self.customer_manager)._pool_put(self.pool, "Handing over")
        self.assertEqual(set(customers.mapped("pool_state")), {"pool"})
        self.assertEqual(contact.pool_state, "pool")
        self.assertEqual(len(self.Log.search([("partner_id", "in", customers.ids)])), 2)

    def test_p1_put_forbidden_paths(self):
        mine = self._owned("Mine", self.customer_manager)
        other = self._owned("Not Mine", self.customer_manager_2)
        with self.assertRaises(UserError):
            mine.with_user(self.customer_manager)._pool_put(self.pool, "  ")
        with self.assertRaises(UserError):
            other.with_user(self.customer_manager)._pool_put(
                self.pool, "Not mine to give"
            )
        contact = self.Partner.create(
            {"name": "Contact", "parent_id": mine.id, "type": "contact"}
        )
        with self.assertRaises(UserError):
            contact.with_user(self.customer_manager)._pool_put(self.pool, "A person")
        foreign_pool = self.Pool.create(
            {
                "name": "Other Team Pool",
                "member_user_ids": [Command.set([self.customer_manager_2.id])],
            }
        )
        with self.assertRaises(UserError):
            mine.with_user(self.customer_manager)._pool_put(foreign_pool, "Wrong pool")
        mine.with_user(self.customer_manager)._pool_put(self.pool, "Fine")
        with self.assertRaises(UserError):
            mine.with_user(self.sales_manager)._pool_put(self.pool, "Twice")
        self.assertEqual(len(self._logs(mine)), 1)
        self.assertEqual(other.user_id, self.customer_manager_2)
        # A sales manager puts anyone's customer.
        other.with_user(self.sales_manager)._pool_put(self.pool, "Reorganisation")
        self.assertEqual(other.pool_state, "pool")

    def test_p1_new_customer_owned_by_creator_and_governed_by_their_pool(self):
        customer = (
            self.Partner.with_user(self.customer_manager)
            .with_context(default_user_id=self.customer_manager.id)
            .create({"name": "Created By Me", "is_company": True})
        )
        self.assertEqual(customer.pool_state, "owned")
        self.assertEqual(customer.home_pool_id, self.pool)
        self.assertEqual(customer.date_owned, self.today)
        self.assertEqual(customer.recycle_date, self.today + timedelta(days=30))
        self.assertEqual(customer.days_to_recycle, 30)

    def test_p1_followup_sources_update_last_followup_date(self):
        customer = self._owned("Followed Up", self.customer_manager, owned_days=50)
        self.assertEqual(customer.recycle_date, self._days_ago(20))
        as_owner = customer.with_user(self.customer_manager)
        # An interaction record 交往记录 of 10 days ago.
        self.env["crm.interaction"].with_user(self.customer_manager).create(
            {
                "partner_id": customer.id,
                "date": self._days_ago(10),
                "summary": "Visit",
            }
        )
        self.assertEqual(customer.last_followup_date, self._days_ago(10))
        self.assertEqual(customer.recycle_date, self.today + timedelta(days=20))
        # An older interaction does not move it back.
        self.env["crm.interaction"].with_user(self.customer_manager).create(
            {
                "partner_id": customer.id,
                "date": self._days_ago(40),
                "summary": "Old call",
            }
        )
        self.assertEqual(customer.last_followup_date, self._days_ago(10))
        # A done activity.
        customer.write({"last_followup_date": self._days_ago(15)})
        activity = as_owner.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.customer_manager.id
        )
        activity.with_user(self.customer_manager).action_feedback(feedback="Called")
        self.assertEqual(customer.last_followup_date, self.today)
        # A message written on the customer.
        customer.write({"last_followup_date": self._days_ago(15)})
        as_owner.message_post(body="Sent the catalogue", message_type="comment")
        self.assertEqual(customer.last_followup_date, self.today)
        # An opportunity changing stage.
        customer.write({"last_followup_date": self._days_ago(15)})
        lead = self.env["crm.lead"].create(
            {
                "name": "Follow-up Deal",
                "type": "opportunity",
                "partner_id": customer.id,
                "user_id": self.customer_manager.id,
            }
        )
        customer.write({"last_followup_date": self._days_ago(15)})
        stages = self.env["crm.stage"].search([("is_won", "=", False)], limit=2)
        lead.write({"stage_id": (stages - lead.stage_id)[:1].id})
        self.assertEqual(customer.last_followup_date, self.today)

    # --- P2 claim -------------------------------------------------------

    def test_p2_claim_with_confirmation(self):
        customer = self._in_pool(
            "Claim Me", previous_owner=self.customer_manager_2, entry_days=3
        )
        customer.write({"last_followup_date": self._days_ago(100)})
        action = customer.with_user(
            self.customer_manager
        ).action_open_pool_claim_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.customer_manager)
            .with_context(**action["context"])
        ).save()
        self.assertEqual(wizard.partner_ids, customer)
        self.assertEqual(
            customer.pool_state, "pool", "nothing happens before the confirmation"
        )
        wizard.action_confirm()
        self.assertEqual(customer.user_id, self.customer_manager)
        self.assertEqual(customer.pool_state, "owned")
        self.assertFalse(customer.pool_id)
        self.assertEqual(customer.home_pool_id, self.pool)
        self.assertEqual(customer.date_owned, self.today)
        # The countdown restarts at the claim, not at the old follow-up.
        self.assertEqual(customer.recycle_date, self.today + timedelta(days=30))
        log = self._logs(customer)
        self.assertEqual(
            (log.method, log.from_user_id, log.to_user_id, log.user_id),
            (
                "claim",
                self.env["res.users"],
                self.customer_manager,
                self.customer_manager,
            ),
        )

    def test_p2_claim_forbidden_paths(self):
        customer = self._in_pool("Claimed Twice")
        customer.with_user(self.customer_manager)._pool_claim()
        with self.assertRaises(UserError):
            customer.with_user(self.customer_manager_2)._pool_claim()
        self.assertEqual(customer.user_id, self.customer_manager)
        # Members only.
        closed_pool = self.Pool.create(
            {
                "name": "Closed Pool",
                "member_user_ids": [Command.set([self.customer_manager_2.id])],
            }
        )
        closed = self._in_pool("Closed Customer", pool=closed_pool)
        with self.assertRaises(UserError):
            closed.with_user(self.customer_manager)._pool_claim()
        with self.assertRaises(AccessError):
            closed.with_user(self.executive)._pool_claim()
        with self.assertRaises(UserError):
            self.Partner.with_user(self.customer_manager)._pool_claim()
        self.assertEqual(closed.pool_state, "pool")
        self.assertEqual(len(self._logs(customer)), 1)

    def test_p2_direct_write_of_owner_refused(self):
        mine = self._owned("Direct Write", self.customer_manager)
        pooled = self._in_pool("Pool Direct Write")
        as_cm = self.customer_manager
        attempts = [
            (mine, {"user_id": self.customer_manager_2.id}),
            (mine, {"pool_id": self.pool.id}),
            (mine, {"pool_locked": True}),
            (mine, {"last_followup_date": self.today + timedelta(days=365)}),
            (pooled, {"user_id": as_cm.id}),
            (pooled, {"pool_id": False}),
        ]
        for customer, vals in attempts:
            with self.subTest(vals=vals), self.assertRaises(UserError):
                customer.with_user(as_cm).write(vals)
            # The same through RPC.
            with self.subTest(rpc=vals), self.assertRaises(UserError):
                call_kw(
                    self.Partner.with_user(as_cm), "write", [[customer.id], vals], {}
                )
        self.assertEqual(mine.user_id, self.customer_manager)
        self.assertEqual(mine.pool_state, "owned")
        self.assertEqual(pooled.pool_state, "pool")
        # Unchanged values and other fields still save.
        mine.with_user(as_cm).write({"user_id": as_cm.id, "phone": "021-11112222"})
        self.assertEqual(mine.phone, "021-11112222")
        # Creating a customer for someone else or into a pool is refused too.
        with self.assertRaises(UserError):
            self.Partner.with_user(as_cm).create(
                {
                    "name": "For Someone Else",
                    "is_company": True,
                    "user_id": self.customer_manager_2.id,
                }
            )
        with self.assertRaises(UserError):
            self.Partner.with_user(as_cm).create(
                {"name": "Into The Pool", "is_company": True, "pool_id": self.pool.id}
            )
        # A sales manager changing the owner assigns it, logged.
        mine.with_user(self.sales_manager).write(
            {"user_id": self.customer_manager_2.id}
        )
        self.assertEqual(mine.user_id, self.customer_manager_2)
        self.assertEqual(self._logs(mine).method, "assign")
        pooled.with_user(self.sales_manager).write(
            {"user_id": self.customer_manager.id}
        )
        self.assertEqual(pooled.pool_state, "owned")
        self.assertFalse(pooled.pool_id)

    # Context keys that might look like a way around the guard: none opens it.
    GUARD_CONTEXTS = {
        "sudo": True,
        "su": True,
        "install_mode": True,
        "import_file": True,
        "tracking_disable": True,
        "crm_partner_unlink": True,
        "mail_auto_subscribe_no_notify": True,
    }

    def test_p2_guard_context_key_does_not_open(self):
        """The guard of the ownership fields opens in superuser mode only
        (crm.guarded.fields.mixin): no context key, through the ORM or RPC."""
        mine = self._owned("Guard Context", self.customer_manager)
        pooled = self._in_pool("Pool Guard Context")
        as_cm = self.customer_manager
        for customer, vals in (
            (mine, {"user_id": self.customer_manager_2.id}),
            (mine, {"pool_locked": True}),
            (pooled, {"user_id": as_cm.id}),
            (pooled, {"pool_id": False}),
        ):
            context = self.GUARD_CONTEXTS
            with self.subTest(vals=vals), self.assertRaises(UserError):
                customer.with_user(as_cm).with_context(**context).write(vals)
            with self.subTest(rpc=vals), self.assertRaises(UserError):
                call_kw(
                    self.Partner.with_user(as_cm),
                    "write",
                    [[customer.id], vals],
                    {"context": context},
                )
            self.assertEqual(
                customer.with_user(as_cm)._guarded_fields_in(vals), set(vals)
            )
        # The merge wizard's key closes the guard further: it drops the
        # ownership fields from the values.
        mine.with_user(as_cm).with_context(crm_partner_merge_dst=mine.id).write(
            {"user_id": self.customer_manager_2.id, "pool_locked": True}
        )
        self.assertEqual(mine.user_id, as_cm)
        self.assertFalse(mine.pool_locked)
        self.assertEqual(pooled.pool_state, "pool")

    def test_p2_claim_writes_through_the_guard_in_the_users_name(self):
        """A claim writes the guarded fields; the tracking names the user."""
        pooled = self._in_pool("Pool Claim Tracked").with_context(
            tracking_disable=False
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        pooled.with_user(self.customer_manager)._pool_claim()
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(pooled.user_id, self.customer_manager)
        tracked = pooled.message_ids.filtered("tracking_value_ids")
        self.assertIn("pool_id", tracked.tracking_value_ids.field_id.mapped("name"))
        self.assertEqual(tracked[:1].author_id, self.customer_manager.partner_id)
        self.assertEqual(tracked[:1].create_uid, self.customer_manager)

    def test_p2_claim_tracked_once_on_the_customer_not_on_its_contacts(self):
        """The chatter of a claimed customer tells the new owner and the
        pool it left, once; its contacts' chatters stay quiet (the owner
        and pool they carry for the record rules are not tracked)."""
        pooled = self._in_pool("Pool Claim Quiet Contacts")
        contact = self.env["res.partner"].create(
            {"name": "Quiet Contact", "parent_id": pooled.id}
        )
        pooled = pooled.with_context(tracking_disable=False)
        self.env.flush_all()
        self.env.cr.precommit.run()
        contact_messages = contact.message_ids
        pooled.with_user(self.customer_manager)._pool_claim()
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(contact.commercial_user_id, self.customer_manager)
        tracked = pooled.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertEqual(sorted(tracked), ["pool_id", "user_id"])
        self.assertEqual(contact.message_ids, contact_messages)

    def _count_claim_queries(self, customer):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        customer.with_user(self.customer_manager)._pool_claim()
        return self.env.cr.sql_log_count - before

    def test_p2_claim_query_count_does_not_grow_with_the_pool(self):
        self._count_claim_queries(self._in_pool("Warm Up"))
        small = self._count_claim_queries(self._in_pool("Small Pool Claim"))
        self.Partner.create(
            [
                {
                    "name": f"Filler {index}",
                    "is_company": True,
                    "pool_id": self.pool.id,
                    "home_pool_id": self.pool.id,
                }
                for index in range(300)
            ]
        )
        large = self._count_claim_queries(self._in_pool("Large Pool Claim"))
        self.assertEqual(small, large)

    # --- P3 assign ------------------------------------------------------

    def test_p3_sales_manager_assigns_and_notifies_by_message(self):
        customers = self._in_pool("Assign A") | self._owned(
            "Assign B", self.customer_manager_2
        )
        action = customers.with_user(
            self.sales_manager
        ).action_open_pool_assign_wizard()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.sales_manager)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard_form.notification, "message")
        wizard_form.user_id = self.customer_manager
        wizard_form.reason = "Key accounts of Shanghai"
        wizard_form.save().action_confirm()
        self.assertEqual(customers.user_id, self.customer_manager)
        self.assertEqual(set(customers.mapped("pool_state")), {"owned"})
        logs = self.Log.search([("partner_id", "in", customers.ids)])
        self.assertEqual(set(logs.mapped("method")), {"assign"})
        self.assertEqual(set(logs.mapped("reason")), {"Key accounts of Shanghai"})
        self.assertEqual(logs.user_id, self.sales_manager)
        notification = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.customer_manager.partner_id.ids),
                ("message_type", "=", "user_notification"),
            ],
            order="id desc",
            limit=1,
        )
        self.assertTrue(notification)
        self.assertIn("Assign A", notification.body)

    def test_p3_assign_notifies_by_email(self):
        customer = self._in_pool("Email Assign")
        mails_before = self.env["mail.mail"].search([])
        customer.with_user(self.sales_manager)._pool_assign(
            self.customer_manager, "Trade fair", "email"
        )
        mails = self.env["mail.mail"].search([]) - mails_before
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.customer_manager.partner_id)
        self.assertIn("Email Assign", mails.body_html)

    def test_p3_assign_forbidden_paths(self):
        pooled = self._in_pool("No Assign")
        owned = self._owned("Owned No Assign", self.customer_manager)
        with self.assertRaises(AccessError):
            pooled.with_user(self.customer_manager)._pool_assign(self.customer_manager)
        with self.assertRaises(AccessError):
            owned.with_user(self.customer_manager)._pool_assign(self.customer_manager_2)
        with self.assertRaises(UserError):
            pooled.with_user(self.sales_manager)._pool_assign(self.internal_user)
        self.assertEqual(pooled.pool_state, "pool")
        self.assertEqual(owned.user_id, self.customer_manager)
        self.assertFalse(self._logs(pooled) | self._logs(owned))
        # A pool administrator assigns the customers of their pool only.
        self.pool.admin_user_ids = self.customer_manager_2
        pooled.with_user(self.customer_manager_2)._pool_assign(
            self.customer_manager, notification="none"
        )
        self.assertEqual(pooled.user_id, self.customer_manager)
        with self.assertRaises(UserError):
            owned.with_user(self.customer_manager_2)._pool_assign(
                self.customer_manager_2
            )

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
            # Back-dated: a confirmed order moved to another date.
            sale.date_order = fields.Datetime.now() - timedelta(days=days_ago)
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

    # --- P6 visibility and masking -----------------------------------------

    def test_p6_customer_managers_see_own_and_their_pools_customers(self):
        mine = self._owned("Visible Mine", self.customer_manager)
        theirs = self._owned("Hidden Theirs", self.customer_manager_2)
        their_contact = self.Partner.create(
            {"name": "Hidden Contact", "parent_id": theirs.id, "type": "contact"}
        )
        pooled = self._in_pool("Visible Pool")
        pooled_contact = self.Partner.create(
            {"name": "Pool Contact", "parent_id": pooled.id, "type": "contact"}
        )
        closed_pool = self.Pool.create(
            {
                "name": "Closed Visibility Pool",
                "member_user_ids": [Command.set([self.customer_manager_2.id])],
            }
        )
        closed = self._in_pool("Hidden Closed Pool", pool=closed_pool)
        unowned = self.Partner.create({"name": "Supplier Co", "is_company": True})
        everything = (
            mine | theirs | their_contact | pooled | pooled_contact | closed | unowned
        )
        seen = self.Partner.with_user(self.customer_manager).search(
            [("id", "in", everything.ids)]
        )
        self.assertEqual(seen, mine | pooled | pooled_contact | unowned)
        with self.assertRaises(AccessError):
            theirs.with_user(self.customer_manager).read(["name"])
        with self.assertRaises(AccessError):
            pooled.with_user(self.customer_manager).write({"name": "Renamed"})
        self.assertEqual(
            self.Partner.with_user(self.sales_manager).search(
                [("id", "in", everything.ids)]
            ),
            everything,
        )
        # History follows visibility.
        self.Log.create(
            [
                {
                    "partner_id": partner.id,
                    "method": "assign",
                    "to_user_id": partner.user_id.id,
                }
                for partner in (mine, theirs, pooled, closed)
            ]
        )
        logs = self.Log.with_user(self.customer_manager).search(
            [("partner_id", "in", everything.ids)]
        )
        self.assertEqual(logs.partner_id, mine | pooled)

    def test_p6_team_membership_opens_a_pool_at_once(self):
        team = self.env["crm.team"].create({"name": "Pool Test Team"})
        team_pool = self.Pool.create(
            {"name": "Team Pool", "member_team_ids": [Command.set(team.ids)]}
        )
        customer = self._in_pool("Team Customer", pool=team_pool)
        Partner_cm = self.Partner.with_user(self.customer_manager)
        self.assertFalse(Partner_cm.search([("id", "=", customer.id)]))
        membership = self.env["crm.team.member"].create(
            {"crm_team_id": team.id, "user_id": self.customer_manager.id}
        )
        self.assertTrue(Partner_cm.search([("id", "=", customer.id)]))
        customer.with_user(self.customer_manager)._pool_claim()
        self.assertEqual(customer.user_id, self.customer_manager)
        self.assertEqual(customer.home_pool_id, team_pool)
        membership.unlink()
        other = self._in_pool("Team Customer 2", pool=team_pool)
        self.assertFalse(Partner_cm.search([("id", "=", other.id)]))

    def test_p6_contacts_carry_their_customers_owner_and_pool(self):
        """The customer managers' rules read the owner and pool of the
        customer from the partner's own row: they follow every ownership
        change (claim, put, recycling, a contact moved), and the rule's SQL
        has no subquery over the partners (at 200,000 customers PostgreSQL
        could not hash it: seconds per search of a customer manager)."""
        customer = self._owned(
            "Mirror Co", self.customer_manager, owned_days=60, followup_days=31
        )
        contact = self.Partner.create(
            {"name": "Mirror Buyer", "parent_id": customer.id, "type": "contact"}
        )
        family = customer | contact

        def mirrored(user, pool):
            self.env.invalidate_all()
            self.assertEqual(family.mapped("commercial_user_id"), user)
            self.assertEqual(family.mapped("commercial_pool_id"), pool)

        mirrored(self.customer_manager, self.Pool)
        self.Pool._cron_recycle_customers()
        self.assertEqual(customer.pool_id, self.pool)
        mirrored(self.env["res.users"], self.pool)
        self.assertEqual(
            self.Partner.with_user(self.customer_manager_2).search(
                [("id", "in", family.ids)]
            ),
            family,
        )
        customer.with_user(self.customer_manager_2)._pool_claim()
        mirrored(self.customer_manager_2, self.Pool)
        self.assertFalse(
            self.Partner.with_user(self.customer_manager).search(
                [("id", "in", family.ids)]
            )
        )
        customer.with_user(self.customer_manager_2)._pool_put(self.pool, "Back")
        mirrored(self.env["res.users"], self.pool)
        other = self._owned("Mirror Other Co", self.customer_manager)
        contact.parent_id = other
        self.env.invalidate_all()
        self.assertEqual(contact.commercial_user_id, self.customer_manager)
        self.assertFalse(contact.commercial_pool_id)
        self.assertFalse(self.env["crm.consistency.check"]._drift_pool_state(False))
        # No self-join: the rule compares columns of the row.
        query = self.Partner.with_user(self.customer_manager)._search([])
        self.assertEqual(str(query.select()).count('FROM "res_partner"'), 1)

    def test_p6_contact_details_masked_until_claimed(self):
        customer = self._in_pool("Masked Co", mobile="13812345678")
        contact = self.Partner.create(
            {
                "name": "Masked Person",
                "parent_id": customer.id,
                "type": "contact",
                "phone": "021-55556666",
                "email": "person@masked.example.com",
            }
        )
        mask = self.Partner._POOL_MASK
        self.customer_manager.groups_id += self.env.ref("base.group_allow_export")
        Partner_cm = self.Partner.with_user(self.customer_manager)
        fnames = ["name", "phone", "mobile", "email", "street"]
        read = Partner_cm.browse(customer.id).read(fnames)[0]
        self.assertEqual(
            (read["phone"], read["mobile"], read["email"], read["street"]), (mask,) * 4
        )
        self.assertEqual(read["name"], "Masked Co")
        search_read = Partner_cm.search_read(
            [("id", "in", [customer.id, contact.id])], ["phone", "email"]
        )
        self.assertEqual({row["phone"] for row in search_read}, {mask})
        web_read = Partner_cm.browse(customer.id).web_read(
            {
                "phone": {},
                "child_ids": {"fields": {"phone": {}, "email": {}}},
            }
        )[0]
        self.assertEqual(web_read["phone"], mask)
        self.assertEqual({child["email"] for child in web_read["child_ids"]}, {mask})
        exported = Partner_cm.browse(customer.id).export_data(
            ["name", "phone", "email", "child_ids/phone"]
        )["datas"]
        self.assertEqual(exported[0][:3], ["Masked Co", mask, mask])
        self.assertEqual(exported[0][3], mask)
        # Sales managers and pool administrators see the details.
        self.assertEqual(
            self.Partner.with_user(self.sales_manager)
            .browse(customer.id)
            .read(["phone"])[0]["phone"],
            "021-66668888",
        )
        self.pool.admin_user_ids = self.customer_manager_2
        self.assertEqual(
            self.Partner.with_user(self.customer_manager_2)
            .browse(customer.id)
            .read(["phone"])[0]["phone"],
            "021-66668888",
        )
        # The claimer sees them once claimed.
        customer.with_user(self.customer_manager)._pool_claim()
        read = Partner_cm.browse(customer.id).read(["phone", "email"])[0]
        self.assertEqual(read["phone"], "021-66668888")
        self.assertEqual(
            Partner_cm.browse(contact.id).read(["email"])[0]["email"],
            "person@masked.example.com",
        )
        # A pool that does not mask shows them to its members.
        open_customer = self._in_pool("Unmasked Co")
        self.pool.mask_contact = False
        self.assertEqual(
            Partner_cm.browse(open_customer.id).read(["phone"])[0]["phone"],
            "021-66668888",
        )

    def test_p6_masked_details_do_not_leak_through_search_group_or_names(self):
        customer = self._in_pool("Leak Test Co")
        Partner_cm = self.Partner.with_user(self.customer_manager)
        # A search on a hidden value does not confirm it...
        self.assertFalse(
            Partner_cm.search(
                [
                    ("email", "=", "info@pool-customer.example.com"),
                    ("id", "=", customer.id),
                ]
            )
        )
        self.assertFalse(
            Partner_cm.search(
                [("phone", "ilike", "66668888"), ("id", "=", customer.id)]
            )
        )
        # ...but the name search (which also looks at the email) still
        # finds pool customers, and sales managers search everything.
        self.assertEqual(
            Partner_cm.search(
                [
                    "|",
                    ("complete_name", "ilike", "Leak Test"),
                    ("email", "ilike", "Leak Test"),
                    ("id", "=", customer.id),
                ]
            ),
            customer,
        )
        self.assertEqual(Partner_cm.name_search("Leak Test Co")[0][0], customer.id)
        self.assertTrue(
            self.Partner.with_user(self.sales_manager).search(
                [
                    ("email", "=", "info@pool-customer.example.com"),
                    ("id", "=", customer.id),
                ]
            )
        )
        # Grouping by a hidden field would show the values.
        with self.assertRaises(AccessError):
            Partner_cm.read_group([("id", "=", customer.id)], ["phone"], ["phone"])
        # Names shown with their email or address.
        name = (
            Partner_cm.browse(customer.id)
            .with_context(show_email=True, show_address=True)
            .display_name
        )
        self.assertNotIn("pool-customer.example.com", name)
        self.assertNotIn("Zhangjiang", name)

    # --- P7 history -----------------------------------------------------

    def test_p7_history_of_every_ownership_change(self):
        customer = self._owned(
            "History Co", self.customer_manager, owned_days=60, followup_days=40
        )
        self.Pool._cron_recycle_customers()
        customer.with_user(self.customer_manager_2)._pool_claim()
        customer.with_user(self.customer_manager_2)._pool_put(self.pool, "Wrong region")
        customer.with_user(self.sales_manager)._pool_assign(
            self.customer_manager, "Back to Li"
        )
        logs = self._logs(customer)
        self.assertEqual(
            [
                (log.method, log.from_user_id, log.to_user_id, log.reason)
                for log in logs
            ],
            [
                (
                    "recycle",
                    self.customer_manager,
                    self.env["res.users"],
                    "No follow-up for 30 days",
                ),
                (
                    "claim",
                    self.env["res.users"],
                    self.customer_manager_2,
                    "Claimed from the pool",
                ),
                ("put", self.customer_manager_2, self.env["res.users"], "Wrong region"),
                ("assign", self.env["res.users"], self.customer_manager, "Back to Li"),
            ],
        )
        self.assertEqual(customer.ownership_log_count, 4)
        as_owner = customer.with_user(self.customer_manager)
        action = as_owner.action_view_ownership_logs()
        self.assertEqual(
            self.Log.with_user(self.customer_manager).search(action["domain"]), logs
        )
        with self.assertRaises(AccessError):
            logs[0].with_user(self.customer_manager).write({"reason": "Rewritten"})
        with self.assertRaises(AccessError):
            logs.with_user(self.sales_manager).unlink()
        with self.assertRaises(AccessError):
            self.Log.with_user(self.sales_manager).create(
                {"partner_id": customer.id, "method": "claim"}
            )

    # --- P8 several pools -------------------------------------------------

    def test_p8_several_pools_with_their_own_members_and_rules(self):
        team = self.env["crm.team"].create(
            {
                "name": "Pool Team East",
                "crm_team_member_ids": [
                    Command.create({"user_id": self.customer_manager_2.id})
                ],
            }
        )
        east = self.Pool.create(
            {
                "name": "East Pool",
                "sequence": 0,
                "member_team_ids": [Command.set(team.ids)],
                "no_followup_days": 10,
            }
        )
        self.pool.sequence = 5
        east_customer = self._in_pool("East Customer", pool=east)
        west_customer = self._in_pool("West Customer")
        with self.assertRaises(UserError):
            east_customer.with_user(self.customer_manager)._pool_claim()
        east_customer.with_user(self.customer_manager_2)._pool_claim()
        west_customer.with_user(self.customer_manager_2)._pool_claim()
        self.assertEqual(east_customer.recycle_date, self.today + timedelta(days=10))
        self.assertEqual(west_customer.recycle_date, self.today + timedelta(days=30))
        # A new customer follows the first pool of its owner.
        created = self.Partner.with_user(self.customer_manager_2).create(
            {
                "name": "New East",
                "is_company": True,
                "user_id": self.customer_manager_2.id,
            }
        )
        self.assertEqual(created.home_pool_id, east)
        # Recycling returns each customer to its own pool, with its own days.
        (east_customer | west_customer).write({"date_owned": self._days_ago(11)})
        self.Pool._cron_recycle_customers()
        self.assertEqual(
            (east_customer.pool_state, east_customer.pool_id), ("pool", east)
        )
        self.assertEqual(
            self._logs(east_customer)[-1].reason, "No follow-up for 10 days"
        )
        self.assertEqual(west_customer.pool_state, "owned")
        # Changing a pool's rules moves the dates of its customers.
        self.pool.no_followup_days = 5
        self.assertEqual(west_customer.recycle_date, self._days_ago(6))
        self.pool.auto_recycle = False
        self.assertFalse(west_customer.recycle_date)

    # --- P9 lists -------------------------------------------------------

    def test_p9_lists_and_filters(self):
        mine = self._owned(
            "List Mine", self.customer_manager, owned_days=60, followup_days=25
        )
        theirs = self._owned("List Theirs", self.customer_manager_2)
        pooled = self._in_pool("List Pool")
        Partner_cm = self.Partner.with_user(self.customer_manager)

        def action_records(xmlid):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            domain = safe_eval(action["domain"], {"uid": self.customer_manager.id})
            return Partner_cm.search(
                domain + [("id", "in", (mine | theirs | pooled).ids)]
            )

        self.assertEqual(action_records("crm_custom.action_crm_my_customers"), mine)
        self.assertEqual(action_records("crm_custom.action_crm_customer_pool"), pooled)
        self.assertEqual(action_records("crm_custom.action_crm_customers"), mine)
        self.assertIn(mine, Partner_cm.search([("days_to_recycle", "<=", 7)]))
        self.assertEqual(mine.days_to_recycle, 5)
        # The search views hold the P9 filters and the pool filters.
        arch = self.Partner.get_view(
            self.env.ref("crm_custom.view_partner_search_crm_customer").id, "search"
        )["arch"]
        for name in (
            "my_customers",
            "created_today",
            "created_this_week",
            "created_this_month",
            "updated_last_month",
            "pool_due_soon",
            "pool_in_pool",
        ):
            self.assertIn(f'name="{name}"', arch)

    def _page_queries(self, user, view_xmlid, domain, drop=()):
        """Queries of one list page as the web client reads it: the
        columns of the list the user gets (those of groups the user lacks
        are not in it)."""
        Partner = self.Partner.with_user(user)
        arch = etree.fromstring(
            Partner.get_view(self.env.ref(view_xmlid).id, "list")["arch"]
        )
        names = [node.get("name") for node in arch if node.tag == "field"]
        spec = {
            fname: {"fields": {"display_name": {}}}
            if self.Partner._fields[fname].type == "many2one"
            else {}
            for fname in names
            if fname not in drop
        }
        Partner.web_search_read(domain, spec, limit=80)  # warm the caches
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = Partner.web_search_read(domain, spec, limit=80)
        return self.env.cr.sql_log_count - before, result["records"], spec

    def test_p9_pool_list_page_queries(self):
        self.Partner.create(
            [
                {
                    "name": f"Page Customer {index}",
                    "is_company": True,
                    "pool_id": self.pool.id,
                    "home_pool_id": self.pool.id,
                    "phone": "021-12345678",
                    "pool_previous_user_id": self.customer_manager_2.id,
                    "pool_entry_date": self._days_ago(index % 20),
                }
                for index in range(100)
            ]
        )
        queries, records, spec = self._page_queries(
            self.customer_manager,
            "crm_custom.view_partner_list_crm_customer_pool",
            [("pool_state", "=", "pool"), ("is_company", "=", True)],
        )
        self.assertEqual(len(records), 80)
        self.assertIn("pool_days", spec)
        self.assertEqual(
            {row["phone"] for row in records if row["phone"]}, {self.Partner._POOL_MASK}
        )
        self.assertLessEqual(queries, 15)

    def test_p9_days_left_cost_no_query_in_customer_lists(self):
        self.Partner.create(
            [
                {
                    "name": f"Owned Page {index}",
                    "is_company": True,
                    "user_id": self.customer_manager.id,
                    "phone": "021-12345678",
                }
                for index in range(90)
            ]
        )
        domain = [
            ("user_id", "=", self.customer_manager.id),
            ("is_company", "=", True),
            ("pool_state", "=", "owned"),
        ]
        # The columns of the days left (the phone masking reads the pool
        # state: it stays).
        pool_columns = ("days_to_recycle", "recycle_date")
        with_days, records, spec = self._page_queries(
            self.customer_manager, "crm_custom.view_partner_list_crm_customer", domain
        )
        self.assertIn("days_to_recycle", spec)
        self.assertEqual({row["days_to_recycle"] for row in records}, {30})
        without_days, _records, _spec = self._page_queries(
            self.customer_manager,
            "crm_custom.view_partner_list_crm_customer",
            domain,
            pool_columns,
        )
        self.assertEqual(with_days, without_days)

    def test_p9_my_customers_page_reads_dictionary_names_once(self):
        """The dictionary columns (level, source, nature, region) cost one
        query together, not one each; so do the customer manager and the
        creator (users); the invoicing columns are for invoicing users."""

        def item(name):
            return self.env.ref(f"crm_custom.dictionary_{name}").id

        values = [
            {
                "customer_level_id": item(f"customer_level_{level}"),
                "customer_source_id": item(f"customer_source_{source}"),
                "company_nature_id": item(f"company_nature_{nature}"),
                "region_id": item(f"region_{region}"),
            }
            for level, source, nature, region in (
                ("ordinary", "telemarketing", "private", "east"),
                ("major", "online_marketing", "state_owned", "north"),
                ("partner", "other", "joint_venture", "south"),
            )
        ]
        self.Partner.create(
            [
                {
                    "name": f"Dictionary Page {index}",
                    "is_company": True,
                    "user_id": self.customer_manager.id,
                    **values[index % len(values)],
                }
                for index in range(90)
            ]
        )
        domain = [
            ("user_id", "=", self.customer_manager.id),
            ("is_company", "=", True),
            ("pool_state", "=", "owned"),
        ]
        view = "crm_custom.view_partner_list_crm_customer"
        queries, records, spec = self._page_queries(self.customer_manager, view, domain)
        self.assertEqual(len(records), 80)
        self.assertNotIn("invoice_sending_method", spec)
        self.assertEqual(
            records[0]["customer_source_id"]["display_name"],
            self.env["crm.dictionary.item"]
            .browse(records[0]["customer_source_id"]["id"])
            .display_name,
        )
        one_dictionary_column, _records, _spec = self._page_queries(
            self.customer_manager,
            view,
            domain,
            ("customer_source_id", "company_nature_id", "region_id", "create_uid"),
        )
        self.assertEqual(queries, one_dictionary_column)
        self.assertLessEqual(queries, 15)


@tagged("post_install", "-at_install")
class TestCustomerPoolConcurrency(TransactionCase):
    """P2: two salespeople claiming the same customer at the same moment,
    from two database transactions: exactly one gets it. The data is
    committed (the two cursors must see it) and removed afterwards."""

    def test_p2_concurrent_claim_from_two_cursors(self):
        user_1 = self.env.ref("crm_custom.user_customer_manager_1")
        user_2 = self.env.ref("crm_custom.user_customer_manager_2")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            pool = env["crm.customer.pool"].create(
                {
                    "name": "Concurrency Pool",
                    "member_user_ids": [Command.set([user_1.id, user_2.id])],
                }
            )
            customer = env["res.partner"].create(
                {
                    "name": "Contested Customer",
                    "is_company": True,
                    "pool_id": pool.id,
                    "home_pool_id": pool.id,
                }
            )
            pool_id, customer_id = pool.id, customer.id
            cr.commit()  # pylint: disable=invalid-commit
        try:
            with self.registry.cursor() as cr_1, self.registry.cursor() as cr_2:
                env_1 = api.Environment(cr_1, user_1.id, {})
                env_2 = api.Environment(cr_2, user_2.id, {})
                # Both load the pool customer before anybody claims.
                self.assertEqual(
                    env_2["res.partner"].browse(customer_id).pool_state, "pool"
                )
                env_1["res.partner"].browse(customer_id)._pool_claim()
                with self.assertRaises(UserError), mute_logger("odoo.sql_db"):
                    env_2["res.partner"].browse(customer_id)._pool_claim()
                cr_2.rollback()
                cr_1.commit()
            with self.registry.cursor() as cr_2:
                # Later, the other one sees it gone.
                env_2 = api.Environment(cr_2, user_2.id, {})
                with self.assertRaises(UserError):
                    env_2["res.partner"].browse(customer_id)._pool_claim()
                cr_2.rollback()
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                customer = env["res.partner"].browse(customer_id)
                self.assertEqual(customer.user_id, user_1)
                logs = env["crm.customer.ownership.log"].search(
                    [("partner_id", "=", customer_id)]
                )
                self.assertEqual(len(logs), 1)
                self.assertEqual(logs.to_user_id, user_1)
        finally:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                env["crm.customer.ownership.log"].search(
                    [("partner_id", "=", customer_id)]
                ).unlink()
                env["mail.message"].search(
                    [("model", "=", "res.partner"), ("res_id", "=", customer_id)]
                ).unlink()
                env["res.partner"].browse(customer_id).unlink()
                env["crm.customer.pool"].browse(pool_id).unlink()
                cr.commit()  # pylint: disable=invalid-commit
