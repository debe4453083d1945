"""The SQL floors: the best hand-written PostgreSQL doing the same work as
the product on the same data.

Each floor is one statement that uses what a careful developer would use
on these tables: the stored columns the product maintains (recycle date,
last order date and buying cycle) and their indexes.
"""

import datagen_activity

from odoo.tools import SQL

# The reasons the recycling cron logs (the product's English strings).
NO_FOLLOWUP_REASON = "No follow-up for %s days"
NO_DEAL_REASON = "No deal for %s days"


def recycle_sql(today, uid=1):
    """P4: release every owned customer whose recycle day has come, as the
    recycling cron does: the customer goes back to its pool with its
    contacts, one ownership log row per customer with the reason."""
    due_plan = datagen_activity.recycle_plan_sql(SQL("p.recycle_date <= %s", today))
    return SQL(
        """
        WITH due AS (
            SELECT plan.id, plan.user_id, plan.pool_id,
                   CASE plan.reason
                        WHEN 'followup' THEN format(%(no_followup)s, plan.followup_days)
                        ELSE format(%(no_deal)s, plan.deal_days)
                   END AS reason
              FROM (%(plan)s) plan
             WHERE plan.recycle_date <= %(today)s
        ), released AS (
            UPDATE res_partner p
               SET user_id = NULL, pool_id = due.pool_id, home_pool_id = due.pool_id,
                   commercial_user_id = NULL, commercial_pool_id = due.pool_id,
                   pool_state = 'pool', pool_previous_user_id = due.user_id,
                   pool_entry_date = %(today)s, date_owned = NULL,
                   recycle_date = NULL, pool_reminder_date = NULL,
                   write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
              FROM due
             WHERE p.id = due.id
         RETURNING p.id, due.user_id, due.pool_id, due.reason, p.company_id
        ), contacts AS (
            UPDATE res_partner c
               SET pool_state = 'pool', commercial_user_id = NULL,
                   commercial_pool_id = r.pool_id
              FROM released r
             WHERE c.commercial_partner_id = r.id AND c.id <> r.id
        )
        INSERT INTO crm_customer_ownership_log
               (partner_id, from_user_id, date, method, reason, user_id, pool_id,
                company_id, create_uid, create_date, write_uid, write_date)
        SELECT r.id, r.user_id, now() AT TIME ZONE 'UTC', 'recycle', r.reason,
               %(uid)s, r.pool_id, r.company_id, %(uid)s, now() AT TIME ZONE 'UTC',
               %(uid)s, now() AT TIME ZONE 'UTC'
          FROM released r
        """,
        plan=due_plan,
        no_followup=NO_FOLLOWUP_REASON,
        no_deal=NO_DEAL_REASON,
        today=today,
        uid=uid,
    )


def churn_sql(today, uid=1):
    """W1: one open warning per customer that has not ordered for more than
    its company's threshold, or that is overdue against its own buying cycle,
    unless it has an open or postponed warning or its loss is confirmed."""
    return SQL(
        """
        INSERT INTO crm_churn_warning (
               partner_id, user_id, company_id, state, trigger_rule,
               last_order_date, days_without_order, threshold_months,
               purchase_count, median_interval,
               create_uid, create_date, write_uid, write_date)
        SELECT p.id, p.user_id, p.company_id, 'open',
               CASE WHEN p.last_order_date < s.threshold_date
                    THEN 'threshold' ELSE 'buying_cycle' END,
               p.last_order_date, %(today)s::date - p.last_order_date,
               s.churn_threshold_months, p.churn_purchase_count,
               p.churn_median_interval,
               %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
          FROM res_partner p
          JOIN (SELECT c.id, c.churn_threshold_months, c.churn_cycle_rule,
                       c.churn_cycle_factor, c.churn_cycle_min_orders,
                       (%(today)s::date
                        - make_interval(months => c.churn_threshold_months))::date
                           AS threshold_date
                  FROM res_company c) s
            ON s.id = COALESCE(p.company_id, %(company)s)
         WHERE p.last_order_date IS NOT NULL
           AND p.commercial_partner_id = p.id
           AND p.active
           AND p.churn_lost IS NOT TRUE
           AND (p.last_order_date < s.threshold_date
                OR (s.churn_cycle_rule
                    AND p.churn_purchase_count >= s.churn_cycle_min_orders
                    AND %(today)s::date - p.last_order_date
                        > s.churn_cycle_factor * p.churn_median_interval))
           AND NOT EXISTS (
                 SELECT 1 FROM crm_churn_warning w
                  WHERE w.partner_id = p.id AND w.state IN ('open', 'postponed'))
        """,
        today=today,
        uid=uid,
        company=1,
    )


