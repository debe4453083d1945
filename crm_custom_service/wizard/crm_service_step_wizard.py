from odoo import api, fields, models

SATISFACTION_LEVELS = [
    ("1", "1 - Very dissatisfied"),
    ("2", "2 - Dissatisfied"),
    ("3", "3 - Acceptable"),
    ("4", "4 - Satisfied"),
    ("5", "5 - Very satisfied"),
]


class CrmServiceStepWizard(models.TransientModel):
    """Collects what one step of a service needs (assignee, handling,
    feedback, dispatch data) and calls the ticket's action, which checks the
    user's role and the service's step."""

    _name = "crm.service.step.wizard"
    _description = "Service Step"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Service",
        required=True,
        ondelete="cascade",
    )
    step = fields.Selection(
        selection=[
            ("assign", "Assign"),
            ("handle", "Handle"),
            ("feedback", "Feedback"),
            ("dispatch", "Dispatch"),
            ("confirm_dispatch", "Confirm Dispatch"),
            ("record_times", "Record Service Times"),
            ("dispatch_feedback", "Provider Feedback"),
        ],
        required=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Assign To",
        domain="[('share', '=', False)]",
    )
    handling_note = fields.Text(string="How It Was Handled")
    satisfaction = fields.Selection(selection=SATISFACTION_LEVELS)
    feedback_result = fields.Text()
    dispatch_partner_id = fields.Many2one(
        comodel_name="res.partner", string="Service Provider"
    )
    technician_name = fields.Char(string="Technician")
    technician_phone = fields.Char()
    date_arrival = fields.Datetime(string="Arrived On")
    date_repaired = fields.Datetime(string="Repaired On")
    dispatch_feedback = fields.Text(string="Provider Feedback")

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        context = self.env.context
        if (
            not defaults.get("ticket_id")
            and context.get("active_model") == "helpdesk.ticket"
        ):
            defaults["ticket_id"] = context.get("active_id")
        ticket = self.env["helpdesk.ticket"].browse(defaults.get("ticket_id"))
        if ticket:
            # Start from what the service holds (reassignment, second handling).
            defaults.setdefault("user_id", ticket.user_id.id)
            defaults.setdefault("handling_note", ticket.handling_note)
            defaults.setdefault("dispatch_partner_id", ticket.dispatch_partner_id.id)
        return defaults

    def action_confirm(self):
        self.ensure_one()
        ticket = self.ticket_id
        step = self.step
        if step == "assign":
            ticket.action_assign(self.user_id.id)
        elif step == "handle":
            ticket.action_handle(self.handling_note)
        elif step == "feedback":
            ticket.action_feedback(self.satisfaction, self.feedback_result)
        elif step == "dispatch":
            ticket.action_dispatch(self.dispatch_partner_id.id)
        elif step == "confirm_dispatch":
            ticket.action_confirm_dispatch(self.technician_name, self.technician_phone)
        elif step == "record_times":
            ticket.action_record_service_times(self.date_arrival, self.date_repaired)
        elif step == "dispatch_feedback":
            ticket.action_dispatch_feedback(self.dispatch_feedback)
        return {"type": "ir.actions.act_window_close"}
