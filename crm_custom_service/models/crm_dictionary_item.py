from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmDictionaryItem(models.Model):
    """Service types 服务类型 (S1, S7) are data dictionary entries of category
    ``service_type``; each carries the time limits of its services and
    whether its services are dispatched to a service provider (S6)."""

    _inherit = "crm.dictionary.item"

    category = fields.Selection(
        selection_add=[("service_type", "Service Type")],
        ondelete={"service_type": "cascade"},
    )
    service_assign_hours = fields.Float(
        string="Hours to Assign",
        help="A new service of this type must be assigned within this many "
        "hours of the customer's request. 0 means no limit.",
    )
    service_handle_hours = fields.Float(
        string="Hours to Handle",
        help="An assigned service of this type must be handled within this "
        "many hours of its assignment (or of its return by an unsatisfied "
        "customer). 0 means no limit.",
    )
    service_field_dispatch = fields.Boolean(
        string="Field Dispatch",
        help="Services of this type are dispatched to a service provider who "
        "sends a technician on site (派工).",
    )
    service_feedback_days = fields.Integer(
        string="Provider Feedback Days",
        default=3,
        help="For field services: the service provider gives its feedback "
        "within this many days of the repair.",
    )

    _sql_constraints = [
        (
            "service_limits_positive",
            "CHECK(COALESCE(service_assign_hours, 0) >= 0 "
            "AND COALESCE(service_handle_hours, 0) >= 0 "
            "AND COALESCE(service_feedback_days, 0) >= 0)",
            "Service time limits cannot be negative.",
        ),
    ]

    @api.constrains("category", "service_field_dispatch")
    def _check_service_field_dispatch(self):
        # Only service types carry service settings; keeps other lists clean.
        for item in self:
            if item.service_field_dispatch and item.category != "service_type":
                raise ValidationError(
                    self.env._("Only service types can require a field dispatch.")
                )
