"""Shared fixture of the security and reliability tests (issue 10, B2).

One record of every model the three addons add or extend, on each side of
the ownership line: a customer manager's own records, another customer
manager's records and pool records, plus users for the five roles the tests
probe (sales manager, customer manager, executive, portal user, internal
user without CRM rights)."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.crm_custom.tests.common import CrmCustomCommon

# The roles every check runs as, in the order of the rights matrices.
ROLES = ("sales_manager", "customer_manager", "executive", "portal", "internal")


class SecurityCommon(CrmCustomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Partner = env["res.partner"]
        cls.Lead = env["crm.lead"]
        cls.Ticket = env["helpdesk.ticket"]
        cls.today = fields.Date.context_today(cls.Partner)
        cls.pool = env["crm.customer.pool"].create(
            {
                "name": "Security Pool",
                "sequence": 0,
                "member_user_ids": [
                    Command.set([cls.customer_manager.id, cls.customer_manager_2.id])
                ],
                "recycle_no_followup": True,
                "no_followup_days": 30,
                "recycle_no_deal": False,
                "daily_claim_limit": 0,
                "owned_limit": 0,
                "reclaim_cooldown_days": 0,
                "mask_contact": True,
                "assign_notification": "none",
            }
        )
        cls.customer_own = cls._customer("Sec Own Customer Co", cls.customer_manager)
        cls.customer_other = cls._customer(
            "Sec Other Customer Co", cls.customer_manager_2
        )
        cls.customer_pool = cls._customer(
            "Sec Pool Customer Co",
            False,
            pool_id=cls.pool.id,
            home_pool_id=cls.pool.id,
            phone="021-66668888",
            mobile="13812345678",
            email="pool@sec-pool.example.com",
            street="Zhangjiang Road 1",
        )
        cls.contact_own = cls._contact("Sec Own Contact", cls.customer_own)
        cls.contact_other = cls._contact("Sec Other Contact", cls.customer_other)
        cls.contact_pool = cls._contact(
            "Sec Pool Contact", cls.customer_pool, email="contact@sec-pool.example.com"
        )
        # A portal user of the customer manager's customer (services, S4).
        cls.portal_user = new_test_user(
            env,
            login="test_sec_portal",
            name="Sec Portal Customer",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.write(
            {
                "parent_id": cls.customer_own.id,
                "gender": "female",
                "function": "Buyer",
                "phone": "021-11112222",
            }
        )
        cls.users = {
            "sales_manager": cls.sales_manager,
            "customer_manager": cls.customer_manager,
            "executive": cls.executive,
            "portal": cls.portal_user,
            "internal": cls.internal_user,
        }
        # Both customer managers work in the services team, as in real life:
        # team membership must not open other managers' services.
        cls.service_team = env["helpdesk.ticket.team"].create(
            {
                "name": "Sec Service Desk",
                "user_ids": [
                    Command.set(
                        [
                            cls.customer_manager.id,
                            cls.customer_manager_2.id,
                            cls.sales_manager.id,
                        ]
                    )
                ],
            }
        )
        cls.service_type = env.ref("crm_custom_service.service_type_consultation")
        cls.customer_level = env["crm.dictionary.item"].create(
            {"name": "Sec Level", "category": "customer_level", "code": "sec_level"}
        )
        cls.product = env["product.product"].create(
            {"name": "Sec Office Chair", "list_price": 100.0, "type": "consu"}
        )
        cls.lost_reason = env["crm.lost.reason"].create({"name": "Sec no budget"})

    # ------------------------------------------------------------------
    # Builders (as superuser unless a user is given)
    # ------------------------------------------------------------------

    @classmethod
    def _customer(cls, name, owner, env=None, **vals):
        Partner = (env or cls.env)["res.partner"]
        return Partner.create(
            {
                "name": name,
                "is_company": True,
                "customer_rank": 1,
                "user_id": owner.id if owner else False,
                **vals,
            }
        )

    @classmethod
    def _contact(cls, name, customer, **vals):
        return customer.env["res.partner"].create(
            {
                "name": name,
                "parent_id": customer.id,
                "gender": "male",
                "function": "Purchasing Manager",
                "phone": "021-55556666",
                **vals,
            }
        )

    @classmethod
    def _order(cls, customer, salesperson, days_ago=0, confirm=True, env=None):
        env = env or cls.env
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": salesperson.id if salesperson else False,
                "date_order": fields.Datetime.now() - timedelta(days=days_ago),
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 2,
                            "price_unit": 100.0,
                        }
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
            order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    @classmethod
    def _lead(cls, creator, assignee=None, **vals):
        lead = (
            cls.env["crm.lead"]
            .with_user(creator)
            .create(
                {
                    "name": "Sec needs 50 desks",
                    "partner_name": "Sec Prospect Ltd",
                    "type": "opportunity",
                    "contact_name": "Sec Liu",
                    "phone": "13800138001",
                    "is_development": True,
                    **vals,
                }
            )
        )
        if assignee:
            lead.with_user(cls.sales_manager)._assign_customer_manager(assignee)
        return lead.with_env(cls.env)

    @classmethod
    def _warning(cls, customer, days_ago=200, **vals):
        return cls.env["crm.churn.warning"].create(
            {
                "partner_id": customer.id,
                "last_order_date": cls.today - timedelta(days=days_ago),
                **vals,
            }
        )

    @classmethod
    def _service(cls, creator, customer, **vals):
        return (
            cls.env["helpdesk.ticket"]
            .with_user(creator)
            .create(
                {
                    "name": "Sec printer out of order",
                    "description": "<p>The office printer does not print.</p>",
                    "service_type_id": cls.service_type.id,
                    "partner_id": customer.id,
                    "team_id": cls.service_team.id,
                    **vals,
                }
            )
            .with_env(cls.env)
        )
