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

    # --- China-ready customer data (C10) and customer care (C11) -----------
    crm_customer_code_prefix = fields.Char(
        string="Customer Code Prefix",
        compute="_compute_crm_customer_code_prefix",
        readonly=False,
        help="Prefix of new customer codes 客户编码 (e.g. KH gives "
        "KH000001); %(year)s puts the year in.",
    )
    crm_care_reminder_days = fields.Integer(
        string="Care Reminder Days",
        config_parameter="crm_custom.care_reminder_days",
        default=3,
        help="Remind the customer manager this many days before a contact's "
        "birthday or another date that matters.",
    )
    crm_care_followup_service = fields.Boolean(
        string="Follow-up after Services",
        config_parameter="crm_custom.care_followup_service",
    )
    crm_care_followup_service_days = fields.Integer(
        string="Days after a Service Is Archived",
        config_parameter="crm_custom.care_followup_service_days",
        default=7,
    )
    crm_care_followup_delivery = fields.Boolean(
        string="Follow-up after Deliveries",
        config_parameter="crm_custom.care_followup_delivery",
    )
    crm_care_followup_delivery_days = fields.Integer(
        string="Days after an Order Is Delivered",
        config_parameter="crm_custom.care_followup_delivery_days",
        default=7,
    )

    def _crm_customer_code_sequence(self):
        return self.env.ref(
            "crm_custom.seq_crm_customer_code", raise_if_not_found=False
        )

    def _compute_crm_customer_code_prefix(self):
        sequence = self._crm_customer_code_sequence()
        for settings in self:
            settings.crm_customer_code_prefix = (
                sequence.sudo().prefix if sequence else ""
            )

    def set_values(self):
        res = super().set_values()
        sequence = self._crm_customer_code_sequence()
        if sequence and (sequence.prefix or "") != (
            self.crm_customer_code_prefix or ""
        ):
            sequence.sudo().prefix = self.crm_customer_code_prefix
        return res