# ---------------------------------------------------------------------------
# Analyses: the aggregate each default pivot shows, on the base tables
# ---------------------------------------------------------------------------

# Orders count for the commercial partner of their customer, in company
# currency (the order's rate), confirmed ones only.
_ORDER_AMOUNT = "so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0)"

# For each analysis, its rows computed from the base tables (orders,
# customers, services, warnings, opportunities, ownership log), never from
# the summary tables the product keeps: the columns the pivot may group by
# or measure.
BASE_ROWS = {
    # R1 客户贡献分析: one row per confirmed order; the customer manager is
    # the customer's current owner, the month the order's.
    "crm.customer.contribution.report": f"""
        SELECT cp.id AS partner_id, cp.user_id AS user_id,
               so.user_id AS salesperson_id, so.company_id AS company_id,
               date_trunc('month', so.date_order)::date AS date,
               1 AS order_count, {_ORDER_AMOUNT} AS amount
          FROM sale_order so
          JOIN res_partner op ON op.id = so.partner_id
          JOIN res_partner cp ON cp.id = op.commercial_partner_id
         WHERE so.state = 'sale'
    """,
    # R2 客户构成分析: one row per active customer company.
    "crm.customer.composition.report": """
        SELECT p.id AS partner_id, p.user_id, p.company_id, p.customer_level_id,
               COALESCE(p.credit_rating, 0)::varchar AS credit_rating,
               COALESCE(p.satisfaction, 0)::varchar AS satisfaction,
               1 AS customer_count
          FROM res_partner p
         WHERE p.active AND p.is_company AND p.customer_rank > 0
    """,
    # R3 客户服务分析: one row per service (ticket with a service type).
    "crm.customer.service.report": """
        SELECT t.id AS ticket_id, t.service_type_id,
               COALESCE(t.date_requested, t.create_date)::date AS date,
               COALESCE(t.commercial_partner_id, t.partner_id) AS partner_id,
               cp.user_id AS customer_manager_id, t.user_id, t.team_id,
               t.company_id, t.service_state, 1 AS service_count,
               (t.date_handled IS NOT NULL)::int AS handled_count,
               NULLIF(t.satisfaction, 0)::float AS satisfaction,
               EXTRACT(EPOCH FROM t.date_handled
                   - COALESCE(t.date_requested, t.create_date)) / 3600.0
                   AS handling_hours
          FROM helpdesk_ticket t
          LEFT JOIN res_partner cp
                 ON cp.id = COALESCE(t.commercial_partner_id, t.partner_id)
         WHERE t.service_type_id IS NOT NULL
    """,
    # R4 客户流失分析: one row per confirmed loss.
    "crm.customer.churn.report": """
        SELECT w.id AS warning_id, w.partner_id, w.user_id, w.company_id,
               p.customer_level_id, p.region_id, w.last_order_date,
               w.date_confirmed, 1 AS lost_count,
               (w.date_confirmed - w.last_order_date)::float AS days_to_confirm
          FROM crm_churn_warning w
          LEFT JOIN res_partner p ON p.id = w.partner_id
         WHERE w.state = 'confirmed'
    """,
    # R5 客户价值/来源/地区: one row per active customer company with its
    # confirmed sales to date.
    "crm.customer.value.report": f"""
        SELECT p.id AS partner_id, p.user_id, p.company_id,
               p.create_date::date AS date, p.customer_level_id,
               COALESCE(p.rating, '0') AS rating, p.customer_source_id,
               p.region_id, p.state_id, p.company_nature_id, p.annual_revenue_id,
               1 AS customer_count, COALESCE(v.order_count, 0) AS order_count,
               COALESCE(v.amount, 0.0) AS amount,
               COALESCE(v.amount, 0.0) AS amount_avg
          FROM res_partner p
          LEFT JOIN (
                SELECT op.commercial_partner_id AS partner_id,
                       SUM({_ORDER_AMOUNT}) AS amount, COUNT(*) AS order_count
                  FROM sale_order so
                  JOIN res_partner op ON op.id = so.partner_id
                 WHERE so.state = 'sale'
                 GROUP BY op.commercial_partner_id) v ON v.partner_id = p.id
         WHERE p.active AND p.is_company AND p.customer_rank > 0
    """,
    # R6 销售业绩: confirmed orders per salesperson, the opportunities
    # assigned to them, and their targets per month (R8: each month takes
    # the finest target covering it).
    "crm.sales.performance.report": f"""
        SELECT 'sale' AS kind, so.user_id, so.company_id,
               date_trunc('month', so.date_order)::date AS date,
               op.commercial_partner_id AS partner_id,
               {_ORDER_AMOUNT} AS amount, 1 AS order_count,
               op.commercial_partner_id AS won_partner_id,
               0 AS opportunity_count, 0 AS won_count,
               NULL::float AS conversion_rate, 0.0 AS amount_target,
               NULL::float AS completion_rate
          FROM sale_order so
          JOIN res_partner op ON op.id = so.partner_id
         WHERE so.state = 'sale'
        UNION ALL
        SELECT 'opportunity', l.user_id, l.company_id,
               COALESCE(l.date_assigned, l.create_date)::date, l.partner_id,
               0.0, 0, NULL::int, 1,
               (l.development_state = 'success')::int,
               CASE WHEN l.development_state = 'success' THEN 100.0 ELSE 0.0 END,
               0.0, NULL::float
          FROM crm_lead l
         WHERE l.type = 'opportunity' AND l.user_id IS NOT NULL
        UNION ALL
        SELECT * FROM (
        SELECT DISTINCT ON (t.user_id, t.company_id, m.month)
               'target', t.user_id, t.company_id, m.month, NULL::int, 0.0, 0,
               NULL::int, 0, 0, NULL::float,
               COALESCE(t.amount_target, 0) / m.months, NULL::float
          FROM crm_sales_target t
          CROSS JOIN LATERAL (
                SELECT (t.date_start + make_interval(months => g))::date AS month,
                       CASE t.period_type WHEN 'month' THEN 1
                            WHEN 'quarter' THEN 3 ELSE 12 END AS months
                  FROM generate_series(0, CASE t.period_type WHEN 'month' THEN 0
                            WHEN 'quarter' THEN 2 ELSE 11 END) g) m
         WHERE t.target_type = 'user' AND t.user_id IS NOT NULL
         ORDER BY t.user_id, t.company_id, m.month, m.months) targets
    """,
    # R8 目标完成情况 (default view: customer managers' monthly targets):
    # each target with its salesperson's confirmed orders of the month and
    # the customers whose first confirmed order is one of them.
    "crm.sales.target.report": f"""
        SELECT t.id AS target_id, t.user_id, t.team_id, t.company_id,
               t.period_type, t.date_start AS date,
               COALESCE(t.amount_target, 0) AS amount_target,
               COALESCE(a.amount, 0) AS amount_actual,
               COALESCE(t.new_customer_target, 0) AS new_customer_target,
               COALESCE(a.new_customers, 0) AS new_customer_actual
          FROM crm_sales_target t
          LEFT JOIN LATERAL (
                SELECT SUM({_ORDER_AMOUNT}) AS amount,
                       COUNT(DISTINCT op.commercial_partner_id) FILTER (
                           WHERE NOT EXISTS (
                               SELECT 1 FROM sale_order e
                                 JOIN res_partner ep ON ep.id = e.partner_id
                                WHERE e.state = 'sale'
                                  AND e.company_id = so.company_id
                                  AND ep.commercial_partner_id
                                      = op.commercial_partner_id
                                  AND e.date_order < t.date_start)
                       ) AS new_customers
                  FROM sale_order so
                  JOIN res_partner op ON op.id = so.partner_id
                 WHERE so.state = 'sale' AND so.user_id = t.user_id
                   AND so.company_id = t.company_id
                   AND so.date_order >= t.date_start
                   AND so.date_order < t.date_end + 1) a ON TRUE
         WHERE t.target_type = 'user' AND t.period_type = 'month'
    """,
    # R9 customer rates (default view: monthly), per company and month from
    # the year of its first sale or loss: active customers at the month's
    # start (an order in the 12 months before), confirmed losses, buyers,
    # repeat buyers (2 orders or more) and new customers, from the orders.
    "crm.customer.rate.report": """
        WITH orders AS (
            SELECT op.commercial_partner_id AS partner_id, so.company_id,
                   date_trunc('month', so.date_order)::date AS month,
                   COUNT(*) AS n
              FROM sale_order so
              JOIN res_partner op ON op.id = so.partner_id
             WHERE so.state = 'sale'
             GROUP BY 1, 2, 3
        ),
        firsts AS (
            SELECT partner_id, company_id, MIN(month) AS first_month
              FROM orders GROUP BY 1, 2
        ),
        periods AS (
            SELECT c.id AS company_id, g::date AS date
              FROM res_company c
             CROSS JOIN LATERAL generate_series(
                   date_trunc('year', LEAST(
                       (SELECT MIN(first_month) FROM firsts f
                         WHERE f.company_id = c.id),
                       (SELECT MIN(w.date_confirmed) FROM crm_churn_warning w
                         WHERE w.state = 'confirmed'
                           AND (w.company_id = c.id OR w.company_id IS NULL)))),
                   current_date, interval '1 month') g
        )
        SELECT p.company_id, p.date, 'month' AS period_type,
               (SELECT COUNT(DISTINCT o.partner_id) FROM orders o
                 WHERE o.company_id = p.company_id
                   AND o.month >= p.date - interval '12 months'
                   AND o.month < p.date) AS active_count,
               (SELECT COUNT(*) FROM crm_churn_warning w
                 WHERE w.state = 'confirmed'
                   AND (w.company_id = p.company_id OR w.company_id IS NULL)
                   AND w.date_confirmed >= p.date
                   AND w.date_confirmed < p.date + interval '1 month')
                   AS lost_count,
               (SELECT COUNT(*) FROM orders o
                 WHERE o.company_id = p.company_id AND o.month = p.date)
                   AS buyer_count,
               (SELECT COUNT(*) FROM orders o
                 WHERE o.company_id = p.company_id AND o.month = p.date
                   AND o.n >= 2) AS repeat_count,
               (SELECT COUNT(*) FROM firsts f
                 WHERE f.company_id = p.company_id AND f.first_month = p.date)
                   AS new_count
          FROM periods p
    """,
    # Follow-up statistics (C9): one row per follow-up record.
    "crm.followup.report": """
        SELECT i.user_id, p.user_id AS customer_user_id, i.partner_id,
               i.channel_id, i.lead_id, i.company_id, i.date,
               1 AS followup_count,
               (i.next_contact_date IS NOT NULL)::int AS next_contact_count
          FROM crm_interaction i
          JOIN res_partner p ON p.id = i.partner_id
    """,
    # Pool statistics: one row per ownership change.
    "crm.customer.pool.report": """
        SELECT g.partner_id,
               CASE WHEN g.method IN ('claim', 'assign') THEN g.to_user_id
                    ELSE g.from_user_id END AS user_id,
               g.user_id AS done_by_id, g.from_user_id, g.to_user_id, g.pool_id,
               g.company_id, g.method, g.date::date AS date,
               (g.method = 'claim')::int AS claim_count,
               (g.method = 'assign')::int AS assign_count,
               (g.method = 'recycle')::int AS recycle_count,
               (g.method = 'put')::int AS put_count
          FROM crm_customer_ownership_log g
    """,
}

