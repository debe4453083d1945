import re

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .helpdesk_ticket_stage import SERVICE_STATES

# Activity types of the lifecycle; the step that answers them closes them.
ACTIVITY_OVERDUE = "crm_custom_service.mail_activity_type_service_overdue"
ACTIVITY_HANDLE_AGAIN = "crm_custom_service.mail_activity_type_service_handle_again"

# Satisfaction from which the feedback archives a service (S4).
SATISFACTION_ARCHIVE_MIN = 3

# Fields that only the lifecycle actions write (S2-S7), here and in
# helpdesk_ticket_dispatch.py (S6) and helpdesk_ticket_time_limit.py (S7):
# the guarded fields of crm.guarded.fields.mixin.
LIFECYCLE_FIELDS = frozenset(
    {
        # Assignment, handling and feedback (S2-S4)
        "date_assigned",
        "date_handled",
        "handling_note",
        "date_feedback",
        "satisfaction",
        "feedback_result",
        "date_sent_back",
        "sent_back_count",
        # Field dispatch (S6)
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
        # Time limits (S7)
        "deadline_assign",
        "deadline_handle",
        "dispatch_feedback_deadline",
        "overdue_escalated_state",
        "dispatch_feedback_escalated",
    }
)


class HelpdeskTicket(models.Model):
    """Customer services 客户服务 (S1-S7) are helpdesk tickets with a service
    type. They follow the lifecycle 新创建 → 已分配 → 已处理 → 已归档 through
    the ``action_*`` methods below, which check the role of the user; a
    direct write of the stage, the assignee or a lifecycle field is refused,
    and an archived service is read only. Tickets without a service type
    keep helpdesk_mgmt's behaviour untouched.

    The lifecycle fields are the guarded fields of
    ``crm.guarded.fields.mixin``: the actions check who may act, then write
    through ``_service_write`` (``_guarded_write``: superuser mode, the
    user's uid, so that tracking and the chatter name them). The field
    dispatch (S6) and the time limits (S7) live in their own files."""

    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "crm.guarded.fields.mixin"]

    _guarded_fields = LIFECYCLE_FIELDS

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

    _sql_constraints = [
        (
            "satisfaction_range",
            "CHECK(satisfaction IS NULL OR (satisfaction >= 0 AND satisfaction <= 5))",
            "Satisfaction is rated from 1 to 5.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes and constraints
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

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """The services views show the four service steps; the other
        views hide them unless they hold some of the tickets shown."""
        if self.env.context.get("crm_service_view"):
            return stages.search([("service_state", "!=", False)])
        result = super()._read_group_stage_ids(stages, domain)
        return result.filtered(lambda s: not s.service_state or s in stages)

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
        first_stage = None
        for vals in vals_list:
            self._check_service_create_vals(vals)
            if vals.get("service_type_id"):
                first_stage = first_stage or self._get_service_stage("new")
                vals["stage_id"] = first_stage.id
                # Not helpdesk_mgmt's auto-assignment default either: a
                # sales manager assigns the service.
                vals["user_id"] = False
        return super().create(vals_list)

    def write(self, vals):
        protected = self._guarded_fields_in(vals)
        if protected:
            raise UserError(self._service_protected_message(protected))
        self._check_service_write(vals)
        return super().write(vals)

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
        if not self.env.su:
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
    # Business: checks of the lifecycle
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

    def _service_write(self, vals):
        """Write the lifecycle of services from an action, once the action
        has checked the step and the role of the user: the user's write
        access (access rights and record rules, so executives only read),
        then ``_guarded_write``. In superuser mode (demo data, crons, the
        portal's feedback) the caller is trusted."""
        self.check_access("write")
        return self._guarded_write(vals)

    def _service_has_group(self, group_xmlid):
        """Whether the user may act as a member of the group. Superuser mode
        is trusted server code (demo data, the scheduled actions, the
        portal's feedback once it has checked the customer)."""
        return self.env.su or self.env.user.has_group(group_xmlid)

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

    def _service_step_label(self, service_state):
        selection = self._fields["service_state"]._description_selection(self.env)
        return dict(selection).get(service_state) or self.env._("none")

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

    def _check_service_create_vals(self, vals):
        protected = self._guarded_fields_in(
            {name: value for name, value in vals.items() if value}
        )
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

    def _check_service_write(self, vals):
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
        # Superuser mode passes (portal tokens, mail gateway, data updates):
        # every user, administrators included, meets the lock.
        archived = services.filtered(lambda t: t.service_state == "archived")
        if archived and not self.env.su:
            raise UserError(
                self.env._(
                    "Archived services can be read but not changed: %(services)s.",
                    services=", ".join(archived.mapped("display_name")),
                )
            )
        by_action = self._service_is_written_by_action(vals)
        if (
            "stage_id" in vals
            and not by_action
            and services.filtered(lambda t: t.stage_id.id != vals["stage_id"])
        ):
            raise UserError(
                self.env._(
                    "The step of a service changes only through its actions: a "
                    "sales manager assigns it, the assignee handles it, the "
                    "customer's feedback archives it or sends it back."
                )
            )
        if (
            "user_id" in vals
            and not by_action
            and services.filtered(lambda t: t.user_id.id != (vals["user_id"] or False))
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

    def _service_is_written_by_action(self, vals):
        """Whether ``vals`` is written by a lifecycle action: actions write
        the step and the assignee of a service together with the lifecycle
        record of the step (date assigned, handled, feedback...), in
        superuser mode (``_guarded_write``). Any other write of the step or
        the assignee is refused, superuser mode included: helpdesk_mgmt's
        portal closes tickets with ``sudo()``."""
        return self.env.su and not self._guarded_fields.isdisjoint(vals)

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
