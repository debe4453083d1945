"""50 claims sent at once over HTTP JSON-RPC to an Odoo server with workers.

The benchmark starts ``odoo --workers=7`` on 127.0.0.1 (free ports), logs
50 sessions in (customer managers, /web/session/authenticate), then sends
50 plain ``read`` calls at once and 50 uncontested claims (to warm every
worker up, not measured), then 50 reads, then 50 claims at once
(/web/dataset/call_kw, ``res.partner.action_pool_claim``): two managers race
for each of 25 pool customers; then 50 reads again (the better read burst is
the reference). Expected: every request gets a success or a
clear business error, no customer ends with two owners, and the p95 latency
of the claims stays within 3 times the p95 of the reads.
"""

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import datagen
import requests
from measures import result

_logger = logging.getLogger("crm_bench")

CONCURRENCY = 50
# Odoo's prefork server listens with a queue of 8 connections per worker:
# with fewer than 50 / 8 workers, a burst of 50 new connections overflows
# it and the kernel resets some of them (SYN cookies) before Odoo sees them
# (in production a reverse proxy queues them). Hence 7 workers.
WORKERS = max(2, -(-CONCURRENCY // 8))
P95_FACTOR = 3
# Clear business errors: the rules said no, and the message says why. Any
# other reply (an access error on a record the user may not see, a server
# error, a reset connection, a timeout) is a lost request.
BUSINESS_ERRORS = (
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
)
REQUEST_TIMEOUT = 120


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """An Odoo server with workers on loopback, stopped on exit."""

    def __init__(self, odoo_args, log_path):
        self.port = _free_port()
        self.gevent_port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [
            sys.executable,
            "-m",
            "odoo",
            *odoo_args,
            f"--workers={WORKERS}",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={self.gevent_port}",
            "--limit-time-real=600",
            "--limit-time-cpu=300",
            "--no-database-list",
            "--log-level=warn",
            # The retries of serialization failures (where claims lose time).
            "--log-handler=odoo.service.model:INFO",
        ]
        self.log_path = log_path
        self.process = None

    def __enter__(self):
        # Its output goes to the log (the websocket process it starts cannot
        # start under ``python -m odoo``, and is not needed here).
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the Odoo server stopped ({self.process.returncode})"
                )
            try:
                if requests.get(f"{self.url}/web/health", timeout=5).status_code == 200:
                    return self
            except requests.RequestException as error:
                _logger.debug("waiting for the server: %s", error)
            time.sleep(0.5)
        raise RuntimeError("the Odoo server did not start within 180 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _jsonrpc(session, url, params):
    # One connection per request, as behind a reverse proxy: a prefork
    # worker serves one connection at a time.
    response = session.post(
        url,
        json={"jsonrpc": "2.0", "method": "call", "params": params, "id": 1},
        headers={"Connection": "close"},
        timeout=REQUEST_TIMEOUT,
    )
    response.raise_for_status()
    return response.json()


def _login(server, db, login):
    session = requests.Session()
    reply = _jsonrpc(
        session,
        f"{server.url}/web/session/authenticate",
        {"db": db, "login": login, "password": datagen.PASSWORD},
    )
    if "error" in reply or not reply["result"].get("uid"):
        raise RuntimeError(f"cannot log in as {login}: {reply.get('error')}")
    return session


def _sessions(server, db, logins):
    """One HTTP session per request, sharing the login of its user (one
    authentication per user: a password check costs 600,000 rounds)."""
    unique = sorted(set(logins))
    with ThreadPoolExecutor(max_workers=4) as pool:
        logged = dict(
            zip(
                unique,
                pool.map(lambda login: _login(server, db, login), unique),
                strict=True,
            )
        )
    sessions = []
    for login in logins:
        session = requests.Session()
        session.cookies.update(logged[login].cookies)
        sessions.append(session)
    return sessions


def _call(server, session, model, method, args, kwargs=None):
    return _jsonrpc(
        session,
        f"{server.url}/web/dataset/call_kw/{model}/{method}",
        {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
    )


def _burst(calls):
    """Run the callables at the same moment (one thread each); return
    (seconds, outcome) per call, where outcome is the JSON reply or the
    exception raised."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        start = time.perf_counter()
        try:
            outcome = call()
        except Exception as error:  # noqa: BLE001 - a lost request, counted
            outcome = error
        return time.perf_counter() - start, outcome

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _log_tail(log_path, lines=40):
    try:
        with open(log_path, encoding="utf-8", errors="replace") as log:
            tail = log.readlines()[-lines:]
    except OSError:
        return
    _logger.info("last lines of the server log:\n%s", "".join(tail))


def _retries(log_path):
    """Requests retried after a serialization failure or a lock timeout
    (each sleeps up to 2, 4, 8 ... s before the next try)."""
    try:
        with open(log_path, encoding="utf-8", errors="replace") as log:
            return sum(1 for line in log if "try again in" in line)
    except OSError:
        return 0


def _summary(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2], _p95(ordered), ordered[-1]


def _p95(values):
    ordered = sorted(values)
    return ordered[max(int(round(0.95 * len(ordered))) - 1, 0)]


def _targets(ctx, managers):
    """25 customers of the open pool and, for each, two different managers
    who may claim it; 50 other customers of that pool (visible to every
    manager before and after the claims) for the plain reads; and 50 more,
    claimed without a race before the measure to warm the workers up."""
    with ctx.registry.cursor() as cr:
        cr.execute(
            """
            SELECT p.id FROM res_partner p
              JOIN crm_customer_pool g ON g.id = p.pool_id
             WHERE p.is_company AND p.pool_state = 'pool' AND g.is_open
             ORDER BY p.id LIMIT %s
            """,
            [CONCURRENCY // 2 + 2 * CONCURRENCY],
        )
        found = [row[0] for row in cr.fetchall()]
    customers = found[: CONCURRENCY // 2]
    readable = found[CONCURRENCY // 2 : CONCURRENCY // 2 + CONCURRENCY]
    warm_up = found[CONCURRENCY // 2 + CONCURRENCY :]
    claims = []
    for index, customer in enumerate(customers):
        first = managers[(2 * index) % len(managers)]
        second = managers[(2 * index + 1) % len(managers)]
        claims += [(first, customer), (second, customer)]
    return customers, claims, readable, warm_up


def measure(ctx):
    logins = [
        datagen.MANAGER_LOGIN % (index + 1) for index in range(ctx.scale.managers)
    ]
    user_ids = {login: ctx.user_id(login) for login in logins}
    customers, claims, readable, warm_up = _targets(ctx, logins)
    with ctx.registry.cursor() as cr:
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM crm_customer_ownership_log")
        log_id = cr.fetchone()[0]
    log_path = os.path.join(ctx.work_dir, "http-server.log")
    with Server(ctx.odoo_args, log_path) as server:
        sessions = _sessions(server, ctx.db, [login for login, _customer in claims])
        # Warm every worker up (first requests fill its caches) with an
        # unmeasured burst of reads.

        def read_burst():
            return _burst(
                [
                    lambda s=session, c=customer: _call(
                        server, s, "res.partner", "read", [[c], ["name", "user_id"]]
                    )
                    for session, customer in zip(sessions, readable, strict=True)
                ]
            )

        read_burst()
        # The claim path too (its code, its caches: tracking, the ownership
        # log, followers), as in a server that has been up for a while: one
        # uncontested claim per session, not measured.
        warm_up_replies = _burst(
            [
                lambda s=session, c=customer: _call(
                    server, s, "res.partner", "action_pool_claim", [[c]]
                )
                for session, customer in zip(sessions, warm_up, strict=True)
            ]
        )
        warm_up_failed = [
            reply
            for _s, reply in warm_up_replies
            if not (isinstance(reply, dict) and "result" in reply)
        ]
        if warm_up_failed:
            _logger.warning(
                "%s warm-up claims failed: %s",
                len(warm_up_failed),
                str(warm_up_failed[0])[:300],
            )
        reads = read_burst()
        replies = _burst(
            [
                lambda s=session, c=customer: _call(
                    server, s, "res.partner", "action_pool_claim", [[c]]
                )
                for session, (_name, customer) in zip(sessions, claims, strict=True)
            ]
        )
        # Reads again after the claims: the reference is the better of the
        # two read bursts (the stricter for the claims).
        reads_after = read_burst()
    if _p95([seconds for seconds, _reply in reads_after]) < _p95(
        [seconds for seconds, _reply in reads]
    ):
        reads, reads_after = reads_after, reads
    reads_lost_after = sum(
        1
        for _s, reply in reads_after
        if not (isinstance(reply, dict) and "result" in reply)
    )
    # What each request got.
    lost, winners = 0, {}
    for (seconds, reply), (login, customer) in zip(replies, claims, strict=True):
        if isinstance(reply, dict) and "result" in reply:
            winners.setdefault(customer, []).append(user_ids[login])
        elif (
            isinstance(reply, dict)
            and reply.get("error", {}).get("data", {}).get("name") in BUSINESS_ERRORS
        ):
            _logger.info(
                "claim of %s by %s refused after %.2f s: %s",
                customer,
                login,
                seconds,
                reply["error"]["data"]["message"],
            )
        else:
            lost += 1
            _logger.error(
                "claim of %s by %s lost after %.2f s: %s",
                customer,
                login,
                seconds,
                reply,
            )
    read_lost = reads_lost_after
    for (seconds, reply), (login, _claimed), customer in zip(
        reads, claims, readable, strict=True
    ):
        if not (isinstance(reply, dict) and "result" in reply):
            read_lost += 1
            _logger.error(
                "read of %s by %s lost after %.2f s: %s",
                customer,
                login,
                seconds,
                str(reply)[:300],
            )
    if lost or read_lost:
        _log_tail(log_path)
    # Who owns the customers now, and how many claims the log holds.
    with ctx.registry.cursor() as cr:
        cr.execute(
            """
            SELECT p.id, p.user_id, p.pool_state,
                   (SELECT COUNT(*) FROM crm_customer_ownership_log l
                     WHERE l.partner_id = p.id AND l.id > %s AND l.method = 'claim')
              FROM res_partner p WHERE p.id = ANY(%s)
            """,
            [log_id, customers],
        )
        state = {row[0]: row[1:] for row in cr.fetchall()}
    double_owners = 0
    for customer in customers:
        owner, pool_state, claim_logs = state[customer]
        got_it = winners.get(customer, [])
        if (
            len(got_it) > 1
            or claim_logs > 1
            or (got_it and (owner != got_it[0] or pool_state != "owned"))
        ):
            double_owners += 1
            _logger.error(
                "customer %s: successes %s, owner %s, %s claim log rows",
                customer,
                got_it,
                owner,
                claim_logs,
            )
    claim_p95 = _p95([seconds for seconds, _reply in replies])
    read_p95 = _p95([seconds for seconds, _reply in reads])
    _logger.info(
        "HTTP latencies (s): claims median %.3f p95 %.3f max %.3f; reads median "
        "%.3f p95 %.3f max %.3f",
        *_summary([seconds for seconds, _reply in replies]),
        *_summary([seconds for seconds, _reply in reads]),
    )
    _logger.info("HTTP: %s requests retried by the server", _retries(log_path))
    claimed = sum(1 for customer in customers if winners.get(customer))
    _logger.info(
        "HTTP: %s of %s customers claimed, %s lost claims, %s lost reads",
        claimed,
        len(customers),
        lost,
        read_lost,
    )
    return [
        result(
            f"HTTP {len(claims)} claims: customers with two owners",
            double_owners,
            "customers",
            target="= 0",
            met=double_owners == 0 and claimed > 0,
        ),
        result(
            f"HTTP {len(claims)} claims: lost requests",
            lost + read_lost,
            "requests",
            target="= 0",
            met=lost + read_lost == 0,
        ),
        result(
            f"HTTP {len(claims)} claims: p95 latency vs read",
            round(claim_p95, 6),
            "s",
            floor=round(read_p95, 6),
            ratio=claim_p95 / read_p95 if read_p95 else None,
            target=f"ratio <= {P95_FACTOR}",
            met=bool(read_p95) and claim_p95 <= P95_FACTOR * read_p95,
        ),
    ]
