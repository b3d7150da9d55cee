"""Scoring the knowledge base against the question files (shared by the eval test and the benchmark)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge import KnowledgeBase

HERE = Path(__file__).resolve().parent
TUNING = HERE / "questions_tuning.yaml"
HELDOUT = HERE / "questions_heldout.yaml"
OUT_OF_SCOPE = HERE / "questions_out_of_scope.yaml"


@dataclass(frozen=True)
class Question:
    text: str
    expect: tuple[str, ...] = ()


@dataclass
class Score:
    """hit@1 / hit@3 for in-scope questions; a hit needs the answer to stay in scope."""

    total: int = 0
    hit1: int = 0
    hit3: int = 0
    misses: list[tuple[str, tuple[str, ...], list[str]]] = field(default_factory=list)

    @property
    def hit_at_1(self) -> float:
        return self.hit1 / self.total if self.total else 0.0

    @property
    def hit_at_3(self) -> float:
        return self.hit3 / self.total if self.total else 0.0


def load_questions(path: Path) -> list[Question]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Question(str(item["q"]), tuple(item.get("expect", ()))) for item in data["questions"]]


def score_in_scope(kb: KnowledgeBase, questions: list[Question]) -> Score:
    score = Score()
    for question in questions:
        score.total += 1
        in_scope = kb.answer(question.text).in_scope
        ranked = [hit.section_id for hit in kb.search(question.text, k=3)] if in_scope else []
        if ranked[:1] and ranked[0] in question.expect:
            score.hit1 += 1
        if any(section in question.expect for section in ranked[:3]):
            score.hit3 += 1
        else:
            score.misses.append((question.text, question.expect, ranked))
    return score


def share_declined(kb: KnowledgeBase, questions: list[Question]) -> tuple[float, list[str]]:
    answered = [q.text for q in questions if kb.answer(q.text).in_scope]
    return (1 - len(answered) / len(questions)) if questions else 0.0, answered
