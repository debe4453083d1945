"""The three addons install together on a fresh database without demo data
too (the suite's own database has demo data)."""

import shutil
import subprocess
import sys
import tempfile
import uuid

import pytest

from odoo.tools import config

ADDONS = "crm_custom,crm_custom_service,crm_custom_reports"
FRESH_DB = f"{config['db_name']}_nodemo_{uuid.uuid4().hex[:8]}"
DATA_DIR = f"{tempfile.gettempdir()}/{FRESH_DB}"


def background_commands():
    """Started beside the other tests (see conftest.py): the standard addons
    copied (``standard_db``, without demo data), then the three addons
    installed."""
    return {
        "steps": [
            [
                sys.executable,
                "-m",
                "odoo",
                f"--db_host={config['db_host'] or '127.0.0.1'}",
                f"--db_port={config['db_port'] or 5432}",
                f"--db_user={config['db_user']}",
                f"--addons-path={config['addons_path']}",
                f"--data-dir={DATA_DIR}",
                "-d",
                FRESH_DB,
                "-i",
                ADDONS,
                "--without-demo=all",
                "--stop-after-init",
                "--log-level=warn",
                "--max-cron-threads=0",
            ]
        ],
        "standard_db": (FRESH_DB, DATA_DIR),
        "timeout": 1200,
        "minutes": 2,
    }


@pytest.fixture
def install_result(background_results):
    # the install (or the copy, when it failed)
    yield background_results[-1]
    subprocess.run(
        [
            "dropdb",
            "--if-exists",
            f"--host={config['db_host'] or '127.0.0.1'}",
            f"--port={config['db_port'] or 5432}",
            f"--username={config['db_user']}",
            FRESH_DB,
        ],
        check=False,
    )
    shutil.rmtree(DATA_DIR, ignore_errors=True)


def test_x1_install_without_demo_data(install_result):
    log = install_result.stdout + install_result.stderr
    assert install_result.returncode == 0, log
    assert " ERROR " not in log and "Traceback" not in log, log
