"""Fill the benchmark database directly in PostgreSQL.

The few users, sales teams and pools go through the ORM; everything else is
written with ``INSERT ... SELECT generate_series`` statements. Each table is
shaped on a template record that the ORM creates (and that is rolled back):
the template gives every column the ORM would set, the generator overrides
the columns that vary per row. Every stored field the product derives is
written consistently (commercial partner, complete name, pool state, last
order date and buying cycle, last follow-up, recycle date, summary tables of
the reports); ``checks.py`` verifies it with the product's own code.
"""

import logging
import time
from dataclasses import dataclass
from datetime import date

import psycopg2
from psycopg2.extras import Json

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger("crm_bench")

# Customer managers 客户经理 of the benchmark. Every benchmark user has this
# password: hashing one is slow on purpose (600,000 rounds), so the hash is
# computed once and copied.
PASSWORD = "bench"
MANAGER_LOGIN = "bench_cm_%02d"
SALES_MANAGER_LOGIN = "bench_sales_manager"
EXECUTIVE_LOGIN = "bench_executive"
TEAM_NAMES = ("Bench East Team", "Bench West Team")


@dataclass(frozen=True)
class Scale:
    """Volumes of one benchmark scale (small is one hundredth of full)."""

    name: str
    companies: int
    contacts_per_company: int
    orders: int
    services: int
    managers: int
    # Customers in the smallest pool (the claim query-count measure).
    small_pool: int
    # Share of the customers owned by a customer manager (others in pools).
    owned_share: float = 0.7
    years: int = 3

    @classmethod
    def get(cls, name):
        factor = {"full": 1.0, "small": 0.01}[name]
        return cls(
            name=name,
            companies=int(200_000 * factor),
            contacts_per_company=2,
            orders=int(2_000_000 * factor),
            services=int(50_000 * factor),
            managers=20,
            small_pool=max(int(1_000 * factor), 10),
        )

    @property
    def contacts(self):
        return self.companies * self.contacts_per_company

    @property
    def open_opportunities(self):
        return self.companies // 40

    @property
    def closed_opportunities(self):
        return self.companies // 13


class Timer:
    """Logs how long each step of the fill takes."""

    def __init__(self, label):
        self.label = label
        self.start = None

    def __enter__(self):
        self.start = time.monotonic()
        _logger.info("fill: %s ...", self.label)
        return self

    def __exit__(self, *exc):
        _logger.info(
            "fill: %s done in %.1f s", self.label, time.monotonic() - self.start
        )


def _literal(value):
    if isinstance(value, dict | list):
        return SQL("%s", Json(value))
    return SQL("%s", value)


def insert_from_template(cr, table, template, overrides, source):
    """INSERT INTO ``table`` one row per row of ``source`` (SQL of a FROM
    clause, alias ``s``): columns in ``overrides`` (name -> SQL) take that
    expression, the others the template's value (NULL ones are left out)."""
    columns = [
        column
        for column, value in template.items()
        if column in overrides or value is not None
    ]
    missing = set(overrides) - set(template)
    if missing:
        raise ValueError(f"{table}: no column {sorted(missing)}")
    values = [
        overrides[column] if column in overrides else _literal(template[column])
        for column in columns
    ]
    cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(column) for column in columns),
            SQL(", ").join(values),
            source,
        )
    )
    return cr.rowcount


def _row(cr, table, record_id):
    cr.execute(SQL("SELECT * FROM %s WHERE id = %s", SQL.identifier(table), record_id))
    columns = [desc[0] for desc in cr.description]
    return dict(zip(columns, cr.fetchone(), strict=False))


def _next_id(cr, table):
    cr.execute(SQL("SELECT COALESCE(MAX(id), 0) + 1 FROM %s", SQL.identifier(table)))
    return cr.fetchone()[0]


def _sync_sequence(cr, table):
    cr.execute(
        SQL(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
            " (SELECT COALESCE(MAX(id), 1) FROM %s))",
            table,
            SQL.identifier(table),
        )
    )


