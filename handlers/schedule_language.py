"""The schedule language people type: "every friday at 16:00", "weekdays 9am", "tomorrow at 15:00".

`parse_schedule` turns a phrase into a `ScheduleSpec`: an RFC 5545 rule over the
person's local wall-clock time, or a one-off. Anything else raises
`ScheduleError` whose message shows the accepted forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.recurrence import next_after

DAYS = {
    "monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR",
    "saturday": "SA", "sunday": "SU",
}  # fmt: skip
DAY_ALIASES = {
    "mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday", "weds": "wednesday",
    "thu": "thursday", "thur": "thursday", "thurs": "thursday", "fri": "friday", "sat": "saturday",
    "sun": "sunday",
}  # fmt: skip
DAY_NAMES = {code: name.capitalize() for name, code in DAYS.items()}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")

ACCEPTED = (
    "every friday at 16:00",
    "weekdays 9am",
    "every day at 8:30",
    "mondays and thursdays at 12:30",
    "every other monday 08:30",
    "monthly on the 1st at 10:00",
    "monthly on the last day at 16:00",
    "tomorrow at 15:00",
    "today at 17:30",
)
ACCEPTED_TEXT = "I understand, for example: " + "; ".join(f"“{form}”" for form in ACCEPTED) + "."

TIME_PATTERN = r"(?P<time>noon|midday|(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?)"
TIME = re.compile(r"(?:at\s+)?" + TIME_PATTERN + "$")
LEADING_TIME = re.compile(r"^(?:at\s+)?" + TIME_PATTERN + r"\s+(?=[a-z])")


class ScheduleError(ValueError):
    """The phrase is not a schedule we understand; the message says what is accepted."""


@dataclass(frozen=True)
class ScheduleSpec:
    """A parsed schedule: the stored rule, whether it happens once, and how to say it."""

    rule: str
    one_off: bool
    description: str


def _time_of_day(text: str) -> tuple[int, int, str]:
    """Split "… at 4:30pm" into (16, 30, "…")."""
    found = TIME.search(text)
    if found:
        rest = text[: found.start()].strip().removesuffix(" at").strip()
    else:
        found = LEADING_TIME.search(text)
        if not found:
            raise ScheduleError(f"I couldn't find a time of day. {ACCEPTED_TEXT}")
        rest = text[found.end() :].strip()
    if found.group("time") in ("noon", "midday"):
        return 12, 0, rest
    hour, minute = int(found.group("h")), int(found.group("m") or 0)
    ampm = (found.group("ampm") or "").replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"{hour}{ampm} is not a time; use 1–12 with am/pm, or 24-hour time like 16:00.")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError(f"{found.group('time')} is not a time of day; use 24-hour time like 16:00 or 4pm.")
    if not ampm and found.group("m") is None and not rest:
        raise ScheduleError(f"Please say when, for example “every friday at 16:00”. {ACCEPTED_TEXT}")
    return hour, minute, rest


def _days(text: str) -> list[str]:
    words = re.split(r"\s*(?:,|\band\b|&|\+)\s*|\s+", text.strip())
    codes: list[str] = []
    for word in filter(None, words):
        name = DAY_ALIASES.get(word, word.removesuffix("s") if word.removesuffix("s") in DAYS else word)
        if name not in DAYS:
            raise ScheduleError(f"“{word}” is not a day I know. {ACCEPTED_TEXT}")
        if DAYS[name] not in codes:
            codes.append(DAYS[name])
    return codes


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _rule(start: datetime, rrule: str) -> str:
    return f"DTSTART:{start:%Y%m%dT%H%M%S}\nRRULE:{rrule}"


def parse_schedule(phrase: str, *, now: datetime, zone: ZoneInfo) -> ScheduleSpec:
    """Parse what the person typed after "checkin" (or "nudges").

    Args:
        phrase: e.g. "every friday at 16:00".
        now: the current time (aware).
        zone: the person's time zone; times in the phrase are wall-clock times there.
    """
    text = " ".join(phrase.lower().replace("o'clock", "").split())
    if not text:
        raise ScheduleError(f"When would you like it? {ACCEPTED_TEXT}")
    hour, minute, rest = _time_of_day(text)
    clock = f"{hour:02d}:{minute:02d}"
    local_now = now.astimezone(zone).replace(tzinfo=None)
    today = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    rest = re.sub(r"^(every|each|on)\s+", "", rest)
    if rest in ("today", "tomorrow"):
        when = today + timedelta(days=1 if rest == "tomorrow" else 0)
        if when <= local_now:
            raise ScheduleError(f"{clock} today has already passed; try “tomorrow at {clock}”.")
        return ScheduleSpec(_rule(when, "FREQ=DAILY;COUNT=1"), True, f"{rest} at {clock} ({when:%a %d %b})")
    if rest in ("day", "daily", "days", "everyday"):
        return _recurring(today, "FREQ=DAILY", f"every day at {clock}", zone, now)
    if rest in ("weekday", "weekdays", "working day", "working days", "workday", "workdays"):
        return _recurring(today, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", f"weekdays at {clock}", zone, now)
    monthly = _monthly(rest, today, clock, zone, now)
    return monthly if monthly is not None else _weekly(rest, today, clock, zone, now)


def _monthly(rest: str, today: datetime, clock: str, zone: ZoneInfo, now: datetime) -> ScheduleSpec | None:
    """ "monthly on the 1st", "monthly on the last day"; None if `rest` is not monthly."""
    on = r"(?:monthly|month)(?: on)?(?: the)? "
    if re.fullmatch(on + r"last(?: day)?(?: of the month)?", rest):
        description = f"on the last day of each month at {clock}"
        return _recurring(today.replace(day=1), "FREQ=MONTHLY;BYMONTHDAY=-1", description, zone, now)
    monthly = re.fullmatch(on + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?: of the month)?", rest)
    if monthly is None:
        return None
    day = int(monthly.group("day"))
    if not 1 <= day <= 28:
        raise ScheduleError("Please choose a day from the 1st to the 28th (every month has those), or “the last day”.")
    description = f"monthly on the {_ordinal(day)} at {clock}"
    return _recurring(today.replace(day=1), f"FREQ=MONTHLY;BYMONTHDAY={day}", description, zone, now)


def _weekly(rest: str, today: datetime, clock: str, zone: ZoneInfo, now: datetime) -> ScheduleSpec:
    """ "friday", "mondays and thursdays", "other monday", "3 weeks on tuesday"."""
    interval = 1
    fortnightly = re.fullmatch(r"(?:other|alternate|second|2nd|fortnightly on|fortnightly) (?P<days>.+)", rest)
    every_n = re.fullmatch(r"(?P<n>[2-4]) weeks on (?P<days>.+)", rest)
    if fortnightly is not None:
        interval, rest = 2, fortnightly.group("days")
    elif every_n is not None:
        interval, rest = int(every_n.group("n")), every_n.group("days")
    codes = _days(rest)
    if not codes:
        raise ScheduleError(f"Which day? {ACCEPTED_TEXT}")
    day_names = [DAY_NAMES[code] for code in codes]
    names = day_names[0] if len(day_names) == 1 else ", ".join(day_names[:-1]) + " and " + day_names[-1]
    if set(codes) == set(WEEKDAYS) and interval == 1:
        names = "weekday"
    prefix = {1: "every", 2: "every other"}.get(interval, f"every {interval} weeks on")
    rrule = f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={','.join(codes)}"
    # Anchor the first week on the next matching day, so "every other Monday" starts this coming Monday.
    return _recurring(today, rrule, f"{prefix} {names} at {clock}", zone, now, first_day=codes)


def _recurring(
    start: datetime, rrule: str, description: str, zone: ZoneInfo, now: datetime, first_day: list[str] | None = None
) -> ScheduleSpec:
    if first_day is not None:
        wanted = {list(DAYS.values()).index(code) for code in first_day}
        while start.weekday() not in wanted or start < now.astimezone(zone).replace(tzinfo=None):
            start += timedelta(days=1)
    rule = _rule(start, rrule)
    if next_after(rule, zone, now) is None:  # pragma: no cover - every recurring rule has a future
        raise ScheduleError(f"That schedule never happens. {ACCEPTED_TEXT}")
    return ScheduleSpec(rule, False, description)
