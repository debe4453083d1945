"""Fill the benchmark database directly in PostgreSQL.

The few users, sales teams and pools go through the ORM (here); everything
else is written with ``INSERT ... SELECT generate_series`` statements
(``datagen_fill``: customers, contacts and orders; ``datagen_activity``:
what happened to those customers), with the helpers defined here. Each table is
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


def next_id(cr, table):
    cr.execute(SQL("SELECT COALESCE(MAX(id), 0) + 1 FROM %s", SQL.identifier(table)))
    return cr.fetchone()[0]


def sync_sequence(cr, table):
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


def table_columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


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
