from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

# Solutions suggested on a service.
KB_SUGGESTION_LIMIT = 5


# A split of helpdesk.ticket by concern (the lifecycle lives in
# helpdesk_ticket.py), as the developers' guide asks.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    """The knowledge base 知识库 on services (S8): solutions suggested by
    the service's type and the keywords of its summary and request, "this
    solved it" recorded on the service, and a handled service saved as a
    draft solution."""

    _inherit = "helpdesk.ticket"

    solution_page_id = fields.Many2one(
        comodel_name="document.page",
        string="Solution",
        domain="[('type', '=', 'content'), ('service_type_id', '=', service_type_id)]",
        tracking=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The knowledge base solution that solved this service.",
    )
    kb_suggestion_ids = fields.Many2many(
        comodel_name="document.page",
        string="Suggested Solutions",
        compute="_compute_kb_suggestion_ids",
        help="Published solutions of the service's type that share words "
        "with its summary and request, best first.",
    )
    kb_suggestion_count = fields.Integer(
        string="Suggestions", compute="_compute_kb_suggestion_ids"
    )
    kb_saved_page_id = fields.Many2one(
        comodel_name="document.page",
        string="Saved as Solution",
        compute="_compute_kb_saved_page_id",
    )

    @api.depends("service_type_id", "name", "description")
    def _compute_kb_suggestion_ids(self):
        Page = self.env["document.page"]
        for ticket in self:
            pages = Page.browse()
            if ticket.service_type_id:
                pages = Page._kb_search(
                    ticket._kb_search_text(),
                    ticket.service_type_id,
                    limit=KB_SUGGESTION_LIMIT,
                )
            ticket.kb_suggestion_ids = pages
            ticket.kb_suggestion_count = len(pages)

    def _compute_kb_saved_page_id(self):
        pages = (
            self.env["document.page"]
            .with_context(active_test=False)
            .search([("source_ticket_id", "in", self.ids)])
        )
        by_ticket = {page.source_ticket_id.id: page for page in pages}
        for ticket in self:
            ticket.kb_saved_page_id = by_ticket.get(ticket.id, False)

    def _kb_search_text(self):
        self.ensure_one()
        return f"{self.name or ''}\n{html2plaintext(self.description or '')}"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_kb_open_suggestions(self):
        """The suggested solutions of a service, from its smart button."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Suggested Solutions"),
            "res_model": "document.page",
            "view_mode": "list,form",
            "views": [
                (
                    self.env.ref("crm_custom_service.document_page_view_list_kb").id,
                    "list",
                ),
                (False, "form"),
            ],
            "domain": [("id", "in", self.kb_suggestion_ids.ids)],
            "context": {"kb_ticket_id": self.id, "create": False},
        }

    def action_kb_open_saved_solution(self):
        self.ensure_one()
        if not self.kb_saved_page_id:
            raise UserError(self.env._("This service is not saved as a solution."))
        return self.kb_saved_page_id.action_kb_open()

    def action_kb_set_solution(self, page):
        """ "This solved it": records a solution of the knowledge base on the
        service (tracked in its chatter)."""
        self.ensure_one()
        page = self.env["document.page"].browse(getattr(page, "id", page)).exists()
        if not self.service_type_id:
            raise UserError(
                self.env._("Only a service can record the solution that solved it.")
            )
        if not page or page.type != "content" or not page.service_type_id:
            raise UserError(
                self.env._("Choose a solution of the service knowledge base.")
            )
        if page.service_type_id != self.service_type_id:
            raise UserError(
                self.env._(
                    "%(page)s is a solution for %(type)s services.",
                    page=page.name,
                    type=page.service_type_id.name,
                )
            )
        if self.service_state == "archived":
            raise UserError(
                self.env._(
                    "Archived services can be read but not changed: %(services)s.",
                    services=self.display_name,
                )
            )
        self.solution_page_id = page
        return True

    def action_kb_save_solution(self):
        """Save as solution: a draft page with the request and the handling
        of a handled or archived service, in the category of its type, for
        a sales manager to publish. Calling it again opens the same page."""
        self.ensure_one()
        if not self.service_type_id or self.service_state not in (
            "handled",
            "archived",
        ):
            raise UserError(
                self.env._(
                    "Only a handled or archived service can be saved as a solution."
                )
            )
        self.check_access("write")
        Page = self.env["document.page"]
        page = Page.with_context(active_test=False).search(
            [("source_ticket_id", "=", self.id)], limit=1
        )
        if not page:
            category = Page._kb_category_for(self.service_type_id)
            page = Page.create(
                {
                    "name": self.name,
                    "type": "content",
                    "parent_id": category.id,
                    "source_ticket_id": self.id,
                    "is_published": False,
                    "kb_keywords": self.tag_ids
                    and " ".join(self.tag_ids.mapped("name")),
                    "content": Page._kb_content_from_ticket(self),
                    "draft_name": "1.0",
                    "draft_summary": self.env._(
                        "Saved from service %(service)s", service=self.display_name
                    ),
                }
            )
            # The archived service is read only; its chatter still takes notes.
            self.message_post(
                body=Markup(
                    "%s <a href='#' data-oe-model='document.page' "
                    "data-oe-id='%s'>%s</a>"
                )
                % (self.env._("Saved as a draft solution:"), page.id, page.name),
                subtype_xmlid="mail.mt_note",
            )
            self.invalidate_recordset(["kb_saved_page_id"])
        return page.with_context(kb_ticket_id=False).action_kb_open()
