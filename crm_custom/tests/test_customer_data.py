import ast
import re
from contextlib import contextmanager

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CrmCustomCommon


class CustomerDataCommon(CrmCustomCommon):
    """A customer of the customer manager and one of the second customer
    manager, created as the Customers menu does (customer rank 1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"].with_context(
            res_partner_search_mode="customer", default_is_company=True
        )
        cls.china = cls.env.ref("base.cn")
        cls.level_major = cls.env.ref("crm_custom.dictionary_customer_level_major")
        cls.source_phone = cls.env.ref(
            "crm_custom.dictionary_customer_source_telemarketing"
        )
        cls.nature_other = cls.env.ref("crm_custom.dictionary_company_nature_other")
        cls.region_east = cls.env.ref("crm_custom.dictionary_region_east")
        cls.customer = cls.Partner.create(
            {
                "name": "上海测试机械有限公司",
                "user_id": cls.customer_manager.id,
                "country_id": cls.china.id,
            }
        )
        cls.other_customer = cls.Partner.create(
            {"name": "南京测试电气有限公司", "user_id": cls.customer_manager_2.id}
        )

    @contextmanager
    def assertRefused(self, exception, pattern):
        """assertRaises (which rolls the refused operation back) checking the
        message too."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), pattern)

    def _contact_vals(self, **overrides):
        vals = {
            "name": "张伟",
            "parent_id": self.customer.id,
            "type": "contact",
            "is_company": False,
            "gender": "male",
            "function": "采购经理",
            "phone": "021-58881234",
        }
        vals.update(overrides)
        return vals


