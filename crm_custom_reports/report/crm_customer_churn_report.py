from odoo import fields, models
from odoo.tools import SQL


class CrmCustomerChurnReport(models.Model):
    """R4 客户流失分析: the confirmed losses 确认流失 of churn warnings, with
    the customer manager who handled the warning, the last order date, the
    confirmation date and the reason. One row per confirmed warning."""

    _name = "crm.customer.churn.report"
    _inherit = ["crm.analysis.mixin"]
    _description = "Customer Churn Analysis"
    _auto = False
    _rec_name = "partner_id"
    _order = "date_confirmed desc, id desc"

    warning_id = fields.Many2one(
        "crm.churn.warning", string="Churn Warning", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Customer Manager", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    customer_level_id = fields.Many2one("crm.dictionary.item", readonly=True)
    region_id = fields.Many2one("crm.dictionary.item", readonly=True)
    last_order_date = fields.Date(readonly=True)
    date_confirmed = fields.Date(string="Loss Confirmed On", readonly=True)
    lost_reason = fields.Text(string="Reason of Loss", readonly=True)
    lost_count = fields.Integer(string="Lost Customers", readonly=True)
    days_to_confirm = fields.Float(
        string="Days from Last Order to Loss",
        readonly=True,
        aggregator="avg",
        digits=(16, 0),
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT w.id AS id,
                   w.id AS warning_id,
                   w.partner_id AS partner_id,
                   w.user_id AS user_id,
                   w.company_id AS company_id,
                   p.customer_level_id AS customer_level_id,
                   p.region_id AS region_id,
                   w.last_order_date AS last_order_date,
                   w.date_confirmed AS date_confirmed,
                   w.lost_reason AS lost_reason,
                   1 AS lost_count,
                   (w.date_confirmed - w.last_order_date)::float AS days_to_confirm
              FROM crm_churn_warning w
              LEFT JOIN res_partner p ON p.id = w.partner_id
             WHERE w.state = 'confirmed'
            """
        )

    def _drilldown_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_churn_warning"
        )
        action.update(
            {
                "domain": [("id", "in", self.warning_id.ids)],
                "context": {"create": False},
            }
        )
        return action
