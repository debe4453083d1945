from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_custom_service.models.helpdesk_ticket_stage import SERVICE_STATES


class CrmCustomerServiceReport(models.Model):
    """R3 客户服务分析: customer services (helpdesk tickets with a service
    type) by type and period, with their handling and satisfaction. One row
    per service; the period is the day the customer asked for it."""

    _name = "crm.customer.service.report"
    _inherit = ["crm.analysis.mixin"]
    _description = "Customer Service Analysis"
    _auto = False
    _rec_name = "ticket_id"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one("helpdesk.ticket", string="Service", readonly=True)
    service_type_id = fields.Many2one("crm.dictionary.item", readonly=True)
    date = fields.Date(string="Requested On", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    customer_manager_id = fields.Many2one("res.users", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned To", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    service_state = fields.Selection(
        SERVICE_STATES, string="Service Step", readonly=True
    )
    service_count = fields.Integer(string="Services", readonly=True)
    handled_count = fields.Integer(
        string="Handled", readonly=True, help="Services handled at least once."
    )
    satisfaction = fields.Float(
        string="Average Satisfaction",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Average of the customers' feedback (1 to 5), rated services only.",
    )
    handling_hours = fields.Float(
        string="Average Hours to Handle",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Hours from the request to the handling, handled services only.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.service_type_id AS service_type_id,
                   COALESCE(t.date_requested, t.create_date)::date AS date,
                   COALESCE(t.commercial_partner_id, t.partner_id) AS partner_id,
                   cp.user_id AS customer_manager_id,
                   t.user_id AS user_id,
                   t.team_id AS team_id,
                   t.company_id AS company_id,
                   t.service_state AS service_state,
                   1 AS service_count,
                   CASE WHEN t.date_handled IS NOT NULL THEN 1 ELSE 0 END
                       AS handled_count,
                   NULLIF(t.satisfaction, 0)::float AS satisfaction,
                   EXTRACT(EPOCH FROM t.date_handled
                       - COALESCE(t.date_requested, t.create_date)) / 3600.0
                       AS handling_hours
              FROM helpdesk_ticket t
              LEFT JOIN res_partner cp
                     ON cp.id = COALESCE(t.commercial_partner_id, t.partner_id)
             WHERE t.service_type_id IS NOT NULL
            """
        )

    def _drilldown_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom_service.action_crm_services"
        )
        action.update(
            {
                "domain": [("id", "in", self.ticket_id.ids)],
                "context": {"create": False},
            }
        )
        return action
