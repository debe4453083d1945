from pathlib import Path

import polib
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .test_customer_data import CustomerDataCommon


@tagged("post_install", "-at_install")
class TestChinaData(CustomerDataCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.jiangsu = ref("base.state_cn_JS")
        cls.zhejiang = ref("base.state_cn_ZJ")
        cls.guangdong = ref("base.state_cn_GD")
        cls.wuzhong = ref("l10n_cn_city.china_city_215100")  # 苏州市吴中区
        cls.xihu = ref("l10n_cn_city.china_city_310000_1761")  # 杭州市西湖区

    # ------------------------------------------------------------------
    # Addresses: province → city, region from the province
    # ------------------------------------------------------------------
    def test_c10_city_pick_list_from_china_localization(self):
        self.assertTrue(self.china.enforce_cities)
        cities = self.env["res.city"].search_count(
            [("country_id", "=", self.china.id), ("state_id", "=", self.jiangsu.id)]
        )
        self.assertGreater(cities, 50)
        customer = self.Partner.with_user(self.customer_manager).create(
            {
                "name": "苏州测试精密有限公司",
                "user_id": self.customer_manager.id,
                "country_id": self.china.id,
                "state_id": self.jiangsu.id,
                "city_id": self.wuzhong.id,
            }
        )
        self.assertEqual(customer.region_id.code, "east")

    def test_c10_city_outside_its_province_is_refused(self):
        with self.assertRefused(ValidationError, "not in 浙江省"):
            self.customer.write(
                {"state_id": self.zhejiang.id, "city_id": self.wuzhong.id}
            )
        with self.assertRefused(ValidationError, "not in"):
            self.Partner.create(
                {
                    "name": "杭州错误地址有限公司",
                    "country_id": self.china.id,
                    "state_id": self.jiangsu.id,
                    "city_id": self.xihu.id,
                }
            )
        # moving the customer to another province without its city is refused
        self.customer.write({"state_id": self.jiangsu.id, "city_id": self.wuzhong.id})
        with self.assertRefused(ValidationError, "not in"):
            self.customer.state_id = self.zhejiang
        self.assertEqual(self.customer.city_id, self.wuzhong)

    def test_c10_form_city_list_follows_the_province(self):
        with Form(
            self.customer, view="crm_custom.view_partner_form_crm_customer"
        ) as form:
            form.state_id = self.jiangsu
            form.city_id = self.wuzhong
            self.assertEqual(form.city, "苏州市吴中区")
            self.assertEqual(form.zip, "215100")
            # another province empties a city that is not in it
            form.state_id = self.zhejiang
            self.assertFalse(form.city_id)
            form.city_id = self.xihu
        self.assertEqual(self.customer.region_id.code, "east")

    def test_c10_region_is_derived_from_the_province(self):
        self.customer.state_id = self.guangdong
        self.assertEqual(self.customer.region_id.code, "south")
        self.customer.state_id = self.env.ref("base.state_cn_SC")
        self.assertEqual(self.customer.region_id.code, "southwest")
        # a province of another country without region: none
        self.customer.state_id = self.env.ref("base.state_us_5")
        self.assertFalse(self.customer.region_id)
        # without a province, the region may be given (e.g. imported)
        self.customer.write({"state_id": False, "region_id": self.region_east.id})
        self.assertEqual(self.customer.region_id, self.region_east)
        self.customer.write(
            {"country_id": self.china.id, "state_id": self.guangdong.id}
        )
        self.assertEqual(self.customer.region_id.code, "south")
        # every province of China has its region
        states = self.env["res.country.state"].search(
            [("country_id", "=", self.china.id)]
        )
        self.assertFalse(states.filtered(lambda s: not s.crm_region_id))
        # a new mapping moves the customers of the province
        self.customer.state_id = self.guangdong
        self.guangdong.crm_region_id = self.region_east
        self.assertEqual(self.customer.region_id, self.region_east)
        with self.assertRefused(ValidationError, "not a sales region"):
            self.guangdong.crm_region_id = self.level_major

    def test_c10_import_accepts_province_and_city_names(self):
        result = self.Partner.load(
            ["name", "is_company", "country_id", "state_id", "city_id", "street"],
            [
                [
                    "导入苏州客户有限公司",
                    "1",
                    "China",
                    "江苏省",
                    "苏州市吴中区",
                    "东吴北路 1 号",
                ],
                ["导入杭州客户有限公司", "1", "China", "浙江省", "", "文三路 2 号"],
            ],
        )
        self.assertFalse(result["messages"], result["messages"])
        suzhou, hangzhou = self.Partner.browse(result["ids"])
        self.assertRecordValues(
            suzhou,
            [
                {
                    "state_id": self.jiangsu.id,
                    "city_id": self.wuzhong.id,
                    "city": "苏州市吴中区",
                    "zip": "215100",
                }
            ],
        )
        self.assertEqual(suzhou.region_id.code, "east")
        # a city typed as text is matched within its province
        result = self.Partner.load(
            ["name", "is_company", "country_id", "state_id", "city"],
            [["导入西湖客户有限公司", "1", "China", "浙江省", "杭州市西湖区"]],
        )
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(self.Partner.browse(result["ids"]).city_id, self.xihu)
        self.assertFalse(hangzhou.city_id)
        # a city of another province is refused
        with mute_logger("odoo.sql_db"):
            result = self.Partner.load(
                ["name", "is_company", "country_id", "state_id", "city_id"],
                [["导入错误客户有限公司", "1", "China", "浙江省", "苏州市吴中区"]],
            )
        self.assertFalse(result["ids"])
        self.assertIn("not in", result["messages"][0]["message"])

    # ------------------------------------------------------------------
    # Industry 行业: GB/T 4754-2017, maintained by sales managers
    # ------------------------------------------------------------------
    def test_c10_industries_are_the_gbt_4754_sections(self):
        Industry = self.env["res.partner.industry"]
        sections = Industry.search([])
        self.assertEqual(len(sections), 20)
        self.assertEqual(
            sorted(sections.mapped("full_name"))[0],
            "A - Agriculture, Forestry, Animal Husbandry and Fishery",
        )
        # Chinese names in the catalogue (loaded with the regenerated .pot)
        catalogue = polib.pofile(
            str(Path(__file__).resolve().parent.parent / "i18n" / "zh_CN.po")
        )
        chinese = {
            entry.msgid: entry.msgstr
            for entry in catalogue
            if any(
                "res_partner_industry_gbt_" in occurrence
                for occurrence, _line in entry.occurrences
            )
        }
        self.assertEqual(len(chinese), 40)
        self.assertEqual(
            chinese[self.env.ref("crm_custom.res_partner_industry_gbt_i").name],
            "信息传输、软件和信息技术服务业",
        )
        self.assertEqual(chinese["T - International Organizations"], "T 国际组织")

    def test_c10_sales_managers_maintain_industries(self):
        Industry = self.env["res.partner.industry"]
        industry = Industry.with_user(self.sales_manager).create(
            {"name": "Cross-border E-commerce", "full_name": "Cross-border E-commerce"}
        )
        industry.with_user(self.sales_manager).name = "Foreign Trade"
        self.assertEqual(
            Industry.with_user(self.customer_manager).browse(industry.id).name,
            "Foreign Trade",
        )
        with self.assertRaises(AccessError):
            Industry.with_user(self.customer_manager).create({"name": "Education"})
        with self.assertRaises(AccessError):
            industry.with_user(self.customer_manager).write({"name": "Other"})

    def test_c10_industry_in_filters_and_groups(self):
        manufacturing = self.env.ref("crm_custom.res_partner_industry_gbt_c")
        retail = self.env.ref("crm_custom.res_partner_industry_gbt_f")
        self.customer.industry_id = manufacturing
        self.other_customer.industry_id = retail
        customers = self.customer | self.other_customer
        groups = dict(
            self.Partner._read_group(
                [("id", "in", customers.ids)], ["industry_id"], ["__count"]
            )
        )
        self.assertEqual(groups, {manufacturing: 1, retail: 1})
        self.assertEqual(
            self.Partner.search(
                [("industry_id", "=", manufacturing.id), ("id", "in", customers.ids)]
            ),
            self.customer,
        )
        arch = self.env.ref("crm_custom.view_partner_search_crm_customer")
        search_view = self.Partner.get_view(arch.id, "search")["arch"]
        for group_by in ("industry_id", "region_id", "state_id", "city_id"):
            self.assertIn(f"'group_by': '{group_by}'", search_view)

    # ------------------------------------------------------------------
    # Customer code 客户编码
    # ------------------------------------------------------------------
    def test_c10_customer_code_numbered_unique_and_kept(self):
        code = self.customer.customer_code
        self.assertRegex(code, r"^KH\d{6}$")
        self.assertNotEqual(code, self.other_customer.customer_code)
        self.customer.write({"name": "上海测试机械股份有限公司", "customer_rank": 5})
        self.assertEqual(self.customer.customer_code, code)
        self.assertEqual(
            self.Partner.search([("customer_code", "ilike", code[-4:])]), self.customer
        )
        # a copy is a new customer with a new code
        copy = self.customer.copy({"name": "上海测试机械复制有限公司"})
        self.assertNotIn(copy.customer_code, (False, code))
        # suppliers and people have none until they become customers
        supplier = self.env["res.partner"].create(
            {"name": "供应商", "is_company": True}
        )
        person = self.env["res.partner"].create({"name": "个人"})
        self.assertFalse(supplier.customer_code or person.customer_code)
        supplier._increase_rank("customer_rank")
        self.assertRegex(supplier.customer_code, r"^KH\d{6}$")
        # two customers cannot share a code
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.other_customer.write({"customer_code": code})
                self.other_customer.flush_recordset()

    def test_c10_customer_code_prefix_in_settings(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.crm_customer_code_prefix, "KH")
        settings.crm_customer_code_prefix = "SH-"
        settings.execute()
        customer = self.Partner.create({"name": "前缀测试有限公司"})
        self.assertRegex(customer.customer_code, r"^SH-\d{6}$")

    def test_c10_existing_customers_numbered_at_install(self):
        customers = self.customer | self.other_customer
        self.env.cr.execute(
            "UPDATE res_partner SET customer_code = NULL WHERE id IN %s",
            [tuple(customers.ids)],
        )
        customers.invalidate_recordset(["customer_code"])
        numbered = self.env["res.partner"]._crm_number_existing_customers()
        self.assertLessEqual(customers, numbered)
        self.assertTrue(all(customers.mapped("customer_code")))
        self.assertEqual(len(set(customers.mapped("customer_code"))), 2)

    # ------------------------------------------------------------------
    # Field limits of seed 000
    # ------------------------------------------------------------------
    def test_c10_field_limits_of_customers_and_contacts(self):
        contact = self.env["res.partner"].create(self._contact_vals())
        limits = {
            "function": 50,
            "email": 50,
            "phone": 20,
            "street": 100,
        }
        for fname, max_length in limits.items():
            value = "0" * max_length if fname == "phone" else "职" * max_length
            if fname == "email":
                value = "a" * (max_length - 12) + "@example.com"
            contact[fname] = value
            too_long = value + "0" if fname == "phone" else "x" + value
            with self.assertRefused(ValidationError, f"at most {max_length}"):
                contact[fname] = too_long
        contact.email = "张伟 <%s>" % ("a" * 38 + "@example.com")
        self.customer.comment = "<p>%s</p>" % ("备" * 500)
        with self.assertRefused(ValidationError, "at most 500"):
            self.customer.comment = "<p>%s</p>" % ("备" * 501)
        with self.assertRefused(ValidationError, "at most 100"):
            self.customer.street = "路" * 101
        # partners of other apps keep Odoo's rules
        supplier = self.env["res.partner"].create(
            {"name": "供应商", "is_company": True, "street": "路" * 120}
        )
        self.assertEqual(len(supplier.street), 120)
