"""X6: crm_custom uninstalls cleanly. On a throwaway database: install,
uninstall, reinstall; after the uninstall the record rules of crm, sale and
sales_team are what their own data files define (crm_custom rewrites crm's
personal lead rule, which crm loads with noupdate)."""

import json
import os
import subprocess
import sys
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


@pytest.fixture
def fresh_db(tmp_path):
    name = f"{config['db_name']}_x6_{uuid.uuid4().hex[:8]}"
    pg = [
        f"--host={config['db_host'] or '127.0.0.1'}",
        f"--port={config['db_port'] or 5432}",
        f"--username={config['db_user']}",
    ]
    template = os.environ.get("CRM_TEST_TEMPLATE")
    if template:
        # development shortcut, as tests/run: the standard addons installed
        subprocess.run(["createdb", *pg, "-T", template, name], check=True)
    yield name
    subprocess.run(["dropdb", "--if-exists", *pg, name], check=False)


def _odoo_args(db, tmp_path):
    return [
        f"--db_host={config['db_host'] or '127.0.0.1'}",
        f"--db_port={config['db_port'] or 5432}",
        f"--db_user={config['db_user']}",
        f"--addons-path={config['addons_path']}",
        f"--data-dir={tmp_path}",
        f"--database={db}",
        "--log-level=warn",
        "--max-cron-threads=0",
    ]


def _run(args):
    result = subprocess.run(
        args, capture_output=True, text=True, timeout=1500, check=False
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "Traceback" not in log, log
    return log


def _install(db, tmp_path):
    _run(
        [
            sys.executable,
            "-m",
            "odoo",
            *_odoo_args(db, tmp_path),
            "-i",
            "crm_custom",
            "--without-demo=all",
            "--stop-after-init",
        ]
    )


def _rules(db, tmp_path):
    log = _run([sys.executable, "-c", READ_RULES, *_odoo_args(db, tmp_path)])
    line = next(line for line in log.splitlines() if line.startswith("RULES="))
    return {
        xmlid: _normalize(domain)
        for xmlid, domain in json.loads(line[len("RULES=") :]).items()
    }


def test_x6_uninstall_restores_standard_rules(fresh_db, tmp_path):
    standard = {
        xmlid: _normalize(domain)
        for xmlid, domain in _standard_rules().items()
        if domain is not None
    }
    _install(fresh_db, tmp_path)
    installed = _rules(fresh_db, tmp_path)
    personal = "crm.crm_rule_personal_lead"
    assert installed[personal] != standard[personal], "crm_custom scopes it"
    _run([sys.executable, "-c", UNINSTALL, *_odoo_args(fresh_db, tmp_path)])
    uninstalled = _rules(fresh_db, tmp_path)
    assert {
        xmlid: uninstalled.get(xmlid) for xmlid in standard
    } == standard, "the standard rules are back"
    _install(fresh_db, tmp_path)
    assert _rules(fresh_db, tmp_path) == installed, "reinstalled as before"
