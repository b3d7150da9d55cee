"""Refit the safeguarding check's models (knowledge/safeguarding_model.json) and print how they read the tables.

One logistic regression per level (risk to life, distress, concern: that level 1, everything else 0) over the
canonical words of a message and their neighbouring pairs (`knowledge.safeguarding.model_features`), with a small L2
penalty, by plain gradient descent (deterministic). Fitted on the tuning tables only: the tuning table, the indirect
tuning table and the leadership questions of the persona sets read question by question (all 0). The held-out and the
indirect blind tables are scored in aggregate only, never fitted on.

    python -m tests.knowledge.fit_safeguarding_model
"""

from __future__ import annotations

import json
from collections import Counter

import numpy as np

from knowledge.safeguarding import MODEL_FILE, MODEL_LEVEL, MODEL_RISK, Safeguarding, model_features
from knowledge.signposts import DEFAULT_PATH, LEVELS, load_signposts
from tests.knowledge import persona_eval as pe
from tests.knowledge.logistic import fit_logistic
from tests.knowledge.safeguarding_eval import HELDOUT, INDIRECT_BLIND, INDIRECT_TUNING, TUNING, load_table

MIN_COUNT = 2  # a feature seen fewer times than this is left out
PENALTY, STEPS, RATE = 0.001, 3000, 0.5
KEEP = 0.01  # weights smaller than this are not written


def labelled() -> tuple[list[str], list[str]]:
    """Every tuning message with its level ("ordinary" for ordinary sentences and leadership questions)."""
    texts: list[str] = []
    levels: list[str] = []
    for path in (TUNING, INDIRECT_TUNING):
        table = load_table(path)
        texts += [p.text for p in table.risk] + table.ordinary
        levels += [p.level for p in table.risk] + ["ordinary"] * len(table.ordinary)
    for path in (pe.PERSONA_TUNING, pe.PERSONA_DEV, pe.PERSONA_DEV4):
        qs = pe.load_set(path)
        asked = [q.text for q in qs.questions] + [o.text for o in qs.out_of_scope]
        texts += asked
        levels += ["ordinary"] * len(asked)
    return texts, levels


def main() -> None:
    detector = Safeguarding(load_signposts())  # only its reading of words is used here
    texts, levels = labelled()
    features = [model_features(detector.wording.words(t)) for t in texts]
    counts = Counter(f for fs in features for f in fs)
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocabulary)}
    x = np.zeros((len(texts), len(vocabulary)))
    for row, fs in enumerate(features):
        for f in fs:
            if f in index:
                x[row, index[f]] = 1.0
    models = {}
    for level in LEVELS:
        y = np.array([lv == level for lv in levels], dtype=float)
        w, b = fit_logistic(x, y, penalty=PENALTY, steps=STEPS, rate=RATE)
        weights = {f: round(float(v), 4) for f, v in zip(vocabulary, w, strict=True) if abs(v) >= KEEP}
        models[level] = {"bias": round(b, 4), "weights": weights}
        print(f"# {level}: fitted on {len(texts)} messages ({int(y.sum())} at the level), {len(weights)} weights")
    path = DEFAULT_PATH.with_name(MODEL_FILE)
    path.write_text(json.dumps({"levels": models}, indent=0, sort_keys=True) + "\n")
    fresh = Safeguarding(load_signposts())  # with the models just written
    for name, table_path in (("tuning", TUNING), ("indirect tuning", INDIRECT_TUNING), ("held-out", HELDOUT),
                             ("indirect blind", INDIRECT_BLIND)):  # fmt: skip
        table = load_table(table_path)
        for level in LEVELS:
            at = [p.text for p in table.risk if p.level == level]
            threshold = MODEL_RISK if level == "risk_to_life" else MODEL_LEVEL
            read = sum(fresh.chance(level, fresh.wording.words(t)) >= threshold for t in at)
            wrong = sum(fresh.chance(level, fresh.wording.words(t)) >= threshold for t in table.ordinary)
            print(f"{name}: the {level} model alone reads {read}/{len(at)}, and {wrong}/{len(table.ordinary)} ordinary")


if __name__ == "__main__":
    main()
