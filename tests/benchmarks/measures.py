"""The measures of the benchmark and their hand-written SQL floors.

Timed measures run the product and its floor alternately, each in a
transaction rolled back afterwards, and keep the best of ``runs`` runs of
each side. Both sides must have the same effect (same rows changed, same
log rows, same aggregates): a floor that does less work is no floor, so a
different effect fails the row.
"""

import logging
import math
import re
import time
from dataclasses import dataclass, field
from datetime import date

import datagen
import floors
from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil, safe_eval
from odoo.tools.safe_eval import time as safe_time

_logger = logging.getLogger("crm_bench")

RATIO_TARGET = 1.3
LIST_QUERY_TARGET = 15
RECYCLE_CRON = "crm_custom.ir_cron_crm_customer_pool_recycle"
CHURN_CRON = "crm_custom.ir_cron_crm_churn_warning"
POOL_LIST_ACTION = "crm_custom.action_crm_customer_pool"


@dataclass
class Context:
    registry: object
    scale: datagen.Scale
    runs: int
    db: str
    odoo_args: list
    today: date
    work_dir: str = ""
    cache: dict = field(default_factory=dict)

    def env(self, cr, uid=SUPERUSER_ID, context=None):
        return api.Environment(cr, uid, context or {})

    def user_id(self, login):
        key = ("user", login)
        if key not in self.cache:
            with self.registry.cursor() as cr:
                cr.execute("SELECT id FROM res_users WHERE login = %s", [login])
                self.cache[key] = cr.fetchone()[0]
        return self.cache[key]

    def xmlid(self, xmlid):
        key = ("xmlid", xmlid)
        if key not in self.cache:
            with self.registry.cursor() as cr:
                self.cache[key] = self.env(cr).ref(xmlid).id
        return self.cache[key]


def existing_tables(registry, *tables):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname = ANY(%s)",
            [list(tables)],
        )
        found = {row[0] for row in cr.fetchall()}
    return [table for table in tables if table in found]


def result(name, value, unit, *, floor=None, ratio=None, target=None, met=False):
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "floor": floor,
        "ratio": None if ratio is None else round(ratio, 3),
        "target": target,
        "met": bool(met),
    }


def timed_result(name, product, floor, same_effect, note=""):
    """A timed row. A floor that did other work than the product is no
    floor: the row then has none, and misses its target."""
    if not same_effect:
        _logger.error(
            "%s: the product and its floor did not do the same work %s", name, note
        )
        floor = None
    return result(
        name,
        round(product, 6),
        "s",
        floor=None if floor is None else round(floor, 6),
        ratio=product / floor if floor else None,
        target=f"ratio <= {RATIO_TARGET}",
        met=bool(floor) and product / floor <= RATIO_TARGET,
    )


def best_of(ctx, label, product_run, floor_run):
    """Alternate product and floor runs; each run returns (seconds, effect).
    At full scale, short measures run more often (up to 2 s in all, 25
    runs) so that the best of each side is not the timer's noise. Return
    (best product time, best floor time, product effect, floor effect)."""
    product_times, floor_times = [], []
    product_effect = floor_effect = None
    budget = 2.0 if ctx.scale.name == "full" else 0.0
    while len(product_times) < ctx.runs or (
        sum(product_times) + sum(floor_times) < budget and len(product_times) < 25
    ):
        seconds, product_effect = product_run()
        product_times.append(seconds)
        seconds, floor_effect = floor_run()
        floor_times.append(seconds)
        _logger.info(
            "%s run %s: product %.4f s, floor %.4f s",
            label,
            len(product_times),
            product_times[-1],
            floor_times[-1],
        )
    _logger.info("%s effect: product %s, floor %s", label, product_effect, floor_effect)
    return min(product_times), min(floor_times), product_effect, floor_effect


def _cron_call(env, xmlid):
    """The model and method a scheduled action calls (its code is
    ``model._method(...)``); called without arguments, i.e. without the
    commits the scheduled action asks for."""
    cron = env.ref(xmlid)
    match = re.search(r"model\.(\w+)\(", cron.code or "")
    if not match:
        raise ValueError(f"{xmlid}: cannot find the method in {cron.code!r}")
    return getattr(env[cron.model_id.model], match.group(1))


# ---------------------------------------------------------------------------
# Consistency of the data
# ---------------------------------------------------------------------------


