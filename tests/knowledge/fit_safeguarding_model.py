"""Refit the safeguarding check's risk model (knowledge/safeguarding_model.json) and print how it reads the tables.

A logistic regression over the canonical words of a message and their neighbouring pairs
(`knowledge.safeguarding.model_features`), with a small L2 penalty, by plain gradient descent (deterministic). Fitted on
the tuning tables only: the tuning table and the indirect tuning table (a risk to life is 1; distress, concern and
ordinary sentences 0) and the leadership questions of the persona sets read question by question (0). The held-out
and the indirect blind tables are scored in aggregate only, never fitted on.

    python -m tests.knowledge.fit_safeguarding_model
"""

from __future__ import annotations

import json
from collections import Counter

import numpy as np

from knowledge.safeguarding import MODEL_FILE, MODEL_RISK, Safeguarding, model_features
from knowledge.signposts import DEFAULT_PATH, load_signposts
from tests.knowledge import persona_eval as pe
from tests.knowledge.safeguarding_eval import HELDOUT, INDIRECT_BLIND, INDIRECT_TUNING, TUNING, load_table

MIN_COUNT = 2  # a feature seen fewer times than this is left out
PENALTY, STEPS, RATE = 0.001, 3000, 0.5
KEEP = 0.01  # weights smaller than this are not written


def labelled() -> tuple[list[str], list[int]]:
    texts: list[str] = []
    labels: list[int] = []
    for path in (TUNING, INDIRECT_TUNING):
        table = load_table(path)
        texts += [p.text for p in table.risk] + table.ordinary
        labels += [int(p.level == "risk_to_life") for p in table.risk] + [0] * len(table.ordinary)
    for path in (pe.PERSONA_TUNING, pe.PERSONA_DEV, pe.PERSONA_DEV4):
        qs = pe.load_set(path)
        asked = [q.text for q in qs.questions] + [o.text for o in qs.out_of_scope]
        texts += asked
        labels += [0] * len(asked)
    return texts, labels


def main() -> None:
    detector = load_signposts().detector
    texts, labels = labelled()
    features = [model_features(detector.wording.words(t)) for t in texts]
    counts = Counter(f for fs in features for f in fs)
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocabulary)}
    x = np.zeros((len(texts), len(vocabulary)))
    for row, fs in enumerate(features):
        for f in fs:
            if f in index:
                x[row, index[f]] = 1.0
    y = np.array(labels, dtype=float)
    w, b = np.zeros(len(vocabulary)), 0.0
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        w -= RATE * (x.T @ (p - y) / len(y) + PENALTY * w)
        b -= RATE * float((p - y).mean())
    weights = {f: round(float(v), 4) for f, v in zip(vocabulary, w, strict=True) if abs(v) >= KEEP}
    path = DEFAULT_PATH.with_name(MODEL_FILE)
    path.write_text(json.dumps({"bias": round(b, 4), "weights": weights}, indent=0, sort_keys=True) + "\n")
    print(f"# fitted on {len(texts)} messages ({int(y.sum())} risks to life), {len(weights)} weights -> {path.name}")
    fresh = Safeguarding(load_signposts())  # with the model just written
    for name, table_path in (("tuning", TUNING), ("indirect tuning", INDIRECT_TUNING), ("held-out", HELDOUT),
                             ("indirect blind", INDIRECT_BLIND)):  # fmt: skip
        table = load_table(table_path)
        risks = [p.text for p in table.risk if p.level == "risk_to_life"]
        flagged = sum(fresh.risk_chance(fresh.wording.words(t)) >= MODEL_RISK for t in risks)
        ordinary = sum(fresh.risk_chance(fresh.wording.words(t)) >= MODEL_RISK for t in table.ordinary)
        print(f"{name}: model alone reads {flagged}/{len(risks)} risks to life, "
              f"{ordinary}/{len(table.ordinary)} ordinary")


if __name__ == "__main__":
    main()
