"""The scale benchmark at its small scale, as a check of the benchmark
itself: it installs, fills and measures a throwaway database, with a
streaming replica and two Odoo nodes (``--nodes 2 --replica``), and writes
every expected row with sane values. Its targets (timings, ratios, query
counts) are not asserted here: they are judged at full scale
(``tests/benchmarks/run --scale full``, see README.md)."""

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from odoo.tools import config

REPO = Path(__file__).resolve().parent.parent
RUN = REPO / "tests" / "benchmarks" / "run"

# Row name prefixes and units of the benchmark (the analyses are counted
# apart: one row per default pivot of crm_custom_reports).
EXPECTED_ROWS = {
    "data: derived columns and summaries drift": "rows",
    "data: ORM recompute drift": "values",
    "pool recycling cron": "s",
    "churn cron": "s",
    "claim one customer": "queries",
    "pool list page": "queries",
    "pipeline kanban page": "queries",
    "pipeline list page": "queries",
    "My Customers page": "queries",
    "time of the pipeline kanban page": "s",
    "time of the pipeline list page": "s",
    "time of the My Customers page": "s",
    "create one customer with 查重 (2,000 customers): queries": "queries",
    "create one customer with 查重 (2,000 customers): time": "s",
    "refuse a duplicate customer": "queries",
    "log one follow-up": "queries",
    "workbench tiles (mine)": "queries",
    "workbench tiles (team)": "queries",
    "workbench time (mine)": "s",
    "workbench time (team)": "s",
    "import 1,000 customers with 查重": "s",
    "HTTP 50 claims: customers with two owners": "customers",
    "HTTP 50 claims: lost requests": "requests",
    "HTTP 50 claims: p95 latency vs read": "s",
    "replica 2 nodes: 50 claims, customers with two owners": "customers",
    "replica 2 nodes: lost requests": "requests",
    "replica 2 nodes: analyses differing from the primary": "pivots",
    "replica: analyses' rows read on the replica": "share",
    "order data refresh of ": "s",
}
# The analyses R1-R6 (contribution, composition, services, churn, value and
# source, sales performance).
MIN_PIVOTS = 6


WORKDIR = Path(tempfile.gettempdir()) / f"crm_bench_small_{os.getpid()}"


def background_commands():
    """Started beside the other tests (see conftest.py): the benchmark runs
    in its own databases and servers."""
    shutil.rmtree(WORKDIR, ignore_errors=True)
    WORKDIR.mkdir()
    env = dict(
        os.environ,
        PYTHON=sys.executable,
        PGHOST=config["db_host"] or "127.0.0.1",
        PGPORT=str(config["db_port"] or 5432),
        ODOO_DB_USER=config["db_user"],
    )
    # One run per measure: no timing is judged here.
    command = [str(RUN), "--scale", "small", "--nodes", "2", "--replica", "--runs", "1"]
    return {"steps": [command], "env": env, "cwd": WORKDIR, "minutes": 10}


@pytest.fixture(scope="module")
def bench_results(background_results):
    (completed,) = background_results
    try:
        assert completed.returncode == 0, (
            completed.stdout[-5000:] + completed.stderr[-5000:]
        )
        results_file = WORKDIR / "bench-results.json"
        assert results_file.is_file(), completed.stdout[-3000:]
        yield json.loads(results_file.read_text()), completed.stdout
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


def _row(results, prefix):
    rows = [row for row in results if row["name"].startswith(prefix)]
    assert len(rows) == 1, f"{prefix}: {[row['name'] for row in results]}"
    return rows[0]


def test_x4_benchmark_small_writes_every_row(bench_results):
    results, output = bench_results
    keys = {"name", "value", "unit", "floor", "ratio", "target", "met"}
    for row in results:
        assert set(row) == keys, row
        assert isinstance(row["met"], bool), row
        assert row["target"], row
    for prefix, unit in EXPECTED_ROWS.items():
        assert _row(results, prefix)["unit"] == unit, prefix
    pivots = [row for row in results if row["name"].startswith("pivot ")]
    assert len(pivots) >= MIN_PIVOTS, [row["name"] for row in results]
    # The printed table lists every row.
    for row in results:
        assert row["name"] in output


