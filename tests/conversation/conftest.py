"""Conversation-understanding tests: their evaluation figures printed in the run's summary."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CONVERSATION_FIGURES: list[str] = []


@pytest.fixture
def conversation_figure() -> Callable[[str], None]:
    """Record a phrasing-table figure; printed in the terminal summary of the run."""
    return CONVERSATION_FIGURES.append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if CONVERSATION_FIGURES:
        terminalreporter.section("conversation understanding (phrasing tables)")
        for line in CONVERSATION_FIGURES:
            terminalreporter.write_line(line)
