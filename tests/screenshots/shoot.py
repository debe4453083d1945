"""Desktop and phone screenshots of the main screens, for the README.

Run through ``tests/screenshots/run [outdir]`` (see README.md, "Screenshots").
Steps:

1. create a throwaway database and install the three addons with their demo
   data (or copy ``--template``; or use an existing ``--db`` as it is); in
   zh_CN without a template, the way ``docker compose up -d`` does it
   (docker/start-odoo.py: a company in Shanghai, CNY, users in zh_CN);
2. start Odoo on a free loopback port, without cron threads;
3. start headless Chromium and drive it over the DevTools protocol: for each
   screen, set the session cookie of its demo user (from
   ``/web/session/authenticate``), the viewport (1366x768 desktop, 375x667
   phone with touch), open the screen, wait until the web client has
   settled and capture the viewport as a PNG;
4. stop Chromium and Odoo, drop the database.

The PNGs are reduced to 256 colours (Pillow, which Odoo requires) to keep
the repository small.
"""

import argparse
import base64
import http.cookiejar
import io
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import websocket

ADDONS = "crm_custom,crm_custom_service,crm_custom_reports"
DESKTOP = (1366, 768)
PHONE = (375, 667)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]
# Demo users (password = login, see crm_custom/demo/res_users_demo.xml).
DEMO_LOGINS = ("sales_manager", "customer_manager_1", "customer_manager_2", "executive")

# On a phone, a grouped kanban shows one column at a time, empty ones too.
FIRST_FILLED_COLUMN = ".o_kanban_group:has(.o_kanban_record)"


@dataclass
class Shot:
    """One screen: ``/odoo/action-<action>[/<record id>][?view_type=...]``
    opened as ``login``; ``ready`` is a CSS selector present once the screen
    shows its content; ``context`` is added to the action's context (e.g.
    ``search_default_<filter name>``: the search view's filters by name, in
    any language), the action then reopened with it; ``clicks`` are CSS
    selectors clicked in order afterwards (the first matching element; no
    text, so that every language works); ``scroll`` is a CSS selector of an
    element to scroll into view before the capture (the first kanban column
    with cards, on a phone, where empty columns come first)."""

    name: str
    login: str
    action: str
    ready: str
    record: str = ""
    view_type: str = ""
    phone: bool = False
    context: dict = field(default_factory=dict)
    clicks: tuple = field(default_factory=tuple)
    scroll: str = ""


SHOTS = [
    # Desktop
    Shot(
        "desktop-customers-list",
        "customer_manager_1",
        "crm_custom.action_crm_my_customers",
        ".o_list_view .o_data_row",
        view_type="list",
    ),
    Shot(
        "desktop-customer-form",
        "customer_manager_1",
        "crm_custom.action_crm_customers",
        ".o_form_view .o_field_widget[name=name]",
        record="crm_custom.demo_customer_jinggong",
    ),
    Shot(
        "desktop-customer-pool",
        "customer_manager_1",
        "crm_custom.action_crm_customer_pool",
        ".o_list_view .o_data_row",
    ),
    Shot(
        "desktop-opportunities-kanban",
        "customer_manager_1",
        "crm_custom.action_crm_lead_development",
        ".o_kanban_view .o_kanban_record",
    ),
    Shot(
        "desktop-development-plan",
        "customer_manager_1",
        "crm_custom.action_crm_lead_development",
        ".o_form_view div[name=plan_item_ids] .o_data_row",
        record="crm_custom.lead_demo_in_development_1",
    ),
    Shot(
        "desktop-churn-warnings",
        "sales_manager",
        "crm_custom.action_crm_churn_warning",
        ".o_kanban_view .o_kanban_record",
        view_type="kanban",
    ),
    Shot(
        "desktop-services-kanban",
        "sales_manager",
        "crm_custom_service.action_crm_services",
        ".o_kanban_view .o_kanban_record",
    ),
    Shot(
        "desktop-analysis-pivot",
        "executive",
        "crm_custom_reports.action_crm_customer_value_report",
        ".o_pivot_view .o_pivot table",
    ),
    Shot(
        "desktop-analysis-graph",
        "executive",
        "crm_custom_reports.action_crm_customer_contribution_report",
        ".o_graph_view .o_graph_canvas_container canvas",
        view_type="graph",
        # Grouped by month, then customer manager.
        context={"search_default_group_date": 1, "search_default_group_user": 2},
        # Months in calendar order, not largest first.
        clicks=(".o_graph_button.fa-sort-amount-desc.active",),
    ),
    Shot(
        "desktop-sales-targets",
        "sales_manager",
        "crm_custom_reports.action_crm_sales_target",
        ".o_list_view .o_data_row",
    ),
    Shot(
        "desktop-performance-targets",
        "executive",
        "crm_custom_reports.action_crm_sales_performance_report",
        ".o_pivot_view .o_pivot table",
    ),
    Shot(
        "desktop-workbench",
        "customer_manager_1",
        "crm_custom_reports.action_crm_workbench",
        ".o_kanban_view .o_kanban_record",
    ),
    Shot(
        "desktop-team-workbench",
        "sales_manager",
        "crm_custom_reports.action_crm_workbench_team",
        ".o_kanban_view .o_kanban_record",
    ),
    # Phone
    Shot(
        "phone-workbench",
        "customer_manager_1",
        "crm_custom_reports.action_crm_workbench",
        ".o_kanban_view .o_kanban_record",
        phone=True,
    ),
    Shot(
        "phone-customers-kanban",
        "customer_manager_1",
        "crm_custom.action_crm_my_customers",
        ".o_kanban_view .o_kanban_record",
        phone=True,
    ),
    Shot(
        "phone-customer-pool",
        "customer_manager_1",
        "crm_custom.action_crm_customer_pool",
        ".o_kanban_view .o_kanban_record",
        phone=True,
    ),
    Shot(
        "phone-opportunities-kanban",
        "customer_manager_1",
        "crm_custom.action_crm_lead_my_development",
        ".o_kanban_view .o_kanban_record",
        phone=True,
        scroll=FIRST_FILLED_COLUMN,
    ),
    Shot(
        "phone-services-kanban",
        "customer_manager_1",
        "crm_custom_service.action_crm_services_mine",
        ".o_kanban_view .o_kanban_record",
        phone=True,
        scroll=FIRST_FILLED_COLUMN,
    ),
]

