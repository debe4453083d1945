"""Scale-out on Odoo's own engine (issue 18): ``--nodes 2 --replica``.

Starts a PostgreSQL streaming replica of the primary on this machine (a
second cluster made by ``pg_basebackup -R`` on another port, hot standby)
and ``--nodes`` Odoo servers with workers, all on the same database and
data directory (shared filestore and session store), configured with Odoo
18's ``db_replica_host``/``db_replica_port``: requests on read-only routes
(``/web/dataset/call_kw`` of a method marked ``@api.readonly``, such as
``read_group``, ``web_search_read``, ``read``) get a cursor on the replica,
every other one (claims) a cursor on the primary. Measures:

- claims raced across the nodes: for each of 25 pool customers, one
  manager claims it on node 1 and another on node 2 at the same moment;
  0 customers with two owners, 0 lost requests;
- a session opened on node 1 is accepted by node 2 (shared session store:
  no sticky sessions needed);
- the analyses (``read_group`` of the default pivot of every report action,
  as the sales manager, over HTTP on the nodes) equal the primary's
  (read in this process) once the replica has replayed the primary's WAL
  (``pg_last_wal_replay_lsn() >= pg_current_wal_lsn()``);
- the read load moved off the primary: rows returned (``tup_returned``) and
  transactions of ``pg_stat_database`` for the benchmark's database on each
  cluster during the analyses.

The primary needs ``wal_level`` replica or logical and ``max_wal_senders``
> 0 (PostgreSQL's defaults) and a pg_hba.conf entry allowing replication
connections from 127.0.0.1 for the ``postgres`` role: when it has none, this
module appends ``host replication postgres 127.0.0.1/32 trust`` and reloads
the configuration (reported in the log; the line is left in place). The
cluster commands run as the ``postgres`` OS user (``runuser`` when the
benchmark runs as root). The replica and the servers are stopped and the
replica's directory removed at the end, whatever happens."""

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import datagen
import http_claims
import measures
import psycopg2
from measures import result

_logger = logging.getLogger("crm_bench")

WORKERS_PER_NODE = 4
CATCH_UP_TIMEOUT = 120


