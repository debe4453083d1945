from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPipelineTour(HttpCase):
    """O10 and O11 in the web client."""

    def test_o10_tour_customer_manager_drags_assigned_opportunity(self):
        manager = self.env.ref("crm_custom.user_customer_manager_1")
        stages = self.env["crm.stage"].search(
            [("team_id", "=", False)], order="sequence, id"
        )
        lead = (
            self.env["crm.lead"]
            .with_user(manager)
            .with_context(default_is_development=True)
            .create(
                {
                    "name": "Tour Drag Cabinets",
                    "partner_name": "Tour Drag Ltd",
                    "type": "opportunity",
                    "stage_id": stages[0].id,
                }
            )
        )
        lead.with_user(
            self.env.ref("crm_custom.user_sales_manager")
        )._assign_customer_manager(manager)
        self.start_tour("/odoo", "crm_custom_pipeline_drag", login="customer_manager_1")
        self.assertEqual(lead.stage_id, stages[1])
        self.assertEqual(lead.development_state, "in_development")

    def test_o11_tour_sales_manager_converts_a_lead(self):
        sales_manager = self.env.ref("crm_custom.user_sales_manager")
        sales_manager.groups_id += self.env.ref("crm.group_use_lead")
        lead = self.env["crm.lead"].create(
            {
                "name": "Tour Web Lead",
                "type": "lead",
                "partner_name": "Tour Converted Ltd",
                "contact_name": "Tour Buyer",
                "email_from": "tour.buyer@converted.example.com",
                "user_id": False,
            }
        )
        self.start_tour(
            f"/odoo/action-crm.crm_lead_all_leads/{lead.id}",
            "crm_custom_lead_convert",
            login="sales_manager",
        )
        self.assertRecordValues(
            lead,
            [
                {
                    "type": "opportunity",
                    "is_development": True,
                    "development_state": "in_development",
                    "user_id": self.env.ref("crm_custom.user_customer_manager_1").id,
                }
            ],
        )
        self.assertEqual(lead.partner_id.parent_id.name, "Tour Converted Ltd")