def measure_consistency(ctx, checks):
    drift = checks.derived_columns_drift(ctx.registry)
    drift.update(checks.summary_tables_drift(ctx.registry))
    _logger.info("derived columns and summary tables drift: %s", drift)
    mismatches = checks.recompute_drift(ctx.registry)
    examples = {}
    for mismatch in mismatches:
        examples.setdefault(mismatch[:2], []).append(mismatch[2:])
    for (model, fname), values in examples.items():
        _logger.warning(
            "%s.%s: %s records differ from their recomputed value, e.g. id %s: "
            "stored %r, recomputed %r",
            model,
            fname,
            len(values),
            *values[0],
        )
    return [
        result(
            "data: derived columns and summaries drift",
            sum(drift.values()),
            "rows",
            target="= 0",
            met=not any(drift.values()),
        ),
        result(
            "data: ORM recompute drift",
            len(mismatches),
            "values",
            target="= 0",
            met=not mismatches,
        ),
    ]


def _max_id(cr, table):
    cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
    return cr.fetchone()[0]


# ---------------------------------------------------------------------------
# Analyses (R1-R6): each default pivot through read_group
# ---------------------------------------------------------------------------


def _eval_context(env, today):
    return {
        "uid": env.uid,
        "user": env.user,
        "context_today": lambda: today,
        "time": safe_time,
        "datetime": safe_datetime,
        "dateutil": dateutil,
        "relativedelta": dateutil.relativedelta.relativedelta,
        "current_date": today.strftime("%Y-%m-%d"),
        "allowed_company_ids": env.user.company_ids.ids,
    }


def pivot_specs(env, today):
    """The default pivot of every window action of crm_custom_reports: model,
    domain, context, row and column groupbys, measures."""
    data = env["ir.model.data"].search(
        [("module", "=", "crm_custom_reports"), ("model", "=", "ir.actions.act_window")]
    )
    specs = []
    for action in env["ir.actions.act_window"].browse(data.mapped("res_id")):
        if "pivot" not in (action.view_mode or "").split(","):
            continue
        model = env[action.res_model]
        eval_context = _eval_context(env, today)
        domain = safe_eval(action.domain or "[]", eval_context)
        action_context = safe_eval(action.context or "{}", eval_context)
        pivot_view = next(
            (v.view_id.id for v in action.view_ids if v.view_mode == "pivot"), False
        )
        views = model.get_views(
            [(pivot_view, "pivot"), (action.search_view_id.id or False, "search")]
        )["views"]
        arch = etree.fromstring(views["pivot"]["arch"])
        rows, cols, measures = [], [], []
        for node in arch.iter("field"):
            name = node.get("name")
            if node.get("interval"):
                name = f"{name}:{node.get('interval')}"
            kind = node.get("type")
            if kind == "row":
                rows.append(name)
            elif kind == "col":
                cols.append(name)
            elif kind == "measure":
                measures.append(node.get("name"))
        search_arch = etree.fromstring(views["search"]["arch"])
        for node in search_arch.iter("filter"):
            if not action_context.get(f"search_default_{node.get('name')}"):
                continue
            if node.get("domain"):
                domain += safe_eval(node.get("domain"), eval_context)
            if node.get("context"):
                group_by = safe_eval(node.get("context"), eval_context).get("group_by")
                if group_by:
                    rows = (
                        rows if rows and "pivot_row_groupby" in action_context else []
                    )
                    rows += [group_by] if isinstance(group_by, str) else list(group_by)
            if node.get("date"):
                raise NotImplementedError(f"{action.xml_id}: default date filter")
        rows = action_context.get("pivot_row_groupby", rows)
        cols = action_context.get("pivot_column_groupby", cols)
        measures = action_context.get("pivot_measures", measures) or ["__count"]
        measures = [m for m in measures if m != "__count"]
        fields_info = model.fields_get(attributes=["type", "aggregator", "relation"])
        specs.append(
            {
                "aggregators": {
                    m: "count_distinct"
                    if fields_info[m]["type"] == "many2one"
                    else fields_info[m].get("aggregator")
                    for m in measures
                },
                "relations": {
                    name: info.get("relation")
                    for name, info in fields_info.items()
                    if info["type"] == "many2one"
                },
                "date_fields": {
                    name: info["type"] in ("date", "datetime")
                    for name, info in fields_info.items()
                },
                "action": action.xml_id or action.name,
                "name": action.with_context(lang="en_US").name,
                "model": action.res_model,
                "domain": domain,
                "context": {
                    k: v
                    for k, v in action_context.items()
                    if not k.startswith(("search_default_", "pivot_"))
                },
                "groupby": [*rows, *cols],
                "measures": measures,
            }
        )
    return specs


