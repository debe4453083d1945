from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.osv import expression
from odoo.tools import SQL

PERIOD_STEPS = (("month", "1 month"), ("quarter", "3 months"), ("year", "1 year"))


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
        periods = SQL(" UNION ALL ").join(
            SQL(
                """
                SELECT %(kind)s AS period_type, %(index)s AS period_index,
                       b.company_id,
                       g::date AS date_start,
                       (g + %(step)s::interval)::date AS date_stop
                  FROM bounds b
                 CROSS JOIN LATERAL generate_series(
                       date_trunc('year', b.first_day), b.last_day,
                       %(step)s::interval) g
                """,
                kind=kind,
                index=index,
                step=step,
            )
            for index, (kind, step) in enumerate(PERIOD_STEPS)
        )
        return SQL(
            """
            WITH bounds AS (
                SELECT c.id AS company_id,
                       LEAST(
                           (SELECT MIN(s.month) FROM crm_customer_sales_month s
                             WHERE s.company_id = c.id),
                           (SELECT MIN(w.date_confirmed) FROM crm_churn_warning w
                             WHERE w.state = 'confirmed'
                               AND (w.company_id = c.id OR w.company_id IS NULL))
                       )::timestamp AS first_day,
                       current_date::timestamp AS last_day
                  FROM res_company c
            ),
            periods AS (%(periods)s)
            SELECT ((p.company_id * 3 + p.period_index) * 100000
                    + EXTRACT(YEAR FROM p.date_start)::int * 12
                    + EXTRACT(MONTH FROM p.date_start)::int) AS id,
                   p.period_type, p.date_start AS date, p.company_id,
                   a.active_count, l.lost_count,
                   l.lost_count * 100.0 / NULLIF(a.active_count, 0) AS churn_rate,
                   b.buyer_count, b.repeat_count,
                   b.repeat_count * 100.0 / NULLIF(b.buyer_count, 0)
                       AS repeat_rate,
                   n.new_count
              FROM periods p
              CROSS JOIN LATERAL (
                  SELECT COUNT(DISTINCT s.partner_id) AS active_count
                    FROM crm_customer_sales_month s
                   WHERE s.company_id = p.company_id
                     AND s.month >= p.date_start - interval '12 months'
                     AND s.month < p.date_start
              ) a
              CROSS JOIN LATERAL (
                  SELECT COUNT(*) AS lost_count
                    FROM crm_churn_warning w
                   WHERE w.state = 'confirmed'
                     AND (w.company_id = p.company_id OR w.company_id IS NULL)
                     AND w.date_confirmed >= p.date_start
                     AND w.date_confirmed < p.date_stop
              ) l
              CROSS JOIN LATERAL (
                  SELECT COUNT(*) AS buyer_count,
                         COUNT(*) FILTER (WHERE orders >= 2) AS repeat_count
                    FROM (SELECT SUM(s.order_count) AS orders
                            FROM crm_customer_sales_month s
                           WHERE s.company_id = p.company_id
                             AND s.month >= p.date_start
                             AND s.month < p.date_stop
                           GROUP BY s.partner_id) c
              ) b
              CROSS JOIN LATERAL (
                  SELECT COUNT(DISTINCT s.partner_id) AS new_count
                    FROM crm_customer_sales_month s
                   WHERE s.company_id = p.company_id
                     AND s.month >= p.date_start AND s.month < p.date_stop
                     AND NOT EXISTS (
                         SELECT 1 FROM crm_customer_sales_month e
                          WHERE e.partner_id = s.partner_id
                            AND e.company_id = s.company_id
                            AND e.month < p.date_start)
              ) n
            """,
            periods=periods,
        )

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
