from odoo import fields, models
from odoo.tools import SQL


class CrmFollowupReport(models.Model):
    """Follow-up statistics 跟进统计 (C9, R6): follow-up records per customer
    manager, period and channel 跟进方式. The customer manager of a row is
    the salesperson who logged the follow-up."""

    _name = "crm.followup.report"
    _inherit = ["crm.analysis.mixin"]
    _description = "Follow-up Statistics"
    _auto = False
    _rec_name = "partner_id"
    _order = "date desc, id desc"

    interaction_id = fields.Many2one(
        "crm.interaction", string="Follow-up", readonly=True
    )
    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Customer Manager", readonly=True)
    customer_user_id = fields.Many2one(
        "res.users", string="Current Customer Manager", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    channel_id = fields.Many2one(
        "crm.dictionary.item", string="Follow-up Channel", readonly=True
    )
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    followup_count = fields.Integer(string="Follow-ups", readonly=True)
    next_contact_count = fields.Integer(string="With Next Contact", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT i.id AS id,
                   i.id AS interaction_id,
                   i.date AS date,
                   i.user_id AS user_id,
                   p.user_id AS customer_user_id,
                   i.partner_id AS partner_id,
                   i.channel_id AS channel_id,
                   i.lead_id AS lead_id,
                   i.company_id AS company_id,
                   1 AS followup_count,
                   (i.next_contact_date IS NOT NULL)::int AS next_contact_count
              FROM crm_interaction i
              JOIN res_partner p ON p.id = i.partner_id
            """
        )

    def _drilldown_action(self):
        return self.partner_id._crm_reports_open_customers()