# Truthy once the web client shows `selector` and loads nothing: the length
# of the page, compared between polls to see that it has settled.
SETTLED_JS = """
(() => {
    if (document.readyState !== "complete") return "";
    if (!document.querySelector(%s)) return "";
    if (document.querySelector(".o_loading_indicator, .o_blockUI")) return "";
    if (document.fonts.status !== "loaded") return "";
    return String(document.body.innerHTML.length);
})()
"""
SCROLL_JS = """
document.querySelector(%s)?.scrollIntoView({block: "nearest", inline: "start"})
"""
CLICK_JS = """
(() => {
    const target = document.querySelector(%s);
    if (!target) return false;
    target.click();
    return true;
})()
"""
# Reopens the current action with more context, through the web client.
ACTION_JS = """
(() => {
    const env = odoo.__WOWL_DEBUG__.root.env;
    // Marks the screen that the reopened action replaces.
    const screen = document.querySelector(".o_action_manager > .o_action");
    screen?.classList.add("o_shot_old");
    env.services.action.doAction(%s, {
        additionalContext: %s,
        viewType: %s || undefined,
        clearBreadcrumbs: true,
    });
    return true;
})()
"""


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="tests/screenshots/run",
        description="Desktop and phone screenshots of the CRM addons' main "
        "screens, from a throwaway database with demo data.",
    )
    parser.add_argument(
        "outdir",
        nargs="?",
        help="default: docs/screenshots/, docs/screenshots/<lang>/ for another "
        "language than en_US",
    )
    parser.add_argument("--repo", required=True, help=argparse.SUPPRESS)
    parser.add_argument(
        "--template",
        default=os.environ.get("CRM_TEST_TEMPLATE") or None,
        help="copy this database (the standard addons installed with demo "
        "data) before installing the addons (default: $CRM_TEST_TEMPLATE)",
    )
    parser.add_argument(
        "--db",
        help="shoot this existing database as it is (no install, not dropped)",
    )
    parser.add_argument(
        "--lang",
        default="en_US",
        help="language of the demo users, e.g. zh_CN (default: en_US); zh_CN "
        "without --template or --db installs as docker compose does (a company "
        "in Shanghai, CNY)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="only this screenshot (name; repeat, or separate names with commas)",
    )
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="do not drop the database at the end (its filestore goes to the "
        "default data_dir, where --db finds it)",
    )
    args = parser.parse_args(argv)
    default = Path(args.repo, "docs", "screenshots")
    if args.lang != "en_US":
        default /= args.lang
    args.outdir = Path(args.outdir or default)
    return args


def log(message):
    print(f"tests/screenshots: {message}", flush=True)


def addons_path(repo):
    import odoo.addons

    paths = [str(repo)]
    # The source tree's addons/ folder (absent in packaged installs).
    root = Path(odoo.addons.__path__[0]).resolve().parent.parent
    for candidate in [root / "addons", *map(Path, odoo.addons.__path__)]:
        if candidate.is_dir() and str(candidate) not in paths:
            paths.append(str(candidate))
    return ",".join(paths)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_config(work, repo, db, own_data_dir=True):
    conf = work / "odoo.conf"
    # An existing database keeps its filestore in the default data_dir.
    data_dir = f"data_dir = {work / 'data'}\n" if own_data_dir else ""
    conf.write_text(
        "[options]\n"
        f"db_host = {os.environ['PGHOST']}\n"
        f"db_port = {os.environ['PGPORT']}\n"
        f"db_user = {os.environ['PGUSER']}\n"
        f"db_name = {db}\n"
        f"dbfilter = ^{db}$\n"
        f"addons_path = {addons_path(repo)}\n"
        f"{data_dir}"
        "list_db = False\n"
        "max_cron_threads = 0\n"
    )
    return conf


