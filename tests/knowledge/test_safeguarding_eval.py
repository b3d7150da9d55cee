"""The safeguarding evaluation: recall per level and false positives, on the tuning and held-out tables.

The held-out table was written and committed before the matcher existed, and is never tuned
against: its figures are reported, not asserted. The targets are asserted on the tuning table:
recall 1.00 at the risk-to-life level, 0.95 overall, false positives at most 5 %. The time one
check takes is reported too (it runs on every message), never asserted.

Both tables turned out close to the phrases' own wording. The indirect tables (2026-12-06) hold messages written
blind by helpers from how staff write when struggling, most of them indirect: the tuning one keeps what was reached
on it from slipping back (a floor, not a target: the models were fitted on it); the blind one is reported only.
The everyday tables (2026-12-07) hold what people type every day (reflections, short replies, commands): few of them
may get a support list.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from knowledge.safeguarding import Safeguarding
from knowledge.signposts import load_signposts
from tests.knowledge.safeguarding_eval import (
    BLIND_Q,
    EVERYDAY_BLIND,
    EVERYDAY_TUNING,
    HELDOUT,
    INDIRECT_BLIND,
    INDIRECT_TUNING,
    PROBE_P,
    TUNING,
    Score,
    load_table,
    score,
    timings,
)

MIN_RISK_TO_LIFE = 1.0
MIN_OVERALL = 0.95
MAX_FALSE_POSITIVES = 0.05
# Floors on the indirect tuning table, just under what was reached on 2026-12-06 with the models, which were fitted on
# it (risk to life 0.939, overall 0.925, false positives 3.6 %, with set I; before the models, on A, B, D and E, 0.776
# and 0.815 with the phrases and cues alone). Set M (2026-12-07) added 210 ordinary sentences written to look like
# risk (an overdose in resus, a patient who wants to die at home, "wont be around after friday, career break"): 19 of
# them were flagged before its cues were added, 18 after, so the table's rate went 3.6 % -> 5.0 % (the six earlier sets
# unchanged at 18 of 505); the ceiling follows the harder table.
# The meaning model (knowledge/safeguarding_meaning.py, later on 2026-12-07) took this table to risk to life 0.944,
# overall 0.931, false positives 5.2 % (37 of 715), and the indirect blind table with set O, never fitted on, from
# 0.766 / 0.723 to 0.809 / 0.775 with full support at the right level, at 5.9 % -> 6.3 % false positives.
INDIRECT_MIN_RISK_TO_LIFE = 0.935
INDIRECT_MIN_OVERALL = 0.925
INDIRECT_MAX_FALSE_POSITIVES = 0.055
# Everyday messages (reflections, short replies, commands, grumbles) given a support list: 5 of the tuning table's 400
# by the words alone, 6 with the meaning
EVERYDAY_MAX_LISTS = 0.02


def detector() -> Safeguarding:
    return load_signposts().detector


def test_the_tables_are_big_enough() -> None:
    tuning, heldout = load_table(TUNING), load_table(HELDOUT)
    assert len(tuning.risk) + len(heldout.risk) >= 200
    assert len(heldout.risk) >= 40
    assert len(tuning.ordinary) + len(heldout.ordinary) >= 150
    assert len(heldout.ordinary) >= 40
    for table in (tuning, heldout):
        assert {p.level for p in table.risk} == {"risk_to_life", "distress", "concern"}
        assert any(p.third_person for p in table.risk), "each table has phrasings about someone else"
    held = {p.text.casefold() for p in heldout.risk} | {s.casefold() for s in heldout.ordinary}
    assert not held & ({p.text.casefold() for p in tuning.risk} | {s.casefold() for s in tuning.ordinary})


def scored(name: str, path: Path, figure: Callable[[str], None]) -> Score:
    """The check's score on one table, its summary printed."""
    result = score(detector(), load_table(path))
    for line in result.summary(name):
        figure(line)
    return result


