"""The scale benchmark: a company of the full size in PostgreSQL, every hot
path of the product held against the best hand-written SQL.

Run through ``tests/benchmarks/run [--scale small|full]`` (see README.md,
"Benchmarks"). Steps:

1. create a throwaway database and install the three addons without demo
   data;
2. create the users, sales teams and pools through the ORM, then fill the
   customers, contacts, orders, services, opportunities, interaction
   records, churn warnings and ownership history directly in PostgreSQL
   (``datagen.py``), VACUUM ANALYZE;
3. check that every derived field is consistent (``checks.py``);
4. measure (``measures.py``, ``http_claims.py``), print a table and write
   ``bench-results.json`` in the current directory;
5. drop the database.
"""

import argparse
import ast
import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

import checks
import datagen
import datagen_fill
import datagen_targets
import http_claims
import measures
import measures_crons
import measures_hotpaths
import measures_import
import orders
import replica

_logger = logging.getLogger("crm_bench")

ADDONS = "crm_custom,crm_custom_service,crm_custom_reports"
RESULT_KEYS = ("name", "value", "unit", "floor", "ratio", "target", "met")


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="tests/benchmarks/run",
        description="Scale benchmark of the CRM addons against SQL floors.",
    )
    parser.add_argument("--scale", choices=("small", "full"), default="small")
    parser.add_argument("--repo", required=True, help=argparse.SUPPRESS)
    parser.add_argument("--db", help="database name (default: a new crm_bench_* name)")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="measure an existing database filled by an earlier --keep-db run",
    )
    parser.add_argument(
        "--no-base-cache",
        action="store_true",
        help="install every addon from scratch instead of copying the cached "
        "database of the standard addons (crm_bench_base_*)",
    )
    parser.add_argument(
        "--template",
        help="copy this database (the three addons installed, no demo data, "
        "not filled) instead of installing: saves minutes while developing",
    )
    parser.add_argument(
        "--keep-db", action="store_true", help="do not drop the database at the end"
    )
    parser.add_argument("--runs", type=int, help="timed runs per side (best is kept)")
    parser.add_argument(
        "--output", default="bench-results.json", help="results file (JSON)"
    )
    parser.add_argument(
        "--fail-on-miss",
        action="store_true",
        help="exit with status 1 when a target is missed",
    )
    parser.add_argument(
        "--only",
        help="comma-separated measure groups: consistency, recycle, churn, "
        "reports, claim, list, pages, duplicate, workbench, import, http, orders",
    )
    parser.add_argument(
        "--nodes",
        type=int,
        default=1,
        help="with --replica: the number of Odoo servers (2) sharing the "
        "primary and its streaming replica",
    )
    parser.add_argument(
        "--replica",
        action="store_true",
        help="scale-out: start a PostgreSQL streaming replica of the primary "
        "(pg_basebackup) and --nodes Odoo servers configured with "
        "db_replica_host; measure claims across the nodes and the analyses "
        "read from the replica (see README.md, Deployment)",
    )
    parser.add_argument(
        "--copy-base-cache",
        metavar="DB",
        help="only copy the cached database of the standard addons (built "
        "when absent) to a new database DB, its filestore into --data-dir; "
        "the suite's fresh installs start from it",
    )
    parser.add_argument(
        "--data-dir", help="with --copy-base-cache: the Odoo data directory of DB"
    )
    args = parser.parse_args(argv)
    if args.copy_base_cache and not args.data_dir:
        parser.error("--copy-base-cache needs --data-dir")
    return args


def addons_path(repo):
    """The repository, then the standard addons of the Odoo importable here
    (as tests/run does)."""
    import odoo.addons  # noqa: PLC0415 - after the path is known

    paths = [repo]
    root = os.path.dirname(os.path.dirname(os.path.abspath(odoo.addons.__path__[0])))
    for candidate in [os.path.join(root, "addons"), *odoo.addons.__path__]:
        if os.path.isdir(candidate) and candidate not in paths:
            paths.append(candidate)
    return ",".join(paths)


def pg_args():
    return {
        "host": os.environ.get("PGHOST", "127.0.0.1"),
        "port": os.environ.get("PGPORT", "5432"),
        "user": os.environ.get("PGUSER", "odoo"),
    }


def odoo_args(db, path, data_dir):
    pg = pg_args()
    return [
        f"--db_host={pg['host']}",
        f"--db_port={pg['port']}",
        f"--db_user={pg['user']}",
        f"--addons-path={path}",
        f"--data-dir={data_dir}",
        "-d",
        db,
        f"--db-filter=^{db}$",
        "--max-cron-threads=0",
    ]


def _odoo_install(db, path, data_dir, modules):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            *odoo_args(db, path, data_dir),
            "-i",
            modules,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


def _pg_command(*command):
    pg = pg_args()
    return [
        command[0],
        "-h",
        pg["host"],
        "-p",
        pg["port"],
        "-U",
        pg["user"],
        *command[1:],
    ]


