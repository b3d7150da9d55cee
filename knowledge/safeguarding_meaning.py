"""The safeguarding check's reading of what a message means, beyond its words.

A message is embedded by all-MiniLM-L6-v2 (`knowledge.encoder`) and a softmax over the embedding gives the chance of
each of ordinary, concern, distress and risk to life. It was fitted by tests/knowledge/fit_safeguarding_meaning.py on
the tuning tables (safeguarding_tuning.yaml, safeguarding_indirect_tuning.yaml) and on everyday messages as ordinary
(safeguarding_everyday_tuning.yaml, the persona questions read one by one), and written beside the phrases as
safeguarding_meaning.json with two numbers chosen by five-fold cross-validation on that data, not on the blind tables:

- threshold: a message whose chance of being ordinary is 1 - threshold or less is read at a level (`level`);
- gate: the encoder is asked only when the word models (`Safeguarding.chance`) give some level at least this chance.
  At 0.3 it is asked for 94 % of the indirect tuning table's risk messages, 7 % of everyday messages, 1 % of
  leadership questions and never for "hello" (about 10 ms a message in numpy).

The meaning is asked only when the words found nothing or only the gentle or unsure line (`Safeguarding.assess`): a
phrase that names a level still decides it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.encoder import encoder
from knowledge.signposts import LEVELS, Level

MEANING_FILE = "safeguarding_meaning.json"
ORDINARY = "ordinary"
CLASSES: tuple[str, ...] = (ORDINARY, "concern", "distress", "risk_to_life")


@dataclass(frozen=True)
class MeaningModel:
    """Weights (one column per class, the last row the bias), and when to ask and trust them."""

    weights: np.ndarray
    threshold: float
    gate: float

    def chances(self, text: str) -> dict[str, float] | None:
        """Each class's chance for `text`; None when the encoder is unavailable."""
        model = encoder()
        if model is None:
            return None
        embedding = model.encode([text])[0]
        z = embedding @ self.weights[:-1] + self.weights[-1]
        p = np.exp(z - z.max())
        p /= p.sum()
        return {name: float(chance) for name, chance in zip(CLASSES, p, strict=True)}

    def level(self, text: str, word_chances: Mapping[str, float] | None = None) -> Level | None:
        """The level `text` reads as, or None when it reads as ordinary (or cannot be read). Which level: the one
        with the highest product of its chance here and its chance by the word models (`word_chances`), when given:
        cross-validated on the tuning tables, the levels of what the meaning adds were right 13 times and wrong once
        so, against 9 and 3 by the meaning alone (a colleague's sexual comments had read as a risk to life)."""
        chances = self.chances(text)
        if chances is None or 1.0 - chances[ORDINARY] < self.threshold:
            return None
        weigh = word_chances or {}
        best = LEVELS[0]
        for level in LEVELS[1:]:
            if chances[level] * weigh.get(level, 1.0) > chances[best] * weigh.get(best, 1.0):
                best = level
        return best


def load_meaning_model(path: Path) -> MeaningModel | None:
    """The model the fitting script wrote at `path`; None when there is none."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["classes"]) != CLASSES:
        raise ValueError(f"{path}: classes {data['classes']} are not {list(CLASSES)}")
    return MeaningModel(np.asarray(data["weights"], dtype=np.float32), float(data["threshold"]), float(data["gate"]))
