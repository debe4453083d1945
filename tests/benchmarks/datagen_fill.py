"""The SQL part of the benchmark's data (see ``datagen``): the customer
companies, their contacts and confirmed orders, then what happened to those
customers (``datagen_activity``), in one transaction."""

from datetime import date

from datagen import Timer, insert_from_template, next_id, sync_sequence
from datagen_activity import (
    fill_churn_warnings,
    fill_followups,
    fill_history,
    fill_opportunities,
    fill_recycle_dates,
    fill_report_summaries,
    fill_services,
)

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def _pick(array_sql, random_sql):
    """Element of a SQL int array chosen by a random() in [0, 1)."""
    return SQL(
        "(%s)[1 + floor(%s * cardinality(%s))::int]", array_sql, random_sql, array_sql
    )


def fill(registry, scale, people, refs, templates, today=None):
    """Write the customers, contacts, orders, services, opportunities,
    interactions, warnings and ownership history; commit."""
    today = today or date.today()
    with registry.cursor() as cr:
        cr.execute("SET LOCAL synchronous_commit = off")
        cr.execute("SET LOCAL work_mem = '256MB'")
        cr.execute("SELECT setseed(0.42)")
        if scale.name == "full":
            # The generated rows reference each other consistently; at full
            # scale, skip the foreign key triggers (superuser only) to fill
            # in minutes. The small scale keeps them, and so checks the
            # generator.
            cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cr.fetchone()[0]:
                cr.execute("SET LOCAL session_replication_role = replica")
        _plan_companies(cr, scale, people, today)
        _plan_orders(cr, scale, people, today)
        _plan_order_stats(cr, today)
        _fill_companies(cr, scale, refs, templates, today)
        _fill_contacts(cr, scale, templates)
        _fill_orders(cr, scale, templates)
        fill_followups(cr, templates, today)
        fill_history(cr, people, templates)
        fill_opportunities(cr, scale, people, refs, templates, today)
        fill_services(cr, scale, refs, templates, today)
        fill_churn_warnings(cr, templates, today)
        fill_recycle_dates(cr, people, today)
        fill_report_summaries(cr)
        for table in (
            "res_partner",
            "sale_order",
            "sale_order_line",
            "helpdesk_ticket",
            "crm_lead",
            "crm_interaction",
            "crm_churn_warning",
            "crm_customer_ownership_log",
        ):
            sync_sequence(cr, table)
        cr.execute("DROP TABLE bench_company, bench_order")
        # committed when the cursor closes


