"""The three addons install together on a fresh database without demo data
too (the suite's own database has demo data)."""

import subprocess
import sys
import uuid

import pytest

from odoo.tools import config

ADDONS = "crm_custom,crm_custom_service,crm_custom_reports"


@pytest.fixture
def fresh_db_name():
    name = f"{config['db_name']}_nodemo_{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run(
        [
            "dropdb",
            "--if-exists",
            f"--host={config['db_host'] or '127.0.0.1'}",
            f"--port={config['db_port'] or 5432}",
            f"--username={config['db_user']}",
            name,
        ],
        check=False,
    )


def test_x1_install_without_demo_data(fresh_db_name, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            f"--db_host={config['db_host'] or '127.0.0.1'}",
            f"--db_port={config['db_port'] or 5432}",
            f"--db_user={config['db_user']}",
            f"--addons-path={config['addons_path']}",
            f"--data-dir={tmp_path}",
            "-d",
            fresh_db_name,
            "-i",
            ADDONS,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert " ERROR " not in log and "Traceback" not in log, log
