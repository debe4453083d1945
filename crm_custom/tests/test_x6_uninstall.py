"""X6: crm_custom uninstalls cleanly. On a throwaway database: install,
uninstall, reinstall; after the uninstall the record rules of crm, sale and
sales_team are what their own data files define (crm_custom rewrites crm's
personal lead rule, which crm loads with noupdate), and no index of ours is
left on the partners."""

import json
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from lxml import etree

from odoo.tools import config

STANDARD_MODULES = ("crm", "sale", "sales_team")

READ_RULES = """
import json, sys
import odoo
from odoo.tools import config
config.parse_config(sys.argv[1:])
registry = odoo.modules.registry.Registry(config["db_name"])
with registry.cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    data = env["ir.model.data"].search(
        [("model", "=", "ir.rule"), ("module", "in", %r)]
    )
    rules = {
        f"{d.module}.{d.name}": env["ir.rule"].browse(d.res_id).domain_force
        for d in data
    }
    print("RULES=" + json.dumps(rules))
    cr.execute(
        "SELECT indexname FROM pg_indexes"
        " WHERE tablename = 'res_partner' AND indexname LIKE '%%crm%%'"
    )
    print("INDEXES=" + json.dumps(sorted(row[0] for row in cr.fetchall())))
""".replace("%r", repr(list(STANDARD_MODULES)))

UNINSTALL = """
import sys
import odoo
from odoo.tools import config
config.parse_config(sys.argv[1:])
registry = odoo.modules.registry.Registry(config["db_name"])
with registry.cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    module = env["ir.module.module"].search([("name", "=", "crm_custom")])
    module.button_immediate_uninstall()
"""


def _standard_rules():
    """Record rules as the standard modules' data files define them."""
    import odoo.modules

    rules = {}
    for module in STANDARD_MODULES:
        root = Path(odoo.modules.get_module_path(module))
        for path in sorted(root.glob("security/*.xml")):
            tree = etree.parse(str(path))
            for record in tree.iterfind(".//record[@model='ir.rule']"):
                domain = record.find("field[@name='domain_force']")
                xmlid = record.get("id")
                if "." not in xmlid:
                    xmlid = f"{module}.{xmlid}"
                rules[xmlid] = domain.text.strip() if domain is not None else None
    return rules


def _normalize(domain):
    return "".join((domain or "").split()).replace('"', "'")


FRESH_DB = f"{config['db_name']}_x6_{uuid.uuid4().hex[:8]}"
DATA_DIR = f"{tempfile.gettempdir()}/{FRESH_DB}"
PG_ARGS = [
    f"--host={config['db_host'] or '127.0.0.1'}",
    f"--port={config['db_port'] or 5432}",
    f"--username={config['db_user']}",
]


def _odoo_args():
    return [
        f"--db_host={config['db_host'] or '127.0.0.1'}",
        f"--db_port={config['db_port'] or 5432}",
        f"--db_user={config['db_user']}",
        f"--addons-path={config['addons_path']}",
        f"--data-dir={DATA_DIR}",
        f"--database={FRESH_DB}",
        "--log-level=warn",
        "--max-cron-threads=0",
    ]


def background_commands():
    """Started beside the other tests (see conftest.py): copy the standard
    addons, install, read the rules, uninstall, read them, reinstall, read
    them."""
    install = [
        sys.executable,
        "-m",
        "odoo",
        *_odoo_args(),
        "-i",
        "crm_custom",
        "--without-demo=all",
        "--stop-after-init",
    ]
    read_rules = [sys.executable, "-c", READ_RULES, *_odoo_args()]
    steps = [
        install,
        read_rules,
        [sys.executable, "-c", UNINSTALL, *_odoo_args()],
        read_rules,
        install,
        read_rules,
    ]
    # The standard addons crm_custom depends on are copied first: only ours
    # is installed.
    return {
        "steps": steps,
        "standard_db": (FRESH_DB, DATA_DIR),
        "timeout": 1500,
        "minutes": 4,
    }


@pytest.fixture
def steps(background_results):
    yield background_results[-6:]
    subprocess.run(["dropdb", "--if-exists", *PG_ARGS, FRESH_DB], check=False)
    shutil.rmtree(DATA_DIR, ignore_errors=True)


def _log(completed):
    log = completed.stdout + completed.stderr
    assert completed.returncode == 0, log
    assert "Traceback" not in log, log
    return log


def _rules(completed):
    log = _log(completed)
    line = next(line for line in log.splitlines() if line.startswith("RULES="))
    return {
        xmlid: _normalize(domain)
        for xmlid, domain in json.loads(line[len("RULES=") :]).items()
    }


def _indexes(completed):
    log = _log(completed)
    line = next(line for line in log.splitlines() if line.startswith("INDEXES="))
    return json.loads(line[len("INDEXES=") :])


def test_x6_uninstall_restores_standard_rules(steps):
    standard = {
        xmlid: _normalize(domain)
        for xmlid, domain in _standard_rules().items()
        if domain is not None
    }
    assert len(steps) == 6, _log(steps[-1])
    install, read_installed, uninstall, read_uninstalled, reinstall, read_again = steps
    _log(install)
    installed = _rules(read_installed)
    personal = "crm.crm_rule_personal_lead"
    assert installed[personal] != standard[personal], "crm_custom scopes it"
    _log(uninstall)
    uninstalled = _rules(read_uninstalled)
    assert {
        xmlid: uninstalled.get(xmlid) for xmlid in standard
    } == standard, "the standard rules are back"
    assert "res_partner_crm_pool_owner_index" in _indexes(read_installed)
    assert _indexes(read_uninstalled) == [], "no index of ours left on partners"
    _log(reinstall)
    assert _rules(read_again) == installed, "reinstalled as before"
