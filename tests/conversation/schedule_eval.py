"""Scoring the schedule language against phrasing tables (`schedule_*.yaml` in this folder).

A table gives `now` (local wall-clock time), `zone`, and two lists:

- `parse`: what a person says, and what they meant: `expect: schedule` with `repeats` and the
  `next` local occurrences ("YYYY-MM-DD HH:MM", strictly after now), or `expect: confirm` with the
  two `choices` ("HH:MM") an unclear hour must be asked back with;
- `refuse`: what must be refused, with a hint (an example the parser itself understands).

Each parse entry comes out understood (the same occurrences), confirmed (asked back with the
same two times; for an expected schedule, one of the two is it), refused, or WRONG (anything
else: a schedule other than meant, or a schedule where a question was expected). Each refuse
entry comes out refused with a hint, refused without one, or WRONG.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from handlers.recurrence import next_after
from handlers.schedule_language import ScheduleError, ScheduleSpec, TimeChoice, parse_schedule

HERE = Path(__file__).resolve().parent
QUOTED = re.compile(r"“([^”]+)”")
OUTCOMES = ("understood", "confirmed", "refused", "WRONG")


def tables() -> list[Path]:
    """Every phrasing table here, held-out ones included (a file whose name says "heldout")."""
    return sorted(HERE.glob("schedule_*.yaml"))


def is_heldout(path: Path) -> bool:
    return "heldout" in path.stem


@dataclass(frozen=True)
class Table:
    now: datetime
    zone: ZoneInfo
    parse: list[dict[str, Any]]
    refuse: list[dict[str, Any]]


def load_table(path: Path) -> Table:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    zone = ZoneInfo(str(data.get("zone", "Europe/London")))
    now = datetime.fromisoformat(str(data["now"])).replace(tzinfo=zone)
    return Table(now, zone, list(data.get("parse") or []), list(data.get("refuse") or []))


@dataclass
class Score:
    """Outcomes per entry kind, and what went wrong (each line names the phrasing)."""

    parsed: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    no_hint: list[str] = field(default_factory=list)

    @property
    def parse_total(self) -> int:
        return sum(self.parsed.values())

    @property
    def understood_or_confirmed(self) -> float:
        good = self.parsed["understood"] + self.parsed["confirmed"]
        return good / self.parse_total if self.parse_total else 1.0

    def summary(self, name: str) -> list[str]:
        parsed = "  ".join(f"{outcome} {self.parsed[outcome]}" for outcome in OUTCOMES)
        refused = self.refusals["refused with a hint"]
        lines = []
        if self.parse_total:
            lines.append(
                f"{name}: {self.parse_total} phrasings: {parsed}  (understood or confirmed "
                f"{self.understood_or_confirmed:.1%})"
            )
        if self.refusals:
            lines.append(
                f"{name}: {sum(self.refusals.values())} to refuse: refused with a hint {refused}  "
                f"without a hint {self.refusals['refused without a hint']}  WRONG {self.refusals['WRONG']}"
            )
        return lines


def occurrences(spec: ScheduleSpec, table: Table, count: int) -> list[str]:
    found, after = [], table.now
    for _ in range(count):
        upcoming = next_after(spec.rule, table.zone, after)
        if upcoming is None:
            break
        found.append(f"{upcoming.astimezone(table.zone):%Y-%m-%d %H:%M}")
        after = upcoming
    return found


def means(spec: ScheduleSpec, entry: dict[str, Any], table: Table) -> bool:
    """Whether `spec` is the schedule the entry meant: same repeating, same next occurrences (and a
    one-off has no more)."""
    wanted = [str(when) for when in entry["next"]]
    if spec.one_off == bool(entry.get("repeats", True)):
        return False
    return occurrences(spec, table, len(wanted) + (0 if spec.one_off is False else 1)) == wanted


def has_hint(message: str, table: Table) -> bool:
    """A refusal helps when it quotes an example that is itself understood (or asked back)."""
    for example in QUOTED.findall(message):
        try:
            parse_schedule(example, now=table.now, zone=table.zone)
        except ScheduleError:
            continue
        return True
    return False


def score_parse(entry: dict[str, Any], table: Table) -> str:
    try:
        result = parse_schedule(str(entry["say"]), now=table.now, zone=table.zone)
    except ScheduleError:
        return "refused"
    if entry["expect"] == "confirm":
        if isinstance(result, TimeChoice):
            times = [spec.clock for spec in result.options]
            return "confirmed" if times == [str(t) for t in entry["choices"]] else "WRONG"
        return "WRONG"
    if isinstance(result, TimeChoice):
        return "confirmed" if any(means(spec, entry, table) for spec in result.options) else "WRONG"
    return "understood" if means(result, entry, table) else "WRONG"


def score_refusal(entry: dict[str, Any], table: Table) -> str:
    try:
        parse_schedule(str(entry["say"]), now=table.now, zone=table.zone)
    except ScheduleError as error:
        return "refused with a hint" if has_hint(str(error), table) else "refused without a hint"
    return "WRONG"


def score(table: Table) -> Score:
    result = Score()
    for entry in table.parse:
        outcome = score_parse(entry, table)
        result.parsed[outcome] += 1
        if outcome == "WRONG":
            result.wrong.append(str(entry["say"]))
        elif outcome == "refused":
            result.missed.append(str(entry["say"]))
    for entry in table.refuse:
        outcome = score_refusal(entry, table)
        result.refusals[outcome] += 1
        if outcome == "WRONG":
            result.wrong.append(str(entry["say"]))
        elif outcome == "refused without a hint":
            result.no_hint.append(str(entry["say"]))
    return result
