"""What happened to the benchmark's customers (see ``datagen_fill``):
follow-ups, ownership history, opportunities, services, churn warnings,
the recycle dates and the summary tables of the reports, written in SQL on
the companies and orders already filled."""

from datagen import Timer, insert_from_template, next_id, table_columns

from odoo.tools import SQL


def fill_followups(cr, templates, today):
    """One interaction record 交往记录 per customer on its last follow-up."""
    with Timer("interaction records"):
        base = next_id(cr, "crm_interaction")
        overrides = {
            "id": SQL("%s + s.g", base),
            "partner_id": SQL("s.id"),
            "contact_id": SQL("s.first_contact_id"),
            "user_id": SQL("s.manager_id"),
            "date": SQL("p.last_followup_date"),
            "summary": SQL("'Visit ' || s.g"),
            "create_date": SQL("p.last_followup_date::timestamp"),
            "write_date": SQL("p.last_followup_date::timestamp"),
        }
        insert_from_template(
            cr,
            "crm_interaction",
            templates["interaction"],
            overrides,
            SQL("bench_company s JOIN res_partner p ON p.id = s.id ORDER BY s.g"),
        )


def fill_history(cr, people, templates):
    """The ownership change that made each customer what it is (P7)."""
    with Timer("ownership history"):
        base = next_id(cr, "crm_customer_ownership_log")
        when = SQL(
            "(CASE WHEN s.owned THEN p.date_owned ELSE p.pool_entry_date END)"
            "::timestamp + interval '2 hours'"
        )
        overrides = {
            "id": SQL("%s + s.g", base),
            "partner_id": SQL("s.id"),
            "from_user_id": SQL("CASE WHEN s.owned THEN NULL ELSE s.manager_id END"),
            "to_user_id": SQL("CASE WHEN s.owned THEN s.manager_id END"),
            "user_id": SQL(
                "CASE WHEN s.owned THEN %s ELSE s.manager_id END",
                people["sales_manager_id"],
            ),
            "method": SQL("CASE WHEN s.owned THEN 'assign' ELSE 'put' END"),
            "reason": SQL(
                "CASE WHEN s.owned THEN 'Assigned by the sales manager'"
                " ELSE 'No longer interested' END"
            ),
            "pool_id": SQL("p.home_pool_id"),
            "company_id": SQL("p.company_id"),
            "date": when,
            "create_date": when,
            "write_date": when,
        }
        insert_from_template(
            cr,
            "crm_customer_ownership_log",
            templates["log"],
            overrides,
            SQL("bench_company s JOIN res_partner p ON p.id = s.id ORDER BY s.g"),
        )


