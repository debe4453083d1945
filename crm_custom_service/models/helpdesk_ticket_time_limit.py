# Its own file by concern (house style: models/<model>_<concern>.py).
# pylint: disable=consider-merging-classes-inherited
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from .helpdesk_ticket import ACTIVITY_OVERDUE
from .helpdesk_ticket_stage import SERVICE_STATES

# Services escalated per run and kind by the time limits cron (S7).
CRON_BATCH_SIZE = 200
# What the cron writes on the services it escalated, per kind of time limit,
# so that each step is escalated once.
ESCALATION_MARKS = {
    "assign": {"overdue_escalated_state": "new"},
    "handle": {"overdue_escalated_state": "assigned"},
    "dispatch_feedback": {"dispatch_feedback_escalated": True},
}


class HelpdeskTicket(models.Model):
    """Time limits of services (S7): each service type gives the hours to
    assign and to handle a service, and the days a service provider has to
    give its feedback on a repair (S6). A service past the limit of its
    step stands out (``service_overdue``); a scheduled action reminds its
    assignee and escalates it to the sales managers, once per step."""

    _inherit = "helpdesk.ticket"

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
    dispatch_feedback_deadline = fields.Datetime(
        string="Provider Feedback Due",
        compute="_compute_dispatch_feedback_deadline",
        store=True,
    )
    dispatch_feedback_escalated = fields.Boolean(readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

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

    # ------------------------------------------------------------------
    # Business: escalation of overdue services
    # ------------------------------------------------------------------

    @api.model
    def _cron_service_time_limits(self):
        """S7: remind and escalate services past their time limits. Each
        step of a service is escalated once, so reruns remind nobody twice.
        A batch per kind and run; the progress reported to the scheduler
        makes it run again while some remain."""
        tickets = self.sudo()
        domains = tickets._service_overdue_domains(fields.Datetime.now())
        sales_managers = tickets._service_sales_managers()
        done = sum(
            tickets._service_escalate_batch(kind, domain, sales_managers)
            for kind, domain in domains.items()
        )
        remaining = sum(tickets.search_count(domain) for domain in domains.values())
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

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
    def _service_escalate_batch(self, kind, domain, sales_managers):
        """Escalate one batch of the overdue services of one kind and mark
        them escalated; the number escalated."""
        late = self.search(domain, limit=CRON_BATCH_SIZE, order="id")
        if late:
            late._service_escalate(kind, sales_managers)
            late._service_write(ESCALATION_MARKS[kind])
        return len(late)

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

    def _service_escalation_texts(self, kind):
        """The reminder to the assignee (None: nobody to remind), the
        summary of the escalation and the text of both."""
        self.ensure_one()
        if kind == "assign":
            deadline = format_datetime(self.env, self.deadline_assign)
            return (
                None,
                self.env._("Assign the overdue service"),
                self.env._(
                    "%(service)s should have been assigned before %(deadline)s.",
                    service=self.display_name,
                    deadline=deadline,
                ),
            )
        if kind == "handle":
            deadline = format_datetime(self.env, self.deadline_handle)
            return (
                self.env._("Handle the overdue service"),
                self.env._("Overdue service of %(user)s", user=self.user_id.name),
                self.env._(
                    "%(service)s should have been handled by %(user)s before "
                    "%(deadline)s.",
                    service=self.display_name,
                    user=self.user_id.name,
                    deadline=deadline,
                ),
            )
        deadline = format_datetime(self.env, self.dispatch_feedback_deadline)
        return (
            self.env._("Get the provider's overdue feedback"),
            self.env._("Overdue provider feedback"),
            self.env._(
                "%(provider)s should have given its feedback on %(service)s "
                "before %(deadline)s.",
                provider=self.dispatch_partner_id.display_name,
                service=self.display_name,
                deadline=deadline,
            ),
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

    @api.model
    def _service_sales_managers(self):
        group = self.env.ref("crm_custom.group_sales_manager")
        return (
            self.env["res.users"]
            .sudo()
            .search([("groups_id", "in", group.ids), ("share", "=", False)])
        )
