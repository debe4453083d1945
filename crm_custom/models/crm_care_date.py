import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

DEFAULT_REMINDER_DAYS = 3
PARAM_REMINDER_DAYS = "crm_custom.care_reminder_days"


def next_occurrence(date, today):
    """The next anniversary of ``date`` from ``today`` on (today included);
    29 February falls on 28 February in other years."""

    def in_year(year):
        try:
            return date.replace(year=year)
        except ValueError:
            return date.replace(year=year, day=28)

    occurrence = in_year(today.year)
    if occurrence < today:
        occurrence = in_year(today.year + 1)
    return occurrence


class CrmCareDate(models.Model):
    """A date that matters 关怀日期 for a customer or one of its contacts
    (company anniversary, wedding, ... : types of the data dictionary). The
    daily care reminders (C11) remind its customer manager before it, once a
    year when it recurs yearly, once otherwise. Contacts' birthdays live on
    the contact (birthdate_date) and are reminded the same way."""

    _name = "crm.care.date"
    _description = "Customer Care Date"
    _order = "date, id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer or Contact",
        required=True,
        ondelete="cascade",
        index=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Customer", store=True
    )
    date_type_id = fields.Many2one(
        "crm.dictionary.item",
        required=True,
        domain="[('category', '=', 'care_date_type')]",
        ondelete="restrict",
    )
    date = fields.Date(required=True)
    recurring = fields.Boolean(
        string="Every Year",
        default=True,
        help="Remind of this date every year (anniversaries), not just once.",
    )
    note = fields.Char()
    last_reminded_year = fields.Integer(
        readonly=True,
        copy=False,
        help="Technical: the year of the last occurrence reminded, so that a "
        "date is reminded once a year.",
    )
    company_id = fields.Many2one(
        related="partner_id.company_id", store=True, index="btree_not_null"
    )

    @api.constrains("date_type_id")
    def _check_date_type(self):
        for care_date in self:
            if care_date.date_type_id.category != "care_date_type":
                raise ValidationError(
                    self.env._(
                        "“%(item)s” is not a care date type.",
                        item=care_date.date_type_id.name,
                    )
                )

    @api.depends("date_type_id", "partner_id")
    def _compute_display_name(self):
        for care_date in self:
            care_date.display_name = (
                f"{care_date.date_type_id.name or ''}: "
                f"{care_date.partner_id.name or ''}"
            )

    # --- Reminders (C11) --------------------------------------------------

    @api.model
    def _care_reminder_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_REMINDER_DAYS)
        try:
            return max(0, min(int(value), 365)) if value else DEFAULT_REMINDER_DAYS
        except ValueError:
            return DEFAULT_REMINDER_DAYS

    @api.model
    def _care_window(self, today, days):
        """Month-day keys (MMDD) of the days from today to today + days."""
        keys = {
            (today + datetime.timedelta(days=offset)).strftime("%m%d")
            for offset in range(days + 1)
        }
        if "0228" in keys:
            # 29 February is reminded on 28 February in other years
            keys.add("0229")
        return tuple(sorted(keys))

    @api.model
    def _cron_care_reminders(self):
        """C11: a To-Do for the customer manager D days before a contact's
        birthday or a care date. Each occurrence is reminded once: the year
        reminded is kept, so that a rerun creates nothing."""
        today = fields.Date.context_today(self)
        days = self._care_reminder_days()
        window = self._care_window(today, days)
        last_day = today + datetime.timedelta(days=days)
        reminders = []
        reminders += self.env["res.partner"]._care_birthday_reminders(
            today, last_day, window
        )
        reminders += self._care_date_reminders(today, last_day, window)
        self._care_create_activities(reminders)
        return len(reminders)

    @api.model
    def _care_date_reminders(self, today, last_day, window):
        self.flush_model(["date", "recurring", "last_reminded_year", "partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT d.id FROM crm_care_date d
                  JOIN res_partner p ON p.id = d.partner_id AND p.active
                 WHERE (d.recurring AND d.date <= %(last_day)s
                        AND to_char(d.date, 'MMDD') IN %(window)s)
                    OR (NOT d.recurring AND d.date BETWEEN %(today)s AND %(last_day)s
                        AND d.last_reminded_year IS NULL)
                """,
                today=today,
                last_day=last_day,
                window=window,
            )
        )
        reminders = []
        for care_date in self.browse([row[0] for row in rows]):
            occurrence = (
                next_occurrence(care_date.date, today)
                if care_date.recurring
                else care_date.date
            )
            if occurrence > last_day or care_date.last_reminded_year >= occurrence.year:
                continue
            partner = care_date.partner_id
            reminders.append(
                {
                    "record": care_date,
                    "year": occurrence.year,
                    "partner": partner,
                    "date": occurrence,
                    "summary": self.env._(
                        "%(type)s of %(partner)s",
                        type=care_date.date_type_id.name,
                        partner=partner.display_name,
                    ),
                    "note": care_date.note or "",
                }
            )
        return reminders

    @api.model
    def _care_create_activities(self, reminders):
        """One activity per reminder for the owner of the partner, in one
        create; then the reminded year, one write per year."""
        activity_type = self.env.ref(
            "crm_custom.mail_activity_type_customer_care", raise_if_not_found=False
        )
        partner_model = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        done = {}
        for reminder in reminders:
            partner = reminder["partner"]
            owner = partner.user_id or partner.commercial_partner_id.user_id
            record = reminder["record"]
            done.setdefault((record._name, reminder["year"]), set()).add(record.id)
            if not owner:
                continue
            vals_list.append(
                {
                    "res_model_id": partner_model,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "summary": reminder["summary"],
                    "note": reminder["note"],
                    "date_deadline": reminder["date"],
                    "user_id": owner.id,
                }
            )
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)
        for (model, year), ids in done.items():
            field = (
                "care_birthday_reminded_year"
                if model == "res.partner"
                else "last_reminded_year"
            )
            self.env[model].sudo().browse(sorted(ids)).write({field: year})

    @api.model
    def _care_plan_followups(self, followups):
        """回访: a follow-up visit activity for the owner of each customer,
        ``followups`` being (customer, days, summary, fallback user)."""
        activity_type = self.env.ref(
            "crm_custom.mail_activity_type_care_followup", raise_if_not_found=False
        )
        partner_model = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        vals_list = []
        for customer, days, summary, fallback_user in followups:
            owner = customer.user_id or fallback_user
            if not owner:
                continue
            vals_list.append(
                {
                    "res_model_id": partner_model,
                    "res_id": customer.id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "summary": summary,
                    "date_deadline": today + datetime.timedelta(days=days),
                    "user_id": owner.id,
                }
            )
        return self.env["mail.activity"].sudo().create(vals_list)

    @api.model
    def _care_followup_days(self, kind):
        """Days after a service archived (``service``) or an order delivered
        (``delivery``) to plan the follow-up visit; None when switched off."""
        params = self.env["ir.config_parameter"].sudo()
        if not params.get_param(f"crm_custom.care_followup_{kind}"):
            return None
        try:
            return max(
                0, int(params.get_param(f"crm_custom.care_followup_{kind}_days") or 7)
            )
        except ValueError:
            return 7