def _as_postgres(command, **kwargs):
    """Run a cluster command as the postgres OS user."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def _primary(pg, sql, dbname="postgres", user="postgres"):
    with contextlib.closing(
        psycopg2.connect(host=pg["host"], port=pg["port"], user=user, dbname=dbname)
    ) as conn:
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute(sql)
            return cr.fetchall() if cr.description else None


def _bin_dir(pg):
    version = _primary(pg, "SHOW server_version_num")[0][0]
    major = int(version) // 10000
    path = f"/usr/lib/postgresql/{major}/bin"
    if not os.path.isdir(path):
        raise RuntimeError(f"no PostgreSQL {major} binaries in {path}")
    return path


def _ensure_replication_allowed(pg):
    """wal_level and max_wal_senders allow a standby; pg_hba.conf allows a
    replication connection of ``postgres`` from 127.0.0.1."""
    settings = dict(
        _primary(
            pg,
            "SELECT name, setting FROM pg_settings "
            "WHERE name IN ('wal_level', 'max_wal_senders', 'hba_file')",
        )
    )
    if settings["wal_level"] == "minimal" or int(settings["max_wal_senders"]) < 1:
        raise RuntimeError(
            f"the primary cannot stream WAL: {settings}; set wal_level = replica "
            "and max_wal_senders > 0 and restart it"
        )
    allowed = _primary(
        pg,
        "SELECT COUNT(*) FROM pg_hba_file_rules "
        "WHERE 'replication' = ANY(database) AND type = 'host' AND error IS NULL "
        "AND ('all' = ANY(user_name) OR 'postgres' = ANY(user_name)) "
        "AND (address IS NULL OR address = 'all' OR "
        "     '127.0.0.1'::inet <<= (address || '/' || "
        "       COALESCE(masklen(netmask::inet), 32))::inet)",
    )[0][0]
    if not allowed:
        line = "host replication postgres 127.0.0.1/32 trust"
        _logger.warning(
            "pg_hba.conf of the primary (%s) allows no replication from "
            "127.0.0.1: adding %r and reloading",
            settings["hba_file"],
            line,
        )
        with open(settings["hba_file"], "a", encoding="utf-8") as hba:
            hba.write(f"\n# crm benchmark --replica (streaming replica)\n{line}\n")
        _primary(pg, "SELECT pg_reload_conf()")
        time.sleep(1)
    return settings


class Replica:
    """A hot-standby cluster streaming from the primary, on its own port;
    stopped and removed on exit."""

    def __init__(self, pg, work_dir):
        self.pg = pg
        self.bin = _bin_dir(pg)
        self.port = http_claims._free_port()
        self.dir = tempfile.mkdtemp(prefix="crm_bench_replica_", dir=work_dir)
        self.data = os.path.join(self.dir, "data")
        self.started = False

    def __enter__(self):
        try:
            self._start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _start(self):
        _ensure_replication_allowed(self.pg)
        shutil.chown(self.dir, "postgres", "postgres") if os.geteuid() == 0 else None
        os.chmod(self.dir, 0o700)
        # The work directory is private (mkdtemp): the postgres user must
        # reach the replica's directory.
        parent = os.path.dirname(self.dir)
        os.chmod(parent, os.stat(parent).st_mode | 0o711)
        started = time.monotonic()
        _as_postgres(
            [
                os.path.join(self.bin, "pg_basebackup"),
                "-h",
                self.pg["host"],
                "-p",
                str(self.pg["port"]),
                "-U",
                "postgres",
                "-D",
                self.data,
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ]
        )
        _logger.info(
            "replica: base backup in %.0f s into %s",
            time.monotonic() - started,
            self.data,
        )
        # A Debian cluster keeps its configuration outside the data
        # directory: the replica gets its own, with the settings a standby
        # must not have below the primary's.
        primary = dict(
            _primary(
                self.pg,
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('max_connections', 'max_worker_processes', 'max_wal_senders', "
                "'max_prepared_transactions', 'max_locks_per_transaction')",
            )
        )
        conf = [
            f"port = {self.port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.dir}'",
            "hot_standby = on",
            "shared_buffers = '128MB'",
            *(f"{name} = {value}" for name, value in sorted(primary.items())),
        ]
        hba = [
            "local all all trust",
            "host all all 127.0.0.1/32 trust",
        ]
        for name, lines in (("postgresql.conf", conf), ("pg_hba.conf", hba)):
            path = os.path.join(self.data, name)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n")
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")
        with open(os.path.join(self.data, "pg_ident.conf"), "a", encoding="utf-8"):
            pass
        if os.geteuid() == 0:
            shutil.chown(
                os.path.join(self.data, "pg_ident.conf"), "postgres", "postgres"
            )
        _as_postgres(
            [
                os.path.join(self.bin, "pg_ctl"),
                "-D",
                self.data,
                "-l",
                os.path.join(self.dir, "replica.log"),
                "-w",
                "-t",
                "120",
                "start",
            ]
        )
        self.started = True
        _logger.info("replica: streaming on port %s", self.port)

    def __exit__(self, *exc):
        if self.started:
            try:
                _as_postgres(
                    [
                        os.path.join(self.bin, "pg_ctl"),
                        "-D",
                        self.data,
                        "-m",
                        "immediate",
                        "-w",
                        "stop",
                    ]
                )
            except subprocess.CalledProcessError as error:
                _logger.error("replica: could not stop it: %s", error.stderr)
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def connect(self, dbname):
        return psycopg2.connect(
            host="127.0.0.1", port=self.port, user=self.pg["user"], dbname=dbname
        )

    def wait_caught_up(self, db):
        """Wait until the replica has replayed everything the primary had
        written when called; return the seconds waited. Replaying is slow
        when the rest of the machine writes much (other databases of the
        cluster: a database copied from a template is written whole to the
        WAL): give up only when the replay stops moving for
        CATCH_UP_TIMEOUT seconds."""
        target = _primary(self.pg, "SELECT pg_current_wal_lsn()")[0][0]
        started = moved = time.monotonic()
        replayed = None
        with contextlib.closing(self.connect(db)) as conn:
            conn.autocommit = True
            with conn.cursor() as cr:
                while True:
                    cr.execute(
                        "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn,"
                        " pg_last_wal_replay_lsn()",
                        [target],
                    )
                    caught_up, lsn = cr.fetchone()
                    if caught_up:
                        return time.monotonic() - started
                    if lsn != replayed:
                        replayed, moved = lsn, time.monotonic()
                    elif time.monotonic() - moved > CATCH_UP_TIMEOUT:
                        raise RuntimeError(
                            f"the replica did not catch up: replay stopped at "
                            f"{lsn}, the primary was at {target}"
                        )
                    time.sleep(0.1)


def _db_stats(connect, db):
    with contextlib.closing(connect()) as conn:
        conn.autocommit = True
        with conn.cursor() as cr:
            # Statistics are flushed by the backends at most every second.
            cr.execute("SELECT pg_stat_clear_snapshot()")
            cr.execute(
                "SELECT tup_returned, xact_commit + xact_rollback "
                "FROM pg_stat_database WHERE datname = %s",
                [db],
            )
            stats = cr.fetchone()
            # Where the rows come from (the log says which tables).
            cr.execute(
                "SELECT relname, COALESCE(seq_tup_read, 0)"
                " + COALESCE(idx_tup_fetch, 0) FROM pg_stat_user_tables"
            )
            return (*stats, dict(cr.fetchall()))


def _node_server(ctx, index, replica_port):
    server = http_claims.Server(
        [
            *ctx.odoo_args,
            "--db_replica_host=127.0.0.1",
            f"--db_replica_port={replica_port}",
        ],
        os.path.join(ctx.work_dir, f"node-{index}.log"),
    )
    server.args = [
        f"--workers={WORKERS_PER_NODE}" if arg.startswith("--workers=") else arg
        for arg in server.args
    ]
    return server


def _claims_across(ctx, nodes):
    """Each customer claimed at once by two managers on two nodes."""
    logins = [
        datagen.MANAGER_LOGIN % (index + 1) for index in range(ctx.scale.managers)
    ]
    user_ids = {login: ctx.user_id(login) for login in logins}
    customers, claims, _readable, _warm_up = http_claims._targets(ctx, logins)
    sessions = http_claims._sessions(nodes[0], ctx.db, [login for login, _c in claims])
    node_of = [nodes[index % len(nodes)] for index in range(len(claims))]
    calls = [
        lambda s=session, c=customer, n=node: http_claims._call(
            n, s, "res.partner", "action_pool_claim", [[c]]
        )
        for session, (_login, customer), node in zip(
            sessions, claims, node_of, strict=True
        )
    ]
    replies = http_claims._burst(calls)
    lost, winners = 0, {}
    for (_seconds, reply), (login, customer) in zip(replies, claims, strict=True):
        if isinstance(reply, dict) and "result" in reply:
            winners.setdefault(customer, []).append(user_ids[login])
        elif not (
            isinstance(reply, dict)
            and reply.get("error", {}).get("data", {}).get("name")
            in http_claims.BUSINESS_ERRORS
        ):
            lost += 1
            _logger.error("replica: claim of %s by %s lost: %s", customer, login, reply)
    with ctx.registry.cursor() as cr:
        cr.execute(
            "SELECT id, user_id FROM res_partner WHERE id = ANY(%s)", [customers]
        )
        owners = dict(cr.fetchall())
    double = sum(
        1
        for customer in customers
        if len(winners.get(customer, [])) > 1
        or (winners.get(customer) and owners[customer] != winners[customer][0])
    )
    claimed = sum(1 for customer in customers if winners.get(customer))
    _logger.info(
        "replica: %s claims on %s nodes: %s customers claimed, %s double owners, "
        "%s lost",
        len(claims),
        len(nodes),
        claimed,
        double,
        lost,
    )
    # The session opened on node 1 works on every node (shared sessions).
    shared = all(
        "result"
        in http_claims._call(
            node,
            sessions[0],
            "res.users",
            "read",
            [[user_ids[claims[0][0]]], ["login"]],
        )
        for node in nodes
    )
    return len(claims), claimed, double, lost, shared


def _analyses(ctx, nodes, replica):
    """The default pivots over HTTP on the nodes (read-only route: the
    replica) against the same read_group on the primary in this process."""
    with ctx.registry.cursor() as cr:
        specs = measures.pivot_specs(ctx.env(cr), ctx.today)
    manager = datagen.SALES_MANAGER_LOGIN
    manager_id = ctx.user_id(manager)
    waited = replica.wait_caught_up(ctx.db)
    sessions = [http_claims._login(node, ctx.db, manager) for node in nodes]
    # Warm every worker of each node up, unmeasured: their connections to
    # both clusters and their caches (reloaded after the claims) are read
    # once per worker from the system catalogs, not by the analyses.
    http_claims._burst(
        [
            lambda n=node, s=session: http_claims._call(
                n, s, "res.users", "read", [[manager_id], ["login"]]
            )
            for node, session in zip(nodes, sessions, strict=True)
            for _index in range(3 * WORKERS_PER_NODE)
        ]
    )
    time.sleep(1.5)
    primary_before = _db_stats(lambda: psycopg2.connect(**_dsn(ctx)), ctx.db)
    replica_before = _db_stats(lambda: replica.connect(ctx.db), ctx.db)
    differ, lost = [], 0
    over_http = {}
    for index, spec in enumerate(specs):
        node = nodes[index % len(nodes)]
        session = sessions[index % len(nodes)]
        measure_specs = [f"{m}:{a}" for m, a in spec["aggregators"].items()]
        reply = http_claims._call(
            node,
            session,
            spec["model"],
            "read_group",
            [spec["domain"], measure_specs, spec["groupby"]],
            {
                "lazy": False,
                "context": {
                    "lang": "en_US",
                    "tz": "Asia/Shanghai",
                    **spec["context"],
                },
            },
        )
        if "result" not in reply:
            lost += 1
            _logger.error("replica: %s over HTTP: %s", spec["name"], reply)
            continue
        over_http[spec["name"]] = measures._groups_effect(
            reply["result"], spec["measures"]
        )
    time.sleep(1.5)
    primary_after = _db_stats(lambda: psycopg2.connect(**_dsn(ctx)), ctx.db)
    replica_after = _db_stats(lambda: replica.connect(ctx.db), ctx.db)
    for spec in specs:
        if spec["name"] not in over_http:
            continue
        with ctx.registry.cursor() as cr:
            env = ctx.env(
                cr,
                manager_id,
                {"lang": "en_US", "tz": "Asia/Shanghai", **spec["context"]},
            )
            groups = env[spec["model"]].read_group(
                spec["domain"],
                [f"{m}:{a}" for m, a in spec["aggregators"].items()],
                spec["groupby"],
                lazy=False,
            )
            cr.rollback()
        mine = measures._groups_effect(groups, spec["measures"])
        if not measures._same_effect(mine, over_http[spec["name"]]):
            differ.append(spec["name"])
            _logger.error(
                "replica: %s differs: primary %s, over HTTP %s",
                spec["name"],
                mine,
                over_http[spec["name"]],
            )
    primary_rows = primary_after[0] - primary_before[0]
    replica_rows = replica_after[0] - replica_before[0]
    _logger.info(
        "replica: caught up in %.2f s; %s analyses; rows returned on the primary "
        "%s, on the replica %s; transactions %s / %s",
        waited,
        len(specs),
        primary_rows,
        replica_rows,
        primary_after[1] - primary_before[1],
        replica_after[1] - replica_before[1],
    )
    tables = {
        name: rows - primary_before[2].get(name, 0)
        for name, rows in primary_after[2].items()
    }
    _logger.info(
        "replica: rows read on the primary by table: %s",
        sorted(tables.items(), key=lambda item: -item[1])[:8],
    )
    return len(specs), differ, lost, primary_rows, replica_rows


def _dsn(ctx):
    import bench  # noqa: PLC0415

    return {**bench.pg_args(), "dbname": ctx.db}


def measure(ctx, node_count=2):
    """Measure group ``replica`` (``--nodes N --replica``)."""
    pg = {**_dsn(ctx)}
    previous = signal.getsignal(signal.SIGTERM)
    # A terminated benchmark still stops its replica and servers.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    try:
        with contextlib.ExitStack() as stack:
            replica = stack.enter_context(Replica(pg, ctx.work_dir))
            nodes = [
                stack.enter_context(_node_server(ctx, index + 1, replica.port))
                for index in range(node_count)
            ]
            claims, claimed, double, lost, shared = _claims_across(ctx, nodes)
            pivots, differ, read_lost, primary_rows, replica_rows = _analyses(
                ctx, nodes, replica
            )
    finally:
        signal.signal(signal.SIGTERM, previous)
    share = replica_rows / (replica_rows + primary_rows) if replica_rows else 0.0
    return [
        result(
            f"replica {node_count} nodes: {claims} claims, customers with two owners",
            double,
            "customers",
            target="= 0",
            met=double == 0 and claimed > 0,
        ),
        result(
            f"replica {node_count} nodes: lost requests",
            lost + read_lost,
            "requests",
            target="= 0, session shared",
            met=lost + read_lost == 0 and shared,
        ),
        result(
            f"replica {node_count} nodes: analyses differing from the primary",
            len(differ),
            "pivots",
            target=f"= 0 of {pivots}",
            met=not differ and pivots > 0,
        ),
        result(
            "replica: analyses' rows read on the replica",
            round(share, 3),
            "share",
            target=">= 0.9",
            met=share >= 0.9,
        ),
    ]