def _same_effect(first, second):
    return first.keys() == second.keys() and all(
        math.isclose(first[key], second[key], rel_tol=1e-6, abs_tol=0.01)
        for key in first
    )


def _groups_effect(groups, measures):
    """What a pivot shows, reduced for comparison: the number of groups and
    the sum over the groups of each measure."""
    return {
        "groups": len(groups),
        **{
            name: round(sum(float(group[name] or 0) for group in groups), 2)
            for name in measures
        },
    }


def measure_reports(ctx):
    with ctx.registry.cursor() as cr:
        specs = pivot_specs(ctx.env(cr), ctx.today)
    manager_id = ctx.user_id(datagen.SALES_MANAGER_LOGIN)
    results = []
    for spec in specs:
        name = f"pivot {spec['name']}"
        floor_sql = floors.report_sql(spec, ctx.today)
        if floor_sql is None:
            _logger.error(
                "%s: no floor for %s grouped by %s",
                name,
                spec["model"],
                spec["groupby"],
            )
            results.append(
                result(name, None, "s", target=f"ratio <= {RATIO_TARGET}", met=False)
            )
            continue

        def product_run(spec=spec):
            with ctx.registry.cursor() as cr:
                env = ctx.env(
                    cr,
                    manager_id,
                    {"lang": "en_US", "tz": "Asia/Shanghai", **spec["context"]},
                )
                Report = env[spec["model"]]
                measure_specs = [f"{m}:{a}" for m, a in spec["aggregators"].items()]
                start = time.perf_counter()
                groups = Report.read_group(
                    spec["domain"], measure_specs, spec["groupby"], lazy=False
                )
                elapsed = time.perf_counter() - start
                cr.rollback()
            return elapsed, _groups_effect(groups, spec["measures"])

        def floor_run(floor_sql=floor_sql, spec=spec):
            with ctx.registry.cursor() as cr:
                start = time.perf_counter()
                cr.execute(floor_sql)
                rows = cr.dictfetchall()
                elapsed = time.perf_counter() - start
                cr.rollback()
            return elapsed, _groups_effect(rows, spec["measures"])

        product, floor, p_effect, f_effect = best_of(ctx, name, product_run, floor_run)
        results.append(
            timed_result(
                f"{name} ({p_effect['groups']:,} groups)",
                product,
                floor,
                _same_effect(p_effect, f_effect),
                f"{p_effect} != {f_effect}",
            )
        )
    return results


# ---------------------------------------------------------------------------
# Claiming one customer (P2): queries independent of the pool size
# ---------------------------------------------------------------------------


def _fill_pool_with_everyone(cr, pool_id, today):
    """Move every customer into ``pool_id`` (in the caller's transaction)."""
    cr.execute(
        """
        UPDATE res_partner
           SET user_id = NULL, pool_id = %(pool)s, home_pool_id = %(pool)s,
               commercial_user_id = NULL, commercial_pool_id = %(pool)s,
               pool_state = 'pool', date_owned = NULL, recycle_date = NULL,
               pool_entry_date = COALESCE(pool_entry_date, %(entry)s)
         WHERE is_company AND pool_state IS NOT NULL
        """,
        {"pool": pool_id, "entry": today.replace(day=1).replace(year=today.year - 1)},
    )
    cr.execute(
        """
        UPDATE res_partner
           SET pool_state = 'pool', commercial_user_id = NULL,
               commercial_pool_id = %(pool)s
         WHERE NOT is_company AND pool_state IS NOT NULL
        """,
        {"pool": pool_id},
    )
    cr.execute(
        "SELECT COUNT(*) FROM res_partner WHERE pool_id = %s AND is_company", [pool_id]
    )
    return cr.fetchone()[0]


