from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import PoolCommon


class CoexistenceCommon(PoolCommon):
    """Customers created the way Odoo's other apps create them, orders on
    them, and the chatter (tracking enabled, unlike the other tests)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Coexistence Widget", "list_price": 100.0, "type": "consu"}
        )

    def setUp(self):
        super().setUp()
        # Tracking on: the chatter is what some tests look at.
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))

    def _order(self, partner, confirm=True, date=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        if confirm:
            order.action_confirm()
        if date:
            # Confirming dates the order today: back-date it afterwards.
            order.date_order = date
        return order

    def _drift(self):
        return self.env["crm.consistency.check"].check_drift()

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _company(self, name, **vals):
        return self.env["res.partner"].create(
            {"name": name, "is_company": True, "customer_rank": 1, **vals}
        )


@tagged("post_install", "-at_install")
class TestP1OrphanCustomers(CoexistenceCommon):
    """P1 everywhere: a customer company is owned or in a pool."""

    def test_p1_quick_create_by_salesperson_is_theirs(self):
        Partner = self.env["res.partner"].with_user(self.customer_manager)
        # Quick create from an order or an opportunity (many2one name_create
        # with the customer search mode), as a company.
        partner_id, _name = Partner.with_context(
            default_is_company=True, res_partner_search_mode="customer"
        ).name_create("Quick Create Trading Co")
        customer = self.env["res.partner"].browse(partner_id)
        self.assertEqual(customer.user_id, self.customer_manager)
        self.assertEqual(customer.pool_state, "owned")
        self.assertTrue(customer.home_pool_id)
        # Created from an order form (create and edit).
        created = Partner.with_context(
            default_is_company=True, res_partner_search_mode="customer"
        ).create({"name": "Order Form Trading Co"})
        self.assertEqual(created.user_id, self.customer_manager)
        # The other customer manager does not see them.
        visible = (
            self.env["res.partner"]
            .with_user(self.customer_manager_2)
            .search([("id", "in", [customer.id, created.id])])
        )
        self.assertFalse(visible)

    def test_p1_import_without_owner_column(self):
        result = (
            self.env["res.partner"]
            .with_user(self.customer_manager)
            .load(
                ["name", "is_company", "customer_rank"],
                [["Imported Owner-less Co", "1", "1"]],
            )
        )
        self.assertFalse(result["messages"], result["messages"])
        customer = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(customer.user_id, self.customer_manager)

    def test_p1_created_without_owner_lands_in_default_pool(self):
        default_pool = self.env["crm.customer.pool"]._default_pool()
        # The superuser (scheduled actions, portal sign-ups run as sudo).
        customer = self._company("Ownerless Superuser Co")
        self.assertFalse(customer.user_id)
        self.assertEqual(customer.pool_id, default_pool)
        self.assertEqual(customer.pool_state, "pool")
        log = self._logs(customer)
        self.assertEqual(log.method, "put")
        # A user outside sales making a company a customer.
        company = self.env["res.partner"].create(
            {"name": "Later Customer Co", "is_company": True}
        )
        self.assertFalse(company.pool_state, "not a customer yet")
        company.with_user(self.internal_user).sudo(False)._increase_rank(
            "customer_rank"
        )
        self.assertEqual(company.pool_id, default_pool)
        # Nobody sees orphans any more: none left.
        self.assertFalse(
            self.env["res.partner"].search_count(
                [
                    ("is_company", "=", True),
                    ("customer_rank", ">", 0),
                    ("user_id", "=", False),
                    ("pool_id", "=", False),
                ]
            )
        )

    def test_p1_upgrade_step_pools_existing_orphans(self):
        orphan = self._company("Old Orphan Co")
        # As left by an older version: neither owned nor in a pool.
        self.env.cr.execute(
            "UPDATE res_partner SET pool_id = NULL, home_pool_id = NULL,"
            " pool_state = NULL WHERE id = %s",
            [orphan.id],
        )
        orphan.invalidate_recordset()
        drift = self._drift()
        self.assertIn(
            ("orphans", orphan.id), {(r["check"], r["res_id"]) for r in drift}
        )
        # Forbidden path: only administrators run the check.
        with self.assertRaises(AccessError):
            self.env["crm.consistency.check"].with_user(
                self.sales_manager
            ).check_drift()
        self.env["res.partner"]._pool_adopt_all_orphans()
        self.assertEqual(orphan.pool_state, "pool")
        self.assertFalse(self._drift())


@tagged("post_install", "-at_install")
class TestX8OrderData(CoexistenceCommon):
    """X8: order-derived data follows every path that moves orders."""

    def test_x8_contact_moved_to_another_company(self):
        old = self._owned("Old Employer Co", self.customer_manager)
        new = self._owned("New Employer Co", self.customer_manager)
        contact = self.env["res.partner"].create(
            {
                "name": "Wang Moved",
                "parent_id": old.id,
                "gender": "male",
                "function": "Buyer",
                "phone": "021-12345678",
            }
        )
        self._order(contact)
        self.assertTrue(old.last_order_date)
        contact.parent_id = new
        self.assertFalse(old.last_order_date)
        self.assertEqual(old.churn_purchase_count, 0)
        self.assertTrue(new.last_order_date)
        self.assertEqual(new.churn_purchase_count, 1)
        self.assertFalse(self._drift())

    def test_x8_order_partner_change_cancel_and_company_change(self):
        first = self._owned("First Buyer Co", self.customer_manager)
        second = self._owned("Second Buyer Co", self.customer_manager)
        order = self._order(first)
        order.partner_id = second
        self.assertFalse(first.last_order_date)
        self.assertTrue(second.last_order_date)
        order._action_cancel()
        self.assertFalse(second.last_order_date)
        self.assertFalse(self._drift())

    def test_x8_partner_merge(self):
        keep = self._owned("Merge Keep Co", self.customer_manager)
        gone = self._owned("Merge Gone Co", self.customer_manager)
        contact = self.env["res.partner"].create(
            {
                "name": "Li Merged",
                "parent_id": gone.id,
                "gender": "female",
                "function": "Buyer",
                "phone": "021-12345679",
            }
        )
        self._order(gone, date="2025-01-10 10:00:00")
        self._order(contact, date="2025-03-10 10:00:00")
        self.env["base.partner.merge.automatic.wizard"]._merge([keep.id, gone.id], keep)
        self.assertFalse(gone.exists())
        self.assertEqual(str(keep.last_order_date), "2025-03-10")
        self.assertEqual(keep.churn_purchase_count, 2)
        self.assertEqual(contact.parent_id, keep)
        self.assertEqual(contact.pool_state, "owned")
        self.assertFalse(self._drift())

    def test_x8_drift_reported_and_repaired(self):
        customer = self._owned("Drifting Co", self.customer_manager)
        self._order(customer)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET last_order_date = '2001-01-01',"
            " churn_purchase_count = 7 WHERE id = %s",
            [customer.id],
        )
        self.env.invalidate_all()
        drift = self._drift()
        fields = {(r["res_id"], r["field"]) for r in drift}
        self.assertIn((customer.id, "last_order_date"), fields)
        self.assertIn((customer.id, "churn_purchase_count"), fields)
        action = self.env["crm.consistency.check"].action_check_drift(repair=True)
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(customer.churn_purchase_count, 1)
        self.assertFalse(self._drift())

    def test_x8_drift_of_mirrored_owner_and_pool_repaired(self):
        customer = self._owned("Mirror Drift Co", self.customer_manager)
        contact = self.env["res.partner"].create(
            {"name": "Mirror Drift Buyer", "parent_id": customer.id}
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET commercial_user_id = NULL,"
            " commercial_pool_id = %s, pool_state = 'pool' WHERE id = %s",
            [self.pool.id, contact.id],
        )
        self.env.invalidate_all()
        fields = {(r["res_id"], r["field"]) for r in self._drift()}
        self.assertEqual(
            fields,
            {
                (contact.id, "commercial_user_id"),
                (contact.id, "commercial_pool_id"),
                (contact.id, "pool_state"),
            },
        )
        self.env["crm.consistency.check"].check_drift(repair=True)
        self.assertEqual(contact.commercial_user_id, self.customer_manager)
        self.assertFalse(contact.commercial_pool_id)
        self.assertEqual(contact.pool_state, "owned")
        self.assertFalse(self._drift())

    def test_x8_server_actions_for_administrators_only(self):
        check = self.env.ref("crm_custom.action_crm_consistency_check")
        admin = self.env.ref("base.user_admin")
        result = check.with_user(admin).run()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(result["params"]["type"], "success")
        repair = self.env.ref("crm_custom.action_crm_consistency_repair")
        with self.assertRaises(AccessError):
            repair.with_user(self.sales_manager).run()

    def test_x8_manager_writing_unchanged_owner_and_level_refreshes_recycle_date(self):
        level_rule_level = self.env["crm.dictionary.item"].create(
            {"name": "Coexistence VIP", "category": "customer_level"}
        )
        self.pool.level_rule_ids = [
            Command.create(
                {"customer_level_id": level_rule_level.id, "no_followup_days": 5}
            )
        ]
        customer = self._owned("Level Co", self.customer_manager, followup_days=0)
        before = customer.recycle_date
        customer.with_user(self.sales_manager).write(
            {
                "user_id": self.customer_manager.id,
                "customer_level_id": level_rule_level.id,
            }
        )
        self.assertNotEqual(customer.recycle_date, before)
        self.assertEqual(customer.recycle_date, self._days_ago(-5))
        self.assertFalse(self._drift())


@tagged("post_install", "-at_install")
class TestChatter(CoexistenceCommon):
    """Ownership changes and churn warnings show in the chatter."""

    def _tracked(self, customer, fname):
        return customer.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == fname
        )

    def test_p1_put_claim_assign_recycle_tracked_with_reason(self):
        customer = self._owned(
            "Chatter Co", self.customer_manager, owned_days=60, followup_days=60
        ).with_context(tracking_disable=False)
        self._flush_tracking()
        customer.with_user(self.customer_manager)._pool_put(self.pool, "No budget")
        self._flush_tracking()
        customer.with_user(self.customer_manager_2)._pool_claim()
        self._flush_tracking()
        customer.with_user(self.sales_manager)._pool_assign(self.customer_manager)
        self._flush_tracking()
        self.assertIn(self.customer_manager.partner_id, customer.message_partner_ids)
        self.assertIn(self.customer_manager_2.partner_id, customer.message_partner_ids)
        customer.sudo().write(
            {"date_owned": self._days_ago(60), "last_followup_date": False}
        )
        self.env["crm.customer.pool"]._cron_recycle_customers()
        self.assertEqual(customer.pool_state, "pool")
        customer.invalidate_recordset()
        owners = self._tracked(customer, "user_id")
        self.assertEqual(len(owners), 4, "put, claim, assign, recycle")
        bodies = " ".join(customer.message_ids.mapped("body"))
        self.assertIn("No budget", bodies)
        self.assertIn("No follow-up for 30 days", bodies)
        self.assertGreaterEqual(len(self._tracked(customer, "pool_id")), 3)

    def test_w1_churn_warning_from_cron_followed_with_message(self):
        customer = self._owned("Churning Co", self.customer_manager)
        self._order(customer, date="2020-01-10 10:00:00")
        warnings = self.env["crm.churn.warning"]._cron_create_churn_warnings()
        warning = warnings.filtered(lambda w: w.partner_id == customer)
        self.assertTrue(warning)
        self.assertIn(self.customer_manager.partner_id, warning.message_partner_ids)
        self.assertTrue(
            warning.message_ids.filtered(lambda m: "Churn warning raised" in m.body)
        )


@tagged("post_install", "-at_install")
class TestOperationLogAndRecycleBin(CoexistenceCommon):
    """B3 operation log, C2 recycle bin."""

    def test_b3_operation_log_lists_key_changes_and_deletions(self):
        customer = self._owned("Logged Co", self.customer_manager).with_context(
            tracking_disable=False
        )
        self._flush_tracking()
        customer.with_user(self.customer_manager).write(
            {"name": "Logged Co Renamed", "phone": "021-55556666", "satisfaction": 4}
        )
        self._flush_tracking()
        Log = self.env["crm.operation.log"].with_user(self.sales_manager)
        lines = Log.search([("partner_id", "=", customer.id)])
        fields = set(lines.mapped("field_name"))
        self.assertTrue({"name", "phone", "satisfaction"} <= fields, fields)
        rename = lines.filtered(lambda line: line.field_name == "name")
        self.assertEqual(rename.old_value, "Logged Co")
        self.assertEqual(rename.new_value, "Logged Co Renamed")
        self.assertEqual(rename.user_id, self.customer_manager)
        # Deletions are logged too.
        other = self.env["res.partner"].create({"name": "Deleted Supplier"})
        other.unlink()
        self.assertTrue(
            Log.search(
                [("operation", "=", "delete"), ("record_name", "=", "Deleted Supplier")]
            )
        )
        # Forbidden: customer managers do not read the log.
        with self.assertRaises(AccessError):
            self.env["crm.operation.log"].with_user(self.customer_manager).search([])

    def test_c2_contact_deleted_by_customer_manager_goes_to_recycle_bin(self):
        manager = new_test_user(
            self.env,
            login="test_cm_contact_creation",
            tz=self.env.user.tz,
            name="CM With Contact Creation",
            groups="base.group_user,base.group_partner_manager,"
            "crm_custom.group_customer_manager",
        )
        customer = self._owned("Bin Co", manager)
        contact = self.env["res.partner"].create(
            {
                "name": "Zhao Binned",
                "parent_id": customer.id,
                "gender": "male",
                "function": "Engineer",
                "phone": "021-12340000",
            }
        )
        contact.with_user(manager).unlink()
        self.assertTrue(contact.exists())
        self.assertFalse(contact.active)
        bin_action = self.env.ref("crm_custom.action_crm_customer_contacts_recycle_bin")
        in_bin = (
            self.env["res.partner"]
            .with_user(manager)
            .with_context(active_test=False)
            .search(safe_eval(bin_action.domain))
        )
        self.assertIn(contact, in_bin)
        # Restored from the bin.
        contact.with_user(manager).action_unarchive()
        self.assertTrue(contact.active)
        # Forbidden path: without the right, no deletion at all.
        with self.assertRaises(AccessError):
            contact.with_user(self.customer_manager).unlink()
        # Deleting from the bin deletes for good.
        contact.with_user(manager).action_archive()
        contact.with_user(manager).unlink()
        self.assertFalse(contact.exists())

    def test_c2_unlink_refused_for_other_managers_contacts(self):
        customer = self._owned("Foreign Bin Co", self.customer_manager)
        contact = self.env["res.partner"].create(
            {
                "name": "Qian Foreign",
                "parent_id": customer.id,
                "gender": "male",
                "function": "Engineer",
                "phone": "021-12340001",
            }
        )
        with self.assertRaises(AccessError):
            contact.with_user(self.customer_manager_2).unlink()
        self.assertTrue(contact.active)
