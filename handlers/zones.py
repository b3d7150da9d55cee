"""Finding the time zone a person means from what they say: “London”, “BST”, “UK time”, “GMT+5:30”.

`find_zone(text)` is usable on its own (the `timezone` command and any other reader of a zone
slot call it) and answers in one of four ways (`ZoneAnswer`):

- a zone: an IANA name (any case, spaces for underscores), a word from `handlers.zone_names`
  (GMT, BST, UK, CET, EST, PST, Zulu, a country), the city part of any IANA name
  (“new york”, “kolkata”), a whole-hour offset (“UTC+1” is the fixed zone Etc/GMT-1), or a
  close misspelling of a name or city (“londn”, “Europ/London”) when one match is clearly best;
- choices: a word with several common meanings (IST: Irish, India or Israel Standard Time; a
  country with several zones; an offset such as UTC+5:30 that no fixed zone has, answered with
  the places on it today): the person picks one, nothing is guessed;
- a hint: nothing matched, with the nearest names as suggestions when there are any;
- None: the text is empty.

Rules kept on purpose: an abbreviation of three letters or fewer is never matched loosely (BST
must not become EST); “GMT+0” is GMT, which people in the UK mean as UK time, while “UTC+0” is UTC.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from rapidfuzz import fuzz, process

from handlers.zone_names import ALIASES, ALSO_MEANS, AMBIGUOUS, CHOICE_LABELS

FUZZY_MIN_LENGTH = 5  # shorter words are abbreviations or too short to tell apart by spelling
# A clear match: a score at least this high, this far ahead of the next zone's (rapidfuzz's ratio, 0-100).
FUZZY_CLEAR = ((85.0, 6.0), (80.0, 12.0))
FUZZY_SUGGEST = 75.0  # nearer than this is worth suggesting
OFFSET = re.compile(r"(?:(utc|gmt|z)\s*)?([+-])\s*(\d{1,2})(?:[:.h]?(\d{2}))?")
FILLER = re.compile(r"^(?:the|in|at|on)\s+|\s+(?:time\s*zone|timezone|tz|time|standard time|zone)$")
# Regions whose city part is no city ("US/Eastern", "Brazil/East"): matched by their full name only.
SKIPPED_REGIONS = ("Etc/", "SystemV/", "posix", "right/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/")


@dataclass(frozen=True)
class ZoneAnswer:
    """What `find_zone` made of a text.

    Attributes:
        said: the text it was given (trimmed).
        zone: the IANA zone meant, when it is clear.
        choices: zones to choose from when the text has several common meanings.
        note: a line for the read-back (how the text was read, or how to get another reading).
        suggestions: near names to offer when nothing matched.
    """

    said: str
    zone: str | None = None
    choices: tuple[str, ...] = ()
    note: str = ""
    suggestions: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.zone is not None


def normalise(text: str) -> str:
    """Lower case, accents off, filler ("time", "the") and spaces, underscores, hyphens and dots dropped
    ("Europe/London" → "europe/london", "the UK time" → "uk", "New York" → "newyork")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip(" ?!.,'\"")
    plain = FILLER.sub("", " ".join(plain.split()))
    plain = FILLER.sub("", plain)  # "the uk time" loses both
    return re.sub(r"[\s_.\-']+", "", plain)


@cache
def _zone_names() -> dict[str, str]:
    """Normalised key → zone: every IANA name in full, then each city part (first and shortest name wins)."""
    zones = sorted(available_timezones(), key=lambda z: (z.count("/"), len(z), z))
    names = {normalise(zone): zone for zone in zones if "/" in zone}
    for zone in zones:
        if "/" in zone and not zone.startswith(SKIPPED_REGIONS):
            names.setdefault(normalise(zone.rsplit("/", 1)[1]), zone)
    for zone in zones:  # the old one-word names ("Jamaica", "GB") last: a city's own zone is the newer name
        names.setdefault(normalise(zone), zone)
    return names


@cache
def _keys() -> dict[str, str]:
    """Every key `find_zone` knows, ours first: normalised word → zone (or "?" for an ambiguous word)."""
    keys = {**_zone_names(), **ALIASES}
    keys.update(dict.fromkeys(AMBIGUOUS, "?"))
    return keys