def fill_opportunities(cr, scale, people, refs, templates, today):
    """Open opportunities on some owned customers (they exempt them from
    recycling) and closed ones (won / lost) for the conversion rates."""
    with Timer("opportunities"):
        tpl = templates["lead"]
        base = next_id(cr, "crm_lead")
        n_open, n_closed = scale.open_opportunities, scale.closed_opportunities
        created = SQL("(%s::date - (7 + mod(s.g * 37, 1000)))::timestamp", today)
        won = SQL("(mod(s.g, 3) <> 0)")
        is_open = SQL("(s.g < %s)", n_open)
        state = SQL(
            "CASE WHEN %s THEN 'in_development' WHEN %s THEN 'success'"
            " ELSE 'failed' END",
            is_open,
            won,
        )
        overrides = {
            "id": SQL("%s + s.g", base),
            "name": SQL("'Opportunity ' || s.g || ' for ' || c.name"),
            "partner_id": SQL("c.id"),
            "partner_name": SQL("c.name"),
            "user_id": SQL("b.manager_id"),
            "team_id": SQL(
                "CASE WHEN b.east THEN %s ELSE %s END",
                people["team_ids"][0],
                people["team_ids"][1],
            ),
            "stage_id": SQL(
                "CASE WHEN %s THEN %s WHEN %s THEN %s ELSE %s END",
                is_open,
                refs["open_stage_ids"][0],
                won,
                refs["won_stage_id"],
                refs["open_stage_ids"][0],
            ),
            "active": SQL("%s OR %s", is_open, won),
            "probability": SQL(
                "CASE WHEN %s THEN 30 WHEN %s THEN 100 ELSE 0 END", is_open, won
            ),
            "expected_revenue": SQL("(1000 + mod(s.g * 7919, 90000))::numeric"),
            "prorated_revenue": SQL(
                "(1000 + mod(s.g * 7919, 90000))::numeric"
                " * CASE WHEN %s THEN 0.3 WHEN %s THEN 1 ELSE 0 END",
                is_open,
                won,
            ),
            "date_closed": SQL(
                "CASE WHEN %s THEN NULL ELSE %s + interval '20 days' END",
                is_open,
                created,
            ),
            "day_close": SQL("CASE WHEN %s THEN NULL ELSE 20 END", is_open),
            "email_domain_criterion": SQL("'@' || split_part(c.email, '@', 2)"),
            "street": SQL("c.street"),
            "city": SQL("c.city"),
            "zip": SQL("c.zip"),
            "state_id": SQL("c.state_id"),
            "country_id": SQL("c.country_id"),
            "date_open": created,
            "date_assigned": created,
            "date_last_stage_update": created,
            "create_date": created,
            "write_date": created,
            "email_from": SQL("c.email"),
            "email_normalized": SQL("c.email_normalized"),
            "phone": SQL("c.phone"),
            "phone_sanitized": SQL("c.phone_sanitized"),
        }
        if "development_state" in tpl:
            overrides["development_state"] = state
        overrides = {k: v for k, v in overrides.items() if k in tpl}
        # Open opportunities on owned customers, closed ones on any.
        insert_from_template(
            cr,
            "crm_lead",
            tpl,
            overrides,
            SQL(
                """(SELECT g,
                           CASE WHEN g < %(n_open)s
                                THEN mod(g * 70, %(companies)s) / 10 * 10
                                ELSE mod(g * 7919, %(companies)s) END AS company_g
                      FROM generate_series(0, %(last)s) AS g) s
                   JOIN bench_company b ON b.g = s.company_g
                   JOIN res_partner c ON c.id = b.id
                   ORDER BY s.g""",
                n_open=n_open,
                companies=scale.companies,
                last=n_open + n_closed - 1,
            ),
        )


