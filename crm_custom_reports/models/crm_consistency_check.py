from odoo import api, models
from odoo.tools import SQL


class CrmConsistencyCheck(models.AbstractModel):
    """X8: the sales summaries of the analyses (crm.customer.sales.month and
    crm.customer.sales.total) compared with their recomputation from the
    confirmed orders."""

    _inherit = "crm.consistency.check"

    @api.model
    def _drift_checks(self):
        return super()._drift_checks() + ["sales_summaries"]

    @api.model
    def _drift_sales_summaries(self, repair):
        SalesMonth = self.env["crm.customer.sales.month"]
        # This transaction's pending refreshes first.
        SalesMonth._sync_pending()
        SalesMonth._flush_sources()
        months = self._drift_rows(
            "sales_summaries",
            SQL(
                """
                WITH fresh AS (%(fresh)s)
                SELECT COALESCE(f.partner_id, s.partner_id),
                       'crm.customer.sales.month '
                           || COALESCE(f.month, s.month)::text,
                       CASE WHEN s.id IS NOT NULL
                            THEN ROUND(s.amount::numeric, 2)::text
                                 || ' / ' || s.order_count END,
                       CASE WHEN f.partner_id IS NOT NULL
                            THEN ROUND(f.amount::numeric, 2)::text
                                 || ' / ' || f.order_count END
                  FROM fresh f
                  FULL JOIN crm_customer_sales_month s
                    ON s.partner_id = f.partner_id
                   AND s.company_id = f.company_id
                   AND s.user_id IS NOT DISTINCT FROM f.user_id
                   AND s.month = f.month
                 WHERE s.id IS NULL OR f.partner_id IS NULL
                    OR ROUND(s.amount::numeric, 2) <> ROUND(f.amount::numeric, 2)
                    OR s.order_count <> f.order_count
                 ORDER BY 1, 2
                """,
                fresh=SalesMonth._fresh_rows_sql(),
            ),
        )
        totals = self._drift_rows(
            "sales_summaries",
            SQL(
                """
                WITH fresh AS (%(fresh)s)
                SELECT COALESCE(f.partner_id, t.partner_id),
                       'crm.customer.sales.total',
                       CASE WHEN t.id IS NOT NULL
                            THEN ROUND(t.amount::numeric, 2)::text
                                 || ' / ' || t.order_count
                                 || ' / ' || t.month_count END,
                       CASE WHEN f.partner_id IS NOT NULL
                            THEN ROUND(f.amount::numeric, 2)::text
                                 || ' / ' || f.order_count
                                 || ' / ' || f.month_count END
                  FROM fresh f
                  FULL JOIN crm_customer_sales_total t
                    ON t.partner_id = f.partner_id
                   AND t.company_id = f.company_id
                   AND t.user_id IS NOT DISTINCT FROM f.user_id
                 WHERE t.id IS NULL OR f.partner_id IS NULL
                    OR ROUND(t.amount::numeric, 2) <> ROUND(f.amount::numeric, 2)
                    OR t.order_count <> f.order_count
                    OR t.month_count <> f.month_count
                 ORDER BY 1, 2
                """,
                fresh=SQL(
                    """
                    SELECT partner_id, company_id, user_id,
                           SUM(amount) AS amount,
                           SUM(order_count) AS order_count,
                           COUNT(*) AS month_count
                      FROM (%s) m
                     GROUP BY partner_id, company_id, user_id
                    """,
                    SalesMonth._fresh_rows_sql(),
                ),
            ),
        )
        rows = months + totals
        if repair and rows:
            SalesMonth._refresh_partners({row["res_id"] for row in rows})
        return rows
