from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmInteraction(models.Model):
    """An interaction record 交往记录 (C3): a meeting, call or visit with a
    customer, written down by the customer manager who had it. Tasks and
    schedules stay standard activities and calendar events of the customer."""

    _name = "crm.interaction"
    _description = "Customer Interaction Record"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "summary"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        ondelete="set null",
        domain="[('parent_id', '=', partner_id), ('is_company', '=', False)]",
        help="The customer's contact person met or called.",
    )
    date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, index=True
    )
    place = fields.Char()
    summary = fields.Char(required=True, tracking=True)
    details = fields.Html()
    user_id = fields.Many2one(
        "res.users",
        string="Author",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    customer_user_id = fields.Many2one(
        related="partner_id.user_id", string="Customer Manager"
    )
    company_id = fields.Many2one(
        related="partner_id.company_id", string="Company", store=True
    )

    @api.constrains("partner_id", "contact_id")
    def _check_contact_of_customer(self):
        for record in self:
            if record.partner_id != record.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "An interaction record belongs to the customer "
                        "company, not to its contact %(contact)s: choose "
                        "%(customer)s as customer and the person as contact.",
                        contact=record.partner_id.display_name,
                        customer=record.partner_id.commercial_partner_id.display_name,
                    )
                )
            if record.contact_id and (
                record.contact_id.commercial_partner_id != record.partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "The contact %(contact)s of the interaction record "
                        "“%(summary)s” does not belong to the customer "
                        "%(customer)s.",
                        contact=record.contact_id.display_name,
                        summary=record.summary,
                        customer=record.partner_id.display_name,
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contact_id.commercial_partner_id != self.partner_id:
            self.contact_id = self.partner_id.primary_contact_id

    # Logging an interaction record is a follow-up of the customer (P1, P4).
    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        interactions._pool_register_followup()
        return interactions

    def write(self, vals):
        res = super().write(vals)
        if "date" in vals or "partner_id" in vals:
            self._pool_register_followup()
        return res

    def _pool_register_followup(self):
        for date, interactions in self.grouped("date").items():
            interactions.partner_id._pool_register_followup(date)
