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
        related="partner_id.user_id", string="Customer Manager", tracking=False
    )
    company_id = fields.Many2one(
        related="partner_id.company_id", string="Company", store=True
    )
    # --- Follow-up record 跟进记录 (C9) ---
    channel_id = fields.Many2one(
        "crm.dictionary.item",
        string="Follow-up Channel",
        index="btree_not_null",
        ondelete="restrict",
        domain="[('category', '=', 'followup_channel')]",
        help="How the customer was followed up: phone, visit, WeChat, email, "
        "meeting or other (data dictionary).",
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        ondelete="set null",
        domain="[('partner_id', 'child_of', partner_id)]",
        help="The customer's opportunity this follow-up is about, if any.",
    )
    next_contact_date = fields.Date(
        string="Next Contact",
        help="Schedules an activity for the customer manager on that day.",
    )
    next_activity_id = fields.Many2one(
        "mail.activity", string="Next Contact Activity", readonly=True, copy=False
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "crm_interaction_ir_attachment_rel",
        "interaction_id",
        "attachment_id",
        string="Attachments",
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

    @api.constrains("partner_id", "lead_id")
    def _check_lead_of_customer(self):
        for record in self.filtered("lead_id"):
            if record.lead_id.partner_id.commercial_partner_id != record.partner_id:
                raise ValidationError(
                    self.env._(
                        "The opportunity %(lead)s is not an opportunity of the "
                        "customer %(customer)s.",
                        lead=record.lead_id.display_name,
                        customer=record.partner_id.display_name,
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contact_id.commercial_partner_id != self.partner_id:
            self.contact_id = self.partner_id.primary_contact_id
        if self.lead_id.partner_id.commercial_partner_id != self.partner_id:
            self.lead_id = False

    # Logging an interaction record is a follow-up of the customer (P1, P4).
    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        interactions._pool_register_followup()
        interactions.filtered("next_contact_date")._schedule_next_contact()
        interactions._link_attachments()
        return interactions

    def write(self, vals):
        res = super().write(vals)
        if "date" in vals or "partner_id" in vals:
            self._pool_register_followup()
        if "next_contact_date" in vals:
            self._schedule_next_contact()
        if "attachment_ids" in vals:
            self._link_attachments()
        return res

    def _link_attachments(self):
        """Files uploaded on the form belong to the follow-up (access follows
        the follow-up record)."""
        for record in self.filtered("attachment_ids"):
            record.attachment_ids.filtered(
                lambda a: a.res_model in (False, "crm.interaction") and not a.res_id
            ).write({"res_model": self._name, "res_id": record.id})

    def _schedule_next_contact(self):
        """下次联系时间: an activity on the customer, for its customer manager
        (the author when nobody owns it), due on the next contact date; moved
        when the date changes, cancelled when it is cleared."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for record in self:
            activity = record.next_activity_id.exists()
            if not record.next_contact_date:
                if activity:
                    activity.unlink()
                continue
            if activity:
                activity.date_deadline = record.next_contact_date
                continue
            owner = record.partner_id.user_id or record.user_id
            record.next_activity_id = record.partner_id.activity_schedule(
                activity_type_id=todo.id if todo else False,
                date_deadline=record.next_contact_date,
                summary=self.env._("Follow up: %(summary)s", summary=record.summary),
                user_id=owner.id,
            )

    def _pool_register_followup(self):
        for date, interactions in self.grouped("date").items():
            interactions.partner_id._pool_register_followup(date)