# Measures computed over the groups of the same query (crm.analysis.mixin).
SHARE_MEASURES = {"share"}
# Rates computed by the grouped query: sum of one column over sum of another.
RATIO_MEASURES = {
    "completion_rate": ("amount", "amount_target"),
    "amount_rate": ("amount_actual", "amount_target"),
    "new_customer_rate": ("new_customer_actual", "new_customer_target"),
    "churn_rate": ("lost_count", "active_count"),
    "repeat_rate": ("repeat_count", "buyer_count"),
}
AGGREGATES = {
    "sum": "SUM(%s)",
    "avg": "AVG(%s)",
    "max": "MAX(%s)",
    "min": "MIN(%s)",
    "count_distinct": "COUNT(DISTINCT %s)",
    "count": "COUNT(%s)",
}
GRANULARITIES = {"day", "week", "month", "quarter", "year"}


# How the pivot labels and orders the groups of a many2one (the ORM joins
# the comodel to order by it and reads the display names).
LABELS = {
    "res.users": (
        "LEFT JOIN res_users {a} ON {a}.id = {col}"
        " LEFT JOIN res_partner {a}_p ON {a}_p.id = {a}.partner_id",
        "{a}_p.name",
    ),
    "res.partner": (
        "LEFT JOIN res_partner {a} ON {a}.id = {col}",
        "{a}.complete_name",
    ),
    "crm.dictionary.item": (
        "LEFT JOIN crm_dictionary_item {a} ON {a}.id = {col}",
        "{a}.name->>'en_US'",
    ),
    "res.country.state": (
        "LEFT JOIN res_country_state {a} ON {a}.id = {col}",
        "{a}.name->>'en_US'",
    ),
}


