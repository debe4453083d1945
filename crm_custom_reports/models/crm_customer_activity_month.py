import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class CrmCustomerActivityMonth(models.Model):
    """The months in which a customer (commercial partner) bought from a
    company, each with the customer's previous and next buying month: the
    stored basis of the customer rates (R9, crm.customer.rate.report).

    Why: the rates need, for every period, the customers active at its
    start (a purchase in the 12 months before), the buyers, repeat buyers
    and new customers. Computed from the monthly sales per period, that is
    one pass over the monthly sales per period (13.5 s at 200,000 customers
    and 2,000,000 orders). Here each row's contribution to the rates depends
    on that row only (its month, orders, previous and next month):

    - buyer in its month; in its quarter (year) when the previous month is
      before the quarter (year) starts; a repeat buyer when it has two
      orders or more, or the next month falls in the same period; new when
      there is no previous month;
    - active for the periods starting from the next month up to 12 months
      later, or up to the next buying month (which then takes over): +1
      at the month after, -1 at the month after that end.

    So every change of a row adds the difference of its contributions to
    ``crm.customer.rate.delta``, a journal summed per company and month:
    the analysis reads a few hundred rows instead of millions.

    How it stays correct: the rows of a customer are recomputed with its
    monthly sales, in the statement that refreshes them
    (``crm.customer.sales.month._refresh_ctes``, part of the order data
    refresh); changed rows are updated or deleted, new ones inserted under
    the unique key, so two transactions changing the same row collide
    (serialization failure, retried) and changes of different rows add up.
    ``_rebuild`` recomputes everything."""

    _name = "crm.customer.activity.month"
    _description = "Customer Buying Months"
    _log_access = False
    _order = "month desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    month = fields.Date(required=True, readonly=True, help="First day of the month.")
    order_count = fields.Integer(string="Orders", readonly=True)
    prev_month = fields.Date(string="Previous Buying Month", readonly=True)
    next_month = fields.Date(string="Next Buying Month", readonly=True)

    def init(self):
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS crm_customer_activity_month_key"
                " ON crm_customer_activity_month (partner_id, company_id, month)"
            )
        )

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    @api.model
    def _fresh_rows_sql(self, monthly=None):
        """The buying months computed from the monthly sales ``monthly``
        (SQL: a query with the columns partner_id, company_id, month and
        order_count; all the stored monthly sales when None), with the
        previous and next month."""
        if monthly is None:
            monthly = SQL(
                "SELECT partner_id, company_id, month, order_count"
                " FROM crm_customer_sales_month"
            )
        return SQL(
            """
            SELECT partner_id, company_id, month, order_count,
                   LAG(month) OVER w AS prev_month,
                   LEAD(month) OVER w AS next_month
              FROM (SELECT s.partner_id, s.company_id, s.month,
                           SUM(s.order_count)::int AS order_count
                      FROM (%s) s
                     GROUP BY s.partner_id, s.company_id, s.month) m
            WINDOW w AS (PARTITION BY partner_id, company_id ORDER BY month)
            """,
            monthly,
        )

    @api.model
    def _contributions_sql(self, rows):
        """The contributions of ``rows`` (a query of activity rows with a
        ``weight``: 1 added, -1 removed, or the number of equal rows) to
        the rate journal: (company_id, month, counters)."""
        return SQL(
            """
            SELECT r.company_id, c.month,
                   r.weight * c.active AS active_delta,
                   r.weight * c.buyer AS buyer_count,
                   r.weight * c.repeat AS repeat_count,
                   r.weight * c.new AS new_count,
                   r.weight * c.buyer_quarter AS buyer_quarter,
                   r.weight * c.repeat_quarter AS repeat_quarter,
                   r.weight * c.buyer_year AS buyer_year,
                   r.weight * c.repeat_year AS repeat_year
              FROM (%(rows)s) r
             CROSS JOIN LATERAL (
                   SELECT date_trunc('quarter', r.month)::date AS quarter,
                          date_trunc('year', r.month)::date AS year
             ) p
             CROSS JOIN LATERAL (
                   SELECT (r.prev_month IS NULL OR r.prev_month < p.quarter)::int
                              AS first_quarter,
                          (r.prev_month IS NULL OR r.prev_month < p.year)::int
                              AS first_year
             ) f
             CROSS JOIN LATERAL (VALUES
                   (r.month, 0, 1, (r.order_count >= 2)::int,
                    (r.prev_month IS NULL)::int,
                    f.first_quarter,
                    f.first_quarter * (r.order_count >= 2
                        OR COALESCE(r.next_month
                                    < p.quarter + interval '3 months', FALSE))::int,
                    f.first_year,
                    f.first_year * (r.order_count >= 2
                        OR COALESCE(r.next_month
                                    < p.year + interval '1 year', FALSE))::int),
                   ((r.month + interval '1 month')::date, 1, 0, 0, 0, 0, 0, 0, 0),
                   ((LEAST(r.next_month, (r.month + interval '12 months')::date)
                     + interval '1 month')::date, -1, 0, 0, 0, 0, 0, 0, 0)
             ) c(month, active, buyer, repeat, new, buyer_quarter,
                 repeat_quarter, buyer_year, repeat_year)
            """,
            rows=rows,
        )

    @api.model
    def _journal_insert_sql(self, contributions):
        """Insert the contributions summed per company and month, leaving
        out the sums that are all zero."""
        return SQL(
            """
            INSERT INTO crm_customer_rate_delta
                   (company_id, month, active_delta, buyer_count, repeat_count,
                    new_count, buyer_quarter, repeat_quarter, buyer_year,
                    repeat_year)
            SELECT company_id, month, SUM(active_delta), SUM(buyer_count),
                   SUM(repeat_count), SUM(new_count), SUM(buyer_quarter),
                   SUM(repeat_quarter), SUM(buyer_year), SUM(repeat_year)
              FROM (%s) c
             GROUP BY company_id, month
            HAVING (SUM(active_delta), SUM(buyer_count), SUM(repeat_count),
                    SUM(new_count), SUM(buyer_quarter), SUM(repeat_quarter),
                    SUM(buyer_year), SUM(repeat_year))
                   <> (0, 0, 0, 0, 0, 0, 0, 0)
            """,
            contributions,
        )

    @api.model
    def _refresh_ctes(self, scope, monthly):
        """The data-modifying CTEs (SQL ``name AS (...)``) making the buying
        months of the customers ``scope`` (SQL: a query of their ids) those
        of their monthly sales ``monthly`` (SQL: a query of them, see
        ``_fresh_rows_sql``), in one statement: journal the difference of
        the changed rows, delete the months gone, insert or update the
        others (rows already equal untouched). All of them read the rows as
        they were before the statement; the deleted and upserted rows are
        distinct (their key is or is not among the fresh ones)."""
        columns = SQL(
            "partner_id, company_id, month, order_count, prev_month, next_month"
        )
        stored = SQL(
            "SELECT %s FROM crm_customer_activity_month"
            " WHERE partner_id = ANY(ARRAY(%s))",
            columns,
            scope,
        )
        fresh = SQL("SELECT %s FROM crm_activity_fresh", columns)
        removed = SQL("(%s) EXCEPT ALL (%s)", stored, fresh)
        added = SQL("(%s) EXCEPT ALL (%s)", fresh, stored)
        return [
            SQL("crm_activity_fresh AS (%s)", self._fresh_rows_sql(monthly)),
            SQL(
                "crm_activity_journal AS (%s)",
                self._journal_insert_sql(
                    self._contributions_sql(
                        SQL(
                            "SELECT *, -1 AS weight FROM (%s) r"
                            " UNION ALL SELECT *, 1 AS weight FROM (%s) a",
                            removed,
                            added,
                        )
                    )
                ),
            ),
            SQL(
                """crm_activity_gone AS (
                    DELETE FROM crm_customer_activity_month a
                     WHERE a.partner_id = ANY(ARRAY(%(scope)s))
                       AND NOT EXISTS (
                           SELECT 1 FROM crm_activity_fresh f
                            WHERE f.partner_id = a.partner_id
                              AND f.company_id = a.company_id
                              AND f.month = a.month)
                )""",
                scope=scope,
            ),
            SQL(
                """crm_activity_upsert AS (
                    INSERT INTO crm_customer_activity_month AS a (%(columns)s)
                    SELECT %(columns)s FROM crm_activity_fresh
                        ON CONFLICT (partner_id, company_id, month) DO UPDATE
                       SET order_count = EXCLUDED.order_count,
                           prev_month = EXCLUDED.prev_month,
                           next_month = EXCLUDED.next_month
                     WHERE (a.order_count, a.prev_month, a.next_month)
                           IS DISTINCT FROM (EXCLUDED.order_count,
                                             EXCLUDED.prev_month,
                                             EXCLUDED.next_month)
                )""",
                columns=columns,
            ),
        ]

    @api.model
    def _refresh_partners(self, partner_ids):
        """Recompute the buying months of these customers from their stored
        monthly sales; journal the difference of the changed rows. One
        statement. (The order paths refresh them in the statement of the
        monthly sales instead: ``crm.customer.sales.month._refresh_ctes``.)"""
        partner_ids = sorted({pid for pid in partner_ids if pid})
        if not partner_ids:
            return
        scope = SQL("SELECT id FROM targets")
        monthly = SQL(
            "SELECT partner_id, company_id, month, order_count"
            " FROM crm_customer_sales_month WHERE partner_id = ANY(ARRAY(%s))",
            scope,
        )
        self.env.cr.execute(
            SQL(
                "WITH targets AS (SELECT UNNEST(%s::int[]) AS id), %s SELECT 1",
                partner_ids,
                SQL(", ").join(self._refresh_ctes(scope, monthly)),
            )
        )
        self._invalidate_rates()

    @api.model
    def _forget_partners(self, partner_ids):
        """Remove the buying months of customers about to be deleted (a
        merge), journaling what they counted: the database's cascade would
        remove them without."""
        partner_ids = sorted(set(partner_ids))
        if not partner_ids:
            return
        cr = self.env.cr
        cr.execute(
            self._journal_insert_sql(
                self._contributions_sql(
                    SQL(
                        "SELECT *, -1 AS weight FROM crm_customer_activity_month"
                        " WHERE partner_id = ANY(%s)",
                        partner_ids,
                    )
                )
            )
        )
        cr.execute(
            SQL(
                "DELETE FROM crm_customer_activity_month WHERE partner_id = ANY(%s)",
                partner_ids,
            )
        )
        self._invalidate_rates()

    @api.model
    def _rebuild(self):
        """Recompute the buying months and the rate journal from the
        monthly sales."""
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM crm_customer_activity_month"))
        cr.execute(
            SQL(
                "INSERT INTO crm_customer_activity_month"
                " (partner_id, company_id, month, order_count, prev_month,"
                " next_month) %s",
                self._fresh_rows_sql(),
            )
        )
        _logger.info("Customer buying months rebuilt: %s rows", cr.rowcount)
        cr.execute(SQL("DELETE FROM crm_customer_rate_delta"))
        # Equal rows contribute equally: contributions of the distinct
        # rows (a few thousand) times their number, not of every row.
        cr.execute(
            self._journal_insert_sql(
                self._contributions_sql(
                    SQL(
                        """
                        SELECT company_id, month, prev_month, next_month,
                               LEAST(order_count, 2) AS order_count,
                               COUNT(*) AS weight
                          FROM crm_customer_activity_month
                         GROUP BY company_id, month, prev_month, next_month,
                                  LEAST(order_count, 2)
                        """
                    )
                )
            )
        )
        cr.execute(SQL("ANALYZE crm_customer_activity_month"))
        self._invalidate_rates()

    @api.model
    def _build_if_missing(self):
        """Build the table when the monthly sales have rows and it has
        none: the addon updated over existing sales, or sales summaries
        loaded directly in the database."""
        self.env.cr.execute(
            SQL(
                "SELECT EXISTS (SELECT 1 FROM crm_customer_sales_month)"
                " AND NOT EXISTS (SELECT 1 FROM crm_customer_activity_month)"
            )
        )
        if self.env.cr.fetchone()[0]:
            self.sudo()._rebuild()

    def _invalidate_rates(self):
        # Written in SQL only, and a view: nothing to flush (see
        # crm.customer.sales.month._invalidate_analyses).
        self.invalidate_model(flush=False)
        self.env["crm.customer.rate.delta"].invalidate_model(flush=False)
        self.env["crm.customer.rate.report"].invalidate_model(flush=False)


