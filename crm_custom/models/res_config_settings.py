from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # --- Churn 客户流失 (W1) ------------------------------------------------
    churn_threshold_months = fields.Integer(
        related="company_id.churn_threshold_months", readonly=False
    )
    churn_cycle_rule = fields.Boolean(
        related="company_id.churn_cycle_rule", readonly=False
    )
    churn_cycle_factor = fields.Float(
        related="company_id.churn_cycle_factor", readonly=False
    )
    churn_cycle_min_orders = fields.Integer(
        related="company_id.churn_cycle_min_orders", readonly=False
    )
