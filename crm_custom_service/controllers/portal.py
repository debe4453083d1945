from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk

_FEEDBACK_MESSAGE_KEY = "crm_custom_service_feedback"


class CustomerPortalServices(CustomerPortalHelpdesk):
    """Customers follow their services 客户服务 in helpdesk_mgmt's portal and
    give their satisfaction feedback there (S4)."""

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        # The outcome of the last feedback post, shown once.
        outcome = request.session.pop(_FEEDBACK_MESSAGE_KEY, None) or {}
        if outcome.get("ticket_id") != ticket.id:
            outcome = {}
        values.update(
            service_feedback_done=outcome.get("done", False),
            service_feedback_error=outcome.get("error"),
            can_give_service_feedback=self._can_give_service_feedback(ticket),
        )
        return values

    def _can_give_service_feedback(self, ticket):
        if not ticket.service_type_id or ticket.service_state != "handled":
            return False
        try:
            # As the portal user, not in superuser mode, which is trusted.
            ticket.with_user(request.env.user)._check_can_give_feedback()
        except AccessError:
            return False
        return True

    @http.route(
        ["/my/ticket/<int:ticket_id>/service_feedback"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_service_feedback(self, ticket_id, satisfaction=None, result=None, **kw):
        try:
            ticket_sudo = self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=kw.get("access_token")
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        outcome = {"ticket_id": ticket_sudo.id}
        try:
            # The portal user writes no ticket: the feedback runs in
            # superuser mode (the user's uid, so the chatter names them),
            # once the user is checked to be the service's customer.
            ticket_sudo.with_user(request.env.user)._check_can_give_feedback()
            ticket_sudo.action_feedback(satisfaction, result)
        except (AccessError, UserError, ValidationError) as error:
            outcome["error"] = str(error.args[0])
        else:
            outcome["done"] = True
        request.session[_FEEDBACK_MESSAGE_KEY] = outcome
        return request.redirect(f"/my/ticket/{ticket_sudo.id}")
