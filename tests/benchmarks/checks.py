"""Consistency of the generated data, judged by the product's own code.

Two checks, each in a transaction rolled back afterwards:

- the product's set-based refreshers of its derived partner columns (recycle
  date, last order date and buying cycle) would change no row;
- recomputing the stored computed fields of a sample of every generated
  table through the ORM gives the stored values.
"""

import logging
import math
from datetime import date

import datagen

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL

_logger = logging.getLogger("crm_bench")

# Derived partner columns the product maintains with its own SQL.
DERIVED_PARTNER_COLUMNS = (
    "recycle_date",
    "last_order_date",
    "churn_purchase_count",
    "churn_median_interval",
)

# Models generated in SQL and how to sample them.
SAMPLED_MODELS = {
    "res.partner": [("is_company", "=", True)],
    "res.partner#contacts": [("is_company", "=", False), ("parent_id", "!=", False)],
    "sale.order": [],
    "sale.order.line": [],
    "helpdesk.ticket": [],
    "crm.lead": [],
    "crm.interaction": [],
    "crm.churn.warning": [],
    "crm.customer.ownership.log": [],
}

# Stored computed fields whose value depends on when they are computed, not
# on the data: recomputing them later gives another value by design.
VOLATILE_FIELDS = {
    # Odoo's predictive lead scoring, refreshed from frequency tables.
    "crm.lead": {"automated_probability", "probability", "prorated_revenue"},
    # The quotation validity counts from the day the quotation is made.
    "sale.order": {"validity_date"},
}


def derived_columns_drift(registry):
    """Number of partner rows whose derived columns the product's refreshers
    would change, per column."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Partner = env["res.partner"]
        columns = [c for c in DERIVED_PARTNER_COLUMNS if c in Partner._fields]
        cr.execute(
            SQL(
                "CREATE TEMP TABLE bench_snapshot ON COMMIT DROP AS"
                " SELECT id, %s FROM res_partner",
                SQL(", ").join(SQL.identifier(c) for c in columns),
            )
        )
        if hasattr(Partner, "_churn_refresh_all_order_stats"):
            Partner._churn_refresh_all_order_stats()
        Pool = env["crm.customer.pool"]
        if hasattr(Pool, "_refresh_recycle_dates"):
            Pool._refresh_recycle_dates()
        env.flush_all()
        drift = {}
        for column in columns:
            cr.execute(
                SQL(
                    "SELECT COUNT(*) FROM res_partner p JOIN bench_snapshot s"
                    " ON s.id = p.id WHERE p.%s IS DISTINCT FROM s.%s",
                    SQL.identifier(column),
                    SQL.identifier(column),
                )
            )
            drift[column] = cr.fetchone()[0]
        cr.rollback()
    return drift


# Summary tables of crm_custom_reports and the method that rebuilds them
# from the orders.
SUMMARY_TABLES = ("crm_customer_sales_month", "crm_customer_sales_total")
SUMMARY_REBUILD = ("crm.customer.sales.month", "_rebuild")


def summary_tables_drift(registry):
    """Rows of the reports' summary tables that differ from what the
    product's rebuild computes (rows missing on either side)."""
    drift = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        model_name, method = SUMMARY_REBUILD
        if model_name not in env:
            return drift
        tables = {t: datagen.table_columns(cr, t) for t in SUMMARY_TABLES}
        tables = {t: columns for t, columns in tables.items() if columns}
        for table, columns in tables.items():
            cr.execute(
                SQL(
                    "CREATE TEMP TABLE %s ON COMMIT DROP AS SELECT %s FROM %s",
                    SQL.identifier(f"bench_snap_{table}"),
                    SQL(", ").join(SQL.identifier(c) for c in columns),
                    SQL.identifier(table),
                )
            )
        getattr(env[model_name], method)()
        env.flush_all()
        for table, columns in tables.items():
            select = SQL(", ").join(SQL.identifier(c) for c in columns)
            snapshot = SQL.identifier(f"bench_snap_{table}")
            cr.execute(
                SQL(
                    "SELECT (SELECT COUNT(*) FROM (SELECT %(cols)s FROM %(table)s"
                    " EXCEPT ALL SELECT %(cols)s FROM %(snap)s) a)"
                    " + (SELECT COUNT(*) FROM (SELECT %(cols)s FROM %(snap)s"
                    " EXCEPT ALL SELECT %(cols)s FROM %(table)s) b)",
                    cols=select,
                    table=SQL.identifier(table),
                    snap=snapshot,
                )
            )
            drift[table] = cr.fetchone()[0]
        cr.rollback()
    return drift


def _same(field, old, new):
    if field.type == "float" or field.type == "monetary":
        return math.isclose(old or 0.0, new or 0.0, rel_tol=1e-9, abs_tol=1e-6)
    if field.type in ("many2one", "many2many", "one2many"):
        return old.ids == new.ids
    if isinstance(old, date) or isinstance(new, date):
        return old == new
    return (old or False) == (new or False)


def recompute_drift(registry, sample_size=40):
    """Recompute the stored computed fields of ``sample_size`` records of
    each generated model; return the list of (model, field, record id,
    stored, recomputed) that differ."""
    mismatches = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
        for key, domain in SAMPLED_MODELS.items():
            model_name = key.split("#")[0]
            Model = env[model_name]
            total = Model.search_count(domain)
            step = max(total // sample_size, 1)
            ids = Model.search(domain, order="id").ids[::step][:sample_size]
            records = Model.browse(ids)
            volatile = VOLATILE_FIELDS.get(model_name, set())
            for field in Model._fields.values():
                if not (field.store and field.compute) or field.name in volatile:
                    continue
                env.transaction.clear()
                stored = {record.id: record[field.name] for record in records}
                env.add_to_compute(field, records)
                Model._recompute_field(field, records.ids)
                for record in records:
                    new = record[field.name]
                    if not _same(field, stored[record.id], new):
                        mismatches.append(
                            (
                                model_name,
                                field.name,
                                record.id,
                                _show(stored[record.id]),
                                _show(new),
                            )
                        )
                env.transaction.clear()
        cr.rollback()
    return mismatches


def _show(value):
    if hasattr(value, "ids"):
        return value.ids
    if isinstance(value, date):
        return fields.Datetime.to_string(value)
    return value
