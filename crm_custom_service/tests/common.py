from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.crm_custom.tests.common import (
    CrmCustomCommon,
    SecRbacCommon,
    SecRpcCommon,
    SecurityCommon,
)


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


class ServiceSecurityCommon(SecurityCommon):
    """crm_custom's security fixture with services: a service desk both
    customer managers work in and a service builder."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Ticket = env["helpdesk.ticket"]
        # Both customer managers work in the services team, as in real life:
        # team membership must not open other managers' services.
        cls.service_team = env["helpdesk.ticket.team"].create(
            {
                "name": "Sec Service Desk",
                "user_ids": [
                    Command.set(
                        [
                            cls.customer_manager.id,
                            cls.customer_manager_2.id,
                            cls.sales_manager.id,
                        ]
                    )
                ],
            }
        )
        cls.service_type = env.ref("crm_custom_service.service_type_consultation")

    @classmethod
    def _service(cls, creator, customer, **vals):
        return (
            cls.env["helpdesk.ticket"]
            .with_user(creator)
            .create(
                {
                    "name": "Sec printer out of order",
                    "description": "<p>The office printer does not print.</p>",
                    "service_type_id": cls.service_type.id,
                    "partner_id": customer.id,
                    "team_id": cls.service_team.id,
                    **vals,
                }
            )
            .with_env(cls.env)
        )


class ServiceRbacCommon(SecRbacCommon, ServiceSecurityCommon):
    """The rights matrix of sec_rbac with services, stages and teams."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Report rows of services on both sides.
        cls._service(cls.customer_manager, cls.customer_own)
        cls._service(cls.customer_manager_2, cls.customer_other)
        cls.env.flush_all()  # the analyses are SQL views

    WRITE_VALS = {
        **SecRbacCommon.WRITE_VALS,
        "helpdesk.ticket": {"description": "<p>Checked</p>"},
        "helpdesk.ticket.stage": {"sequence": 99},
        "helpdesk.ticket.team": {"sequence": 99},
    }

    def _builders(self, scope):
        customer = self.customer_own if scope.startswith("own") else self.customer_other
        owner = self._owner(scope)
        return {
            **super()._builders(scope),
            "helpdesk.ticket": lambda scope, seq: self._service(owner, customer),
        }

    def _simple_vals(self, model, scope, seq):
        vals = {
            "helpdesk.ticket.stage": {"name": f"Sec stage {seq}"},
            "helpdesk.ticket.team": {"name": f"Sec team {seq}"},
        }.get(model)
        return vals if vals is not None else super()._simple_vals(model, scope, seq)

    def _create_vals(self, model, scope):
        seq = len(self.checks)
        customer = self.customer_own if scope.startswith("own") else self.customer_other
        vals = {
            "helpdesk.ticket": {
                "name": "Sec new service",
                "description": "<p>Help</p>",
                "service_type_id": self.service_type.id,
                "partner_id": customer.id,
            },
            "helpdesk.ticket.stage": {"name": f"Sec new stage {seq}"},
            "helpdesk.ticket.team": {"name": f"Sec new team {seq}"},
        }.get(model)
        return vals if vals is not None else super()._create_vals(model, scope)


class ServiceRpcCommon(SecRpcCommon, ServiceSecurityCommon):
    """The JSON-RPC probes of sec_rpc with services: the customer manager's
    own, another manager's, and his own customer's service assigned to
    another manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_own = cls._service(cls.customer_manager, cls.customer_own)
        cls.service_other = cls._service(cls.customer_manager_2, cls.customer_other)
        cls.service_assigned = cls._service(cls.customer_manager, cls.customer_own)
        cls.service_assigned.with_user(cls.sales_manager).action_assign(
            cls.customer_manager_2.id
        )