def _database_exists(name):
    found = subprocess.run(
        _pg_command(
            "psql",
            "-d",
            "postgres",
            "-Atc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ),
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.strip() == "1"


def _manifest(folders, module):
    """The manifest of ``module``, found in the first of ``folders`` (paths)
    that has it; empty when none has."""
    for folder in folders:
        file = Path(folder) / module / "__manifest__.py"
        if file.is_file():
            return ast.literal_eval(file.read_text())
    return {}


def external_dependencies(repo):
    """The addons the three addons depend on, outside this repository."""
    ours = ADDONS.split(",")
    depends = set()
    for addon in ours:
        depends.update(_manifest([repo], addon).get("depends", []))
    return sorted(depends - set(ours))


def _module_versions(path, modules):
    """``name:version`` of these modules and of all they depend on, read
    from their manifests in the addons path ``path``."""
    folders = path.split(",")
    seen, todo = {}, list(modules)
    while todo:
        name = todo.pop()
        if name not in seen:
            manifest = _manifest(folders, name)
            seen[name] = manifest.get("version", "")
            todo += manifest.get("depends", [])
    return [f"{name}:{version}" for name, version in sorted(seen.items())]


def base_cache(repo, path):
    """A database with the standard addons the three addons depend on (no
    demo data), kept between runs as a cache: copying it takes seconds,
    installing them minutes. Named after the Odoo version and the
    dependencies and their versions (an OCA addon upgraded on PyPI makes a
    new one); its filestore is kept next to it."""
    import odoo.release  # noqa: PLC0415

    depends = external_dependencies(repo)
    key = hashlib.sha1(
        f"{odoo.release.version}:{','.join(_module_versions(path, depends))}".encode()
    ).hexdigest()[:10]
    name = f"crm_bench_base_{key}"
    cache_dir = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    data_dir = cache_dir / "crm_bench" / name
    data_dir.mkdir(parents=True, exist_ok=True)
    # Runs started together (the suite's background jobs) wait for the one
    # that builds it rather than building it each.
    with (data_dir.parent / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _database_exists(name):
            _build_base_cache(name, path, data_dir, depends)
    return name, data_dir / "filestore" / name


def _build_base_cache(name, path, data_dir, depends):
    building = f"{name}_building_{os.getpid()}"
    started = time.monotonic()
    subprocess.run(_pg_command("createdb", building), check=True)
    try:
        _odoo_install(building, path, str(data_dir), ",".join(depends))
        filestore = data_dir / "filestore"
        if (filestore / building).exists():
            shutil.rmtree(filestore / name, ignore_errors=True)
            (filestore / building).rename(filestore / name)
        # Published at once: a concurrent run sees all of it or nothing.
        subprocess.run(
            _pg_command(
                "psql",
                "-d",
                "postgres",
                "-c",
                f'ALTER DATABASE "{building}" RENAME TO "{name}"',
            ),
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError):
        subprocess.run(_pg_command("dropdb", "--if-exists", building), check=False)
        if not _database_exists(name):
            raise
    _logger.info("built the cache %s in %.0f s", name, time.monotonic() - started)


def copy_base_cache(repo, path, db, data_dir):
    """A new database ``db`` copied from the cache of the standard addons,
    with its filestore in ``data_dir``."""
    template, filestore = base_cache(repo, path)
    subprocess.run(_pg_command("createdb", "-T", template, db), check=True)
    if filestore.exists():
        shutil.copytree(filestore, Path(data_dir) / "filestore" / db)


def install(db, path, data_dir, repo, use_cache):
    started = time.monotonic()
    if use_cache:
        copy_base_cache(repo, path, db, data_dir)
    else:
        subprocess.run(_pg_command("createdb", db), check=True)
    _odoo_install(db, path, data_dir, ADDONS)
    _logger.info("installed the addons in %.0f s", time.monotonic() - started)


def copy_template(template, db):
    subprocess.run(_pg_command("createdb", "-T", template, db), check=True)


def drop(db):
    subprocess.run(_pg_command("dropdb", "--if-exists", "--force", db), check=False)


def load_odoo(db, path, data_dir):
    import odoo  # noqa: PLC0415

    odoo.tools.config.parse_config([*odoo_args(db, path, data_dir), "--log-level=warn"])
    return odoo.modules.registry.Registry(db)


def _out(line):
    """The table goes to the standard output, whatever the logging."""
    sys.stdout.write(f"{line}\n")


def print_table(results, header):
    _out("")
    _out(header)
    widths = (34, 12, 10, 12, 8, 22, 5)
    titles = ("measure", "value", "unit", "floor", "ratio", "target", "met")
    _out("  ".join(t.ljust(w) for t, w in zip(titles, widths, strict=False)))
    _out("  ".join("-" * w for w in widths))
    for row in results:
        cells = [
            row["name"],
            _fmt(row["value"]),
            row["unit"] or "",
            _fmt(row["floor"]),
            _fmt(row["ratio"]),
            row["target"] or "",
            "yes" if row["met"] else "NO",
        ]
        _out("  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False)))
    _out("")


def _fmt(value):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 100 else f"{value:.1f}"
    return str(value)


def run_measures(context, registry, db, only):
    """Every measure group asked for, in order; the tables written in
    rolled-back transactions are vacuumed between groups."""
    results = []

    def wanted(group):
        return only is None or group in only

    dsn = {**pg_args(), "dbname": db}
    # Tables the measures write in transactions rolled back afterwards.
    written = measures.existing_tables(
        registry,
        "res_partner",
        "crm_customer_ownership_log",
        "crm_churn_warning",
        *checks.SUMMARY_TABLES,
    )
    if wanted("consistency"):
        results += measures.measure_consistency(context, checks)
        datagen.vacuum_analyze(dsn, written)
    if wanted("recycle"):
        results += measures_crons.measure_recycle(context)
    if wanted("churn"):
        results += measures_crons.measure_churn(context)
    if wanted("recycle") or wanted("churn"):
        datagen.vacuum_analyze(dsn, written)
    if wanted("reports"):
        results += measures.measure_reports(context)
    if wanted("claim"):
        results += measures.measure_claim_queries(context)
        datagen.vacuum_analyze(dsn, written)
    if wanted("list"):
        results += measures.measure_pool_list(context)
    for group, measure in (
        ("pages", measures_hotpaths.measure_pages),
        ("duplicate", measures_hotpaths.measure_duplicate_and_followup),
        ("workbench", measures_hotpaths.measure_workbench),
        ("import", measures_import.measure),
        ("http", http_claims.measure),
        ("orders", orders.measure),
        ("orders", orders.measure_refresh_scaling),
    ):
        if wanted(group):
            results += measure(context)
            if group == "duplicate":
                # It empties the duplicate keys of most customers in a
                # transaction rolled back.
                datagen.vacuum_analyze(dsn, written)
    return results


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s bench: %(message)s"))
    _logger.addHandler(handler)
    _logger.setLevel(logging.INFO)
    _logger.propagate = False
    path = addons_path(args.repo)
    if args.copy_base_cache:
        copy_base_cache(args.repo, path, args.copy_base_cache, args.data_dir)
        return 0
    scale = datagen.Scale.get(args.scale)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
    db = args.db or f"crm_bench_{args.scale}_{stamp}_{os.getpid()}"
    work = Path(tempfile.mkdtemp(prefix="crm_bench_"))
    data_dir = str(work / "data")
    only = set(args.only.split(",")) if args.only else None
    runs = args.runs or (3 if args.scale == "full" else 3)
    output = Path(args.output).resolve()
    started = time.monotonic()
    registry = None
    try:
        if args.template and not args.reuse_db:
            copy_template(args.template, db)
        elif not args.reuse_db:
            install(db, path, data_dir, args.repo, not args.no_base_cache)
        registry = load_odoo(db, path, data_dir)
        if not args.reuse_db:
            fill_started = time.monotonic()
            people = datagen.setup_people(registry, scale)
            refs = datagen.references(registry)
            templates = datagen.make_templates(registry, people)
            datagen_fill.fill(registry, scale, people, refs, templates)
            datagen_targets.fill_targets(registry, people)
            datagen_fill.build_rate_journal(registry)
            datagen.vacuum_analyze({**pg_args(), "dbname": db})
            _logger.info("filled in %.0f s", time.monotonic() - fill_started)
        context = measures.Context(
            registry=registry,
            scale=scale,
            runs=runs,
            db=db,
            odoo_args=odoo_args(db, path, data_dir),
            today=date.today(),
            work_dir=str(work),
        )
        if only is None or "import" in only:
            # Odoo without the addons, for the import's comparison.
            context.cache["plain_template"] = base_cache(args.repo, path)[0]
        results = run_measures(context, registry, db, only)
        if args.replica:
            results += replica.measure(context, max(args.nodes, 2))
        for row in results:
            assert set(row) == set(RESULT_KEYS), row
        output.write_text(json.dumps(results, indent=2, default=str) + "\n")
        header = (
            f"CRM scale benchmark, scale {args.scale}: {scale.companies:,} customers, "
            f"{scale.contacts:,} contacts, {scale.orders:,} orders, "
            f"{scale.services:,} services; {os.cpu_count()} cores; "
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; "
            f"{time.monotonic() - started:.0f} s in all"
        )
        print_table(results, header)
        met = sum(1 for row in results if row["met"])
        _out(f"{met} of {len(results)} targets met; results written to {output}")
        return 1 if args.fail_on_miss and met < len(results) else 0
    finally:
        if registry is not None:
            import odoo  # noqa: PLC0415

            odoo.sql_db.close_db(db)
        if not args.keep_db:
            drop(db)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
