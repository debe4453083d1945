from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, HttpCase, tagged

from .common import CrmCustomCommon


@tagged("post_install", "-at_install")
class TestFollowup(CrmCustomCommon):
    """Follow-up records 跟进记录 (C9)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"].with_context(
            res_partner_search_mode="customer"
        )
        cls.customer = Partner.with_user(cls.customer_manager).create(
            {
                "name": "杭州远景包装有限公司",
                "is_company": True,
                "user_id": cls.customer_manager.id,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Li Na",
                "parent_id": cls.customer.id,
                "gender": "female",
                "function": "Buyer",
                "phone": "0571-88886666",
            }
        )
        cls.customer.primary_contact_id = cls.contact
        cls.phone = cls.env.ref("crm_custom.dictionary_followup_channel_phone")
        cls.today = fields.Date.context_today(cls.customer)

    def test_c9_channels_are_dictionary_entries(self):
        channels = self.env["crm.dictionary.item"].search(
            [("category", "=", "followup_channel")]
        )
        self.assertEqual(
            channels.mapped("code"),
            ["phone", "visit", "wechat", "email", "meeting", "other"],
        )

    def test_c9_log_followup_from_customer_schedules_next_contact(self):
        action = self.customer.with_user(
            self.customer_manager
        ).action_crm_log_followup()
        self.assertEqual(action["target"], "new")
        form = Form(
            self.env["crm.interaction"]
            .with_user(self.customer_manager)
            .with_context(**action["context"]),
            view="crm_custom.view_crm_interaction_form_quick",
        )
        self.assertEqual(form.channel_id, self.phone)
        self.assertEqual(form.contact_id, self.contact)
        form.summary = "Called about the packaging tender"
        next_date = self.today + timedelta(days=7)
        form.next_contact_date = next_date
        followup = form.save()
        self.assertEqual(followup.partner_id, self.customer)
        self.assertEqual(self.customer.last_followup_date, self.today)
        activity = followup.next_activity_id
        self.assertRecordValues(
            activity,
            [
                {
                    "res_model": "res.partner",
                    "res_id": self.customer.id,
                    "user_id": self.customer_manager.id,
                    "date_deadline": next_date,
                }
            ],
        )
        # moving the date moves the activity; clearing it cancels it
        followup.with_user(self.customer_manager).next_contact_date = (
            next_date + timedelta(days=1)
        )
        self.assertEqual(activity.date_deadline, next_date + timedelta(days=1))
        followup.with_user(self.customer_manager).next_contact_date = False
        self.assertFalse(activity.exists())

    def test_c9_next_contact_activity_goes_to_the_owner(self):
        followup = (
            self.env["crm.interaction"]
            .with_user(self.sales_manager)
            .create(
                {
                    "partner_id": self.customer.id,
                    "summary": "Visited the plant",
                    "channel_id": self.env.ref(
                        "crm_custom.dictionary_followup_channel_visit"
                    ).id,
                    "next_contact_date": date(2030, 1, 2),
                }
            )
        )
        self.assertEqual(followup.next_activity_id.user_id, self.customer_manager)

    def test_c9_opportunity_and_contact_belong_to_the_customer(self):
        other = self.env["res.partner"].create(
            {"name": "Other Co", "is_company": True, "customer_rank": 1}
        )
        lead = self.env["crm.lead"].create(
            {"name": "Tender", "type": "opportunity", "partner_id": other.id}
        )
        with self.assertRaises(ValidationError):
            self.env["crm.interaction"].create(
                {"partner_id": self.customer.id, "summary": "x", "lead_id": lead.id}
            )
        own_lead = self.env["crm.lead"].create(
            {"name": "Tender", "type": "opportunity", "partner_id": self.contact.id}
        )
        followup = self.env["crm.interaction"].create(
            {"partner_id": self.customer.id, "summary": "x", "lead_id": own_lead.id}
        )
        self.assertEqual(followup.lead_id, own_lead)

    def test_c9_attachments_belong_to_the_followup(self):
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.customer_manager)
            .create(
                {
                    "name": "photo.png",
                    "raw": b"png",
                    "res_model": "crm.interaction",
                    "res_id": 0,
                }
            )
        )
        followup = (
            self.env["crm.interaction"]
            .with_user(self.customer_manager)
            .create(
                {
                    "partner_id": self.customer.id,
                    "summary": "Site photo",
                    "attachment_ids": [fields.Command.set(attachment.ids)],
                }
            )
        )
        self.assertEqual(attachment.res_id, followup.id)

    def test_c9_log_buttons_on_customer_screens(self):
        for xmlid in (
            "crm_custom.view_partner_form_crm_customer",
            "crm_custom.view_partner_list_crm_customer",
            "crm_custom.view_partner_kanban_crm_customer",
        ):
            view = self.env.ref(xmlid)
            arch = (
                self.env["res.partner"]
                .with_user(self.customer_manager)
                .get_view(view.id, view.type)["arch"]
            )
            self.assertIn("action_crm_log_followup", arch, xmlid)


@tagged("post_install", "-at_install")
class TestFollowupTour(HttpCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_c9_tour_phone_followup_with_next_contact_from_kanban(self):
        customer = self.env.ref("crm_custom.demo_customer_jinggong")
        self.start_tour(
            "/odoo",
            "crm_custom_followup_phone",
            login="customer_manager_1",
        )
        followup = self.env["crm.interaction"].search(
            [("summary", "=", "电话跟进:确认年度备件预算")]
        )
        self.assertEqual(len(followup), 1)
        self.assertEqual(followup.partner_id, customer)
        self.assertEqual(
            followup.channel_id,
            self.env.ref("crm_custom.dictionary_followup_channel_phone"),
        )
        self.assertEqual(followup.next_contact_date, date(2030, 12, 1))
        self.assertEqual(followup.next_activity_id.date_deadline, date(2030, 12, 1))
        self.assertEqual(followup.next_activity_id.user_id, customer.user_id)


@tagged("post_install", "-at_install")
class TestDuplicateTour(HttpCase):
    def test_c8_tour_duplicate_refused(self):
        self.start_tour(
            "/odoo/action-crm_custom.action_crm_my_customers/new",
            "crm_custom_duplicate_refused",
            login="customer_manager_2",
        )
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("crm_name_key", "=", "上海精工机械制造")]
            ),
            1,
        )
