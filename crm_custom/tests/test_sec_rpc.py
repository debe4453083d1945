"""sec_rpc: bypass attempts over HTTP JSON-RPC (/web/dataset/call_kw) by a
logged-in customer manager. Each probe must be refused with an access or
user error and leave the database as it was; reads of other managers' data
return nothing and masked pool contact details stay masked (B2, P2, P3, P6,
O2, O4, W2, W4). crm_custom_service and crm_custom_reports probe theirs
(S2-S5, R1-R7) in their own test_sec_rpc.py."""

from odoo import Command, fields
from odoo.tests import tagged

from .common import MASK, SecRpcCommon


@tagged("post_install", "-at_install")
class TestSecRpc(SecRpcCommon):
    # ------------------------------------------------------------------
    # Ownership and pool fields (P1-P3, P6)
    # ------------------------------------------------------------------

    def test_sec_rpc_write_owner_and_pool_fields(self):
        partner_fields = (
            "user_id",
            "pool_id",
            "home_pool_id",
            "pool_state",
            "pool_locked",
            "recycle_date",
            "last_followup_date",
            "date_owned",
        )
        own, other, pool = self.customer_own, self.customer_other, self.customer_pool
        me = self.customer_manager.id
        attempts = [
            (pool, {"user_id": me}),  # claim without claiming
            (other, {"user_id": me}),  # take another manager's customer
            (own, {"user_id": self.customer_manager_2.id}),  # give it away
            (own, {"pool_id": self.pool.id}),  # put without logging
            (own, {"pool_locked": True}),  # lock: managers only
            (own, {"recycle_date": "2099-12-31"}),  # postpone recycling
            (own, {"last_followup_date": fields.Date.to_string(self.today)}),
            (own, {"date_owned": "2099-01-01"}),
            (pool, {"pool_id": False}),
            (other, {"comment": "<p>mine now</p>"}),
            (pool, {"name": "Renamed pool customer"}),
        ]
        for record, vals in attempts:
            self._refused(
                "res.partner",
                "write",
                [record.ids, vals],
                records=own | other | pool,
                fnames=partner_fields + ("name",),
            )
        # A new customer given to someone else or created into a pool.
        self._refused(
            "res.partner",
            "create",
            [
                {
                    "name": "Sec Gift Co",
                    "is_company": True,
                    "user_id": self.customer_manager_2.id,
                }
            ],
        )
        self._refused(
            "res.partner",
            "create",
            [{"name": "Sec Pooled Co", "is_company": True, "pool_id": self.pool.id}],
        )
        self.assertFalse(
            self.env["res.partner"].search(
                [("name", "in", ["Sec Gift Co", "Sec Pooled Co"])]
            )
        )

    def test_sec_rpc_manager_only_actions(self):
        # Locking and assigning customers (P3, P4), assigning opportunities
        # (O4); services (S2): crm_custom_service's test_sec_rpc.py.
        for method in ("action_pool_lock", "action_pool_unlock"):
            self._refused(
                "res.partner",
                method,
                [self.customer_own.ids],
                records=self.customer_own,
                fnames=("pool_locked",),
            )
        wizard_id = self._call(
            "crm.customer.pool.assign.wizard",
            "create",
            [
                {
                    "partner_ids": [Command.set(self.customer_pool.ids)],
                    "user_id": self.customer_manager.id,
                }
            ],
        )
        self._refused(
            "crm.customer.pool.assign.wizard",
            "action_confirm",
            [[wizard_id]],
            records=self.customer_pool,
            fnames=("user_id", "pool_id"),
        )
        self._refused(
            "crm.lead.assign",
            "create",
            [
                {
                    "lead_ids": [Command.set(self.lead_unassigned.ids)],
                    "user_id": self.customer_manager.id,
                }
            ],
        )
        self._refused(
            "crm.lead",
            "_assign_customer_manager",
            [self.lead_unassigned.ids, self.customer_manager.id],
            records=self.lead_unassigned,
            fnames=("user_id", "development_state"),
        )
        # Data dictionary and pool rules (B1, P4): sales managers only.
        self._refused(
            "crm.dictionary.item",
            "create",
            [{"name": "Sec VIP", "category": "customer_level"}],
        )
        self._refused(
            "crm.customer.pool",
            "write",
            [self.pool.ids, {"no_followup_days": 999}],
            records=self.pool,
            fnames=("no_followup_days",),
        )
        # Ownership history is written by the pool operations only (P7).
        log = self.env["crm.customer.ownership.log"].create(
            {
                "partner_id": self.customer_own.id,
                "method": "assign",
                "to_user_id": self.customer_manager.id,
            }
        )
        self._refused(
            "crm.customer.ownership.log",
            "write",
            [log.ids, {"to_user_id": self.customer_manager_2.id}],
            records=log,
            fnames=("to_user_id",),
        )
        self._refused(
            "crm.customer.ownership.log",
            "unlink",
            [log.ids],
            records=log,
            fnames=("method",),
        )
        self._refused(
            "crm.customer.ownership.log",
            "create",
            [
                {
                    "partner_id": self.customer_own.id,
                    "method": "claim",
                    "to_user_id": self.customer_manager.id,
                }
            ],
        )

    # ------------------------------------------------------------------
    # Opportunities (O2-O8)
    # ------------------------------------------------------------------

    def test_sec_rpc_write_development_state(self):
        lead_fields = (
            "user_id",
            "development_state",
            "stage_id",
            "active",
            "date_assigned",
        )
        leads = self.lead_unassigned | self.lead_own | self.lead_other
        won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        attempts = [
            (self.lead_unassigned, {"development_state": "success"}),
            (self.lead_unassigned, {"user_id": self.customer_manager.id}),
            (self.lead_unassigned, {"stage_id": won.id}),
            (self.lead_own, {"development_state": "unassigned"}),
            (self.lead_own, {"user_id": False}),
            (self.lead_own, {"description": "<p>edited after assignment</p>"}),
            (self.lead_own, {"active": False}),
            (self.lead_other, {"user_id": self.customer_manager.id}),
        ]
        for lead, vals in attempts:
            self._refused(
                "crm.lead", "write", [lead.ids, vals], records=leads, fnames=lead_fields
            )
        # Ending another manager's development, or an unassigned one.
        for lead in (self.lead_other, self.lead_unassigned):
            self._refused(
                "crm.lead",
                "action_set_won",
                [lead.ids],
                records=leads,
                fnames=lead_fields,
            )
        self._refused(
            "crm.lead",
            "action_set_lost",
            [self.lead_other.ids],
            {"lost_reason_id": self.lost_reason.id},
            records=leads,
            fnames=lead_fields,
        )
        # A plan item's date is fixed; another manager's plan is closed.
        self._refused(
            "crm.lead.plan.item",
            "write",
            [self.plan_item.ids, {"date": "2099-01-01"}],
            records=self.plan_item,
            fnames=("date",),
        )
        self._refused(
            "crm.lead.plan.item",
            "create",
            [
                {
                    "lead_id": self.lead_other.id,
                    "date": "2030-01-01",
                    "content": "Hijack",
                }
            ],
        )
        self._refused(
            "crm.lead",
            "unlink",
            [self.lead_own.ids],
            records=self.lead_own,
            fnames=("active",),
        )

    # ------------------------------------------------------------------
    # Churn warnings (W2-W4)
    # ------------------------------------------------------------------

    def test_sec_rpc_write_churn_state(self):
        warning_fields = (
            "state",
            "user_id",
            "partner_id",
            "last_order_date",
            "lost_reason",
            "date_confirmed",
            "date_resolved",
        )
        warnings = self.warning_own | self.warning_other
        attempts = [
            (self.warning_own, {"state": "resolved"}),  # W3 is the orders' job
            (self.warning_own, {"state": "confirmed", "lost_reason": "shortcut"}),
            (self.warning_own, {"user_id": self.customer_manager_2.id}),
            (self.warning_own, {"last_order_date": fields.Date.to_string(self.today)}),
            (self.warning_own, {"partner_id": self.customer_other.id}),
            (self.warning_own, {"date_resolved": fields.Date.to_string(self.today)}),
            (self.warning_other, {"state": "postponed"}),
        ]
        for warning, vals in attempts:
            self._refused(
                "crm.churn.warning",
                "write",
                [warning.ids, vals],
                records=warnings,
                fnames=warning_fields,
            )
        self._refused(
            "crm.churn.warning",
            "create",
            [{"partner_id": self.customer_own.id, "last_order_date": "2020-01-01"}],
        )
        self._refused(
            "crm.churn.warning",
            "unlink",
            [self.warning_own.ids],
            records=warnings,
            fnames=warning_fields,
        )
        self._refused(
            "crm.churn.warning",
            "action_postpone",
            [self.warning_other.ids],
            records=warnings,
            fnames=warning_fields,
        )
        self._refused(
            "crm.churn.warning.measure",
            "create",
            [{"warning_id": self.warning_other.id, "measure": "Not mine"}],
        )
        # The regular path still works for the customer's own manager.
        self._call(
            "crm.churn.warning.measure",
            "create",
            [
                {
                    "warning_id": self.warning_own.id,
                    "measure": "Visit",
                    "date": "2024-01-01",
                }
            ],
        )
        self._call("crm.churn.warning", "action_postpone", [self.warning_own.ids])
        self.env.invalidate_all()
        self.assertEqual(self.warning_own.state, "postponed")

    # ------------------------------------------------------------------
    # Reading (P6, W4, S, R)
    # ------------------------------------------------------------------

    def test_sec_rpc_masked_pool_contact_fields(self):
        masked = ["phone", "mobile", "email", "street"]
        pool_ids = (self.customer_pool | self.contact_pool).ids
        reads = [
            self._call("res.partner", "read", [pool_ids, masked]),
            self._call(
                "res.partner", "search_read", [[("id", "in", pool_ids)], masked]
            ),
            self._call(
                "res.partner",
                "web_search_read",
                [],
                {
                    "domain": [("id", "in", pool_ids)],
                    "specification": {fname: {} for fname in masked},
                },
            )["records"],
            self._call(
                "res.partner",
                "web_read",
                [pool_ids],
                {"specification": {fname: {} for fname in masked}},
            ),
        ]
        for rows in reads:
            type(self).probes += 1
            self.assertEqual(len(rows), 2)
            for row in rows:
                for fname in masked:
                    if row[fname]:
                        self.assertEqual(row[fname], MASK, f"{fname} of {row['id']}")
        # Through the customer's contacts and the export.
        type(self).probes += 1
        nested = self._call(
            "res.partner",
            "web_read",
            [self.customer_pool.ids],
            {"specification": {"child_ids": {"fields": {"email": {}, "phone": {}}}}},
        )
        for child in nested[0]["child_ids"]:
            self.assertIn(child["email"], (False, MASK))
            self.assertIn(child["phone"], (False, MASK))
        type(self).probes += 1
        export = self._call("res.partner", "export_data", [pool_ids, masked])
        for line in export["datas"]:
            self.assertTrue(all(value in ("", False, MASK) for value in line), line)
        # Names with their email (mail composer, many2one dropdowns).
        type(self).probes += 1
        named = self._call(
            "res.partner",
            "web_read",
            [pool_ids],
            {
                "specification": {"display_name": {}},
                "context": {"show_email": True, "show_address": True},
            },
        )
        for row in named:
            self.assertNotIn("sec-pool.example.com", row["display_name"])
            self.assertNotIn("Zhangjiang", row["display_name"])
        # Grouping by a masked field would show it as the group's value.
        for fname in ("email", "phone"):
            self._refused(
                "res.partner",
                "web_read_group",
                [],
                {"domain": [("id", "in", pool_ids)], "fields": [], "groupby": [fname]},
            )
        # Searching: an exact-match search must not confirm a hidden value.
        type(self).probes += 1
        found = self._call(
            "res.partner",
            "search",
            [[("id", "in", pool_ids), ("email", "=", "pool@sec-pool.example.com")]],
        )
        self.assertFalse(found)
