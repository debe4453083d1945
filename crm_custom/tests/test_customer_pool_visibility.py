"""Customer pool 客户池: visibility and masking, history, several pools,
lists (P6-P9); concurrent claims."""

from datetime import timedelta

from lxml import etree

from odoo import Command, api
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import PoolCommon


@tagged("post_install", "-at_install")
class TestCustomerPoolVisibility(PoolCommon):
    """Who sees which customer and contact detail, the ownership history,
    several pools, lists and their cost (P6-P9)."""

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
