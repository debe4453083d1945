from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CrmCustomCommon


@tagged("post_install", "-at_install")
class TestPipeline(CrmCustomCommon):
    """Development opportunities in Odoo's pipeline (O10), leads converted
    with Odoo's own wizards (O11), and Odoo's own lead flows (X6)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Lead = cls.env["crm.lead"]
        cls.stages = cls.env["crm.stage"].search(
            [("is_won", "=", False), ("team_id", "=", False)], order="sequence, id"
        )
        cls.tag = cls.env["crm.tag"].create({"name": "Key account"})
        cls.sales_manager.groups_id += cls.env.ref("crm.group_use_lead")

    def _development_lead(self, **vals):
        lead = (
            self.Lead.with_user(self.customer_manager)
            .with_context(default_is_development=True)
            .create(
                {
                    "name": "Needs 80 desks",
                    "partner_name": "Pipeline Furniture Ltd",
                    "contact_name": "Chen Jie",
                    "phone": "13800138009",
                    "probability": 30,
                    "type": "opportunity",
                    "stage_id": self.stages[0].id,
                    **vals,
                }
            )
        )
        lead.with_user(self.sales_manager)._assign_customer_manager(
            self.customer_manager
        )
        return lead

    # ------------------------------------------------------------------
    # O10
    # ------------------------------------------------------------------

    def test_o10_assigned_customer_manager_works_the_pipeline(self):
        lead = self._development_lead().with_user(self.customer_manager)
        deadline = fields.Date.add(fields.Date.today(), days=30)
        lead.write(
            {
                "stage_id": self.stages[1].id,  # a card dragged to the next stage
                "expected_revenue": 48000,
                "date_deadline": deadline,
                "priority": "2",
                "tag_ids": [fields.Command.link(self.tag.id)],
            }
        )
        lead.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.customer_manager.id
        )
        order = (
            self.env["sale.order"]
            .with_user(self.customer_manager)
            .create(
                {
                    "partner_id": self.customer_manager.partner_id.id,
                    "opportunity_id": lead.id,
                }
            )
        )
        self.assertRecordValues(
            lead,
            [
                {
                    "stage_id": self.stages[1].id,
                    "expected_revenue": 48000,
                    "date_deadline": deadline,
                    "priority": "2",
                    "tag_ids": self.tag.ids,
                    "development_state": "in_development",
                    "quotation_count": 1,
                }
            ],
        )
        self.assertEqual(order.opportunity_id, lead)
        self.assertEqual(len(lead.activity_ids), 1)

    def test_o10_odoo_form_changes_the_stage_and_keeps_the_definition(self):
        lead = self._development_lead()
        form = Form(
            lead.with_user(self.customer_manager), view="crm.crm_lead_view_form"
        )
        form.stage_id = self.stages[1]
        form.expected_revenue = 1000
        for fname in ("probability", "partner_name", "contact_name", "name"):
            with self.subTest(field=fname), self.assertRaises(AssertionError):
                setattr(form, fname, "x" if fname != "probability" else 90)
        form.save()
        self.assertEqual(lead.stage_id, self.stages[1])
        self.assertEqual(lead.partner_name, "Pipeline Furniture Ltd")

    def test_o10_definition_locked_for_everyone_but_same_values_pass(self):
        lead = self._development_lead()
        for user in (self.customer_manager, self.sales_manager):
            for vals in (
                {"probability": 90},
                {"partner_name": "Other Ltd"},
                {"contact_name": "Other"},
                {"phone": "13900000000"},
                {"name": "Other summary"},
                {"description": "<p>Other</p>"},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaises(UserError),
                ):
                    lead.with_user(user).write(vals)
        # what a form sends unchanged changes nothing
        lead.with_user(self.customer_manager).write(
            {"partner_name": "Pipeline Furniture Ltd", "probability": 30}
        )
        self.assertEqual(lead.probability, 30)

    def test_o10_forbidden_paths(self):
        lead = self._development_lead()
        with self.assertRaises(AccessError):
            lead.with_user(self.customer_manager_2).write(
                {"stage_id": self.stages[1].id}
            )
        won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        with self.assertRaises(UserError, msg="won through Development Success"):
            lead.with_user(self.customer_manager).write({"stage_id": won.id})
        with self.assertRaises(UserError, msg="not reassigned by a write"):
            lead.with_user(self.sales_manager).write(
                {"user_id": self.customer_manager_2.id}
            )
        with self.assertRaises(UserError, msg="O3: assigned, not deleted"):
            lead.with_user(self.customer_manager).unlink()

    def test_o10_crm_app_opens_on_own_pipeline(self):
        menus = (
            self.env["ir.ui.menu"].with_user(self.customer_manager).load_menus(False)
        )
        root = self.env.ref("crm.crm_menu_root")
        pipeline = self.env.ref("crm.action_your_pipeline")

        def first_action(menu_id):
            # what the web client opens for an app: its first menu with an
            # action, children in sequence
            menu = menus[menu_id]
            if menu["action"]:
                return menu["action"]
            for child_id in menu["children"]:
                action = first_action(child_id)
                if action:
                    return action
            return False

        self.assertEqual(first_action(root.id), f"ir.actions.server,{pipeline.id}")
        action = pipeline.with_user(self.customer_manager).run()
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertIn("'search_default_assigned_to_me': 1", str(action["context"]))
        mine = self._development_lead()
        other = (
            self.Lead.with_user(self.customer_manager_2)
            .with_context(default_is_development=True)
            .create({"name": "Their deal", "partner_name": "Other Pipeline Ltd"})
        )
        other.with_user(self.sales_manager)._assign_customer_manager(
            self.customer_manager_2
        )
        visible = self.Lead.with_user(self.customer_manager).search(
            [("type", "=", "opportunity"), ("id", "in", (mine | other).ids)]
        )
        self.assertEqual(visible, mine)

    def _pipeline_list_queries(self, drop=(), limit=80):
        """Queries of one page of the pipeline's list (My Pipeline) as the
        web client reads it: every column of the list the user gets."""
        Lead = self.Lead.with_user(self.customer_manager)
        action = self.env.ref("crm.crm_lead_action_pipeline")
        view_id = next(
            (v.view_id.id for v in action.view_ids if v.view_mode == "list"), False
        )
        arch = etree.fromstring(Lead.get_view(view_id, "list")["arch"])
        spec = {
            node.get("name"): {"fields": {"display_name": {}}}
            if self.Lead._fields[node.get("name")].type
            in ("many2one", "one2many", "many2many")
            else {}
            for node in arch
            if node.tag == "field" and node.get("name") not in drop
        }
        domain = [
            ("type", "=", "opportunity"),
            ("user_id", "=", self.customer_manager.id),
        ]
        order = arch.get("default_order")
        Lead.web_search_read(domain, spec, limit=limit, order=order)  # warm caches
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = Lead.web_search_read(domain, spec, limit=limit, order=order)
        return self.env.cr.sql_log_count - before, result["records"], spec

    def test_o10_pipeline_list_page_reads_display_names_once(self):
        """The salesperson column (users) costs no query of its own: a
        user's name is its partner's, read with the customers' names; the
        queries of a page do not grow with its rows."""
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Pipeline Page Customer {index}",
                    "is_company": True,
                    "user_id": self.customer_manager.id,
                }
                for index in range(90)
            ]
        )
        self.Lead.create(
            [
                {
                    "name": f"Pipeline page deal {index}",
                    "type": "opportunity",
                    "partner_id": customer.id,
                    "user_id": self.customer_manager.id,
                }
                for index, customer in enumerate(customers)
            ]
        )
        queries, records, spec = self._pipeline_list_queries()
        self.assertEqual(len(records), 80)
        self.assertIn("user_id", spec)
        self.assertIn("partner_id", spec)
        self.assertEqual(
            {row["user_id"]["display_name"] for row in records},
            {self.customer_manager.name},
        )
        partner = records[0]["partner_id"]
        self.assertEqual(
            partner["display_name"],
            self.env["res.partner"].browse(partner["id"]).display_name,
        )
        without_users, _records, _spec = self._pipeline_list_queries(("user_id",))
        self.assertEqual(queries, without_users)
        few_rows, _records, _spec = self._pipeline_list_queries(limit=8)
        self.assertEqual(queries, few_rows)
        self.assertLessEqual(queries, 15)

    # ------------------------------------------------------------------
    # O11
    # ------------------------------------------------------------------

    def _web_lead(self, **vals):
        # as the website form or the email alias create it: no user
        return self.Lead.sudo().create(
            {
                "name": "Website: price of 300 chairs",
                "type": "lead",
                "partner_name": "Converted Trading Ltd",
                "contact_name": "Zhou Min",
                "email_from": "zhou.min@converted.example.com",
                "phone": "13800138077",
                "user_id": False,
                **vals,
            }
        )

    def _convert(self, lead, user, action="create", partner=None):
        wizard = (
            self.env["crm.lead2opportunity.partner"]
            .with_user(self.sales_manager)
            .with_context(
                active_model="crm.lead", active_id=lead.id, active_ids=lead.ids
            )
            .create({"name": "convert", "action": action, "user_id": user.id})
        )
        if partner:
            wizard.partner_id = partner
        return wizard.action_apply()

    def test_o11_lead_converted_with_odoo_wizard_enters_development(self):
        lead = self._web_lead()
        self.assertFalse(lead.is_development)
        self._convert(lead, self.customer_manager)
        self.assertRecordValues(
            lead,
            [
                {
                    "type": "opportunity",
                    "is_development": True,
                    "development_state": "in_development",
                    "user_id": self.customer_manager.id,
                }
            ],
        )
        self.assertTrue(lead.date_assigned)
        company = lead.partner_id.commercial_partner_id
        self.assertTrue(company.is_company)
        self.assertEqual(company.name, "Converted Trading Ltd")
        self.assertEqual(lead.partner_id.name, "Zhou Min")
        self.assertEqual(lead.partner_id.parent_id, company)
        # the customer manager develops it: pipeline and plan
        lead.with_user(self.customer_manager).write({"stage_id": self.stages[1].id})
        self.assertTrue(lead.with_user(self.customer_manager).can_edit_plan)

    def test_o11_conversion_creates_no_duplicate_customer(self):
        first = self._web_lead()
        self._convert(first, self.customer_manager)
        company = first.partner_id.commercial_partner_id
        second = self._web_lead(
            name="Email: follow-up", email_from="sales@converted.example.com"
        )
        self._convert(second, self.customer_manager)
        self.assertEqual(second.partner_id, first.partner_id, "same contact")
        third = self._web_lead(contact_name="Qian Li", email_from=False)
        self._convert(third, self.customer_manager)
        self.assertEqual(third.partner_id.parent_id, company)
        companies = self.env["res.partner"].search(
            [("is_company", "=", True), ("name", "=", "Converted Trading Ltd")]
        )
        self.assertEqual(companies, company)

    def test_o11_leads_from_any_channel_need_no_customer_name(self):
        by_hand = self.Lead.with_user(self.customer_manager).create(
            {"name": "Call from a visitor", "type": "lead"}
        )
        self.assertFalse(by_hand.is_development)
        self.assertEqual(by_hand.user_id, self.customer_manager, "Odoo's default")
        by_mail = self.Lead.with_context(default_type="lead").message_new(
            {
                "subject": "Quote for 20 cabinets",
                "from": "buyer@example.com",
                "body": "<p>Please quote</p>",
            }
        )
        self.assertFalse(by_mail.partner_name)
        # a development opportunity still requires it (O1)
        with self.assertRaises(ValidationError):
            self.Lead.with_user(self.customer_manager).create(
                {"name": "No customer", "is_development": True}
            )

    def test_o11_merge_with_odoo_wizard(self):
        head = self._development_lead()
        tail = self.Lead.with_user(self.customer_manager).create(
            {
                "name": "Second enquiry",
                "type": "opportunity",
                "partner_name": "Pipeline Furniture Ltd",
                "description": "<p>Also needs chairs</p>",
                "email_from": "chen.jie@pipeline.example.com",
            }
        )
        wizard = (
            self.env["crm.merge.opportunity"]
            .with_user(self.sales_manager)
            .with_context(active_model="crm.lead", active_ids=(head | tail).ids)
            .create({"opportunity_ids": [fields.Command.set((head | tail).ids)]})
        )
        wizard.action_merge()
        self.assertTrue(head.exists())
        self.assertFalse(tail.exists())
        self.assertEqual(head.name, "Needs 80 desks", "its definition is kept (O2)")
        self.assertEqual(head.email_from, "chen.jie@pipeline.example.com")

    # ------------------------------------------------------------------
    # X6: Odoo's own leads
    # ------------------------------------------------------------------

    def test_x6_standard_leads_follow_odoo(self):
        Lead = self.Lead.with_user(self.customer_manager)
        lead = Lead.create({"name": "My own deal", "type": "opportunity"})
        self.assertEqual(lead.user_id, self.customer_manager)
        lead.write({"probability": 70, "partner_name": "Anything Co", "active": True})
        lead.action_set_won()
        self.assertTrue(lead.stage_id.is_won)
        other = Lead.create({"name": "Dropped", "type": "opportunity"})
        other.action_set_lost()
        self.assertFalse(other.active)
        spare = Lead.create({"name": "Spare", "type": "lead"})
        spare.unlink()
        # web leads without salesperson stay visible to salespeople to qualify
        web = self._web_lead()
        self.assertEqual(Lead.search([("id", "=", web.id)]), web.with_env(Lead.env))
