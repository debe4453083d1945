from odoo import SUPERUSER_ID, api, fields, models


class ResPartner(models.Model):
    """P1 everywhere: a customer company is owned by one customer manager or
    lies in a pool, however it was created (the Customers menu, a quick
    create from an order or an opportunity, ``name_create``, an import
    without an owner column, an invoice making a company a customer)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _pool_is_orphan(self):
        """A customer company (Odoo counts it as a customer) that nobody owns
        and no pool holds."""
        self.ensure_one()
        return bool(
            self.is_company
            and self.customer_rank > 0
            and not self.user_id
            and not self.pool_id
        )

    def _pool_adopt_orphans(self):
        """Give the orphan customers among these partners an owner or a pool:
        a salesperson creating them (or making them customers) owns them;
        otherwise (superuser, scheduled actions, portal or public users,
        users outside sales) they land in the default pool, logged like a
        put. Returns the adopted customers."""
        orphans = self.sudo().filtered(lambda partner: partner._pool_is_orphan())
        if not orphans:
            return orphans
        actor = self.env.user
        Pool = self.env["crm.customer.pool"]
        today = fields.Date.context_today(self)
        if (
            actor.id != SUPERUSER_ID
            and actor._is_internal()
            and actor.has_group("sales_team.group_sale_salesman")
        ):
            home = Pool._home_pool_for_users(actor)[actor.id]
            orphans._pool_log(
                "assign",
                actor,
                self.env._("Created by %s, who owns it", actor.name),
                {partner.id: home for partner in orphans},
            )
            orphans.with_context(mail_auto_subscribe_no_notify=True).write(
                {
                    "user_id": actor.id,
                    "home_pool_id": home.id,
                    "date_owned": today,
                }
            )
            return orphans
        pool = Pool._default_pool()
        if not pool:
            return orphans.browse()
        orphans._pool_log(
            "put",
            self.env["res.users"],
            self.env._("Created without a customer manager"),
            {partner.id: pool for partner in orphans},
        )
        orphans.write(
            {
                "pool_id": pool.id,
                "home_pool_id": pool.id,
                "pool_entry_date": today,
                "date_owned": False,
                "recycle_date": False,
            }
        )
        return orphans

    @api.model
    def _pool_adopt_all_orphans(self):
        """Upgrade step and repair: every existing orphan customer company
        (archived ones included) goes to the default pool. Returns them."""
        orphans = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("is_company", "=", True),
                    ("customer_rank", ">", 0),
                    ("user_id", "=", False),
                    ("pool_id", "=", False),
                ]
            )
        )
        return orphans.with_user(SUPERUSER_ID)._pool_adopt_orphans()

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered("is_company")._pool_adopt_orphans()
        return partners

    def write(self, vals):
        res = super().write(vals)
        # A company made a customer, or a partner made a company.
        if {"is_company", "customer_rank", "parent_id"}.intersection(vals):
            self.filtered("is_company")._pool_adopt_orphans()
        return res

    def _increase_rank(self, field, n=1):
        # Posting an invoice makes a company a customer (raw SQL in account).
        res = super()._increase_rank(field, n=n)
        if field == "customer_rank":
            self.filtered("is_company")._pool_adopt_orphans()
        return res