def _claim_queries(ctx, manager_id, pool_id, customer_ids, fill_everyone):
    with ctx.registry.cursor() as cr:
        env = ctx.env(cr)
        if fill_everyone:
            size = _fill_pool_with_everyone(cr, pool_id, ctx.today)
        else:
            cr.execute(
                "SELECT COUNT(*) FROM res_partner WHERE pool_id = %s AND is_company",
                [pool_id],
            )
            size = cr.fetchone()[0]
        env.invalidate_all()
        user_env = ctx.env(cr, manager_id, {"lang": "en_US", "tz": "Asia/Shanghai"})
        Partner = user_env["res.partner"]
        # A first claim warms the caches of the registry (access rights,
        # record rules), as on a server that has been running.
        Partner.browse(customer_ids[0]).action_pool_claim()
        user_env.flush_all()
        user_env.invalidate_all()
        before = cr.sql_log_count
        Partner.browse(customer_ids[1]).action_pool_claim()
        user_env.flush_all()
        queries = cr.sql_log_count - before
        cr.rollback()
    return size, queries


def measure_claim_queries(ctx):
    with ctx.registry.cursor() as cr:
        cr.execute(
            "SELECT id FROM crm_customer_pool WHERE name->>'en_US' = %s",
            ["Bench East Pool"],
        )
        pool_id = cr.fetchone()[0]
        manager_id = ctx.user_id(datagen.MANAGER_LOGIN % 1)
        cr.execute(
            """
            SELECT id FROM res_partner
             WHERE pool_id = %s AND is_company
               AND pool_previous_user_id IS DISTINCT FROM %s
             ORDER BY id LIMIT 2
            """,
            [pool_id, manager_id],
        )
        customer_ids = [row[0] for row in cr.fetchall()]
    small_size, small = _claim_queries(ctx, manager_id, pool_id, customer_ids, False)
    large_size, large = _claim_queries(ctx, manager_id, pool_id, customer_ids, True)
    _logger.info(
        "claim: %s queries with %s customers in the pool, %s with %s",
        small,
        small_size,
        large,
        large_size,
    )
    return [
        result(
            f"claim one customer ({large_size:,} in pool)",
            large,
            "queries",
            floor=small,
            ratio=large / small if small else None,
            target=f"= queries with {small_size:,} in pool",
            met=large == small,
        )
    ]


# ---------------------------------------------------------------------------
# One page of the pool list (P4, P9)
# ---------------------------------------------------------------------------


def list_specification(env, action, view_env=None):
    """What the web client asks web_search_read for the action's list view
    (``view_env``: the environment of the user the view is for, default
    ``env``)."""
    model = (view_env or env)[action.res_model]
    list_view = next(
        (v.view_id.id for v in action.view_ids if v.view_mode == "list"), False
    )
    view = model.get_views([(list_view, "list")])["views"]["list"]
    arch = etree.fromstring(view["arch"])
    fields_info = model.fields_get()
    spec = {}
    for node in arch:
        if node.tag != "field":
            continue
        name = node.get("name")
        ftype = fields_info[name]["type"]
        if ftype in ("many2one", "many2many", "one2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    # Days left before recycling (距到期天数) is part of the measured page.
    if "days_to_recycle" in model._fields:
        spec.setdefault("days_to_recycle", {})
    order = arch.get("default_order") or model._order
    return spec, order


def measure_pool_list(ctx):
    manager_id = ctx.user_id(datagen.MANAGER_LOGIN % 1)
    with ctx.registry.cursor() as cr:
        env = ctx.env(cr)
        action = env.ref(POOL_LIST_ACTION)
        spec, order = list_specification(env, action)
        eval_context = _eval_context(env, ctx.today)
        domain = safe_eval(action.domain or "[]", {**eval_context, "uid": manager_id})
        action_context = safe_eval(action.context or "{}", eval_context)
        user_env = ctx.env(
            cr,
            manager_id,
            {
                "lang": "en_US",
                "tz": "Asia/Shanghai",
                "bin_size": True,
                **action_context,
            },
        )
        Partner = user_env["res.partner"]

        def page():
            return Partner.web_search_read(
                domain, spec, offset=0, limit=80, order=order, count_limit=10001
            )

        page()  # warms the registry caches
        user_env.invalidate_all()
        before = cr.sql_log_count
        data = page()
        queries = cr.sql_log_count - before
        cr.rollback()
    rows = len(data["records"])
    _logger.info(
        "pool list page: %s rows of %s, %s queries, fields %s",
        rows,
        data["length"],
        queries,
        sorted(spec),
    )
    return [
        result(
            f"pool list page ({rows} rows)",
            queries,
            "queries",
            target=f"<= {LIST_QUERY_TARGET}",
            met=queries <= LIST_QUERY_TARGET and rows == 80,
        )
    ]
