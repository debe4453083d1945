"""Customer pool 客户池 / 公海: put, claim, assign (P1-P3)."""

from datetime import timedelta

from odoo import Command
from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import PoolCommon


@tagged("post_install", "-at_install")
class TestCustomerPool(PoolCommon):
    """Put into the pool, claim, assign (P1-P3)."""

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

    def test_p2_claim_and_put_buttons_only_for_salespeople(self):
        """Executives read the pool and the customers but claim and put
        nothing: they are not offered the buttons that would refuse them."""
        views = {
            "crm_custom.view_partner_list_crm_customer_pool": "list",
            "crm_custom.view_partner_kanban_crm_customer_pool": "kanban",
            "crm_custom.view_partner_form_crm_customer": "form",
            "crm_custom.view_partner_list_crm_customer": "list",
        }
        for xmlid, view_type in views.items():
            view_id = self.env.ref(xmlid).id
            for user, offered in (
                (self.customer_manager, True),
                (self.executive, False),
            ):
                arch = self.Partner.with_user(user).get_view(view_id, view_type)["arch"]
                buttons = (
                    'name="action_open_pool_claim_wizard"' in arch
                    or 'name="action_open_pool_put_wizard"' in arch
                )
                self.assertEqual(buttons, offered, f"{xmlid} as {user.login}")
        with self.assertRaises(AccessError):
            self._in_pool("Pool Executive").with_user(self.executive)._pool_claim()

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
