from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column


class ResPartner(models.Model):
    """What the customer managers' record rules on partners read: the
    owner and the pool of the customer (commercial partner), stored on the
    customer and on each of its contacts.

    The rules used to reach them through ``commercial_partner_id``, a
    subquery over the customers owned by the user or lying in a pool the
    user sees. At 200,000 customers PostgreSQL can neither hash it nor
    estimate it: the count of a customer manager's customers cost a second
    of JIT compilation, and a search of contacts ordered by name scanned
    the subquery for every row (minutes). Stored here, the rules compare
    columns of the row itself, like ``pool_state``."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    commercial_user_id = fields.Many2one(
        "res.users",
        string="Customer's Manager",
        related="commercial_partner_id.user_id",
        store=True,
        # Related fields take the tracking of their target: the customer's
        # chatter already tells the change, its contacts' need not.
        tracking=False,
        index="btree_not_null",
        help="The customer manager of the customer this partner belongs to.",
    )
    commercial_pool_id = fields.Many2one(
        "crm.customer.pool",
        string="Customer's Pool",
        related="commercial_partner_id.pool_id",
        store=True,
        tracking=False,
        index="btree_not_null",
        help="The pool the customer this partner belongs to lies in.",
    )

    def _auto_init(self):
        # Filled in one statement on install, rather than computed record by
        # record through the ORM on databases with many partners.
        cr = self.env.cr
        if not column_exists(cr, "res_partner", "commercial_user_id"):
            create_column(cr, "res_partner", "commercial_user_id", "int4")
            create_column(cr, "res_partner", "commercial_pool_id", "int4")
            has_pool = column_exists(cr, "res_partner", "pool_id")
            cr.execute(
                SQL(
                    """
                    UPDATE res_partner p
                       SET commercial_user_id = c.user_id,
                           commercial_pool_id = %s
                      FROM res_partner c
                     WHERE c.id = p.commercial_partner_id
                       AND (c.user_id IS NOT NULL OR %s)
                    """,
                    SQL("c.pool_id") if has_pool else SQL("NULL"),
                    SQL("c.pool_id IS NOT NULL") if has_pool else SQL("FALSE"),
                )
            )
        return super()._auto_init()
