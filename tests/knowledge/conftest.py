"""Knowledge-base tests: one loaded knowledge base per run, and the evaluation figures in the summary.

No fixture here touches a database.
"""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase
from tests.support.shared import shared_knowledge

EVAL_FIGURES: list[str] = []
SAFEGUARDING_FIGURES: list[str] = []


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """Loaded once: building the index is start-up work."""
    return shared_knowledge()


@pytest.fixture
def eval_figure() -> object:
    """Record an evaluation figure; printed in the terminal summary of the run."""
    return EVAL_FIGURES.append


@pytest.fixture
def safeguarding_figure() -> object:
    """Record a safeguarding evaluation figure; printed in the terminal summary of the run."""
    return SAFEGUARDING_FIGURES.append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    sections = (("knowledge base evaluation", EVAL_FIGURES), ("safeguarding evaluation", SAFEGUARDING_FIGURES))
    for title, lines in sections:
        if lines:
            terminalreporter.section(title)
            for line in lines:
                terminalreporter.write_line(line)
