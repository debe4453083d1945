from datetime import date, datetime

from odoo import Command
from odoo.tests import freeze_time

from odoo.addons.crm_custom.tests.common import CrmCustomCommon

# The analyses (R1-R7): SQL views, read only, rows per customer manager.
REPORT_MODELS = (
    "crm.customer.contribution.report",
    "crm.customer.composition.report",
    "crm.customer.service.report",
    "crm.customer.churn.report",
    "crm.customer.value.report",
    "crm.sales.performance.report",
    "crm.customer.pool.report",
)


class ReportsCommon(CrmCustomCommon):
    """A golden data set for the analyses: customers of two customer
    managers and of nobody, confirmed, cancelled and draft orders (one in a
    foreign currency, one on a contact), services, confirmed losses,
    opportunities and ownership changes. Tests compare the analyses with
    SQL written independently over these source records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cm1 = cls.customer_manager
        cls.cm2 = cls.customer_manager_2
        ref = cls.env.ref
        cls.level_ordinary = ref("crm_custom.dictionary_customer_level_ordinary")
        cls.level_major = ref("crm_custom.dictionary_customer_level_major")
        cls.region_east = ref("crm_custom.dictionary_region_east")
        cls.region_north = ref("crm_custom.dictionary_region_north")
        cls.source_phone = ref("crm_custom.dictionary_customer_source_telemarketing")
        cls.source_online = ref(
            "crm_custom.dictionary_customer_source_online_marketing"
        )
        cls.type_consultation = ref("crm_custom_service.service_type_consultation")
        cls.type_complaint = ref("crm_custom_service.service_type_complaint")

        Partner = cls.env["res.partner"].with_context(
            res_partner_search_mode="customer"
        )
        cls.customer_a = Partner.create(
            {
                "name": "Golden Machinery Co",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.cm1.id,
                "customer_level_id": cls.level_ordinary.id,
                "credit_rating": 5,
                "satisfaction": 4,
                "rating": "3",
                "region_id": cls.region_east.id,
                "customer_source_id": cls.source_phone.id,
            }
        )
        cls.contact_a = cls.env["res.partner"].create(
            {
                "name": "Buyer Wang",
                "parent_id": cls.customer_a.id,
                "type": "contact",
                "gender": "male",
                "function": "Purchasing Manager",
                "phone": "021-12345678",
            }
        )
        cls.customer_b = Partner.create(
            {
                "name": "Golden Electronics Co",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.cm1.id,
                "customer_level_id": cls.level_major.id,
                "credit_rating": 3,
                "region_id": cls.region_north.id,
                "customer_source_id": cls.source_online.id,
            }
        )
        cls.customer_c = Partner.create(
            {
                "name": "Golden Logistics Co",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.cm2.id,
                "customer_level_id": cls.level_ordinary.id,
                "satisfaction": 5,
                "rating": "1",
                "region_id": cls.region_east.id,
                "customer_source_id": cls.source_online.id,
            }
        )
        cls.customer_d = Partner.create(
            {
                "name": "Golden Textiles Co",
                "is_company": True,
                "customer_rank": 1,
                "credit_rating": 1,
                "satisfaction": 1,
            }
        )
        cls.customers = (
            cls.customer_a | cls.customer_b | cls.customer_c | cls.customer_d
        )

        # Orders: untaxed amounts in company currency unless said otherwise.
        cls.product = cls.env["product.product"].create(
            {
                "name": "Golden Consulting Day",
                "type": "service",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        company = cls.env.company
        cls.foreign_currency = ref(
            "base.EUR" if company.currency_id != ref("base.EUR") else "base.USD"
        )
        cls.foreign_currency.active = True
        cls.env["res.currency.rate"].create(
            {
                "name": date(2024, 2, 1),
                "rate": 2.0
                * company.currency_id.with_context(date=date(2024, 2, 1)).rate,
                "currency_id": cls.foreign_currency.id,
                "company_id": company.id,
            }
        )
        cls.foreign_pricelist = cls.env["product.pricelist"].create(
            {"name": "Golden Foreign", "currency_id": cls.foreign_currency.id}
        )
        cls.order_a_jan = cls._order(cls.customer_a, 1000, "2024-01-15", cls.cm1)
        cls.order_a_contact_jan = cls._order(cls.contact_a, 500, "2024-01-20", cls.cm1)
        cls.order_a_mar = cls._order(cls.customer_a, 300, "2024-03-05", cls.cm2)
        cls.order_b_feb = cls._order(
            cls.customer_b, 4000, "2024-02-10", cls.cm1, pricelist=cls.foreign_pricelist
        )
        cls.order_c_dec = cls._order(cls.customer_c, 700, "2023-12-15", cls.cm2)
        cls.order_c_cancelled = cls._order(cls.customer_c, 400, "2024-01-10", cls.cm2)
        cls.order_c_cancelled._action_cancel()
        cls.order_d_feb = cls._order(cls.customer_d, 250, "2024-02-01", None)
        cls.order_b_draft = cls._order(
            cls.customer_b, 999, "2024-02-11", cls.cm1, confirm=False
        )

        # Services 客户服务
        cls.services = cls.env["helpdesk.ticket"]
        for customer, service_type, requested, handled in (
            (cls.customer_a, cls.type_consultation, "2024-01-03 09:00:00", True),
            (cls.customer_a, cls.type_complaint, "2024-01-20 09:00:00", False),
            (cls.customer_c, cls.type_complaint, "2024-02-02 09:00:00", True),
            (cls.customer_c, cls.type_consultation, "2024-02-15 09:00:00", False),
        ):
            cls.services |= cls._service(customer, service_type, requested, handled)

        # Confirmed losses 确认流失 (and one still open)
        Warnings = cls.env["crm.churn.warning"].sudo()
        cls.warning_c = Warnings.create(
            {"partner_id": cls.customer_c.id, "last_order_date": date(2023, 12, 15)}
        )
        with freeze_time("2024-06-30 10:00:00"):
            cls.warning_c._confirm_loss("Moved to a cheaper competitor")
        cls.warning_b = Warnings.create(
            {"partner_id": cls.customer_b.id, "last_order_date": date(2024, 2, 10)}
        )
        with freeze_time("2024-09-01 10:00:00"):
            cls.warning_b._confirm_loss("Company closed")
        cls.warning_d_open = Warnings.create(
            {"partner_id": cls.customer_d.id, "last_order_date": date(2024, 2, 1)}
        )
        cls.warnings = cls.warning_c | cls.warning_b | cls.warning_d_open

        # Opportunities: assigned to customer managers, won, lost, in progress
        won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        Lead = cls.env["crm.lead"].sudo()
        cls.leads = Lead.create(
            [
                cls._lead("Golden Opp 1", cls.cm1, "2024-01-05", stage=won_stage),
                cls._lead("Golden Opp 2", cls.cm1, "2024-02-05"),
                cls._lead("Golden Opp 3", cls.cm1, "2024-02-06"),
                cls._lead("Golden Opp 4", cls.cm2, "2024-03-07", stage=won_stage),
                cls._lead("Golden Opp 5", cls.cm2, "2024-03-08"),
                cls._lead("Golden Opp 6", False, False),
            ]
        )
        cls.leads[2].action_archive()  # development failed

        # Ownership changes 客户池
        Log = cls.env["crm.customer.ownership.log"].sudo()
        cls.logs = Log.create(
            [
                cls._log(cls.customer_d, cls.cm1, False, "put", "2024-01-02"),
                cls._log(cls.customer_d, False, cls.cm2, "claim", "2024-01-03"),
                cls._log(cls.customer_d, cls.cm2, False, "recycle", "2024-03-03"),
                cls._log(cls.customer_c, False, cls.cm2, "assign", "2024-02-04"),
                cls._log(cls.customer_b, False, cls.cm1, "claim", "2024-02-05"),
            ]
        )

    @classmethod
    def _order(cls, partner, amount, day, salesperson, pricelist=None, confirm=True):
        vals = {
            "partner_id": partner.id,
            "user_id": salesperson.id if salesperson else False,
            "order_line": [
                Command.create(
                    {
                        "product_id": cls.product.id,
                        "product_uom_qty": 1,
                        "price_unit": amount,
                    }
                )
            ],
        }
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        order = cls.env["sale.order"].create(vals)
        if confirm:
            with freeze_time(f"{day} 10:00:00"):
                order.action_confirm()
        return order

    @classmethod
    def _service(cls, customer, service_type, requested, handled):
        service = (
            cls.env["helpdesk.ticket"]
            .with_user(cls.sales_manager)
            .create(
                {
                    "name": f"Golden service of {customer.name}",
                    "description": "<p>Golden service</p>",
                    "service_type_id": service_type.id,
                    "partner_id": customer.id,
                    "date_requested": requested,
                }
            )
        )
        if handled:
            with freeze_time(datetime.fromisoformat(requested).replace(hour=11)):
                service.with_user(cls.sales_manager).action_assign(customer.user_id)
            with freeze_time(datetime.fromisoformat(requested).replace(hour=15)):
                service.with_user(customer.user_id).action_handle("Solved on site.")
            with freeze_time(datetime.fromisoformat(requested).replace(hour=17)):
                service.with_user(cls.sales_manager).action_feedback(4, "Satisfied")
        return service

    @classmethod
    def _lead(cls, name, user, assigned, stage=None):
        vals = {
            "name": name,
            "type": "opportunity",
            "partner_id": cls.customer_a.id,
            "user_id": user.id if user else False,
            "date_assigned": f"{assigned} 08:00:00" if assigned else False,
            "is_development": True,
        }
        if stage:
            vals["stage_id"] = stage.id
        return vals

    @classmethod
    def _log(cls, customer, from_user, to_user, method, day):
        return {
            "partner_id": customer.id,
            "from_user_id": from_user.id if from_user else False,
            "to_user_id": to_user.id if to_user else False,
            "method": method,
            "date": f"{day} 09:00:00",
            "user_id": cls.sales_manager.id,
        }

    def _sql(self, query, *params):
        self.env.flush_all()
        self.env["crm.customer.sales.month"]._sync_pending()
        self.env.cr.execute(query, params)
        return self.env.cr.fetchall()
