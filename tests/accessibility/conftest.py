"""Prints the accessibility audit's summary table (screens × checks) at the end of the test run."""

from __future__ import annotations

import pytest

SUMMARY_KEY = pytest.StashKey[list[str]]()


@pytest.fixture
def audit_summary(request: pytest.FixtureRequest) -> list[str]:
    return request.config.stash.setdefault(SUMMARY_KEY, [])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    tables = config.stash.get(SUMMARY_KEY, [])
    if tables:
        terminalreporter.write_sep("-", "accessibility audit: items checked per screen (✗ = failures)")
        for line in tables[-1].splitlines():
            terminalreporter.write_line(line)