def report_sql(spec, today):
    """SQL returning one row per group of the pivot (the group keys, their
    labels, the measures by name), in the pivot's order, or None when the
    analysis has no base rows written here."""
    base = BASE_ROWS.get(spec["model"])
    if base is None:
        return None
    groups, labels, joins = [], [], []
    for index, groupby in enumerate(spec["groupby"]):
        name, _sep, granularity = groupby.partition(":")
        column = f'r."{name}"'
        if granularity or spec["date_fields"].get(name):
            granularity = granularity or "month"
            if granularity not in GRANULARITIES:
                return None
            column = f"date_trunc('{granularity}', {column})::date"
        groups.append(column)
        label = LABELS.get(spec["relations"].get(name))
        if label:
            join, expression = (
                part.format(a=f"g{index}", col=column) for part in label
            )
            joins.append(join)
            labels.append(expression)
    measures = []
    for name, aggregator in spec["aggregators"].items():
        if name in SHARE_MEASURES:
            expression = "COUNT(*) * 100.0 / NULLIF(SUM(COUNT(*)) OVER (), 0)"
        elif name in RATIO_MEASURES:
            numerator, denominator = RATIO_MEASURES[name]
            expression = (
                f'SUM(r."{numerator}") * 100.0 / NULLIF(SUM(r."{denominator}"), 0)'
            )
        elif aggregator in AGGREGATES:
            expression = AGGREGATES[aggregator] % f'r."{name}"'
        else:
            return None
        measures.append(f'{expression} AS "{name}"')
    if not measures:
        measures.append("COUNT(*) AS __count")
    keys = ", ".join(groups + labels)
    query = f"SELECT {', '.join(groups + labels + measures)} FROM ({base}) r"
    query += "".join(f" {join}" for join in joins)
    if groups:
        query += f" GROUP BY {keys} ORDER BY {', '.join(labels + groups)}"
    return SQL(query)
