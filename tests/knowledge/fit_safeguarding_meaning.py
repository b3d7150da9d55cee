"""Refit the safeguarding check's meaning model (knowledge/safeguarding_meaning.json) and print how it reads the tables.

A softmax over all-MiniLM-L6-v2 embeddings (`knowledge.encoder`) with four classes (ordinary, concern, distress, risk
to life), an L2 penalty, by plain gradient descent from zero (deterministic). Fitted on the tuning tables only
(safeguarding_tuning.yaml, safeguarding_indirect_tuning.yaml) and, as ordinary, on everyday messages: the everyday
tuning table (reflections, short replies, commands, grumbles) and the persona sets read question by question. The
held-out, indirect blind and everyday blind tables are scored in aggregate only, never fitted on.

Fitted first on the tables alone, the model read short everyday reflections ("calmer today", "today went better than
I feared") as distress, since the tables' ordinary sentences are mostly look-alikes of risk; the everyday messages
were written and added for that.

The penalty, the threshold and the gate are chosen by five-fold cross-validation (`--grid` prints the figures: what
the words alone and the words with the meaning give each fold's messages, the model fitted on the other four folds).
The rule, written before the grid was run: the most risk messages given support, adding no more than 2.5 points of
false positives on the tables' ordinary sentences and no more than half a point on everyday messages; ties to the
fewest false positives. It chose penalty 0.001, threshold 0.7 and gate 0.3 (2026-12-07: support 1,337 -> 1,349 of
1,417, false positives 37 -> 38 of 850, everyday messages given a list 23 -> 25 of 890).

    python -m tests.knowledge.fit_safeguarding_meaning          # refit, print, write the model
    python -m tests.knowledge.fit_safeguarding_meaning --grid   # also print the cross-validated grid
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import yaml

from knowledge.encoder import WEIGHTS_SHA256, encoder
from knowledge.safeguarding import Assessment, Safeguarding
from knowledge.safeguarding_meaning import CLASSES, MEANING_FILE
from knowledge.signposts import DEFAULT_PATH, LEVELS, load_signposts
from tests.knowledge import persona_eval as pe
from tests.knowledge.safeguarding_eval import (
    EVERYDAY_BLIND,
    EVERYDAY_TUNING,
    HELDOUT,
    INDIRECT_BLIND,
    INDIRECT_TUNING,
    TUNING,
    load_table,
)

PENALTY, STEPS, RATE = 0.001, 800, 0.5
THRESHOLD = 0.7
GATE = 0.3
FOLDS, SEED = 5, 0


def table(paths: tuple[Path, ...]) -> tuple[list[str], np.ndarray]:
    texts: list[str] = []
    labels: list[int] = []
    for path in paths:
        t = load_table(path)
        texts += [p.text for p in t.risk] + t.ordinary
        labels += [CLASSES.index(p.level) for p in t.risk] + [0] * len(t.ordinary)
    return texts, np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, penalty: float) -> np.ndarray:
    """Softmax regression weights, (features + 1 bias row) by classes."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    weights = np.zeros((xb.shape[1], len(CLASSES)))
    target = np.eye(len(CLASSES))[y]
    for _ in range(STEPS):
        z = xb @ weights
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        weights -= RATE * (xb.T @ (p - target) / len(x) + penalty * weights)
    return weights


