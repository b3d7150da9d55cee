"""The words of the schedule language: normalising a message, tolerating typos, reading clock times.

A pure module (no platform, no database): `tokens(text)` turns "Remind me evry Fri @ 4.30pm
to reflect" into ["remind", "me", "every", "friday", "at", "4.30pm"], and `read_clock`
reads a clock time at a position in those tokens. `handlers.schedule_language` builds
schedules from them.

Typos are matched with rapidfuzz to a closed vocabulary of day, month and schedule words;
a word that is itself a schedule word, a filler word or an English word is never
"corrected" into another ("sun" stays Sunday, "tue" stays Tuesday, "mourning" stays itself).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from knowledge.wording import english_words

DAYS = {
    "monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR",
    "saturday": "SA", "sunday": "SU",
}  # fmt: skip
DAY_CODES = tuple(DAYS.values())
DAY_NAMES = {code: name.capitalize() for name, code in DAYS.items()}
DAY_ALIASES = {
    "mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday", "weds": "wednesday",
    "thu": "thursday", "thur": "thursday", "thurs": "thursday", "fri": "friday", "sat": "saturday",
    "sun": "sunday",
    **{f"{name}s": name for name in DAYS}, **{name: name for name in DAYS},
}  # fmt: skip
MONTHS = {
    name: n
    for n, name in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
         "november", "december"),
        start=1,
    )
}  # fmt: skip
MONTH_ALIASES = {
    **MONTHS, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20",
}  # fmt: skip
SLANG = {
    "tomoz": "tomorrow", "tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow", "2moro": "tomorrow",
    "2morrow": "tomorrow", "2mrw": "tomorrow", "tomo": "tomorrow", "tom": "tomorrow", "arvo": "afternoon",
    "arvos": "afternoon", "nite": "night", "wk": "week", "wks": "weeks", "hr": "hour", "hrs": "hours",
    "mins": "minutes", "min": "minutes", "eod": "evening", "morn": "morning", "mornin": "morning",
    "everyday": "daily", "wkdays": "weekdays", "wkends": "weekends", "fortnights": "fortnight",
    "midday": "noon", "lunch": "lunchtime", "dinnertime": "evening",
}  # fmt: skip
# What a typo may be taken for: the schedule word it stands for (its meaning, so two spellings of
# one meaning, "weekday"/"weekdays", never make a typo look ambiguous).
SCHEDULE_WORDS = {
    **{name: name for name in DAYS}, **{f"{name}s": name for name in DAYS}, **{m: m for m in MONTHS},
    "every": "every", "each": "each", "daily": "daily", "weekly": "weekly", "fortnightly": "fortnightly",
    "fortnight": "fortnightly", "monthly": "monthly", "month": "month", "week": "week", "weeks": "week",
    "weekday": "weekdays", "weekdays": "weekdays", "weekend": "weekends", "weekends": "weekends",
    "today": "today", "tomorrow": "tomorrow", "tonight": "tonight", "yesterday": "yesterday",
    "morning": "morning", "mornings": "morning", "afternoon": "afternoon", "afternoons": "afternoon",
    "evening": "evening", "evenings": "evening", "lunchtime": "lunchtime", "noon": "noon",
    "midnight": "midnight", "quarter": "quarter", "other": "other", "alternate": "alternate",
    "next": "next", "first": "first", "second": "second", "third": "third", "fourth": "fourth", "last": "last",
    "checkin": "checkin", "routine": "routine", "reflection": "reflection", "reminder": "reminder", "please": "please",
    "practice": "practice", "nudges": "nudges",
}  # fmt: skip
FUZZY_CHOICES = tuple(SCHEDULE_WORDS)
# Words the parser reads or deliberately leaves over: never taken for a typo of another word.
PROTECTED = frozenset({
    "ever", "very", "even", "never", "once", "twice", "thrice", "times", "time", "hour", "hours", "minute",
    "minutes", "second", "seconds", "except", "not", "only", "until", "till", "between", "from", "but", "or",
    "no", "after", "before", "always", "sometimes", "some", "any", "whenever", "when", "day", "days",
    "year", "years", "months", "moon", "night", "nights", "right", "might", "half", "past", "this", "the",
    "and", "am", "pm", "oclock", "through", "thru", "biweekly", "hourly", "overmorrow", "mother",
})  # fmt: skip
ROUTINE = (
    r"\b(?:(?:just\s+)?(?:after|before|following)\s+(?:my\s+|the\s+|a\s+|each\s+|every\s+)?(?:(?:long|day|night|late|early)"
    r"\s+){0,2}(?:shifts?|work|handover|clinic|lates?|earlies|long\s+days?)|(?:at|by)\s+(?:the\s+)?end\s+of\s+(?:my\s+|the\s+)?"
    r"(?:shift|day|week|working\s+day)|when\s+i\s+(?:finish|get\s+home|clock\s+off|knock\s+off|get\s+off))\b"
)
PHRASES = (
    (r"[’‘`´]", "'"),
    (r"[–—−]", "-"),
    (r"\ba\.m\.?", "am"),
    (r"\bp\.m\.?", "pm"),
    (r"'", ""),
    (r"\bo\s?clock\b", " oclock"),
    (r"\bcheck[\s-]*ins?\b", "checkin"),
    (r"\bmicro[\s-]*practices?\b", "practice"),
    (r"\b(?:every|each)\s+(?:single\s+)?day\b", "daily"),
    (r"\bwork(?:ing)?[\s-]*days?\b", "weekdays"),
    (r"\bweek[\s-]+days?\b", "weekdays"),
    (r"\bweek[\s-]+ends?\b", "weekends"),
    (r"\bonce\s+(?:a|per|every)\s+week\b", "weekly"),
    (r"\bonce\s+(?:a|per|every)\s+fortnight\b", "fortnightly"),
    (r"\bonce\s+(?:a|per|every)\s+month\b", "monthly"),
    (r"\bonce\s+(?:a|per)\s+day\b", "daily"),
    (r"\bin\s+the\s+(morning|afternoon|evening)s?\b", r"\1"),
    (r"\bat\s+night\b", "night"),
    (r"\blunch[\s-]*time\b", "lunchtime"),
    (r"\b(?:the\s+)?day\s+after\s+tomorrow\b", "overmorrow"),
    (r"\bmay\s+(i|we)\b", r"\1"),
    (r"@", " at "),
    (r"\b(\d{1,2})\s+(am|pm)\b", r"\1\2"),
    # "after my shift", "at the end of the day", "when i get home": when in the person's own day, not a clock time
    (ROUTINE, " routine "),
)
PHRASE_PATTERNS = tuple((re.compile(pattern), replacement) for pattern, replacement in PHRASES)
TOKEN = re.compile(
    r"\d{1,2}[:.]\d{1,2}(?:am|pm|h)?(?![\d/])|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d+(?:st|nd|rd|th|am|pm|h(?:\d{2})?)?"
    r"|[a-z]+|[,&+\-/]"
)
# "… to reflect", "… to do my reflection": the purpose of a reminder, not its time.
PURPOSE = re.compile(
    r"\b(?:so\s+(?:that\s+)?i\s+can|to)\s+(?:reflect\w*|do\s+(?:my|a|some)\s+(?:reflection|reflective\s+practice|"
    r"checkin|practice|journal)|write\s+(?:my|a)\s+reflection|journal)\b"
    r"(?:\s+on\s+(?:my|the|this|how)\s+(?:week|day|shift|practice|work)(?:\s+went)?\b)?"
)


@dataclass(frozen=True)
class Clock:
    """A clock time read from the words: `definite` unless it could be morning or afternoon."""

    hour: int
    minute: int
    definite: bool
    text: str


class WordError(ValueError):
    """Words that look like a time but are none ("25:00", "13pm"); the message says what is wrong."""


def tokens(text: str, known: Collection[str]) -> list[str]:
    """The message as schedule tokens: lower case, phrases joined, slang and typos mended, numbers as digits.

    Args:
        text: what the person typed.
        known: words not to correct (the filler vocabulary), besides the schedule words.
    """
    text = text.lower()
    for pattern, replacement in PHRASE_PATTERNS:
        text = pattern.sub(replacement, text)
    text = strip_purpose(text)
    found = []
    for token in TOKEN.findall(text):
        token = SLANG.get(token, token)
        token = NUMBER_WORDS.get(token, token)
        if token.isalpha() and not is_known(token, known):
            token = corrected(token)
        found.append(token)
    return found


def strip_purpose(text: str) -> str:
    """Drop "to reflect…": with what follows when no schedule word follows, else only the clause itself."""
    clause = PURPOSE.search(text)
    if clause is None:
        return text
    rest = text[clause.end() :]
    words = set(re.findall(r"[a-z0-9]+", rest))
    schedule_like = any(w[0].isdigit() or w in SCHEDULE_WORDS or w in DAY_ALIASES or w in MONTH_ALIASES for w in words)
    return text[: clause.start()] + (" " + rest if schedule_like else "")


def is_known(word: str, known: Collection[str]) -> bool:
    return (
        word in known
        or word in SCHEDULE_WORDS
        or word in DAY_ALIASES
        or word in MONTH_ALIASES
        or word in PROTECTED
        or word in SLANG.values()
    )


def corrected(word: str) -> str:
    """The schedule word a typo stands for, or the word itself when it is no clear typo of one."""
    if len(word) < 4 or word in english_words()[1]:
        return word
    threshold = 85 if len(word) == 4 else 80
    # Same first letter: "funday" is no Sunday, "sun" no Monday.
    choices = [choice for choice in FUZZY_CHOICES if choice[0] == word[0]]
    best = process.extract(word, choices, scorer=fuzz.ratio, limit=3)
    if not best or best[0][1] < threshold:
        return word
    meaning = SCHEDULE_WORDS[best[0][0]]
    rivals = [score for choice, score, _ in best[1:] if SCHEDULE_WORDS[choice] != meaning]
    if rivals and rivals[0] > best[0][1] - 5:
        return word  # two schedule words are as near: no guess
    return meaning


HOUR_MINUTE = re.compile(r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{1,2})|h(?P<hm>\d{2})?)?(?P<ampm>am|pm)?")
FOUR_DIGITS = re.compile(r"(?P<h>\d{1,2})(?P<m>\d{2})")
DAY_PART_HOURS = {"morning": range(0, 12), "afternoon": range(12, 18), "evening": range(16, 24)}
MINUTE_WORDS = {"half": 30, "quarter": 15}


def read_clock(words: list[str], i: int) -> tuple[Clock, int] | None:
    """The clock time starting at `words[i]` and the index after it; None if none starts there.

    Raises:
        WordError: a time that is none ("25:00", "4:75pm", "13pm").
    """
    word = words[i]
    after = words[i + 1] if i + 1 < len(words) else ""
    if word == "noon":
        return Clock(12, 0, True, "noon"), i + 1
    if word == "midnight":
        return Clock(0, 0, True, "midnight"), i + 1
    spoken = _spoken_clock(words, i)
    if spoken is not None:
        return spoken
    found = HOUR_MINUTE.fullmatch(word) or (FOUR_DIGITS.fullmatch(word) if len(word) in (3, 4) else None)
    if found is None:
        return None
    end = i + 1
    ampm = found.groupdict().get("ampm") or ""
    if not ampm and after in ("am", "pm"):
        ampm, end = after, end + 1
    if end < len(words) and words[end] == "oclock":
        end += 1
    return _clock(found, word, ampm), end


def _clock(found: re.Match[str], word: str, ampm: str) -> Clock:
    groups = found.groupdict()
    hour = int(found.group("h"))
    minutes = groups.get("m") or groups.get("hm")
    if minutes is not None and len(minutes) != 2:
        raise WordError(f"“{word}” is not a time: minutes have two digits, as in 4:30pm or 16:05.")
    minute = int(minutes or 0)
    text = word + ("" if word.endswith(ampm) else ampm)
    if minute > 59:
        raise WordError(f"“{text}” is not a time: minutes go from 00 to 59.")
    if ampm:
        if not 1 <= hour <= 12:
            raise WordError(f"“{text}” is not a time: with am or pm the hour is 1 to 12 (16:00 is 4pm).")
        return Clock(hour % 12 + (12 if ampm == "pm" else 0), minute, True, text)
    if hour > 23:
        raise WordError(f"“{text}” is not a time of day: hours go from 00 to 23.")
    leading_zero = found.group("h").startswith("0") and len(found.group("h")) == 2
    # "9:30", "9h" are as written (09:30, 09:00); "4:30" could be either.
    as_written = (minutes is not None or "h" in word) and 7 <= hour <= 12
    definite = leading_zero or hour == 0 or hour >= 13 or as_written
    return Clock(hour, minute, definite, text)


def _spoken_clock(words: list[str], i: int) -> tuple[Clock, int] | None:
    """ "half past four", "quarter to nine", "10 past 2", "half four" (British: 4:30)."""
    word = words[i]
    rest = words[i + 1 : i + 4]
    minute = MINUTE_WORDS.get(word) or (int(word) if word in ("5", "10", "20") else None)
    if minute is None:
        return None
    if rest[:1] in (["past"], ["to"]) and len(rest) > 1 and rest[1].isdigit():
        hour, end = int(rest[1]), i + 3
        if rest[0] == "to":
            hour, minute = (hour - 1) % 12 or 12, 60 - minute
    elif word == "half" and rest[:1] and rest[0].isdigit():
        hour, end = int(rest[0]), i + 2
    else:
        return None
    if not 1 <= hour <= 12:
        raise WordError(f"“{' '.join(words[i:end])}” is not a time: say an hour from 1 to 12, as in half past four.")
    ampm = words[end] if end < len(words) and words[end] in ("am", "pm") else ""
    text = " ".join(words[i:end])
    if ampm:
        return Clock(hour % 12 + (12 if ampm == "pm" else 0), minute, True, f"{text} {ampm}"), end + 1
    return Clock(hour, minute, False, text), end
