from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import html_sanitize

from .portal import CustomerPortalServices

_SOLUTIONS_PER_PAGE = 80


class CustomerPortalKnowledge(CustomerPortalServices):
    """Customers read the published solutions 知识库 of the categories that
    a sales manager made readable by customers (S8). What a customer reads
    is decided by the record rules on document.page."""

    def _kb_solution_domain(self, search=None):
        domain = [
            ("type", "=", "content"),
            ("service_type_id", "!=", False),
            ("is_published", "=", True),
        ]
        if search:
            domain.append(("kb_query", "ilike", search))
        return domain

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "kb_solution_count" in counters:
            Page = request.env["document.page"]
            values["kb_solution_count"] = (
                Page.search_count(self._kb_solution_domain())
                if Page.has_access("read")
                else 0
            )
        return values

    @http.route(["/my/solutions"], type="http", auth="user", website=True)
    def portal_my_solutions(self, search=None, **kw):
        Page = request.env["document.page"]
        pages = Page.browse()
        if Page.has_access("read"):
            pages = Page.search(
                self._kb_solution_domain(search), limit=_SOLUTIONS_PER_PAGE
            )
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="kb_solutions",
            solutions=pages,
            search=search or "",
        )
        return request.render("crm_custom_service.portal_my_solutions", values)

    @http.route(["/my/solutions/<int:page_id>"], type="http", auth="user", website=True)
    def portal_my_solution(self, page_id, **kw):
        page = request.env["document.page"].browse(page_id)
        try:
            page.check_access("read")
            if not page.exists() or not page.is_published or not page.service_type_id:
                raise MissingError(page_id)
        except (AccessError, MissingError):
            return request.redirect("/my/solutions")
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="kb_solution",
            solution=page,
            # Pages are written by staff with document_page's unsanitized
            # editor: sanitized before a customer sees them.
            solution_content=html_sanitize(page.content),
            category_name=page.sudo().parent_id.name,
        )
        return request.render("crm_custom_service.portal_my_solution", values)
