from odoo import api, fields, models


class CrmCustomerPoolLevelRule(models.Model):
    """Recycling days of one customer level 客户等级 in one pool (P4): a
    level listed here uses these days instead of the pool's, e.g. key accounts
    stay longer with their owner than small ones."""

    _name = "crm.customer.pool.level.rule"
    _description = "Customer Pool Days per Customer Level"
    _order = "pool_id, sequence, id"

    pool_id = fields.Many2one(
        "crm.customer.pool",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    customer_level_id = fields.Many2one(
        "crm.dictionary.item",
        required=True,
        ondelete="cascade",
        domain="[('category', '=', 'customer_level')]",
    )
    no_followup_days = fields.Integer(
        string="Days Without Follow-up",
        help="0: customers of this level are never recycled for lack of follow-up.",
    )
    no_deal_days = fields.Integer(
        string="Days Without Deal",
        help="0: customers of this level are never recycled for lack of deals.",
    )

    _sql_constraints = [
        (
            "level_unique",
            "unique(pool_id, customer_level_id)",
            "A customer level can have only one line per pool.",
        ),
        (
            "days_positive",
            "CHECK(no_followup_days >= 0 AND no_deal_days >= 0)",
            "Days cannot be negative.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules.pool_id._pool_rules_changed()
        return rules

    def write(self, vals):
        res = super().write(vals)
        self.pool_id._pool_rules_changed()
        return res

    def unlink(self):
        pools = self.pool_id
        res = super().unlink()
        pools._pool_rules_changed()
        return res
