from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.document_page import kb_terms
from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestKnowledgeBase(ServiceCommon):
    """S8: the service knowledge base 知识库 on OCA document_page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Page = cls.env["document.page"]
        cls.category_complaint = cls.env.ref("crm_custom_service.kb_category_complaint")
        cls.category_consultation = cls.env.ref(
            "crm_custom_service.kb_category_consultation"
        )
        cls.category_consultation.kb_public = True
        cls.page_invoice = cls._create_page(
            "开票说明",
            "<p>货款到账后三个工作日内开具发票并寄出。</p>",
            category=cls.category_consultation,
        )
        cls.page_noise = cls._create_page(
            "设备运行异常的处理",
            "<p>指导客户检查地脚螺栓,电话指导无效时上门重新调试。</p>",
            category=cls.category_complaint,
        )

    @classmethod
    def _create_page(cls, name, content, category, user=None, published=True):
        page = cls.Page.with_user(user or cls.sales_manager).create(
            {
                "name": name,
                "parent_id": category.id,
                "content": content,
                "draft_name": "1.0",
                "draft_summary": "test",
            }
        )
        if published:
            page.with_user(cls.sales_manager).action_kb_publish()
        return page

    # ------------------------------------------------------------------
    # Categories, rights, history
    # ------------------------------------------------------------------

    def test_s8_categories_per_service_type(self):
        categories = self.Page.search(
            [("type", "=", "category"), ("service_type_id", "!=", False)]
        )
        self.assertEqual(
            set(categories.mapped("service_type_id.code")),
            {"consultation", "suggestion", "complaint", "onsite"},
        )
        self.assertEqual(self.page_noise.service_type_id, self.type_complaint)
        self.assertFalse(categories.filtered("kb_public") - self.category_consultation)

    def test_s8_customer_manager_cannot_edit_anothers_page(self):
        page = self._create_page(
            "他人的方案",
            "<p>原文</p>",
            category=self.category_complaint,
            user=self.customer_manager_2,
            published=False,
        )
        with self.assertRaises(AccessError):
            page.with_user(self.customer_manager).write({"name": "改掉"})
        with self.assertRaises(AccessError):
            page.with_user(self.customer_manager).write({"content": "<p>改掉</p>"})
        # ... but reads it, and its author and a sales manager write it.
        self.assertEqual(page.with_user(self.customer_manager).name, "他人的方案")
        page.with_user(self.customer_manager_2).write({"content": "<p>第二版</p>"})
        page.with_user(self.sales_manager).write({"content": "<p>第三版</p>"})
        self.assertEqual(len(page.history_ids), 3, "each change leaves a version")
        self.assertEqual(
            page.history_ids.mapped("create_uid"),
            self.sales_manager | self.customer_manager_2,
        )

    def test_s8_customer_manager_cannot_publish_or_write_categories(self):
        page = self._create_page(
            "自己的方案",
            "<p>原文</p>",
            category=self.category_complaint,
            user=self.customer_manager,
            published=False,
        )
        with self.assertRaises(ValidationError):
            page.with_user(self.customer_manager).is_published = True
        with self.assertRaises(UserError):
            page.with_user(self.customer_manager).action_kb_publish()
        with self.assertRaises(AccessError):
            self.category_complaint.with_user(self.customer_manager).kb_public = True
        page.with_user(self.sales_manager).action_kb_publish()
        self.assertTrue(page.is_published)

    def test_s8_executive_reads_but_does_not_write(self):
        self.assertTrue(self.page_noise.with_user(self.executive).content)
        with self.assertRaises(AccessError):
            self.page_noise.with_user(self.executive).name = "x"

    def test_s8_portal_user_cannot_read_staff_only_category(self):
        page = self.page_noise.with_user(self.portal_user)
        with self.assertRaises(AccessError):
            page.check_access("read")
        self.assertFalse(
            self.Page.with_user(self.portal_user).search(
                [("id", "=", self.page_noise.id)]
            )
        )
        # A published page of a category readable by customers is readable;
        # a draft one is not.
        public = self.page_invoice.with_user(self.portal_user)
        public.check_access("read")
        self.assertIn("发票", public.content)
        draft = self._create_page(
            "草稿", "<p>草稿</p>", category=self.category_consultation, published=False
        )
        with self.assertRaises(AccessError):
            draft.with_user(self.portal_user).check_access("read")

    def test_s8_portal_page_lists_public_solutions_only(self):
        public = self.Page.with_user(self.portal_user).search(
            [("type", "=", "content"), ("service_type_id", "!=", False)]
        )
        self.assertIn(self.page_invoice, public)
        self.assertNotIn(self.page_noise, public)
        self.assertFalse(public.sudo().filtered(lambda p: not p.parent_id.kb_public))

    # ------------------------------------------------------------------
    # Search (Chinese text)
    # ------------------------------------------------------------------

    def test_s8_terms_of_chinese_and_latin_text(self):
        self.assertEqual(kb_terms("卡纸 Printer jam"), {"卡纸", "printer", "jam"})
        self.assertEqual(kb_terms("发票寄出"), {"发票", "票寄", "寄出"})

    def test_s8_chinese_keyword_inside_a_sentence_finds_the_page(self):
        # "发票" is a word inside the sentence of the page's content.
        found = self.Page._kb_search("发票", self.type_consultation, limit=None)
        self.assertIn(self.page_invoice, found)
        # ... and inside a sentence of the query.
        found = self.Page._kb_search("请问我们的发票什么时候寄到", limit=None)
        self.assertIn(self.page_invoice, found)
        self.assertNotIn(self.page_noise, found)
        by_search_view = self.Page.search([("kb_query", "ilike", "螺栓")])
        self.assertIn(self.page_noise, by_search_view)
        self.assertFalse(self.Page._kb_search("雷达卫星", limit=None))

    def test_s8_draft_pages_are_not_suggested(self):
        draft = self._create_page(
            "地脚螺栓草稿",
            "<p>地脚螺栓</p>",
            category=self.category_complaint,
            published=False,
        )
        found = self.Page._kb_search("地脚螺栓", self.type_complaint, limit=None)
        self.assertIn(self.page_noise, found)
        self.assertNotIn(draft, found)
        # The knowledge base's search box finds drafts too.
        self.assertIn(draft, self.Page.search([("kb_query", "ilike", "地脚螺栓")]))

    # ------------------------------------------------------------------
    # On a service
    # ------------------------------------------------------------------

    def test_s8_suggestions_on_a_service(self):
        service = self._create_service(
            service_type=self.type_complaint,
            name="设备异常",
            description="<p>安装后设备运行噪音大,地脚螺栓松动。</p>",
        )
        self.assertIn(self.page_noise, service.kb_suggestion_ids)
        self.assertNotIn(self.page_invoice, service.kb_suggestion_ids, "other type")
        action = service.action_kb_open_suggestions()
        self.assertEqual(action["context"]["kb_ticket_id"], service.id)
        opened = self.page_noise.with_context(kb_ticket_id=service.id).action_kb_open()
        self.assertEqual(opened["res_id"], self.page_noise.id)
        ordinary = self.Ticket.create({"name": "Ticket", "description": "<p>噪音</p>"})
        self.assertFalse(ordinary.kb_suggestion_ids)

    def test_s8_this_solved_it(self):
        service = self._assigned_service(
            service_type=self.type_complaint, name="设备运行异常"
        )
        self.env.cr.precommit.run()  # as if the service was created before
        self.page_noise.with_user(self.customer_manager).with_context(
            kb_ticket_id=service.id, tracking_disable=False
        ).action_kb_solved_it()
        self.assertEqual(service.solution_page_id, self.page_noise)
        self.assertEqual(self.page_noise.kb_solved_count, 1)
        self.env.cr.precommit.run()  # tracking values are written on commit
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "helpdesk.ticket"),
                ("mail_message_id.res_id", "=", service.id),
                ("field_id.name", "=", "solution_page_id"),
            ]
        )
        self.assertTrue(tracked, "the solution is tracked in the chatter")
        # A solution of another type, or an ordinary page, is refused.
        with self.assertRaises(UserError):
            service.with_user(self.customer_manager).action_kb_set_solution(
                self.page_invoice
            )
        # Another manager's service cannot be touched.
        with self.assertRaises(AccessError):
            self.page_noise.with_user(self.customer_manager_2).with_context(
                kb_ticket_id=service.id
            ).action_kb_solved_it()

    def test_s8_save_as_solution_twice_does_not_duplicate(self):
        service = self._handled_service(
            service_type=self.type_complaint,
            name="投诉安装噪音",
            description="<p>设备安装后噪音很大。</p>",
        )
        action = service.with_user(self.customer_manager).action_kb_save_solution()
        page = self.Page.browse(action["res_id"])
        self.assertEqual(page.source_ticket_id, service)
        self.assertEqual(page.parent_id, self.category_complaint)
        self.assertFalse(page.is_published, "a draft for a sales manager")
        self.assertIn("噪音很大", page.content)
        self.assertIn("Replaced the toner cartridge.", page.content)
        self.assertEqual(page.create_uid, self.customer_manager)
        again = service.with_user(self.customer_manager).action_kb_save_solution()
        self.assertEqual(again["res_id"], page.id)
        self.assertEqual(
            self.Page.with_context(active_test=False).search_count(
                [("source_ticket_id", "=", service.id)]
            ),
            1,
        )
        self.assertEqual(service.kb_saved_page_id, page)
        # The author edits the draft; a sales manager publishes it.
        page.with_user(self.customer_manager).kb_keywords = "噪音 安装"
        page.with_user(self.sales_manager).action_kb_publish()
        self.assertIn(
            page, self.Page._kb_search("噪音", self.type_complaint, limit=None)
        )

    def test_s8_save_as_solution_needs_a_handled_service(self):
        service = self._assigned_service(service_type=self.type_complaint)
        with self.assertRaises(UserError):
            service.with_user(self.customer_manager).action_kb_save_solution()
        handled = self._handled_service(service_type=self.type_complaint)
        with self.assertRaises(AccessError):
            handled.with_user(self.executive).action_kb_save_solution()
