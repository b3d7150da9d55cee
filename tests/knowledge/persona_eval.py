"""Scoring the knowledge base against the persona question sets (issue 16, item 5).

The sets were written from personas (band 5 nurse, HCA, AHP, ward manager, consultant, HR
business partner, board member/NED, programme admin) in their own words, with the facts a right
answer must give, and committed before any tuning change. They carry no section ids, so the main
figure is "answered with the expected facts": in scope, with a source, and every fact found in
the text shown first (the answer before any "more"; dumping a whole section behind "more" does
not pass). A fact "a|b" is found when either alternative is.

Confidence is judged by AUROC (Mann-Whitney U, ties counting one half): how often a correct
answer has a higher confidence than a wrong or out-of-scope one.

    python -m tests.knowledge.persona_eval    # the figures, and the tuning set's misses
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
PERSONA_TUNING = HERE / "persona_questions_tuning.yaml"
PERSONA_HELDOUT = HERE / "persona_questions_heldout.yaml"
# Written later, by someone who had seen neither set, to choose between changes with fresh words;
# read question by question (it is a second tuning set, not a held-out one).
PERSONA_DEV = HERE / "persona_questions_dev.yaml"
# Written blind on 2026-12-06 (no other set, none of the content seen) after the dev set had been read question by
# question; printed in aggregate only, like the held-out set, so it measures changes on words never tuned on.
PERSONA_DEV2 = HERE / "persona_questions_dev2.yaml"
# Written blind on the evening of 2026-12-06, after dev2 had been used (in aggregate) to choose between changes:
# measured once at the end of that session, never tuned on; printed in aggregate only.
PERSONA_DEV3 = HERE / "persona_questions_dev3.yaml"
# Written on 2026-12-06 the way the held-out set was (from personas and official pages, not from our facts files, which
# dev2 and dev3 were written from): read question by question, a second dev set whose questions our content never saw.
PERSONA_DEV4 = HERE / "persona_questions_dev4.yaml"
# Written blind at the start of the night session of 2026-12-06 the way dev4 was (personas and official pages, no
# content and no other set seen), committed before that session's changes: printed in aggregate only, never read.
PERSONA_DEV5 = HERE / "persona_questions_dev5.yaml"
# Written blind late on 2026-12-06 the same way, after that session's changes, and committed before it was first run:
# it measures the state it was written against, once; printed in aggregate only, never read, never tuned on.
PERSONA_DEV6 = HERE / "persona_questions_dev6.yaml"
# Written on 2026-12-07 by a helper who had seen no other set and none of the content, and committed before use:
# 100 out-of-scope near-misses and 60 in-scope look-alikes that mention pay, rotas, IT or clinical work but ask about
# leading. Read question by question (a dev set for declines).
PERSONA_DEV7 = HERE / "persona_questions_dev7.yaml"
# Written blind later that session, after its changes to declines, the same way (80 near-misses naming a programme, a
# role or the framework, 40 look-alikes) and committed before it was first measured: printed in aggregate only.
PERSONA_DEV8 = HERE / "persona_questions_dev8.yaml"
# Written the same day the same way, after dev8 was measured, for near-misses about leave, IT, registration and kit (60)
# and look-alikes (30); committed before use and read question by question.
PERSONA_DEV9 = HERE / "persona_questions_dev9.yaml"
# Written on 2026-12-07 (the sixth session) by a helper who had seen no other set and none of the content, and committed
# before use: 110 out-of-scope near-misses (leave and rotas, clinical, IT, pay, everyday, registration, politics,
# injection) and 70 in-scope look-alikes; read question by question.
PERSONA_DEV10 = HERE / "persona_questions_dev10.yaml"
# Written on 2026-12-07 (the ninth session) by a helper who had seen no other set and none of the content, from
# personas, facts.md and official pages, mostly practical questions, and committed before that session's changes:
# dev11 (120 in scope, 50 near-misses) is read question by question; dev12 (100 and 40, other situations) is blind,
# printed in aggregate only and never read.
PERSONA_DEV11 = HERE / "persona_questions_dev11.yaml"
PERSONA_DEV12 = HERE / "persona_questions_dev12.yaml"

PERSONAS = ("band5-nurse", "hca", "ahp", "ward-manager", "consultant", "hr-bp", "board-ned", "programme-admin")
KINDS = ("fact", "practical", "list", "comparison", "acronym")

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "′": "'", "`": "'",
                         "“": '"', "”": '"', "„": '"', "″": '"'})  # fmt: skip
_DASHES = re.compile(r"[-‐‑‒–—―]+")  # hyphen, non-breaking hyphen, en and em dashes
_MARKUP = re.compile(r"[*_]+")  # Markdown bold and italic marks
_AND = re.compile(r"\s*&\s*")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text as compared: case-folded, straight quotes, hyphens and dashes as spaces, "&" as "and",
    no Markdown emphasis marks, whitespace (line breaks, bullets' indents) collapsed to one space."""
    text = text.casefold().translate(_QUOTES)
    text = _MARKUP.sub("", _DASHES.sub(" ", text))
    text = _AND.sub(" and ", text)
    return _SPACE.sub(" ", text).strip()


