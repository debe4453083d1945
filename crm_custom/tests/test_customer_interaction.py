import datetime
from types import SimpleNamespace

import pytz
from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .test_customer_data import CustomerDataCommon


@tagged("post_install", "-at_install")
class TestCustomerInteraction(CustomerDataCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.contact = Partner.create(
            {
                "name": "陈立明",
                "parent_id": cls.customer.id,
                "type": "contact",
                "gender": "male",
                "function": "采购经理",
                "phone": "021-58881234",
                "email": "chen.liming@example.com",
            }
        )
        cls.other_contact = Partner.create(
            {
                "name": "孙浩",
                "parent_id": cls.other_customer.id,
                "type": "contact",
                "gender": "male",
                "function": "采购部部长",
                "phone": "025-52100021",
            }
        )

    # ------------------------------------------------------------------
    # C3 interaction records
    # ------------------------------------------------------------------
    def test_c3_customer_manager_records_interactions(self):
        Interaction = self.env["crm.interaction"].with_user(self.customer_manager)
        form = Form(Interaction.with_context(default_partner_id=self.customer.id))
        self.assertEqual(form.user_id, self.customer_manager)
        self.assertEqual(form.date, fields.Date.context_today(Interaction))
        form.contact_id = self.contact
        form.place = "客户会议室"
        form.summary = "年度采购需求沟通"
        form.details = "<p>明年备件采购量增加 20%</p>"
        interaction = form.save()
        self.assertEqual(self.customer.interaction_count, 1)
        self.assertEqual(self.customer.interaction_ids, interaction)
        self.assertEqual(self.contact.interaction_count, 1, "counted on the company")
        action = self.customer.with_user(
            self.customer_manager
        ).action_view_interactions()
        self.assertEqual(Interaction.search(action["domain"]), interaction)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)

    def test_c3_contact_must_belong_to_the_customer(self):
        Interaction = self.env["crm.interaction"].with_user(self.customer_manager)
        with self.assertRefused(ValidationError, "does not belong"):
            Interaction.create(
                {
                    "partner_id": self.customer.id,
                    "contact_id": self.other_contact.id,
                    "summary": "错误的联系人",
                }
            )
        with self.assertRefused(ValidationError, "belongs to the customer company"):
            Interaction.create(
                {"partner_id": self.contact.id, "summary": "联系人不是客户"}
            )

    def test_c3_interactions_of_other_managers_customers_are_hidden(self):
        Interaction = self.env["crm.interaction"]
        mine = Interaction.with_user(self.customer_manager).create(
            {"partner_id": self.customer.id, "summary": "拜访"}
        )
        theirs = Interaction.with_user(self.customer_manager_2).create(
            {"partner_id": self.other_customer.id, "summary": "电话"}
        )
        both = mine + theirs
        self.assertEqual(
            Interaction.with_user(self.customer_manager).search(
                [("id", "in", both.ids)]
            ),
            mine,
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.customer_manager).write({"summary": "改写"})
        with self.assertRaises(AccessError):
            Interaction.with_user(self.customer_manager).create(
                {"partner_id": self.other_customer.id, "summary": "不是我的客户"}
            )
        self.assertEqual(
            Interaction.with_user(self.sales_manager).search([("id", "in", both.ids)]),
            both,
        )
        with self.assertRaises(AccessError):
            Interaction.with_user(self.internal_user).search([])

    def test_c3_tasks_schedules_and_files_on_the_customer(self):
        customer = self.customer.with_user(self.customer_manager)
        customer.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="准备报价",
            user_id=self.customer_manager.id,
        )
        customer.activity_schedule(
            "mail.mail_activity_data_meeting",
            summary="到厂拜访",
            user_id=self.customer_manager.id,
        )
        customer.message_post(
            body="合同扫描件", attachments=[("contract.txt", b"signed contract")]
        )
        self.assertEqual(len(self.customer.activity_ids), 2)
        self.assertEqual(self.customer.message_attachment_count, 1)

    # ------------------------------------------------------------------
    # C4 customer with opportunity
    # ------------------------------------------------------------------
    def _customer_form(self, user):
        return Form(
            self.env["res.partner"]
            .with_user(user)
            .with_context(
                res_partner_search_mode="customer",
                default_is_company=True,
                default_user_id=user.id,
            ),
            view="crm_custom.view_partner_form_crm_customer",
        )

    def test_c4_create_customer_with_an_opportunity(self):
        form = self._customer_form(self.customer_manager)
        form.name = "宁波测试模具有限公司"
        form.create_opportunity = True
        customer = form.save()
        leads = self.env["crm.lead"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(leads), 1)
        self.assertEqual(leads.type, "opportunity")
        self.assertEqual(leads.partner_name, customer.name)
        self.assertEqual(customer.with_user(self.customer_manager).opportunity_count, 1)
        self.assertFalse(customer.create_opportunity)

    def test_c4_customer_alone_creates_no_opportunity(self):
        form = self._customer_form(self.customer_manager)
        form.name = "无商机客户有限公司"
        customer = form.save()
        self.assertFalse(
            self.env["crm.lead"].search([("partner_id", "=", customer.id)])
        )
        # editing an existing customer does not create one either
        customer.write({"phone": "021-1234567"})
        self.assertFalse(
            self.env["crm.lead"].search([("partner_id", "=", customer.id)])
        )

    # ------------------------------------------------------------------
    # C6 mass email
    # ------------------------------------------------------------------
    def test_c6_mass_email_to_selected_customers(self):
        self.customer.primary_contact_id = self.contact  # customer has no email
        third = self.Partner.create(
            {
                "name": "有邮箱的客户",
                "user_id": self.customer_manager.id,
                "email": "info@client.example.com",
            }
        )
        customers = (self.customer + third).with_user(self.customer_manager)
        action = customers.action_customer_mass_mail()
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.customer_manager)
            .with_context(**action["context"])
        )
        self.assertEqual(composer.composition_mode, "mass_mail")
        composer.subject = "新品发布会邀请"
        composer.body = "<p>诚邀贵司参加新品发布会。</p>"
        composer.save().action_send_mail()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "res.partner"), ("res_id", "in", customers.ids)])
        )
        self.assertEqual(len(mails), 2)
        recipients = {mail.res_id: mail.recipient_ids for mail in mails}
        self.assertEqual(recipients[self.customer.id], self.contact)
        self.assertEqual(recipients[third.id], third)
        self.assertEqual(set(mails.mapped("subject")), {"新品发布会邀请"})

    # ------------------------------------------------------------------
    # C7 360° form and CRM lookups
    # ------------------------------------------------------------------
    def test_c7_customer_form_smart_buttons(self):
        view = self.env.ref("crm_custom.view_partner_form_crm_customer")
        arch = (
            self.env["res.partner"]
            .with_user(self.customer_manager)
            .get_views([(view.id, "form")])["views"]["form"]["arch"]
        )
        buttons = set(
            etree.fromstring(arch).xpath("//div[@name='button_box']/button/@name")
        )
        self.assertLessEqual(
            {
                "action_view_sale_order",
                "action_view_opportunity",
                "action_view_interactions",
            },
            buttons,
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_customers"
        )
        form_views = [view_id for view_id, mode in action["views"] if mode == "form"]
        self.assertEqual(form_views, [view.id])

    def _confirmed_order(self, customer, user):
        product = self.env["product.product"].create(
            {"name": "数控机床备件", "list_price": 100}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": user.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 2})
                ],
            }
        )
        order.action_confirm()
        return order

    def test_c7_orders_of_the_customer(self):
        order = self._confirmed_order(self.customer, self.customer_manager)
        other_order = self._confirmed_order(
            self.other_customer, self.customer_manager_2
        )
        customer = self.customer.with_user(self.customer_manager)
        self.assertEqual(customer.sale_order_count, 1)
        action = customer.action_view_sale_order()
        SaleOrder = self.env["sale.order"].with_user(self.customer_manager)
        self.assertEqual(SaleOrder.search(action["domain"]), order)
        history = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_order_history"
        )
        found = SaleOrder.search(safe_eval(history["domain"]))
        self.assertIn(order, found)
        self.assertNotIn(other_order, found)
        self.assertIn(
            other_order,
            self.env["sale.order"]
            .with_user(self.sales_manager)
            .search(safe_eval(history["domain"])),
        )

    def test_c7_products_with_stock_on_hand_read_only(self):
        product = self.env["product.product"].create(
            {"name": "伺服电机", "is_storable": True, "list_price": 800}
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        self.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 12
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_product_stock"
        )
        Template = self.env["product.template"].with_user(self.customer_manager)
        template = Template.search(
            safe_eval(action["domain"]) + [("id", "=", product.product_tmpl_id.id)]
        )
        self.assertEqual(template.qty_available, 12)
        with self.assertRaises(AccessError):
            template.write({"list_price": 1})
        for view_id, mode in action["views"]:
            arch = etree.fromstring(
                Template.get_views([(view_id, mode)])["views"][mode]["arch"]
            )
            self.assertEqual(arch.get("edit"), "0", mode)
            self.assertEqual(arch.get("create"), "0", mode)
        history = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_order_history"
        )
        SaleOrder = self.env["sale.order"].with_user(self.customer_manager)
        for view_id, mode in history["views"]:
            if mode in ("list", "form"):
                arch = etree.fromstring(
                    SaleOrder.get_views([(view_id, mode)])["views"][mode]["arch"]
                )
                self.assertEqual(arch.get("edit"), "0", mode)

    # ------------------------------------------------------------------
    # P9 lists and filters (customer side)
    # ------------------------------------------------------------------
    def _filter_domains(self, view_xmlid, user, names):
        """The filters of a search view, evaluated as the web client does in
        the user's time zone."""
        tz = pytz.timezone(user.tz or "UTC")
        now = datetime.datetime.now(pytz.utc).astimezone(tz)

        class UserDateTime(datetime.datetime):
            def to_utc(self):
                return (
                    tz.localize(self.replace(tzinfo=None))
                    .astimezone(pytz.utc)
                    .replace(tzinfo=None)
                )

        eval_context = {
            "datetime": SimpleNamespace(
                datetime=UserDateTime, time=datetime.time, date=datetime.date
            ),
            "context_today": lambda: now.date(),
            "relativedelta": relativedelta,
            "uid": user.id,
        }
        arch = (
            self.env["res.partner"]
            .with_user(user)
            .get_views([(self.env.ref(view_xmlid).id, "search")])["views"]["search"][
                "arch"
            ]
        )
        return {
            node.get("name"): safe_eval(node.get("domain"), eval_context)
            for node in etree.fromstring(arch).xpath("//filter[@domain]")
            if node.get("name") in names
        }

    def test_p9_customer_list_filters(self):
        self.customer_manager.tz = "Asia/Shanghai"
        expected_names = (
            "my_customers",
            "created_today",
            "created_this_week",
            "created_this_month",
            "updated_last_month",
        )
        domains = self._filter_domains(
            "crm_custom.view_partner_search_crm_customer",
            self.customer_manager,
            expected_names,
        )
        self.assertEqual(set(domains), set(expected_names))
        old = self.Partner.create(
            {"name": "老客户有限公司", "user_id": self.customer_manager.id}
        )
        self.env.flush_all()
        two_months_ago = fields.Datetime.now() - relativedelta(months=2, days=1)
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = %s, write_date = %s WHERE id = %s",
            (two_months_ago, two_months_ago, old.id),
        )
        self.env.invalidate_all()
        Partner = self.env["res.partner"].with_user(self.customer_manager)
        scope = [("id", "in", (self.customer + old + self.other_customer).ids)]
        expected = {
            "my_customers": self.customer + old,
            "created_today": self.customer,
            "created_this_week": self.customer,
            "created_this_month": self.customer,
            "updated_last_month": self.customer,
        }
        for name, records in expected.items():
            self.assertEqual(Partner.search(scope + domains[name]), records, name)
        # everything visible when no filter is applied ("all")
        self.assertEqual(Partner.search(scope), self.customer + old)
