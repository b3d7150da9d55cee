"""Scoring the safeguarding check against the phrasing tables (shared by the evaluation test and its timing)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.safeguarding import Safeguarding
from knowledge.signposts import LEVELS

HERE = Path(__file__).resolve().parent
TUNING = HERE / "safeguarding_tuning.yaml"
HELDOUT = HERE / "safeguarding_heldout.yaml"
# Indirect messages written blind by helpers (2026-12-06 and 7): sets A, B, D, E, I, K, M tuned on; C, F, G, H, J, L,
# N, O never tuned on
INDIRECT_TUNING = HERE / "safeguarding_indirect_tuning.yaml"
INDIRECT_BLIND = HERE / "safeguarding_indirect_blind.yaml"
# Set P (2026-12-07): written blind by a helper told to avoid the stock phrases, measured once as written (full support
# at the right level 0.700 / 0.617 / 0.617, false positives 15.6 %), then read and tuned on (phrases only, no refit)
PROBE_P = HERE / "safeguarding_probe_p.yaml"
# Set Q: written blind the same way after the changes set P led to, committed before its one first measure (full support
# at the right level 34 / 38 / 37 of 50, false positives 12 of 150; the session's starting commit 34 / 38 / 36 and 12)
BLIND_Q = HERE / "safeguarding_blind_q.yaml"
# Everyday messages (reflections, short replies, commands, grumbles) written blind by two helpers on 2026-12-07 for the
# meaning model: one set fitted on, the other never read (false positives printed in aggregate only)
EVERYDAY_TUNING = HERE / "safeguarding_everyday_tuning.yaml"
EVERYDAY_BLIND = HERE / "safeguarding_everyday_blind.yaml"


@dataclass(frozen=True)
class Phrasing:
    text: str
    level: str
    third_person: bool = False


@dataclass(frozen=True)
class Table:
    risk: list[Phrasing]
    ordinary: list[str]


@dataclass
class Score:
    """Recall per level (the right level, the full support, not the gentle or unsure line), and false positives
    (an ordinary sentence given a support list; a gentle or unsure line is allowed and counted apart)."""

    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    person_right: int = 0
    false_positives: int = 0
    gentle: int = 0
    ordinary: int = 0
    misses: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)

    def recall(self, level: str | None = None) -> float:
        hits = self.hits[level] if level else sum(self.hits.values())
        total = self.totals[level] if level else sum(self.totals.values())
        return hits / total if total else 0.0

    @property
    def false_positive_rate(self) -> float:
        return self.false_positives / self.ordinary if self.ordinary else 0.0

    @property
    def person_accuracy(self) -> float:
        total = sum(self.totals.values())
        return self.person_right / total if total else 0.0

    def summary(self, name: str) -> list[str]:
        per_level = "  ".join(f"{level} {self.recall(level):.3f} ({self.hits[level]}/{self.totals[level]})"
                              for level in LEVELS)  # fmt: skip
        return [
            f"{name}: recall {per_level}  overall {self.recall():.3f}",
            f"{name}: about someone else told apart {self.person_accuracy:.3f};  ordinary sentences "
            f"{self.ordinary}: false positives {self.false_positive_rate:.1%} ({self.false_positives}), "
            f"gentle line {self.gentle}",
        ]


def load_table(path: Path) -> Table:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    risk = [Phrasing(str(r["text"]), str(r["level"]), bool(r.get("third_person", False))) for r in data["risk"]]
    return Table(risk, [str(o) for o in data["ordinary"]])


def score(detector: Safeguarding, table: Table) -> Score:
    result = Score()
    for phrasing in table.risk:
        result.totals[phrasing.level] += 1
        found = detector.assess(phrasing.text)
        if found is not None and not found.gentle and not found.unsure and found.level == phrasing.level:
            result.hits[phrasing.level] += 1
        else:
            result.misses.append(phrasing.text)
        if found is not None and found.third_person == phrasing.third_person:
            result.person_right += 1
    for sentence in table.ordinary:
        result.ordinary += 1
        found = detector.assess(sentence)
        if found is not None and (found.gentle or found.unsure):
            result.gentle += 1  # one line (the gentle one, or the unsure one), not a support list
        elif found is not None:
            result.false_positives += 1
            result.flagged.append(sentence)
    return result


def timings(detector: Safeguarding, texts: list[str], rounds: int = 5) -> tuple[float, float]:
    """p50 and p99 of one check, in milliseconds, over `texts` (each checked `rounds` times, after a warm-up)."""
    for text in texts:
        detector.assess(text)
    taken = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            detector.assess(text)
            taken.append((time.perf_counter() - start) * 1000)
    taken.sort()
    return taken[len(taken) // 2], taken[min(len(taken) - 1, int(len(taken) * 0.99))]