def fill_services(cr, scale, refs, templates, today):
    """Customer services 客户服务: helpdesk tickets with a service type, in
    the four service stages, over the years."""
    with Timer(f"{scale.services} services"):
        tpl = templates["ticket"]
        base = next_id(cr, "helpdesk_ticket")
        stages = refs["service_stages"]
        hours = refs["service_hours"]
        types = list(hours)
        assign_hours = SQL(
            "(%s::float8[])[array_position(%s::int[], s.type_id)]",
            [hours[t][0] or 0 for t in types],
            types,
        )
        handle_hours = SQL(
            "(%s::float8[])[array_position(%s::int[], s.type_id)]",
            [hours[t][1] or 0 for t in types],
            types,
        )
        requested = SQL(
            "(%s::date - floor(s.r_date * %s)::int)::timestamp + interval '9 hours'",
            today,
            365 * scale.years,
        )
        assigned = SQL("%s + interval '2 hours'", requested)
        handled = SQL("%s + interval '20 hours'", requested)
        feedback = SQL("%s + interval '1 day'", handled)
        source = SQL(
            """(SELECT t.*,
                       CASE WHEN t.r_state < 0.1 THEN 'new'
                            WHEN t.r_state < 0.2 THEN 'assigned'
                            WHEN t.r_state < 0.3 THEN 'handled'
                            ELSE 'archived' END AS state,
                       (%(types)s::int[])[1 + floor(t.r_type * %(n_types)s)::int]
                           AS type_id
                  FROM (SELECT g, floor(random() * %(companies)s)::int AS company_g,
                               random() AS r_state, random() AS r_date,
                               random() AS r_type
                          FROM generate_series(0, %(last)s) AS g) t) s
               JOIN bench_company b ON b.g = s.company_g
               JOIN res_partner c ON c.id = b.first_contact_id
               ORDER BY s.g""",
            types=types,
            n_types=len(types),
            companies=scale.companies,
            last=scale.services - 1,
        )
        not_new = SQL("s.state <> 'new'")
        done = SQL("s.state IN ('handled', 'archived')")
        archived = SQL("s.state = 'archived'")
        stage_case = SQL(
            "CASE s.state WHEN 'new' THEN %s WHEN 'assigned' THEN %s"
            " WHEN 'handled' THEN %s ELSE %s END",
            stages["new"],
            stages["assigned"],
            stages["handled"],
            stages["archived"],
        )
        overrides = {
            "id": SQL("%s + s.g", base),
            "unattended": SQL(
                "(SELECT st.unattended FROM helpdesk_ticket_stage st WHERE st.id = %s)",
                stage_case,
            ),
            "number": SQL("'SVC' || lpad((s.g + 1)::text, 6, '0')"),
            "name": SQL("'Service request ' || s.g"),
            "partner_id": SQL("c.id"),
            "commercial_partner_id": SQL("b.id"),
            "partner_name": SQL("c.name"),
            "partner_email": SQL("c.email"),
            "service_type_id": SQL("s.type_id"),
            "stage_id": stage_case,
            "service_state": SQL("s.state"),
            "user_id": SQL("CASE WHEN %s THEN b.manager_id END", not_new),
            "date_requested": requested,
            "date_assigned": SQL("CASE WHEN %s THEN %s END", not_new, assigned),
            "assigned_date": SQL("CASE WHEN %s THEN %s END", not_new, assigned),
            "date_handled": SQL("CASE WHEN %s THEN %s END", done, handled),
            "handling_note": SQL("CASE WHEN %s THEN 'Handled on the phone' END", done),
            "date_feedback": SQL("CASE WHEN %s THEN %s END", archived, feedback),
            "satisfaction": SQL(
                "CASE WHEN %s THEN 3 + mod(s.g, 3) ELSE 0 END", archived
            ),
            "feedback_result": SQL("CASE WHEN %s THEN 'Satisfied' END", archived),
            "closed_date": SQL("CASE WHEN %s THEN %s END", archived, feedback),
            "last_stage_update": SQL(
                "CASE s.state WHEN 'new' THEN %s WHEN 'assigned' THEN %s"
                " WHEN 'handled' THEN %s ELSE %s END",
                requested,
                assigned,
                handled,
                feedback,
            ),
            "deadline_assign": SQL(
                "%s + make_interval(secs => %s * 3600)", requested, assign_hours
            ),
            "deadline_handle": SQL(
                "CASE WHEN %s THEN %s + make_interval(secs => %s * 3600) END",
                not_new,
                assigned,
                handle_hours,
            ),
            "create_date": requested,
            "write_date": requested,
            "access_token": SQL("md5('bench-ticket-' || s.g)"),
        }
        overrides = {k: v for k, v in overrides.items() if k in tpl}
        insert_from_template(cr, "helpdesk_ticket", tpl, overrides, source)


def fill_churn_warnings(cr, templates, today):
    """Customers that stopped buying: some losses are confirmed 确认流失 (and
    marked lost), some warnings are still open."""
    with Timer("churn warnings"):
        tpl = templates["warning"]
        base = next_id(cr, "crm_churn_warning")
        threshold = SQL("(%s::date - interval '6 months')::date", today)
        # Half the customers that stopped buying are confirmed lost (10 % of
        # the customers), one in ten still has an open warning.
        confirmed = SQL("b.lost")
        raised = SQL("(p.last_order_date + interval '190 days')")
        overrides = {
            "id": SQL("%s + row_number() OVER (ORDER BY b.g)", base),
            "partner_id": SQL("p.id"),
            "user_id": SQL("COALESCE(p.user_id, b.manager_id)"),
            "company_id": SQL("p.company_id"),
            "state": SQL("CASE WHEN %s THEN 'confirmed' ELSE 'open' END", confirmed),
            "trigger_rule": SQL("'threshold'"),
            "last_order_date": SQL("p.last_order_date"),
            "days_without_order": SQL("190"),
            "threshold_months": SQL("6"),
            "purchase_count": SQL("p.churn_purchase_count"),
            "median_interval": SQL("p.churn_median_interval"),
            "date_confirmed": SQL(
                "CASE WHEN %s THEN (%s + interval '10 days')::date END",
                confirmed,
                raised,
            ),
            "lost_reason": SQL(
                "CASE WHEN %s THEN 'Moved to a competitor' END", confirmed
            ),
            "create_date": raised,
            "write_date": raised,
        }
        overrides = {k: v for k, v in overrides.items() if k in tpl}
        insert_from_template(
            cr,
            "crm_churn_warning",
            tpl,
            overrides,
            SQL(
                "bench_company b JOIN res_partner p ON p.id = b.id"
                " WHERE b.churned AND mod(b.g / 5, 10) < 6"
                " AND p.last_order_date < %s",
                threshold,
            ),
        )


