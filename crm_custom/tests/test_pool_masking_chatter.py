"""P6: the chatter, attachments and followers of a customer lying in a pool
that masks contact details are hidden from the pool members who may not see
the details, until one of them claims it; where a masked partner appears
elsewhere, its address is masked. Probed over JSON-RPC as a logged-in pool
member (call_kw and the chatter's own routes), and through the ORM."""

import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import PoolCommon

NOTE = "客户电话 021-77310000"
CARD = "名片: 张经理 13912345678"
CONTACT_EMAIL = "zhang@chatter-masked.example.com"


@tagged("post_install", "-at_install")
class TestPoolMaskingChatter(PoolCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cm2 = cls.customer_manager_2
        cls.customer = cls._owned("Chatter Masked Co", cm2, phone="021-77310000")
        cls.contact = cls.Partner.create(
            {
                "name": "Zhang Masked",
                "parent_id": cls.customer.id,
                "type": "contact",
                "email": CONTACT_EMAIL,
                "mobile": "13912345678",
            }
        )
        customer_cm2 = cls.customer.with_user(cm2)
        # What the previous owner left: a note, an email from the contact,
        # a tracked change, a business card (attached to the customer and
        # to a message), the contact among the followers.
        cls.note = customer_cm2.message_post(
            body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        cls.email = cls.customer.message_post(
            body="Please call me back",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
            author_id=cls.contact.id,
            email_from=cls.contact.email_formatted,
        )
        cls.tracking = cls.customer._message_log(
            body="",
            tracking_value_ids=[
                Command.create(
                    {
                        "field_id": env["ir.model.fields"]
                        ._get("res.partner", "phone")
                        .id,
                        "old_value_char": "021-77310000",
                        "new_value_char": "021-77319999",
                    }
                )
            ],
        )
        cls.card = env["ir.attachment"].create(
            {
                "name": "名片.txt",
                "raw": CARD.encode(),
                "res_model": "res.partner",
                "res_id": cls.customer.id,
            }
        )
        cls.message_file = customer_cm2.message_post(
            body="Quotation attached",
            message_type="comment",
            attachments=[("quotation.txt", b"Price list for Chatter Masked Co")],
        )
        cls.message_attachment = cls.message_file.attachment_ids
        cls.contact_note = cls.contact.with_user(cm2).message_post(
            body="Zhang's WeChat: zhang_wx", message_type="comment"
        )
        cls.contact_card = env["ir.attachment"].create(
            {
                "name": "zhang.vcf",
                "raw": b"TEL:13912345678",
                "res_model": "res.partner",
                "res_id": cls.contact.id,
            }
        )
        cls.customer.message_subscribe(
            partner_ids=(
                cls.contact | cm2.partner_id | cls.sales_manager.partner_id
            ).ids
        )
        # Elsewhere: the contact follows and wrote on an opportunity of the
        # pool member.
        cls.lead = env["crm.lead"].create(
            {
                "name": "Chatter Masked Deal",
                "type": "opportunity",
                "user_id": cls.customer_manager.id,
            }
        )
        cls.lead.message_subscribe(partner_ids=cls.contact.ids)
        cls.lead_email = cls.lead.message_post(
            body="About the deal",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
            author_id=cls.contact.id,
            email_from=cls.contact.email_formatted,
        )
        cls.lead_of_contact = env["crm.lead"].create(
            {
                "name": "Chatter Masked Contact Deal",
                "type": "opportunity",
                "user_id": cls.customer_manager.id,
                "partner_id": cls.contact.id,
            }
        )
        customer_cm2._pool_put(cls.pool, "No budget this year")
        cls.customer_manager.groups_id += env.ref("base.group_allow_export")
        cls.customer_messages = cls.note | cls.email | cls.tracking | cls.message_file
        cls.all_messages = cls.customer_messages | cls.contact_note
        cls.all_attachments = cls.card | cls.message_attachment | cls.contact_card
        cls.partners = cls.customer | cls.contact

    # --- helpers -------------------------------------------------------

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _refused(self, model, method, args, kwargs=None):
        with mute_logger("odoo.http"):
            with self.assertRaises(JsonRpcException, msg=f"{model}.{method}") as caught:
                self._call(model, method, args, kwargs)
        self.assertEqual(str(caught.exception), "odoo.exceptions.AccessError")

    def _thread_messages(self, record):
        res = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": record._name, "thread_id": record.id},
        )
        return res["messages"], res["data"].get("mail.message", [])

    def _thread_data(self, record, request_list):
        return self.make_jsonrpc_request(
            "/mail/thread/data",
            {
                "thread_model": record._name,
                "thread_id": record.id,
                "request_list": request_list,
            },
        )

    def _message_domain(self):
        return [("model", "=", "res.partner"), ("res_id", "in", self.partners.ids)]

    def _attachment_domain(self):
        return [("res_model", "=", "res.partner"), ("res_id", "in", self.partners.ids)]

    def _follower_emails(self, data):
        """Emails of the followers' partners in a /mail/thread/data store."""
        follower_partners = {f["partner_id"] for f in data.get("mail.followers", [])}
        return {
            p["id"]: p.get("email")
            for p in data.get("res.partner", [])
            if p["id"] in follower_partners
        }

    def _assert_all_visible(self):
        """The logged-in user reads the whole chatter of the customer."""
        rows = self._call(
            "mail.message", "search_read", [self._message_domain(), ["body"]]
        )
        # (plus what the pool operations logged)
        self.assertLessEqual(set(self.all_messages.ids), {row["id"] for row in rows})
        self.assertIn(
            NOTE,
            self._call("mail.message", "read", [self.note.ids, ["body"]])[0]["body"],
        )
        ids, messages = self._thread_messages(self.customer)
        self.assertLessEqual(set(self.customer_messages.ids), set(ids))
        tracking = next(m for m in messages if m["id"] == self.tracking.id)
        self.assertEqual(
            tracking["trackingValues"][0]["oldValue"]["value"], "021-77310000"
        )
        attachments = self._call(
            "ir.attachment", "search_read", [self._attachment_domain(), ["name"]]
        )
        self.assertEqual({a["id"] for a in attachments}, set(self.all_attachments.ids))
        datas = self._call("ir.attachment", "read", [self.card.ids, ["datas"]])[0][
            "datas"
        ]
        self.assertEqual(base64.b64decode(datas).decode(), CARD)
        response = self.url_open(f"/web/content/{self.contact_card.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"TEL:13912345678")
        followers = self._call(
            "mail.followers",
            "search_read",
            [
                [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)],
                ["email"],
            ],
        )
        self.assertIn(CONTACT_EMAIL, {f["email"] for f in followers})
        data = self._thread_data(self.customer, ["followers", "attachments"])
        self.assertEqual(
            self._follower_emails(data).get(self.contact.id), CONTACT_EMAIL
        )
        self.assertEqual(
            {a["id"] for a in data.get("ir.attachment", [])},
            set((self.card | self.message_attachment).ids),
        )

    # --- hidden from a pool member ----------------------------------------

    def test_p6_messages_hidden_from_pool_member(self):
        self._login(self.customer_manager)
        # search_read, search_count, read_group, read by id.
        self.assertEqual(
            self._call(
                "mail.message", "search_read", [self._message_domain(), ["body"]]
            ),
            [],
        )
        self.assertEqual(
            self._call("mail.message", "search_count", [self._message_domain()]), 0
        )
        for message in self.all_messages:
            self._refused("mail.message", "read", [message.ids, ["body"]])
        # The chatter's own route, for the customer and for its contact.
        for partner in self.partners:
            ids, messages = self._thread_messages(partner)
            self.assertEqual((ids, messages), ([], []))
        # The customer's message_ids.
        record = self._call(
            "res.partner",
            "web_read",
            [self.customer.ids],
            {"specification": {"message_ids": {"fields": {"body": {}}}}},
        )[0]
        self.assertEqual(record["message_ids"], [])
        exported = self._call(
            "res.partner",
            "export_data",
            [self.customer.ids, ["name", "message_ids/body"]],
        )["datas"]
        self.assertEqual(exported[0][0], "Chatter Masked Co")
        self.assertNotIn("021-77310000", str(exported))
        # The previous owner, a member now, no longer reads his own note.
        Message_cm2 = self.env["mail.message"].with_user(self.customer_manager_2)
        self.assertFalse(Message_cm2.search([("id", "in", self.all_messages.ids)]))
        with self.assertRaisesRegex(AccessError, "once it is claimed"):
            self.note.with_user(self.customer_manager_2).read(["body"])

    def test_p6_tracking_values_hidden_from_pool_member(self):
        self._login(self.customer_manager)
        # Tracking values show only through their message.
        self._refused("mail.tracking.value", "search_read", [[], ["old_value_char"]])
        ids, messages = self._thread_messages(self.customer)
        self.assertNotIn(self.tracking.id, ids)
        self.assertFalse(messages)
        around = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {
                "thread_model": "res.partner",
                "thread_id": self.customer.id,
                "around": self.tracking.id,
            },
        )
        self.assertEqual(around["messages"], [])

    def test_p6_attachments_hidden_from_pool_member(self):
        self._login(self.customer_manager)
        self.assertEqual(
            self._call(
                "ir.attachment",
                "search_read",
                [self._attachment_domain(), ["name", "datas"]],
            ),
            [],
        )
        self.assertEqual(
            self._call(
                "ir.attachment", "search_read", [[("name", "=", "名片.txt")], ["name"]]
            ),
            [],
        )
        for attachment in self.all_attachments:
            self._refused("ir.attachment", "read", [attachment.ids, ["datas"]])
        self._refused(
            "ir.attachment", "export_data", [self.card.ids, ["name", "datas"]]
        )
        with mute_logger("odoo.http"):
            for attachment in self.card | self.contact_card:
                response = self.url_open(f"/web/content/{attachment.id}")
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn(b"13912345678", response.content)
        data = self._thread_data(self.customer, ["attachments"])
        self.assertFalse(data.get("ir.attachment"))
        with self.assertRaises(AccessError):
            self.card.with_user(self.customer_manager).read(["datas"])

    def test_p6_followers_hidden_and_addresses_masked(self):
        self._login(self.customer_manager)
        mask = self.Partner._POOL_MASK
        # The followers of the pool customer belong to its chatter.
        follower = self.env["mail.followers"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("partner_id", "=", self.contact.id),
            ]
        )
        self.assertEqual(
            self._call(
                "mail.followers",
                "search_read",
                [
                    [
                        ("res_model", "=", "res.partner"),
                        ("res_id", "in", self.partners.ids),
                    ],
                    ["email"],
                ],
            ),
            [],
        )
        self._refused("mail.followers", "read", [follower.ids, ["email"]])
        self._refused("mail.followers", "export_data", [follower.ids, ["email"]])
        data = self._thread_data(self.customer, ["followers"])
        self.assertFalse(data.get("mail.followers"))
        # Where the masked contact appears on a document of the member, its
        # address is masked: as a follower...
        rows = self._call(
            "mail.followers",
            "search_read",
            [
                [("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)],
                ["email", "name"],
            ],
        )
        self.assertEqual(
            {row["name"]: row["email"] for row in rows}.get("Zhang Masked"), mask
        )
        data = self._thread_data(self.lead, ["followers", "suggestedRecipients"])
        self.assertEqual(self._follower_emails(data).get(self.contact.id), mask)
        self.assertNotIn(CONTACT_EMAIL, str(data))
        # ...and as the author of a message (read and the chatter).
        message = self._call(
            "mail.message", "read", [self.lead_email.ids, ["email_from"]]
        )[0]
        self.assertEqual(message["email_from"], mask)
        ids, messages = self._thread_messages(self.lead)
        self.assertIn(self.lead_email.id, ids)
        self.assertNotIn(CONTACT_EMAIL, str(messages))
        author = next(m for m in messages if m["id"] == self.lead_email.id)
        self.assertEqual(author["email_from"], mask)
        # ...and as a suggested recipient.
        data = self._thread_data(self.lead_of_contact, ["suggestedRecipients"])
        recipients = data["mail.thread"][0]["suggestedRecipients"]
        self.assertEqual(
            {r["partner_id"]: r["email"] for r in recipients}.get(self.contact.id), mask
        )

    def test_p6_followers_not_notified_while_hidden(self):
        # The previous owner follows the customer: while it is hidden from
        # him, new messages do not reach him (inbox or email); a sales
        # manager following it is notified, and so is a user the author names.
        message = self.customer.with_user(self.sales_manager).message_post(
            body="New phone: 021-77318888",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertNotIn(
            self.customer_manager_2.partner_id, message.notification_ids.res_partner_id
        )
        named = self.customer.message_post(
            body="Please look at this one",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer_manager_2.partner_id.ids,
        )
        self.assertIn(
            self.customer_manager_2.partner_id, named.notification_ids.res_partner_id
        )
        self.assertIn(
            self.sales_manager.partner_id, named.notification_ids.res_partner_id
        )
        # Once he claims it back, he is notified again.
        with freeze_time(fields.Datetime.now() + timedelta(days=30)):
            self.customer.with_user(self.customer_manager_2)._pool_claim()
        message = self.customer.with_user(self.sales_manager).message_post(
            body="Welcome back", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertIn(
            self.customer_manager_2.partner_id, message.notification_ids.res_partner_id
        )

    # --- given back ---------------------------------------------------------

    def test_p6_claim_gives_chatter_back_at_once(self):
        self._login(self.customer_manager)
        self.assertEqual(
            self._call(
                "mail.message", "search_read", [self._message_domain(), ["body"]]
            ),
            [],
        )
        self._call("res.partner", "action_pool_claim", [self.customer.ids])
        self.assertEqual(self.customer.user_id, self.customer_manager)
        self._assert_all_visible()
        # Addresses elsewhere are no longer masked either.
        message = self._call(
            "mail.message", "read", [self.lead_email.ids, ["email_from"]]
        )[0]
        self.assertIn(CONTACT_EMAIL, message["email_from"])
        data = self._thread_data(self.lead, ["followers"])
        self.assertEqual(
            self._follower_emails(data).get(self.contact.id), CONTACT_EMAIL
        )

    def test_p6_sales_manager_and_pool_admin_see_everything(self):
        self._login(self.sales_manager)
        self._assert_all_visible()
        message = self._call(
            "mail.message", "read", [self.lead_email.ids, ["email_from"]]
        )[0]
        self.assertIn(CONTACT_EMAIL, message["email_from"])
        # A pool administrator (ORM).
        self.pool.admin_user_ids = self.customer_manager_2
        Message = self.env["mail.message"].with_user(self.customer_manager_2)
        self.assertEqual(
            Message.search([("id", "in", self.all_messages.ids)]), self.all_messages
        )
        self.assertEqual(
            self.env["ir.attachment"]
            .with_user(self.customer_manager_2)
            .search([("id", "in", self.all_attachments.ids)]),
            self.all_attachments,
        )
        self.assertEqual(
            self.card.with_user(self.customer_manager_2).read(["raw"])[0]["raw"],
            CARD.encode(),
        )

    def test_p6_unmasked_pools_and_owned_customers_keep_their_chatter(self):
        # A pool that does not mask shows the chatter to its members.
        self.pool.mask_contact = False
        self._login(self.customer_manager)
        self._assert_all_visible()
        self.pool.mask_contact = True
        # An owned customer: its owner posts and reads as usual.
        mine = self._owned(
            "Chatter Owned Co", self.customer_manager, email="own@example.com"
        )
        mine_cm = mine.with_user(self.customer_manager)
        message = mine_cm.message_post(
            body="Met the buyer",
            message_type="comment",
            attachments=[("minutes.txt", b"Minutes")],
        )
        mine_cm.message_subscribe(partner_ids=self.customer_manager_2.partner_id.ids)
        ids, _messages = self._thread_messages(mine)
        self.assertIn(message.id, ids)
        self.assertEqual(
            self._call("mail.message", "read", [message.ids, ["body", "email_from"]])[
                0
            ]["email_from"],
            message.email_from,
        )
        attachment = message.attachment_ids
        self.assertEqual(
            base64.b64decode(
                self._call("ir.attachment", "read", [attachment.ids, ["datas"]])[0][
                    "datas"
                ]
            ),
            b"Minutes",
        )
        data = self._thread_data(mine, ["followers", "attachments"])
        self.assertIn(
            self.customer_manager_2.partner_id.id, self._follower_emails(data)
        )
        self.assertEqual([a["id"] for a in data["ir.attachment"]], attachment.ids)