def find_zone(text: str) -> ZoneAnswer | None:
    """The zone `text` means, the choices it leaves, or a hint (see the module docstring); None for no text."""
    said = " ".join(text.split()).strip(" ?!.,")
    if not said:
        return None
    key = normalise(said)
    if not key:
        return None
    if key in AMBIGUOUS:
        return ZoneAnswer(said, choices=AMBIGUOUS[key])
    if key in ALIASES:
        return ZoneAnswer(said, zone=ALIASES[key], note=ALSO_MEANS.get(key, ""))
    offset = OFFSET.fullmatch(said.lower().replace(" ", ""))
    if offset is not None:  # before the names: IANA's own "GMT+5" means UTC-5
        return _from_offset(said, offset)
    if key in _zone_names():
        return ZoneAnswer(said, zone=canonical(_zone_names()[key]))
    return _closest(said, key)


def _from_offset(said: str, found: re.Match[str]) -> ZoneAnswer:
    base, sign, hours, minutes = found.group(1), found.group(2), int(found.group(3)), int(found.group(4) or 0)
    if hours == 0 and minutes == 0:
        return ZoneAnswer(said, zone=ALIASES["gmt"] if base == "gmt" else "UTC")
    total = (hours * 60 + minutes) * (1 if sign == "+" else -1)
    if minutes >= 60 or not -12 * 60 <= total <= 14 * 60:
        return ZoneAnswer(said, note="An offset runs from UTC-12 to UTC+14.")
    if minutes == 0:
        fixed = f"Etc/GMT{'-' if total > 0 else '+'}{hours}"  # the IANA fixed zones' sign is reversed
        note = "A fixed offset does not change for summer time; name a city (“timezone London”) to follow it."
        return ZoneAnswer(said, zone=fixed, note=note)
    places = zones_at_offset(timedelta(minutes=total))
    note = f"No fixed zone is {format_offset(timedelta(minutes=total))}; these places are on it today."
    return ZoneAnswer(said, choices=places, note=note)


def zones_at_offset(offset: timedelta, now: datetime | None = None, limit: int = 4) -> tuple[str, ...]:
    """Zones we know by name (`zone_names`) whose offset is `offset` at `now`, the best known first."""
    moment = now or datetime.now(ZoneInfo("UTC"))
    known = sorted(set(ALIASES.values()), key=list(ALIASES.values()).index)
    return tuple(z for z in known if moment.astimezone(ZoneInfo(z)).utcoffset() == offset)[:limit]


def canonical(zone: str) -> str:
    """Today's name for an old one we list ("Asia/Calcutta" → "Asia/Kolkata"); other names as they are."""
    return ALIASES.get(normalise(zone.rsplit("/", 1)[-1]), zone) if "/" in zone else zone


def _closest(said: str, key: str) -> ZoneAnswer:
    """A close misspelling, when one zone is clearly the best match; otherwise a hint with suggestions."""
    if len(key) < FUZZY_MIN_LENGTH:
        return ZoneAnswer(said)
    keys = _keys()
    best: dict[str, float] = {}
    for candidate, score, _ in process.extract(key, list(keys), scorer=fuzz.ratio, limit=12):
        if len(candidate) < FUZZY_MIN_LENGTH:
            continue
        zone = keys[candidate]
        best[zone] = max(best.get(zone, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: -item[1])
    if not ranked:
        return ZoneAnswer(said)
    (top, score), runner_up = ranked[0], ranked[1][1] if len(ranked) > 1 else 0.0
    if top != "?" and any(score >= at_least and score - runner_up >= ahead for at_least, ahead in FUZZY_CLEAR):
        return ZoneAnswer(said, zone=canonical(top))
    near = tuple(zone for zone, s in ranked if s >= FUZZY_SUGGEST and zone != "?")[:3]
    return ZoneAnswer(said, suggestions=near)


def format_offset(offset: timedelta | None) -> str:
    """UTC+0, UTC+1, UTC+5:30, UTC-3:30."""
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def describe_zone(zone: str, now: datetime) -> str:
    """“GMT, UTC+0 today; it is 10:04 there”: the zone's abbreviation (when it has a real one), offset, time."""
    local = now.astimezone(ZoneInfo(zone))
    name = local.tzname() or ""
    label = f"{name}, " if name and name[0].isalpha() and name not in ("UTC",) else ""
    return f"{label}{format_offset(local.utcoffset())} today; it is {local:%H:%M} there"


def choice_label(zone: str) -> str:
    """How a zone is named on a button: its plain name, with the zone itself."""
    label = CHOICE_LABELS.get(zone)
    return f"{label}: {zone}" if label else zone
