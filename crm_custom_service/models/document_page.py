import re

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext, plaintext2html

# Runs of CJK ideographs: Chinese has no spaces between words, so such runs
# are indexed as overlapping two-character grams (字符二元组), which finds a
# two-character word anywhere inside a sentence.
_CJK_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Words of other scripts (latin letters, digits), compared as whole words.
_WORD_RE = re.compile(r"[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
# Grams found in nearly every request or solution: they would match every
# page of a type and hide the meaningful ones.
_STOP_TERMS = frozenset(
    {
        "客户",
        "我们",
        "你们",
        "他们",
        "一个",
        "没有",
        "可以",
        "需要",
        "进行",
        "要求",
        "反映",
        "表示",
        "询问",
        "来电",
        "投诉",
        "咨询",
        "建议",
        "处理",
        "the",
        "and",
        "for",
    }
)
# Weight of a term found in the title, the keywords or the body of a page.
_WEIGHT_TITLE = 3
_WEIGHT_KEYWORDS = 2
_WEIGHT_BODY = 1
# At most this many terms of a query pre-select candidate pages in SQL.
_MAX_QUERY_TERMS = 40


def kb_terms(text):
    """The search terms of a text: two-character grams of its Chinese runs
    (a lone Chinese character counts as itself), and its other words
    lowercased, common terms left out."""
    text = (text or "").lower()
    terms = set()
    for run in _CJK_RUN_RE.findall(text):
        if len(run) == 1:
            terms.add(run)
        else:
            terms.update(run[i : i + 2] for i in range(len(run) - 1))
    terms.update(_WORD_RE.findall(text))
    return terms - _STOP_TERMS


class DocumentPage(models.Model):
    """The service knowledge base 知识库 (S8) on OCA document_page: a
    category page per service type 服务类型 holds the solutions of its
    services. Solutions are found by keywords while a service is handled,
    grown from handled services ("save as solution"), and published by a
    sales manager. Pages outside these categories keep document_page's
    behaviour."""

    _inherit = "document.page"

    service_type_id = fields.Many2one(
        comodel_name="crm.dictionary.item",
        string="Applies to Service Type",
        domain="[('category', '=', 'service_type')]",
        compute="_compute_service_type_id",
        store=True,
        readonly=False,
        recursive=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        help="Set on a category of the service knowledge base; its solutions "
        "are suggested on the services of this type.",
    )
    kb_public = fields.Boolean(
        string="Readable by Customers",
        tracking=True,
        help="On a category of the service knowledge base: its published "
        "solutions are readable by customers in their portal.",
    )
    is_published = fields.Boolean(
        string="Published",
        copy=False,
        tracking=True,
        help="Published solutions are suggested on services (and shown to "
        "customers when their category is readable by customers). A sales "
        "manager publishes them.",
    )
    kb_keywords = fields.Char(
        string="Keywords",
        help="Words that find this solution besides its title and content, "
        "e.g. 卡纸 打印机 paper jam.",
    )
    source_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Source Service",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The handled service this solution was saved from.",
    )
    kb_solved_count = fields.Integer(
        string="Services Solved",
        compute="_compute_kb_solved_count",
    )
    kb_query = fields.Char(
        string="Keyword Search",
        compute="_compute_kb_query",
        search="_search_kb_query",
        help="Finds solutions by words inside their title, keywords or "
        "content, Chinese text included.",
    )

    _sql_constraints = [
        (
            "source_ticket_unique",
            "UNIQUE(source_ticket_id)",
            "A service is saved as one solution only.",
        ),
    ]

    @api.depends("parent_id.service_type_id", "type")
    def _compute_service_type_id(self):
        for page in self:
            if page.type == "content" and page.parent_id:
                page.service_type_id = page.parent_id.service_type_id
            elif page.type == "content":
                page.service_type_id = False
            else:
                page.service_type_id = page.service_type_id

    def _compute_kb_solved_count(self):
        groups = self.env["helpdesk.ticket"]._read_group(
            [("solution_page_id", "in", self.ids)],
            ["solution_page_id"],
            ["__count"],
        )
        counts = {page.id: count for page, count in groups}
        for page in self:
            page.kb_solved_count = counts.get(page.id, 0)

    def _compute_kb_query(self):
        self.kb_query = False

    def _search_kb_query(self, operator, value):
        if operator not in ("ilike", "=") or not isinstance(value, str):
            raise UserError(self.env._("Unsupported search on solutions."))
        return [("id", "in", self._kb_search(value, limit=None, published=False).ids)]

    @api.constrains("service_type_id", "type", "kb_public")
    def _check_kb_category(self):
        for page in self:
            if page.kb_public and (page.type != "category" or not page.service_type_id):
                raise ValidationError(
                    self.env._(
                        "Only a category of the service knowledge base can be "
                        "readable by customers."
                    )
                )
            if page.service_type_id and page.service_type_id.category != "service_type":
                raise ValidationError(
                    self.env._(
                        "%(item)s is not a service type.",
                        item=page.service_type_id.display_name,
                    )
                )

    @api.constrains("is_published")
    def _check_kb_publisher(self):
        # Superuser: data files and the portal; everybody else needs the role.
        if self.env.su or self.env.user.has_group("crm_custom.group_sales_manager"):
            return
        if self.filtered(lambda p: p.service_type_id and p.is_published):
            raise ValidationError(
                self.env._("Only a sales manager can publish a solution.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_kb_publish(self):
        self._kb_check_publisher()
        self.filtered(lambda p: p.type == "content").is_published = True
        return True

    def action_kb_unpublish(self):
        self._kb_check_publisher()
        self.is_published = False
        return True

    def _kb_check_publisher(self):
        if not self.env.user.has_group("crm_custom.group_sales_manager"):
            raise UserError(self.env._("Only a sales manager can publish a solution."))
        if self.filtered(lambda p: not p.service_type_id):
            raise UserError(
                self.env._(
                    "Only solutions of the service knowledge base are published."
                )
            )

    def action_kb_open(self):
        """Opens a solution from a service; the service is kept in the
        context so that the page offers "This solved it"."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "document.page",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"kb_ticket_id": self.env.context.get("kb_ticket_id")},
        }

    def action_kb_solved_it(self):
        """ "This solved it": records this solution on the service it was
        opened from (the service's id is in the context)."""
        self.ensure_one()
        ticket_id = self.env.context.get("kb_ticket_id")
        if not ticket_id:
            raise UserError(self.env._("Open the solution from a service."))
        ticket = self.env["helpdesk.ticket"].browse(int(ticket_id)).exists()
        if not ticket:
            raise UserError(self.env._("The service no longer exists."))
        ticket.action_kb_set_solution(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": ticket.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _kb_category_for(self, service_type):
        """The knowledge base category of a service type, created when a
        new service type has none yet."""
        category = self.search(
            [("type", "=", "category"), ("service_type_id", "=", service_type.id)],
            limit=1,
        )
        if not category:
            category = self.sudo().create(
                {
                    "name": service_type.name,
                    "type": "category",
                    "service_type_id": service_type.id,
                }
            )
        return category.with_env(self.env)

    @api.model
    def _kb_search(self, text, service_type=None, limit=5, published=True):
        """Solutions of the knowledge base matching a text, best first.

        The text is cut into terms (kb_terms); pages sharing a term are
        pre-selected in SQL (ILIKE on the title, keywords and content), then
        scored in Python: each shared term counts 3 in the title, 2 in the
        keywords and 1 in the content; the number of services a solution
        solved breaks ties."""
        terms = sorted(kb_terms(text), key=len, reverse=True)[:_MAX_QUERY_TERMS]
        if not terms:
            return self.browse()
        domain = [("type", "=", "content")]
        if service_type:
            domain.append(("service_type_id", "=", service_type.id))
        else:
            domain.append(("service_type_id", "!=", False))
        if published:
            domain.append(("is_published", "=", True))
        term_domains = []
        for term in terms:
            term_domains += [
                [("name", "ilike", term)],
                [("kb_keywords", "ilike", term)],
                [("history_head.content", "ilike", term)],
            ]
        domain += ["|"] * (len(term_domains) - 1) + [
            leaf for term_domain in term_domains for leaf in term_domain
        ]
        candidates = self.search(domain)
        query = set(terms)
        scored = []
        for page in candidates:
            score = (
                _WEIGHT_TITLE * len(query & kb_terms(page.name))
                + _WEIGHT_KEYWORDS * len(query & kb_terms(page.kb_keywords))
                + _WEIGHT_BODY
                * len(query & kb_terms(html2plaintext(page.content or "")))
            )
            if score:
                scored.append((score, page))
        if not scored:
            return self.browse()
        solved = dict(
            zip(candidates.ids, candidates.mapped("kb_solved_count"), strict=True)
        )
        scored.sort(key=lambda sp: (-sp[0], -solved.get(sp[1].id, 0), sp[1].name))
        pages = [page.id for _score, page in scored]
        if limit:
            pages = pages[:limit]
        return self.browse(pages)

    @api.model
    def _kb_content_from_ticket(self, ticket):
        parts = [
            Markup("<h3>%s</h3>") % self.env._("Customer Request"),
            ticket.description or Markup("<p></p>"),
            Markup("<h3>%s</h3>") % self.env._("Handling"),
            plaintext2html(ticket.handling_note or ""),
        ]
        if ticket.feedback_result:
            parts += [
                Markup("<h3>%s</h3>") % self.env._("Customer Feedback"),
                plaintext2html(ticket.feedback_result),
            ]
        return Markup("").join(parts)
