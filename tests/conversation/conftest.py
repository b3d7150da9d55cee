"""Conversation-understanding tests: the phrasing tables' figures, printed in the run's summary."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CONVERSATION_FIGURES: list[str] = []  # the intent tables
SCHEDULE_FIGURES: list[str] = []  # the schedule-language tables


@pytest.fixture
def conversation_figure() -> Callable[[str], None]:
    """Record an intent-table figure; printed in the terminal summary of the run."""
    return CONVERSATION_FIGURES.append


@pytest.fixture
def schedule_figure() -> Callable[[str], None]:
    """Record a schedule-language figure; printed in the terminal summary of the run."""
    return SCHEDULE_FIGURES.append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    sections = (("schedule language evaluation", SCHEDULE_FIGURES), ("intent evaluation", CONVERSATION_FIGURES))
    for title, lines in sections:
        if lines:
            terminalreporter.section(title)
            for line in lines:
                terminalreporter.write_line(line)
