from odoo.tests import new_test_user

from odoo.addons.crm_custom.tests.common import CrmCustomCommon


class ServiceCommon(CrmCustomCommon):
    """Two customers of two customer managers, a service provider and the
    seeded service types."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.type_consultation = cls.env.ref(
            "crm_custom_service.service_type_consultation"
        )
        cls.type_suggestion = cls.env.ref("crm_custom_service.service_type_suggestion")
        cls.type_complaint = cls.env.ref("crm_custom_service.service_type_complaint")
        cls.type_onsite = cls.env.ref("crm_custom_service.service_type_onsite")
        cls.stage_new = cls.env.ref("crm_custom_service.stage_service_new")
        cls.stage_assigned = cls.env.ref("crm_custom_service.stage_service_assigned")
        cls.stage_handled = cls.env.ref("crm_custom_service.stage_service_handled")
        cls.stage_archived = cls.env.ref("crm_custom_service.stage_service_archived")
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "Test Customer Machinery Co",
                "is_company": True,
                "user_id": cls.customer_manager.id,
            }
        )
        cls.customer_contact = Partner.create(
            {"name": "Test Customer Contact", "parent_id": cls.customer.id}
        )
        cls.customer_2 = Partner.create(
            {
                "name": "Test Customer Electronics Co",
                "is_company": True,
                "user_id": cls.customer_manager_2.id,
            }
        )
        cls.provider = Partner.create(
            {"name": "Test Repair Services Co", "is_company": True}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="test_service_portal",
            name="Test Portal Customer",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.customer

    @classmethod
    def _create_service(cls, user=None, service_type=None, customer=None, **values):
        vals = {
            "name": "Printer out of order",
            "description": "<p>The office printer does not print.</p>",
            "service_type_id": (service_type or cls.type_consultation).id,
            "partner_id": (customer or cls.customer).id,
        }
        vals.update(values)
        return cls.Ticket.with_user(user or cls.customer_manager).create(vals)

    def _assigned_service(self, assignee=None, **values):
        service = self._create_service(**values)
        service.with_user(self.sales_manager).action_assign(
            (assignee or self.customer_manager).id
        )
        return service

    def _handled_service(self, assignee=None, **values):
        assignee = assignee or self.customer_manager
        service = self._assigned_service(assignee=assignee, **values)
        service.with_user(assignee).action_handle("Replaced the toner cartridge.")
        return service
