from odoo import fields, models

SERVICE_STATES = [
    ("new", "Created"),
    ("assigned", "Assigned"),
    ("handled", "Handled"),
    ("archived", "Archived"),
]


class HelpdeskTicketStage(models.Model):
    """Service stages 新创建 → 已分配 → 已处理 → 已归档 are helpdesk stages
    flagged with a stable technical key, so that the lifecycle rules never
    depend on a stage's (translatable, editable) name. Flagged stages are
    used by services only; the other tickets keep helpdesk's own stages."""

    _inherit = "helpdesk.ticket.stage"

    service_state = fields.Selection(
        selection=SERVICE_STATES,
        string="Service Step",
        copy=False,
        index=True,
        help="Set on the four stages of customer services (S1-S5); the "
        "services lifecycle moves a service through them in this order. "
        "Stages without a service step are used by other tickets.",
    )

    _sql_constraints = [
        (
            "service_state_unique",
            "unique(service_state)",
            "Each service step can be carried by one stage only.",
        ),
    ]
