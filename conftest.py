"""Suite-wide rules of the test command.

A skipped test is a failed one here: browser tours skip silently when
Chromium or websocket-client is missing, and such a run must not pass. The
summary names the Chromium the tours ran in, so a log shows they really did.
"""

import runpy
from pathlib import Path

import pytest

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
        items[:] = kept


def pytest_terminal_summary(terminalreporter):
    if _browser_versions:
        terminalreporter.write_line(
            f"Browser version: {_browser_versions[0]} "
            f"(headless Chromium started {len(_browser_versions)} times)"
        )
    else:
        terminalreporter.write_line("Browser version: none (no tour ran)")


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