# ---------------------------------------------------------------------------
# ORM part: users, teams, pools, product
# ---------------------------------------------------------------------------


def setup_people(registry, scale):
    """Create the customer managers, a sales manager, an executive, two
    sales teams, the pools and the product sold; return their ids."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        Users = env["res.users"].with_context(no_reset_password=True)
        manager_group = env.ref("crm_custom.group_customer_manager")
        managers = Users.create(
            [
                {
                    "name": f"Bench Customer Manager {index + 1:02d}",
                    "login": MANAGER_LOGIN % (index + 1),
                    "email": f"{MANAGER_LOGIN % (index + 1)}@example.cn",
                    "groups_id": [(6, 0, [manager_group.id])],
                    "tz": "Asia/Shanghai",
                }
                for index in range(scale.managers)
            ]
        )
        sales_manager = Users.create(
            {
                "name": "Bench Sales Manager",
                "login": SALES_MANAGER_LOGIN,
                "groups_id": [(6, 0, [env.ref("crm_custom.group_sales_manager").id])],
                "tz": "Asia/Shanghai",
            }
        )
        executive = Users.create(
            {
                "name": "Bench Executive",
                "login": EXECUTIVE_LOGIN,
                "groups_id": [(6, 0, [env.ref("crm_custom.group_executive").id])],
                "tz": "Asia/Shanghai",
            }
        )
        managers[0].password = PASSWORD
        env.flush_all()
        cr.execute(
            "UPDATE res_users SET password = (SELECT password FROM res_users"
            " WHERE id = %s) WHERE id = ANY(%s)",
            [managers[0].id, (managers[1:] | sales_manager | executive).ids],
        )
        half = len(managers) // 2
        teams = env["crm.team"].create(
            [
                {
                    "name": TEAM_NAMES[0],
                    "user_id": sales_manager.id,
                    "member_ids": [(6, 0, managers[:half].ids)],
                },
                {
                    "name": TEAM_NAMES[1],
                    "user_id": sales_manager.id,
                    "member_ids": [(6, 0, managers[half:].ids)],
                },
            ]
        )
        Pool = env["crm.customer.pool"]
        public = env.ref("crm_custom.crm_customer_pool_default")
        # Limits stay on (their checks are part of claiming) but high enough
        # for the claims of the benchmark.
        public.write({"daily_claim_limit": 50, "owned_limit": 100_000})
        major = env["crm.dictionary.item"].search(
            [("category", "=", "customer_level"), ("code", "=", "major")]
        )
        east = Pool.create(
            {
                "name": "Bench East Pool",
                "sequence": 5,
                "member_team_ids": [(6, 0, teams[0].ids)],
                "no_followup_days": 30,
                "recycle_no_deal": True,
                "no_deal_days": 365,
                "exempt_recent_deal_days": 30,
                "daily_claim_limit": 50,
                "owned_limit": 0,
                "reclaim_cooldown_days": 7,
            }
        )
        west = Pool.create(
            {
                "name": "Bench West Pool",
                "sequence": 6,
                "member_team_ids": [(6, 0, teams[1].ids)],
                "no_followup_days": 30,
                "recycle_no_deal": False,
                "daily_claim_limit": 50,
                "level_rule_ids": [
                    (0, 0, {"customer_level_id": major.id, "no_followup_days": 60})
                ],
            }
        )
        product = env["product.product"].create(
            {
                "name": "Bench Maintenance Service",
                "type": "service",
                "list_price": 100.0,
                "invoice_policy": "order",
                "taxes_id": [(5, 0, 0)],
            }
        )
        return {
            "manager_ids": managers.ids,
            "east_manager_ids": managers[:half].ids,
            "west_manager_ids": managers[half:].ids,
            "sales_manager_id": sales_manager.id,
            "executive_id": executive.id,
            "team_ids": teams.ids,
            "public_pool_id": public.id,
            "east_pool_id": east.id,
            "west_pool_id": west.id,
            "product_id": product.id,
        }


def _dictionary(env, category):
    return env["crm.dictionary.item"].search([("category", "=", category)]).ids


def make_templates(registry, people):
    """Create one record of each generated table through the ORM, read its
    row and roll it back: the rows give the generator every column the ORM
    sets."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        manager = env["res.users"].browse(people["manager_ids"][0])
        cn = env.ref("base.cn")
        state = env["res.country.state"].search([("country_id", "=", cn.id)], limit=1)
        Partner = env["res.partner"]
        company = Partner.create(
            {
                "name": "Bench Template Co.",
                "is_company": True,
                "customer_rank": 1,
                "user_id": manager.id,
                "country_id": cn.id,
                "state_id": state.id,
                "city": "Shanghai",
                "street": "1 Century Avenue",
                "zip": "200120",
                "phone": "+86 21 6552 0001",
                "email": "info@tpl.example.cn",
                "customer_level_id": _dictionary(env, "customer_level")[0],
                "customer_source_id": _dictionary(env, "customer_source")[0],
                "company_nature_id": _dictionary(env, "company_nature")[0],
                "annual_revenue_id": _dictionary(env, "annual_revenue")[0],
                "employee_count_id": _dictionary(env, "employee_count")[0],
                "region_id": _dictionary(env, "region")[0],
                "rating": "2",
                "satisfaction": 4,
                "credit_rating": 3,
            }
        )
        contact = Partner.create(
            {
                "name": "Zhang Wei",
                "parent_id": company.id,
                "type": "contact",
                "gender": "male",
                "function": "Purchasing Manager",
                "phone": "+86 21 6552 0002",
                "mobile": "13812345678",
                "email": "zhang.wei@tpl.example.cn",
            }
        )
        order = env["sale.order"].create(
            {
                "partner_id": contact.id,
                "user_id": manager.id,
                "team_id": people["team_ids"][0],
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": people["product_id"],
                            "product_uom_qty": 3,
                            "price_unit": 123.45,
                        },
                    )
                ],
            }
        )
        order.action_confirm()
        service_type = env["crm.dictionary.item"].search(
            [("category", "=", "service_type")], limit=1
        )
        ticket = (
            env["helpdesk.ticket"]
            .with_user(manager)
            .create(
                {
                    "name": "Bench template service",
                    "description": "<p>The customer asks for a visit.</p>",
                    "partner_id": contact.id,
                    "service_type_id": service_type.id,
                }
            )
        )
        lead = env["crm.lead"].create(
            {
                "name": "Bench template opportunity",
                "type": "opportunity",
                # development opportunities: the status is theirs (O1-O8)
                "is_development": True,
                "partner_id": company.id,
                "user_id": manager.id,
                "team_id": people["team_ids"][0],
                "expected_revenue": 10000,
            }
        )
        interaction = env["crm.interaction"].create(
            {
                "partner_id": company.id,
                "contact_id": contact.id,
                "date": date.today(),
                "summary": "Visit",
                "place": "Customer office",
                "user_id": manager.id,
            }
        )
        warning = env["crm.churn.warning"].create(
            {"partner_id": company.id, "last_order_date": date.today()}
        )
        log = env["crm.customer.ownership.log"].create(
            {
                "partner_id": company.id,
                "to_user_id": manager.id,
                "method": "assign",
                "reason": "Template",
                "pool_id": people["east_pool_id"],
            }
        )
        env.flush_all()
        templates = {
            "company": _row(cr, "res_partner", company.id),
            "contact": _row(cr, "res_partner", contact.id),
            "order": _row(cr, "sale_order", order.id),
            "line": _row(cr, "sale_order_line", order.order_line.id),
            "ticket": _row(cr, "helpdesk_ticket", ticket.id),
            "lead": _row(cr, "crm_lead", lead.id),
            "interaction": _row(cr, "crm_interaction", interaction.id),
            "warning": _row(cr, "crm_churn_warning", warning.id),
            "log": _row(cr, "crm_customer_ownership_log", log.id),
        }
        cr.rollback()
        return templates