def create_database(args, conf, db):
    if args.lang == "zh_CN" and not args.template:
        log(f"installing as docker compose does in database {db}")
        command = [sys.executable, str(Path(args.repo, "docker", "start-odoo.py"))]
        command += ["-c", str(conf), "-d", db, "--init-only", "--log-level=warn"]
        env = dict(os.environ, ODOO_BIN=f"{sys.executable} -m odoo")
        subprocess.run(command, check=True, env=env)
        return
    command = ["createdb", db]
    if args.template:
        command[1:1] = ["-T", args.template]
    subprocess.run(command, check=True)
    log(f"installing the addons with demo data in database {db}")
    install = [sys.executable, "-m", "odoo", "-c", str(conf), "-d", db]
    install += ["-i", ADDONS, "--stop-after-init", "--log-level=warn"]
    if args.lang != "en_US":
        install.append(f"--load-language={args.lang}")
    subprocess.run(install, check=True)


def set_language(db, lang):
    """Demo users (and admin) see the screens in ``lang``."""
    with psycopg2.connect(dbname=db) as cnx, cnx.cursor() as cr:
        cr.execute("SELECT 1 FROM res_lang WHERE code = %s AND active", (lang,))
        if not cr.fetchone():
            raise SystemExit(
                f"tests/screenshots: language {lang} not installed in {db}"
            )
        cr.execute(
            "UPDATE res_partner SET lang = %s WHERE id IN "
            "(SELECT partner_id FROM res_users WHERE login = ANY(%s))",
            (lang, [*DEMO_LOGINS, "admin"]),
        )


def record_ids(db, shots):
    ids = {}
    with psycopg2.connect(dbname=db) as cnx, cnx.cursor() as cr:
        for xmlid in {shot.record for shot in shots if shot.record}:
            module, name = xmlid.split(".", 1)
            cr.execute(
                "SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s",
                (module, name),
            )
            row = cr.fetchone()
            if not row:
                raise SystemExit(f"tests/screenshots: no record {xmlid} in {db}")
            ids[xmlid] = row[0]
    return ids


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what}")


def start_server(conf, db, work):
    port = free_port()
    logfile = work / "odoo.log"
    command = [sys.executable, "-m", "odoo", "-c", str(conf), "-d", db]
    command += ["--http-interface=127.0.0.1", f"--http-port={port}"]
    command += ["--workers=0", "--max-cron-threads=0", f"--logfile={logfile}"]
    server = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"

    def healthy():
        if server.poll() is not None:
            raise RuntimeError(f"Odoo stopped, see its log:\n{tail(logfile)}")
        try:
            with urllib.request.urlopen(f"{base_url}/web/health", timeout=5) as r:
                return r.status == 200
        except OSError:
            return False

    wait_for(healthy, 120, "Odoo to answer")
    return server, base_url


def tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def stop(process, timeout=30):
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def session_id(base_url, db, login):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"db": db, "login": login, "password": login},
    }
    request = urllib.request.Request(
        f"{base_url}/web/session/authenticate",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with opener.open(request, timeout=60) as response:
        answer = json.load(response)
    if answer.get("error") or not answer.get("result", {}).get("uid"):
        raise RuntimeError(f"cannot log in as {login}: {answer.get('error')}")
    return next(cookie.value for cookie in jar if cookie.name == "session_id")


def chromium_executable():
    for candidate in (
        os.environ.get("CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("google-chrome"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise SystemExit("tests/screenshots: Chromium not found (set CHROMIUM)")


class DevTools:
    """Synchronous calls to one page of Chromium over the DevTools protocol;
    events are not enabled, those that arrive anyway are skipped."""

    def __init__(self, work):
        profile = work / "chromium"
        command = [chromium_executable(), *CHROMIUM_FLAGS]
        command += ["--remote-debugging-port=0", f"--user-data-dir={profile}"]
        command += [f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "about:blank"]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        active_port = profile / "DevToolsActivePort"
        wait_for(active_port.exists, 60, "Chromium to start")
        port = wait_for(lambda: active_port.read_text().split("\n")[0], 10, "port")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as r:
            pages = [t for t in json.load(r) if t["type"] == "page"]
        self.ws = websocket.create_connection(
            pages[0]["webSocketDebuggerUrl"], suppress_origin=True, timeout=120
        )
        self.ids = itertools.count(1)

    def call(self, method, **params):
        call_id = next(self.ids)
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def wait_settled(self, selector, timeout):
        script = SETTLED_JS % json.dumps(selector)
        last, stable = None, 0
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.evaluate(script)
            stable = stable + 1 if state and state == last else 0
            if stable >= 3:
                return
            last = state
            time.sleep(0.4)
        raise TimeoutError(f"timed out after {timeout} s waiting for {selector}")

    def close(self):
        try:
            self.ws.close()
        finally:
            stop(self.process, timeout=10)


def shoot(devtools, base_url, sid, shot, res_id, timeout):
    width, height = PHONE if shot.phone else DESKTOP
    devtools.call("Network.clearBrowserCookies")
    devtools.call("Network.setCookie", name="session_id", value=sid, url=base_url)
    devtools.call(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=height,
        deviceScaleFactor=1,
        mobile=shot.phone,
    )
    devtools.call("Emulation.setTouchEmulationEnabled", enabled=shot.phone)
    url = f"{base_url}/odoo/action-{shot.action}"
    if res_id:
        url += f"/{res_id}"
    if shot.view_type:
        url += f"?view_type={shot.view_type}"
    devtools.call("Page.navigate", url="about:blank")
    devtools.call("Page.navigate", url=url)
    devtools.wait_settled(shot.ready, timeout)
    if shot.context:
        script = ACTION_JS % (
            json.dumps(shot.action),
            json.dumps(shot.context),
            json.dumps(shot.view_type),
        )
        devtools.evaluate(script)
        replaced = "!document.querySelector('.o_shot_old')"
        wait_for(lambda: devtools.evaluate(replaced), 30, "the action with its context")
        devtools.wait_settled(shot.ready, 30)
    for selector in shot.clicks:
        script = CLICK_JS % json.dumps(selector)
        wait_for(lambda s=script: devtools.evaluate(s), 30, selector)
        devtools.wait_settled(shot.ready, 30)
    if shot.scroll:
        devtools.evaluate(SCROLL_JS % json.dumps(shot.scroll))
        devtools.wait_settled(shot.ready, 30)
    # No focus ring or caret in the picture.
    devtools.evaluate("document.activeElement && document.activeElement.blur()")
    data = devtools.call("Page.captureScreenshot", format="png")["data"]
    return base64.b64decode(data)


def save_png(data, path):
    """Reduce to 256 colours without dithering: text stays sharp, the file
    shrinks to about a third."""
    try:
        from PIL import Image
    except ImportError:
        path.write_bytes(data)
        return
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image = image.quantize(colors=256, dither=Image.Dither.NONE)
    image.save(path, optimize=True)


def take_screenshots(args, db, base_url):
    only = {name for value in args.only for name in value.split(",") if name}
    shots = [s for s in SHOTS if not only or s.name in only]
    unknown = only - {s.name for s in SHOTS}
    if unknown:
        names = ", ".join(sorted(unknown))
        raise SystemExit(f"tests/screenshots: no screen named {names}")
    ids = record_ids(db, shots)
    args.outdir.mkdir(parents=True, exist_ok=True)
    sessions = {}
    work = Path(tempfile.mkdtemp(prefix="crm_screenshots_chromium_"))
    devtools = DevTools(work)
    try:
        for index, shot in enumerate(shots):
            if shot.login not in sessions:
                sessions[shot.login] = session_id(base_url, db, shot.login)
            # The first screen waits for the assets to be generated.
            timeout = 240 if index == 0 else 90
            png = shoot(
                devtools,
                base_url,
                sessions[shot.login],
                shot,
                ids.get(shot.record),
                timeout,
            )
            path = args.outdir / f"{shot.name}.png"
            save_png(png, path)
            log(f"{path} ({path.stat().st_size // 1024} KiB, {shot.login})")
    finally:
        devtools.close()
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None):
    args = parse_args(argv)
    repo = Path(args.repo)
    work = Path(tempfile.mkdtemp(prefix="crm_screenshots_"))
    db = args.db or f"crm_screenshots_{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"
    drop = not args.db and not args.keep_db
    server = None
    try:
        # A database kept (or given) has its filestore in the default
        # data_dir: a later run with --db serves its web assets from there.
        conf = write_config(work, repo, db, own_data_dir=drop)
        if not args.db:
            create_database(args, conf, db)
        if args.lang != "en_US":
            set_language(db, args.lang)
        log("starting Odoo")
        server, base_url = start_server(conf, db, work)
        take_screenshots(args, db, base_url)
    finally:
        stop(server)
        if drop:
            subprocess.run(["dropdb", "--if-exists", db], check=False)
            log(f"dropped database {db}")
        elif not args.db:
            log(f"kept database {db}")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
