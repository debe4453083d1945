from datetime import date

from odoo.tests import tagged

from odoo.addons.crm_custom.tests.common import CrmCustomCommon


@tagged("post_install", "-at_install")
class TestFollowupReport(CrmCustomCommon):
    """C9 / R6: follow-ups counted per customer manager, period and
    channel; customer managers see their own rows only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"].with_context(
            res_partner_search_mode="customer"
        )
        ref = cls.env.ref
        cls.phone = ref("crm_custom.dictionary_followup_channel_phone")
        cls.visit = ref("crm_custom.dictionary_followup_channel_visit")
        cls.customer_1 = Partner.create(
            {
                "name": "Followup Report Customer One",
                "is_company": True,
                "user_id": cls.customer_manager.id,
            }
        )
        cls.customer_2 = Partner.create(
            {
                "name": "Followup Report Customer Two",
                "is_company": True,
                "user_id": cls.customer_manager_2.id,
            }
        )
        Interaction = cls.env["crm.interaction"]
        for user, customer, channel, day in (
            (cls.customer_manager, cls.customer_1, cls.phone, date(2026, 3, 2)),
            (cls.customer_manager, cls.customer_1, cls.phone, date(2026, 3, 9)),
            (cls.customer_manager, cls.customer_1, cls.visit, date(2026, 4, 1)),
            (cls.customer_manager_2, cls.customer_2, cls.phone, date(2026, 3, 3)),
        ):
            Interaction.create(
                {
                    "partner_id": customer.id,
                    "summary": "Follow-up",
                    "user_id": user.id,
                    "channel_id": channel.id,
                    "date": day,
                }
            )
        cls.domain = [("partner_id", "in", (cls.customer_1 | cls.customer_2).ids)]

    def test_c9_followups_per_manager_period_and_channel(self):
        groups = (
            self.env["crm.followup.report"]
            .with_user(self.sales_manager)
            ._read_group(
                self.domain,
                ["user_id", "date:month", "channel_id"],
                ["followup_count:sum"],
            )
        )
        counts = {
            (user.id, month.month, channel.id): count
            for user, month, channel, count in groups
        }
        self.assertEqual(
            counts,
            {
                (self.customer_manager.id, 3, self.phone.id): 2,
                (self.customer_manager.id, 4, self.visit.id): 1,
                (self.customer_manager_2.id, 3, self.phone.id): 1,
            },
        )

    def test_c9_customer_manager_sees_own_followups_only(self):
        rows = (
            self.env["crm.followup.report"]
            .with_user(self.customer_manager)
            .search(self.domain)
        )
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows.user_id, self.customer_manager)

    def test_c9_followup_report_reachable_from_analyses_menu(self):
        menu = self.env.ref("crm_custom_reports.menu_crm_followup_report")
        self.assertEqual(
            menu.parent_id, self.env.ref("crm_custom_reports.menu_crm_analyses")
        )
        self.assertEqual(
            menu.action, self.env.ref("crm_custom_reports.action_crm_followup_report")
        )