def references(registry):
    """Ids the generator draws from: dictionaries, stages, countries."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cn = env.ref("base.cn")
        stages = env["helpdesk.ticket.stage"].search([("service_state", "!=", False)])
        crm_stages = env["crm.stage"].search([], order="sequence, id")
        return {
            "levels": _dictionary(env, "customer_level"),
            "sources": _dictionary(env, "customer_source"),
            "natures": _dictionary(env, "company_nature"),
            "revenues": _dictionary(env, "annual_revenue"),
            "employees": _dictionary(env, "employee_count"),
            "regions": _dictionary(env, "region"),
            "service_types": _dictionary(env, "service_type"),
            "service_stages": {stage.service_state: stage.id for stage in stages},
            "industries": env["res.partner.industry"].search([]).ids or [None],
            "country_id": cn.id,
            "state_ids": env["res.country.state"]
            .search([("country_id", "=", cn.id)])
            .ids,
            "open_stage_ids": crm_stages.filtered(lambda s: not s.is_won).ids,
            "won_stage_id": crm_stages.filtered("is_won")[:1].id,
            "service_hours": {
                item.id: (item.service_assign_hours, item.service_handle_hours)
                for item in env["crm.dictionary.item"].search(
                    [("category", "=", "service_type")]
                )
            },
        }


# ---------------------------------------------------------------------------
# SQL part
# ---------------------------------------------------------------------------


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
        _fill_followups(cr, templates, today)
        _fill_history(cr, people, templates)
        _fill_opportunities(cr, scale, people, refs, templates, today)
        _fill_services(cr, scale, refs, templates, today)
        _fill_churn_warnings(cr, templates, today)
        _fill_recycle_dates(cr, people, today)
        _fill_report_summaries(cr)
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
            _sync_sequence(cr, table)
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
        base = _next_id(cr, "res_partner")
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
        base = _next_id(cr, "sale_order")
        line_base = _next_id(cr, "sale_order_line")
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
    more than 6 months ago (see _fill_churn_warnings)."""
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


