import re
from contextlib import contextmanager
from datetime import timedelta

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

from .helpdesk_ticket_stage import SERVICE_STATES

# Key in the cursor's cache that opens the lifecycle fields for the duration
# of one lifecycle action. A context key would not do: any RPC caller can
# put one in its context, so it could not stop a direct write of the stage.
_TRANSITION_KEY = "crm_custom_service.service_transition"

# Activity types of the lifecycle; the step that answers them closes them.
ACTIVITY_OVERDUE = "crm_custom_service.mail_activity_type_service_overdue"
ACTIVITY_HANDLE_AGAIN = "crm_custom_service.mail_activity_type_service_handle_again"
ACTIVITY_DISPATCH_FEEDBACK = "crm_custom_service.mail_activity_type_dispatch_feedback"

# Satisfaction from which the feedback archives a service (S4).
SATISFACTION_ARCHIVE_MIN = 3
# Services escalated per run and kind by the time limits cron (S7).
CRON_BATCH_SIZE = 200
# A technician's phone: digits, optionally a leading + and separators.
TECHNICIAN_PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{5,19}\Z")

DISPATCH_STATES = [
    ("dispatched", "Dispatched"),
    ("confirmed", "Confirmed"),
    ("repaired", "Repaired"),
    ("fed_back", "Provider Feedback Received"),
    ("reviewed", "Reviewed"),
]

# Fields that only the lifecycle actions write (S2-S7).
LIFECYCLE_FIELDS = frozenset(
    {
        "date_assigned",
        "date_handled",
        "handling_note",
        "date_feedback",
        "satisfaction",
        "feedback_result",
        "date_sent_back",
        "sent_back_count",
        "overdue_escalated_state",
        "dispatch_state",
        "dispatch_partner_id",
        "date_dispatched",
        "technician_name",
        "technician_phone",
        "date_dispatch_confirmed",
        "date_arrival",
        "date_repaired",
        "dispatch_feedback",
        "date_dispatch_feedback",
        "dispatch_reviewer_id",
        "date_dispatch_reviewed",
        "dispatch_feedback_escalated",
        "deadline_assign",
        "deadline_handle",
        "dispatch_feedback_deadline",
    }
)


