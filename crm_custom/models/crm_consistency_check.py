import logging

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .crm_notification import notification_action

_logger = logging.getLogger(__name__)

# Lines of the notification of the server action.
REPORT_MAX_LINES = 10


class CrmConsistencyCheck(models.AbstractModel):
    """X8: the derived data of the customers (ownership state, orphan
    customers, recycle dates, order statistics; crm_custom_reports adds its
    sales summaries) compared with its recomputation from the source data.

    ``check_drift()`` lists the differences, ``check_drift(repair=True)``
    also repairs them. On a live database, as administrator:

    - *CRM > Configuration > Customers > Check Derived Data* (and *Repair
      Derived Data*), or
    - ``echo 'env["crm.consistency.check"].check_drift(repair=True);
      env.cr.commit()' | odoo shell -d <db>``.

    Each check is a method ``_drift_<name>(repair)`` listed by
    ``_drift_checks``; it returns one dict per differing value (check,
    model, res_id, field, stored, expected)."""

    _name = "crm.consistency.check"
    _description = "Derived Data Consistency Check"

    @api.model
    def _drift_checks(self):
        return ["orphans", "pool_state", "order_stats", "recycle_date"]

    @api.model
    def check_drift(self, repair=False):
        if not (self.env.su or self.env.user._is_admin()):
            raise AccessError(
                self.env._("Only administrators check and repair derived data.")
            )
        self = self.sudo()
        self.env.flush_all()
        rows = []
        for name in self._drift_checks():
            found = getattr(self, f"_drift_{name}")(repair)
            if found:
                _logger.info(
                    "Consistency check %s: %s rows differ%s",
                    name,
                    len(found),
                    " (repaired)" if repair else "",
                )
            rows += found
        if repair and rows:
            self.env.flush_all()
            self.env.invalidate_all()
        return rows

    @api.model
    def _drift_rows(self, check, query, model="res.partner"):
        """Rows (res_id, field, stored, expected) of ``query`` as dicts."""
        return [
            {
                "check": check,
                "model": model,
                "res_id": res_id,
                "field": field,
                "stored": stored,
                "expected": expected,
            }
            for res_id, field, stored, expected in self.env.execute_query(query)
        ]

    # --- Checks -------------------------------------------------------------

    @api.model
    def _drift_orphans(self, repair):
        """P1: customer companies neither owned nor in a pool."""
        rows = self._drift_rows(
            "orphans",
            SQL(
                """
                SELECT id, 'pool_id', NULL, 'a pool or an owner'
                  FROM res_partner
                 WHERE is_company AND customer_rank > 0
                   AND user_id IS NULL AND pool_id IS NULL
                 ORDER BY id
                """
            ),
        )
        if repair and rows:
            self.env["res.partner"]._pool_adopt_all_orphans()
        return rows

    @api.model
    def _drift_pool_state(self, repair, partner_ids=None):
        """The ownership state, owner and pool of the customer stored on
        customers and their contacts (the record rules read them)."""
        condition = (
            SQL("TRUE")
            if partner_ids is None
            else SQL("p.id = ANY(%s)", list(partner_ids))
        )
        # On the alias c of the customer (commercial partner).
        state = SQL(
            "CASE WHEN NOT COALESCE(c.is_company, FALSE) THEN NULL"
            " WHEN c.pool_id IS NOT NULL THEN 'pool'"
            " WHEN c.user_id IS NOT NULL THEN 'owned' END"
        )
        query = SQL(
            """
            SELECT p.id, f.field, f.stored, f.expected
              FROM res_partner p
              JOIN res_partner c ON c.id = COALESCE(p.commercial_partner_id, p.id)
             CROSS JOIN LATERAL (VALUES
                   ('pool_state', p.pool_state::text, %(state)s),
                   ('commercial_user_id', p.commercial_user_id::text,
                    c.user_id::text),
                   ('commercial_pool_id', p.commercial_pool_id::text,
                    c.pool_id::text)
             ) AS f(field, stored, expected)
             WHERE %(condition)s AND f.stored IS DISTINCT FROM f.expected
             ORDER BY p.id, f.field
            """,
            state=state,
            condition=condition,
        )
        rows = self._drift_rows("pool_state", query)
        if repair and rows:
            # Each column from the customer, for the partners that differ.
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE res_partner p
                       SET pool_state = %(state)s,
                           commercial_user_id = c.user_id,
                           commercial_pool_id = c.pool_id
                      FROM res_partner c
                     WHERE p.id = ANY(%(ids)s)
                       AND c.id = COALESCE(p.commercial_partner_id, p.id)
                    """,
                    state=state,
                    ids=sorted({row["res_id"] for row in rows}),
                )
            )
            self.env["res.partner"].invalidate_model(
                ["pool_state", "commercial_user_id", "commercial_pool_id"]
            )
        return rows

    @api.model
    def _drift_order_stats(self, repair):
        """W1, X3: last order date, purchases and buying cycle of customers."""
        Partner = self.env["res.partner"]
        query = SQL(
            """
            WITH stats AS (%(stats)s)
            SELECT p.id, f.field, f.stored, f.expected
              FROM res_partner p
              LEFT JOIN stats ON stats.partner_id = p.id
             CROSS JOIN LATERAL (VALUES
                   ('last_order_date', p.last_order_date::text,
                    stats.last_day::text),
                   ('churn_purchase_count', p.churn_purchase_count::text,
                    COALESCE(stats.purchases, 0)::text),
                   ('churn_median_interval', p.churn_median_interval::numeric::text,
                    stats.median_gap::text)) f(field, stored, expected)
             WHERE (stats.partner_id IS NOT NULL OR p.last_order_date IS NOT NULL
                    OR COALESCE(p.churn_purchase_count, 0) <> 0
                    OR p.churn_median_interval IS NOT NULL)
               AND (f.field <> 'churn_median_interval'
                    AND f.stored IS DISTINCT FROM f.expected
                    OR f.field = 'churn_median_interval'
                    AND p.churn_median_interval::numeric
                        IS DISTINCT FROM stats.median_gap)
             ORDER BY p.id, f.field
            """,
            stats=Partner._churn_order_stats_sql(
                SQL("(%s)", Partner._crm_confirmed_orders_sql(SQL("TRUE")))
            ),
        )
        rows = self._drift_rows("order_stats", query)
        if repair and rows:
            Partner._churn_update_order_stats(sorted({row["res_id"] for row in rows}))
        return rows

    @api.model
    def _drift_recycle_date(self, repair):
        """P4: the stored recycle dates of customers."""
        plan = self.env["crm.customer.pool"]._recycle_plan_sql(SQL("TRUE"))
        query = SQL(
            """
            WITH plan AS (%(plan)s)
            SELECT p.id, 'recycle_date', p.recycle_date::text,
                   plan.recycle_date::text
              FROM res_partner p
              LEFT JOIN plan ON plan.id = p.id
             WHERE (p.recycle_date IS NOT NULL OR plan.recycle_date IS NOT NULL)
               AND p.recycle_date IS DISTINCT FROM plan.recycle_date
             ORDER BY p.id
            """,
            plan=plan,
        )
        rows = self._drift_rows("recycle_date", query)
        if repair and rows:
            self.env["crm.customer.pool"]._refresh_recycle_dates(
                [row["res_id"] for row in rows]
            )
        return rows

    # --- Server actions ----------------------------------------------------

    @api.model
    def action_check_drift(self, repair=False):
        """A notification summing up the differences (and the repair)."""
        rows = self.check_drift(repair=repair)
        if not rows:
            message = self.env._("Derived data is consistent: no difference found.")
        else:
            counts = {}
            for row in rows:
                counts[row["check"]] = counts.get(row["check"], 0) + 1
            lines = [
                self.env._(
                    "%(check)s: %(count)s differences",
                    check=check,
                    count=count,
                )
                for check, count in counts.items()
            ]
            lines += [
                f"{row['model']}({row['res_id']}).{row['field']}: "
                f"{row['stored']} → {row['expected']}"
                for row in rows[:REPORT_MAX_LINES]
            ]
            if repair:
                lines.insert(0, self.env._("Repaired %s differences.", len(rows)))
            message = "\n".join(lines)
        return notification_action(
            message,
            title=self.env._("Derived Data Consistency Check"),
            notification_type="success" if not rows or repair else "warning",
            sticky=bool(rows),
        )