def _fill_followups(cr, templates, today):
    """One interaction record 交往记录 per customer on its last follow-up."""
    with Timer("interaction records"):
        base = _next_id(cr, "crm_interaction")
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


def _fill_history(cr, people, templates):
    """The ownership change that made each customer what it is (P7)."""
    with Timer("ownership history"):
        base = _next_id(cr, "crm_customer_ownership_log")
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


def _fill_opportunities(cr, scale, people, refs, templates, today):
    """Open opportunities on some owned customers (they exempt them from
    recycling) and closed ones (won / lost) for the conversion rates."""
    with Timer("opportunities"):
        tpl = templates["lead"]
        base = _next_id(cr, "crm_lead")
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


def _fill_services(cr, scale, refs, templates, today):
    """Customer services 客户服务: helpdesk tickets with a service type, in
    the four service stages, over the years."""
    with Timer(f"{scale.services} services"):
        tpl = templates["ticket"]
        base = _next_id(cr, "helpdesk_ticket")
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


def _fill_churn_warnings(cr, templates, today):
    """Customers that stopped buying: some losses are confirmed 确认流失 (and
    marked lost), some warnings are still open."""
    with Timer("churn warnings"):
        tpl = templates["warning"]
        base = _next_id(cr, "crm_churn_warning")
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


def _fill_recycle_dates(cr, people, today):
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


def table_columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def _fill_report_summaries(cr):
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


def vacuum_analyze(dsn_kwargs, tables=()):
    """VACUUM ANALYZE the database, or these tables (outside a transaction):
    the measures roll back what they write, which leaves dead rows that a
    real database would not carry."""
    label = "VACUUM ANALYZE " + (", ".join(tables) if tables else "")
    with Timer(label.strip()):
        connection = psycopg2.connect(**dsn_kwargs)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                if tables:
                    cursor.execute(
                        SQL(
                            "VACUUM (ANALYZE) %s",
                            SQL(", ").join(SQL.identifier(t) for t in tables),
                        ).code
                    )
                else:
                    cursor.execute("VACUUM (ANALYZE)")
        finally:
            connection.close()