def fact_found(fact: str, shown: str) -> bool:
    """Whether one fact ("a|b": either) is in the already normalised shown text."""
    return any(alt and alt in shown for alt in (normalise(a) for a in fact.split("|")))


def shown_first(answer: Any) -> str:
    """The text shown before "more": all of `answer.answer` today; once an answer carries the rest
    in an optional `more`, that rest is not scored (nor is it if the composition also left it in
    `answer.answer`, which is then cut where the rest begins)."""
    text = str(answer.answer)
    more = getattr(answer, "more", None)
    if isinstance(more, str):
        rest = [more]
    elif isinstance(more, Iterable):
        rest = [str(part) for part in more]
    else:
        rest = []
    for part in rest:
        part = part.strip()
        if part and part in text:
            text = text[: text.index(part)]
    return text


@dataclass(frozen=True)
class PersonaQuestion:
    text: str
    persona: str
    kind: str
    facts: tuple[str, ...]
    topic: str = ""


@dataclass(frozen=True)
class OutOfScopeQuestion:
    text: str
    category: str
    go_to: str = ""


@dataclass(frozen=True)
class QuestionSet:
    questions: list[PersonaQuestion]
    out_of_scope: list[OutOfScopeQuestion]


def load_set(path: Path) -> QuestionSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = [
        PersonaQuestion(str(q["q"]), str(q["persona"]), str(q["kind"]), tuple(str(f) for f in q.get("facts") or ()),
                        str(q.get("topic", "")))
        for q in data["questions"]
    ]  # fmt: skip
    out = [OutOfScopeQuestion(str(o["q"]), str(o["category"]), str(o.get("go_to", ""))) for o in data["out_of_scope"]]
    return QuestionSet(questions, out)


def auroc(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """The Mann-Whitney U statistic over all pairs, normalised: P(positive > negative), ties 1/2.
    None when either side is empty."""
    if not positives or not negatives:
        return None
    u = 0.0
    for p in positives:
        for n in negatives:
            u += 1.0 if p > n else 0.5 if p == n else 0.0
    return u / (len(positives) * len(negatives))


@dataclass(frozen=True)
class Outcome:
    question: PersonaQuestion
    correct: bool
    in_scope: bool
    sourced: bool
    confidence: float
    missing: tuple[str, ...]  # facts not found in the text shown first


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.share:.2f} ({self.right}/{self.total})"


