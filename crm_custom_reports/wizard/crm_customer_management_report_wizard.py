from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


def _previous_month_start(wizard):
    today = fields.Date.context_today(wizard)
    return today.replace(day=1) - relativedelta(months=1)


def _previous_month_end(wizard):
    return fields.Date.context_today(wizard).replace(day=1) - relativedelta(days=1)


class CrmCustomerManagementReportWizard(models.TransientModel):
    """Choose the period of the customer management report 客户管理报告."""

    _name = "crm.customer.management.report.wizard"
    _description = "Customer Management Report Period"

    date_from = fields.Date(string="From", required=True, default=_previous_month_start)
    date_to = fields.Date(string="To", required=True, default=_previous_month_end)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._(
                        "The period of the customer management report must "
                        "start before it ends."
                    )
                )

    def action_print(self):
        self.ensure_one()
        return self.env.ref(
            "crm_custom_reports.action_report_customer_management"
        ).report_action(
            self,
            data={
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
            },
        )
