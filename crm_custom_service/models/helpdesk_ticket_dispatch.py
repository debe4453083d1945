# Its own file by concern (house style: models/<model>_<concern>.py).
# pylint: disable=consider-merging-classes-inherited
import re

from odoo import fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

# The provider's feedback is due once the repair is recorded; receiving it
# closes the activity.
ACTIVITY_DISPATCH_FEEDBACK = "crm_custom_service.mail_activity_type_dispatch_feedback"
# A technician's phone: digits, optionally a leading + and separators.
TECHNICIAN_PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{5,19}\Z")

DISPATCH_STATES = [
    ("dispatched", "Dispatched"),
    ("confirmed", "Confirmed"),
    ("repaired", "Repaired"),
    ("fed_back", "Provider Feedback Received"),
    ("reviewed", "Reviewed"),
]


class HelpdeskTicket(models.Model):
    """Field dispatch 派工 (S6) of on-site services: the office that follows
    the service (its assignee, or a sales manager standing in) dispatches it
    to a service provider, records the technician, the service times and the
    provider's feedback, then reviews it; the service can be handled only
    once its dispatch is reviewed (``action_handle``). The dispatch fields
    are lifecycle fields: only these actions write them."""

    _inherit = "helpdesk.ticket"

    dispatch_state = fields.Selection(
        selection=DISPATCH_STATES,
        string="Dispatch Status",
        readonly=True,
        copy=False,
        tracking=True,
    )
    dispatch_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Service Provider",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
    )
    date_dispatched = fields.Datetime(string="Dispatched On", readonly=True, copy=False)
    technician_name = fields.Char(string="Technician", readonly=True, copy=False)
    technician_phone = fields.Char(readonly=True, copy=False)
    date_dispatch_confirmed = fields.Datetime(
        string="Dispatch Confirmed On", readonly=True, copy=False
    )
    date_arrival = fields.Datetime(string="Arrived On", readonly=True, copy=False)
    date_repaired = fields.Datetime(string="Repaired On", readonly=True, copy=False)
    dispatch_feedback = fields.Text(
        string="Provider Feedback", readonly=True, copy=False
    )
    date_dispatch_feedback = fields.Datetime(
        string="Provider Feedback On", readonly=True, copy=False
    )
    dispatch_reviewer_id = fields.Many2one(
        comodel_name="res.users", string="Reviewed By", readonly=True, copy=False
    )
    date_dispatch_reviewed = fields.Datetime(
        string="Reviewed On", readonly=True, copy=False
    )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_dispatch(self, provider):
        """Dispatch the field services to a service provider."""
        self._check_dispatch({False, "dispatched"}, self.env._("Dispatching"))
        provider = (
            self.env["res.partner"]
            .browse(provider.id if isinstance(provider, models.BaseModel) else provider)
            .exists()
        )
        if not provider:
            raise ValidationError(self.env._("Choose the service provider."))
        self._service_write(
            {
                "dispatch_state": "dispatched",
                "dispatch_partner_id": provider.id,
                "date_dispatched": fields.Datetime.now(),
                "technician_name": False,
                "technician_phone": False,
                "date_dispatch_confirmed": False,
            }
        )
        return True

    def action_confirm_dispatch(self, technician_name, technician_phone):
        """The provider confirms by phone; the office records its technician."""
        self._check_dispatch({"dispatched"}, self.env._("Confirming the dispatch"))
        name = (technician_name or "").strip()
        phone = (technician_phone or "").strip()
        if not name or not phone:
            raise ValidationError(
                self.env._("Give the name and phone of the technician sent on site.")
            )
        if not TECHNICIAN_PHONE_RE.match(phone):
            raise ValidationError(
                self.env._("%(phone)s is not a valid phone number.", phone=phone)
            )
        self._service_write(
            {
                "dispatch_state": "confirmed",
                "technician_name": name,
                "technician_phone": phone,
                "date_dispatch_confirmed": fields.Datetime.now(),
            }
        )
        return True

    def action_record_service_times(self, date_arrival, date_repaired):
        """The office records when the technician arrived and repaired;
        the provider's feedback is then due within the type's days."""
        self._check_dispatch({"confirmed"}, self.env._("Recording the service times"))
        arrival = fields.Datetime.to_datetime(date_arrival)
        repaired = fields.Datetime.to_datetime(date_repaired)
        if not arrival or not repaired:
            raise ValidationError(self.env._("Give the arrival and repair times."))
        if repaired > fields.Datetime.now():
            raise ValidationError(
                self.env._("The repair time cannot be in the future.")
            )
        if arrival > repaired:
            raise ValidationError(
                self.env._("The technician cannot have repaired before arriving.")
            )
        early = self.filtered(
            lambda t: t.date_dispatched and arrival < t.date_dispatched
        )
        if early:
            raise ValidationError(
                self.env._(
                    "The technician cannot have arrived before the dispatch of "
                    "%(service)s.",
                    service=early[0].display_name,
                )
            )
        self._service_write(
            {
                "dispatch_state": "repaired",
                "date_arrival": arrival,
                "date_repaired": repaired,
                "dispatch_feedback_escalated": False,
            }
        )
        for ticket in self:
            ticket.sudo().activity_schedule(
                ACTIVITY_DISPATCH_FEEDBACK,
                date_deadline=fields.Date.context_today(
                    ticket, ticket.dispatch_feedback_deadline
                ),
                summary=self.env._("Provider feedback due"),
                note=self.env._(
                    "%(provider)s gives its feedback on the repair before "
                    "%(deadline)s.",
                    provider=ticket.dispatch_partner_id.display_name,
                    deadline=format_datetime(
                        self.env, ticket.dispatch_feedback_deadline
                    ),
                ),
                user_id=ticket.user_id.id,
            )
        return True

    def action_dispatch_feedback(self, feedback):
        """The office records the provider's feedback on the repair."""
        self._check_dispatch(
            {"repaired"}, self.env._("Recording the provider feedback")
        )
        text = (feedback or "").strip()
        if not text:
            raise ValidationError(self.env._("Give the provider's feedback."))
        now = fields.Datetime.now()
        late = self.filtered(
            lambda t: t.dispatch_feedback_deadline
            and t.dispatch_feedback_deadline < now
        )
        self._service_write(
            {
                "dispatch_state": "fed_back",
                "dispatch_feedback": text,
                "date_dispatch_feedback": now,
            }
        )
        self.sudo().activity_feedback(
            [ACTIVITY_DISPATCH_FEEDBACK],
            feedback=self.env._("Provider feedback received."),
        )
        for ticket in late:
            ticket.sudo().message_post(
                body=self.env._(
                    "The provider's feedback came after its deadline (%(deadline)s).",
                    deadline=format_datetime(
                        self.env, ticket.dispatch_feedback_deadline
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_review_dispatch(self):
        """The office reviews the provider's feedback; the service can then
        be handled."""
        self._check_dispatch({"fed_back"}, self.env._("Reviewing the dispatch"))
        self._service_write(
            {
                "dispatch_state": "reviewed",
                "dispatch_reviewer_id": self.env.user.id,
                "date_dispatch_reviewed": fields.Datetime.now(),
            }
        )
        return True

    # ------------------------------------------------------------------
    # Business: checks of the dispatch
    # ------------------------------------------------------------------

    def _check_dispatch(self, dispatch_states, action):
        self._check_services({"assigned"}, action)
        for ticket in self:
            if not ticket.is_field_service:
                raise UserError(
                    self.env._(
                        "%(service)s is not a field service: it has no dispatch.",
                        service=ticket.display_name,
                    )
                )
            if (ticket.dispatch_state or False) not in dispatch_states:
                selection = dict(
                    self._fields["dispatch_state"]._description_selection(self.env)
                )
                raise UserError(
                    self.env._(
                        "%(action)s is not possible: the dispatch of %(service)s "
                        "is %(status)s.",
                        action=action,
                        service=ticket.display_name,
                        status=selection.get(ticket.dispatch_state)
                        or self.env._("not started"),
                    )
                )
            # The office that follows the field service: its assignee, or a
            # sales manager standing in.
            if not (
                ticket.user_id == self.env.user
                or self._service_has_group("crm_custom.group_sales_manager")
            ):
                raise AccessError(
                    self.env._(
                        "Only the assignee or a sales manager manages the field "
                        "dispatch of %(service)s.",
                        service=ticket.display_name,
                    )
                )
