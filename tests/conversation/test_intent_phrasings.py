"""People's own words reach the right command, and questions that merely contain a command word reach the answerer.

Figures for every `intents_*.yaml` table are printed in the run's summary; the held-out table
(written before the matcher, by someone who did not read it) is reported on its own line.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from handlers import build_router
from handlers.router import Router
from tests.conversation.intent_eval import HERE, score

TABLES = sorted(HERE.glob("intents_*.yaml"))


@pytest.fixture(scope="module")
def router() -> Router:
    return build_router()


@pytest.mark.parametrize("table", TABLES, ids=lambda p: p.stem)
def test_phrasing_table(router: Router, table: object, conversation_figure: Callable[[str], None]) -> None:
    result = score(router, table)  # type: ignore[arg-type]
    conversation_figure(result.line())
    assert result.questions["wrong"] == 0, result.failures  # no question is ever taken for a command
    if result.name != "held-out":  # the held-out table is measured, not tuned to
        assert result.commands["wrong"] == 0 and result.understood >= 0.95, result.failures


def test_tables_have_the_size_the_issue_asks_for() -> None:
    from tests.conversation.intent_eval import load

    tuning = load(HERE / "intents_tuning.yaml")
    assert len(tuning["questions"]) >= 40
    assert len(tuning["commands"]) >= 60
