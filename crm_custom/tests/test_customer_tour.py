from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCustomerTour(HttpCase):
    def test_c1_c2_c3_tour_customer_with_contact_and_interaction(self):
        self.start_tour("/odoo", "crm_custom_customer_data", login="customer_manager_1")
        customer = self.env["res.partner"].search(
            [("name", "=", "华东测试机械有限公司")]
        )
        self.assertEqual(len(customer), 1)
        manager = self.env.ref("crm_custom.user_customer_manager_1")
        self.assertRecordValues(
            customer,
            [
                {
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": manager.id,
                    "zip": "200120",
                    "customer_source_id": self.env.ref(
                        "crm_custom.dictionary_customer_source_telemarketing"
                    ).id,
                }
            ],
        )
        self.assertRecordValues(
            customer.child_ids,
            [
                {
                    "name": "陈立明",
                    "type": "contact",
                    "gender": "male",
                    "function": "采购经理",
                    "phone": "021-58881234",
                }
            ],
        )
        self.assertRecordValues(
            customer.interaction_ids,
            [
                {
                    "summary": "首次拜访,了解采购需求",
                    "place": "客户会议室",
                    "user_id": manager.id,
                }
            ],
        )
