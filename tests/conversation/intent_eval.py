"""Scoring the intent layer against a phrasing table: what each message would do, counted.

A table (`intents_*.yaml`) has `commands` (a message and the command it must run) and
`questions` (messages for the question answerer). Each message is decided as a turn decides
it with nothing pending: an exact command, else the intent layer (`Router.understand`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from handlers.router import Router

HERE = Path(__file__).parent
# The held-out table's names for commands whose registered names differ.
ALIASES = {"my-data": "my data", "forget-me": "forget me", "reflections": "my-reflections"}


def decide(router: Router, text: str) -> tuple[str, str | None, tuple[str, ...]]:
    """("run", command) / ("suggest", None, commands offered) / ("ask", None, ()) for one message."""
    found = router.match(text)
    if found is not None:
        name = found[0].name
        return ("ask", None, ()) if name == "ask" else ("run", name, ())
    understood = router.understand(text)
    if understood.run:
        ran = router.match(understood.run)
        return "run", ran[0].name if ran else None, ()
    if understood.suggest:
        offered = tuple(f[0].name for f in map(router.match, understood.suggest) if f is not None)
        return "suggest", None, offered
    return "ask", None, ()


@dataclass
class Score:
    """Counts for one table; `failures` lists what went wrong, for the assertion message."""

    name: str
    commands: dict[str, int] = field(default_factory=lambda: {"ran": 0, "offered": 0, "wrong": 0, "missed": 0})
    questions: dict[str, int] = field(default_factory=lambda: {"answered": 0, "offered": 0, "wrong": 0})
    failures: list[str] = field(default_factory=list)

    @property
    def understood(self) -> float:
        total = sum(self.commands.values())
        return (self.commands["ran"] + self.commands["offered"]) / total if total else 1.0

    def line(self) -> str:
        c, q = self.commands, self.questions
        return (
            f"{self.name:9}: commands {sum(c.values())}: ran {c['ran']}, offered as 'Did you mean' {c['offered']}, "
            f"WRONG command {c['wrong']}, missed {c['missed']} (understood {self.understood:.3f}); "
            f"questions {sum(q.values())}: to the answerer {q['answered']}, offered back {q['offered']}, "
            f"ran a command {q['wrong']}"
        )


def load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def score(router: Router, path: Path) -> Score:
    table = load(path)
    result = Score("held-out" if "heldout" in path.name else path.stem.removeprefix("intents_"))
    for entry in table.get("commands", []):
        expected = ALIASES.get(entry["expect"], entry["expect"])
        outcome, ran, offered = decide(router, entry["say"])
        if outcome == "run" and ran == expected:
            result.commands["ran"] += 1
        elif outcome == "suggest" and expected in offered:
            result.commands["offered"] += 1
        elif outcome == "run":
            result.commands["wrong"] += 1
            result.failures.append(f"{entry['say']!r}: ran {ran}, not {expected}")
        else:
            result.commands["missed"] += 1
            result.failures.append(f"{entry['say']!r}: {outcome} {offered or ''}, not {expected}")
    for said in table.get("questions", []):
        outcome, ran, offered = decide(router, said)
        key = {"ask": "answered", "suggest": "offered", "run": "wrong"}[outcome]
        result.questions[key] += 1
        if outcome != "ask":
            result.failures.append(f"question {said!r}: {outcome} {ran or offered}")
    return result
