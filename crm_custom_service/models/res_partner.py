from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_count = fields.Integer(
        string="Services",
        compute="_compute_service_count",
        help="Customer services 客户服务 requested by this customer (C7).",
    )

    def _compute_service_count(self):
        customers = self.commercial_partner_id
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [
                    ("service_type_id", "!=", False),
                    ("commercial_partner_id", "in", customers.ids),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.service_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_services(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom_service.action_crm_services"
        )
        customer = self.commercial_partner_id
        action["domain"] = [
            ("service_type_id", "!=", False),
            ("commercial_partner_id", "=", customer.id),
        ]
        action["context"] = {
            "crm_service_view": True,
            "default_partner_id": self.id,
        }
        return action