def test_x4_benchmark_small_data_is_consistent(bench_results):
    """The generated data is what the product itself would have stored."""
    results, _output = bench_results
    assert _row(results, "data: derived columns and summaries drift")["value"] == 0
    assert _row(results, "data: ORM recompute drift")["value"] == 0


def test_x4_benchmark_small_floors_do_the_same_work(bench_results):
    """Every timed row has a floor: the product and its hand-written SQL
    changed the same rows or returned the same aggregates (a row whose
    floor did other work has no floor)."""
    results, _output = bench_results
    # Timed rows held against a hand-written floor (absolute time targets,
    # such as creating one customer with 查重, have none).
    timed = [
        row
        for row in results
        if row["unit"] == "s" and str(row["target"]).startswith("ratio")
    ]
    assert len(timed) >= 2 + MIN_PIVOTS + 1
    for row in timed:
        assert isinstance(row["value"], float) and row["value"] > 0, row
        assert isinstance(row["floor"], float) and row["floor"] > 0, row
        # ratios are printed with 3 decimals
        assert row["ratio"] == pytest.approx(
            row["value"] / row["floor"], rel=1e-2, abs=5e-4
        ), row


def test_x4_benchmark_small_counts_are_sane(bench_results):
    results, _output = bench_results
    claim = _row(results, "claim one customer")
    assert claim["value"] > 0 and claim["floor"] > 0, claim
    page = _row(results, "pool list page")
    assert "(80 rows)" in page["name"] and page["value"] > 0, page
    for prefix in (
        "HTTP 50 claims: customers with two owners",
        "HTTP 50 claims: lost requests",
    ):
        value = _row(results, prefix)["value"]
        assert isinstance(value, int) and 0 <= value <= 50, prefix


def test_x4_benchmark_small_duplicate_check_and_targets(bench_results):
    """The duplicate check is measured with all the customers and with
    1,000 of them; the targets vs actual analysis reads generated targets
    (issue 16)."""
    results, _output = bench_results
    create = _row(results, "create one customer with 查重 (2,000 customers): queries")
    assert create["floor"] and create["floor"] > 0, create
    targets = _row(results, "pivot Targets vs Actual")
    assert "(0 groups)" not in targets["name"], targets
    assert targets["floor"], targets


def test_x4_benchmark_small_replica(bench_results):
    """--nodes 2 --replica: claims raced across two Odoo nodes leave one
    owner per customer, the analyses read on the replica equal the
    primary's, and the replica served their reads."""
    results, _output = bench_results
    for prefix in (
        "replica 2 nodes: 50 claims, customers with two owners",
        "replica 2 nodes: lost requests",
        "replica 2 nodes: analyses differing from the primary",
    ):
        assert _row(results, prefix)["value"] == 0, prefix
    # The replica serves the analyses' reads; how large its share of the
    # rows is depends on what else the primary serves meanwhile (0.45 to
    # 0.97 seen at small scale): the row's own target says, not the suite.
    assert _row(results, "replica: analyses' rows read on the replica")["value"] > 0


def test_x4_benchmark_small_orders_against_plain_odoo(bench_results):
    """Issue 18: confirming, editing and cancelling orders (one and a
    batch, service and storable) is measured with the addons and on plain
    Odoo in the same run, queries and time."""
    results, _output = bench_results
    orders = [row for row in results if row["name"].startswith("orders: ")]
    refreshes = [row for row in orders if row["name"].endswith(" X8 refresh")]
    # 3 operations x 2 sizes x 2 kinds, queries and time; one order
    # confirmed or cancelled refreshes its customer's order data (X8), a
    # row of its own.
    assert len(orders) == 3 * 2 * 2 * 2 + 2 * 2, [row["name"] for row in orders]
    assert sorted(row["name"] for row in refreshes) == [
        f"orders: {name} 1 ({kind}) X8 refresh"
        for name in ("cancel", "confirm")
        for kind in ("service", "storable")
    ]
    for row in orders:
        assert row["value"] > 0 and row["floor"] > 0, row
        assert row["ratio"] == pytest.approx(
            row["value"] / row["floor"], rel=0.01, abs=5e-4
        )
    for refresh in refreshes:
        time_row = _row(results, refresh["name"].replace(" X8 refresh", " time"))
        assert refresh["value"] < time_row["value"], (refresh, time_row)
        assert "besides the X8 refresh" in time_row["target"], time_row
