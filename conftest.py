"""Suite-wide rules of the test command.

A skipped test is a failed one here: browser tours skip silently when
Chromium or websocket-client is missing, and such a run must not pass.
"""

import pytest


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
