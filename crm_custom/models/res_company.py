from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # --- Churn 客户流失 (W1): settings of the churn warning scheduled action ---
    churn_threshold_months = fields.Integer(
        string="Churn Threshold (Months)",
        default=6,
        help="A customer without any confirmed order for more than this many "
        "months gets a churn warning.",
    )
    churn_cycle_rule = fields.Boolean(
        string="Buying-Cycle Warnings",
        default=True,
        help="Also warn a customer that is overdue against its own buying "
        "cycle (the median number of days between its orders), long before "
        "the churn threshold.",
    )
    churn_cycle_factor = fields.Float(
        string="Buying-Cycle Factor",
        default=3.0,
        digits=(16, 1),
        help="Warn when the days since the last order exceed this factor "
        "times the customer's usual interval between orders.",
    )
    churn_cycle_min_orders = fields.Integer(
        string="Minimum Orders to Judge",
        default=4,
        help="The buying-cycle rule only judges customers with at least this "
        "many orders (orders confirmed on the same day count once).",
    )

    @api.constrains(
        "churn_threshold_months", "churn_cycle_factor", "churn_cycle_min_orders"
    )
    def _check_churn_settings(self):
        for company in self:
            if company.churn_threshold_months < 1:
                raise ValidationError(
                    self.env._("The churn threshold must be at least one month.")
                )
            if company.churn_cycle_factor < 1:
                raise ValidationError(
                    self.env._("The buying-cycle factor must be at least 1.")
                )
            if company.churn_cycle_min_orders < 3:
                raise ValidationError(
                    self.env._(
                        "The buying-cycle rule needs at least 3 orders to "
                        "judge a customer."
                    )
                )
