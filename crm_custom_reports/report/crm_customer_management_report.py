import base64
import logging
from datetime import date

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

_logger = logging.getLogger(__name__)

PERIOD_PARAM = "crm_custom_reports.management_report_period"
LAST_SENT_PARAM = "crm_custom_reports.management_report_last_period"
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
TOP_CUSTOMERS = 20


class CrmCustomerManagementReport(models.AbstractModel):
    """客户管理报告: the customer management report of a period gathering the
    four analyses of the JB-RM-CRM specification (contribution, composition,
    services, churn) as a PDF. Read with the rights of whoever prints it;
    the monthly scheduled action sends it to the executives."""

    _name = "report.crm_custom_reports.report_customer_management"
    _description = "Customer Management Report"

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    @api.model
    def _get_period(self, data):
        try:
            date_from = fields.Date.to_date(data["date_from"])
            date_to = fields.Date.to_date(data["date_to"])
        except (KeyError, TypeError, ValueError) as error:
            raise UserError(
                self.env._("Choose the period of the customer management report.")
            ) from error
        if not date_from or not date_to or date_from > date_to:
            raise UserError(
                self.env._(
                    "The period of the customer management report must start "
                    "before it ends."
                )
            )
        return date_from, date_to

    @api.model
    def _contribution_figures(self, date_from, date_to):
        """R1: the largest customers of the period. Contributions are
        monthly: the months that start within the period count."""
        Contribution = self.env["crm.customer.contribution.report"]
        domain = [
            ("date", ">=", date_from.replace(day=1)),
            ("date", "<=", date_to),
        ]
        top = Contribution._read_group(
            domain,
            ["partner_id", "user_id"],
            ["order_count:sum", "amount:sum"],
            order="amount:sum desc, partner_id",
            limit=TOP_CUSTOMERS,
        )
        [(customer_count, order_count, amount)] = Contribution._read_group(
            domain, [], ["partner_id:count_distinct", "order_count:sum", "amount:sum"]
        )
        return {
            "top": [
                {
                    "partner": partner,
                    "user": user,
                    "order_count": orders,
                    "amount": total,
                    "share": total * 100.0 / amount if amount else 0.0,
                }
                for partner, user, orders, total in top
            ],
            "customer_count": customer_count,
            "order_count": order_count or 0,
            "amount": amount or 0.0,
        }

    @api.model
    def _composition_figures(self):
        """R2: the customers today by level, credit rating and satisfaction."""
        Composition = self.env["crm.customer.composition.report"]
        selections = {
            fname: dict(Composition._fields[fname]._description_selection(self.env))
            for fname in ("credit_rating", "satisfaction")
        }
        tables = []
        for fname, title in (
            ("customer_level_id", self.env._("By Customer Level")),
            ("credit_rating", self.env._("By Credit Rating")),
            ("satisfaction", self.env._("By Satisfaction")),
        ):
            rows = Composition._read_group(
                [], [fname], ["__count", "share:sum"], order=fname
            )
            lines = []
            for value, count, share in rows:
                if fname in selections:
                    label = selections[fname].get(value, value)
                else:
                    label = value.display_name if value else self.env._("Not Set")
                lines.append({"label": label, "count": count, "share": share or 0.0})
            tables.append({"title": title, "lines": lines})
        [(total,)] = Composition._read_group([], [], ["__count"])
        return {"tables": tables, "total": total}

    @api.model
    def _service_figures(self, date_from, date_to):
        """R3: the services asked for in the period, by type."""
        Service = self.env["crm.customer.service.report"]
        domain = [("date", ">=", date_from), ("date", "<=", date_to)]
        rows = Service._read_group(
            domain,
            ["service_type_id"],
            ["service_count:sum", "handled_count:sum", "satisfaction:avg"],
            order="service_type_id",
        )
        return {
            "lines": [
                {
                    "type": service_type,
                    "count": count,
                    "handled": handled,
                    "satisfaction": satisfaction,
                }
                for service_type, count, handled, satisfaction in rows
            ],
            "total": sum(row[1] for row in rows),
        }

    @api.model
    def _churn_figures(self, date_from, date_to):
        """R4: the losses confirmed in the period."""
        losses = self.env["crm.customer.churn.report"].search(
            [("date_confirmed", ">=", date_from), ("date_confirmed", "<=", date_to)],
            order="date_confirmed, id",
        )
        return {"losses": losses, "total": len(losses)}

    @api.model
    def _target_figures(self, date_from, date_to):
        """R8: the targets whose period lies within the report's period,
        against actual."""
        Targets = self.env["crm.sales.target.report"]
        if not Targets.has_access("read"):
            return {
                "targets": Targets,
                "amount_target": 0.0,
                "amount_actual": 0.0,
                "rate": None,
            }
        domain = [("date", ">=", date_from), ("date", "<=", date_to)]
        targets = Targets.search(domain, order="date, period_type, id").filtered(
            lambda row: row.target_id.date_end <= date_to
        )
        amount_target = sum(targets.mapped("amount_target"))
        amount_actual = sum(targets.mapped("amount_actual"))
        return {
            "targets": targets,
            "amount_target": amount_target,
            "amount_actual": amount_actual,
            "rate": amount_actual * 100.0 / amount_target if amount_target else None,
        }

    @api.model
    def _rate_figures(self, date_from, date_to):
        """R9: churn rate, repeat-buyer ratio and new customers of each
        month of the period (sales managers and executives)."""
        Rates = self.env["crm.customer.rate.report"]
        if not Rates.has_access("read"):
            return {"months": Rates}
        months = Rates.search(
            [
                ("period_type", "=", "month"),
                ("company_id", "=", self.env.company.id),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            order="date",
        )
        return {"months": months}

    @api.model
    def _get_report_values(self, docids, data=None):
        date_from, date_to = self._get_period(data or {})
        company = self.env.company
        return {
            "doc_ids": docids,
            "doc_model": "res.company",
            "docs": company,
            "company": company,
            "currency": company.currency_id,
            "date_from": date_from,
            "date_to": date_to,
            "period_label": self.env._(
                "%(date_from)s to %(date_to)s",
                date_from=format_date(self.env, date_from),
                date_to=format_date(self.env, date_to),
            ),
            "printed_on": fields.Datetime.now(),
            "contribution": self._contribution_figures(date_from, date_to),
            "composition": self._composition_figures(),
            "services": self._service_figures(date_from, date_to),
            "churn": self._churn_figures(date_from, date_to),
            "targets": self._target_figures(date_from, date_to),
            "rates": self._rate_figures(date_from, date_to),
        }

    # ------------------------------------------------------------------
    # Scheduled sending (R7)
    # ------------------------------------------------------------------

    @api.model
    def _last_completed_period(self, today=None):
        """The last whole month, quarter or year (setting) before today."""
        period = (
            self.env["ir.config_parameter"].sudo().get_param(PERIOD_PARAM) or "month"
        )
        months = PERIOD_MONTHS.get(period, 1)
        today = today or fields.Date.context_today(self)
        # Periods are aligned on the calendar: quarters start in January,
        # April, July and October.
        start_month = ((today.month - 1) // months) * months + 1
        current_start = date(today.year, start_month, 1)
        date_from = current_start - relativedelta(months=months)
        return date_from, current_start - relativedelta(days=1)

    @api.model
    def _render_pdf(self, date_from, date_to):
        report = self.env.ref("crm_custom_reports.action_report_customer_management")
        data = {
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
        }
        pdf, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            report, data=data
        )
        return pdf

    @api.model
    def _cron_send_management_report(self):
        """Email the customer management report of the last completed
        period to the executives, once per period: reruns do nothing."""
        params = self.env["ir.config_parameter"].sudo()
        date_from, date_to = self._last_completed_period()
        period_key = f"{date_from}/{date_to}"
        if params.get_param(LAST_SENT_PARAM) == period_key:
            return self.env["mail.mail"]
        executives = (
            self.env.ref("crm_custom.group_executive")
            .sudo()
            .users.filtered(lambda user: user.active and user.email)
        )
        if not executives:
            _logger.info("Customer management report: no executive with an email")
            return self.env["mail.mail"]
        mails = self.env["mail.mail"]
        # One mail per language, the report rendered in that language.
        for lang in set(executives.mapped("lang")):
            recipients = executives.filtered(lambda user, lang=lang: user.lang == lang)
            mails |= self.with_context(lang=lang)._queue_management_report(
                date_from, date_to, recipients.partner_id
            )
        params.set_param(LAST_SENT_PARAM, period_key)
        return mails

    @api.model
    def _queue_management_report(self, date_from, date_to, partners):
        company = self.env.company
        period = self.env._(
            "%(date_from)s to %(date_to)s",
            date_from=fields.Date.to_string(date_from),
            date_to=fields.Date.to_string(date_to),
        )
        pdf = self._render_pdf(date_from, date_to)
        filename = self.env._(
            "Customer Management Report %(date_from)s %(date_to)s",
            date_from=fields.Date.to_string(date_from),
            date_to=fields.Date.to_string(date_to),
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{filename}.pdf",
                "datas": base64.b64encode(pdf),
                "mimetype": "application/pdf",
                "res_model": "mail.mail",
            }
        )
        subject = self.env._("Customer Management Report: %s", period)
        body = Markup("<p>%s</p><p>%s</p><p>%s</p>") % (
            self.env._("Hello,"),
            self.env._(
                "Please find attached the customer management report of "
                "%(company)s for %(period)s: customer contribution, "
                "composition, services and churn.",
                company=company.name,
                period=period,
            ),
            self.env._("The analyses can be explored in the Customer Analyses app."),
        )
        mail = self.env["mail.mail"].create(
            {
                "subject": subject,
                "body_html": body,
                "email_from": company.partner_id.email_formatted
                or self.env.user.email_formatted,
                "recipient_ids": [fields.Command.set(partners.ids)],
                "attachment_ids": [fields.Command.set(attachment.ids)],
                "auto_delete": False,
            }
        )
        attachment.res_id = mail.id
        return mail
