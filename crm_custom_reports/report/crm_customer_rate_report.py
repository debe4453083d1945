from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.osv import expression
from odoo.tools import SQL

# Period types, with the counters of their buyers and repeat buyers in
# crm.customer.rate.delta.
PERIOD_COUNTERS = (
    ("month", "buyer_count", "repeat_count"),
    ("quarter", "buyer_quarter", "repeat_quarter"),
    ("year", "buyer_year", "repeat_year"),
)


class CrmCustomerRateReport(models.Model):
    """R9 客户流失率/复购率: per company and period (month, quarter or year,
    from the year of the first sale or loss to today):

    - active customers at the period's start: customers (commercial
      partners) with at least one confirmed order in the 12 months before
      the period starts;
    - churn rate: confirmed losses 确认流失 of the period over the active
      customers at its start (losses of customers shared by all companies
      count in each company);
    - buyers: customers with a confirmed order in the period; repeat
      buyers: those with two orders or more; repeat-buyer ratio: repeat
      buyers over buyers;
    - new customers: customers whose first confirmed order in the company
      falls in the period.

    Each period type has its own rows (filter one type: the default is
    monthly). Rates are computed by the grouped query (sum over sum of the
    rows in the group), empty when there is nothing to divide by."""

    _name = "crm.customer.rate.report"
    _inherit = ["crm.analysis.mixin"]
    _description = "Customer Rates Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc, id desc"
    _depends = {
        "crm.churn.warning": ["state", "date_confirmed", "company_id"],
        "crm.customer.rate.delta": [
            "company_id",
            "month",
            "active_delta",
            "buyer_count",
            "repeat_count",
            "new_count",
            "buyer_quarter",
            "repeat_quarter",
            "buyer_year",
            "repeat_year",
        ],
    }

    period_type = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
        readonly=True,
    )
    date = fields.Date(string="Period", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    active_count = fields.Integer(
        string="Active Customers",
        readonly=True,
        help="Customers with a confirmed order in the 12 months before the "
        "period starts.",
    )
    lost_count = fields.Integer(string="Confirmed Losses", readonly=True)
    churn_rate = fields.Float(
        string="Churn Rate (%)",
        readonly=True,
        digits=(16, 1),
        help="Confirmed losses of the period over the active customers at its "
        "start.",
    )
    buyer_count = fields.Integer(
        string="Buying Customers",
        readonly=True,
        help="Customers with a confirmed order in the period.",
    )
    repeat_count = fields.Integer(
        string="Repeat Buyers",
        readonly=True,
        help="Customers with two confirmed orders or more in the period.",
    )
    repeat_rate = fields.Float(
        string="Repeat-Buyer Ratio (%)",
        readonly=True,
        digits=(16, 1),
        help="Repeat buyers over buying customers.",
    )
    new_count = fields.Integer(
        string="New Customers",
        readonly=True,
        help="Customers whose first confirmed order falls in the period.",
    )

    _ratio_fields = {
        "churn_rate": ("lost_count", "active_count"),
        "repeat_rate": ("repeat_count", "buyer_count"),
    }

    @property
    def _table_query(self):
        # The counters per company and month are the sums of the journal
        # kept by crm.customer.activity.month (see there); active customers
        # at a month's start are the running sum of its active_delta.
        # Quarters and years add up their months' counters (their own
        # buyer and repeat-buyer counters) and take the active customers
        # of their first month.
        periods = SQL(" UNION ALL ").join(
            SQL(
                """
                SELECT %(kind)s AS period_type, %(index)s AS period_index,
                       m.company_id,
                       date_trunc(%(kind)s, m.month)::date AS date_start,
                       (array_agg(m.active_count ORDER BY m.month))[1]
                           AS active_count,
                       SUM(m.lost_count) AS lost_count,
                       SUM(m.%(buyer)s) AS buyer_count,
                       SUM(m.%(repeat)s) AS repeat_count,
                       SUM(m.new_count) AS new_count
                  FROM monthly m
                 GROUP BY m.company_id, date_trunc(%(kind)s, m.month)
                """,
                kind=kind,
                index=index,
                buyer=SQL.identifier(buyer),
                repeat=SQL.identifier(repeat),
            )
            for index, (kind, buyer, repeat) in enumerate(PERIOD_COUNTERS)
        )
        return SQL(
            """
            WITH counters AS (
                SELECT company_id, month,
                       SUM(active_delta) AS active_delta,
                       SUM(buyer_count) AS buyer_count,
                       SUM(repeat_count) AS repeat_count,
                       SUM(new_count) AS new_count,
                       SUM(buyer_quarter) AS buyer_quarter,
                       SUM(repeat_quarter) AS repeat_quarter,
                       SUM(buyer_year) AS buyer_year,
                       SUM(repeat_year) AS repeat_year
                  FROM crm_customer_rate_delta
                 GROUP BY company_id, month
            ),
            losses AS (
                SELECT w.company_id,
                       date_trunc('month', w.date_confirmed)::date AS month,
                       COUNT(*) AS lost_count
                  FROM crm_churn_warning w
                 WHERE w.state = 'confirmed' AND w.date_confirmed IS NOT NULL
                 GROUP BY 1, 2
            ),
            bounds AS (
                SELECT c.id AS company_id,
                       date_trunc('year', LEAST(
                           (SELECT MIN(k.month) FROM counters k
                             WHERE k.company_id = c.id AND k.buyer_count > 0),
                           (SELECT MIN(l.month) FROM losses l
                             WHERE l.company_id = c.id OR l.company_id IS NULL)
                       ))::timestamp AS first_day
                  FROM res_company c
            ),
            monthly AS (
                SELECT b.company_id, g::date AS month,
                       SUM(COALESCE(k.active_delta, 0)) OVER (
                           PARTITION BY b.company_id ORDER BY g
                       ) AS active_count,
                       COALESCE((SELECT SUM(l.lost_count) FROM losses l
                                  WHERE (l.company_id = b.company_id
                                         OR l.company_id IS NULL)
                                    AND l.month = g::date), 0) AS lost_count,
                       COALESCE(k.buyer_count, 0) AS buyer_count,
                       COALESCE(k.repeat_count, 0) AS repeat_count,
                       COALESCE(k.new_count, 0) AS new_count,
                       COALESCE(k.buyer_quarter, 0) AS buyer_quarter,
                       COALESCE(k.repeat_quarter, 0) AS repeat_quarter,
                       COALESCE(k.buyer_year, 0) AS buyer_year,
                       COALESCE(k.repeat_year, 0) AS repeat_year
                  FROM bounds b
                 CROSS JOIN LATERAL generate_series(
                       b.first_day, current_date::timestamp, interval '1 month') g
                  LEFT JOIN counters k
                         ON k.company_id = b.company_id AND k.month = g::date
            ),
            periods AS (%(periods)s)
            SELECT ((p.company_id * 3 + p.period_index) * 100000
                    + EXTRACT(YEAR FROM p.date_start)::int * 12
                    + EXTRACT(MONTH FROM p.date_start)::int) AS id,
                   p.period_type, p.date_start AS date, p.company_id,
                   p.active_count::int AS active_count,
                   p.lost_count::int AS lost_count,
                   p.lost_count * 100.0 / NULLIF(p.active_count, 0) AS churn_rate,
                   p.buyer_count::int AS buyer_count,
                   p.repeat_count::int AS repeat_count,
                   p.repeat_count * 100.0 / NULLIF(p.buyer_count, 0)
                       AS repeat_rate,
                   p.new_count::int AS new_count
              FROM periods p
            """,
            periods=periods,
        )

    def _search(self, domain, offset=0, limit=None, order=None):
        self.env["crm.customer.activity.month"]._build_if_missing()
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _read_group_select(self, aggregate_spec, query):
        fname = aggregate_spec.split(":")[0]
        if fname in self._ratio_fields:
            numerator, denominator = self._ratio_fields[fname]
            return SQL(
                "SUM(%s) * 100.0 / NULLIF(SUM(%s), 0)",
                self._field_to_sql(self._table, numerator, query),
                self._field_to_sql(self._table, denominator, query),
            )
        return super()._read_group_select(aggregate_spec, query)

    def _drilldown_action(self):
        """The confirmed losses of these periods."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_churn_warning"
        )
        domain = [("state", "=", "confirmed")]
        periods = []
        for row in self:
            stop = (
                row.date
                + {
                    "month": relativedelta(months=1),
                    "quarter": relativedelta(months=3),
                    "year": relativedelta(years=1),
                }[row.period_type]
            )
            periods.append(
                [
                    "&",
                    ("date_confirmed", ">=", row.date),
                    ("date_confirmed", "<", stop),
                ]
            )
        if periods:
            domain += expression.OR(periods)
        action.update({"domain": domain, "context": {"create": False}})
        return action
