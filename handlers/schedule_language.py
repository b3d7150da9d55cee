"""The schedule language people type: "every friday at 4pm", "fortnightly on tues & thurs 9:30", "next monday morning".

`parse_schedule` reads a whole message (fillers such as "remind me", "please", "a check-in"
are skipped, see `FILLER`) and gives either a `ScheduleSpec` (an RFC 5545 rule over the
person's local wall-clock time, evaluated by `handlers.recurrence`, or a one-off) or,
when the hour could be morning or afternoon ("at 4", "half past four"), a `TimeChoice`
with both readings: it never guesses. Anything else raises `ScheduleError` with a hint,
an example of what is understood. Any word it cannot place, and that is not filler, is a
refusal naming the word: a schedule is never set to something other than what was said.

    every other tuesday at 09:00       weekly, fortnightly, every 2-8 weeks on days
    mon-fri 8am, tues & thurs 16h      day lists and ranges, weekdays, weekends, daily
    next friday at noon, 14/12 at 3pm  one-offs: today, tomorrow, next/this <day>, a date
    on the 31st of each month at 10   monthly by date (the last day in shorter months)
    last friday of the month at 4pm    monthly by weekday
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.recurrence import next_after
from handlers.schedule_words import (
    DAY_ALIASES,
    DAY_CODES,
    DAY_NAMES,
    DAY_PART_HOURS,
    DAYS,
    MONTH_ALIASES,
    Clock,
    WordError,
    read_clock,
    tokens,
)

__all__ = [
    "ACCEPTED",
    "DAYS",
    "FILLER",
    "ScheduleError",
    "ScheduleSpec",
    "TimeChoice",
    "choose_time",
    "parse_schedule",
    "read_back",
]

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
WEEKEND = ("SA", "SU")
ACCEPTED = (
    "every friday at 16:00",
    "weekdays at 9am",
    "every day at 8:30",
    "mon, wed and fri at 12:30",
    "every other tuesday at 09:00",
    "on the 1st of every month at 10:00",
    "last friday of the month at 4pm",
    "next monday at 9am",
    "tomorrow at 15:00",
)
ACCEPTED_TEXT = "I understand, for example: " + "; ".join(f"“{form}”" for form in ACCEPTED) + "."
# Words a schedule message may carry that do not change when it is ("remind me", "please", "a check-in").
# The intent layer may pass a larger set (`parse_schedule(…, filler=FILLER | {...})`).
FILLER = frozenset({
    "please", "pls", "plz", "can", "could", "would", "will", "you", "i", "id", "ill", "me", "my", "a", "an",
    "the", "set", "setup", "up", "remind", "reminder", "reminders", "checkin", "checkins", "reflection",
    "reflections", "reflective", "reflect", "reflecting", "nudge", "nudges", "practice", "practices",
    "session", "sessions", "prompt", "prompts", "on", "at", "for", "have", "get", "give", "want", "like",
    "need", "schedule", "scheduled", "to", "of", "thanks", "thank", "cheers", "ta", "ok", "okay", "new",
    "it", "lets", "sharp", "around", "about", "ish", "oclock", "and", "be", "is", "hey", "hi", "hello", "with",
})  # fmt: skip
CONNECTORS = frozenset({",", "and", "&", "+", "-", "/"})
RANGE_WORDS = frozenset({"-", "to", "through", "thru"})
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "last": -1, "fifth": 5, "5th": 5}  # fmt: skip
ORDINAL_NAMES = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
DAY_PART_TIMES = {"morning": (9, 0), "lunchtime": (12, 30), "afternoon": (14, 0), "evening": (18, 0)}
DAY_PARTS = frozenset({*DAY_PART_TIMES, "night"})
TOO_OFTEN_UNITS = frozenset({"hour", "hours", "minutes", "minute", "h", "m", "seconds", "secs"})
TOO_OFTEN = "The most often I can set is once a day, for example “every day at 09:00” or “weekdays at 9am”."
PAST_DAYS = 92  # a date without a year this far back is next year's; nearer, it is a date already past
DATE_TOKEN = re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{2}|\d{4}))?")
ORDINAL_TOKEN = re.compile(r"(?P<d>\d{1,2})(?P<suffix>st|nd|rd|th)?")


class ScheduleError(ValueError):
    """The message is not a schedule we understand; the message says why, with an example that is."""


@dataclass(frozen=True)
class ScheduleSpec:
    """A parsed schedule: the stored rule, whether it happens once, and how to say it."""

    rule: str
    one_off: bool
    description: str

    @property
    def clock(self) -> str:
        """The local time of day, "HH:MM" (from the rule's start)."""
        found = re.search(r"DTSTART:\d{8}T(\d{2})(\d{2})", self.rule)
        assert found is not None
        return f"{found.group(1)}:{found.group(2)}"


@dataclass(frozen=True)
class TimeChoice:
    """An hour that could be morning or afternoon: both schedules (the morning one first) and the question."""

    morning: ScheduleSpec
    afternoon: ScheduleSpec
    question: str

    @property
    def options(self) -> tuple[ScheduleSpec, ScheduleSpec]:
        return self.morning, self.afternoon


def parse_schedule(
    text: str, *, now: datetime, zone: ZoneInfo, filler: Collection[str] = FILLER
) -> ScheduleSpec | TimeChoice:
    """Read when, from what the person wrote (the whole message, or what followed "checkin").

    Args:
        text: e.g. "remind me every friday at 4pm to reflect".
        now: the current time (aware).
        zone: the person's time zone; times in the message are wall-clock times there.
        filler: words skipped wherever they are.

    Raises:
        ScheduleError: nothing schedule-like, a word that could change the meaning, a time or date
            that is none or has passed, or more often than daily; the message has an example.
    """
    local_now = now.astimezone(zone).replace(tzinfo=None)
    try:
        found = _Reader(tokens(text, filler), filler, local_now.date()).read()
    except WordError as error:
        raise ScheduleError(f"{error} For example “every friday at 4:30pm”.") from error
    return _Builder(found, local_now, zone, now).build()


def read_back(spec: ScheduleSpec, now: datetime, zone: ZoneInfo) -> str:
    """What was understood, in words, with the next date: "every other Tuesday at 09:00, next on Tue 8 Dec"."""
    if spec.one_off:
        return spec.description
    upcoming = next_after(spec.rule, zone, now)
    if upcoming is None:  # pragma: no cover - every recurring rule has a future
        return spec.description
    return f"{spec.description}, next on {_day(upcoming.astimezone(zone).date())}"


def choose_time(answer: str, choice: TimeChoice) -> ScheduleSpec | None:
    """Which of the two schedules a typed answer picks ("2", "the second one", "pm", "4pm", "16:00",
    "afternoon"); None when it picks neither or both."""
    words = " ".join(re.sub(r"[^\w:. ]", " ", answer.lower()).split()).removesuffix(".")
    words = re.sub(r"^(?:the |i mean |i meant |in the )", "", words).removesuffix(" one").removesuffix(" please")
    if words in ("1", "first", "1st", "am", "morning", "the morning", "former", "the former", "earlier"):
        return choice.morning
    if words in ("2", "second", "2nd", "pm", "afternoon", "evening", "latter", "the latter", "later", "night"):
        return choice.afternoon
    said = [word for word in tokens(words, FILLER) if word not in FILLER]
    try:
        read = read_clock(said, 0) if said else None
    except WordError:
        return None
    if read is None or not read[0].definite:
        return None
    wanted = f"{read[0].hour:02d}:{read[0].minute:02d}"
    picked = [spec for spec in choice.options if spec.clock == wanted]
    return picked[0] if len(picked) == 1 else None


@dataclass
class _Found:
    """What the words said, before it is checked and made a rule."""

    clock: Clock | None = None
    day_part: str | None = None
    days: list[str] = field(default_factory=list)
    interval: int | None = None
    daily: bool = False
    monthly: bool = False
    month_day: int | None = None  # 1-31, or -1 for the last day
    month_weekday: tuple[int, str] | None = None  # (1-4 or -1, day code)
    once: date | None = None
    once_label: str = ""  # "today", "tomorrow", "next Monday"; "" for a date
    leftovers: list[str] = field(default_factory=list)
    anything: bool = False  # any schedule word at all
    routine: bool = False  # "after my shift": when in the person's day, which only a clock time can say

    def set_clock(self, clock: Clock) -> None:
        if self.clock is not None:
            raise ScheduleError(
                f"I read two times (“{self.clock.text}” and “{clock.text}”); one schedule has one time. "
                "Set them one at a time, for example “every friday at 16:00”."
            )
        self.clock = clock

    def set_day_part(self, part: str) -> None:
        if self.day_part is not None and self.day_part != part:
            raise ScheduleError(
                f"I read two times of day ({self.day_part} and {part}); one schedule has one time. "
                "Set them one at a time, for example “every day at 9am”."
            )
        self.day_part = part

    def set_interval(self, weeks: int) -> None:
        if self.interval is not None and self.interval != weeks:
            raise ScheduleError(f"Is that every week or every {weeks} weeks? For example “every other friday at 4pm”.")
        self.interval = weeks

    def set_once(self, day: date, label: str) -> None:
        if self.once is not None and self.once != day:
            raise ScheduleError(f"I read two dates there. {ACCEPTED_TEXT}")
        self.once, self.once_label = day, label

    def add_days(self, codes: list[str]) -> None:
        self.days.extend(code for code in codes if code not in self.days)


class _Reader:
    """Walks the tokens once, each step taking the words it understands (see `read`)."""

    def __init__(self, words: list[str], filler: Collection[str], today: date) -> None:
        self.words = words
        self.filler = filler
        self.today = today
        self.found = _Found()

    def at(self, i: int) -> str:
        return self.words[i] if 0 <= i < len(self.words) else ""

    def read(self) -> _Found:
        steps = (self.too_often, self.every, self.repeat_word, self.relative_day, self.ordinal, self.date,
                 self.day_set, self.clock, self.day_part, self.month_word, self.routine)  # fmt: skip
        i = 0
        while i < len(self.words):
            for step in steps:
                end = step(i)
                if end is not None:
                    self.found.anything = True
                    i = end
                    break
            else:
                word = self.words[i]
                if word not in self.filler and word not in CONNECTORS:
                    self.found.leftovers.append(word)
                i += 1
        return self.found

    def too_often(self, i: int) -> int | None:
        word, nxt, third = self.at(i), self.at(i + 1), self.at(i + 2)
        every = word in ("every", "each", "per", "a", "an")
        if word == "hourly" or (every and nxt in TOO_OFTEN_UNITS) or (every and nxt == "half" and third == "hour"):
            raise ScheduleError(TOO_OFTEN)
        if word in ("every", "each") and nxt.isdigit() and third in TOO_OFTEN_UNITS:
            raise ScheduleError(TOO_OFTEN)
        if (word in ("twice", "thrice") or (word.isdigit() and nxt == "times")) and "daily" in self.words[i:]:
            raise ScheduleError(TOO_OFTEN)
        if (word in ("twice", "thrice") or (word.isdigit() and nxt == "times")) and "day" in self.words[i : i + 4]:
            raise ScheduleError(TOO_OFTEN)
        if word in ("twice", "thrice") or (word.isdigit() and nxt == "times" and third in ("a", "per", "every")):
            raise ScheduleError(
                "Please name the days instead, for example “tuesdays and fridays at 4pm” or “mon, wed and fri at 9am”."
            )
        return None

    def every(self, i: int) -> int | None:
        if self.at(i) not in ("every", "each"):
            return None
        nxt, third = self.at(i + 1), self.at(i + 2)
        if nxt.isdigit() and third in ("week", "weeks"):
            self.weeks(int(nxt), f"every {nxt} {third}")
            return i + 3
        if nxt.isdigit() and third in ("day", "days", "month", "months", "year", "years"):
            raise ScheduleError(
                f"I can't set “every {nxt} {third}”: I can set every day, chosen days of the week every 1 to 8 weeks, "
                "or a day of each month, for example “every 2 weeks on friday at 4pm”."
            )
        if nxt in ("other", "alternate") or (nxt in ("second", "2nd") and not self.month_follows(i + 2)):
            if third in ("week", "weeks"):
                self.found.set_interval(2)
                return i + 3
            self.found.set_interval(2)
            return i + 2
        if nxt == "week":
            self.found.set_interval(1)
            return i + 2
        if nxt == "fortnight":
            self.found.set_interval(2)
            return i + 2
        if nxt in ("month", "months"):
            self.found.monthly = True
            return i + 2
        if nxt in DAY_PARTS and not self.any_day():
            self.found.daily = True
        return i + 1

    def weeks(self, n: int, said: str) -> None:
        if n == 1:
            self.found.set_interval(1)
        elif not 2 <= n <= 8:
            raise ScheduleError(
                f"“{said}” is not a schedule I can set: say every 1 to 8 weeks, "
                "for example “every 2 weeks on friday at 4pm”."
            )
        else:
            self.found.set_interval(n)

    def month_follows(self, i: int) -> bool:
        """Whether "… of the month" follows a day at `i` ("every second tuesday of the month")."""
        return self.at(i) in DAY_ALIASES and any(w in ("month", "monthly") for w in self.words[i + 1 : i + 5])

    def any_day(self) -> bool:
        return any(w in DAY_ALIASES or w in ("weekdays", "weekends", "weekday", "weekend") for w in self.words)

    def repeat_word(self, i: int) -> int | None:
        word = self.at(i)
        if word == "weekly":
            self.found.set_interval(1)
        elif word in ("fortnightly", "fortnight"):
            self.found.set_interval(2)
        elif word in ("other", "alternate") and self.at(i + 1) in DAY_ALIASES:
            self.found.set_interval(2)
        elif word == "biweekly":
            raise ScheduleError(
                "“Biweekly” can mean twice a week or every two weeks. Say “every other friday at 4pm” "
                "or “tuesdays and fridays at 4pm”."
            )
        elif word == "daily":
            self.found.daily = True
        elif word == "monthly":
            self.found.monthly = True
        else:
            return None
        return i + 1

    def relative_day(self, i: int) -> int | None:
        word, nxt = self.at(i), self.at(i + 1)
        if word == "yesterday":
            raise ScheduleError("That day has passed. I can set times still to come, for example “tomorrow at 15:00”.")
        offsets = {"today": 0, "tonight": 0, "tomorrow": 1, "overmorrow": 2}
        if word in offsets:
            self.found.set_once(self.today + timedelta(days=offsets[word]), "the day after tomorrow"
                                if word == "overmorrow" else "today" if word == "tonight" else word)  # fmt: skip
            if word == "tonight":
                self.found.set_day_part("evening")
            return i + 1
        if word not in ("next", "this", "coming"):
            return None
        if word == "this" and nxt == "coming":
            i, nxt = i + 1, self.at(i + 2)
        if nxt in DAY_ALIASES:
            code = DAYS[DAY_ALIASES[nxt]]
            ahead = (DAY_CODES.index(code) - self.today.weekday()) % 7
            if word != "this" and ahead == 0:
                ahead = 7  # "next monday" said on a Monday is a week today
            label = f"{'next' if word != 'this' else 'this'} {DAY_NAMES[code]}"
            self.found.set_once(self.today + timedelta(days=ahead), label)
            return i + 2
        if word == "this" and nxt in DAY_PARTS:
            self.found.set_once(self.today, "today")
            return i + 1
        if word == "next" or nxt in ("week", "month", "year", "weekend"):
            raise ScheduleError("Which day, and when? For example “next monday at 9am” or “14 december at 3pm”.")
        return None

    def ordinal(self, i: int) -> int | None:
        word, nxt = self.at(i), self.at(i + 1)
        if word not in ORDINALS:
            return None
        if word == "last" and nxt == "day":
            self.found.month_day = -1
            return i + 2
        if nxt not in DAY_ALIASES:
            return None
        if ORDINALS[word] == 5:
            raise ScheduleError(
                f"Not every month has a fifth {DAY_NAMES[DAYS[DAY_ALIASES[nxt]]]}; "
                "try “the last friday of the month at 4pm”."
            )
        self.found.month_weekday = (ORDINALS[word], DAYS[DAY_ALIASES[nxt]])
        return i + 2

    def date(self, i: int) -> int | None:
        word, nxt = self.at(i), self.at(i + 1)
        slashed = DATE_TOKEN.fullmatch(word)
        if slashed is not None:
            year = slashed.group("y")
            self.one_day(int(slashed.group("d")), int(slashed.group("m")), int(year) if year else None, word)
            return i + 1
        ordinal = ORDINAL_TOKEN.fullmatch(word)
        if ordinal is not None:
            skip = 1 if nxt == "of" else 0
            month = self.at(i + 1 + skip)
            if month in MONTH_ALIASES:
                return self.dated(int(ordinal.group("d")), MONTH_ALIASES[month], i + 2 + skip, f"{word} {month}")
            if ordinal.group("suffix"):
                self.found.month_day = self.day_of_month(int(ordinal.group("d")), word)
                return i + 1
            return None
        if word in MONTH_ALIASES and word != "may" or (word == "may" and ORDINAL_TOKEN.fullmatch(nxt)):
            day = ORDINAL_TOKEN.fullmatch(nxt)
            if day is not None and (day.group("suffix") or not self.is_clock_after(i + 1)):
                return self.dated(int(day.group("d")), MONTH_ALIASES[word], i + 2, f"{word} {nxt}")
        return None

    def is_clock_after(self, i: int) -> bool:
        return self.at(i + 1) in ("am", "pm", "oclock")

    def dated(self, day: int, month: int, end: int, said: str) -> int:
        year = int(self.at(end)) if re.fullmatch(r"20\d\d", self.at(end)) else None
        self.one_day(day, month, year, said)
        return end + (1 if year else 0)

    def day_of_month(self, day: int, said: str) -> int:
        if not 1 <= day <= 31:
            raise ScheduleError(
                f"There is no {said} day in a month: say a day from the 1st to the 31st, "
                "for example “on the 1st of every month at 10:00”."
            )
        return day

    def one_day(self, day: int, month: int, year: int | None, said: str) -> None:
        if not 1 <= month <= 12:
            raise ScheduleError(
                f"I can't read “{said}” as a date: I read dates day first, as in “14/12 at 3pm” for 14 December."
            )
        if year is not None and year < 100:
            year += 2000
        try:
            when = date(year or self.today.year, month, day)
        except ValueError:
            raise ScheduleError(
                f"There is no {day} {date(2000, month, 1):%B}{f' {year}' if year else ''}. "
                "For example “on 14 december at 3pm”."
            ) from None
        if when < self.today:
            if year is None and (self.today - when).days > PAST_DAYS:
                when = when.replace(year=when.year + 1)
            else:
                raise ScheduleError(
                    f"{_day(when)} has passed. I can set times still to come, for example “tomorrow at 15:00”."
                )
        self.found.set_once(when, "")

    def day_set(self, i: int) -> int | None:
        """ "friday", "mon, wed and fri", "tues & thurs", "mon-fri", "from monday to thursday", "weekdays"."""
        start = i + 1 if self.at(i) == "from" and self.at(i + 1) in DAY_ALIASES else i
        if self.at(start) not in DAY_ALIASES and self.at(start) not in ("weekday", "weekdays", "weekend", "weekends"):
            return None
        j = start
        while True:
            word = self.at(j)
            if word in ("weekday", "weekdays"):
                self.found.add_days(list(WEEKDAYS))
                j += 1
            elif word in ("weekend", "weekends"):
                self.found.add_days(list(WEEKEND))
                j += 1
            else:
                first = DAYS[DAY_ALIASES[word]]
                if self.at(j + 1) in RANGE_WORDS and self.at(j + 2) in DAY_ALIASES:
                    self.found.add_days(_day_range(first, DAYS[DAY_ALIASES[self.at(j + 2)]]))
                    j += 3
                else:
                    self.found.add_days([first])
                    j += 1
            joined = self.at(j + 1) in DAY_ALIASES or self.at(j + 1) in ("weekend", "weekends")
            if self.at(j) in CONNECTORS and joined:
                j += 1
            elif self.at(j) == "," and self.at(j + 1) == "and" and self.at(j + 2) in DAY_ALIASES:
                j += 2
            elif self.at(j) not in DAY_ALIASES:
                return j

    def clock(self, i: int) -> int | None:
        read = read_clock(self.words, i)
        if read is None:
            return None
        self.found.set_clock(read[0])
        return read[1]

    def day_part(self, i: int) -> int | None:
        word = self.at(i).removesuffix("s")
        if word not in DAY_PARTS:
            return None
        self.found.set_day_part(word)
        return i + 1

    def month_word(self, i: int) -> int | None:
        if self.at(i) not in ("month", "months"):
            return None
        self.found.monthly = True
        return i + 1

    def routine(self, i: int) -> int | None:
        if self.at(i) != "routine":
            return None
        self.found.routine = True
        return i + 1


def _day_range(first: str, last: str) -> list[str]:
    start, end = DAY_CODES.index(first), DAY_CODES.index(last)
    return [DAY_CODES[(start + n) % 7] for n in range((end - start) % 7 + 1)]


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


class _Builder:
    """Checks what was read makes one schedule, then makes it (or both, when the hour is unclear)."""

    def __init__(self, found: _Found, local_now: datetime, zone: ZoneInfo, now: datetime) -> None:
        self.found = found
        self.local_now = local_now
        self.zone = zone
        self.now = now

    def build(self) -> ScheduleSpec | TimeChoice:
        found = self.found
        if found.leftovers:
            words = " ".join(dict.fromkeys(found.leftovers))
            if not found.anything:
                raise ScheduleError(f"I couldn't find a day or a time in that. {ACCEPTED_TEXT}")
            raise ScheduleError(
                f"I'm not sure what “{words}” means here, so I haven't set anything. "
                f"Please say it another way. {ACCEPTED_TEXT}"
            )
        self.check_when()
        hours = self.hours()
        if len(hours) == 1:
            return self.spec(*hours[0])
        (hour, minute), (later, _) = hours
        morning = f"{hour:02d}:{minute:02d}"
        passed = (hour, minute) <= (self.local_now.hour, self.local_now.minute)
        if self.found.once == self.local_now.date() and passed:
            evening = f"{later:02d}:{minute:02d}"
            raise ScheduleError(f"{morning} today has passed. If you mean {evening}, say “today at {evening}”.")
        return TimeChoice(self.spec(hour, minute), self.spec(later, minute), f"Do you mean {morning} or "
                          f"{later:02d}:{minute:02d}?")  # fmt: skip

    def check_when(self) -> None:
        found = self.found
        if found.once is not None and found.days == [DAY_CODES[found.once.weekday()]] and found.interval is None:
            found.days = []  # "friday 11 december": the day agrees with the date
        if found.daily and found.days:
            raise ScheduleError(f"Every day, or only on those days? {ACCEPTED_TEXT}")
        kinds = [
            name
            for name, present in (
                ("a date", found.once is not None),
                ("days of the week", bool(found.days) or found.daily),
                ("a day of the month", found.month_day is not None or found.month_weekday is not None),
            )
            if present
        ]
        if len(kinds) > 1:
            raise ScheduleError(f"I read both {kinds[0]} and {kinds[1]}; please say one. {ACCEPTED_TEXT}")
        monthly_day = found.month_day is not None or found.month_weekday is not None
        if monthly_day and not found.monthly:
            raise ScheduleError(
                "Of which month? For a monthly one say “on the 15th of every month at 10:00” or "
                "“the first monday of every month at 9am”; for one date, “on 14 december at 3pm”."
            )
        if found.monthly and not monthly_day:
            raise ScheduleError("Which day of the month? For example “on the 1st of every month at 10:00”.")
        if found.interval is not None and (not found.days or found.daily):
            raise ScheduleError("Which day of the week? For example “every other tuesday at 09:00”.")
        if not kinds:
            if found.clock is None and found.day_part is None:
                if found.routine:
                    raise ScheduleError(
                        "I can't tell when your shift or day ends: please give me a day and a time, for example "
                        "“every friday at 17:30”."
                    )
                raise ScheduleError(f"I couldn't find a day or a time in that. {ACCEPTED_TEXT}")
            raise ScheduleError(f"Which day or days? {ACCEPTED_TEXT}")

    def hours(self) -> list[tuple[int, int]]:
        """One (hour, minute), or two when the hour could be morning or afternoon (morning first)."""
        clock, part = self.found.clock, self.found.day_part
        if clock is None:
            if part is None and self.found.routine:
                raise ScheduleError(
                    "I can't tell when your shift or day ends, so please give me a time: for example "
                    "“every friday at 17:30” or “weekdays at 8pm”."
                )
            if part is None:
                raise ScheduleError("What time? For example “every friday at 4pm” or “weekdays in the morning”.")
            if part == "night":
                raise ScheduleError("What time at night? For example “every day at 9pm”.")
            return [DAY_PART_TIMES[part]]
        if part is None or part == "lunchtime" and clock.definite:
            if clock.definite:
                return [(clock.hour, clock.minute)]
            return [(clock.hour % 12, clock.minute), (clock.hour % 12 + 12, clock.minute)]
        hour = clock.hour
        if not clock.definite:
            if part == "lunchtime":
                hour = hour if hour in (11, 12) else hour % 12 + 12
            else:
                hour = hour % 12 if part == "morning" else hour % 12 + 12
        allowed = DAY_PART_HOURS.get("evening" if part == "night" else part, range(11, 15))
        if hour not in allowed and not (part == "night" and hour < 4):
            raise ScheduleError(
                f"“{clock.text}” and “{part}” don't go together. Say one, for example “every friday at 4pm”."
            )
        return [(hour, clock.minute)]

    def spec(self, hour: int, minute: int) -> ScheduleSpec:
        found = self.found
        clock = f"{hour:02d}:{minute:02d}"
        if found.once is not None:
            return self.one_off(found.once, hour, minute, clock)
        today = self.local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if found.month_weekday is not None:
            n, code = found.month_weekday
            description = f"on the {ORDINAL_NAMES[n]} {DAY_NAMES[code]} of each month at {clock}"
            return _recurring(today.replace(day=1), f"FREQ=MONTHLY;BYDAY={n}{code}", description)
        if found.month_day is not None:
            return _monthly_by_date(found.month_day, today, clock)
        days = [code for code in DAY_CODES if code in found.days] if found.days else list(DAY_CODES)
        interval = found.interval or 1
        if len(days) == 7 and interval == 1:
            return _recurring(today, "FREQ=DAILY", f"every day at {clock}")
        while today.weekday() not in [DAY_CODES.index(code) for code in days] or today < self.local_now:
            today += timedelta(days=1)  # the first week is the one of the next matching day
        rrule = f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={','.join(days)}"
        return _recurring(today, rrule, f"{_weekly_words(days, interval)} at {clock}")

    def one_off(self, day: date, hour: int, minute: int, clock: str) -> ScheduleSpec:
        when = datetime(day.year, day.month, day.day, hour, minute)
        if when <= self.local_now:
            raise ScheduleError(f"{clock} on {_day(day)} has already passed; try “tomorrow at {clock}”.")
        label = self.found.once_label
        year = f" {day.year}" if day.year != self.local_now.year else ""
        if label:
            description = f"{label} at {clock} ({_day(day)}{year})"
        else:
            description = f"on {_day(day)}{year} at {clock}"
        return ScheduleSpec(_rule(when, "FREQ=DAILY;COUNT=1"), True, description)


def _weekly_words(days: list[str], interval: int) -> str:
    names = [DAY_NAMES[code] for code in days]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if tuple(days) == WEEKDAYS:
        listed = "weekday" if interval > 1 else ""
    elif tuple(days) == WEEKEND:
        listed = "weekend day" if interval > 1 else ""
    if not listed:
        return "weekdays" if tuple(days) == WEEKDAYS else "weekends"
    if interval == 1:
        return f"every {listed}"
    if interval == 2:
        return f"every other week on {listed}" if len(days) > 1 else f"every other {listed}"
    return f"every {interval} weeks on {listed}"


def _monthly_by_date(day: int, today: datetime, clock: str) -> ScheduleSpec:
    first = today.replace(day=1)
    if day == -1:
        return _recurring(first, "FREQ=MONTHLY;BYMONTHDAY=-1", f"on the last day of each month at {clock}")
    if day <= 28:
        return _recurring(first, f"FREQ=MONTHLY;BYMONTHDAY={day}", f"on the {_ordinal(day)} of each month at {clock}")
    # The day itself, or the month's last day when it has none: the first of the two in each month.
    description = f"on the {_ordinal(day)} of each month at {clock} (on the last day in shorter months)"
    return _recurring(first, f"FREQ=MONTHLY;BYMONTHDAY={day},-1;BYSETPOS=1", description)


def _rule(start: datetime, rrule: str) -> str:
    return f"DTSTART:{start:%Y%m%dT%H%M%S}\nRRULE:{rrule}"


def _recurring(start: datetime, rrule: str, description: str) -> ScheduleSpec:
    return ScheduleSpec(_rule(start, rrule), False, description)