def chances(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    z = np.hstack([x, np.ones((len(x), 1))]) @ weights
    p = np.exp(z - z.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def combined(by_words: list[Assessment | None], p: np.ndarray, gates: np.ndarray, threshold: float, gate: float,
             word_chances: np.ndarray) -> list[str | None]:  # fmt: skip
    """What the check gives each message: the words' full support, else the meaning's level (as assess decides: the
    level with the highest product of the meaning's chance and the word models' `word_chances`)."""
    out: list[str | None] = []
    for found, row, g, weigh in zip(by_words, p, gates, word_chances, strict=True):
        full = found is not None and not found.gentle and not found.unsure
        meant = CLASSES[1 + int(np.argmax(row[1:] * weigh))] if 1 - row[0] >= threshold and g >= gate else None
        if full:
            out.append(found.level)  # type: ignore[union-attr]
        elif meant is not None and not (found is not None and found.unsure and meant != "risk_to_life"):
            out.append(meant)
        else:
            out.append(None)
    return out


def report(name: str, y: np.ndarray, given: list[str | None], everyday: np.ndarray | None = None) -> str:
    """Support given to risk messages (and at the right level), false positives on the tables' ordinary sentences,
    and, apart, on everyday messages (`everyday`: which rows are)."""
    everyday = np.zeros(len(y), dtype=bool) if everyday is None else everyday
    risk = y > 0
    supported = sum(1 for label, g in zip(y, given, strict=True) if label > 0 and g is not None)
    right = {level: sum(1 for label, g in zip(y, given, strict=True) if label == CLASSES.index(level) and g == level)
             for level in LEVELS}  # fmt: skip
    flagged = np.array([label == 0 and g is not None for label, g in zip(y, given, strict=True)], dtype=bool)
    table_ordinary = ~risk & ~everyday
    levels = "  ".join(f"{level} {right[level]}/{int((y == CLASSES.index(level)).sum())}" for level in LEVELS)
    line = (f"{name}: given support {supported}/{int(risk.sum())}  right level: {levels}  false positives "
            f"{int((flagged & table_ordinary).sum())}/{int(table_ordinary.sum())}")  # fmt: skip
    if everyday.any():
        line += f"  everyday messages given a list {int((flagged & everyday).sum())}/{int(everyday.sum())}"
    return line


def everyday_messages() -> list[str]:
    """Ordinary messages of everyday use: the everyday tuning table and the persona sets read question by question."""
    texts = [str(t) for t in yaml.safe_load(EVERYDAY_TUNING.read_text(encoding="utf-8"))["ordinary"]]
    for path in (pe.PERSONA_TUNING, pe.PERSONA_DEV, pe.PERSONA_DEV4):
        qs = pe.load_set(path)
        texts += [q.text for q in qs.questions] + [o.text for o in qs.out_of_scope]
    return texts


def main() -> None:
    model = encoder()
    if model is None:
        sys.exit("The sentence model is not installed: run `make install` first.")
    words_only = Safeguarding(load_signposts(), meaning=False)

    def read(texts: list[str]) -> tuple[np.ndarray, list[Assessment | None], np.ndarray, np.ndarray]:
        started = time.perf_counter()
        x = model.encode(texts)
        print(f"  encoded {len(texts)} messages in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        word_chances = np.array([[words_only.chance(level, words_only.wording.words(t)) for level in CLASSES[1:]]
                                 for t in texts])  # fmt: skip
        return x, [words_only.assess(t) for t in texts], np.array([words_only.meaning_gate(t) for t in texts]), \
            word_chances

    def alone(found: list[Assessment | None]) -> list[str | None]:
        return [a.level if a and not a.gentle and not a.unsure else None for a in found]

    texts, y = table((TUNING, INDIRECT_TUNING))
    daily = everyday_messages()
    everyday = np.r_[np.zeros(len(y), dtype=bool), np.ones(len(daily), dtype=bool)]
    texts, y = texts + daily, np.r_[y, np.zeros(len(daily), dtype=int)]
    x, by_words, gates, word_chances = read(texts)
    folds = np.random.default_rng(SEED).integers(0, FOLDS, len(y))
    grid = "--grid" in sys.argv
    for penalty in (0.001, 0.003, 0.01) if grid else (PENALTY,):
        p = np.zeros((len(y), len(CLASSES)))
        for fold in range(FOLDS):
            p[folds == fold] = chances(fit(x[folds != fold], y[folds != fold], penalty), x[folds == fold])
        for threshold in (0.7, 0.75, 0.8, 0.85, 0.9) if grid else (THRESHOLD,):
            for gate in (0.0, 0.1, 0.2, 0.3) if grid else (GATE,):
                given = combined(by_words, p, gates, threshold, gate, word_chances)
                print(report(f"cross-validated, penalty {penalty} threshold {threshold} gate {gate}", y, given,
                             everyday))  # fmt: skip
    print(report("words alone, tuning tables", y, alone(by_words), everyday))
    weights = fit(x, y, PENALTY)
    blind = (("held-out", (HELDOUT,)), ("indirect blind", (INDIRECT_BLIND,)), ("everyday blind", ()))
    for name, paths in blind:
        if paths:
            texts_b, y_b = table(paths)
        else:
            texts_b = [str(t) for t in yaml.safe_load(EVERYDAY_BLIND.read_text(encoding="utf-8"))["ordinary"]]
            y_b = np.zeros(len(texts_b), dtype=int)
        x_b, words_b, gates_b, chances_b = read(texts_b)
        print(report(f"{name}, words alone", y_b, alone(words_b)))
        given = combined(words_b, chances(weights, x_b), gates_b, THRESHOLD, GATE, chances_b)
        print(report(f"{name}, with the meaning", y_b, given))
    out = DEFAULT_PATH.with_name(MEANING_FILE)
    out.write_text(json.dumps({
        "about": "Softmax over all-MiniLM-L6-v2 embeddings, fitted by tests/knowledge/fit_safeguarding_meaning.py on "
                 "safeguarding_tuning.yaml, safeguarding_indirect_tuning.yaml, safeguarding_everyday_tuning.yaml and "
                 "the persona sets read question by question",
        "encoder_sha256": WEIGHTS_SHA256,
        "classes": list(CLASSES),
        "threshold": THRESHOLD,
        "gate": GATE,
        "weights": [[round(float(v), 6) for v in row] for row in weights],
    }, indent=None) + "\n", encoding="utf-8")  # fmt: skip
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
