from odoo import api, fields, models

from ..models.crm_notification import close_dialog, notification_action


class CrmCustomerPoolClaimWizard(models.TransientModel):
    """领取 (P2): the confirmation before claiming customers from a pool,
    with what the claim limits still allow today."""

    _name = "crm.customer.pool.claim.wizard"
    _description = "Claim Customers from a Pool"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    summary = fields.Html(compute="_compute_summary")

    @api.depends("partner_ids")
    def _compute_summary(self):
        Log = self.env["crm.customer.ownership.log"].sudo()
        user = self.env.user
        for wizard in self:
            lines = []
            for pool in wizard.partner_ids.sudo().pool_id:
                if pool.daily_claim_limit:
                    today_start = fields.Datetime.to_datetime(
                        fields.Date.context_today(self)
                    )
                    done = Log.search_count(
                        [
                            ("to_user_id", "=", user.id),
                            ("pool_id", "=", pool.id),
                            ("method", "=", "claim"),
                            ("date", ">=", today_start),
                        ]
                    )
                    lines.append(
                        self.env._(
                            "%(pool)s: %(done)s of %(limit)s claims used today.",
                            pool=pool.display_name,
                            done=done,
                            limit=pool.daily_claim_limit,
                        )
                    )
            wizard.summary = "<br/>".join(lines) if lines else False

    def action_confirm(self):
        self.ensure_one()
        self.partner_ids._pool_claim()
        return notification_action(
            self.env._(
                "%s customer(s) claimed: they are now in My Customers.",
                len(self.partner_ids),
            ),
            close_dialog("pool_claim"),
        )
