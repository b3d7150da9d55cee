"""The persona evaluation (issue 16, item 5): questions as staff ask them, scored on the facts shown first.

Figures for the tuning, dev, dev2 … dev7 and held-out sets are printed in the terminal summary of every
run: "answered with the expected facts" overall, per persona and per kind, out-of-scope declined
(per category) and the AUROC of confidence. Today only the files' sanity is asserted; the
issue's held-out targets are asserted by `test_held_out_targets`, marked xfail (not strict)
while the answering work of issue 16 lands: remove the mark once they are met.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from knowledge import KnowledgeBase
from tests.knowledge.persona_eval import (
    KINDS,
    PERSONA_DEV,
    PERSONA_DEV2,
    PERSONA_DEV3,
    PERSONA_DEV4,
    PERSONA_DEV5,
    PERSONA_DEV6,
    PERSONA_DEV7,
    PERSONA_DEV8,
    PERSONA_DEV9,
    PERSONA_DEV10,
    PERSONA_DEV11,
    PERSONA_DEV12,
    PERSONA_HELDOUT,
    PERSONA_TUNING,
    PERSONAS,
    PersonaScore,
    QuestionSet,
    auroc,
    fact_found,
    load_set,
    normalise,
    score_set,
    shown_first,
)

# The targets, on the held-out set.
TARGET_ANSWERED_WITH_FACTS = 0.85
TARGET_OUT_OF_SCOPE_DECLINED = 0.90
TARGET_AUROC = 0.85

# The sizes the issue asks for.
MIN_QUESTIONS = 200  # tuning and held-out, in scope and out of scope
MIN_HELD_OUT = 80
MIN_OUT_OF_SCOPE = 50
NEAR_DUPLICATE = 95  # rapidfuzz ratio from which a held-out question repeats a tuning one


@pytest.fixture(scope="module")
def tuning() -> QuestionSet:
    return load_set(PERSONA_TUNING)


@pytest.fixture(scope="module")
def heldout() -> QuestionSet:
    return load_set(PERSONA_HELDOUT)


@pytest.fixture(scope="module")
def heldout_score(kb: KnowledgeBase, heldout: QuestionSet) -> PersonaScore:
    return score_set(kb, heldout)


def test_the_sets_are_big_enough(tuning: QuestionSet, heldout: QuestionSet) -> None:
    sets = (tuning, heldout)
    assert sum(len(s.questions) + len(s.out_of_scope) for s in sets) >= MIN_QUESTIONS
    assert len(heldout.questions) + len(heldout.out_of_scope) >= MIN_HELD_OUT
    assert sum(len(s.out_of_scope) for s in sets) >= MIN_OUT_OF_SCOPE
    for s in sets:
        assert all(q.facts and all(f.strip("| ") for f in q.facts) for q in s.questions), "every question has facts"
        assert {q.persona for q in s.questions} <= set(PERSONAS)
        assert {q.kind for q in s.questions} <= set(KINDS)
        assert all(o.category for o in s.out_of_scope)


def test_held_out_shares_no_question_with_tuning(tuning: QuestionSet, heldout: QuestionSet) -> None:
    def texts(s: QuestionSet) -> list[str]:
        return [normalise(q.text) for q in s.questions] + [normalise(o.text) for o in s.out_of_scope]

    tuned = texts(tuning)
    near = []
    for held in texts(heldout):
        best = max(tuned, key=lambda t: fuzz.ratio(held, t))
        if fuzz.ratio(held, best) >= NEAR_DUPLICATE:
            near.append((held, best))
    assert not near, f"held-out questions repeating tuning ones: {near}"


def test_tuning_set_is_reported(kb: KnowledgeBase, tuning: QuestionSet, eval_figure: Callable[[str], None]) -> None:
    result = score_set(kb, tuning)
    for line in result.summary("persona tuning"):
        eval_figure(line)
    assert len(result.outcomes) == len(tuning.questions)


# Read question by question: dev was written from personas by someone who had seen neither first set, dev4 the way the
# held-out set was (from personas and official pages, none of our content seen), dev7 as near-misses of what is out of
# scope and in-scope look-alikes of them (dev9 and dev10 too), dev11 mostly practical questions written like dev4.
@pytest.mark.parametrize(
    ("name", "path"),
    [("dev", PERSONA_DEV), ("dev4", PERSONA_DEV4), ("dev7", PERSONA_DEV7), ("dev9", PERSONA_DEV9),
     ("dev10", PERSONA_DEV10), ("dev11", PERSONA_DEV11)],
)  # fmt: skip
def test_dev_set_is_reported(kb: KnowledgeBase, eval_figure: Callable[[str], None], name: str, path: Path) -> None:
    dev = load_set(path)
    result = score_set(kb, dev)
    for line in result.summary(f"persona {name}"):
        eval_figure(line)
    assert len(result.outcomes) == len(dev.questions) and {q.persona for q in dev.questions} <= set(PERSONAS)


# Written blind and printed in aggregate only, like the held-out set: dev2 was used (in aggregate) to choose between
# changes, dev3 measured once at the end of the session it was written in and never tuned on, dev5 (written like dev4,
# from personas and official pages) committed at the start of a session and only measured, dev6 (the same way, written
# after a session's changes) committed before it was first measured, dev8 (near-misses of declines, written after the
# changes dev7 led to) the same, dev12 (written with dev11, other situations) committed before the ninth session's
# changes.
@pytest.mark.parametrize(
    ("name", "path"),
    [("dev2", PERSONA_DEV2), ("dev3", PERSONA_DEV3), ("dev5", PERSONA_DEV5), ("dev6", PERSONA_DEV6),
     ("dev8", PERSONA_DEV8), ("dev12", PERSONA_DEV12)],
)  # fmt: skip
def test_blind_dev_set_is_reported(
    kb: KnowledgeBase, eval_figure: Callable[[str], None], name: str, path: Path
) -> None:
    blind = load_set(path)
    result = score_set(kb, blind)
    for line in result.summary(f"persona {name}"):
        eval_figure(line)
    assert len(result.outcomes) == len(blind.questions) and len(blind.questions) + len(blind.out_of_scope) >= 100
    assert len(blind.out_of_scope) >= 30


def test_held_out_set_is_reported(heldout_score: PersonaScore, eval_figure: Callable[[str], None]) -> None:
    # Only the aggregates are printed: the held-out questions are never looked at one by one.
    for line in heldout_score.summary("persona held-out"):
        eval_figure(line)
    assert heldout_score.correct.total > 0


@pytest.mark.xfail(strict=False, reason="issue 16 open: held-out targets not met yet (README, Answers)")
def test_held_out_targets(heldout_score: PersonaScore) -> None:
    correct, declined = heldout_score.correct, heldout_score.out_of_scope_declined
    figures = f"answered with facts {correct}, out of scope declined {declined}, AUROC {heldout_score.auroc_all}"
    assert correct.share >= TARGET_ANSWERED_WITH_FACTS, figures
    assert declined.share >= TARGET_OUT_OF_SCOPE_DECLINED, figures
    assert (heldout_score.auroc_all or 0.0) >= TARGET_AUROC, figures


# The scoring itself.


def test_normalise_matches_across_quotes_hyphens_ampersands_and_markup() -> None:
    shown = normalise("The **People Promise**’s seven elements – “we are safe & healthy”;\n- Speak-up")
    assert fact_found("people promise's", shown)
    assert fact_found("we are safe and healthy", shown)
    assert fact_found('"We are safe & healthy"', shown)
    assert fact_found("speak up", shown)
    assert fact_found("nowhere|Speak up", shown)
    assert not fact_found("nowhere|absent", shown)


class _Answer:
    def __init__(self, answer: str, more: object = None) -> None:
        self.answer = answer
        if more is not None:
            self.more = more


def test_only_the_text_before_more_is_scored() -> None:
    assert shown_first(_Answer("short. the rest")) == "short. the rest"
    assert shown_first(_Answer("short.", more="the rest")) == "short."
    assert shown_first(_Answer("short. the rest", more="the rest")) == "short. "
    assert shown_first(_Answer("short. one two", more=["one", "two"])) == "short. "


def test_auroc_is_mann_whitney_with_ties_as_half() -> None:
    assert auroc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert auroc([0.1], [0.9]) == 0.0
    assert auroc([0.5], [0.5]) == 0.5
    assert auroc([0.9, 0.5], [0.5, 0.1]) == pytest.approx((1 + 1 + 0.5 + 1) / 4)
    assert auroc([], [0.1]) is None
