"""Suite-wide rules of the test command.

A skipped test is a failed one here: browser tours skip silently when
Chromium or websocket-client is missing, and such a run must not pass. The
summary names the Chromium the tours ran in, so a log shows they really did.
"""

import os
import runpy
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).parent
_browser_versions = []


def pytest_configure(config):
    try:
        from odoo.tests.common import ChromeBrowser
    except ImportError:
        return
    open_websocket = ChromeBrowser._open_websocket

    def _open_websocket(self):
        version = self._json_command("version")
        _browser_versions.append(version.get("Browser"))
        return open_websocket(self)

    ChromeBrowser._open_websocket = _open_websocket


# Odoo's own suites run in ours (crm_custom/tests/test_odoo_*.py); the tests
# they do not run are listed, each with its reason, in one file (X6). Read by
# path: importing it as a module would import the addon outside odoo.addons.
ODOO_SUITE_EXCEPTIONS = (
    Path(__file__).parent / "crm_custom" / "tests" / "odoo_suite_exceptions.py"
)


def pytest_collection_modifyitems(config, items):
    if not ODOO_SUITE_EXCEPTIONS.is_file():
        return
    listed = runpy.run_path(str(ODOO_SUITE_EXCEPTIONS))["DESELECTED"]
    folder = ODOO_SUITE_EXCEPTIONS.parent
    kept, deselected = [], []
    for item in items:
        path = Path(str(item.path))
        key = "::".join([path.name, *item.nodeid.split("::")[1:]])
        if path.parent == folder and key in listed:
            deselected.append(item)
        else:
            kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    # The tests of background commands last: the others run meanwhile.
    items[:] = [
        *(item for item in kept if not _has_background(item)),
        *(item for item in kept if _has_background(item)),
    ]


def _has_background(item):
    return hasattr(getattr(item, "module", None), "background_commands")


# Tests that run other processes (fresh installs, the small benchmark) take
# most of the suite's time waiting for them, while pytest itself uses one
# core. A test module that defines ``background_commands()`` (the keyword
# arguments of BackgroundJob) has its commands started when the collection
# ends (only when one of its tests was selected), beside the in-process
# tests, in CRM_TEST_BACKGROUND_LANES lanes (default 2), the longest
# (``minutes``) first; its tests, moved to the end of the run, read the
# results through the ``background_results`` fixture.
_background_jobs = {}


class BackgroundJob:
    """Runs ``steps`` (argument lists) one after the other, stopping at the
    first that fails (unless ``keep_going``); ``result()`` waits and returns
    their ``subprocess.CompletedProcess`` (text output).

    ``standard_db``: (database, data directory) to create first as a copy
    of the benchmark's cached database of the standard addons the three
    addons depend on (no demo data; built once, by the first job that needs
    it, the others waiting on its lock): the fresh installs of the suite
    install only ours."""

    def __init__(  # noqa: PLR0913 - the keywords of background_commands()
        self,
        steps,
        env=None,
        cwd=None,
        timeout=1800,
        minutes=1,
        keep_going=False,
        standard_db=None,
    ):
        self.steps = steps
        self.env = env
        if standard_db:
            self.steps = [_copy_standard_db(*standard_db), *steps]
            self.env = {**(env or os.environ), **_pg_environment()}
        self.cwd = cwd
        self.timeout = timeout
        self.minutes = minutes
        self.keep_going = keep_going
        self.completed = []
        self.error = None
        self.seconds = None
        self.done = threading.Event()

    def run(self):
        started = _clock()
        try:
            for argv in self.steps:
                completed = self._run_step(argv)
                self.completed.append(completed)
                if completed.returncode and not self.keep_going:
                    break
        except Exception as error:  # noqa: BLE001 - reported by result()
            self.error = error
        finally:
            self.seconds = _clock() - started
            self.done.set()

    def _run_step(self, argv):
        # No timeout of subprocess: it reads time.monotonic through its
        # module, which the tests that freeze time (freezegun) patch meanwhile
        # in the main thread; threading's timers are left alone by them.
        with subprocess.Popen(
            argv,
            env=self.env,
            cwd=self.cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as process:
            timer = threading.Timer(self.timeout, process.kill)
            timer.start()
            try:
                stdout, stderr = process.communicate()
            finally:
                timer.cancel()
        if process.returncode == -signal.SIGKILL:
            stderr += f"\nkilled after {self.timeout} s: {argv}"
        return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)

    def result(self):
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.completed


def _copy_standard_db(db, data_dir):
    return [
        sys.executable,
        str(REPO / "tests" / "benchmarks" / "bench.py"),
        f"--repo={REPO}",
        f"--copy-base-cache={db}",
        f"--data-dir={data_dir}",
    ]


def _pg_environment():
    """The database server of the suite, for the benchmark's commands."""
    from odoo.tools import config  # noqa: PLC0415 - once Odoo is configured

    return {
        "PGHOST": config["db_host"] or "127.0.0.1",
        "PGPORT": str(config["db_port"] or 5432),
        "PGUSER": config["db_user"],
    }


def _clock():
    # Not time.monotonic: the tests that freeze time patch it meanwhile.
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def _run_lane(jobs):
    for job in jobs:
        job.run()


def pytest_collection_finish(session):
    modules = []
    for item in session.items:
        module = getattr(item, "module", None)
        if hasattr(module, "background_commands") and module not in modules:
            modules.append(module)
    if not modules:
        return
    for module in modules:
        _background_jobs[module.__name__] = BackgroundJob(
            **module.background_commands()
        )
    lanes = [[] for _ in range(int(os.environ.get("CRM_TEST_BACKGROUND_LANES", 2)))]
    for job in sorted(_background_jobs.values(), key=lambda job: -job.minutes):
        # the lane with the least work so far
        min(lanes, key=lambda lane: sum(job.minutes for job in lane)).append(job)
    for lane in lanes:
        threading.Thread(target=_run_lane, args=(lane,), daemon=True).start()


@pytest.fixture(scope="module")
def background_results(request):
    """The finished background job of the requesting module (its commands'
    ``CompletedProcess`` list)."""
    return _background_jobs[request.module.__name__].result()


def pytest_terminal_summary(terminalreporter):
    if _browser_versions:
        terminalreporter.write_line(
            f"Browser version: {_browser_versions[0]} "
            f"(headless Chromium started {len(_browser_versions)} times)"
        )
    else:
        terminalreporter.write_line("Browser version: none (no tour ran)")
    # What the background lanes took, to see where the suite's time goes.
    for name, job in _background_jobs.items():
        if job.seconds is not None:
            terminalreporter.write_line(
                f"Background commands of {name}: {job.seconds:.0f} s"
            )


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = reporter.stats.get("skipped", []) + reporter.stats.get("xfailed", [])
    if skipped and exitstatus == pytest.ExitCode.OK:
        reporter.write_line(
            f"{len(skipped)} test(s) skipped: a skipped test fails the suite.",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
