from datetime import timedelta

from odoo import api, fields, models

RECYCLE_DAYS_PARAM = "crm_custom_reports.workbench_recycle_days"
DEFAULT_RECYCLE_DAYS = 7

TILE_CODES = [
    ("activity_today", "Follow-ups Due Today"),
    ("activity_overdue", "Overdue Follow-ups"),
    ("plan_today", "Plan Items Due Today"),
    ("plan_overdue", "Overdue Plan Items"),
    ("pool_return", "Customers Returning to the Pool"),
    ("churn_open", "Open Churn Warnings"),
    ("service_assigned", "Services Assigned"),
    ("service_overdue", "Overdue Services"),
    ("target", "Target Progress"),
]

# code: (action opened, model counted)
TILE_SOURCES = {
    "activity_today": ("mail.mail_activity_action", "mail.activity"),
    "activity_overdue": ("mail.mail_activity_action", "mail.activity"),
    "plan_today": ("crm_custom.action_crm_lead_plan_item", "crm.lead.plan.item"),
    "plan_overdue": ("crm_custom.action_crm_lead_plan_item", "crm.lead.plan.item"),
    "pool_return": ("crm_custom.action_crm_customers", "res.partner"),
    "churn_open": ("crm_custom.action_crm_churn_warning", "crm.churn.warning"),
    "service_assigned": (
        "crm_custom_service.action_crm_services_mine",
        "helpdesk.ticket",
    ),
    "service_overdue": (
        "crm_custom_service.action_crm_services_mine",
        "helpdesk.ticket",
    ),
    "target": ("crm_custom_reports.action_crm_sales_target", "crm.sales.target"),
}


class CrmWorkbenchTile(models.Model):
    """工作台 (R10): the tiles of a customer manager's workbench, each
    counting the records that need them today (follow-ups, plan items,
    customers about to return to the pool, churn warnings, services, target
    progress) and opening them filtered. Counts are computed for the user
    who reads them, with their rights; with the context key
    ``workbench_scope`` = ``team`` a sales manager counts the records of
    every customer manager."""

    _name = "crm.workbench.tile"
    _description = "Workbench Tile"
    _order = "sequence, id"

    code = fields.Selection(TILE_CODES, required=True, readonly=True)
    name = fields.Char(compute="_compute_name")
    sequence = fields.Integer(default=10)
    icon = fields.Char(default="fa-tasks", help="Font Awesome icon of the tile.")
    count = fields.Integer(compute="_compute_count")
    value = fields.Char(
        compute="_compute_count", help="The figure shown (count or rate)."
    )
    is_alert = fields.Boolean(
        compute="_compute_count", help="Something overdue or below target."
    )

    _sql_constraints = [
        ("code_unique", "UNIQUE (code)", "There is one tile per kind."),
    ]

    @api.depends("code")
    @api.depends_context("lang")
    def _compute_name(self):
        labels = dict(self._fields["code"]._description_selection(self.env))
        for tile in self:
            tile.name = labels.get(tile.code, "")

    # ------------------------------------------------------------------
    # Scope and domains
    # ------------------------------------------------------------------

    @api.model
    def _scope_users(self):
        """The users whose records the tiles count: the current user, or
        every customer manager for a sales manager's team workbench."""
        if self.env.context.get(
            "workbench_scope"
        ) == "team" and self.env.user.has_group("crm_custom.group_sales_manager"):
            return self.env.ref("crm_custom.group_customer_manager").sudo().users
        return self.env.user

    @api.model
    def _recycle_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(RECYCLE_DAYS_PARAM, DEFAULT_RECYCLE_DAYS)
        )
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return DEFAULT_RECYCLE_DAYS

    def _tile_domain(self, users, today):
        self.ensure_one()
        user_ids = users.ids
        code = self.code
        if code == "activity_today":
            return [("user_id", "in", user_ids), ("date_deadline", "=", today)]
        if code == "activity_overdue":
            return [("user_id", "in", user_ids), ("date_deadline", "<", today)]
        if code == "plan_today":
            return [
                ("user_id", "in", user_ids),
                ("date", "=", today),
                ("result", "=", False),
            ]
        if code == "plan_overdue":
            return [("user_id", "in", user_ids), ("is_overdue", "=", True)]
        if code == "pool_return":
            return [
                ("user_id", "in", user_ids),
                ("is_company", "=", True),
                ("pool_state", "=", "owned"),
                ("recycle_date", "!=", False),
                (
                    "recycle_date",
                    "<=",
                    fields.Date.to_string(
                        fields.Date.to_date(today)
                        + timedelta(days=self._recycle_days())
                    ),
                ),
            ]
        if code == "churn_open":
            return [("user_id", "in", user_ids), ("state", "=", "open")]
        if code == "service_assigned":
            return [
                ("service_type_id", "!=", False),
                ("user_id", "in", user_ids),
                ("service_state", "=", "assigned"),
            ]
        if code == "service_overdue":
            return [
                ("service_type_id", "!=", False),
                ("user_id", "in", user_ids),
                ("service_overdue", "=", True),
            ]
        if code == "target":
            return [
                ("user_id", "in", user_ids),
                ("date_start", "<=", today),
                ("date_end", ">=", today),
            ]
        return [("id", "=", False)]

    # ------------------------------------------------------------------
    # Counts
    # ------------------------------------------------------------------

    @api.depends("code")
    @api.depends_context("uid", "workbench_scope")
    def _compute_count(self):
        users = self._scope_users()
        today = fields.Date.context_today(self)
        for tile in self:
            model = self.env[TILE_SOURCES[tile.code][1]]
            tile.count = tile.value = 0
            tile.is_alert = False
            if not model.has_access("read"):
                tile.value = "-"
                continue
            domain = tile._tile_domain(users, today)
            if tile.code == "target":
                tile._compute_target(model.search(domain))
                continue
            tile.count = model.search_count(domain)
            tile.value = str(tile.count)
            tile.is_alert = bool(tile.count) and tile.code in (
                "activity_overdue",
                "plan_overdue",
                "pool_return",
                "churn_open",
                "service_overdue",
            )

    def _compute_target(self, targets):
        """Progress of the current period's targets: for each customer
        manager the finest one (month, else quarter, else year)."""
        finest = {}
        rank = {"month": 0, "quarter": 1, "year": 2}
        for target in targets:
            best = finest.get(target.user_id.id)
            if not best or rank[target.period_type] < rank[best.period_type]:
                finest[target.user_id.id] = target
        chosen = self.env["crm.sales.target"].concat(*finest.values())
        goal = sum(chosen.mapped("amount_target"))
        actual = sum(chosen.mapped("amount_actual"))
        self.count = len(chosen)
        self.value = f"{actual * 100.0 / goal:.0f}%" if goal else "-"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open(self):
        """The records the tile counts, in their usual screens."""
        self.ensure_one()
        xmlid, model_name = TILE_SOURCES[self.code]
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        today = fields.Date.to_string(fields.Date.context_today(self))
        context = {"create": False}
        if model_name == "helpdesk.ticket":
            context["crm_service_view"] = True
        if model_name == "res.partner":
            context["res_partner_search_mode"] = "customer"
        action.update(
            {
                "name": self.name,
                "domain": self._tile_domain(self._scope_users(), today),
                "context": context,
                "target": "current",
            }
        )
        return action