@tagged("post_install", "-at_install")
class TestCustomerData(CustomerDataCommon):
    # ------------------------------------------------------------------
    # C1 customer fields
    # ------------------------------------------------------------------
    def test_c1_customer_fields_are_stored(self):
        customer = self.Partner.with_user(self.customer_manager).create(
            {
                "name": "苏州测试自动化有限公司",
                "user_id": self.customer_manager.id,
                "customer_level_id": self.level_major.id,
                "customer_source_id": self.source_phone.id,
                "company_nature_id": self.nature_other.id,
                "annual_revenue_id": self.env.ref(
                    "crm_custom.dictionary_annual_revenue_500k_plus"
                ).id,
                "employee_count_id": self.env.ref(
                    "crm_custom.dictionary_employee_count_50_plus"
                ).id,
                "region_id": self.region_east.id,
                "rating": "3",
                "satisfaction": 4,
                "credit_rating": 5,
                "country_id": self.china.id,
                "state_id": self.env.ref("base.state_cn_JS").id,
                "city": "苏州",
                "zip": "215000",
                "industry_id": self.env.ref("base.res_partner_industry_C").id,
            }
        )
        self.assertTrue(customer._is_crm_customer())
        self.assertEqual(customer.customer_level_id.code, "major")
        self.assertEqual(customer.region_id.code, "east")
        self.assertEqual(customer.rating, "3")
        self.assertEqual((customer.satisfaction, customer.credit_rating), (4, 5))
        self.assertEqual(customer.user_id, self.customer_manager)

    def test_c1_dictionary_field_rejects_entry_of_another_list(self):
        with self.assertRefused(ValidationError, "not a valid Customer Level"):
            self.customer.customer_level_id = self.source_phone
        self.customer.customer_level_id = self.level_major
        self.assertEqual(self.customer.customer_level_id, self.level_major)

    def test_c1_customer_name_at_most_50_characters(self):
        self.customer.name = "机" * 50
        with self.assertRefused(ValidationError, "at most 50"):
            self.customer.name = "机" * 51
        with self.assertRefused(ValidationError, "at most 50"):
            self.Partner.create({"name": "x" * 51})
        # a company that is no customer (a supplier) keeps Odoo's rule
        supplier = self.env["res.partner"].create(
            {"name": "y" * 60, "is_company": True}
        )
        self.assertEqual(len(supplier.name), 60)

    def test_c1_postcode_six_digits_in_china(self):
        self.customer.zip = "200120"
        for bad_zip in ("20012", "2001200", "20A120"):
            with self.assertRefused(ValidationError, "postcode"):
                self.customer.zip = bad_zip
        self.assertEqual(self.customer.zip, "200120")
        # other countries keep their own formats
        self.customer.write(
            {"country_id": self.env.ref("base.uk").id, "zip": "SW1A 1AA"}
        )
        with self.assertRefused(ValidationError, "postcode"):
            self.customer.country_id = self.china

    def test_c1_satisfaction_and_credit_rating_between_1_and_5(self):
        self.customer.write({"satisfaction": 5, "credit_rating": 1})
        self.customer.write({"satisfaction": 0, "credit_rating": 0})  # not rated
        for fname in ("satisfaction", "credit_rating"):
            for bad in (6, -1):
                with self.assertRefused(ValidationError, "between 1 and 5"):
                    self.customer.write({fname: bad})

    def test_c1_primary_contact_belongs_to_the_customer(self):
        contact = self.env["res.partner"].create(self._contact_vals())
        self.customer.primary_contact_id = contact
        stranger = self.env["res.partner"].create(
            self._contact_vals(name="李静", parent_id=self.other_customer.id)
        )
        with self.assertRefused(ValidationError, "must be one of its contacts"):
            self.customer.primary_contact_id = stranger

    def test_c1_customer_manager_sees_own_customers_only(self):
        Partner = self.env["res.partner"].with_user(self.customer_manager)
        visible = Partner.search(
            [("id", "in", (self.customer + self.other_customer).ids)]
        )
        self.assertEqual(visible, self.customer)
        contact = self.env["res.partner"].create(
            self._contact_vals(parent_id=self.other_customer.id)
        )
        self.assertFalse(Partner.search([("id", "=", contact.id)]))
        with self.assertRaises(AccessError):
            self.other_customer.with_user(self.customer_manager).write({"phone": "1"})
        with self.assertRaises(AccessError):
            Partner.with_context(res_partner_search_mode="customer").create(
                {
                    "name": "不属于我的客户",
                    "is_company": True,
                    "user_id": self.customer_manager_2.id,
                }
            )
        # individuals and companies nobody owns stay visible; managers see all
        own_partner = self.customer_manager.partner_id
        self.assertEqual(Partner.search([("id", "=", own_partner.id)]), own_partner)
        self.assertEqual(
            self.env["res.partner"]
            .with_user(self.sales_manager)
            .search([("id", "in", (self.customer + self.other_customer).ids)]),
            self.customer + self.other_customer,
        )

    # ------------------------------------------------------------------
    # C2 contacts
    # ------------------------------------------------------------------
    def test_c2_contact_of_customer_requires_name_gender_position_phone(self):
        # as the Customers and Contacts screens (and their imports) enter them
        Partner = (
            self.env["res.partner"]
            .with_user(self.customer_manager)
            .with_context(crm_customer_data=True)
        )
        contact = Partner.create(self._contact_vals())
        self.assertEqual(contact.commercial_partner_id, self.customer)
        for fname, label in (
            ("gender", "Gender"),
            ("function", "Job Position"),
            ("phone", "Phone"),
        ):
            with self.assertRefused(ValidationError, label):
                Partner.create(self._contact_vals(**{fname: False}))
            with self.assertRefused(ValidationError, label):
                contact.write({fname: False})
        # addresses and contacts of non-customers are not concerned
        Partner.create(
            self._contact_vals(type="delivery", gender=False, function=False)
        )
        supplier = self.env["res.partner"].create(
            {"name": "供应商", "is_company": True}
        )
        self.env["res.partner"].create({"name": "王五", "parent_id": supplier.id})

    def test_x6_contacts_of_other_apps_not_blocked_but_found(self):
        """C2 holds customer data entered in the CRM; a contact another app
        creates under a customer is saved, and the “Incomplete Contact Data”
        filter finds it."""
        other_app = self.env["res.partner"].with_user(self.customer_manager)
        contact = other_app.create(
            {"name": "李雷", "parent_id": self.customer.id, "email": "li@example.com"}
        )
        self.assertEqual(contact.commercial_partner_id, self.customer)
        action = self.env.ref("crm_custom.action_crm_customer_contacts")
        search_view = action.search_view_id
        arch = search_view.get_combined_arch()
        self.assertIn('name="incomplete_contact_data"', arch)
        domain = ast.literal_eval(
            re.search(r'name="incomplete_contact_data"[^>]*domain="([^"]*)"', arch)
            .group(1)
            .replace("&gt;", ">")
        )
        complete = self.env["res.partner"].create(self._contact_vals(name="韩梅梅"))
        found = self.env["res.partner"].search(
            domain + [("id", "in", (contact | complete).ids)]
        )
        self.assertEqual(found, contact)
        # entering it in the CRM completes it
        with self.assertRefused(ValidationError, "Gender"):
            contact.with_context(crm_customer_data=True).write({"name": "李雷 "})

    def test_x6_foreign_numbers_keep_their_format(self):
        us = self.env.ref("base.us")
        Partner = self.env["res.partner"]
        Partner.create(
            {"name": "Ann", "country_id": us.id, "mobile": "+1 202 555 0123"}
        )
        Partner.create({"name": "Bob", "mobile": "+1 202 555 0123"})
        Partner.create({"name": "Eve", "mobile": "0456 998877"})
        # Chinese numbers: +86, a partner in China, a mainland-looking one
        for vals in (
            {"name": "Wang", "mobile": "+86 1234"},
            {"name": "Zhao", "country_id": self.china.id, "mobile": "555 0100"},
            {"name": "Sun", "mobile": "1381234567"},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRefused(ValidationError, "mobile number"),
            ):
                Partner.create(vals)

    def test_c2_contact_created_in_customer_form(self):
        form = Form(
            self.env["res.partner"]
            .with_user(self.customer_manager)
            .with_context(
                res_partner_search_mode="customer",
                default_is_company=True,
                default_user_id=self.customer_manager.id,
            ),
            view="crm_custom.view_partner_form_crm_customer",
        )
        form.name = "杭州测试化工有限公司"
        with form.child_ids.new() as contact:
            self.assertEqual(contact.type, "contact")
            contact.name = "赵敏"
            contact.gender = "female"
            contact.function = "总经理助理"
            contact.phone = "0571-82170018"
            contact.mobile = "18657101234"
            contact.title = self.env.ref("crm_custom.res_partner_title_teacher")
        customer = form.save()
        self.assertEqual(customer.user_id, self.customer_manager)
        self.assertEqual(customer.customer_rank, 1)
        self.assertRecordValues(
            customer.child_ids,
            [
                {
                    "name": "赵敏",
                    "is_company": False,
                    "gender": "female",
                    "type": "contact",
                }
            ],
        )

    def test_c2_mobile_must_be_a_mainland_number(self):
        contact = self.env["res.partner"].create(self._contact_vals())
        for good in (
            "13812345678",
            "19912345678",
            "+86 138 1234 5678",
            "138-1234-5678",
        ):
            contact.mobile = good
        for bad in ("12812345678", "1381234567", "138123456789", "abc", "10086"):
            with self.assertRefused(ValidationError, "mobile number"):
                contact.mobile = bad
        # foreign contacts keep their own numbers
        foreigner = self.env["res.partner"].create(
            {
                "name": "John",
                "country_id": self.env.ref("base.us").id,
                "mobile": "+1 555 0100",
            }
        )
        self.assertEqual(foreigner.mobile, "+1 555 0100")

    def test_c2_email_format(self):
        contact = self.env["res.partner"].create(self._contact_vals())
        for good in ("zhang.wei@example.com", "张伟 <zhang.wei@example.com.cn>"):
            contact.email = good
        for bad in ("zhang.wei", "zhang@", "zhang@example", "zhang wei@example.com"):
            with self.assertRefused(ValidationError, "email address"):
                contact.email = bad

    def test_c2_qq_digits_only_at_most_20(self):
        contact = self.env["res.partner"].create(self._contact_vals())
        contact.qq = "281734526"
        contact.qq = "1" * 20
        for bad in ("2817a4526", "1" * 21, "qq12345"):
            with self.assertRefused(ValidationError, "QQ"):
                contact.qq = bad

    def test_c2_salutations(self):
        titles = {
            "base.res_partner_title_mister": "Mister",  # 先生
            "base.res_partner_title_madam": "Madam",  # 女士
            "crm_custom.res_partner_title_teacher": "Teacher",  # 老师
            "crm_custom.res_partner_title_physician": "Physician",  # 医生
            "base.res_partner_title_doctor": "Doctor",  # 博士
            "base.res_partner_title_prof": "Professor",  # 教授
        }
        for xmlid, name in titles.items():
            self.assertEqual(self.env.ref(xmlid).name, name)

    def test_c2_recycle_bin_archives_and_restores_contacts(self):
        contact = self.env["res.partner"].create(self._contact_vals())
        contact.with_user(self.customer_manager).action_archive()
        Partner = self.env["res.partner"].with_user(self.customer_manager)
        self.assertFalse(Partner.search([("id", "=", contact.id)]))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_customer_contacts_recycle_bin"
        )
        in_bin = Partner.with_context(active_test=False).search(
            [("id", "=", contact.id)] + ast.literal_eval(action["domain"])
        )
        self.assertEqual(in_bin, contact)
        in_bin.action_unarchive()
        self.assertTrue(contact.active)
        self.assertEqual(Partner.search([("id", "=", contact.id)]), contact)
        self.assertFalse(
            Partner.with_context(active_test=False).search(
                [("id", "=", contact.id)] + ast.literal_eval(action["domain"])
            )
        )

    # ------------------------------------------------------------------
    # B1 data dictionary
    # ------------------------------------------------------------------
    def test_b1_dictionary_seeded_with_stable_codes(self):
        Item = self.env["crm.dictionary.item"]
        expected = {
            "customer_level": {
                "ordinary",
                "key_prospect",
                "major",
                "partner",
                "strategic_partner",
            },
            "customer_source": {"telemarketing", "online_marketing", "other"},
            "company_nature": {
                "joint_venture",
                "state_owned",
                "public_institution",
                "private",
                "other",
            },
            "annual_revenue": {"0_100k", "100k_200k", "200k_500k", "500k_plus"},
            "employee_count": {"5_20", "20_50", "50_plus"},
            "region": {
                "north",
                "northeast",
                "east",
                "central",
                "south",
                "southwest",
                "northwest",
            },
        }
        for category, codes in expected.items():
            items = Item.search([("category", "=", category)])
            self.assertEqual(set(items.mapped("code")), codes, category)

    def test_b1_dictionary_found_by_code_and_english_name(self):
        Item = self.env["crm.dictionary.item"]
        self.assertIn(self.level_major, Item.search([("display_name", "=", "major")]))
        self.env["res.lang"]._activate_lang("zh_CN")
        self.level_major.with_context(lang="zh_CN").name = "大客户"
        Item_zh = Item.with_context(lang="zh_CN")
        self.assertIn(
            self.level_major, Item_zh.search([("display_name", "=", "大客户")])
        )
        self.assertIn(
            self.level_major, Item_zh.search([("display_name", "=", "Major Account")])
        )

    def test_b1_customer_manager_cannot_edit_dictionary(self):
        Item = self.env["crm.dictionary.item"]
        self.assertTrue(Item.with_user(self.customer_manager).search([]))
        with self.assertRaises(AccessError):
            self.level_major.with_user(self.customer_manager).name = "VIP"
        with self.assertRaises(AccessError):
            Item.with_user(self.customer_manager).create(
                {"name": "VIP", "category": "customer_level", "code": "vip"}
            )
        with self.assertRaises(AccessError):
            self.level_major.with_user(self.customer_manager).unlink()
        with self.assertRaises(AccessError):
            self.level_major.with_user(self.executive).write({"active": False})
        # sales managers maintain it
        vip = Item.with_user(self.sales_manager).create(
            {"name": "VIP", "category": "customer_level", "code": "vip"}
        )
        vip.with_user(self.sales_manager).name = "VIP Customer"
        vip.with_user(self.sales_manager).action_archive()
        self.assertFalse(vip.active)

    def test_b1_dictionary_entry_in_use_cannot_be_deleted(self):
        self.customer.customer_level_id = self.level_major
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.level_major.with_user(self.sales_manager).unlink()
        self.assertTrue(self.level_major.exists())
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["crm.dictionary.item"].create(
                    {"name": "Duplicate", "category": "customer_level", "code": "major"}
                )

    # ------------------------------------------------------------------
    # B3 operation log
    # ------------------------------------------------------------------
    def _start_tracking(self):
        """Tracking is discarded for records created in the same transaction
        (as setUpClass does): finalize it, as a commit would."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _tracking_messages(self, record):
        self.env.flush_all()
        self.env.cr.precommit.run()
        return self.env["mail.message"].search(
            [
                ("model", "=", record._name),
                ("res_id", "=", record.id),
                ("tracking_value_ids", "!=", False),
            ]
        )

    def test_b3_key_changes_are_tracked(self):
        self._start_tracking()
        customer = self.customer.with_context(tracking_disable=False).with_user(
            self.sales_manager
        )
        customer.write(
            {
                "user_id": self.customer_manager_2.id,
                "customer_level_id": self.level_major.id,
                "credit_rating": 4,
                "satisfaction": 2,
                "rating": "2",
            }
        )
        message = self._tracking_messages(self.customer)[:1]
        self.assertEqual(message.author_id, self.sales_manager.partner_id)
        changes = {
            tracking.field_id.name: tracking for tracking in message.tracking_value_ids
        }
        self.assertLessEqual(
            {"user_id", "customer_level_id", "credit_rating", "satisfaction", "rating"},
            set(changes),
        )
        self.assertEqual(changes["user_id"].old_value_char, self.customer_manager.name)
        self.assertEqual(
            changes["user_id"].new_value_char, self.customer_manager_2.name
        )
        self.assertEqual(changes["credit_rating"].new_value_integer, 4)
        self.assertEqual(changes["customer_level_id"].new_value_char, "Major Account")

    def test_b3_untracked_change_writes_no_log(self):
        self._start_tracking()
        customer = self.customer.with_context(tracking_disable=False)
        customer.write({"comment": "internal note"})
        self.assertFalse(self._tracking_messages(self.customer))
