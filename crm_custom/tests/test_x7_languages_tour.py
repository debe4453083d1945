from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestX7LanguagesTour(HttpCase):
    """X7: the same screen reads in Chinese for a user whose preference is
    简体中文 and in English once she switches (the suite's database has no
    zh_CN: the test loads it for the addon)."""

    def test_x7_tour_customer_pool_in_chinese_then_english(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "crm_custom")]
        )._update_translations(["zh_CN"])
        user = self.env.ref("crm_custom.user_customer_manager_1")
        user.lang = "zh_CN"
        # The web client's assets are built by the first page that needs
        # them: here, not within the tour's 10 s navigation on a busy machine.
        self.authenticate(user.login, user.login)
        self.url_open("/odoo", timeout=300)
        self.start_tour("/odoo", "crm_custom_x7_pool_zh_cn", login=user.login)
        user.lang = "en_US"  # Preferences > Language
        self.start_tour("/odoo", "crm_custom_x7_pool_en_us", login=user.login)
