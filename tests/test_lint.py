"""The linters the OCA addon template uses: ruff and pylint-odoo. An error of
either fails the suite."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDONS = ["crm_custom", "crm_custom_service", "crm_custom_reports"]


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def test_x1_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-fix", "--output-format=concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_x1_pylint_odoo_finds_nothing():
    # OCA's pre-commit runs pylint-odoo on every Python file of the repo, its
    # optional checks included (.pylintrc): the addons, the suite and conftest.
    result = _run(
        "pylint",
        "--rcfile=.pylintrc",
        "--output-format=text",
        *ADDONS,
        "tests",
        "conftest.py",
    )
    assert result.returncode == 0, result.stdout + result.stderr
