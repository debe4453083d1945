"""The scale benchmark at its small scale, as a check of the benchmark
itself: it installs, fills and measures a throwaway database and writes
every expected row with sane values. Its targets (timings, ratios, query
counts) are not asserted here: they are judged at full scale
(``tests/benchmarks/run --scale full``, see README.md)."""

import json
import os
import subprocess
import sys
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
    "workbench tiles (mine)": "queries",
    "workbench tiles (team)": "queries",
    "HTTP 50 claims: customers with two owners": "customers",
    "HTTP 50 claims: lost requests": "requests",
    "HTTP 50 claims: p95 latency vs read": "s",
}
# The analyses R1-R6 (contribution, composition, services, churn, value and
# source, sales performance).
MIN_PIVOTS = 6


@pytest.fixture(scope="module")
def bench_results(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("bench")
    env = dict(
        os.environ,
        PYTHON=sys.executable,
        PGHOST=config["db_host"] or "127.0.0.1",
        PGPORT=str(config["db_port"] or 5432),
        ODOO_DB_USER=config["db_user"],
    )
    completed = subprocess.run(
        [str(RUN), "--scale", "small"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, (
        completed.stdout[-5000:] + completed.stderr[-5000:]
    )
    results_file = workdir / "bench-results.json"
    assert results_file.is_file(), completed.stdout[-3000:]
    return json.loads(results_file.read_text()), completed.stdout


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
        assert row["ratio"] == pytest.approx(row["value"] / row["floor"], rel=1e-2), row


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