@dataclass
class PersonaScore:
    outcomes: list[Outcome] = field(default_factory=list)
    declined: dict[str, Tally] = field(default_factory=dict)  # out of scope, per category
    declined_confidences: list[float] = field(default_factory=list)  # every out-of-scope question's confidence
    answered_out_of_scope: list[str] = field(default_factory=list)

    @property
    def correct(self) -> Tally:
        return self._tally(self.outcomes)

    @property
    def answered(self) -> Tally:
        """In scope and with a source, facts or not (how often it answers at all)."""
        tally = Tally()
        for o in self.outcomes:
            tally.add(o.in_scope and o.sourced)
        return tally

    def by(self, key: Callable[[PersonaQuestion], str], order: Sequence[str]) -> dict[str, Tally]:
        groups = {name: [o for o in self.outcomes if key(o.question) == name] for name in order}
        extra = sorted({key(o.question) for o in self.outcomes} - set(order))
        groups |= {name: [o for o in self.outcomes if key(o.question) == name] for name in extra}
        return {name: self._tally(group) for name, group in groups.items() if group}

    @property
    def out_of_scope_declined(self) -> Tally:
        tally = Tally()
        for t in self.declined.values():
            tally.right += t.right
            tally.total += t.total
        return tally

    @property
    def auroc_all(self) -> float | None:
        """Correct answers against wrong answers and every out-of-scope question."""
        right = [o.confidence for o in self.outcomes if o.correct]
        wrong = [o.confidence for o in self.outcomes if not o.correct] + self.declined_confidences
        return auroc(right, wrong)

    @property
    def auroc_in_scope(self) -> float | None:
        """In-scope questions alone: correct against wrong."""
        right = [o.confidence for o in self.outcomes if o.correct]
        wrong = [o.confidence for o in self.outcomes if not o.correct]
        return auroc(right, wrong)

    @property
    def auroc_answered(self) -> float | None:
        """Among the answers given (in scope, with a source): correct against wrong."""
        right = [o.confidence for o in self.outcomes if o.correct]
        wrong = [o.confidence for o in self.outcomes if not o.correct and o.in_scope and o.sourced]
        return auroc(right, wrong)

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]

    def summary(self, name: str) -> list[str]:
        def figure(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.2f}"

        def listed(tallies: dict[str, Tally]) -> str:
            return "  ".join(f"{key} {tally}" for key, tally in tallies.items())

        right = [o.confidence for o in self.outcomes if o.correct]
        wrong = [o.confidence for o in self.outcomes if not o.correct]
        return [
            f"{name}: answered with facts {self.correct} · out of scope declined {self.out_of_scope_declined}"
            f" · AUROC {figure(self.auroc_all)} (in scope {figure(self.auroc_in_scope)})",
            f"{name}: by persona {listed(self.by(lambda q: q.persona, PERSONAS))}",
            f"{name}: by kind {listed(self.by(lambda q: q.kind, KINDS))}",
            f"{name}: declined by category {listed(self.declined)}",
            f"{name}: answered at all (in scope, sourced) {self.answered} · AUROC among those"
            f" {figure(self.auroc_answered)} · mean confidence correct {figure(_mean(right))} wrong"
            f" {figure(_mean(wrong))} out of scope {figure(_mean(self.declined_confidences))}",
        ]

    @staticmethod
    def _tally(outcomes: Iterable[Outcome]) -> Tally:
        tally = Tally()
        for o in outcomes:
            tally.add(o.correct)
        return tally


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def score_set(kb: Any, qs: QuestionSet) -> PersonaScore:
    """Every question of a set through `kb.answer`, scored as the module docstring says."""
    result = PersonaScore()
    for q in qs.questions:
        answer = kb.answer(q.text)
        shown = normalise(shown_first(answer))
        missing = tuple(f for f in q.facts if not fact_found(f, shown))
        in_scope, sourced = bool(answer.in_scope), bool(answer.sources)
        correct = in_scope and sourced and bool(q.facts) and not missing
        result.outcomes.append(Outcome(q, correct, in_scope, sourced, float(answer.confidence), missing))
    for o in qs.out_of_scope:
        answer = kb.answer(o.text)
        result.declined.setdefault(o.category, Tally()).add(not answer.in_scope)
        result.declined_confidences.append(float(answer.confidence))
        if answer.in_scope:
            result.answered_out_of_scope.append(o.text)
    return result


def main() -> None:
    """The figures for the fourteen sets; the misses of the tuning, dev, dev4, dev7, dev9, dev10 and dev11 sets only
    (the dev2, dev3, dev5, dev6, dev8, dev12 and held-out sets are never read question by question)."""
    from knowledge import KnowledgeBase

    kb = KnowledgeBase.load()
    tuning = score_set(kb, load_set(PERSONA_TUNING))
    dev = score_set(kb, load_set(PERSONA_DEV))
    dev2 = score_set(kb, load_set(PERSONA_DEV2))
    dev3 = score_set(kb, load_set(PERSONA_DEV3))
    dev4 = score_set(kb, load_set(PERSONA_DEV4))
    dev5 = score_set(kb, load_set(PERSONA_DEV5))
    dev6 = score_set(kb, load_set(PERSONA_DEV6))
    dev7 = score_set(kb, load_set(PERSONA_DEV7))
    dev8 = score_set(kb, load_set(PERSONA_DEV8))
    dev9 = score_set(kb, load_set(PERSONA_DEV9))
    dev10 = score_set(kb, load_set(PERSONA_DEV10))
    dev11 = score_set(kb, load_set(PERSONA_DEV11))
    dev12 = score_set(kb, load_set(PERSONA_DEV12))
    heldout = score_set(kb, load_set(PERSONA_HELDOUT))
    scores = (
        ("tuning", tuning), ("dev", dev), ("dev2", dev2), ("dev3", dev3), ("dev4", dev4), ("dev5", dev5),
        ("dev6", dev6), ("dev7", dev7), ("dev8", dev8), ("dev9", dev9), ("dev10", dev10),
        ("dev11", dev11), ("dev12", dev12), ("held-out", heldout),
    )  # fmt: skip
    for line in (line for name, score in scores for line in score.summary(name)):
        print(line)
    read = (
        ("tuning", tuning),
        ("dev", dev),
        ("dev4", dev4),
        ("dev7", dev7),
        ("dev9", dev9),
        ("dev10", dev10),
        ("dev11", dev11),
    )
    for name, score in read:
        _print_misses(name, score)


def _print_misses(name: str, score: PersonaScore) -> None:
    print(f"\n{name} misses:")
    for o in score.misses:
        why = "declined" if not o.in_scope else "no source" if not o.sourced else f"missing {list(o.missing)}"
        print(f"  [{o.question.persona}/{o.question.kind}] {o.question.text!r}: {why} (confidence {o.confidence:.2f})")
    print(f"\n{name} out of scope answered:")
    for text in score.answered_out_of_scope:
        print(f"  {text!r}")


if __name__ == "__main__":
    main()
