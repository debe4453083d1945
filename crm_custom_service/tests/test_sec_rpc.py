"""sec_rpc for crm_custom_service: bypass attempts over HTTP JSON-RPC
(/web/dataset/call_kw) by a logged-in customer manager on services (S2-S5).
Each probe must be refused with an access or user error and leave the
database as it was. See crm_custom/tests/test_sec_rpc.py."""

from odoo.tests import tagged

from .common import ServiceRpcCommon


@tagged("post_install", "-at_install")
class TestSecRpc(ServiceRpcCommon):
    # ------------------------------------------------------------------
    # Manager-only actions (S2)
    # ------------------------------------------------------------------

    def test_sec_rpc_manager_only_actions(self):
        # Assigning services (S2).
        self._refused(
            "helpdesk.ticket",
            "action_assign",
            [self.service_own.ids, self.customer_manager.id],
            records=self.service_own,
            fnames=("user_id", "stage_id", "service_state"),
        )

    # ------------------------------------------------------------------
    # Services (S2-S5)
    # ------------------------------------------------------------------

    def test_sec_rpc_write_service_stage(self):
        service_fields = (
            "stage_id",
            "service_state",
            "user_id",
            "satisfaction",
            "date_assigned",
            "date_handled",
            "handling_note",
        )
        services = self.service_own | self.service_other | self.service_assigned
        stages = {
            state: self.env["helpdesk.ticket"]._get_service_stage(state)
            for state in ("assigned", "handled", "archived")
        }
        attempts = [
            (self.service_own, {"stage_id": stages["archived"].id}),
            (self.service_own, {"stage_id": stages["handled"].id}),
            (self.service_own, {"user_id": self.customer_manager.id}),
            (self.service_own, {"satisfaction": 5}),
            (self.service_own, {"date_assigned": "2024-01-01 00:00:00"}),
            (self.service_own, {"service_type_id": False}),
            (self.service_assigned, {"user_id": self.customer_manager.id}),
            (self.service_other, {"description": "<p>hijacked</p>"}),
        ]
        for service, vals in attempts:
            self._refused(
                "helpdesk.ticket",
                "write",
                [service.ids, vals],
                records=services,
                fnames=service_fields,
            )
        self._refused(
            "helpdesk.ticket",
            "action_handle",
            [self.service_assigned.ids, "Handled by someone else"],
            records=services,
            fnames=service_fields,
        )
        self._refused(
            "helpdesk.ticket",
            "create",
            [
                {
                    "name": "Sec pre-archived",
                    "service_type_id": self.service_type.id,
                    "partner_id": self.customer_own.id,
                    "stage_id": stages["archived"].id,
                }
            ],
        )
        self._refused(
            "helpdesk.ticket",
            "create",
            [
                {
                    "name": "Sec pre-assigned",
                    "service_type_id": self.service_type.id,
                    "partner_id": self.customer_own.id,
                    "user_id": self.customer_manager.id,
                }
            ],
        )