def recycle_plan_sql(condition, today=None):
    """The recycling rules of P4 written by hand: for each owned customer
    matching ``condition``, the day it returns to its pool (NULL: exempt or
    never) and why. Used to fill ``recycle_date`` and by the floor of the
    recycling measure."""
    return SQL(
        """
        SELECT p.id, p.user_id, g.id AS pool_id,
               CASE WHEN dl.deal IS NULL OR dl.followup <= dl.deal
                    THEN 'followup' ELSE 'deal' END AS reason,
               d.followup_days, d.deal_days,
               CASE WHEN NOT g.active OR NOT g.auto_recycle
                      OR LEAST(dl.followup, dl.deal) IS NULL
                      OR (g.exempt_locked AND p.pool_locked)
                      OR (g.exempt_open_opportunity AND EXISTS (
                            SELECT 1 FROM crm_lead l
                              JOIN res_partner lp ON lp.id = l.partner_id
                             WHERE lp.commercial_partner_id = p.id AND l.active
                               AND l.type = 'opportunity'
                               AND COALESCE(l.probability, 0) < 100))
                    THEN NULL
                    ELSE GREATEST(LEAST(dl.followup, dl.deal),
                                  p.last_order_date
                                  + NULLIF(g.exempt_recent_deal_days, 0))
               END AS recycle_date
          FROM res_partner p
          JOIN crm_customer_pool g ON g.id = p.home_pool_id
          LEFT JOIN crm_customer_pool_level_rule r
                 ON r.pool_id = g.id AND r.customer_level_id = p.customer_level_id
         CROSS JOIN LATERAL (
               SELECT CASE WHEN g.recycle_no_followup
                           THEN NULLIF(COALESCE(r.no_followup_days,
                                                g.no_followup_days), 0)
                      END AS followup_days,
                      CASE WHEN g.recycle_no_deal
                           THEN NULLIF(COALESCE(r.no_deal_days, g.no_deal_days), 0)
                      END AS deal_days) d
         CROSS JOIN LATERAL (
               SELECT GREATEST(p.last_followup_date, p.date_owned, p.create_date::date)
                        + d.followup_days AS followup,
                      GREATEST(p.last_order_date, p.date_owned, p.create_date::date)
                        + d.deal_days AS deal) dl
         WHERE p.pool_state = 'owned' AND p.is_company AND p.active AND %s
        """,
        condition,
    )


def fill_recycle_dates(cr, people, today):
    with Timer("recycle dates"):
        cr.execute(
            SQL(
                """
                UPDATE res_partner t SET recycle_date = plan.recycle_date
                  FROM (%s) plan WHERE t.id = plan.id
                """,
                recycle_plan_sql(SQL("TRUE")),
            )
        )


def fill_report_summaries(cr):
    """The summary tables of crm_custom_reports: confirmed sales per
    customer (commercial partner), company, salesperson and month, in
    company currency, and their totals to date."""
    with Timer("report summaries"):
        if table_columns(cr, "crm_customer_sales_month"):
            cr.execute(
                """
                INSERT INTO crm_customer_sales_month
                       (partner_id, company_id, user_id, month, amount, order_count)
                SELECT p.commercial_partner_id, so.company_id, so.user_id,
                       date_trunc('month', so.date_order)::date,
                       SUM(so.amount_untaxed
                           / COALESCE(NULLIF(so.currency_rate, 0), 1.0)),
                       COUNT(*)
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale'
                 GROUP BY 1, 2, 3, 4
                """
            )
        if table_columns(cr, "crm_customer_sales_total"):
            cr.execute(
                """
                INSERT INTO crm_customer_sales_total
                       (partner_id, company_id, user_id, amount, order_count,
                        month_count)
                SELECT partner_id, company_id, user_id, SUM(amount),
                       SUM(order_count), COUNT(*)
                  FROM crm_customer_sales_month
                 GROUP BY partner_id, company_id, user_id
                """
            )
