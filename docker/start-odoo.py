"""Start Odoo for docker-compose.yml, Chinese by default (X7).

    python3 docker/start-odoo.py -c /etc/odoo/odoo.conf -d crm [--init-only]

On the first start (no database yet) it creates the database the way a
Chinese team would set it up:

1. ``odoo -i base --load-language=zh_CN``: the database in 简体中文;
2. the main company becomes a company in Shanghai (name, address, country
   China, CNY, Asia/Shanghai) *before* accounting is installed, so that
   Odoo installs the China localization ``l10n_cn`` with its chart of
   accounts in CNY and the demo orders and invoices are in CNY;
3. ``odoo -i crm_custom,crm_custom_service,crm_custom_reports`` with demo
   data;
4. the administrator and the demo users work in zh_CN (English is one
   preference away: Preferences > Language).

Each step is recorded in the system parameter ``crm_custom.first_start``,
so an interrupted first start resumes where it stopped. Later starts only
serve (``exec odoo -c ... -d ...``). ``--init-only`` stops after the
set-up (tests/test_x7_chinese_default.py runs it on a throwaway database);
``ODOO_BIN`` names the Odoo command (default ``odoo``, the official image's).
"""

import argparse
import os
import shlex
import subprocess
import sys

ADDONS = "crm_custom,crm_custom_service,crm_custom_reports"
LANG = "zh_CN"
PARAM = "crm_custom.first_start"
ALL_DONE = "done"

# The company of the demo data: a machinery maker in Shanghai.
COMPANY = {
    "name": "上海华锐工业装备有限公司",
    "street": "张江高科技园区碧波路 690 号",
    "city": "上海市",
    "zip": "201203",
    "country": "base.cn",
    "state": "base.state_cn_SH",
    "phone": "+86 21 5080 1234",
    "email": "info@huarui-equipment.example.com",
    "website": "https://www.huarui-equipment.example.com",
    "currency": "base.CNY",
    "tz": "Asia/Shanghai",
}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument(
        "--init-only", action="store_true", help="set up the database, do not serve"
    )
    return parser.parse_known_args(argv)


def log(message):
    print(f"start-odoo: {message}", flush=True)


def odoo_command(args, extra):
    return [
        *shlex.split(os.environ.get("ODOO_BIN", "odoo")),
        "-c",
        args.config,
        "-d",
        args.database,
        *extra,
    ]


def run_odoo(args, extra, *options):
    command = odoo_command(args, extra) + list(options)
    log(" ".join(command))
    subprocess.run(command, check=True)


def load_config(args):
    """Odoo's configuration for this process, parsed once (loading a
    registry consumes some of its options)."""
    from odoo.tools import config

    config.parse_config(["-c", args.config, "-d", args.database])


def first_start_state(args):
    """None without a database (or an empty one), else the step reached."""
    import odoo

    if not odoo.service.db.exp_db_exist(args.database):
        return None
    with odoo.sql_db.db_connect(args.database).cursor() as cr:
        cr.execute("SELECT to_regclass('ir_config_parameter')")
        if not cr.fetchone()[0]:
            return None
        cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [PARAM])
        row = cr.fetchone()
        # A database made otherwise (by hand, a backup) is left as it is.
        return row[0] if row else ALL_DONE


def addons_installed(args):
    import odoo

    with odoo.sql_db.db_connect(args.database).cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM ir_module_module WHERE state = 'installed'"
            " AND name = ANY(%s)",
            [ADDONS.split(",")],
        )
        return cr.fetchone()[0] == len(ADDONS.split(","))


def with_env(args, function):
    import odoo

    registry = odoo.modules.registry.Registry.new(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        function(env)


def setup_company(env):
    """The main company in Shanghai, in CNY, before accounting exists."""
    company = env.ref("base.main_company")
    values = {
        key: value
        for key, value in COMPANY.items()
        if key not in ("country", "state", "currency", "tz")
    }
    values["country_id"] = env.ref(COMPANY["country"]).id
    values["state_id"] = env.ref(COMPANY["state"]).id
    values["currency_id"] = env.ref(COMPANY["currency"]).id
    env.ref(COMPANY["currency"]).active = True
    company.write(values)
    company.partner_id.tz = COMPANY["tz"]
    env.ref("base.user_admin").write({"lang": LANG, "tz": COMPANY["tz"]})
    env["ir.config_parameter"].set_param(PARAM, "company")


def setup_users(env):
    """The administrator and every internal user of the demo data in zh_CN;
    the company's name again (the demo data of stock renames it)."""
    env.ref("base.main_company").name = COMPANY["name"]
    users = env["res.users"].search([("share", "=", False)])
    users.write({"lang": LANG})
    users.filtered(lambda user: not user.tz).write({"tz": COMPANY["tz"]})
    env["ir.config_parameter"].set_param(PARAM, ALL_DONE)


def main(argv=None):
    args, extra = parse_args(sys.argv[1:] if argv is None else argv)
    load_config(args)
    state = first_start_state(args)
    if state is None:
        log(f"first start: database {args.database} in {LANG}")
        run_odoo(
            args, extra, "-i", "base", f"--load-language={LANG}", "--stop-after-init"
        )
        with_env(args, setup_company)
        state = "company"
    if state == "company":
        # -i would load the data of installed addons again: only once.
        if not addons_installed(args):
            log("installing the addons with demo data")
            run_odoo(args, extra, "-i", ADDONS, "--stop-after-init")
        with_env(args, setup_users)
        log(f"database {args.database} ready")
    if args.init_only:
        return
    command = odoo_command(args, extra)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
