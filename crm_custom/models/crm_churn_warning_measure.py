from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class CrmChurnWarningMeasure(models.Model):
    """Retention measure 暂缓措施 taken on a churn warning, with the
    customer's response (W2)."""

    _name = "crm.churn.warning.measure"
    _description = "Churn Retention Measure"
    _order = "date desc, id desc"
    _rec_name = "measure"

    warning_id = fields.Many2one(
        "crm.churn.warning",
        string="Churn Warning",
        required=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(related="warning_id.partner_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    measure = fields.Text(required=True)
    customer_response = fields.Text()
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        default=lambda self: self.env.user,
        readonly=True,
    )

    def _check_warning_active(self):
        for record in self:
            if record.warning_id.state not in ("open", "postponed"):
                raise UserError(
                    self.env._(
                        "The churn warning of %s is closed: its retention "
                        "measures can no longer change.",
                        record.warning_id.partner_id.display_name,
                    )
                )

    def _log_on_warning(self, title):
        for record in self:
            record.warning_id.message_post(
                body=Markup("<p><b>%s</b></p><p>%s: %s</p><p>%s: %s</p>")
                % (
                    title,
                    format_date(record.env, record.date),
                    record.measure,
                    self.env._("Customer response"),
                    record.customer_response or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._check_warning_active()
        records._log_on_warning(self.env._("Retention measure recorded"))
        return records

    def write(self, vals):
        self._check_warning_active()
        result = super().write(vals)
        self._check_warning_active()
        if {"date", "measure", "customer_response"} & set(vals):
            self._log_on_warning(self.env._("Retention measure updated"))
        return result

    def unlink(self):
        self._check_warning_active()
        postponed = self.warning_id.filtered(lambda w: w.state == "postponed")
        for warning in postponed:
            if not warning.measure_ids - self:
                raise UserError(
                    self.env._(
                        "A postponed churn warning keeps at least one "
                        "retention measure (%s).",
                        warning.partner_id.display_name,
                    )
                )
        return super().unlink()
