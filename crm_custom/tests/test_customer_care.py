from datetime import date

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .test_customer_data import CustomerDataCommon


@tagged("post_install", "-at_install")
class TestCustomerCare(CustomerDataCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Care = cls.env["crm.care.date"]
        cls.care_activity_type = cls.env.ref(
            "crm_custom.mail_activity_type_customer_care"
        )
        cls.anniversary = cls.env.ref(
            "crm_custom.dictionary_care_date_type_company_anniversary"
        )
        cls.contact = cls.env["res.partner"].create(
            cls._contact_vals(cls, birthdate_date=date(1980, 3, 12))
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "crm_custom.care_reminder_days", 3
        )

    def _care_activities(self, partners=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", (partners or self.contact | self.customer).ids),
                ("activity_type_id", "=", self.care_activity_type.id),
            ]
        )

    def _run_cron(self, day):
        with freeze_time(day):
            return self.Care._cron_care_reminders()

    def test_c11_birthday_reminded_once_a_year(self):
        self._run_cron("2026-03-08")  # 4 days before: not yet
        self.assertFalse(self._care_activities())
        self._run_cron("2026-03-09")  # 3 days before
        activity = self._care_activities()
        self.assertRecordValues(
            activity,
            [
                {
                    "user_id": self.customer_manager.id,
                    "date_deadline": date(2026, 3, 12),
                    "res_id": self.contact.id,
                }
            ],
        )
        self.assertIn(self.contact.name, activity.summary)
        # reruns (the same day, the next days) create nothing
        self._run_cron("2026-03-09")
        self._run_cron("2026-03-11")
        self.assertEqual(self._care_activities(), activity)
        self.assertEqual(self.contact.care_birthday_reminded_year, 2026)
        # next year again, once
        self._run_cron("2027-03-10")
        self._run_cron("2027-03-11")
        self.assertEqual(len(self._care_activities()), 2)

    def test_c11_reminder_days_are_configurable(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.crm_care_reminder_days, 3)
        settings.crm_care_reminder_days = 10
        settings.execute()
        self._run_cron("2026-03-02")
        self.assertEqual(len(self._care_activities()), 1)

    def test_c11_reminders_reach_the_customer_manager_only_for_customers(self):
        supplier = self.env["res.partner"].create(
            {"name": "供应商", "is_company": True, "user_id": self.customer_manager.id}
        )
        supplier_contact = self.env["res.partner"].create(
            {
                "name": "供应商联系人",
                "parent_id": supplier.id,
                "birthdate_date": date(1985, 3, 12),
            }
        )
        self._run_cron("2026-03-10")
        self.assertEqual(len(self._care_activities()), 1)
        self.assertFalse(self._care_activities(supplier_contact))

    def test_c11_leap_day_birthday(self):
        self.contact.birthdate_date = date(1988, 2, 29)
        self._run_cron("2027-02-26")
        self.assertEqual(self._care_activities().date_deadline, date(2027, 2, 28))
        self._run_cron("2028-02-27")
        self.assertEqual(
            self._care_activities().mapped("date_deadline"),
            [date(2027, 2, 28), date(2028, 2, 29)],
        )

    def test_c11_dates_that_matter(self):
        founded = self.Care.create(
            {
                "partner_id": self.customer.id,
                "date_type_id": self.anniversary.id,
                "date": date(2001, 12, 31),
                "note": "送花篮",
            }
        )
        once = self.Care.create(
            {
                "partner_id": self.contact.id,
                "date_type_id": self.env.ref(
                    "crm_custom.dictionary_care_date_type_other"
                ).id,
                "date": date(2027, 1, 2),
                "recurring": False,
            }
        )
        # the window crosses the new year
        self._run_cron("2026-12-30")
        activities = self._care_activities()
        self.assertEqual(
            sorted(activities.mapped("date_deadline")),
            [date(2026, 12, 31), date(2027, 1, 2)],
        )
        self.assertEqual(
            (founded.last_reminded_year, once.last_reminded_year), (2026, 2027)
        )
        self._run_cron("2026-12-31")
        self._run_cron("2027-01-01")
        self.assertEqual(self._care_activities(), activities)
        # a yearly date again next year, a one-off date never again
        self._run_cron("2027-12-29")
        self.assertEqual(len(self._care_activities()), 3)

    def test_c11_care_dates_of_other_managers_customers_are_hidden(self):
        other_contact = self.env["res.partner"].create(
            dict(self._contact_vals(), parent_id=self.other_customer.id)
        )
        care_date = self.Care.create(
            {
                "partner_id": other_contact.id,
                "date_type_id": self.anniversary.id,
                "date": date(2010, 6, 1),
            }
        )
        as_manager = self.Care.with_user(self.customer_manager)
        self.assertFalse(as_manager.search([("id", "=", care_date.id)]))
        with self.assertRaises(AccessError):
            as_manager.browse(care_date.id).write({"note": "x"})
        mine = as_manager.create(
            {
                "partner_id": self.contact.id,
                "date_type_id": self.anniversary.id,
                "date": date(2012, 8, 8),
            }
        )
        self.assertEqual(mine.commercial_partner_id, self.customer)

    def test_c11_birthdays_this_month_filter(self):
        self.contact.birthdate_date = date(1980, 3, 12)
        with freeze_time("2026-03-20"):
            view = self.env.ref("crm_custom.view_partner_search_crm_contact")
            arch = self.env["res.partner"].get_view(view.id, "search")["arch"]
            self.assertIn('name="birthdays_this_month"', arch)
            found = self.env["res.partner"].search(
                [("birthday_month", "=", date.today().month)]
            )
        self.assertIn(self.contact, found)
        self.contact.birthdate_date = date(1980, 4, 12)
        self.assertNotIn(
            self.contact, self.env["res.partner"].search([("birthday_month", "=", 3)])
        )

    def test_c11_followup_after_delivery(self):
        product = self.env["product.product"].create(
            {"name": "Care Test Valve", "type": "consu", "is_storable": True}
        )
        self.env["stock.quant"]._update_available_quantity(
            product,
            self.env.ref("stock.warehouse0").lot_stock_id,
            10,
        )

        def deliver():
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.contact.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": 1})
                    ],
                }
            )
            order.action_confirm()
            picking = order.picking_ids
            picking.move_ids.quantity = 1
            picking.move_ids.picked = True
            picking.button_validate()
            self.assertEqual(order.delivery_status, "full")
            return order

        followup_type = self.env.ref("crm_custom.mail_activity_type_care_followup")
        followups = self.env["mail.activity"].search_count
        domain = [
            ("activity_type_id", "=", followup_type.id),
            ("res_id", "=", self.customer.id),
            ("res_model", "=", "res.partner"),
        ]
        deliver()  # off by default
        self.assertEqual(followups(domain), 0)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_custom.care_followup_delivery", True)
        params.set_param("crm_custom.care_followup_delivery_days", 5)
        order = deliver()
        activity = self.env["mail.activity"].search(domain)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.customer_manager)
        self.assertIn(order.name, activity.summary)
        # The day of the environment that delivered (its time zone), not
        # the server's: they differ for an hour or more around midnight.
        today = fields.Date.context_today(activity)
        self.assertEqual((activity.date_deadline - today).days, 5)