def test_tuning_table_meets_the_targets(safeguarding_figure: Callable[[str], None]) -> None:
    result = scored("tuning  ", TUNING, safeguarding_figure)
    assert result.recall("risk_to_life") >= MIN_RISK_TO_LIFE, result.misses
    assert result.recall() >= MIN_OVERALL, result.misses
    assert result.false_positive_rate <= MAX_FALSE_POSITIVES, result.flagged


def test_indirect_messages_keep_what_was_reached(safeguarding_figure: Callable[[str], None]) -> None:
    result = scored("indirect tuning", INDIRECT_TUNING, safeguarding_figure)
    assert result.recall("risk_to_life") >= INDIRECT_MIN_RISK_TO_LIFE
    assert result.recall() >= INDIRECT_MIN_OVERALL
    assert result.false_positive_rate <= INDIRECT_MAX_FALSE_POSITIVES, result.flagged


# Set P after its misses were read (phrases, frames and idioms added, models not refitted): risk to life 0.800, overall
# 0.822, false positives 15.6 % -> 12.8 % (23 of 180; most left are cheerful talk of partners read by the meaning)
PROBE_P_MIN_RISK_TO_LIFE = 0.78
PROBE_P_MIN_OVERALL = 0.80
PROBE_P_MAX_FALSE_POSITIVES = 0.13


def test_set_p_keeps_what_was_reached(safeguarding_figure: Callable[[str], None]) -> None:
    result = scored("set P (read)", PROBE_P, safeguarding_figure)
    assert result.recall("risk_to_life") >= PROBE_P_MIN_RISK_TO_LIFE
    assert result.recall() >= PROBE_P_MIN_OVERALL
    assert result.false_positive_rate <= PROBE_P_MAX_FALSE_POSITIVES, result.flagged


def everyday_lists(path: Path, figure: Callable[[str], None], name: str) -> tuple[int, int]:
    """How many of a table's everyday messages get a support list (and the one line), printed; (lists, messages)."""
    texts = [str(t) for t in yaml.safe_load(path.read_text(encoding="utf-8"))["ordinary"]]
    found = [detector().assess(t) for t in texts]
    lists = sum(1 for f in found if f is not None and not f.gentle and not f.unsure)
    lines = sum(1 for f in found if f is not None and (f.gentle or f.unsure))
    figure(f"{name}: {len(texts)} everyday messages: given a support list {lists / len(texts):.1%} ({lists}), one line "
           f"{lines}")
    return lists, len(texts)


def test_everyday_messages_are_left_alone(safeguarding_figure: Callable[[str], None]) -> None:
    lists, total = everyday_lists(EVERYDAY_TUNING, safeguarding_figure, "everyday tuning")
    assert lists <= EVERYDAY_MAX_LISTS * total


def test_blind_everyday_table_is_reported(safeguarding_figure: Callable[[str], None]) -> None:
    # Only the aggregate is printed, as for the other blind tables
    assert everyday_lists(EVERYDAY_BLIND, safeguarding_figure, "everyday blind")[1] > 0


@pytest.mark.parametrize(
    ("name", "path"), [("held-out", HELDOUT), ("indirect blind", INDIRECT_BLIND), ("set Q (blind)", BLIND_Q)]
)
def test_blind_table_is_reported(safeguarding_figure: Callable[[str], None], name: str, path: Path) -> None:
    # Only the aggregate is printed: the phrasings of a blind table are never looked at one by one.
    assert scored(name, path, safeguarding_figure).totals["risk_to_life"] > 0


def test_time_per_message_is_reported(safeguarding_figure: Callable[[str], None]) -> None:
    texts = [p.text for t in (load_table(TUNING), load_table(HELDOUT)) for p in t.risk]
    texts += [s for t in (load_table(TUNING), load_table(HELDOUT)) for s in t.ordinary]
    p50, p99 = timings(detector(), texts)
    safeguarding_figure(f"time per message over {len(texts)} messages x 5: p50 {p50:.3f} ms  p99 {p99:.3f} ms")
    assert p50 > 0