class HelpdeskTicket(models.Model):
    """Customer services 客户服务 (S1-S7) are helpdesk tickets with a service
    type. They follow the lifecycle 新创建 → 已分配 → 已处理 → 已归档 through
    the ``action_*`` methods below, which check the role of the user; a
    direct write of the stage, the assignee or a lifecycle field is refused,
    and an archived service is read only. Tickets without a service type
    keep helpdesk_mgmt's behaviour untouched."""

    _inherit = "helpdesk.ticket"

    # --- Service (S1) ---------------------------------------------------
    service_type_id = fields.Many2one(
        comodel_name="crm.dictionary.item",
        domain="[('category', '=', 'service_type')]",
        index=True,
        tracking=True,
        ondelete="restrict",
        help="Set on customer services: consultation, suggestion, complaint, "
        "on-site service. A ticket without a service type is an ordinary "
        "helpdesk ticket.",
    )
    service_state = fields.Selection(
        related="stage_id.service_state",
        store=True,
        index=True,
        string="Service Step",
    )
    is_field_service = fields.Boolean(
        related="service_type_id.service_field_dispatch",
        string="Field Service",
    )
    date_requested = fields.Datetime(
        string="Requested On",
        default=fields.Datetime.now,
        copy=False,
        tracking=True,
        help="When the customer asked for the service; its time limits start here.",
    )
    # --- Assignment and handling (S2, S3) -----------------------------------
    date_assigned = fields.Datetime(string="Assigned On", readonly=True, copy=False)
    date_handled = fields.Datetime(string="Handled On", readonly=True, copy=False)
    handling_note = fields.Text(
        string="How It Was Handled", readonly=True, copy=False, tracking=True
    )
    # --- Feedback (S4) ------------------------------------------------------
    date_feedback = fields.Datetime(string="Feedback On", readonly=True, copy=False)
    satisfaction = fields.Integer(
        readonly=True,
        copy=False,
        tracking=True,
        aggregator="avg",
        help="The customer's satisfaction with the handling, from 1 (very "
        "dissatisfied) to 5 (very satisfied); 0 until the first feedback.",
    )
    feedback_result = fields.Text(readonly=True, copy=False, tracking=True)
    date_sent_back = fields.Datetime(
        string="Sent Back On",
        readonly=True,
        copy=False,
        help="Last time an unsatisfied customer sent the service back to be "
        "handled again.",
    )
    sent_back_count = fields.Integer(
        string="Times Sent Back", readonly=True, copy=False
    )
    # --- Time limits (S7) ---------------------------------------------------
    deadline_assign = fields.Datetime(
        string="Assign Before",
        compute="_compute_deadline_assign",
        store=True,
        help="Request time plus the hours to assign of the service type.",
    )
    deadline_handle = fields.Datetime(
        string="Handle Before",
        compute="_compute_deadline_handle",
        store=True,
        help="Assignment (or return) time plus the hours to handle of the "
        "service type.",
    )
    service_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_service_overdue",
        search="_search_service_overdue",
        help="The service has exceeded the time limit of its current step.",
    )
    overdue_escalated_state = fields.Selection(
        selection=SERVICE_STATES,
        string="Overdue Escalated In Step",
        readonly=True,
        copy=False,
        help="Step in which the exceeded time limit was already escalated, so "
        "that the scheduled action reminds only once per step.",
    )
    # --- Field dispatch 派工 (S6) -------------------------------------------
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
    dispatch_feedback_deadline = fields.Datetime(
        string="Provider Feedback Due",
        compute="_compute_dispatch_feedback_deadline",
        store=True,
    )
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
    dispatch_feedback_escalated = fields.Boolean(readonly=True, copy=False)

    _sql_constraints = [
        (
            "satisfaction_range",
            "CHECK(satisfaction IS NULL OR (satisfaction >= 0 AND satisfaction <= 5))",
            "Satisfaction is rated from 1 to 5.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("team_id", "service_type_id")
    def _compute_stage_id(self):
        services = self.filtered("service_type_id")
        if services:
            first_stage = self._get_service_stage("new")
            for ticket in services:
                if not ticket.stage_id.service_state:
                    ticket.stage_id = first_stage
                else:
                    ticket.stage_id = ticket.stage_id
        return super(HelpdeskTicket, self - services)._compute_stage_id()

    @api.depends("team_id")
    def _compute_user_id(self):
        # A service's assignee is chosen by a sales manager, whatever team.
        services = self.filtered("service_type_id")
        for ticket in services:
            ticket.user_id = ticket.user_id
        return super(HelpdeskTicket, self - services)._compute_user_id()

    @api.depends("date_requested", "service_type_id.service_assign_hours")
    def _compute_deadline_assign(self):
        for ticket in self:
            hours = ticket.service_type_id.service_assign_hours
            ticket.deadline_assign = (
                ticket.date_requested + timedelta(hours=hours)
                if hours and ticket.date_requested
                else False
            )

    @api.depends(
        "date_assigned", "date_sent_back", "service_type_id.service_handle_hours"
    )
    def _compute_deadline_handle(self):
        for ticket in self:
            hours = ticket.service_type_id.service_handle_hours
            start = max(
                filter(None, [ticket.date_assigned, ticket.date_sent_back]),
                default=False,
            )
            ticket.deadline_handle = (
                start + timedelta(hours=hours) if hours and start else False
            )

    @api.depends(
        "date_repaired",
        "service_type_id.service_field_dispatch",
        "service_type_id.service_feedback_days",
    )
    def _compute_dispatch_feedback_deadline(self):
        for ticket in self:
            ticket.dispatch_feedback_deadline = (
                ticket.date_repaired
                + timedelta(days=ticket.service_type_id.service_feedback_days)
                if ticket.date_repaired and ticket.is_field_service
                else False
            )

    @api.depends("service_state", "deadline_assign", "deadline_handle")
    def _compute_service_overdue(self):
        now = fields.Datetime.now()
        for ticket in self:
            deadline = {
                "new": ticket.deadline_assign,
                "assigned": ticket.deadline_handle,
            }.get(ticket.service_state)
            ticket.service_overdue = bool(deadline and deadline < now)

    def _search_service_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue services."))
        now = fields.Datetime.now()
        overdue = [
            "|",
            "&",
            ("service_state", "=", "new"),
            ("deadline_assign", "<", now),
            "&",
            ("service_state", "=", "assigned"),
            ("deadline_handle", "<", now),
        ]
        if (operator == "=") == value:
            return overdue
        return [("id", "not in", self._search(overdue))]

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """The services views show the four service steps; the other
        views hide them unless they hold some of the tickets shown."""
        if self.env.context.get("crm_service_view"):
            return stages.search([("service_state", "!=", False)])
        result = super()._read_group_stage_ids(stages, domain)
        return result.filtered(lambda s: not s.service_state or s in stages)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _get_service_stage(self, service_state):
        stage = (
            self.env["helpdesk.ticket.stage"]
            .sudo()
            .search([("service_state", "=", service_state)], limit=1)
        )
        if not stage:
            raise UserError(
                self.env._(
                    "No helpdesk stage carries the service step %(step)s.",
                    step=dict(SERVICE_STATES)[service_state],
                )
            )
        return stage

    def _service_in_transition(self):
        return bool(self.env.cr.cache.get(_TRANSITION_KEY))

    @contextmanager
    def _service_transition(self):
        """Open the lifecycle fields to the enclosed writes only."""
        cache = self.env.cr.cache
        depth = cache.get(_TRANSITION_KEY, 0)
        cache[_TRANSITION_KEY] = depth + 1
        try:
            yield
        finally:
            cache[_TRANSITION_KEY] = depth

    def _service_write(self, vals):
        with self._service_transition():
            return self.write(vals)

    def _service_is_system(self):
        # Demo data and scheduled actions run as the superuser.
        return self.env.uid == SUPERUSER_ID

    def _service_has_group(self, group_xmlid):
        return self._service_is_system() or self.env.user.has_group(group_xmlid)

    def _service_step_label(self, service_state):
        selection = self._fields["service_state"]._description_selection(self.env)
        return dict(selection).get(service_state) or self.env._("none")

    def _check_services(self, service_states, action):
        for ticket in self:
            if not ticket.service_type_id:
                raise UserError(
                    self.env._(
                        "%(ticket)s is not a customer service.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.service_state not in service_states:
                raise UserError(
                    self.env._(
                        "%(action)s is not possible: %(ticket)s is in step "
                        "%(step)s.",
                        action=action,
                        ticket=ticket.display_name,
                        step=self._service_step_label(ticket.service_state),
                    )
                )

    @api.model
    def _parse_satisfaction(self, satisfaction):
        """The satisfaction as an integer from 1 to 5, from a number or the
        text of a form; anything else is refused."""
        if satisfaction in (None, False, ""):
            raise ValidationError(
                self.env._("Give the customer's satisfaction, from 1 to 5.")
            )
        error = ValidationError(
            self.env._(
                "Satisfaction is rated from 1 to 5, not %(value)s.", value=satisfaction
            )
        )
        if isinstance(satisfaction, bool) or not isinstance(satisfaction, int | str):
            raise error
        text = str(satisfaction).strip()
        if not re.fullmatch(r"[1-5]", text):
            raise error
        return int(text)

    # ------------------------------------------------------------------
    # CRUD: the lifecycle is enforced here
    # ------------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        service_view = self.env.context.get("crm_service_view")
        if (
            service_view
            and "service_type_id" in fields_list
            and not defaults.get("service_type_id")
        ):
            # From the services menus a new record is a service: start with
            # the first type (consultation), the user picks the right one.
            defaults["service_type_id"] = (
                self.env["crm.dictionary.item"]
                .search([("category", "=", "service_type")], limit=1)
                .id
            )
        if defaults.get("service_type_id") or service_view:
            # helpdesk_mgmt may auto-assign the creator; a service waits for
            # a sales manager.
            defaults.pop("user_id", None)
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        in_transition = self._service_in_transition()
        first_stage = None
        for vals in vals_list:
            if not in_transition:
                self._check_service_create_vals(vals)
            if vals.get("service_type_id") and not in_transition:
                first_stage = first_stage or self._get_service_stage("new")
                vals["stage_id"] = first_stage.id
                # Not helpdesk_mgmt's auto-assignment default either: a
                # sales manager assigns the service.
                vals["user_id"] = False
        return super().create(vals_list)

    def _check_service_create_vals(self, vals):
        protected = {name for name, value in vals.items() if value} & LIFECYCLE_FIELDS
        if protected:
            raise UserError(self._service_protected_message(protected))
        if not vals.get("service_type_id"):
            if (
                vals.get("stage_id")
                and self.env["helpdesk.ticket.stage"]
                .browse(vals["stage_id"])
                .sudo()
                .service_state
            ):
                raise UserError(self.env._("Service stages are for services only."))
            return
        if not self._service_has_group("crm_custom.group_customer_manager"):
            raise AccessError(
                self.env._("Only customer managers and sales managers create services.")
            )
        if vals.get("user_id"):
            raise UserError(
                self.env._(
                    "A new service is assigned by a sales manager once it is created."
                )
            )
        first_stage = self._get_service_stage("new")
        if vals.get("stage_id") and vals["stage_id"] != first_stage.id:
            raise UserError(
                self.env._(
                    "A new service starts in step %(step)s.", step=first_stage.name
                )
            )

    def _service_protected_message(self, field_names):
        labels = ", ".join(
            sorted(
                self._fields[name].get_description(self.env)["string"]
                for name in field_names
            )
        )
        return self.env._(
            "%(fields)s change only through the service actions (assign, "
            "handle, feedback, dispatch).",
            fields=labels,
        )

    def write(self, vals):
        if not self._service_in_transition():
            self._check_service_write(vals)
        return super().write(vals)

    def _check_service_write(self, vals):
        protected = LIFECYCLE_FIELDS & vals.keys()
        if protected:
            raise UserError(self._service_protected_message(protected))
        services = self.filtered("service_type_id")
        others = self - services
        if "service_type_id" in vals:
            if others and vals["service_type_id"]:
                raise UserError(
                    self.env._(
                        "An existing ticket cannot become a service: create the "
                        "service from the customer's request."
                    )
                )
            if services and not vals["service_type_id"]:
                raise UserError(
                    self.env._("A service cannot be turned into an ordinary ticket.")
                )
        if others and vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"]).sudo()
            if stage.service_state:
                raise UserError(self.env._("Service stages are for services only."))
        if not services:
            return
        # The superuser passes (portal tokens, mail gateway, data updates):
        # every user, administrators included, meets the lock.
        archived = services.filtered(lambda t: t.service_state == "archived")
        if archived and not self.env.su:
            raise UserError(
                self.env._(
                    "Archived services can be read but not changed: %(services)s.",
                    services=", ".join(archived.mapped("display_name")),
                )
            )
        if "stage_id" in vals and services.filtered(
            lambda t: t.stage_id.id != vals["stage_id"]
        ):
            raise UserError(
                self.env._(
                    "The step of a service changes only through its actions: a "
                    "sales manager assigns it, the assignee handles it, the "
                    "customer's feedback archives it or sends it back."
                )
            )
        if "user_id" in vals and services.filtered(
            lambda t: t.user_id.id != (vals["user_id"] or False)
        ):
            raise UserError(
                self.env._(
                    "A service is assigned by a sales manager with the Assign action."
                )
            )
        if {"service_type_id", "date_requested"} & vals.keys() and services.filtered(
            lambda t: t.service_state != "new"
        ):
            raise UserError(
                self.env._(
                    "The type and request time of a service can only change "
                    "while it is new."
                )
            )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for vals in vals_list:
            if vals.get("service_type_id"):
                # A copy is a new request: it waits for its own assignment.
                vals["user_id"] = False
                vals.pop("stage_id", None)
        return vals_list

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started_service(self):
        started = self.filtered(
            lambda t: t.service_type_id and t.service_state != "new"
        )
        if started:
            raise UserError(
                self.env._(
                    "Only new services can be deleted: %(services)s has started.",
                    services=", ".join(started.mapped("display_name")),
                )
            )

    @api.constrains("service_type_id", "partner_id")
    def _check_service_customer(self):
        for ticket in self.filtered("service_type_id"):
            if ticket.service_type_id.category != "service_type":
                raise ValidationError(
                    self.env._(
                        "%(item)s is not a service type.",
                        item=ticket.service_type_id.display_name,
                    )
                )
            if not ticket.partner_id:
                raise ValidationError(
                    self.env._("A service needs the customer who asked for it.")
                )

    # ------------------------------------------------------------------
    # Lifecycle actions (S2-S4)
    # ------------------------------------------------------------------

    def action_assign(self, user):
        """S2: a sales manager assigns (or reassigns) services to a user."""
        if not self._service_has_group("crm_custom.group_sales_manager"):
            raise AccessError(self.env._("Only a sales manager can assign a service."))
        self._check_services({"new", "assigned"}, self.env._("Assigning"))
        user = (
            self.env["res.users"]
            .browse(user.id if isinstance(user, models.BaseModel) else user)
            .exists()
        )
        if not user or user.share or not user.active:
            raise ValidationError(
                self.env._("A service is assigned to an active internal user.")
            )
        self._service_write(
            {
                "stage_id": self._get_service_stage("assigned").id,
                "user_id": user.id,
                "date_assigned": fields.Datetime.now(),
                "overdue_escalated_state": False,
            }
        )
        self.sudo().activity_feedback(
            [ACTIVITY_OVERDUE], feedback=self.env._("The service is assigned.")
        )
        return True

    def action_handle(self, handling_note):
        """S3: the assignee records how the services were handled."""
        self._check_services({"assigned"}, self.env._("Handling"))
        if not self._service_is_system():
            not_mine = self.filtered(lambda t: t.user_id != self.env.user)
            if not_mine:
                raise AccessError(
                    self.env._(
                        "Only its assignee can handle %(service)s.",
                        service=not_mine[0].display_name,
                    )
                )
        note = (handling_note or "").strip()
        if not note:
            raise ValidationError(self.env._("Describe how the service was handled."))
        unreviewed = self.filtered(
            lambda t: t.is_field_service and t.dispatch_state != "reviewed"
        )
        if unreviewed:
            raise UserError(
                self.env._(
                    "The field dispatch of %(service)s must be reviewed by the "
                    "office before the service is handled.",
                    service=unreviewed[0].display_name,
                )
            )
        self._service_write(
            {
                "stage_id": self._get_service_stage("handled").id,
                "handling_note": note,
                "date_handled": fields.Datetime.now(),
            }
        )
        self.sudo().activity_feedback(
            [ACTIVITY_OVERDUE, ACTIVITY_HANDLE_AGAIN],
            feedback=self.env._("The service is handled."),
        )
        return True

    def _check_can_give_feedback(self):
        """The customer (portal), its customer manager, the creator of the
        service or a sales manager record the customer's feedback."""
        user = self.env.user
        if self._service_has_group("crm_custom.group_sales_manager"):
            return
        for ticket in self:
            customer = ticket.commercial_partner_id
            if user.share:
                allowed = customer and user.commercial_partner_id == customer
            else:
                allowed = user in (ticket.create_uid | customer.user_id) and (
                    user.has_group("crm_custom.group_customer_manager")
                )
            if not allowed:
                raise AccessError(
                    self.env._(
                        "Only the customer, its customer manager or a sales "
                        "manager can give the feedback on %(service)s.",
                        service=ticket.display_name,
                    )
                )

    def action_feedback(self, satisfaction, result):
        """S4: record the customer's feedback. A satisfaction of 3 or more
        archives the services; less sends them back to their assignee."""
        self._check_services({"handled"}, self.env._("Feedback"))
        satisfaction = self._parse_satisfaction(satisfaction)
        result = (result or "").strip()
        if not result:
            raise ValidationError(self.env._("Give the result of the feedback."))
        self._check_can_give_feedback()
        now = fields.Datetime.now()
        vals = {
            "satisfaction": satisfaction,
            "feedback_result": result,
            "date_feedback": now,
        }
        if satisfaction >= SATISFACTION_ARCHIVE_MIN:
            self._service_write(
                dict(vals, stage_id=self._get_service_stage("archived").id)
            )
            return True
        assigned_stage = self._get_service_stage("assigned")
        for ticket in self:
            ticket._service_write(
                dict(
                    vals,
                    stage_id=assigned_stage.id,
                    date_sent_back=now,
                    sent_back_count=ticket.sent_back_count + 1,
                    overdue_escalated_state=False,
                )
            )
            reason = Markup("<p>%s</p><p>%s</p>") % (
                self.env._(
                    "Sent back to be handled again: the customer's satisfaction "
                    "is %(satisfaction)s/5.",
                    satisfaction=satisfaction,
                ),
                self.env._("Reason: %(reason)s", reason=result),
            )
            ticket.sudo().message_post(
                body=reason,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=ticket.user_id.partner_id.ids,
            )
            ticket.sudo().activity_schedule(
                ACTIVITY_HANDLE_AGAIN,
                date_deadline=fields.Date.context_today(ticket),
                summary=self.env._("Handle the service again"),
                note=result,
                user_id=ticket.user_id.id,
            )
        return True

    # ------------------------------------------------------------------
    # Field dispatch 派工 (S6)
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
    # Time limits (S7)
    # ------------------------------------------------------------------

    @api.model
    def _service_sales_managers(self):
        group = self.env.ref("crm_custom.group_sales_manager")
        return (
            self.env["res.users"]
            .sudo()
            .search([("groups_id", "in", group.ids), ("share", "=", False)])
        )

    def _service_supervisors(self, sales_managers):
        """The sales managers to escalate a service to: the leader of the
        sales team of the customer's manager, of the assignee or of the
        creator, else all of them."""
        self.ensure_one()
        leaders = (
            self.commercial_partner_id.user_id.sale_team_id.user_id
            | self.user_id.sale_team_id.user_id
            | self.create_uid.sale_team_id.user_id
        ) & sales_managers
        return leaders or sales_managers

    def _service_escalation_texts(self, kind):
        self.ensure_one()
        _ = self.env._
        if kind == "assign":
            deadline = format_datetime(self.env, self.deadline_assign)
            return (
                None,
                _("Assign the overdue service"),
                _(
                    "%(service)s should have been assigned before %(deadline)s.",
                    service=self.display_name,
                    deadline=deadline,
                ),
            )
        if kind == "handle":
            deadline = format_datetime(self.env, self.deadline_handle)
            return (
                _("Handle the overdue service"),
                _("Overdue service of %(user)s", user=self.user_id.name),
                _(
                    "%(service)s should have been handled by %(user)s before "
                    "%(deadline)s.",
                    service=self.display_name,
                    user=self.user_id.name,
                    deadline=deadline,
                ),
            )
        deadline = format_datetime(self.env, self.dispatch_feedback_deadline)
        return (
            _("Get the provider's overdue feedback"),
            _("Overdue provider feedback"),
            _(
                "%(provider)s should have given its feedback on %(service)s "
                "before %(deadline)s.",
                provider=self.dispatch_partner_id.display_name,
                service=self.display_name,
                deadline=deadline,
            ),
        )

    def _service_escalate(self, kind, sales_managers):
        """Remind the assignee and escalate to the sales managers: one
        activity each and a note mentioning them."""
        activity_type = self.env.ref(ACTIVITY_OVERDUE)
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        activities = []
        for ticket in self:
            reminder, escalation, text = ticket._service_escalation_texts(kind)
            supervisors = ticket._service_supervisors(sales_managers)
            targets = [(user, escalation) for user in supervisors]
            if reminder and ticket.user_id:
                targets.insert(0, (ticket.user_id, reminder))
            activities += [
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "summary": summary,
                    "note": text,
                    "date_deadline": today,
                    "automated": True,
                }
                for user, summary in targets
            ]
            ticket.message_post(
                body=text,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=(supervisors | ticket.user_id).partner_id.ids,
            )
        self.env["mail.activity"].sudo().create(activities)

    @api.model
    def _service_overdue_domains(self, now):
        return {
            "assign": [
                ("service_state", "=", "new"),
                ("deadline_assign", "<", now),
                ("overdue_escalated_state", "!=", "new"),
            ],
            "handle": [
                ("service_state", "=", "assigned"),
                ("deadline_handle", "<", now),
                ("overdue_escalated_state", "!=", "assigned"),
            ],
            "dispatch_feedback": [
                ("service_state", "=", "assigned"),
                ("dispatch_state", "=", "repaired"),
                ("dispatch_feedback_deadline", "<", now),
                ("dispatch_feedback_escalated", "=", False),
            ],
        }

    @api.model
    def _cron_service_time_limits(self):
        """S7: remind and escalate services past their time limits. Each
        step of a service is escalated once, so reruns remind nobody twice;
        a batch per run, the cron is called again while some remain."""
        tickets = self.sudo()
        now = fields.Datetime.now()
        sales_managers = self._service_sales_managers()
        marks = {
            "assign": {"overdue_escalated_state": "new"},
            "handle": {"overdue_escalated_state": "assigned"},
            "dispatch_feedback": {"dispatch_feedback_escalated": True},
        }
        domains = self._service_overdue_domains(now)
        done = 0
        for kind, domain in domains.items():
            late = tickets.search(domain, limit=CRON_BATCH_SIZE, order="id")
            if not late:
                continue
            late._service_escalate(kind, sales_managers)
            late._service_write(marks[kind])
            done += len(late)
        remaining = sum(tickets.search_count(domain) for domain in domains.values())
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done
