from odoo import fields, models

OWNERSHIP_METHODS = [
    ("put", "Put into Pool"),
    ("claim", "Claimed"),
    ("assign", "Assignment"),
    ("recycle", "Recycled"),
]


class CrmCustomerOwnershipLog(models.Model):
    """One change of the owner of a customer (P7): who had it, who has it,
    how and why. Written only by the pool operations (put, claim, assign,
    recycle); nobody edits or deletes it."""

    _name = "crm.customer.ownership.log"
    _description = "Customer Ownership Change"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    from_user_id = fields.Many2one("res.users", string="From", ondelete="set null")
    to_user_id = fields.Many2one(
        "res.users", string="To", ondelete="set null", index=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    method = fields.Selection(OWNERSHIP_METHODS, string="How", required=True)
    reason = fields.Char()
    user_id = fields.Many2one(
        "res.users",
        string="Done By",
        default=lambda self: self.env.user,
        ondelete="set null",
    )
    pool_id = fields.Many2one("crm.customer.pool", ondelete="set null")
    # Stored: the analyses filter the history by company without joining
    # the customers (the recycling cron writes it with the rows it logs).
    company_id = fields.Many2one(
        related="partner_id.company_id", store=True, index="btree_not_null"
    )

    def init(self):
        # The daily claim limit counts today's claims of one user in one pool.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS crm_customer_ownership_log_claims_idx "
            "ON crm_customer_ownership_log (to_user_id, pool_id, date) "
            "WHERE method = 'claim'"
        )
