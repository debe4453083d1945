from datetime import date, timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger

from .common import CrmCustomCommon

FORM_VIEW = "crm_custom.crm_lead_view_form_development"
# what the customer data rules (C2) want of a new contact, beyond the lead
CONTACT = {"contact_gender": "male", "contact_function": "Purchasing Manager"}


@tagged("post_install", "-at_install")
class TestDevelopmentPlan(CrmCustomCommon):
    """Opportunities 销售机会 and development plans 客户开发计划 (O1-O9)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Lead = cls.env["crm.lead"]
        cls.Item = cls.env["crm.lead.plan.item"]
        cls.source = cls.env["crm.dictionary.item"].create(
            {
                "name": "Test Telemarketing",
                "category": "customer_source",
                "code": "test_tm",
            }
        )
        cls.lost_reason = cls.env["crm.lost.reason"].create({"name": "No budget"})
        cls.template = cls.env["crm.lead.plan.template"].create(
            {
                "name": "Standard plan",
                "line_ids": [
                    fields.Command.create({"day_offset": 0, "content": "Call"}),
                    fields.Command.create({"day_offset": 3, "content": "Visit"}),
                    fields.Command.create({"day_offset": 7, "content": "Quote"}),
                ],
            }
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _create_lead(self, user=None, **vals):
        values = {
            "name": "Needs 200 office chairs",
            "partner_name": "Huaxin Technology Ltd",
            "probability": 30,
            "contact_name": "Liu Qiang",
            "phone": "13800138001",
            "customer_source_id": self.source.id,
            "description": "<p>New office building</p>",
            # what the Development menu creates
            "is_development": True,
        }
        values.update(vals)
        return self.Lead.with_user(user or self.customer_manager).create(values)

    def _assigned_lead(self, user=None, **vals):
        lead = self._create_lead(**vals)
        lead.with_user(self.sales_manager)._assign_customer_manager(
            user or self.customer_manager
        )
        return lead

    def _plan_activities(self, lead):
        activity_type = self.env.ref("crm_custom.mail_activity_type_plan_item")
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def _companies(self, name):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("is_company", "=", True), ("name", "=ilike", name)])
        )

    # ------------------------------------------------------------------
    # O1 create
    # ------------------------------------------------------------------

    def test_o1_create_records_fields_creator_and_time(self):
        form = Form(
            # the Development menu's context, and a stray default salesperson
            self.Lead.with_user(self.customer_manager).with_context(
                default_type="opportunity",
                default_is_development=True,
                default_user_id=self.customer_manager.id,
            ),
            view=FORM_VIEW,
        )
        form.name = "Needs 200 office chairs"
        form.partner_name = "Huaxin Technology Ltd"
        form.probability = 30
        form.contact_name = "Liu Qiang"
        form.phone = "13800138001"
        form.customer_source_id = self.source
        lead = form.save()
        self.assertEqual(lead.development_state, "unassigned")
        self.assertFalse(
            lead.user_id, "an opportunity starts unassigned, whatever the menu"
        )
        self.assertFalse(lead.date_assigned)
        self.assertEqual(lead.create_uid, self.customer_manager)
        self.assertTrue(lead.create_date)
        self.assertEqual(
            (
                lead.partner_name,
                lead.probability,
                lead.contact_name,
                lead.phone,
                lead.customer_source_id,
            ),
            ("Huaxin Technology Ltd", 30, "Liu Qiang", "13800138001", self.source),
        )

    def test_o1_sales_manager_creates_too(self):
        lead = self._create_lead(self.sales_manager)
        self.assertEqual(lead.create_uid, self.sales_manager)
        self.assertEqual(lead.development_state, "unassigned")

    def test_o1_required_fields_enforced(self):
        with self.assertRaises(ValidationError):
            self._create_lead(partner_name=False)
        with self.assertRaises(ValidationError):
            self._create_lead(partner_name="   ")
        with self.assertRaises(ValidationError):
            self._create_lead(name=" ")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._create_lead(probability=120)  # Odoo's own check constraint
        with self.assertRaises(ValidationError):
            self._create_lead(partner_name="x" * 51)
        lead = self._create_lead()
        with self.assertRaises(ValidationError):
            lead.with_user(self.customer_manager).write({"partner_name": ""})
        form = Form(
            self.Lead.with_user(self.customer_manager).with_context(
                default_is_development=True
            ),
            view=FORM_VIEW,
        )
        form.name = "No customer name"
        with self.assertRaises(
            AssertionError, msg="the view requires the customer name"
        ):
            form.save()

    def test_o1_only_sales_manager_creates_assigned(self):
        with self.assertRaises(AccessError):
            self._create_lead(user_id=self.customer_manager.id)
        lead = self._create_lead(self.sales_manager, user_id=self.customer_manager.id)
        self.assertEqual(lead.development_state, "in_development")
        self.assertTrue(lead.date_assigned)

    def test_o1_new_opportunity_cannot_be_closed_already(self):
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        with self.assertRaises(UserError):
            self._create_lead(stage_id=won_stage.id)
        with self.assertRaises(UserError):
            self._create_lead(active=False)
        lead = self._create_lead(development_state="success")
        self.assertEqual(lead.development_state, "unassigned", "the status is derived")

    def test_o1_duplicate_starts_unassigned(self):
        lead = self._assigned_lead()
        lead.with_user(self.customer_manager).action_development_success(**CONTACT)
        copy = lead.with_user(self.customer_manager).copy()
        self.assertEqual(copy.development_state, "unassigned")
        self.assertFalse(copy.user_id or copy.date_assigned or copy.plan_item_ids)
        self.assertEqual(copy.create_uid, self.customer_manager)

    def test_o1_executive_cannot_create(self):
        with self.assertRaises(AccessError):
            self._create_lead(self.executive)

    # ------------------------------------------------------------------
    # O2 edit
    # ------------------------------------------------------------------

    def test_o2_unassigned_content_editable(self):
        lead = self._create_lead()
        other_source = self.source.copy({"code": "test_tm_2", "name": "Web"})
        lead.with_user(self.customer_manager).write(
            {
                "name": "Needs 300 office chairs",
                "partner_name": "Huaxin Tech Group",
                "probability": 45,
                "contact_name": "Liu Wei",
                "phone": "13800138002",
                "customer_source_id": other_source.id,
                "description": "<p>Updated</p>",
            }
        )
        self.assertEqual(lead.partner_name, "Huaxin Tech Group")
        self.assertEqual(lead.probability, 45)
        # a sales manager edits any unassigned opportunity
        lead.with_user(self.sales_manager).probability = 50
        self.assertEqual(lead.probability, 50)

    def test_o2_status_changes_only_through_the_process(self):
        """The status of a development opportunity changes through its
        actions; the rest of it is Odoo's opportunity (O10)."""
        lead = self._create_lead().with_user(self.sales_manager)
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        for vals in (
            {"date_assigned": fields.Datetime.now()},
            {"stage_id": won_stage.id},
            {"development_state": "success"},
            {"is_development": False},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                lead.write(vals)
        with self.assertRaises(UserError):
            lead.action_archive()
        self.assertEqual(lead.development_state, "unassigned")
        lead.write({"expected_revenue": 1000, "email_from": "x@example.com"})
        self.assertEqual(lead.expected_revenue, 1000)
        # writing the salesperson is assigning: by a sales manager (O4)
        with self.assertRaises(AccessError):
            lead.with_user(self.customer_manager).write(
                {"user_id": self.customer_manager.id}
            )
        with self.assertRaises(UserError):
            lead.write({"user_id": self.executive.id})
        lead.write({"user_id": self.customer_manager.id})
        self.assertEqual(lead.development_state, "in_development")
        self.assertTrue(lead.date_assigned)

    def test_o2_guard_context_key_does_not_open(self):
        """The development fields are guarded in superuser mode only: no
        context key opens the guard; the assign action still writes them,
        in the sales manager's name."""
        lead = (
            self._create_lead()
            .with_user(self.env.user)
            .with_context(tracking_disable=False)
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        for key in ("sudo", "su", "install_mode", "tracking_disable", "import_file"):
            for vals in (
                {"development_state": "success"},
                {"date_assigned": fields.Datetime.now()},
            ):
                with self.subTest(key=key, vals=vals), self.assertRaises(UserError):
                    lead.with_user(self.sales_manager).with_context(
                        **{key: True}
                    ).write(vals)
        self.assertEqual(lead.development_state, "unassigned")
        lead.with_user(self.sales_manager)._assign_customer_manager(
            self.customer_manager
        )
        self.assertEqual(lead.development_state, "in_development")
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = lead.message_ids.filtered("tracking_value_ids")
        self.assertIn("user_id", tracked.tracking_value_ids.field_id.mapped("name"))
        self.assertEqual(tracked[:1].author_id, self.sales_manager.partner_id)

    def test_o2_assigned_opportunity_not_editable(self):
        lead = self._assigned_lead()
        for user in (self.customer_manager, self.sales_manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                lead.with_user(user).write({"probability": 90})
        with self.assertRaises(UserError):
            lead.with_user(self.sales_manager).write(
                {"user_id": self.customer_manager_2.id}
            )
        self.assertEqual(lead.probability, 30)
        # the chatter and the plan stay usable
        lead.with_user(self.customer_manager).message_post(body="Called the customer")

    def test_o2_finished_opportunity_not_editable(self):
        won = self._assigned_lead()
        won.with_user(self.customer_manager).action_development_success(**CONTACT)
        lost = self._assigned_lead(partner_name="Other Co")
        lost.with_user(self.customer_manager).action_set_lost(
            lost_reason_id=self.lost_reason.id
        )
        for lead in won | lost:
            with (
                self.subTest(state=lead.development_state),
                self.assertRaises(UserError),
            ):
                lead.with_user(self.customer_manager).write({"name": "Changed"})
        with self.assertRaises(UserError):
            lost.with_user(self.sales_manager).action_unarchive()

    def test_o2_confirming_a_linked_order_still_updates_revenue(self):
        """The lock is for users' edits: sale_crm's revenue update on order
        confirmation keeps working (X3)."""
        lead = self._assigned_lead(partner_name="Order Co")
        lead.with_user(self.customer_manager).action_development_success(**CONTACT)
        product = self.env["product.product"].create(
            {"name": "Desk", "list_price": 500}
        )
        order = (
            self.env["sale.order"]
            .with_user(self.customer_manager)
            .create(
                {
                    "partner_id": lead.partner_id.id,
                    "opportunity_id": lead.id,
                    "order_line": [
                        fields.Command.create(
                            {"product_id": product.id, "product_uom_qty": 2}
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(lead.expected_revenue, order.amount_untaxed)

    def test_o2_customer_manager_sees_own_opportunities_only(self):
        mine = self._create_lead()
        others = self._create_lead(self.customer_manager_2, partner_name="Other Co")
        assigned_to_me = self._create_lead(self.sales_manager, partner_name="Third Co")
        assigned_to_me.with_user(self.sales_manager)._assign_customer_manager(
            self.customer_manager
        )
        visible = self.Lead.with_user(self.customer_manager).search(
            [("id", "in", (mine | others | assigned_to_me).ids)]
        )
        self.assertEqual(visible, mine | assigned_to_me)
        with self.assertRaises(AccessError):
            others.with_user(self.customer_manager).write({"probability": 10})
        # still visible to its creator once assigned to someone else
        mine.with_user(self.sales_manager)._assign_customer_manager(
            self.customer_manager_2
        )
        self.assertTrue(
            self.Lead.with_user(self.customer_manager).search([("id", "=", mine.id)])
        )

    # ------------------------------------------------------------------
    # O3 delete
    # ------------------------------------------------------------------

    def test_o3_creator_deletes_unassigned(self):
        lead = self._create_lead()
        lead.with_user(self.customer_manager).unlink()
        self.assertFalse(lead.exists())

    def test_o3_other_users_cannot_delete(self):
        lead = self._create_lead()
        with self.assertRaises(AccessError):
            lead.with_user(self.sales_manager).unlink()
        with self.assertRaises(AccessError):
            lead.with_user(self.customer_manager_2).unlink()
        self.assertTrue(lead.exists())

    def test_o3_assigned_or_finished_cannot_be_deleted(self):
        lead = self._assigned_lead()
        with self.assertRaises(UserError):
            lead.with_user(self.customer_manager).unlink()
        lead.with_user(self.customer_manager).action_development_success(**CONTACT)
        with self.assertRaises(UserError):
            lead.with_user(self.customer_manager).unlink()
        own = self._create_lead(self.sales_manager, partner_name="Own Co")
        own.with_user(self.sales_manager)._assign_customer_manager(
            self.customer_manager
        )
        with self.assertRaises(UserError):
            own.with_user(self.sales_manager).unlink()
        self.assertTrue((lead | own).exists() == lead | own)

    # ------------------------------------------------------------------
    # O4 assign
    # ------------------------------------------------------------------

    def test_o4_sales_manager_assigns_many_to_one_customer_manager(self):
        leads = self._create_lead() | self._create_lead(partner_name="Second Co")
        with freeze_time("2026-03-05 10:00:00"):
            wizard_form = Form(
                self.env["crm.lead.assign"]
                .with_user(self.sales_manager)
                .with_context(active_model="crm.lead", active_ids=leads.ids)
            )
            wizard_form.user_id = self.customer_manager
            wizard = wizard_form.save()
            self.assertEqual(wizard.lead_ids, leads)
            action = wizard.action_assign()
        self.assertEqual(action["params"]["type"], "success")
        for lead in leads:
            self.assertEqual(lead.user_id, self.customer_manager)
            self.assertEqual(lead.development_state, "in_development")
            self.assertEqual(
                lead.date_assigned, fields.Datetime.to_datetime("2026-03-05 10:00:00")
            )

    def test_o4_customer_manager_cannot_assign(self):
        lead = self._create_lead()
        with self.assertRaises(AccessError):
            self.env["crm.lead.assign"].with_user(self.customer_manager).create(
                {
                    "lead_ids": [fields.Command.set(lead.ids)],
                    "user_id": self.customer_manager.id,
                }
            )
        with self.assertRaises(AccessError):
            lead.with_user(self.customer_manager)._assign_customer_manager(
                self.customer_manager
            )
        with self.assertRaises(UserError):
            lead.with_user(self.customer_manager).write(
                {"user_id": self.customer_manager.id}
            )
        self.assertEqual(lead.development_state, "unassigned")

    def test_o4_exactly_one_customer_manager_and_only_unassigned(self):
        lead = self._create_lead().with_user(self.sales_manager)
        with self.assertRaises(UserError):
            lead._assign_customer_manager(
                self.customer_manager | self.customer_manager_2
            )
        with self.assertRaises(UserError):
            lead._assign_customer_manager(self.internal_user)
        with self.assertRaises(UserError):
            lead._assign_customer_manager(self.env["res.users"])
        lead._assign_customer_manager(self.customer_manager)
        with self.assertRaises(UserError, msg="reassigning is not assigning"):
            lead._assign_customer_manager(self.customer_manager_2)
        self.assertEqual(lead.user_id, self.customer_manager)

    def test_o4_assign_with_plan_template(self):
        lead = self._create_lead()
        with freeze_time("2026-03-05"):
            wizard = (
                self.env["crm.lead.assign"]
                .with_user(self.sales_manager)
                .create(
                    {
                        "lead_ids": [fields.Command.set(lead.ids)],
                        "user_id": self.customer_manager.id,
                        "plan_template_id": self.template.id,
                    }
                )
            )
            wizard.action_assign()
        self.assertEqual(
            lead.plan_item_ids.mapped(lambda item: (item.date, item.content)),
            [
                (date(2026, 3, 5), "Call"),
                (date(2026, 3, 8), "Visit"),
                (date(2026, 3, 12), "Quote"),
            ],
        )
        self.assertEqual(self._plan_activities(lead).user_id, self.customer_manager)

    # ------------------------------------------------------------------
    # O5 plan
    # ------------------------------------------------------------------

    def test_o5_assigned_customer_manager_plans(self):
        lead = self._assigned_lead()
        form = Form(lead.with_user(self.customer_manager), view=FORM_VIEW)
        with form.plan_item_ids.new() as item:
            item.date = date(2026, 4, 1)
            item.content = "Visit the customer"
        with form.plan_item_ids.new() as item:
            item.date = date(2026, 4, 8)
            item.content = "Send the quotation"
        form.save()
        self.assertEqual(
            lead.plan_item_ids.mapped("content"),
            ["Visit the customer", "Send the quotation"],
        )
        first, second = lead.plan_item_ids
        first.with_user(
            self.customer_manager
        ).content = "Visit the customer with an engineer"
        second.with_user(self.customer_manager).unlink()
        self.assertEqual(lead.plan_item_ids, first)
        self.assertEqual(first.content, "Visit the customer with an engineer")

    def test_o5_date_and_content_required(self):
        lead = self._assigned_lead()
        Item = self.Item.with_user(self.customer_manager)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            Item.create(
                {"lead_id": lead.id, "date": date(2026, 4, 1), "content": False}
            )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            Item.create({"lead_id": lead.id, "date": False, "content": "Visit"})

    def test_o5_item_date_cannot_change(self):
        lead = self._assigned_lead()
        item = self.Item.with_user(self.customer_manager).create(
            {"lead_id": lead.id, "date": date(2026, 4, 1), "content": "Visit"}
        )
        with self.assertRaises(UserError):
            item.write({"date": date(2026, 4, 2)})
        with self.assertRaises(UserError):
            item.write({"lead_id": self._assigned_lead(partner_name="B Co").id})
        item.write(
            {"date": "2026-04-01", "content": "Visit again"}
        )  # unchanged date is fine
        self.assertEqual(item.date, date(2026, 4, 1))

    def test_o5_only_assigned_customer_manager_changes_plan(self):
        lead = self._assigned_lead()
        item = self.Item.with_user(self.customer_manager).create(
            {"lead_id": lead.id, "date": date(2026, 4, 1), "content": "Visit"}
        )
        for user in (self.sales_manager, self.customer_manager_2):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.Item.with_user(user).create(
                        {
                            "lead_id": lead.id,
                            "date": date(2026, 4, 2),
                            "content": "Call",
                        }
                    )
                with self.assertRaises(AccessError):
                    item.with_user(user).write({"content": "Changed"})
                with self.assertRaises(AccessError):
                    item.with_user(user).unlink()
        self.assertEqual(lead.plan_item_ids, item)

    def test_o5_no_plan_for_unassigned_or_finished(self):
        unassigned = self._create_lead()
        with self.assertRaises(UserError):
            self.Item.with_user(self.customer_manager).create(
                {"lead_id": unassigned.id, "date": date(2026, 4, 1), "content": "Visit"}
            )
        won = self._assigned_lead(partner_name="Won Co")
        won_item = self.Item.with_user(self.customer_manager).create(
            {"lead_id": won.id, "date": date(2026, 4, 1), "content": "Visit"}
        )
        won.with_user(self.customer_manager).action_development_success(**CONTACT)
        lost = self._assigned_lead(partner_name="Lost Co")
        lost_item = self.Item.with_user(self.customer_manager).create(
            {"lead_id": lost.id, "date": date(2026, 4, 1), "content": "Visit"}
        )
        lost.with_user(self.customer_manager).action_set_lost(
            lost_reason_id=self.lost_reason.id
        )
        for lead, item in ((won, won_item), (lost, lost_item)):
            with self.subTest(state=lead.development_state):
                with self.assertRaises(UserError):
                    self.Item.with_user(self.customer_manager).create(
                        {
                            "lead_id": lead.id,
                            "date": date(2026, 4, 2),
                            "content": "Call",
                        }
                    )
                with self.assertRaises(UserError):
                    item.with_user(self.customer_manager).write({"result": "Done"})
                with self.assertRaises(UserError):
                    item.with_user(self.customer_manager).unlink()

    # ------------------------------------------------------------------
    # O6 execute
    # ------------------------------------------------------------------

    def test_o6_result_recorded_per_item(self):
        lead = self._assigned_lead()
        first, second = self.Item.with_user(self.customer_manager).create(
            [
                {"lead_id": lead.id, "date": date(2026, 4, 1), "content": "Visit"},
                {"lead_id": lead.id, "date": date(2026, 4, 8), "content": "Quote"},
            ]
        )
        self.assertEqual(len(self._plan_activities(lead)), 2)
        with freeze_time("2026-04-01 15:00:00"):
            first.result = "The customer wants a demo"
        self.assertEqual(first.result, "The customer wants a demo")
        self.assertEqual(
            first.date_result, fields.Datetime.to_datetime("2026-04-01 15:00:00")
        )
        self.assertFalse(second.result)
        # the reminder of an executed item is done, with the result as feedback
        self.assertEqual(self._plan_activities(lead), second.activity_id)
        self.assertFalse(first.activity_id)
        self.assertIn("The customer wants a demo", lead.message_ids[0].body)
        self.assertEqual((lead.plan_item_count, lead.plan_done_count), (2, 1))

    # ------------------------------------------------------------------
    # O7 success
    # ------------------------------------------------------------------

    def test_o7_success_creates_customer_owned_by_customer_manager(self):
        lead = self._assigned_lead(partner_name="Hengtong Logistics Ltd")
        open_item = self.Item.with_user(self.customer_manager).create(
            {"lead_id": lead.id, "date": date(2026, 4, 1), "content": "Sign"}
        )
        self.assertFalse(self._companies("Hengtong Logistics Ltd"))
        action = lead.with_user(self.customer_manager).action_development_success(
            **CONTACT
        )
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(lead.development_state, "success")
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual(lead.probability, 100)
        company = self._companies("Hengtong Logistics Ltd")
        self.assertEqual(len(company), 1)
        self.assertEqual(company.user_id, self.customer_manager)
        if "customer_source_id" in company._fields:
            self.assertEqual(company.customer_source_id, self.source)
        contact = company.child_ids
        self.assertEqual(contact.mapped("name"), ["Liu Qiang"])
        self.assertEqual(contact.phone, "13800138001")
        self.assertEqual(contact.function, "Purchasing Manager")
        self.assertEqual(contact.user_id, self.customer_manager)
        if "customer_rank" in company._fields:
            self.assertGreater(company.customer_rank, 0, "counted as a customer")
        self.assertEqual(lead.partner_id, contact)
        # the remaining steps will not be done: no reminder left
        self.assertFalse(self._plan_activities(lead))
        self.assertFalse(open_item.is_overdue)

    def test_o7_success_wizard_completes_the_contact(self):
        lead = self._assigned_lead(partner_name="Wizard Co", phone=False)
        action = lead.with_user(self.customer_manager).action_open_development_success()
        self.assertEqual(action["res_model"], "crm.lead.development.success")
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.customer_manager)
            .with_context(**action["context"])
        )
        self.assertFalse(wizard_form.existing_company_id)
        with self.assertRaises(
            AssertionError, msg="gender, job position and phone are asked"
        ):
            wizard_form.save()
        wizard_form.contact_gender = "female"
        wizard_form.contact_function = "Office Manager"
        wizard_form.contact_phone = "021-55660011"
        result = wizard_form.save().action_confirm()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(lead.development_state, "success")
        contact = lead.partner_id
        self.assertEqual(
            (contact.parent_id.name, contact.name, contact.function, contact.phone),
            ("Wizard Co", "Liu Qiang", "Office Manager", "021-55660011"),
        )
        if "gender" in contact._fields:
            self.assertEqual(contact.gender, "female")
        # opening the success of an opportunity that is not in development
        with self.assertRaises(UserError):
            lead.with_user(self.customer_manager).action_open_development_success()

    def test_o7_success_wizard_announces_existing_customer(self):
        existing = self.env["res.partner"].create(
            {"name": "Known Co", "is_company": True}
        )
        lead = self._assigned_lead(partner_name="known co")
        action = lead.with_user(self.customer_manager).action_open_development_success()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.customer_manager)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.existing_company_id, existing)
        self.assertFalse(wizard.contact_exists)

    def test_o7_existing_company_is_linked_not_duplicated(self):
        existing = self.env["res.partner"].create(
            {"name": "HENGTONG Logistics Ltd", "is_company": True}
        )
        look_alike = self.env["res.partner"].create(
            {"name": "Hengtong Logistics Ltd Branch", "is_company": True}
        )
        lead = self._assigned_lead(partner_name="Hengtong Logistics Ltd")
        lead.with_user(self.customer_manager).action_development_success(**CONTACT)
        self.assertEqual(lead.partner_id.parent_id, existing)
        self.assertEqual(self._companies("Hengtong Logistics Ltd"), existing)
        self.assertFalse(look_alike.child_ids)
        # same customer again, from another opportunity: the contact is reused too
        again = self._assigned_lead(partner_name="Hengtong Logistics Ltd ")
        again.with_user(self.customer_manager).action_development_success(**CONTACT)
        self.assertEqual(again.partner_id, lead.partner_id)
        self.assertEqual(len(existing.child_ids), 1)

    def test_o7_second_success_creates_no_duplicate(self):
        lead = self._assigned_lead(partner_name="Hengtong Logistics Ltd")
        lead.with_user(self.customer_manager).action_development_success(**CONTACT)
        with self.assertRaises(UserError):
            lead.with_user(self.customer_manager).action_development_success(**CONTACT)
        lead.sudo().action_set_won()  # the system winning it again changes nothing
        self.assertEqual(len(self._companies("Hengtong Logistics Ltd")), 1)
        self.assertEqual(
            self.env["res.partner"].search_count([("name", "=", "Liu Qiang")]), 1
        )

    def test_o7_wildcards_in_customer_name_match_literally(self):
        self.env["res.partner"].create({"name": "100X Foods-Co", "is_company": True})
        lead = self._assigned_lead(partner_name="100% Foods_Co")
        lead.with_user(self.customer_manager).action_development_success(**CONTACT)
        self.assertEqual(lead.partner_id.parent_id.name, "100% Foods_Co")

    def test_o7_success_forbidden_paths(self):
        unassigned = self._create_lead()
        with self.assertRaises(UserError):
            unassigned.with_user(self.customer_manager).action_development_success(
                **CONTACT
            )
        lead = self._assigned_lead()
        for user in (self.sales_manager, self.customer_manager_2):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                lead.with_user(user).action_development_success(**CONTACT)
        self.assertEqual(lead.development_state, "in_development")
        self.assertFalse(self._companies("Huaxin Technology Ltd"))

    def test_o7_standard_won_button_is_development_success(self):
        lead = self._assigned_lead(partner_name="Won Button Co", contact_name=False)
        lead.with_user(self.customer_manager).action_set_won_rainbowman()
        self.assertEqual(lead.development_state, "success")
        self.assertEqual(len(self._companies("Won Button Co")), 1)

    # ------------------------------------------------------------------
    # O8 failure
    # ------------------------------------------------------------------

    def test_o8_stop_development_with_reason(self):
        lead = self._assigned_lead()
        self.Item.with_user(self.customer_manager).create(
            {"lead_id": lead.id, "date": date(2026, 4, 1), "content": "Visit"}
        )
        action = lead.with_user(self.customer_manager).action_development_fail()
        self.assertEqual(action["res_model"], "crm.lead.lost")
        wizard_form = Form(
            self.env["crm.lead.lost"]
            .with_user(self.customer_manager)
            .with_context(**action["context"]),
            view="crm_custom.crm_lead_lost_view_form_development",
        )
        wizard_form.lost_reason_id = self.lost_reason
        wizard_form.save().action_lost_reason_apply()
        self.assertEqual(lead.development_state, "failed")
        self.assertFalse(lead.active)
        self.assertEqual(lead.lost_reason_id, self.lost_reason)
        self.assertFalse(self._plan_activities(lead))
        self.assertFalse(self._companies("Huaxin Technology Ltd"))

    def test_o8_reason_required(self):
        lead = self._assigned_lead()
        with self.assertRaises(UserError):
            lead.with_user(self.customer_manager).action_set_lost()
        wizard_form = Form(
            self.env["crm.lead.lost"]
            .with_user(self.customer_manager)
            .with_context(default_lead_ids=lead.ids),
            view="crm_custom.crm_lead_lost_view_form_development",
        )
        with self.assertRaises(AssertionError, msg="the view requires the reason"):
            wizard_form.save()
        self.assertEqual(lead.development_state, "in_development")

    def test_o8_failure_forbidden_paths(self):
        unassigned = self._create_lead()
        with self.assertRaises(UserError):
            unassigned.with_user(self.customer_manager).action_development_fail()
        with self.assertRaises(UserError):
            unassigned.with_user(self.sales_manager).action_set_lost(
                lost_reason_id=self.lost_reason.id
            )
        lead = self._assigned_lead(partner_name="B Co")
        with self.assertRaises(AccessError):
            lead.with_user(self.sales_manager).action_set_lost(
                lost_reason_id=self.lost_reason.id
            )
        lead.with_user(self.customer_manager).action_development_success(**CONTACT)
        with self.assertRaises(UserError):
            lead.with_user(self.customer_manager).action_set_lost(
                lost_reason_id=self.lost_reason.id
            )
        self.assertEqual(unassigned.development_state, "unassigned")
        self.assertEqual(lead.development_state, "success")

    # ------------------------------------------------------------------
    # O9 reminders, overdue, templates
    # ------------------------------------------------------------------

    def test_o9_item_schedules_activity_for_its_owner(self):
        lead = self._assigned_lead()
        item = self.Item.with_user(self.customer_manager).create(
            {
                "lead_id": lead.id,
                "date": date(2026, 4, 1),
                "content": "Visit the plant\nwith engineers",
            }
        )
        activity = self._plan_activities(lead)
        self.assertEqual(item.activity_id, activity)
        self.assertEqual(activity.user_id, self.customer_manager)
        self.assertEqual(activity.date_deadline, date(2026, 4, 1))
        self.assertEqual(activity.summary, "Visit the plant")
        item.content = "Call the plant"
        self.assertEqual(activity.summary, "Call the plant")
        item.unlink()
        self.assertFalse(activity.exists())

    def test_o9_overdue_items_stand_out(self):
        lead = self._assigned_lead()
        with freeze_time("2026-04-01"):
            past, future = self.Item.with_user(self.customer_manager).create(
                [
                    {"lead_id": lead.id, "date": date(2026, 3, 30), "content": "Call"},
                    {"lead_id": lead.id, "date": date(2026, 4, 3), "content": "Visit"},
                ]
            )
            self.assertTrue(past.is_overdue)
            self.assertEqual(past.color, 1)
            self.assertFalse(future.is_overdue)
            self.assertEqual(
                self.Item.search(
                    [("is_overdue", "=", True), ("lead_id", "=", lead.id)]
                ),
                past,
            )
            self.assertEqual(
                self.Item.search(
                    [("is_overdue", "=", False), ("lead_id", "=", lead.id)]
                ),
                future,
            )
            lead.invalidate_recordset()
            self.assertEqual(lead.plan_overdue_count, 1)
            self.assertEqual(lead.plan_color, 1)
            self.assertIn(lead, self.Lead.search([("plan_overdue_count", ">", 0)]))
            past.result = "Done late"
            self.assertFalse(past.is_overdue)
            lead.invalidate_recordset()
            self.assertEqual(lead.plan_overdue_count, 0)
            self.assertNotIn(lead, self.Lead.search([("plan_overdue_count", ">", 0)]))
        with freeze_time("2026-04-10"):
            future.invalidate_recordset()
            self.assertTrue(future.is_overdue)
            lead.with_user(self.customer_manager).action_development_success(**CONTACT)
            future.invalidate_recordset()
            self.assertFalse(
                future.is_overdue, "a finished opportunity has nothing overdue"
            )

    def test_o9_apply_plan_template(self):
        lead = self._assigned_lead()
        wizard = (
            self.env["crm.lead.plan.apply"]
            .with_user(self.customer_manager)
            .create(
                {
                    "lead_ids": [fields.Command.set(lead.ids)],
                    "template_id": self.template.id,
                    "date_start": date(2026, 5, 1),
                }
            )
        )
        wizard.action_apply()
        self.assertEqual(
            lead.plan_item_ids.mapped("date"),
            [date(2026, 5, 1), date(2026, 5, 4), date(2026, 5, 8)],
        )
        self.assertEqual(len(self._plan_activities(lead)), 3)
        # a sales manager sets up plans too; the items remain the customer manager's
        other = self._assigned_lead(partner_name="B Co")
        self.template.with_user(self.sales_manager)._apply_to_leads(
            other, date(2026, 5, 1)
        )
        self.assertEqual(self._plan_activities(other).user_id, self.customer_manager)

    def test_o9_plan_template_forbidden_paths(self):
        unassigned = self._create_lead()
        with self.assertRaises(UserError):
            self.template.with_user(self.sales_manager)._apply_to_leads(unassigned)
        lead = self._assigned_lead(partner_name="B Co")
        with self.assertRaises(AccessError):
            self.template.with_user(self.customer_manager_2)._apply_to_leads(lead)
        with self.assertRaises(AccessError):
            self.env["crm.lead.plan.template"].with_user(self.customer_manager).create(
                {"name": "Mine"}
            )
        with self.assertRaises(ValidationError):
            self.env["crm.lead.plan.template.line"].create(
                {"template_id": self.template.id, "day_offset": -1, "content": "Before"}
            )
        empty = self.env["crm.lead.plan.template"].create({"name": "Empty"})
        with self.assertRaises(UserError):
            empty._apply_to_leads(lead)
        self.assertFalse(lead.plan_item_ids)
        self.assertEqual(self.template.line_ids.mapped("day_offset"), [0, 3, 7])

    def test_o9_reminder_date_is_item_date(self):
        today = fields.Date.context_today(self.Item)
        lead = self._assigned_lead()
        item = self.Item.with_user(self.customer_manager).create(
            {"lead_id": lead.id, "date": today + timedelta(days=2), "content": "Visit"}
        )
        self.assertEqual(item.activity_id.date_deadline, item.date)
        self.assertEqual(
            item.activity_id.activity_type_id,
            self.env.ref("crm_custom.mail_activity_type_plan_item"),
        )
