from odoo import api, fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    """Churn statistics 客户流失 (W1-W4) kept on the customer."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # --- Churn 客户流失 (W1-W4) --------------------------------------------
    last_order_date = fields.Date(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Date of the last confirmed sale order of this customer, orders "
        "placed on its contacts included. Kept up to date when orders are "
        "confirmed or cancelled.",
    )
    churn_purchase_count = fields.Integer(
        string="Purchases",
        readonly=True,
        copy=False,
        help="Number of days with a confirmed order (several orders confirmed "
        "on the same day count once).",
    )
    churn_median_interval = fields.Float(
        string="Usual Days Between Orders",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Median number of days between two purchases: the customer's "
        "buying cycle.",
    )
    churn_lost = fields.Boolean(
        string="Lost Customer",
        readonly=True,
        copy=False,
        tracking=True,
        help="The loss of this customer was confirmed on a churn warning. A "
        "new confirmed order clears it.",
    )
    churn_warning_ids = fields.One2many(
        "crm.churn.warning", "partner_id", string="Churn Warnings"
    )
    churn_warning_count = fields.Integer(compute="_compute_churn_warning_count")

    def _compute_churn_warning_count(self):
        counts = dict(
            self.env["crm.churn.warning"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.churn_warning_count = counts.get(partner, 0)

    def action_view_churn_warnings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_churn_warning"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"create": False}
        return action

    def _churn_refresh_order_stats(self):
        """Recompute the last order date and the buying cycle of the
        customers (commercial partners) of these partners from their confirmed
        orders, in one grouped query whatever the number of customers."""
        customers = self.commercial_partner_id
        if customers:
            self._churn_update_order_stats(customers.ids)

    @api.model
    def _churn_refresh_all_order_stats(self):
        """Backfill of every customer, when the module is installed on a
        database that already has orders."""
        self._churn_update_order_stats(None)

    @api.model
    def _churn_update_order_stats(
        self, customer_ids, partner_ids=None, ctes=(), recycle=False
    ):
        """Set last_order_date, churn_purchase_count and churn_median_interval
        of the given customers (all when ``customer_ids`` is None; with
        ``partner_ids``, the commercial partners of these partners, resolved
        in the statement) with one UPDATE. Orders count for the commercial
        partner of their customer; only confirmed orders count; the buying
        cycle is the median gap between distinct purchase days.

        ``ctes``: more data-modifying CTEs (SQL ``name AS (...)``) on the CTEs
        ``targets`` (column ``id``: the customers) and ``crm_target_orders``
        (their confirmed orders, see ``_crm_confirmed_orders_sql``), run in
        the same statement: other order-derived data refreshed in one round
        trip.

        ``recycle`` (given customers only): also store the recycle date of
        the customers whose last order date moves (the no-deal rule reads
        it), computed with the new date in the same UPDATE: a second UPDATE
        of the same rows (and statement) less.

        Return {customer id: row} for the targets (only the changed
        customers when all are refreshed), row: (statistics changed, last
        order date moved, pool state, has a recycle date, lost mark, has an
        open churn warning), all as before the statement."""
        self.env.flush_all()
        if customer_ids is None:
            in_targets = SQL("IN (SELECT id FROM targets)")
            order_filter = SQL("TRUE")
            targets = SQL(
                "SELECT partner_id AS id FROM stats"
                " UNION SELECT id FROM res_partner"
                " WHERE last_order_date IS NOT NULL"
            )
        else:
            # Given customers: an array rather than a semi-join, so that
            # each part of the statement filters on a plain indexable
            # condition. Planning is most of the statement's time on one
            # order, and each semi-join makes the planner weigh more plans.
            in_targets = SQL("= ANY(ARRAY(SELECT id FROM targets))")
            order_filter = SQL("cp.commercial_partner_id %s", in_targets)
            if partner_ids is None:
                targets = SQL("SELECT UNNEST(%s::int[]) AS id", list(customer_ids))
            else:
                targets = SQL(
                    "SELECT DISTINCT commercial_partner_id AS id FROM res_partner"
                    " WHERE id = ANY(%s) AND commercial_partner_id IS NOT NULL",
                    list(partner_ids),
                )
        # The confirmed orders of the targets, read once for the statistics
        # and for the CTEs of other modules (``ctes``).
        orders = SQL(
            "crm_target_orders AS (%s)", self._crm_confirmed_orders_sql(order_filter)
        )
        stats = SQL(
            "stats AS (%s)",
            self._churn_order_stats_sql(SQL("crm_target_orders")),
        )
        targets = SQL("targets AS (%s)", targets)
        # The targets as they are before the statement, read once for the
        # UPDATE and for the rows returned.
        customers = SQL(
            """crm_order_customers AS MATERIALIZED (
                SELECT id, last_order_date, churn_purchase_count,
                       churn_median_interval, pool_state, recycle_date,
                       churn_lost
                  FROM res_partner WHERE id %s)""",
            in_targets,
        )
        heads = SQL(", ").join(
            (orders, stats, targets, customers)
            if customer_ids is None
            else (targets, orders, stats, customers)
        )
        extra = SQL("").join(SQL(", %s", cte) for cte in ctes)
        recycle_set = SQL()
        if recycle and customer_ids is not None:
            # Customers no longer owned (or archived) are not in the plan:
            # no date, as crm.customer.pool._refresh_recycle_dates does.
            # A subquery on the one customer, run for those whose last order
            # date moves: planned apart (its joins do not add to the join
            # orders the planner weighs for the UPDATE), and linear. Joined
            # instead to a plan of all the targets, expected to be a row or
            # two, it ran as a nested loop over that plan: quadratic in the
            # number of customers (0.3 s of 0.8 s at 1,000).
            plan = self.env["crm.customer.pool"]._recycle_plan_sql(
                SQL("p.id = old.id"), last_deal=SQL("stats.last_day")
            )
            recycle_set = SQL(
                """, recycle_date = CASE
                    WHEN old.last_order_date IS DISTINCT FROM stats.last_day
                    THEN (SELECT plan.recycle_date FROM (%s) plan)
                    ELSE old.recycle_date END""",
                plan,
            )
        self.env.cr.execute(
            SQL(
                """
                WITH %(heads)s%(extra)s,
                changed AS (
                    UPDATE res_partner p
                       SET last_order_date = stats.last_day,
                           churn_purchase_count = COALESCE(stats.purchases, 0),
                           churn_median_interval = stats.median_gap
                           %(recycle_set)s
                      FROM crm_order_customers old
                      LEFT JOIN stats ON stats.partner_id = old.id
                     WHERE p.id = old.id
                       AND (old.last_order_date IS DISTINCT FROM stats.last_day
                            OR old.churn_purchase_count
                               IS DISTINCT FROM COALESCE(stats.purchases, 0)
                            OR old.churn_median_interval
                               IS DISTINCT FROM stats.median_gap)
                 RETURNING p.id,
                           old.last_order_date IS DISTINCT FROM stats.last_day
                           AS moved
                )
                SELECT old.id, c.id IS NOT NULL, COALESCE(c.moved, FALSE),
                       old.pool_state, old.recycle_date IS NOT NULL,
                       COALESCE(old.churn_lost, FALSE),
                       (SELECT TRUE FROM crm_churn_warning w
                         WHERE w.partner_id = old.id
                           AND w.state IN ('open', 'postponed')
                         LIMIT 1) IS NOT NULL
                  FROM crm_order_customers old
                  LEFT JOIN changed c ON c.id = old.id
                 WHERE %(all_rows)s OR c.id IS NOT NULL
                """,
                heads=heads,
                extra=extra,
                recycle_set=recycle_set,
                all_rows=SQL("TRUE" if customer_ids is not None else "FALSE"),
            )
        )
        rows = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        changed = [pid for pid, row in rows.items() if row[0]]
        if customer_ids is None:
            self.invalidate_model(
                ["last_order_date", "churn_purchase_count", "churn_median_interval"]
            )
        elif changed:
            self.browse(changed).invalidate_recordset(
                ["last_order_date", "churn_purchase_count", "churn_median_interval"]
                + (["recycle_date", "days_to_recycle"] if recycle else [])
            )
        return rows

    @api.model
    def _crm_confirmed_orders_sql(self, order_filter):
        """SELECT of the confirmed orders matching ``order_filter`` (SQL on
        the aliases ``so`` of sale_order and ``cp`` of its customer), with
        the customer they count for (``partner_id``: the commercial partner
        of the order's customer), ``date_order``, ``company_id``,
        ``user_id``, ``amount_untaxed`` and ``currency_rate``: what the
        order-derived data is computed from (X8)."""
        return SQL(
            """
            SELECT cp.commercial_partner_id AS partner_id, so.date_order,
                   so.company_id, so.user_id, so.amount_untaxed,
                   so.currency_rate
              FROM sale_order so
              JOIN res_partner cp ON cp.id = so.partner_id
             WHERE so.state = 'sale' AND %s
            """,
            order_filter,
        )

    @api.model
    def _churn_order_stats_sql(self, orders):
        """SELECT of the order statistics (partner_id, last_day, purchases,
        median_gap) of the customers of the confirmed ``orders`` (SQL: a
        relation with the columns of ``_crm_confirmed_orders_sql``): the
        buying cycle is the median gap between distinct purchase days. The
        single definition, used to store them and by the consistency check
        (X8)."""
        return SQL(
            """
            WITH purchase_days AS (
                SELECT DISTINCT so.partner_id, so.date_order::date AS day
                  FROM %(orders)s so
            ), gaps AS (
                SELECT partner_id, day,
                       day - LAG(day) OVER (
                           PARTITION BY partner_id ORDER BY day) AS gap
                  FROM purchase_days
            )
            SELECT partner_id,
                   MAX(day) AS last_day,
                   COUNT(*) AS purchases,
                   ROUND((PERCENTILE_CONT(0.5)
                       WITHIN GROUP (ORDER BY gap))::numeric, 1) AS median_gap
              FROM gaps
             GROUP BY partner_id
            """,
            orders=orders,
        )
