"""X7 Chinese by default: a fresh database set up the way `docker compose up
-d` sets it up (docker/start-odoo.py, the odoo service's command) works in
简体中文 with a company in China, and English is one preference away.

The suite's own database (tests/run) keeps Odoo's default company and
English users, so that Odoo's own test suites and the tours run on it as
they were written; this test installs a second, Chinese one."""

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from unittest.mock import patch

import pytest

import odoo
from odoo.tools import config

REPO = Path(__file__).resolve().parent.parent
DEMO_USERS = (
    "crm_custom.user_sales_manager",
    "crm_custom.user_customer_manager_1",
    "crm_custom.user_customer_manager_2",
    "crm_custom.user_executive",
    "base.user_admin",
)


def _dropdb(name):
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


def _environment(name):
    # Loading the registry must not collect Odoo's own tests of the modules.
    with patch.dict(config.options, test_enable=False):
        registry = odoo.modules.registry.Registry(name)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.rollback()


X7_DB = f"{config['db_name']}_x7_{uuid.uuid4().hex[:8]}"
WORK = Path(tempfile.gettempdir()) / X7_DB


def background_commands():
    """Started beside the other tests (see conftest.py): a fresh database
    made by docker/start-odoo.py (none with CRM_TEST_X7_DB, an existing one
    made by it, kept: a development shortcut)."""
    if os.environ.get("CRM_TEST_X7_DB"):
        return {"steps": []}
    WORK.mkdir(parents=True, exist_ok=True)
    conf = WORK / "odoo.conf"
    conf.write_text(
        "[options]\n"
        f"db_host = {config['db_host'] or '127.0.0.1'}\n"
        f"db_port = {config['db_port'] or 5432}\n"
        f"db_user = {config['db_user']}\n"
        f"addons_path = {config['addons_path']}\n"
        f"data_dir = {WORK / 'data'}\n"
        "list_db = False\n"
        "max_cron_threads = 0\n"
    )
    return {
        "steps": [
            [
                sys.executable,
                str(REPO / "docker" / "start-odoo.py"),
                "-c",
                str(conf),
                "-d",
                X7_DB,
                "--init-only",
                "--log-level=warn",
            ]
        ],
        "env": dict(os.environ, ODOO_BIN=f"{sys.executable} -m odoo"),
        "minutes": 4,
    }


@pytest.fixture(scope="module")
def chinese_env(background_results):
    """An environment on the database of background_commands()."""
    if os.environ.get("CRM_TEST_X7_DB"):
        yield from _environment(os.environ["CRM_TEST_X7_DB"])
        return
    try:
        (result,) = background_results
        log = result.stdout + result.stderr
        assert result.returncode == 0, log
        assert " ERROR " not in log and "Traceback" not in log, log
        yield from _environment(X7_DB)
    finally:
        odoo.modules.registry.Registry.delete(X7_DB)
        odoo.sql_db.close_db(X7_DB)
        _dropdb(X7_DB)
        shutil.rmtree(WORK, ignore_errors=True)


def test_x7_chinese_language_and_users(chinese_env):
    env = chinese_env
    lang = env["res.lang"]._lang_get("zh_CN")
    assert lang and lang.active
    for xmlid in DEMO_USERS:
        user = env.ref(xmlid)
        assert user.lang == "zh_CN", xmlid
        assert user.tz == "Asia/Shanghai", xmlid


def test_x7_company_in_china_in_cny(chinese_env):
    env = chinese_env
    company = env.ref("base.main_company")
    assert company.country_id == env.ref("base.cn")
    assert company.state_id == env.ref("base.state_cn_SH")
    assert company.currency_id == env.ref("base.CNY")
    assert company.partner_id.tz == "Asia/Shanghai"
    assert "有限公司" in company.name
    # The China localization and its chart of accounts.
    module = env["ir.module.module"].search([("name", "=", "l10n_cn")])
    assert module.state == "installed"
    assert company.chart_template == "cn"
    # The demo data reads as a Chinese company's: orders and journal items
    # in CNY.
    orders = env["sale.order"].search([("company_id", "=", company.id)])
    assert orders and set(orders.currency_id.mapped("name")) == {"CNY"}
    lines = env["account.move.line"].search([("company_id", "=", company.id)])
    assert set(lines.company_currency_id.mapped("name")) <= {"CNY"}


def test_x7_english_is_one_preference_away(chinese_env):
    """The same screens read in Chinese, then in English once the user's
    language preference is English."""
    env = chinese_env
    user = env.ref("crm_custom.user_customer_manager_1")
    pool = env.ref("crm_custom.action_crm_customer_pool")
    services = env.ref("crm_custom_service.action_crm_services")

    def labels(user):
        user_env = env(context={"lang": user.lang})  # as the web client does
        stages = dict(
            user_env["helpdesk.ticket.stage"].fields_get(["service_state"])[
                "service_state"
            ]["selection"]
        )
        return (
            user_env["ir.actions.act_window"].browse(pool.id).name,
            user_env["ir.actions.act_window"].browse(services.id).name,
            stages["assigned"],
            user_env["res.partner"].fields_get(["pool_state"])["pool_state"]["string"],
        )

    chinese = labels(user)
    assert chinese[0] == "客户池"
    assert chinese[2] == "已分配"
    assert all(any("\u4e00" <= c <= "\u9fff" for c in label) for label in chinese)

    user.write({"lang": "en_US"})  # Preferences > Language
    english = labels(user)
    assert english[0] == "Customer Pool"
    assert english[2] == "Assigned"
    assert all(label.isascii() for label in english)
