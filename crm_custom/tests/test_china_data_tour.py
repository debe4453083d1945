from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestChinaDataTour(HttpCase):
    def test_c10_tour_province_then_city_in_chinese(self):
        """A customer manager working in 简体中文 picks the province, then a
        city of that province, on a new customer."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_custom"], ["zh_CN"])
        manager = new_test_user(
            self.env,
            login="tour_china_manager",
            name="华东客户经理",
            groups="base.group_user,crm_custom.group_customer_manager",
            lang="zh_CN",
        )
        self.start_tour("/odoo", "crm_custom_china_address", login=manager.login)
        customer = self.env["res.partner"].search(
            [("name", "=", "苏州吴中精密机械有限公司")]
        )
        self.assertRecordValues(
            customer,
            [
                {
                    "user_id": manager.id,
                    "country_id": self.env.ref("base.cn").id,
                    "state_id": self.env.ref("base.state_cn_JS").id,
                    "city_id": self.env.ref("l10n_cn_city.china_city_215100").id,
                    "city": "苏州市吴中区",
                    "zip": "215100",
                    "region_id": self.env.ref("crm_custom.dictionary_region_east").id,
                }
            ],
        )
        self.assertRegex(customer.customer_code, r"^KH\d{6}$")
