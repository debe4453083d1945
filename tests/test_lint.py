"""The linters the OCA addon template uses: ruff and pylint-odoo. An error of
either fails the suite."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDONS = ["crm_custom", "crm_custom_service", "crm_custom_reports"]


def background_commands():
    """Started beside the other tests (see conftest.py)."""
    return {
        "steps": [
            [
                sys.executable,
                "-m",
                "ruff",
                "check",
                "--no-fix",
                "--output-format=concise",
                ".",
            ],
            # OCA's pre-commit runs pylint-odoo on every Python file of the
            # repo, its optional checks included (.pylintrc): the addons, the
            # suite and conftest.
            [
                sys.executable,
                "-m",
                "pylint",
                "--rcfile=.pylintrc",
                "--output-format=text",
                *ADDONS,
                "tests",
                "conftest.py",
            ],
        ],
        "cwd": REPO,
        "minutes": 1,
        "keep_going": True,
    }


def test_x1_ruff_finds_nothing(background_results):
    result = background_results[0]
    assert result.returncode == 0, result.stdout + result.stderr


def test_x1_pylint_odoo_finds_nothing(background_results):
    result = background_results[1]
    assert result.returncode == 0, result.stdout + result.stderr
