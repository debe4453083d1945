"""Importing customers through base_import (C5, C8; issue 18): a file of
new customer companies (name, credit code 统一社会信用代码, phone, mobile,
email, address) imported by a customer manager from My Customers, with the
product's file checks, validation and duplicate check 查重, against Odoo's
plain import of the same file on the benchmark's base database (the
standard addons without ours), in the same run, the best of ``--runs``
(at least 2) for each. Target: ratio <= 1.5.

The plain side runs on a copy of the cached database of the standard
addons (``crm_bench_base_*``), opened in this process as a second
registry; each import runs in a transaction rolled back afterwards."""

import cProfile
import csv
import io
import logging
import os
import subprocess
import time

import datagen
from measures import result

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger("crm_bench")

IMPORT_RATIO_TARGET = 1.5
FULL_ROWS = 10_000
FIELDS = ["name", "is_company", "vat", "phone", "mobile", "email", "street", "city"]
OPTIONS = {
    "has_headers": True,
    "quoting": '"',
    "separator": ",",
    "encoding": "utf-8",
    "date_format": "",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "fields": [],
}


def import_rows(scale):
    return FULL_ROWS if scale.name == "full" else FULL_ROWS // 10


def credit_code(index):
    """A valid 统一社会信用代码 (check digit of GB 32100-2015)."""
    from stdnum.cn import uscc  # noqa: PLC0415

    base = f"913100000{index:08d}"
    return base + uscc.calc_check_digit(base)


def import_file(rows):
    """The CSV file: ``rows`` new customer companies, none a duplicate of
    another or of the generated customers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    for index in range(1, rows + 1):
        writer.writerow(
            [
                f"Bench Imported Trading {index:05d} 有限公司",
                "True",
                credit_code(index),
                f"021-{60000000 + index}",
                f"+86 139{index:08d}",
                f"buyer{index:05d}@imported.example.cn",
                f"{index} Imported Road",
                "Shanghai",
            ]
        )
    return buffer.getvalue().encode()


def _run_import(registry, uid, context, content, label="import"):
    """Import the file in a transaction rolled back; (seconds, created
    customers, messages). With ``CRM_BENCH_PROFILE`` set to a directory,
    the import runs under cProfile and its stats are dumped there as
    ``<label>.pstats`` (the timing then includes the profiler's cost)."""
    profile_dir = os.environ.get("CRM_BENCH_PROFILE")
    profiler = cProfile.Profile() if profile_dir else None
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, context)
        wizard = env["base_import.import"].create(
            {"res_model": "res.partner", "file": content, "file_type": "text/csv"}
        )
        env.flush_all()
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        outcome = wizard.execute_import(FIELDS, FIELDS, dict(OPTIONS))
        env.flush_all()
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - start
        cr.rollback()
    if profiler:
        os.makedirs(profile_dir, exist_ok=True)
        profiler.dump_stats(os.path.join(profile_dir, f"{label}.pstats"))
    messages = [
        message.get("message")
        for message in outcome.get("messages", [])
        if message.get("type") == "error"
    ]
    return elapsed, len(outcome.get("ids") or []), messages


def _pg(*command):
    import bench  # noqa: PLC0415 - the runner's PostgreSQL options

    return bench._pg_command(*command)


def measure(ctx):
    """Measure group ``import``."""
    import odoo  # noqa: PLC0415

    template = ctx.cache.get("plain_template")
    rows = import_rows(ctx.scale)
    name = f"import {rows:,} customers with 查重 (base_import)"
    if not template:
        _logger.error("%s: no database of the standard addons to compare with", name)
        return [result(name, None, "s", target=f"ratio <= {IMPORT_RATIO_TARGET}")]
    content = import_file(rows)
    manager_id = ctx.user_id(datagen.MANAGER_LOGIN % 1)
    product_context = {
        "lang": "en_US",
        "tz": "Asia/Shanghai",
        "default_is_company": True,
        "res_partner_search_mode": "customer",
        "default_user_id": manager_id,
        "import_file": True,
    }
    plain_context = {"lang": "en_US", "tz": "Asia/Shanghai", "import_file": True}
    plain_db = f"{ctx.db}_plain"
    subprocess.run(_pg("dropdb", "--if-exists", "--force", plain_db), check=False)
    subprocess.run(_pg("createdb", "-T", template, plain_db), check=True)
    product_times, plain_times = [], []
    try:
        plain_registry = odoo.modules.registry.Registry(plain_db)
        # A run of 10,000 rows takes tens of seconds, and one run of either
        # side varies by a quarter from the next (plain Odoo: 18.8 to 24.3
        # s on one machine): the best of --runs, interleaved.
        for _run in range(max(ctx.runs, 2)):
            seconds, product_count, product_errors = _run_import(
                ctx.registry, manager_id, product_context, content, "product"
            )
            product_times.append(seconds)
            seconds, plain_count, plain_errors = _run_import(
                plain_registry, SUPERUSER_ID, plain_context, content, "plain"
            )
            plain_times.append(seconds)
            _logger.info(
                "import run: product %.2f s (%s created, errors %s), plain %.2f s "
                "(%s created, errors %s)",
                product_times[-1],
                product_count,
                product_errors[:3],
                plain_times[-1],
                plain_count,
                plain_errors[:3],
            )
    finally:
        odoo.sql_db.close_db(plain_db)
        odoo.modules.registry.Registry.delete(plain_db)
        subprocess.run(_pg("dropdb", "--if-exists", "--force", plain_db), check=False)
    product, plain = min(product_times), min(plain_times)
    same = product_count == plain_count == rows
    if not same:
        _logger.error(
            "%s: product created %s, plain Odoo %s of %s rows",
            name,
            product_count,
            plain_count,
            rows,
        )
    return [
        result(
            name,
            round(product, 4),
            "s",
            floor=round(plain, 4) if same else None,
            ratio=product / plain if same and plain else None,
            target=f"ratio <= {IMPORT_RATIO_TARGET} x plain Odoo",
            met=same and product / plain <= IMPORT_RATIO_TARGET,
        )
    ]