class CrmCustomerRateDelta(models.Model):
    """Journal of the customer rates (R9): changes of the counters per
    company and month, written by ``crm.customer.activity.month``; the
    sum per company and month gives the counters. Rows are only inserted
    (no two transactions wait on one row); the daily compaction replaces
    them by their sums."""

    _name = "crm.customer.rate.delta"
    _description = "Customer Rates Journal"
    _log_access = False
    _order = "month desc, id desc"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    month = fields.Date(required=True, readonly=True)
    active_delta = fields.Integer(
        string="Active Customers Change",
        readonly=True,
        help="Change of the active customers from this month on.",
    )
    buyer_count = fields.Integer(string="Buying Customers", readonly=True)
    repeat_count = fields.Integer(string="Repeat Buyers", readonly=True)
    new_count = fields.Integer(string="New Customers", readonly=True)
    buyer_quarter = fields.Integer(string="Buying Customers (Quarter)", readonly=True)
    repeat_quarter = fields.Integer(string="Repeat Buyers (Quarter)", readonly=True)
    buyer_year = fields.Integer(string="Buying Customers (Year)", readonly=True)
    repeat_year = fields.Integer(string="Repeat Buyers (Year)", readonly=True)

    def init(self):
        # Installed or updated over existing sales (the tables of both
        # models exist once this one does).
        self.env["crm.customer.activity.month"]._build_if_missing()

    @api.model
    def _compact(self):
        """Replace the journal by one row per company and month (the sums)."""
        activity = self.env["crm.customer.activity.month"]
        self.env.cr.execute(
            SQL(
                "WITH gone AS (DELETE FROM crm_customer_rate_delta RETURNING *) %s",
                activity._journal_insert_sql(SQL("SELECT * FROM gone")),
            )
        )
        activity._invalidate_rates()

    @api.model
    def _cron_compact(self):
        self._compact()


class CrmCustomerSalesMonth(models.Model):
    _inherit = "crm.customer.sales.month"

    @api.model
    def _refresh_ctes(self, scope, orders=None):
        # The buying months follow the monthly sales in the same statement,
        # computed from their fresh rows (the statement does not see what
        # its own CTEs write).
        return super()._refresh_ctes(scope, orders=orders) + self.env[
            "crm.customer.activity.month"
        ]._refresh_ctes(
            scope,
            SQL(
                "SELECT partner_id, company_id, month, order_count"
                " FROM crm_sales_month_fresh"
            ),
        )

    def _invalidate_analyses(self):
        result = super()._invalidate_analyses()
        self.env["crm.customer.activity.month"]._invalidate_rates()
        return result

    @api.model
    def _rebuild(self):
        result = super()._rebuild()
        self.env["crm.customer.activity.month"]._rebuild()
        return result
