"""The schedule language against every phrasing table here (`schedule_*.yaml`), each reported on its own.

For every table: no schedule other than the one meant (zero WRONG), at least 95 % of the phrasings
understood or asked back, and every refusal with a hint. A held-out table (its name says so) is
scored the same way; only its figures are printed, never its phrasings.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conversation.schedule_eval import is_heldout, load_table, score, tables

MIN_UNDERSTOOD = 0.95


def test_the_tuning_tables_are_big_enough() -> None:
    here = {path.stem: load_table(path) for path in tables()}
    assert len(here["schedule_tuning"].parse) >= 90
    assert len(here["schedule_refusals"].refuse) >= 40


@pytest.mark.parametrize("path", tables(), ids=lambda path: path.stem)
def test_phrasing_table(path: Path, schedule_figure: Callable[[str], None]) -> None:
    result = score(load_table(path))
    name = f"{path.stem} ({'held-out' if is_heldout(path) else 'tuning'})"
    for line in result.summary(name):
        schedule_figure(line)
    shown = (lambda found: len(found)) if is_heldout(path) else (lambda found: found)
    assert not result.wrong, shown(result.wrong)
    assert result.understood_or_confirmed >= MIN_UNDERSTOOD, shown(result.missed)
    assert not result.no_hint, shown(result.no_hint)
