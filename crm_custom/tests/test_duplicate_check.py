import threading

from odoo import Command, api
from odoo.exceptions import AccessError, ValidationError
from odoo.service.model import retrying
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.crm_custom.models.res_partner_duplicate import (
    normalize_customer_name,
)

from .common import CrmCustomCommon
from .test_customer_import import XLSX_MIMETYPE, xlsx_file

# Valid Unified Social Credit Codes (check digit included).
CODE_A = "91110000600037341L"
CODE_B = "91310000MA1FL8TQ49"


@tagged("post_install", "-at_install")
class TestDuplicateCheck(CrmCustomCommon):
    """查重 (C8): normalized names and credit codes of customer companies are
    unique per company; duplicates are refused naming only their holder."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"].with_context(
            res_partner_search_mode="customer"
        )
        cls.pool = cls.env["crm.customer.pool"].create(
            {
                "name": "East Pool",
                "member_user_ids": [Command.set([cls.customer_manager.id])],
                "mask_contact": True,
                "daily_claim_limit": 0,
                "owned_limit": 0,
                "reclaim_cooldown_days": 0,
                "assign_notification": "none",
            }
        )
        cls.other_customer = cls.Partner.with_user(cls.customer_manager_2).create(
            {
                "name": "上海精密机械有限公司",
                "is_company": True,
                "user_id": cls.customer_manager_2.id,
                "phone": "021-55551234",
            }
        )

    def _create(self, user, name, **vals):
        return self.Partner.with_user(user).create(
            {"name": name, "is_company": True, "user_id": user.id, **vals}
        )

    def test_c8_normalization_cases(self):
        base = normalize_customer_name("华为技术有限公司")
        self.assertEqual(base, "华为技术")
        for variant in (
            "  华为技术有限公司  ",  # trim
            "华为技术有限责任公司",  # legal suffixes
            "华为技术股份有限公司",
            "华为技术集团",
            "华为技术集团有限公司",
            "华为技术（中国）有限公司",  # full-width parentheses, region marker
            "华为技术(中国)有限公司",
            "华为 技术·有限公司",  # spaces and punctuation
        ):
            self.assertEqual(normalize_customer_name(variant), base, variant)
        self.assertEqual(
            normalize_customer_name("ＡＢＣ　Ｔｒａｄｉｎｇ Co., Ltd."), "abctrading"
        )
        self.assertEqual(normalize_customer_name("abc trading LIMITED"), "abctrading")
        # a branch is another customer; a bare suffix stays a name
        self.assertNotEqual(normalize_customer_name("华为技术北京分公司"), base)
        self.assertEqual(normalize_customer_name("集团"), "集团")
        self.assertEqual(normalize_customer_name(""), "")

    def test_c8_same_normalized_name_refused_naming_unreadable_owner(self):
        with self.assertRaises(AccessError):
            self.other_customer.with_user(self.customer_manager).read(["name"])
        with self.assertRaises(ValidationError) as caught:
            self._create(self.customer_manager, " 上海精密机械（中国）股份有限公司 ")
        message = str(caught.exception)
        self.assertIn(self.customer_manager_2.name, message)
        self.assertNotIn("021-55551234", message)
        self.assertNotIn(str(self.other_customer.id), message)
        # still unreadable after the refusal
        with self.assertRaises(AccessError):
            self.other_customer.with_user(self.customer_manager).read(["name"])
        # renaming an existing customer into the duplicate is refused too
        mine = self._create(self.customer_manager, "上海新锐贸易")
        with self.assertRaises(ValidationError):
            mine.with_user(self.customer_manager).name = "上海精密机械 有限公司"
        # a vendor (not a customer) of the same name is not a duplicate
        vendor = self.env["res.partner"].create(
            {"name": "上海精密机械有限公司", "is_company": True}
        )
        self.assertFalse(vendor.crm_name_key)

    def test_c8_duplicate_credit_code_with_other_name(self):
        self.other_customer.vat = CODE_A
        with self.assertRaises(ValidationError) as caught:
            self._create(self.customer_manager, "完全不同的名字", vat=CODE_A.lower())
        self.assertIn(self.customer_manager_2.name, str(caught.exception))
        self.assertIn("Unified Social Credit Code", str(caught.exception))
        form = Form(
            self.Partner.with_user(self.customer_manager).with_context(
                default_is_company=True, default_user_id=self.customer_manager.id
            ),
            view="crm_custom.view_partner_form_crm_customer",
        )
        form.name = "完全不同的名字"
        form.vat = CODE_A
        self.assertIn(self.customer_manager_2.name, form.crm_duplicate_warning)
        self.assertNotIn(self.other_customer.name, form.crm_duplicate_warning)
        customer = self._create(self.customer_manager, "完全不同的名字", vat=CODE_B)
        self.assertEqual(customer.crm_credit_code_key, CODE_B)

    def test_c8_invalid_credit_code_check_digit(self):
        wrong = CODE_A[:-1] + "X"
        with self.assertRaises(ValidationError) as caught:
            self._create(self.customer_manager, "北京校验码测试", vat=wrong)
        self.assertIn("check digit", str(caught.exception))
        # another country's tax id is not checked as a credit code
        customer = self._create(
            self.customer_manager,
            "Belgian Customer",
            vat="BE0477472701",
            country_id=self.env.ref("base.be").id,
        )
        self.assertTrue(customer.vat)

    def test_c8_same_name_in_pool_names_pool_and_claims_from_lookup(self):
        pooled = self.Partner.create(
            {
                "name": "广州海岸物流有限公司",
                "is_company": True,
                "user_id": False,
                "pool_id": self.pool.id,
                "home_pool_id": self.pool.id,
                "phone": "020-88886666",
                "mobile": "13912345678",
            }
        )
        with self.assertRaises(ValidationError) as caught:
            self._create(self.customer_manager_2, "广州海岸物流")
        self.assertIn("East Pool", str(caught.exception))
        # masked pool customer found by phone, without its phone shown
        wizard = (
            self.env["crm.duplicate.check"]
            .with_user(self.customer_manager)
            .create({"query": "+86 139 1234 5678"})
        )
        wizard.action_search()
        self.assertEqual(len(wizard.line_ids), 1)
        line = wizard.line_ids
        self.assertEqual(line.status, "pool")
        self.assertTrue(line.can_claim)
        values = line.read()[0]
        for value in values.values():
            self.assertNotIn("13912345678", str(value))
            self.assertNotIn("88886666", str(value))
        action = line.action_claim()
        self.assertEqual(action["res_model"], "crm.customer.pool.claim.wizard")
        pooled.with_user(self.customer_manager).action_pool_claim()
        self.assertEqual(pooled.user_id, self.customer_manager)
        # another salesperson sees who holds it now, with no claim button
        wizard = (
            self.env["crm.duplicate.check"]
            .with_user(self.customer_manager_2)
            .create({"query": "海岸物流"})
        )
        wizard.action_search()
        self.assertEqual(wizard.line_ids.status, "owned")
        self.assertIn(self.customer_manager.name, wizard.line_ids.holder)
        self.assertFalse(wizard.line_ids.can_claim)

    def test_c8_lookup_by_credit_code_and_own_customer(self):
        mine = self._create(self.customer_manager, "深圳云帆科技", vat=CODE_B)
        wizard = (
            self.env["crm.duplicate.check"]
            .with_user(self.customer_manager)
            .create({"query": CODE_B})
        )
        wizard.action_search()
        self.assertEqual(wizard.line_ids.status, "mine")
        self.assertEqual(wizard.line_ids.action_open()["res_id"], mine.id)
        wizard.query = "不存在的公司名称"
        wizard.action_search()
        self.assertFalse(wizard.line_ids)

    def test_c8_same_phone_or_close_name_is_a_warning_only(self):
        form = Form(
            self.Partner.with_user(self.customer_manager).with_context(
                default_is_company=True, default_user_id=self.customer_manager.id
            ),
            view="crm_custom.view_partner_form_crm_customer",
        )
        form.name = "上海精密机械设备"
        self.assertIn(self.customer_manager_2.name, form.crm_duplicate_warning)
        form.name = "杭州湖畔软件"
        self.assertFalse(form.crm_duplicate_warning)
        form.phone = "021-55551234"
        self.assertIn(self.customer_manager_2.name, form.crm_duplicate_warning)
        self.assertNotIn("021-55551234", form.crm_duplicate_warning)
        customer = form.save()
        self.assertEqual(customer.user_id, self.customer_manager)

    def test_c8_development_success_links_normalized_match(self):
        mine = self._create(self.customer_manager, "苏州明达电子有限公司")
        lead = self.env["crm.lead"].create(
            {
                "name": "Needs cables",
                "type": "opportunity",
                "partner_name": "苏州明达电子（中国）有限公司",
                "contact_name": "Wang Li",
                "phone": "13800138001",
                "user_id": self.customer_manager.id,
            }
        )
        lead._link_development_customer(
            {"gender": "male", "function": "Purchasing Manager"}
        )
        self.assertEqual(lead.partner_id.commercial_partner_id, mine)

    def test_c8_import_reports_duplicates_per_row_and_imports_nothing(self):
        headers = ["Name", "Is a Company"]
        content = xlsx_file(
            headers,
            [
                ["南京长江航运有限公司", "True"],
                ["南京长江航运股份有限公司", "True"],
                ["上海精密机械有限公司", "True"],
            ],
        )
        importer = (
            self.env["base_import.import"]
            .with_user(self.customer_manager)
            .with_context(
                res_partner_search_mode="customer",
                default_is_company=True,
                default_user_id=self.customer_manager.id,
            )
            .create(
                {
                    "res_model": "res.partner",
                    "file": content,
                    "file_name": "customers.xlsx",
                    "file_type": XLSX_MIMETYPE,
                }
            )
        )
        options = {
            "has_headers": True,
            "quoting": '"',
            "separator": ",",
            "float_thousand_separator": ",",
            "float_decimal_separator": ".",
            "date_format": "",
            "datetime_format": "",
            "encoding": "",
            "limit": 2000,
            "skip": 0,
            "import_skip_records": [],
            "import_set_empty_fields": [],
            "fallback_values": {},
            "name_create_enabled_fields": {},
        }
        result = importer.execute_import(
            ["name", "is_company"], headers, options, dryrun=False
        )
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertEqual(len(errors), 2, result["messages"])
        self.assertTrue(all("already exists" in m["message"] for m in errors))
        self.assertIn(
            self.customer_manager_2.name, " ".join(m["message"] for m in errors)
        )
        self.assertEqual(sorted(m["record"] for m in errors), [1, 2])
        self.assertFalse(result["ids"])
        self.assertFalse(
            self.env["res.partner"].search([("name", "like", "南京长江航运")])
        )

    def test_c8_merge_limited_to_customers_for_sales_managers(self):
        vendor = self.env["res.partner"].create(
            {"name": "Vendor A", "is_company": True}
        )
        other_vendor = self.env["res.partner"].create(
            {"name": "Vendor B", "is_company": True}
        )
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.sales_manager)
            .create(
                {
                    "partner_ids": [Command.set([vendor.id, other_vendor.id])],
                    "dst_partner_id": vendor.id,
                    "state": "selection",
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.action_merge()
        self.assertTrue(other_vendor.exists())

    def test_c8_merge_keeps_ownership_and_pool_state_consistent(self):
        kept = self._create(self.customer_manager, "Acme Trading")
        merged = self.Partner.create(
            {
                "name": "Acme Trade",
                "is_company": True,
                "user_id": False,
                "pool_id": self.pool.id,
                "home_pool_id": self.pool.id,
                "vat": CODE_A,
                "child_ids": [
                    Command.create(
                        {
                            "name": "Zhao Min",
                            "gender": "female",
                            "function": "Buyer",
                            "phone": "021-1",
                        }
                    )
                ],
            }
        )
        contact = merged.child_ids
        self.assertEqual(contact.pool_state, "pool")
        log = self.env["crm.customer.ownership.log"].search(
            [("partner_id", "=", merged.id)]
        )
        interaction = self.env["crm.interaction"].create(
            {"partner_id": merged.id, "summary": "Called"}
        )
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.sales_manager)
            .create(
                {
                    "partner_ids": [Command.set([kept.id, merged.id])],
                    "dst_partner_id": kept.id,
                    "state": "selection",
                }
            )
        )
        wizard.action_merge()
        self.assertFalse(merged.exists())
        self.assertRecordValues(
            kept,
            [
                {
                    "user_id": self.customer_manager.id,
                    "pool_id": False,
                    "pool_state": "owned",
                    "vat": CODE_A,
                    "crm_credit_code_key": CODE_A,
                }
            ],
        )
        self.assertEqual(contact.parent_id, kept)
        self.assertEqual(contact.pool_state, "owned")
        self.assertEqual(interaction.partner_id, kept)
        if log:
            self.assertEqual(log.partner_id, kept)
        # sales managers may still not delete partners themselves
        self.assertFalse(
            self.Partner.with_user(self.sales_manager).has_access("unlink")
        )
        # the kept customer's credit code now refuses a new duplicate
        with self.assertRaises(ValidationError):
            self._create(self.customer_manager_2, "Another Name", vat=CODE_A)


@tagged("post_install", "-at_install")
class TestDuplicateConcurrency(TransactionCase):
    """Two managers creating the same company at the same moment: one
    succeeds, the other gets the duplicate error (the unique index)."""

    def test_c8_concurrent_creations_of_one_customer(self):
        user_ids = [
            self.env.ref("crm_custom.user_customer_manager_1").id,
            self.env.ref("crm_custom.user_customer_manager_2").id,
        ]
        name = "并发测试客户有限公司"
        barrier = threading.Barrier(len(user_ids))
        outcomes = [None] * len(user_ids)
        dbname = self.env.cr.dbname

        def work(index, uid):
            threading.current_thread().dbname = dbname
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(
                        cr, uid, {"res_partner_search_mode": "customer"}
                    )

                    def create():
                        partner = env["res.partner"].create(
                            {"name": name, "is_company": True, "user_id": uid}
                        )
                        return partner.id

                    barrier.wait(timeout=60)
                    outcomes[index] = ("ok", retrying(create, env))
            except Exception as error:  # noqa: BLE001 - the outcome under test
                outcomes[index] = ("error", error)

        threads = [
            threading.Thread(target=work, args=(index, uid), daemon=True)
            for index, uid in enumerate(user_ids)
        ]
        try:
            with mute_logger("odoo.sql_db", "odoo.service.model"):
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=300)
            kinds = sorted(kind for kind, _result in outcomes)
            self.assertEqual(kinds, ["error", "ok"], outcomes)
            error = next(result for kind, result in outcomes if kind == "error")
            self.assertIsInstance(error, ValidationError)
            self.assertIn("already exists", str(error))
        finally:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                partners = (
                    env["res.partner"]
                    .with_context(active_test=False)
                    .search([("name", "=", name)])
                )
                env["crm.customer.ownership.log"].search(
                    [("partner_id", "in", partners.ids)]
                ).unlink()
                env["mail.message"].search(
                    [("model", "=", "res.partner"), ("res_id", "in", partners.ids)]
                ).unlink()
                partners.unlink()
                cr.commit()  # pylint: disable=invalid-commit
