import functools

from markupsafe import Markup
from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, mute_logger

# The first key of the advisory locks serializing the claims and
# assignments of one user (the second is the user's id): "CRMP".
POOL_USER_LOCK_CLASS = 0x43524D50


class ResPartner(models.Model):
    """The customer pool 客户池 (P1-P9): ownership fields, their guard and
    the pool operations (put, claim, assign, lock)."""

    _name = "res.partner"
    _inherit = ["res.partner", "crm.guarded.fields.mixin"]

    # --- Customer pool 客户池 (P1-P9) -------------------------------------
    # A customer (company) is owned by one customer manager (user_id) or lies
    # in a pool (pool_id); its contacts mirror that state in pool_state so
    # that record rules need no join. Ownership changes only through the
    # methods below (put, claim, assign, recycle), which check who may do
    # it, then write through ``_guarded_write`` and log the change; ``write``
    # refuses the ownership fields (``_guarded_fields``) to everyone else, so
    # RPC cannot bypass claiming.
    pool_id = fields.Many2one(
        "crm.customer.pool",
        string="Customer Pool",
        index="btree_not_null",
        readonly=True,
        copy=False,
        tracking=True,
        ondelete="restrict",
        help="The pool this customer lies in while nobody owns it.",
    )
    home_pool_id = fields.Many2one(
        "crm.customer.pool",
        string="Pool Rules",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The pool whose rules recycle this customer and which it returns "
        "to: the pool it was claimed or assigned from, else the first pool "
        "of its customer manager.",
    )
    pool_state = fields.Selection(
        [("owned", "Owned"), ("pool", "In Pool")],
        string="Ownership",
        compute="_compute_pool_state",
        store=True,
        index="btree_not_null",
        help="Owned by a customer manager, or in a pool. Contacts carry the "
        "state of their company.",
    )
    last_followup_date = fields.Date(
        string="Last Follow-up",
        readonly=True,
        copy=False,
        help="Last interaction record, done activity, message or opportunity "
        "stage change of this customer.",
    )
    date_owned = fields.Date(
        string="Owned Since",
        readonly=True,
        copy=False,
        default=lambda self: fields.Date.context_today(self),
        help="When the current customer manager got this customer; the "
        "recycling countdown never starts before.",
    )
    recycle_date = fields.Date(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The day this customer returns to the pool if nothing happens; "
        "empty when it is exempt or its pool does not recycle.",
    )
    days_to_recycle = fields.Integer(
        string="Days Left",
        compute="_compute_days_to_recycle",
        search="_search_days_to_recycle",
        help="距到期天数: days before the customer returns to the pool.",
    )
    pool_locked = fields.Boolean(
        string="Locked",
        readonly=True,
        copy=False,
        tracking=True,
        help="A locked customer is never recycled into the pool.",
    )
    pool_previous_user_id = fields.Many2one(
        "res.users",
        string="Previous Customer Manager",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    pool_entry_date = fields.Date(string="In Pool Since", readonly=True, copy=False)
    pool_reminder_date = fields.Date(
        readonly=True,
        copy=False,
        help="Technical: the recycle date the owner was last reminded of.",
    )
    pool_days = fields.Integer(string="Days in Pool", compute="_compute_pool_days")
    pool_can_assign = fields.Boolean(
        string="Can Assign",
        compute="_compute_pool_can_assign",
        help="Technical: the current user may assign this customer.",
    )
    ownership_log_ids = fields.One2many(
        "crm.customer.ownership.log", "partner_id", string="Ownership History"
    )
    ownership_log_count = fields.Integer(
        string="Ownership Changes", compute="_compute_ownership_log_count"
    )

    # Only the pool operations change these (sales managers may also change
    # the owner and the lock directly); see crm.guarded.fields.mixin.
    _guarded_fields = frozenset(
        {
            "user_id",
            "pool_id",
            "home_pool_id",
            "pool_locked",
            "last_followup_date",
            "date_owned",
            "recycle_date",
            "pool_previous_user_id",
            "pool_entry_date",
            "pool_reminder_date",
        }
    )
    # Inputs of the recycle date (see crm.customer.pool._recycle_plan_sql).
    _POOL_RECYCLE_INPUTS = frozenset(
        {
            "user_id",
            "pool_id",
            "home_pool_id",
            "pool_locked",
            "last_followup_date",
            "date_owned",
            "customer_level_id",
            "last_order_date",
            "is_company",
            "active",
            "parent_id",
        }
    )

    @api.depends(
        "is_company",
        "user_id",
        "pool_id",
        "commercial_partner_id",
        "commercial_partner_id.is_company",
        "commercial_partner_id.user_id",
        "commercial_partner_id.pool_id",
    )
    def _compute_pool_state(self):
        for partner in self:
            customer = partner.commercial_partner_id or partner
            if not customer.is_company:
                partner.pool_state = False
            elif customer.pool_id:
                partner.pool_state = "pool"
            elif customer.user_id:
                partner.pool_state = "owned"
            else:
                partner.pool_state = False

    @api.depends("recycle_date")
    def _compute_days_to_recycle(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.days_to_recycle = (
                (partner.recycle_date - today).days if partner.recycle_date else 0
            )

    def _search_days_to_recycle(self, operator, value):
        if operator not in ("<", "<=", ">", ">=", "=") or not isinstance(value, int):
            raise UserError(self.env._("Days left can only be compared with a number."))
        limit = fields.Date.add(fields.Date.context_today(self), days=value)
        return [("recycle_date", operator, limit)]

    @api.depends("pool_entry_date", "pool_state")
    def _compute_pool_days(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.pool_days = (
                (today - partner.pool_entry_date).days
                if partner.pool_state == "pool" and partner.pool_entry_date
                else 0
            )

    @api.depends_context("uid")
    @api.depends("pool_id", "home_pool_id", "pool_state")
    def _compute_pool_can_assign(self):
        user = self.env.user
        if user.has_group("crm_custom.group_sales_manager"):
            self.pool_can_assign = True
            return
        for partner in self:
            partner.pool_can_assign = bool(
                partner.is_company
                and partner.pool_state == "pool"
                and user in partner.sudo().pool_id.admin_user_ids
            )

    def _compute_ownership_log_count(self):
        counts = dict(
            self.env["crm.customer.ownership.log"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.ownership_log_count = counts.get(partner._origin, 0)

    # --- Enforcement ------------------------------------------------------

    def _pool_is_manager(self):
        return self.env.su or self.env.user.has_group("crm_custom.group_sales_manager")

    def _check_access(self, operation):
        # Speed, not masking (P6 does not need it): check_access and every
        # read of records the user did not search go through this method,
        # and no public hook lets a model check its rules in SQL.
        # The read rule of customer managers follows the pools, their member
        # users and sales teams and the teams' members. On records it did
        # not search (e.g. reading the computed fields of a list page), Odoo
        # evaluates it in Python, one query per relation on the way; in SQL
        # it is one query, with the same result.
        if (
            operation != "read"
            or self.env.su
            or not self._ids
            or not all(isinstance(id_, int) for id_ in self._ids)
            or not self.env["ir.model.access"].check(
                self._name, operation, raise_exception=False
            )
            or not self.env["ir.rule"]._compute_domain(self._name, operation)
        ):
            return super()._check_access(operation)
        query = self.with_context(active_test=False)._search(
            [("id", "in", list(self._ids))]
        )
        allowed = {row[0] for row in self.env.execute_query(query.select())}
        forbidden = self.browse([id_ for id_ in self._ids if id_ not in allowed])
        if not forbidden:
            return None
        return forbidden, functools.partial(
            self.env["ir.rule"]._make_access_error, operation, forbidden
        )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if not self._pool_is_manager():
            partners._pool_check_created()
        customers = partners.filtered("is_company")
        # Owners may come from defaults: give the new customers the rules of
        # their owner's pool once created.
        homeless = customers.filtered(lambda p: p.user_id and not p.home_pool_id)
        if homeless:
            home_pools = self.env["crm.customer.pool"]._home_pool_for_users(
                homeless.user_id
            )
            for owner, owned in homeless.grouped("user_id").items():
                # through write: the home pool is an input of the recycle date
                owned._guarded_write({"home_pool_id": home_pools[owner.id].id})
        (customers - homeless)._pool_refresh_recycle_dates()
        return partners

    def _pool_check_created(self):
        """Customer managers create customers they own (or contacts); they
        do not give customers to others nor create them into a pool."""
        uid = self.env.uid
        for partner in self.filtered("is_company"):
            if partner.user_id and partner.user_id.id != uid:
                raise UserError(
                    self.env._(
                        "You can only create customers that you own: only a sales "
                        "manager gives %(customer)s to %(user)s.",
                        customer=partner.display_name,
                        user=partner.user_id.name,
                    )
                )
            if partner.pool_id or partner.pool_locked:
                raise UserError(
                    self.env._(
                        "Create %(customer)s first, then put it into a pool.",
                        customer=partner.display_name,
                    )
                )

    def write(self, vals):
        protected = self._guarded_fields_in(vals)
        if protected:
            if self.env.user.has_group("crm_custom.group_sales_manager"):
                if protected - {"user_id", "pool_locked"}:
                    self._pool_check_unchanged(
                        vals, protected - {"user_id", "pool_locked"}
                    )
                if "user_id" in vals:
                    new_user = self.env["res.users"].browse(vals["user_id"] or [])
                    changed = self.filtered(
                        lambda p: p.is_company and p.user_id != new_user
                    )
                    if changed:
                        # the others keep their owner: a plain write
                        unchanged = self - changed
                        if unchanged:
                            unchanged.write(vals)
                        return changed._pool_write_owner_as_manager(vals, new_user)
            else:
                self._pool_check_unchanged(vals, protected)
        res = super().write(vals)
        if self._POOL_RECYCLE_INPUTS.intersection(vals):
            self._pool_refresh_recycle_dates()
        return res

    def _pool_check_unchanged(self, vals, fnames):
        """Refuse a direct change of ownership fields of customers: it must
        go through put, claim or assign (P2, P3)."""
        for fname in fnames:
            field = self._fields[fname]
            new = field.convert_to_cache(vals[fname], self)
            new = field.convert_to_record(new, self)
            changed = self.filtered(
                lambda partner, fname=fname, new=new: partner.is_company
                and partner[fname] != new
            )
            if changed:
                raise UserError(
                    self.env._(
                        "%(field)s of %(customer)s changes only by putting the "
                        "customer into a pool, claiming it or having a sales "
                        "manager assign it.",
                        field=field._description_string(self.env),
                        customer=changed[0].display_name,
                    )
                )

    def _pool_write_owner_as_manager(self, vals, new_user):
        """A sales manager changing the customer manager of these customers
        on the form or by RPC assigns them (P3): logged and notified like
        the assign wizard."""
        if not new_user:
            raise UserError(
                self.env._(
                    "To take %(customer)s from its customer manager, put it "
                    "into a pool or assign it to another salesperson.",
                    customer=self[0].display_name,
                )
            )
        others_vals = dict(vals)
        others_vals.pop("user_id")
        if others_vals:
            self.write(others_vals)
        self._pool_assign(
            new_user, reason=self.env._("Customer manager changed on the customer")
        )
        return True

    # --- Follow-up --------------------------------------------------------

    def _pool_register_followup(self, followup_date=None):
        """Record a follow-up of these customers, or of the customers of
        these contacts, on ``followup_date`` (today by default)."""
        followup_date = fields.Date.to_date(followup_date) or fields.Date.context_today(
            self
        )
        customers = self.sudo().commercial_partner_id.filtered(
            lambda customer: customer.is_company
            and (
                not customer.last_followup_date
                or customer.last_followup_date < followup_date
            )
        )
        if customers:
            customers._guarded_write({"last_followup_date": followup_date})

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if msg_vals.get("message_type", message.message_type) in ("comment", "email"):
            self._pool_register_followup()
        return res

    def _pool_refresh_recycle_dates(self, all_customers=False):
        """Recompute the stored recycle date of these customers (all owned
        customers with ``all_customers``) in one UPDATE."""
        if all_customers or self:
            self.env["crm.customer.pool"]._refresh_recycle_dates(
                None if all_customers else self.sudo().commercial_partner_id.ids
            )

    # --- Operations ---------------------------------------------------------

    def _pool_customers(self):
        if not self:
            raise UserError(self.env._("Select the customers first."))
        contacts = self.filtered(lambda partner: not partner.is_company)
        if contacts:
            raise UserError(
                self.env._(
                    "%(contact)s is a contact, not a customer company: only "
                    "customers go into and out of a pool.",
                    contact=contacts[0].display_name,
                )
            )
        return self

    def _pool_lock_rows(self, state=None):
        """Lock the rows of these customers for this transaction; a customer
        that another transaction is claiming or assigning at this moment, or
        has claimed or assigned since this one began, makes the whole
        operation fail at once with a clear error, so that two people never
        both get it. Failing fast matters under load: a lock wait or a
        serialization failure retried by the server costs the loser of a
        race seconds, and holds a worker."""
        self.flush_recordset()
        condition = SQL("pool_state = %s", state) if state else SQL("TRUE")
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM res_partner WHERE id = ANY(%s) AND %s "
                        "FOR UPDATE SKIP LOCKED",
                        self.ids,
                        condition,
                    )
                )
                locked = {row[0] for row in self.env.cr.fetchall()}
        except errors.SerializationFailure:
            # Changed by a transaction committed after this one began:
            # retrying would only tell the user it is gone.
            locked = set()
        busy = self.filtered(lambda partner: partner.id not in locked)
        if busy:
            raise UserError(
                self.env._(
                    "Someone else is claiming or assigning %(customer)s right now. "
                    "Refresh the list and try again.",
                    customer=busy[0].display_name,
                )
            )

    def _pool_serialize_user(self, user, pools=None):
        """Claims and assignments to one salesperson run one at a time, so
        that the claim and owned-customer limits (P5) hold under
        concurrency: a transaction-level advisory lock on the user, which a
        concurrent claim waits for without failing. Under REPEATABLE READ
        the waiter's snapshot predates what the holder committed, hence the
        limits count in a cursor opened after the lock as well
        (``crm.customer.pool._limit_count``). Only when a limit applies
        (``pools``: the pools claimed from; None: always): without limits
        there is nothing to count, and the row locks of the customers keep
        their owners unique.

        Updating the user's row instead made the waiter fail with a
        serialization error, retried by Odoo after a random sleep of up to
        2 s: the tail of concurrent claims."""
        if pools is not None and not any(
            pool.daily_claim_limit or pool.owned_limit for pool in pools
        ):
            return
        self.env.cr.execute(
            SQL(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                POOL_USER_LOCK_CLASS,
                user.id,
            )
        )

    def _pool_log(self, method, to_user, reason, pools=None):
        """Log the ownership change of these customers (before the change),
        in the ownership history and, with the tracked owner and pool, in
        each customer's chatter: how, by whom, why, under which pool."""
        labels = dict(
            self.env["crm.customer.ownership.log"]
            ._fields["method"]
            ._description_selection(self.env)
        )
        for partner in self:
            pool = (
                pools[partner.id]
                if pools
                else (partner.pool_id or partner.home_pool_id)
            )
            partner._track_set_log_message(
                Markup("<p>%s</p>")
                % self.env._(
                    "%(how)s (pool %(pool)s): %(reason)s",
                    how=labels[method],
                    pool=pool.display_name or "-",
                    reason=reason or "-",
                )
            )
        self.env["crm.customer.ownership.log"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "from_user_id": partner.user_id.id,
                    "to_user_id": to_user.id,
                    "method": method,
                    "reason": reason,
                    "pool_id": (
                        pools[partner.id]
                        if pools
                        else (partner.pool_id or partner.home_pool_id)
                    ).id,
                    "user_id": self.env.uid,
                }
                for partner in self
            ]
        )

    def _pool_set_owner(self, user, method, reason):
        """Give these customers to ``user`` (claim or assign), as superuser:
        callers check the rights and limits first."""
        today = fields.Date.context_today(self)
        self._pool_log(method, user, reason)
        # Customers from a pool keep it as their home; the user's first pool
        # is looked up only for the others (assigned by their owner).
        home_for_user = self.env["crm.customer.pool"]
        if not all(partner.pool_id for partner in self):
            home_for_user = home_for_user._home_pool_for_users(user)[user.id]
        by_home = {}
        for partner in self:
            home = partner.pool_id or home_for_user
            by_home.setdefault(home, []).append(partner.id)
        for home, ids in by_home.items():
            self.browse(ids).with_context(
                mail_auto_subscribe_no_notify=True
            )._guarded_write(
                {
                    "user_id": user.id,
                    "pool_id": False,
                    "home_pool_id": home.id,
                    "date_owned": today,
                    "pool_reminder_date": False,
                }
            )

    def _pool_put(self, pool, reason):
        """P1: put these owned customers into ``pool``, with a reason; by
        their owner (into a pool they belong to) or by a sales manager."""
        customers = self._pool_customers()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the customers go into the pool."))
        if not pool or not pool.active:
            raise UserError(self.env._("Choose an active customer pool."))
        in_pool = customers.filtered(lambda partner: partner.pool_state == "pool")
        if in_pool:
            raise UserError(
                self.env._(
                    "%(customer)s already lies in the pool %(pool)s.",
                    customer=in_pool[0].display_name,
                    pool=in_pool[0].pool_id.display_name,
                )
            )
        user = self.env.user
        if not self._pool_is_manager():
            foreign = customers.filtered(lambda partner: partner.user_id != user)
            if foreign:
                raise UserError(
                    self.env._(
                        "You can only put your own customers into a pool; "
                        "%(customer)s belongs to %(owner)s.",
                        customer=foreign[0].display_name,
                        owner=foreign[0].user_id.name or self.env._("nobody"),
                    )
                )
            if not pool.sudo()._is_member(user):
                raise UserError(
                    self.env._(
                        "You are not a member of the pool %(pool)s.",
                        pool=pool.display_name,
                    )
                )
        customers._pool_lock_rows()
        customers._pool_log(
            "put", self.env["res.users"], reason, {p.id: pool for p in customers}
        )
        today = fields.Date.context_today(self)
        by_owner = {}
        for partner in customers:
            by_owner.setdefault(partner.user_id, []).append(partner.id)
        for owner, ids in by_owner.items():
            self.browse(ids)._guarded_write(
                {
                    "user_id": False,
                    "pool_id": pool.id,
                    "home_pool_id": pool.id,
                    "pool_previous_user_id": owner.id,
                    "pool_entry_date": today,
                    "date_owned": False,
                    "recycle_date": False,
                    "pool_reminder_date": False,
                }
            )
        return True

    def _pool_claim(self):
        """P2/P5: the current user claims these pool customers: member of
        their pool, outside the previous-owner cooldown, within the daily
        claim limit and the owned-customers limit. Concurrent claims of one
        customer: the row lock lets exactly one through.

        The state is read as superuser: a customer claimed by someone else a
        moment ago is no longer visible to the loser of the race, who gets
        the business reason rather than an access error."""
        user = self.env.user
        if not user.has_group("sales_team.group_sale_salesman"):
            raise AccessError(self.env._("Only salespeople claim customers."))
        customers = self.sudo()._pool_customers()
        gone = customers.filtered(lambda partner: partner.pool_state != "pool")
        if gone:
            raise UserError(
                self.env._(
                    "%(customer)s is no longer in the pool: someone claimed it or "
                    "it was assigned. Refresh the list.",
                    customer=gone[0].display_name,
                )
            )
        today = fields.Date.context_today(self)
        by_pool = customers.grouped("pool_id")
        for pool, partners in by_pool.items():
            if not pool._is_member(user):
                raise UserError(
                    self.env._(
                        "You are not a member of the pool %(pool)s.",
                        pool=pool.display_name,
                    )
                )
            if pool.reclaim_cooldown_days:
                for partner in partners:
                    if (
                        partner.pool_previous_user_id != user
                        or not partner.pool_entry_date
                    ):
                        continue
                    until = fields.Date.add(
                        partner.pool_entry_date, days=pool.reclaim_cooldown_days
                    )
                    if today < until:
                        raise UserError(
                            self.env._(
                                "You gave up %(customer)s on %(date)s: as its "
                                "previous customer manager you can claim it again "
                                "from %(until)s.",
                                customer=partner.display_name,
                                date=partner.pool_entry_date,
                                until=until,
                            )
                        )
        # The customers first: the loser of a race for one fails at once,
        # without waiting for (or holding) the row of its user.
        customers._pool_lock_rows(state="pool")
        self._pool_serialize_user(user, pools=by_pool.keys())
        for pool, partners in by_pool.items():
            pool._check_claim_limits(user, partners)
        customers._pool_set_owner(user, "claim", self.env._("Claimed from the pool"))
        return True

    def _pool_assign(self, user, reason=False, notification=None):
        """P3: give these customers to the salesperson ``user``: by a sales
        manager (any customer) or a pool administrator (customers of their
        pool); the new owner is notified as the pool says, or as
        ``notification`` ('message', 'email', 'none') says."""
        customers = self._pool_customers()
        actor = self.env.user
        if not self._pool_is_manager():
            for partner in customers.sudo():
                if (
                    partner.pool_state != "pool"
                    or actor not in partner.pool_id.admin_user_ids
                ):
                    raise AccessError(
                        self.env._(
                            "Only a sales manager, or the administrator of its "
                            "pool, assigns %(customer)s.",
                            customer=partner.display_name,
                        )
                    )
        if (
            not user
            or user.share
            or not user.has_group("sales_team.group_sale_salesman")
        ):
            raise UserError(
                self.env._(
                    "%(user)s is not a salesperson: customers go to salespeople only.",
                    user=user.name or self.env._("Nobody"),
                )
            )
        customers = customers.filtered(lambda partner: partner.user_id != user)
        if not customers:
            return True
        customers._pool_lock_rows()
        governing = {
            partner.id: partner.sudo().pool_id or partner.sudo().home_pool_id
            for partner in customers
        }
        by_pool = {}
        for partner in customers:
            by_pool.setdefault(governing[partner.id], self.browse())
            by_pool[governing[partner.id]] |= partner
        self._pool_serialize_user(user)
        for pool, partners in by_pool.items():
            if pool:
                pool.sudo()._check_owned_limit(user, partners)
        customers._pool_set_owner(
            user, "assign", reason or self.env._("Assigned by %s", actor.name)
        )
        self.env["crm.customer.pool"]._notify_assignment(
            customers, user, reason, notification, governing
        )
        return True

    def _pool_set_locked(self, locked):
        customers = self._pool_customers()
        if not self._pool_is_manager():
            for partner in customers.sudo():
                pool = partner.pool_id or partner.home_pool_id
                if not pool or self.env.user not in pool.admin_user_ids:
                    raise AccessError(
                        self.env._(
                            "Only a sales manager or a pool administrator locks "
                            "and unlocks customers."
                        )
                    )
        customers._guarded_write({"pool_locked": locked})
        return True

    # --- Buttons --------------------------------------------------------

    def _pool_wizard_action(self, model, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_ids": self._pool_customers().ids},
        }

    def action_open_pool_put_wizard(self):
        return self._pool_wizard_action(
            "crm.customer.pool.put.wizard", self.env._("Put into Pool")
        )

    def action_open_pool_claim_wizard(self):
        return self._pool_wizard_action(
            "crm.customer.pool.claim.wizard", self.env._("Claim Customers")
        )

    def action_open_pool_assign_wizard(self):
        return self._pool_wizard_action(
            "crm.customer.pool.assign.wizard", self.env._("Assign Customers")
        )

    def action_pool_claim(self):
        """Claim without the confirmation dialog (RPC, scripts)."""
        return self._pool_claim()

    def action_pool_lock(self):
        return self._pool_set_locked(True)

    def action_pool_unlock(self):
        return self._pool_set_locked(False)

    def action_view_ownership_logs(self):
        customer = self.commercial_partner_id
        customer.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_customer_ownership_log"
        )
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"create": False}
        return action