def build_rate_journal(registry):
    """The buying months and rate journal of the R9 customer rates
    (crm.customer.activity.month), built from the monthly sales filled above,
    as the product builds them on install over existing sales: otherwise the
    first read of the rates builds them inside the measured pivot."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if "crm.customer.activity.month" in env:
            with Timer("customer rates journal"):
                env["crm.customer.activity.month"]._rebuild()


def _sanitized(template, phone):
    """phone_sanitized as Odoo computes it here: E.164 with the phonenumbers
    library, the number as typed without it (the template tells which)."""
    if template.get("phone_sanitized") == template.get("phone"):
        return phone
    return SQL("replace(%s, ' ', '')", phone)


def _plan_companies(cr, scale, people, today):
    """One row per company to come: who owns it, where it lies, its dates."""
    with Timer("plan of the companies"):
        base = next_id(cr, "res_partner")
        contact_base = base + scale.companies
        managers = people["manager_ids"]
        half = len(managers) // 2
        owned_cut = int(round(scale.owned_share * 10))
        # One row per company: who owns it, where it lies, its dates.
        cr.execute(
            SQL(
                """
                CREATE UNLOGGED TABLE bench_company AS
                SELECT g, %(base)s + g AS id,
                       %(contact_base)s + g * %(per)s AS first_contact_id,
                       mod(g, 10) < %(owned_cut)s AS owned,
                       (%(managers)s::int[])[1 + mod(g / 10, %(n_managers)s)]
                           AS manager_id,
                       mod(g / 10, %(n_managers)s) < %(half)s AS east,
                       (mod(g, 5) = 0) AS churned,
                       'Bench Customer ' || lpad(g::text, 6, '0') AS name,
                       %(today)s::date - (30 + floor(random() * 700))::int
                           AS date_owned,
                       %(today)s::date - floor(random() * 33)::int AS followup_owned,
                       %(today)s::date - (1 + floor(random() * 365))::int AS pool_entry,
                       floor(random() * 30)::int AS followup_gap,
                       random() AS r_level, random() AS r_source, random() AS r_nature,
                       random() AS r_revenue, random() AS r_employees,
                       random() AS r_region, random() AS r_state,
                       random() AS r_industry, random() AS r_misc
                  FROM generate_series(0, %(last)s) AS g
                """,
                base=base,
                contact_base=contact_base,
                per=scale.contacts_per_company,
                owned_cut=owned_cut,
                managers=managers,
                n_managers=len(managers),
                half=half,
                today=today,
                last=scale.companies - 1,
            )
        )
        cr.execute(
            SQL(
                """
                ALTER TABLE bench_company
                  ADD COLUMN user_id int, ADD COLUMN pool_id int,
                  ADD COLUMN home_pool_id int, ADD COLUMN team_id int;
                UPDATE bench_company
                   SET user_id = CASE WHEN owned THEN manager_id END,
                       team_id = CASE WHEN east THEN %(east_team)s
                                      ELSE %(west_team)s END,
                       home_pool_id = CASE WHEN NOT owned THEN %(public)s
                                           WHEN east THEN %(east)s ELSE %(west)s END,
                       pool_id = CASE WHEN NOT owned THEN %(public)s END;
                CREATE UNIQUE INDEX ON bench_company (g);
                """,
                east_team=people["team_ids"][0],
                west_team=people["team_ids"][1],
                public=people["public_pool_id"],
                east=people["east_pool_id"],
                west=people["west_pool_id"],
            )
        )
        # The small pools: the first pool customers go to the team pools.
        cr.execute(
            SQL(
                """
                WITH ranked AS (
                    SELECT g, row_number() OVER (ORDER BY g) AS rank
                      FROM bench_company WHERE NOT owned)
                UPDATE bench_company b
                   SET pool_id = CASE WHEN r.rank <= %(small)s THEN %(east)s
                                      ELSE %(west)s END,
                       home_pool_id = CASE WHEN r.rank <= %(small)s THEN %(east)s
                                           ELSE %(west)s END
                  FROM ranked r
                 WHERE r.g = b.g AND r.rank <= %(small)s + %(west_size)s
                """,
                small=scale.small_pool,
                west_size=scale.small_pool * 5,
                east=people["east_pool_id"],
                west=people["west_pool_id"],
            )
        )


def _fill_companies(cr, scale, refs, templates, today):
    with Timer(f"{scale.companies} customer companies"):
        tpl = templates["company"]
        created = SQL("(%s::date - interval '3 years' - interval '30 days')", today)
        overrides = {
            "id": SQL("s.id"),
            "name": SQL("s.name"),
            "complete_name": SQL("s.name"),
            "commercial_partner_id": SQL("s.id"),
            "commercial_company_name": SQL("s.name"),
            # 查重 keys (C8): the normalized name of 'Bench Customer 000123'.
            "crm_name_key": SQL("lower(replace(s.name, ' ', ''))"),
            "crm_credit_code_key": SQL("NULL::varchar"),
            "user_id": SQL("s.user_id"),
            "email": SQL("'info@c' || s.g || '.example.cn'"),
            "email_normalized": SQL("'info@c' || s.g || '.example.cn'"),
            "phone": SQL("'+86 21 6' || lpad(s.g::text, 3, '0') || ' 0001'"),
            "phone_sanitized": _sanitized(
                tpl, SQL("'+86 21 6' || lpad(s.g::text, 3, '0') || ' 0001'")
            ),
            "street": SQL("(1 + mod(s.g, 999)) || ' Century Avenue'"),
            # base_address_extended splits the street (China: all of it is
            # the street name).
            "street_name": SQL("(1 + mod(s.g, 999)) || ' Century Avenue'"),
            "city": SQL("'Shanghai'"),
            "state_id": _pick(SQL("%s::int[]", refs["state_ids"]), SQL("s.r_state")),
            "industry_id": _pick(
                SQL("%s::int[]", refs["industries"]), SQL("s.r_industry")
            ),
            "customer_level_id": _pick(
                SQL("%s::int[]", refs["levels"]), SQL("s.r_level")
            ),
            "customer_source_id": _pick(
                SQL("%s::int[]", refs["sources"]), SQL("s.r_source")
            ),
            "company_nature_id": _pick(
                SQL("%s::int[]", refs["natures"]), SQL("s.r_nature")
            ),
            "annual_revenue_id": _pick(
                SQL("%s::int[]", refs["revenues"]), SQL("s.r_revenue")
            ),
            "employee_count_id": _pick(
                SQL("%s::int[]", refs["employees"]), SQL("s.r_employees")
            ),
            # The region follows the province (C10).
            "region_id": SQL(
                "(SELECT st.crm_region_id FROM res_country_state st WHERE st.id = %s)",
                _pick(SQL("%s::int[]", refs["state_ids"]), SQL("s.r_state")),
            ),
            # Customer codes 客户编码 (C10), one width more than the sequence's.
            "customer_code": SQL("'KH' || lpad(s.g::text, 7, '0')"),
            "rating": SQL("(floor(s.r_misc * 4))::int::text"),
            "satisfaction": SQL("1 + mod(s.g, 5)"),
            "credit_rating": SQL("1 + mod(s.g / 5, 5)"),
            # Set once the contacts exist (foreign key).
            "primary_contact_id": SQL("NULL::int"),
            "pool_id": SQL("s.pool_id"),
            "home_pool_id": SQL("s.home_pool_id"),
            "pool_state": SQL("CASE WHEN s.owned THEN 'owned' ELSE 'pool' END"),
            "commercial_user_id": SQL("s.user_id"),
            "commercial_pool_id": SQL("s.pool_id"),
            "pool_previous_user_id": SQL("CASE WHEN NOT s.owned THEN s.manager_id END"),
            "pool_entry_date": SQL("CASE WHEN NOT s.owned THEN s.pool_entry END"),
            "date_owned": SQL("CASE WHEN s.owned THEN s.date_owned END"),
            "last_followup_date": SQL(
                "CASE WHEN s.owned THEN s.followup_owned"
                " ELSE s.pool_entry - s.followup_gap END"
            ),
            "recycle_date": SQL("NULL::date"),
            "pool_reminder_date": SQL("NULL::date"),
            "pool_locked": SQL("s.owned AND mod(s.g, 100) = 1"),
            "last_order_date": SQL("s.last_order_date"),
            "churn_purchase_count": SQL("COALESCE(s.purchases, 0)"),
            "churn_median_interval": SQL("s.median_gap"),
            "churn_lost": SQL("s.lost"),
            "create_date": created,
            "write_date": created,
        }
        insert_from_template(
            cr, "res_partner", tpl, overrides, SQL("bench_company s ORDER BY s.g")
        )


def _fill_contacts(cr, scale, templates):
    with Timer(f"{scale.contacts} contacts"):
        tpl = templates["contact"]
        first = SQL("(ARRAY['Zhang','Wang','Li','Zhao','Liu','Chen','Yang','Huang'])")
        given = SQL("(ARRAY['Wei','Fang','Na','Min','Jing','Lei','Qiang','Yan'])")
        name = SQL(
            "%s[1 + mod(s.g + k, 8)] || ' ' || %s[1 + mod(s.g / 8 + k, 8)]"
            " || ' ' || s.g || '-' || k",
            first,
            given,
        )
        overrides = {
            "id": SQL("s.first_contact_id + k"),
            "name": name,
            "complete_name": SQL("s.name || ', ' || %s", name),
            "parent_id": SQL("s.id"),
            "commercial_partner_id": SQL("s.id"),
            "commercial_company_name": SQL("s.name"),
            "pool_state": SQL("CASE WHEN s.owned THEN 'owned' ELSE 'pool' END"),
            # The owner and pool of their company (record rules).
            "commercial_user_id": SQL("p.user_id"),
            "commercial_pool_id": SQL("p.pool_id"),
            "gender": SQL("CASE WHEN k = 0 THEN 'male' ELSE 'female' END"),
            "email": SQL("'p' || k || '@c' || s.g || '.example.cn'"),
            "email_normalized": SQL("'p' || k || '@c' || s.g || '.example.cn'"),
            "phone": SQL("'+86 21 6' || lpad(s.g::text, 3, '0') || ' 010' || k"),
            # Odoo sanitizes the mobile first.
            "phone_sanitized": SQL(
                "'13' || lpad(mod(s.g * 2 + k, 1000000000)::text, 9, '0')"
            ),
            "mobile": SQL("'13' || lpad(mod(s.g * 2 + k, 1000000000)::text, 9, '0')"),
            # Odoo gives a new contact the salesperson of its company.
            "user_id": SQL("p.user_id"),
            "street": SQL("(1 + mod(s.g, 999)) || ' Century Avenue'"),
            # base_address_extended splits the street (China: all of it is
            # the street name).
            "street_name": SQL("(1 + mod(s.g, 999)) || ' Century Avenue'"),
            "state_id": SQL("p.state_id"),
            "region_id": SQL("p.region_id"),
            "create_date": SQL("p.create_date"),
            "write_date": SQL("p.create_date"),
        }
        # Contacts carry none of the pool and churn data of their company.
        for column in (
            "pool_id",
            "home_pool_id",
            "last_followup_date",
            "recycle_date",
            "last_order_date",
            "date_owned",
        ):
            if column in tpl and column not in overrides:
                overrides[column] = SQL("NULL")
        insert_from_template(
            cr,
            "res_partner",
            tpl,
            overrides,
            SQL(
                "bench_company s JOIN res_partner p ON p.id = s.id"
                " CROSS JOIN generate_series(0, %s) AS k ORDER BY s.g, k",
                scale.contacts_per_company - 1,
            ),
        )
        cr.execute(
            """
            UPDATE res_partner p SET primary_contact_id = s.first_contact_id
              FROM bench_company s WHERE p.id = s.id
            """
        )


def _plan_orders(cr, scale, people, today):
    """One row per confirmed order to come (one line each)."""
    with Timer("plan of the orders"):
        base = next_id(cr, "sale_order")
        line_base = next_id(cr, "sale_order_line")
        days = 365 * scale.years
        cr.execute(
            SQL(
                """
                CREATE UNLOGGED TABLE bench_order AS
                SELECT o.g, o.company_g, %(base)s + o.g AS id,
                       %(line_base)s + o.g AS line_id,
                       CASE WHEN o.r_partner < 0.5 THEN c.id
                            ELSE c.first_contact_id
                                 + floor((o.r_partner - 0.5) * 2 * %(per)s)::int
                       END AS partner_id,
                       c.manager_id AS user_id,
                       CASE WHEN c.east THEN %(east_team)s ELSE %(west_team)s END
                           AS team_id,
                       (%(today)s::date - CASE WHEN c.churned
                            THEN 200 + floor(o.r_date * %(old_days)s)::int
                            ELSE floor(o.r_date * %(days)s)::int END)
                       + make_interval(secs => floor(o.r_time * 36000)::int + 3600)
                           AS date_order,
                       (1 + floor(o.r_qty * 10))::numeric AS qty,
                       round((50 + o.r_price * 4950)::numeric, 2) AS price
                  FROM (SELECT g, floor(random() * %(companies)s)::int AS company_g,
                               random() AS r_partner, random() AS r_date,
                               random() AS r_time, random() AS r_qty,
                               random() AS r_price
                          FROM generate_series(0, %(last)s) AS g) o
                  JOIN bench_company c ON c.g = o.company_g
                """,
                base=base,
                line_base=line_base,
                per=scale.contacts_per_company,
                east_team=people["team_ids"][0],
                west_team=people["team_ids"][1],
                today=today,
                old_days=days - 200,
                days=days,
                companies=scale.companies,
                last=scale.orders - 1,
            )
        )
        cr.execute("CREATE INDEX ON bench_order (company_g)")


def _fill_orders(cr, scale, templates):
    with Timer(f"{scale.orders} confirmed sale orders"):
        amount = SQL("(s.qty * s.price)")
        order_overrides = {
            "id": SQL("s.id"),
            "name": SQL("'SB' || lpad((s.g + 1)::text, 7, '0')"),
            "partner_id": SQL("s.partner_id"),
            "partner_invoice_id": SQL("s.partner_id"),
            "partner_shipping_id": SQL("s.partner_id"),
            "user_id": SQL("s.user_id"),
            "team_id": SQL("s.team_id"),
            "date_order": SQL("s.date_order"),
            "amount_untaxed": amount,
            "amount_total": amount,
            "amount_tax": SQL("0"),
            "create_date": SQL("s.date_order"),
            "write_date": SQL("s.date_order"),
            "access_token": SQL("NULL"),
        }
        for column in ("effective_date", "signed_on", "commitment_date"):
            if templates["order"].get(column) is not None:
                order_overrides[column] = SQL("s.date_order")
        if templates["order"].get("validity_date") is not None:
            order_overrides["validity_date"] = SQL("s.date_order::date + 30")
        insert_from_template(
            cr,
            "sale_order",
            templates["order"],
            order_overrides,
            SQL("bench_order s ORDER BY s.g"),
        )
        line_overrides = {
            "id": SQL("s.line_id"),
            "order_id": SQL("s.id"),
            "order_partner_id": SQL("s.partner_id"),
            "salesman_id": SQL("s.user_id"),
            "product_uom_qty": SQL("s.qty"),
            "price_unit": SQL("s.price"),
            # technical_price_unit stays the template's list price: a price
            # that differs from it is a price set by hand, kept by Odoo.
            "price_subtotal": amount,
            "price_total": amount,
            "price_tax": SQL("0"),
            "price_reduce_taxexcl": SQL("s.price"),
            "price_reduce_taxinc": SQL("s.price"),
            "qty_to_invoice": SQL("s.qty"),
            "untaxed_amount_to_invoice": amount,
            "create_date": SQL("s.date_order"),
            "write_date": SQL("s.date_order"),
        }
        line_overrides = {
            column: expr
            for column, expr in line_overrides.items()
            if column in templates["line"]
        }
        insert_from_template(
            cr,
            "sale_order_line",
            templates["line"],
            line_overrides,
            SQL("bench_order s ORDER BY s.g"),
        )


def _plan_order_stats(cr, today):
    """Last order date and buying cycle of every customer (the median gap
    between its distinct purchase days; orders on its contacts count), and
    whether its loss is confirmed: half the customers that stopped buying
    more than 6 months ago (see fill_churn_warnings)."""
    with Timer("last order dates and buying cycles"):
        cr.execute(
            SQL(
                """
                ALTER TABLE bench_company
                  ADD COLUMN last_order_date date, ADD COLUMN purchases int,
                  ADD COLUMN median_gap numeric, ADD COLUMN lost boolean;
                WITH days AS (
                    SELECT DISTINCT company_g AS g, date_order::date AS day
                      FROM bench_order
                ), gaps AS (
                    SELECT g, day,
                           day - LAG(day) OVER (PARTITION BY g ORDER BY day) AS gap
                      FROM days
                ), stats AS (
                    SELECT g, MAX(day) AS last_day, COUNT(*) AS purchases,
                           ROUND((PERCENTILE_CONT(0.5)
                                  WITHIN GROUP (ORDER BY gap))::numeric, 1)
                               AS median_gap
                      FROM gaps GROUP BY g
                )
                UPDATE bench_company b
                   SET last_order_date = s.last_day, purchases = s.purchases,
                       median_gap = s.median_gap
                  FROM stats s WHERE b.g = s.g;
                UPDATE bench_company
                   SET lost = churned AND mod(g / 5, 10) < 5
                              AND last_order_date < %(threshold)s;
                """,
                threshold=SQL("(%s::date - interval '6 months')::date", today),
            )
        )
