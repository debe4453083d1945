# Its own file by concern (house style: models/<model>_<concern>.py).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.tools import SQL

from .crm_care_date import next_occurrence


class ResPartner(models.Model):
    """Customer care 客户关怀 (C11): contacts' birthdays (OCA
    partner_contact_birthdate's ``birthdate_date``) and the other dates that
    matter, reminded to the customer manager by the daily care reminders."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    birthdate_date = fields.Date(string="Birthday")
    care_date_ids = fields.One2many(
        "crm.care.date", "partner_id", string="Dates That Matter"
    )
    birthday_month = fields.Integer(
        compute="_compute_birthday_month",
        store=True,
        index="btree_not_null",
        help="Technical: month of the birthday, for the Birthdays This Month "
        "filter.",
    )
    care_birthday_reminded_year = fields.Integer(
        readonly=True,
        copy=False,
        help="Technical: the year of the last birthday reminded, so that a "
        "birthday is reminded once a year.",
    )

    @api.depends("birthdate_date")
    def _compute_birthday_month(self):
        for partner in self:
            partner.birthday_month = (
                partner.birthdate_date.month if partner.birthdate_date else 0
            )

    @api.model
    def _care_birthday_reminders(self, today, last_day, window):
        """Birthdays between today and ``last_day`` of the people of CRM
        customers that were not reminded this year yet."""
        self.flush_model(
            [
                "birthdate_date",
                "active",
                "commercial_partner_id",
                "is_company",
                "customer_rank",
            ]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id FROM res_partner p
                  JOIN res_partner c ON c.id = p.commercial_partner_id
                 WHERE p.active AND p.birthdate_date IS NOT NULL
                   AND to_char(p.birthdate_date, 'MMDD') IN %(window)s
                   AND c.is_company AND c.customer_rank > 0
                """,
                window=window,
            )
        )
        reminders = []
        for partner in self.browse([row[0] for row in rows]):
            occurrence = next_occurrence(partner.birthdate_date, today)
            if (
                occurrence > last_day
                or partner.care_birthday_reminded_year >= occurrence.year
            ):
                continue
            reminders.append(
                {
                    "record": partner,
                    "year": occurrence.year,
                    "partner": partner,
                    "date": occurrence,
                    "summary": self.env._(
                        "Birthday of %(partner)s", partner=partner.display_name
                    ),
                    "note": "",
                }
            )
        return reminders
