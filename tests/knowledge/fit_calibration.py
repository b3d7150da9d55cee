"""Refit the confidence model (knowledge.calibration) on the persona tuning sets and print its constants.

Fitted on the sets read question by question (tuning, dev, dev4): each answered question's features and whether
its answer held the expected facts; a logistic regression with a small L2 penalty, by gradient descent on
standardised features. The AUROC of the reported confidence before and after is printed for every set; the blind
sets (dev2, dev3, dev5, held-out) in aggregate only, never fitted on.

    python -m tests.knowledge.fit_calibration
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from knowledge import KnowledgeBase
from knowledge.calibration import features
from knowledge.questions import what_was_asked
from tests.knowledge import persona_eval as pe
from tests.knowledge.logistic import fit_logistic

FITTED_ON = {"tuning": pe.PERSONA_TUNING, "dev": pe.PERSONA_DEV, "dev4": pe.PERSONA_DEV4}
BLIND = {"dev2": pe.PERSONA_DEV2, "dev3": pe.PERSONA_DEV3, "dev5": pe.PERSONA_DEV5, "held-out": pe.PERSONA_HELDOUT}
PENALTY = 1.0
STEPS, RATE = 5000, 0.5

Row = tuple[bool, tuple[float, ...] | None, float, float]  # right, features, retrieval confidence, reported


def rows(kb: KnowledgeBase, path: Path) -> list[Row]:
    qs = pe.load_set(path)
    out: list[Row] = []
    asked = [(q.text, q.facts) for q in qs.questions] + [(o.text, None) for o in qs.out_of_scope]
    for text, facts in asked:
        answer = kb.answer(text)
        shown = pe.normalise(pe.shown_first(answer))
        right = bool(facts and answer.in_scope and answer.sources and all(pe.fact_found(f, shown) for f in facts))
        answered = answer.in_scope and answer.sources
        section = kb.section(answer.section) if answer.section else None
        ours = section is not None and section.ours
        asked_as = what_was_asked(text)
        found = features(answer.retrieval_confidence, kb.explain(text), asked_as, ours) if answered else None
        out.append((right, found, answer.retrieval_confidence, answer.confidence))
    return out


def fit(train: list[Row]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.array([f for _, f, _, _ in train if f is not None])
    y = np.array([right for right, f, _, _ in train if f is not None], dtype=float)
    mean, spread = x.mean(axis=0), x.std(axis=0) + 1e-9
    w, b = fit_logistic((x - mean) / spread, y, penalty=PENALTY / len(y), steps=STEPS, rate=RATE)
    return mean, spread, np.r_[b, w]


def main() -> None:
    kb = KnowledgeBase.load()
    data = {name: rows(kb, path) for name, path in {**FITTED_ON, **BLIND}.items()}
    mean, spread, w = fit([row for name in FITTED_ON for row in data[name]])
    answered = sum(f is not None for name in FITTED_ON for _, f, _, _ in data[name])
    right = sum(r and f is not None for name in FITTED_ON for r, f, _, _ in data[name])
    print(f"# fitted on {answered} answered questions, {right} right")
    print("MEAN = (" + ", ".join(f"{v:.4f}" for v in mean) + ")")
    print("SPREAD = (" + ", ".join(f"{v:.4f}" for v in spread) + ")")
    print(f"BIAS = {w[0]:.4f}")
    print("WEIGHTS = (" + ", ".join(f"{v:.4f}" for v in w[1:]) + ")")
    for name, table in data.items():
        def chance(f: tuple[float, ...] | None) -> float:
            if f is None:
                return 0.0
            return float(1 / (1 + np.exp(-(w[0] + ((np.array(f) - mean) / spread) @ w[1:]))))

        before = pe.auroc([c for r, _, c, _ in table if r], [c for r, _, c, _ in table if not r])
        after = pe.auroc([chance(f) for r, f, _, _ in table if r], [chance(f) for r, f, _, _ in table if not r])
        now = pe.auroc([c for r, _, _, c in table if r], [c for r, _, _, c in table if not r])
        print(f"{name}: AUROC retrieval confidence {before:.3f} -> refitted model {after:.3f} (reported now {now:.3f})")


if __name__ == "__main__":
    main()
