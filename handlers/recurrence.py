"""Recurrences in a person's own zone: 16:00 stays 16:00 across the clock changes.

Rules are RFC 5545 recurrences (python-dateutil) over *local wall-clock* times.
Each local occurrence becomes one UTC instant:
- a time that does not exist on a spring-forward day (01:30 in London on the
  last Sunday of March) fires once, at the same moment an hour later by the
  wall clock (02:30 BST);
- a time that occurs twice on a fall-back day (01:30 on the last Sunday of
  October) fires once, at its first occurrence (BST).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

LOOKBACK = timedelta(hours=3)  # wider than any UTC offset change


@lru_cache(maxsize=4096)
def parse_rule(rule: str) -> rrule:
    """A stored rule (`DTSTART:…` line plus `RRULE:…` line, local naive times); parsed once per text."""
    parsed = rrulestr(rule)
    assert isinstance(parsed, rrule)
    return parsed


def to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """The single instant a local wall-clock time stands for (see the module docstring)."""
    # fold=0 picks the first of two ambiguous instants and, for a time in a
    # gap, applies the offset from before the change, i.e. one hour later.
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def next_after(rule: str, zone: ZoneInfo, after: datetime) -> datetime | None:
    """The first occurrence strictly after `after` (aware), in UTC; None when the rule has ended."""
    recurrence = parse_rule(rule)
    local_after = after.astimezone(zone).replace(tzinfo=None) - LOOKBACK
    for local in recurrence.xafter(local_after, inc=True):
        instant = to_utc(local, zone)
        if instant > after:
            return instant
    return None


def latest_until(rule: str, zone: ZoneInfo, until: datetime) -> datetime | None:
    """The last occurrence at or before `until` (aware), in UTC; None if there is none."""
    recurrence = parse_rule(rule)
    local = recurrence.before(until.astimezone(zone).replace(tzinfo=None) + LOOKBACK, inc=True)
    while local is not None:
        instant = to_utc(local, zone)
        if instant <= until:
            return instant
        local = recurrence.before(local, inc=False)
    return None
