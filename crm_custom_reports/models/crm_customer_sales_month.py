import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Key of the set of customers whose monthly sales must be recomputed before
# the transaction commits (or before an analysis reads them).
PENDING_KEY = "crm_custom_reports.sales_month_partners"


class CrmCustomerSalesMonth(models.Model):
    """Confirmed sales of one customer (commercial partner), company and
    salesperson in one month, in company currency; rolled up to date in
    crm.customer.sales.total.

    Why a summary table: the contribution (R1), value (R5) and performance
    (R6) analyses must answer at 200,000 customers and 2,000,000 confirmed
    orders within 1.3 times the best hand-written SQL over the orders. A view
    over sale_order re-aggregates every order (and joins the customers for
    their commercial partner) on each read: at best as fast as that SQL,
    plus the ORM. This table holds one narrow row per customer, company,
    salesperson and month, the amounts already converted, so the analyses
    read far fewer, far smaller rows.

    How it stays correct: confirming, cancelling or deleting a confirmed
    order, moving it to another customer, date or company, or moving a
    contact to another company recomputes the rows of its customer with the
    rest of the customer's order data (X8: ``_refresh_ctes``, in the one
    statement of ``res.partner._crm_order_data_ctes``); the other changes
    (a confirmed order's lines, salesperson or rate) mark the customer, and
    before the transaction commits, and before any analysis reads the table
    in the same transaction, the rows of the marked customers are recomputed
    from their orders in one set-based statement for both tables. Concurrent
    transactions touching the same customer and month collide on the unique
    key under REPEATABLE READ and one of them is retried, so no update is
    lost. ``_rebuild`` recomputes everything (install, or orders loaded
    with raw SQL: call ``env["crm.customer.sales.month"]._rebuild()``)."""

    _name = "crm.customer.sales.month"
    _description = "Customer Monthly Sales"
    _log_access = False
    _order = "month desc, id desc"

    _inherit = ["crm.customer.sales.summary.mixin"]

    _summary_extra_keys = ("month",)

    month = fields.Date(required=True, readonly=True, help="First day of the month.")

    def init(self):
        # The unique key makes concurrent refreshes of the same customer
        # collide (see the class docstring); also the index of the upsert.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS crm_customer_sales_month_key"
                " ON crm_customer_sales_month"
                " (partner_id, company_id, user_id, month) NULLS NOT DISTINCT"
            )
        )
        # Period filters of the analyses.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS crm_customer_sales_month_month_idx"
                " ON crm_customer_sales_month (month)"
            )
        )
        # Sales performance per salesperson (and its record rule).
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS crm_customer_sales_month_user_idx"
                " ON crm_customer_sales_month (user_id, month)"
            )
        )
        # The list of the contribution analysis, largest first.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS crm_customer_sales_month_amount_idx"
                " ON crm_customer_sales_month (amount DESC, id)"
            )
        )

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    @api.model
    def _fresh_rows_sql(self, scope=None, orders=None):
        """Monthly sales of the customers ``scope`` (SQL, a query of their
        ids; all when None) computed from their confirmed orders: orders
        placed on a contact count for its company (the commercial partner);
        amounts are untaxed and converted to company currency with the
        order's rate, like sale.report. ``orders``: SQL, a relation of the
        confirmed orders of these customers already read (see
        ``res.partner._crm_confirmed_orders_sql``), instead of reading
        them again."""
        if orders is None:
            # An array rather than a semi-join: cheaper to plan.
            partner_filter = (
                SQL("TRUE")
                if scope is None
                else SQL("cp.commercial_partner_id = ANY(ARRAY(%s))", scope)
            )
            orders = SQL(
                "(%s)",
                self.env["res.partner"]._crm_confirmed_orders_sql(partner_filter),
            )
        return SQL(
            """
            SELECT so.partner_id,
                   so.company_id,
                   so.user_id,
                   date_trunc('month', so.date_order)::date AS month,
                   SUM(so.amount_untaxed
                       / COALESCE(NULLIF(so.currency_rate, 0), 1.0)) AS amount,
                   COUNT(*) AS order_count
              FROM %s so
             GROUP BY 1, 2, 3, 4
            """,
            orders,
        )

    @api.model
    def _total_rows_sql(self, partner_ids=None):
        """Totals to date of the given customers (all when None), rolled up
        from their monthly sales."""
        partner_filter = (
            SQL("TRUE")
            if partner_ids is None
            else SQL("partner_id = ANY(%s)", list(partner_ids))
        )
        return SQL(
            """
            SELECT partner_id, company_id, user_id,
                   SUM(amount) AS amount,
                   SUM(order_count) AS order_count,
                   COUNT(*) AS month_count
              FROM crm_customer_sales_month
             WHERE %s
             GROUP BY partner_id, company_id, user_id
            """,
            partner_filter,
        )

    def _flush_sources(self):
        self.env["sale.order"].flush_model(
            [
                "state",
                "partner_id",
                "company_id",
                "user_id",
                "date_order",
                "amount_untaxed",
                "currency_rate",
            ]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])

    @api.model
    def _refresh_ctes(self, scope, orders=None):
        """The CTEs (SQL ``name AS (...)``) recomputing the monthly and total
        sales of the customers ``scope`` (SQL: a query of their ids) in one
        statement: their fresh months, their totals rolled up from those,
        and the upserts of both tables. Part of the order data refresh (X8)
        of crm_custom on the order paths, which gives their confirmed
        ``orders`` (see ``_fresh_rows_sql``)."""
        Total = self.env["crm.customer.sales.total"]
        return [
            SQL(
                "crm_sales_month_fresh AS (%s)",
                self._fresh_rows_sql(scope=scope, orders=orders),
            ),
            SQL(
                """crm_sales_total_fresh AS (
                    SELECT partner_id, company_id, user_id,
                           SUM(amount) AS amount,
                           SUM(order_count) AS order_count,
                           COUNT(*) AS month_count
                      FROM crm_sales_month_fresh
                     GROUP BY partner_id, company_id, user_id
                )"""
            ),
            *self._summary_upsert_ctes("crm_sales_month_fresh", scope),
            *Total._summary_upsert_ctes("crm_sales_total_fresh", scope),
        ]

    @api.model
    def _refresh_partners(self, partner_ids):
        """Recompute the rows of these customers: upsert the months that
        have sales, delete the ones that have none any more; then their
        totals to date. One statement."""
        partner_ids = sorted({pid for pid in partner_ids if pid})
        if not partner_ids:
            return
        self._flush_sources()
        self.env.cr.execute(
            SQL(
                "WITH targets AS (SELECT UNNEST(%s::int[]) AS id), %s SELECT 1",
                partner_ids,
                SQL(", ").join(self._refresh_ctes(SQL("SELECT id FROM targets"))),
            )
        )
        self._invalidate_analyses()

    @api.model
    def _rebuild(self):
        """Recompute the whole table from the confirmed orders (install,
        or after orders were loaded directly in the database)."""
        self._flush_sources()
        self.env.cr.execute(SQL("DELETE FROM crm_customer_sales_month"))
        self.env.cr.execute(
            SQL(
                "INSERT INTO crm_customer_sales_month"
                " (partner_id, company_id, user_id, month, amount, order_count)"
                " %s",
                self._fresh_rows_sql(),
            )
        )
        _logger.info("Customer monthly sales rebuilt: %s rows", self.env.cr.rowcount)
        self.env.cr.execute(SQL("DELETE FROM crm_customer_sales_total"))
        self.env.cr.execute(
            SQL(
                "INSERT INTO crm_customer_sales_total"
                " (partner_id, company_id, user_id, amount, order_count, month_count)"
                " %s",
                self._total_rows_sql(),
            )
        )
        self.env.cr.execute(SQL("ANALYZE crm_customer_sales_month"))
        self.env.cr.execute(SQL("ANALYZE crm_customer_sales_total"))
        self._invalidate_analyses()

    def _invalidate_analyses(self):
        """Forget the cached rows of the summaries and of the analyses that
        read them. Without flushing them first: the summaries are written
        in SQL only and the analyses are views, so nothing of theirs is
        ever pending (a flush of each model on every order is not free)."""
        self.invalidate_model(flush=False)
        self.env["crm.customer.sales.total"].invalidate_model(flush=False)
        for model_name in self.env.registry.descendants(
            ["crm.analysis.mixin"], "_inherit"
        ):
            self.env[model_name].invalidate_model(flush=False)

    # ------------------------------------------------------------------
    # Deferred refresh
    # ------------------------------------------------------------------

    @api.model
    def _mark_partners(self, partners):
        """Recompute the monthly sales of these customers (their commercial
        partners) before the transaction commits."""
        partner_ids = set(partners.commercial_partner_id.ids)
        if not partner_ids:
            return
        precommit = self.env.cr.precommit
        if PENDING_KEY not in precommit.data:
            env = self.env

            @precommit.add
            def refresh_sales_months():
                env["crm.customer.sales.month"].sudo()._sync_pending()

        precommit.data.setdefault(PENDING_KEY, set()).update(partner_ids)

    @api.model
    def _sync_pending(self):
        """Apply the pending refreshes of this transaction now (analyses
        call it before reading, so that they see the transaction's own
        changes)."""
        data = self.env.cr.precommit.data
        # Flushing recomputes the amounts of orders whose lines changed,
        # which marks their customers.
        self._flush_sources()
        while data.get(PENDING_KEY):
            partner_ids = data[PENDING_KEY]
            data[PENDING_KEY] = set()
            self.sudo()._refresh_partners(partner_ids)
            self._flush_sources()
