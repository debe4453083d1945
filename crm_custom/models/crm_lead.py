import operator

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .crm_notification import SOFT_RELOAD, notification_action

DEVELOPMENT_STATES = [
    ("unassigned", "Unassigned"),
    ("in_development", "In Development"),
    ("success", "Success"),
    ("failed", "Failed"),
]

# O2 (as revised): the fields that define what an opportunity of the
# development process *is*: source, customer name, success probability,
# summary, contact, contact phone, description. Locked once assigned; the
# work on the opportunity (stage, revenue, dates, tags, activities, quotes) is
# not (O10).
DEVELOPMENT_DEFINITION_FIELDS = (
    "customer_source_id",
    "source_id",
    "partner_name",
    "probability",
    "name",
    "contact_name",
    "phone",
    "description",
)
# Set by the development process itself, never by a user's write.
DEVELOPMENT_SYSTEM_FIELDS = ("development_state", "date_assigned")

CUSTOMER_NAME_MAX_LENGTH = 50

# Fields that decide whether the customer has an open opportunity, which
# exempts it from pool recycling (P4).
OPEN_OPPORTUNITY_FIELDS = ("partner_id", "active", "type", "probability", "stage_id")

COUNT_OPERATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


class CrmLead(models.Model):
    """Opportunities 销售机会 and customer development 客户开发 (JB-RM-CRM 3.1).

    The rules of the spec govern the opportunities of the development
    process (``is_development``): those created from its screens (the
    Development menu, a new customer), assigned by a sales manager, or
    converted from a lead with Odoo's own wizard (O11). Every other lead
    (web form, email alias, import, other apps) follows standard Odoo (X6).

    The development status is derived from Odoo's own data so that it cannot
    disagree with it: lost (archived) is failed, won is success, otherwise an
    opportunity with a salesperson (``user_id``) is in development and one
    without is unassigned. On development opportunities users change the
    status only through the actions below (assign, success, stop
    development), which check who may do it; ``write``/``unlink`` refuse a
    change of the definition of an assigned opportunity (O2) and the deletion
    of an assigned one (O3), so RPC cannot bypass the rules either. The work
    on the opportunity stays Odoo's pipeline (O10).

    The fields the development process watches are ``_guarded_fields`` (see
    crm.guarded.fields.mixin): a write of one of them by a user goes through
    ``_check_development_write``; the actions write them as superuser.
    """

    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.guarded.fields.mixin", "crm.web.read.prefetch.mixin"]

    _guarded_fields = frozenset(
        DEVELOPMENT_SYSTEM_FIELDS
        + DEVELOPMENT_DEFINITION_FIELDS
        + ("is_development", "user_id", "active", "stage_id")
    )

    is_development = fields.Boolean(
        string="Development Opportunity",
        index=True,
        help="The opportunity follows the development process 客户开发: its "
        "definition is locked once assigned, a sales manager assigns it, its "
        "customer manager ends it with success or failure.",
    )
    customer_source_id = fields.Many2one(
        "crm.dictionary.item",
        string="Opportunity Source",
        domain="[('category', '=', 'customer_source')]",
        tracking=True,
        help="机会来源: where the opportunity comes from (data dictionary); "
        "passed on to the customer when the development succeeds.",
    )
    development_state = fields.Selection(
        DEVELOPMENT_STATES,
        string="Development Status",
        compute="_compute_development_state",
        store=True,
        index=True,
        tracking=True,
        group_expand="_group_expand_development_state",
    )
    date_assigned = fields.Datetime(
        string="Assigned On", readonly=True, copy=False, tracking=True
    )
    plan_item_ids = fields.One2many(
        "crm.lead.plan.item", "lead_id", string="Development Plan", copy=False
    )
    plan_item_count = fields.Integer(
        string="Plan Items", compute="_compute_plan_item_counts"
    )
    plan_done_count = fields.Integer(
        string="Executed Plan Items", compute="_compute_plan_item_counts"
    )
    plan_overdue_count = fields.Integer(
        string="Overdue Plan Items",
        compute="_compute_plan_item_counts",
        search="_search_plan_overdue_count",
    )
    plan_color = fields.Integer(
        compute="_compute_plan_item_counts",
        help="Technical: red in kanban views when a plan item is overdue.",
    )
    development_locked = fields.Boolean(
        compute="_compute_development_locked",
        help="Technical: the definition of this development opportunity is "
        "locked (O2).",
    )
    can_edit_plan = fields.Boolean(
        compute="_compute_can_edit_plan",
        help="Technical: the current user is the customer manager developing "
        "this opportunity.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("is_development", "active", "stage_id.is_won", "user_id")
    def _compute_development_state(self):
        for lead in self:
            if not lead.is_development:
                # an ordinary Odoo lead: no development status
                lead.development_state = False
            elif not lead.active:
                lead.development_state = "failed"
            elif lead.stage_id.is_won:
                lead.development_state = "success"
            elif lead.user_id:
                lead.development_state = "in_development"
            else:
                lead.development_state = "unassigned"

    @api.model
    def _group_expand_development_state(self, states, domain):
        return [state for state, _label in DEVELOPMENT_STATES]

    @api.depends("plan_item_ids.result", "plan_item_ids.date", "development_state")
    def _compute_plan_item_counts(self):
        Item = self.env["crm.lead.plan.item"]
        # counted in the database: form edits in progress are not counted
        lead_ids = [lead_id for lead_id in self._origin.ids if lead_id]
        counts, done, overdue = {}, {}, {}
        if lead_ids:
            for counter, extra_domain in (
                (counts, []),
                (done, [("result", "!=", False)]),
                (overdue, Item._overdue_domain()),
            ):
                for lead, count in Item._read_group(
                    [("lead_id", "in", lead_ids)] + extra_domain,
                    ["lead_id"],
                    ["__count"],
                ):
                    counter[lead.id] = count
        for lead in self:
            lead_id = lead._origin.id
            lead.plan_item_count = counts.get(lead_id, 0)
            lead.plan_done_count = done.get(lead_id, 0)
            lead.plan_overdue_count = overdue.get(lead_id, 0)
            lead.plan_color = 1 if lead.plan_overdue_count else 0

    def _search_plan_overdue_count(self, operator, value):
        compare = COUNT_OPERATORS.get(operator)
        if not compare or not isinstance(value, int):
            raise UserError(self.env._("Unsupported search on overdue plan items."))
        Item = self.env["crm.lead.plan.item"]
        counts = dict(
            Item._read_group(Item._overdue_domain(), ["lead_id"], ["__count"])
        )
        if compare(0, value):
            # opportunities without overdue items match too
            excluded = [
                lead.id for lead, count in counts.items() if not compare(count, value)
            ]
            return [("id", "not in", excluded)]
        return [
            (
                "id",
                "in",
                [lead.id for lead, count in counts.items() if compare(count, value)],
            )
        ]

    @api.depends("is_development", "development_state")
    def _compute_development_locked(self):
        for lead in self:
            lead.development_locked = lead._is_development_locked()

    def _is_development_locked(self):
        """O2: the definition of a development opportunity is locked once it
        is assigned (in development, success or failure)."""
        self.ensure_one()
        return self.is_development and self.development_state != "unassigned"

    @api.depends("development_state", "user_id")
    @api.depends_context("uid")
    def _compute_can_edit_plan(self):
        for lead in self:
            lead.can_edit_plan = (
                lead.development_state == "in_development"
                and lead.user_id == self.env.user
            )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        # The development screens create unassigned opportunities: a sales
        # manager assigns them (O4). Standard screens keep Odoo's default
        # salesperson.
        defaults = super().default_get(fields_list)
        if defaults.get("is_development") or self.env.context.get(
            "default_is_development"
        ):
            defaults.pop("user_id", None)
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        default_development = self.env.context.get("default_is_development")
        for vals in vals_list:
            # derived from won/lost/assignment, never given
            vals.pop("development_state", None)
            development = vals.get("is_development", default_development)
            if development:
                # unassigned until a sales manager assigns it (O4), not
                # Odoo's default salesperson
                vals.setdefault("user_id", False)
            if development and self._guarded_fields_in(vals):
                self._check_development_create(vals)
            if development and vals.get("user_id"):
                vals.setdefault("date_assigned", now)
        leads = super().create(vals_list)
        # O1 is a rule of what users enter (not a guard): the mail gateway
        # and the system, as superuser, may create bare leads.
        if not self.env.su:
            leads.filtered("is_development")._check_development_required()
        leads.partner_id._pool_refresh_recycle_dates()
        return leads

    def write(self, vals):
        guarded = self._guarded_fields_in(vals)
        if guarded:
            vals = self._check_development_write(vals)
        before = self.partner_id if "partner_id" in vals else self.env["res.partner"]
        res = super().write(vals)
        # O1 holds what users enter; a lead converted without a customer name
        # enters the process as it is (O11)
        if guarded & {"partner_name", "name"}:
            self.filtered("is_development")._check_development_required()
        # A stage change is a follow-up of the customer; open opportunities
        # exempt it from recycling (P4).
        if "stage_id" in vals:
            self.partner_id._pool_register_followup()
        if any(fname in vals for fname in OPEN_OPPORTUNITY_FIELDS):
            (before | self.partner_id)._pool_refresh_recycle_dates()
        return res

    def unlink(self):
        partners = self.partner_id
        res = super().unlink()
        partners.exists()._pool_refresh_recycle_dates()
        return res

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if msg_vals.get("message_type", message.message_type) in ("comment", "email"):
            self.partner_id._pool_register_followup()
        return res

    def copy_data(self, default=None):
        # a duplicate is a new opportunity: unassigned, not closed
        vals_list = super().copy_data(default=default)
        default = default or {}
        for vals in vals_list:
            for fname, value in (
                ("user_id", False),
                ("date_assigned", False),
                ("active", True),
            ):
                if fname not in default:
                    vals[fname] = value
        return vals_list

    @api.ondelete(at_uninstall=False)
    def _unlink_except_assigned_or_foreign(self):
        """O3: only unassigned development opportunities, only by their
        creator. Other leads are deleted as in Odoo."""
        if self.env.su:
            return
        for lead in self.filtered("is_development"):
            if lead.development_state != "unassigned":
                raise UserError(
                    self.env._(
                        "“%(name)s” is %(state)s: only unassigned opportunities "
                        "can be deleted.",
                        name=lead.name,
                        state=lead._development_state_label(),
                    )
                )
            if lead.create_uid != self.env.user:
                raise AccessError(
                    self.env._(
                        "Only %(creator)s, who created “%(name)s”, can delete it.",
                        creator=lead.create_uid.name,
                        name=lead.name,
                    )
                )

    @api.constrains("customer_source_id")
    def _check_customer_source_category(self):
        for lead in self:
            if (
                lead.customer_source_id
                and lead.customer_source_id.category != "customer_source"
            ):
                raise ValidationError(
                    self.env._("The source must be a source of the data dictionary.")
                )

    def _development_state_label(self):
        self.ensure_one()
        return dict(
            self._fields["development_state"]._description_selection(self.env)
        ).get(self.development_state, "")

    def _check_development_required(self):
        """O1: customer name and summary are required. Enforced for users;
        the mail gateway and the system may create bare leads."""
        for lead in self:
            if not (lead.partner_name or "").strip():
                raise ValidationError(
                    self.env._("The customer name of an opportunity is required.")
                )
            if not (lead.name or "").strip():
                raise ValidationError(
                    self.env._("The summary of an opportunity is required.")
                )
            if len(lead.partner_name.strip()) > CUSTOMER_NAME_MAX_LENGTH:
                raise ValidationError(
                    self.env._(
                        "A customer name has at most %(max)s characters.",
                        max=CUSTOMER_NAME_MAX_LENGTH,
                    )
                )

    def _check_development_create(self, vals):
        """O1/O4 on a new development opportunity: only a sales manager gives
        it a customer manager; it starts open."""
        if vals.get("user_id"):
            if not self.env.user.has_group("crm_custom.group_sales_manager"):
                raise AccessError(
                    self.env._("Only a sales manager can assign an opportunity.")
                )
            self._check_customer_manager(self.env["res.users"].browse(vals["user_id"]))
        if "active" in vals and not vals["active"]:
            raise UserError(self.env._("A new opportunity cannot be failed already."))
        if (
            vals.get("stage_id")
            and self.env["crm.stage"].browse(vals["stage_id"]).is_won
        ):
            raise UserError(
                self.env._(
                    "A new opportunity cannot be won already: it succeeds through "
                    "its development."
                )
            )

    def _development_changed_fields(self, vals, fnames):
        """The fields of ``fnames`` that ``vals`` really changes on ``self``
        (writing the value a field already has changes nothing)."""
        changed = set()
        for fname in fnames:
            if fname not in vals:
                continue
            field = self._fields[fname]
            for lead in self:
                new = field.convert_to_record(
                    field.convert_to_cache(vals[fname], lead, validate=False), lead
                )
                old = lead[fname]
                if field.type == "float":
                    if round(old or 0.0, 2) != round(new or 0.0, 2):
                        changed.add(fname)
                elif field.type == "html":
                    if str(old or "") != str(new or ""):
                        changed.add(fname)
                elif (old or False) != (new or False):
                    changed.add(fname)
        return changed

    def _check_development_write(self, vals):
        """The development process on users' writes; other leads are left to
        Odoo. Returns the values to write.

        - O2: the definition of an assigned development opportunity is
          locked; the rest of the opportunity is the pipeline's (O10).
        - O4: a sales manager assigns an unassigned development opportunity
          to one customer manager; it is not reassigned.
        - O7/O8: success and failure go through their actions (won stage,
          archiving), so does the status."""
        forbidden = set(DEVELOPMENT_SYSTEM_FIELDS) & set(vals)
        if forbidden:
            raise UserError(
                self.env._(
                    "%(fields)s cannot be written: the development process sets it.",
                    fields=", ".join(
                        self._fields[fname]._description_string(self.env)
                        for fname in sorted(forbidden)
                    ),
                )
            )
        development = self.filtered("is_development")
        if "is_development" in vals and not vals["is_development"] and development:
            raise UserError(
                self.env._("An opportunity of the development process cannot leave it.")
            )
        if vals.get("is_development"):
            # entering the process: what is checked below applies from now on
            development = self
        if not development:
            return vals
        locked = development.filtered(lambda lead: lead._is_development_locked())
        changed = locked._development_changed_fields(
            vals, DEVELOPMENT_DEFINITION_FIELDS
        )
        if changed:
            lead = locked[:1]
            raise UserError(
                self.env._(
                    "“%(name)s” is %(state)s: its %(fields)s can no longer be "
                    "changed; only unassigned opportunities can have their "
                    "definition edited.",
                    name=lead.name,
                    state=lead._development_state_label(),
                    fields=", ".join(
                        sorted(
                            self._fields[fname]._description_string(self.env)
                            for fname in changed
                        )
                    ),
                )
            )
        if development._development_changed_fields(vals, ["user_id"]):
            development._check_development_assignment(vals["user_id"])
            vals = dict(vals, date_assigned=fields.Datetime.now())
        if "active" in vals and development._development_changed_fields(
            vals, ["active"]
        ):
            raise UserError(
                self.env._(
                    "A development opportunity fails through Stop Development, "
                    "and a failed one is not reopened."
                )
            )
        if vals.get("stage_id"):
            won = self.env["crm.stage"].browse(vals["stage_id"]).is_won
            if any(lead.stage_id.is_won != won for lead in development):
                raise UserError(
                    self.env._(
                        "A development opportunity is won through Development "
                        "Success, and a won one stays won."
                    )
                )
        return vals

    def _check_development_assignment(self, user_id):
        """O4 on a write of the salesperson of development opportunities, as
        Odoo's own flows do it (conversion, merge, assignment rules): by a
        user who sees all leads (a sales manager, not a customer manager),
        once, to a salesperson. The Assign wizard also checks that the
        salesperson is a customer manager."""
        if not self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            raise AccessError(
                self.env._("Only a sales manager can assign an opportunity.")
            )
        assigned = self.filtered("user_id")
        if assigned:
            raise UserError(
                self.env._(
                    "Only unassigned opportunities can be assigned: %(names)s.",
                    names=", ".join(assigned.mapped("name")),
                )
            )
        user = self.env["res.users"].browse(user_id)
        if user and (
            user.share or not user.has_group("sales_team.group_sale_salesman")
        ):
            raise UserError(
                self.env._("%(user)s is not a customer manager.", user=user.name)
            )

    # ------------------------------------------------------------------
    # O4: assignment
    # ------------------------------------------------------------------

    @api.model
    def _check_customer_manager(self, user):
        if len(user) != 1:
            raise UserError(
                self.env._("Choose exactly one customer manager to assign.")
            )
        if (
            user.share
            or not user.active
            or not user.has_group("crm_custom.group_customer_manager")
        ):
            raise UserError(
                self.env._("%(user)s is not a customer manager.", user=user.name)
            )

    def _assign_customer_manager(self, user):
        """Assign the opportunities to one customer manager (sales managers
        only); they become in development 开发中."""
        if not self.env.su and not self.env.user.has_group(
            "crm_custom.group_sales_manager"
        ):
            raise AccessError(
                self.env._("Only a sales manager can assign opportunities.")
            )
        self._check_customer_manager(user)
        if not self:
            raise UserError(self.env._("Select the opportunities to assign."))
        assigned = self.filtered(
            lambda lead: lead.user_id or not lead.active or lead.stage_id.is_won
        )
        if assigned:
            raise UserError(
                self.env._(
                    "Only unassigned opportunities can be assigned: %(names)s.",
                    names=", ".join(assigned.mapped("name")),
                )
            )
        self._guarded_write(
            {
                "user_id": user.id,
                "date_assigned": fields.Datetime.now(),
                "is_development": True,
            }
        )
        return True

    def action_open_assign_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Assign Opportunities"),
            "res_model": "crm.lead.assign",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_ids": self.ids},
        }

    def action_open_plan_template_wizard(self):
        self._check_plan_template_applicable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Apply a Plan Template"),
            "res_model": "crm.lead.plan.apply",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_ids": self.ids},
        }

    def _check_in_development_by_user(
        self, not_in_development, not_developer, sales_manager=False
    ):
        """Each of these opportunities is in development 开发中 and the
        current user develops it (or, with ``sales_manager``, is a sales
        manager): else raise the message that ``not_in_development(lead)``
        (UserError) or ``not_developer(lead)`` (AccessError) returns. The
        system (superuser) passes."""
        if self.env.su:
            return
        any_lead = sales_manager and self.env.user.has_group(
            "crm_custom.group_sales_manager"
        )
        for lead in self:
            if lead.development_state != "in_development":
                raise UserError(not_in_development(lead))
            if lead.user_id != self.env.user and not any_lead:
                raise AccessError(not_developer(lead))

    def _check_plan_template_applicable(self):
        """Templates are applied by the customer manager developing the
        opportunity or by a sales manager (who sets up development plans)."""
        self._check_in_development_by_user(
            lambda lead: self.env._(
                "A plan can only be set up for opportunities in development; "
                "“%(name)s” is %(state)s.",
                name=lead.name,
                state=lead._development_state_label(),
            ),
            lambda lead: self.env._(
                "Only the customer manager of “%(name)s” or a sales manager "
                "can set up its development plan.",
                name=lead.name,
            ),
            sales_manager=True,
        )

    # ------------------------------------------------------------------
    # O7/O8: end of development
    # ------------------------------------------------------------------

    def _check_development_close(self):
        """Success and failure are declared by the customer manager developing
        the opportunity (3.1.2.3/3.1.2.4)."""
        self._check_in_development_by_user(
            lambda lead: self.env._(
                "Only opportunities in development can succeed or fail; "
                "“%(name)s” is %(state)s.",
                name=lead.name,
                state=lead._development_state_label(),
            ),
            lambda lead: self.env._(
                "Only %(user)s, the customer manager of “%(name)s”, can end "
                "its development.",
                user=lead.user_id.name,
                name=lead.name,
            ),
        )

    def action_set_won(self):
        # Winning a development opportunity is its development success (O7),
        # whichever button is used; other leads are won as in Odoo.
        development = self.filtered("is_development")
        others = self - development
        res = super(CrmLead, others).action_set_won() if others else True
        if development:
            res = development._development_succeed()
        return res

    def _development_succeed(self, contact_values=None):
        """Check, create or link the customer, then win."""
        self._check_development_close()
        leads = self.sudo().filtered(lambda lead: lead.development_state != "success")
        leads._link_development_customer(contact_values or {})
        # Odoo's won, on the opportunities checked above: action_set_won
        # sends development opportunities here.
        res = super(CrmLead, leads).action_set_won()  # pylint: disable=super-method-mismatch
        leads.plan_item_ids._cancel_open_activities()
        return res

    def action_open_development_success(self):
        """开发成功 button: confirm, and complete the new contact (the
        customer data rules want gender and job position)."""
        self.ensure_one()
        self._check_development_close()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Development Success"),
            "res_model": "crm.lead.development.success",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id, "dialog_size": "medium"},
        }

    def action_development_success(self, contact_gender=None, contact_function=None):
        """开发成功: the opportunity is won and becomes a customer. The
        optional gender and job position complete a newly created contact."""
        contact_values = {}
        if contact_gender:
            contact_values["gender"] = contact_gender
        if contact_function:
            contact_values["function"] = contact_function
        self._development_succeed(contact_values)
        return notification_action(self._development_success_message(), SOFT_RELOAD)

    def _development_success_message(self):
        customers = self.partner_id.commercial_partner_id
        return self.env._(
            "Development succeeded: customer %(customers)s.",
            customers=", ".join(customers.mapped("display_name")),
        )

    def action_set_lost(self, **additional_values):
        # Losing a development opportunity is stopping its development (O8),
        # with a reason; other leads are lost as in Odoo.
        development = self.filtered("is_development")
        others = self - development
        res = super(CrmLead, others).action_set_lost(**additional_values)
        if not development:
            return res
        development._check_development_close()
        if not self.env.su and not (
            additional_values.get("lost_reason_id")
            or all(lead.lost_reason_id for lead in development)
        ):
            raise UserError(self.env._("Give the reason for stopping the development."))
        # checked above; archiving is refused to a plain write (O8)
        res = super(CrmLead, development.sudo()).action_set_lost(**additional_values)
        development.sudo().plan_item_ids._cancel_open_activities()
        return res

    def action_development_fail(self):
        """终止开发: ask for the reason in the lost wizard."""
        self._check_development_close()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_custom.action_crm_lead_development_fail"
        )
        action["context"] = {"default_lead_ids": self.ids, "dialog_size": "medium"}
        return action
