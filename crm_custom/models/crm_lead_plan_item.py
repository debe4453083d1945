from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

SUMMARY_LENGTH = 80


class CrmLeadPlanItem(models.Model):
    """A step of a customer development plan 客户开发计划 (O5/O6/O9): what the
    customer manager plans to do on a date, and the result 执行效果 once done.

    Only the customer manager developing the opportunity adds, edits and
    deletes items, and only while it is in development; the date of an item
    is fixed once created. Each open item is an activity of its owner on its
    date, so Odoo reminds them; recording the result marks it done.
    """

    _name = "crm.lead.plan.item"
    _description = "Development Plan Item"
    _order = "date, id"
    _rec_name = "content"

    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        required=True,
        ondelete="cascade",
        index=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    content = fields.Text(string="Plan", required=True)
    result = fields.Text(help="执行效果: what executing this step achieved.")
    date_result = fields.Datetime(
        string="Result Recorded On", readonly=True, copy=False
    )
    user_id = fields.Many2one(
        related="lead_id.user_id", string="Customer Manager", store=True, index=True
    )
    partner_name = fields.Char(related="lead_id.partner_name", string="Customer Name")
    development_state = fields.Selection(
        related="lead_id.development_state", string="Development Status"
    )
    company_id = fields.Many2one(related="lead_id.company_id", store=True)
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="The date has passed and no result is recorded yet.",
    )
    color = fields.Integer(
        compute="_compute_is_overdue",
        help="Technical: red in kanban views when overdue.",
    )
    activity_id = fields.Many2one(
        "mail.activity",
        string="Reminder",
        readonly=True,
        copy=False,
        ondelete="set null",
    )

    # ------------------------------------------------------------------
    # Overdue (O9)
    # ------------------------------------------------------------------

    @api.model
    def _overdue_domain(self):
        return [
            ("date", "<", fields.Date.context_today(self)),
            ("result", "=", False),
            ("lead_id.development_state", "=", "in_development"),
        ]

    @api.depends("date", "result", "lead_id.development_state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for item in self:
            item.is_overdue = bool(
                item.date
                and item.date < today
                and not item.result
                and item.lead_id.development_state == "in_development"
            )
            item.color = 1 if item.is_overdue else 0

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on overdue plan items."))
        overdue = (operator == "=") == bool(value)
        query = self._search(self._overdue_domain())
        return [("id", "in" if overdue else "not in", query)]

    # ------------------------------------------------------------------
    # Rules (O5)
    # ------------------------------------------------------------------

    @api.model
    def _check_plan_editable(self, leads):
        leads._check_in_development_by_user(
            lambda lead: self.env._(
                "The development plan of “%(name)s” can only be changed while "
                "it is in development; it is %(state)s.",
                name=lead.name,
                state=lead._development_state_label(),
            ),
            lambda lead: self.env._(
                "Only %(user)s, the customer manager of “%(name)s”, can change "
                "its development plan.",
                user=lead.user_id.name,
                name=lead.name,
            ),
        )

    @api.model_create_multi
    def create(self, vals_list):
        leads = self.env["crm.lead"].browse(
            {vals["lead_id"] for vals in vals_list if vals.get("lead_id")}
        )
        self._check_plan_editable(leads)
        for vals in vals_list:
            if vals.get("result"):
                vals.setdefault("date_result", fields.Datetime.now())
        items = super().create(vals_list)
        items.filtered(lambda item: not item.result)._schedule_activities()
        return items

    def write(self, vals):
        if "lead_id" in vals and any(
            item.lead_id.id != vals["lead_id"] for item in self
        ):
            raise UserError(
                self.env._("A plan item cannot be moved to another opportunity.")
            )
        if "date" in vals and any(
            item.date != fields.Date.to_date(vals["date"]) for item in self
        ):
            raise UserError(
                self.env._("The date of a plan item cannot be changed once created.")
            )
        self._check_plan_editable(self.lead_id)
        newly_done = self.browse()
        if vals.get("result"):
            newly_done = self.filtered(lambda item: not item.result)
        elif "result" in vals:
            vals = dict(vals, date_result=False)
        res = super().write(vals)
        if newly_done:
            newly_done.sudo().date_result = fields.Datetime.now()
            newly_done._mark_activities_done()
        if "content" in vals:
            self._update_activities()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_check_plan_editable(self):
        # cascading from a deleted opportunity is fine: it had to be deletable
        self._check_plan_editable(self.lead_id.exists())

    def unlink(self):
        activities = self.activity_id
        res = super().unlink()
        activities.sudo().unlink()
        return res

    # ------------------------------------------------------------------
    # Reminders (O9)
    # ------------------------------------------------------------------

    def _summary(self):
        self.ensure_one()
        first_line = next(iter((self.content or "").strip().splitlines()), "")
        if len(first_line) > SUMMARY_LENGTH:
            first_line = first_line[: SUMMARY_LENGTH - 1] + "…"
        return first_line

    def _activity_values(self):
        self.ensure_one()
        return {
            "summary": self._summary(),
            "note": plaintext2html(self.content or ""),
        }

    def _schedule_activities(self):
        """One activity per item, for the customer manager, due on its date.
        Created as superuser after the plan rules were checked: a sales
        manager applying a template schedules for the customer manager."""
        items = self.filtered(lambda item: item.lead_id.user_id)
        if not items:
            return
        activity_type = self.env.ref(
            "crm_custom.mail_activity_type_plan_item", raise_if_not_found=False
        )
        model_id = self.env["ir.model"]._get_id("crm.lead")
        vals_list = []
        for item in items:
            vals = item._activity_values()
            vals.update(
                {
                    "activity_type_id": activity_type.id if activity_type else False,
                    "automated": True,
                    "date_deadline": item.date,
                    "res_model_id": model_id,
                    "res_id": item.lead_id.id,
                    "user_id": item.lead_id.user_id.id,
                }
            )
            vals_list.append(vals)
        activities = self.env["mail.activity"].sudo().create(vals_list)
        for item, activity in zip(items, activities, strict=False):
            item.sudo().activity_id = activity

    def _update_activities(self):
        for item in self.filtered("activity_id"):
            item.activity_id.sudo().write(item._activity_values())

    def _mark_activities_done(self):
        for item in self.filtered("activity_id"):
            item.activity_id.sudo().action_feedback(feedback=item.result)

    def _cancel_open_activities(self):
        """The development ended: the remaining steps will not be done."""
        self.activity_id.sudo().unlink()
