"""Conversation tests: the schedule phrasing figures, printed in the terminal summary of the run."""

from __future__ import annotations

from collections.abc import Callable

import pytest

SCHEDULE_FIGURES: list[str] = []


@pytest.fixture
def schedule_figure() -> Callable[[str], None]:
    """Record a schedule-language figure; printed in the terminal summary of the run."""
    return SCHEDULE_FIGURES.append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SCHEDULE_FIGURES:
        terminalreporter.section("schedule language evaluation")
        for line in SCHEDULE_FIGURES:
            terminalreporter.write_line(line)
