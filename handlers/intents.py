"""People's own words for commands: the layer between exact commands and the question answerer.

Each command declares, beside its pattern, how people ask for it (`says=`) and the exact
command a match runs (`runs=`, with the phrasing's slot filled in):

    @routes.command(r"(?:stop|pause) nudges?", name="stop-nudges", runs="stop nudges",
                    says=("stop|pause|cancel|off|unsubscribe nudge|nudges",))

A phrasing is a list of words: `a|b` means either word; `{schedule}`, `{number}`, `{zone}`,
`{practice}` or `{rest}` is a slot; a leading `?` lets it match a question ("?what timezone");
a leading `~` only ever suggests it ("Did you mean …?"), never runs it; `… => text` gives the
phrasing its own command text ("pause checkin {number} => pause {number}").

A message that is no exact command (`Router.match`) is read like this:
1. normalised: lower case, apostrophes dropped, the bot's compound words joined ("check in" →
   "checkin", "time zone" → "timezone", "turn off" → "off"); a word the English word list does
   not know is mended to the nearest word of the bot's vocabulary (one edit, two from six
   letters; "chekin", "nudg", "hepl", "managr"), or split in two ("myprogress"). A real word is
   never "corrected".
2. the mended text is tried as an exact command again ("checkn now" → "checkin now").
3. a question ("what is a nudge?", "how do I check in with my team?", "remind me what the People
   Promise is") goes to the answerer unless a `?` phrasing takes all of it ("what time zone am I in?").
4. otherwise each phrasing is tried: all its words present, its slot found (a schedule needs a
   day, a time or a frequency word), and every other word filler ("please", "can I", "the") or a
   word of the same command. A whole match runs the command; a match with a word or two left
   over, or a typo of a short command, is offered back as "Did you mean …?" buttons, with "No,
   it's a question" beside them — nothing command-like goes to the answerer unasked. A schedule
   command whose words and schedule are there runs even with words left over: its parser then
   says which words it did not understand, rather than guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz.distance import OSA

from handlers.schedule_words import ROUTINE
from knowledge.synonyms import ACRONYMS

SLOTS = ("schedule", "number", "zone", "practice", "rest")
FILLERS = frozenset(
    "please pls plz plse can could would will may you u ya i im ive id me the a an to for some just like want "
    "wanna need would love kindly ok okay oh so um er hey leadwell bot of be get have give send let lets do also "
    "again up there this that it is are am my mine with please thanks thank ta cheers now in on at about"
    .split()
)  # fmt: skip
# Words that start a question (unless a request follows: "can I have a nudge?").
QUESTION_START = frozenset(
    "what whats wat wats wot why whys how hows who whos when whens wen where wheres which whose is are does should "
    "shall would could can will tell explain define describe was were has have am isnt arent doesnt".split()
)
REQUEST_AFTER_MODAL = re.compile(
    r"^(?:can|could|would|will|may) (?:i|we|you|u) (?:please )?(?:have|get|set|start|stop|pause|cancel|resume|see|"
    r"show|list|turn|change|schedule|book|give|send|nudge|remind me (?!what|who|how|why|about|of|when|where|which)|"
    r"do|make|"
    r"delete|erase|forget|export|download|switch|update|record|log|add|put|move)\b"
)
QUESTION_REMIND = re.compile(
    r"^(?:can you |could you |please )?remind me (?:what|who|how|why|about|of|when|where|which)\b"
)
JOINS = (
    (re.compile(r"\bcheck[\s-]*ins\b"), "checkins"),
    (re.compile(r"\bcheck[\s-]*in\b"), "checkin"),
    (re.compile(r"\btime[\s-]*zones?\b"), "timezone"),
    (re.compile(r"\bmicro[\s-]*practices?\b"), "practice"),
    (re.compile(r"\bset[\s-]*up\b"), "set"),
    (re.compile(r"\b(?:turn|switch|shut)(?:ed)? (?:them |it |these |those |the |my |all )?off\b"), "off"),
    (re.compile(r"\b(?:turn|switch)(?:ed)? (?:them |it |the |my )?on\b"), "start"),  # "on" is a filler
    (re.compile(r"\bback on\b"), "start"),
    (re.compile(r"\bno more\b|\bdon'?t want\b|\bdo not want\b|\bopt out( of)?\b"), "stop"),
    (re.compile(r"\bnever\s*mind\b"), "nevermind"),
    (re.compile(r"\bthank(?:s| you)\b"), "thanks"),
    # "im done with this job", "done with nursing": fed up, not "done <practice>" (which had recorded "job" as done)
    (re.compile(r"\b(?:i'?m|i am)\s+(?:so\s+|just\s+|completely\s+|totally\s+|honestly\s+)?done\b|\bdone with\b"),
     "fed up"),
)
# Contractions typed without their apostrophe are words, not typos: "i dont know what to do anymore" had become
# "i done …", the start of recording a practice, and was answered with "Which practice did you do?"
CONTRACTIONS = frozenset(
    "dont didnt doesnt cant wont isnt wasnt arent werent havent hasnt hadnt shouldnt couldnt wouldnt mustnt "
    "youre theyre shes hes thats theres aint youd theyd weve theyve youve ive".split()
)
# Short forms people type, read as the words they stand for.
SHORT_FORMS = {
    "u": "you", "ur": "your", "r": "are", "pls": "please", "plz": "please", "wat": "what", "wot": "what",
    "whats": "what", "wats": "what", "hw": "how", "thx": "thanks", "ty": "thanks", "thankyou": "thanks",
    "tmrw": "tomorrow", "tmr": "tomorrow", "2moro": "tomorrow", "2day": "today", "ppl": "people",
}  # fmt: skip
TOKEN = re.compile(r"[a-z0-9@_/+:.#-]+")
# Schedule words: "strong" ones make a schedule (a day, a time, a frequency); weak ones only join them.
DAY_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays "
    "saturdays sundays mon tue tues wed weds thu thur thurs fri sat sun weekday weekdays weekend weekends"
).split()
FREQUENCY_WORDS = (
    "daily weekly fortnightly fortnight monthly everyday tomorrow today tonight morning mornings afternoon "
    "afternoons evening evenings lunchtime noon midday midnight am pm oclock week weeks month day days "
    "january february march april may june july august september october november december jan feb mar apr "
    "jun jul aug sep sept oct nov dec tomoz"
).split()
WEAK_SCHEDULE = frozenset("every each other alternate next on at the of in and to from until last first second third "
                          "fourth working work half quarter past".split())  # fmt: skip
TIME_LIKE = re.compile(r"^(?:\d{1,2}(?:[:.]\d{2})?(?:am|pm|h)?|\d{3,4}|\d{1,2}(?:st|nd|rd|th)|\d{1,2}/\d{1,2})$")
NUMBER = re.compile(r"^#?(\d{1,3})$")
BARE_NUMBER = re.compile(r"^\d{1,2}$")
CommandCheck = Callable[[str], bool]  # whether a text is exactly a command (the router's own match)


@dataclass(frozen=True)
class Phrasing:
    """One way of asking for a command, compiled from its `says=` text."""

    command: str
    runs: str
    groups: tuple[frozenset[str], ...]
    slot: str | None
    question_ok: bool
    suggest_only: bool

    @classmethod
    def parse(cls, command: str, runs: str, text: str) -> Phrasing:
        if "=>" in text:  # a phrasing of its own command text: "pause checkin {number} => pause {number}"
            text, runs = (part.strip() for part in text.split("=>", 1))
        question_ok, suggest_only = text.startswith("?"), text.startswith("~")
        groups: list[frozenset[str]] = []
        slot = None
        for word in text.lstrip("?~").split():
            if word.startswith("{"):
                slot = word.strip("{}")
                if slot not in SLOTS:
                    raise ValueError(f"{command}: unknown slot {word!r} in {text!r}")
            else:
                groups.append(frozenset(word.split("|")))
        if slot is not None and "{" + slot + "}" not in runs:
            raise ValueError(f"{command}: {text!r} has a {slot} slot that {runs!r} does not use")
        if slot is None:
            runs = " ".join(re.sub(r"\{\w+\}", "", runs).split())  # "timezone {zone}" asked without one
        return cls(command, runs, tuple(groups), slot, question_ok, suggest_only)


@dataclass(frozen=True)
class Reading:
    """What a phrasing made of a message: the command text to run and the words left unexplained."""

    phrasing: Phrasing
    text: str
    unexplained: tuple[str, ...]
    weight: int

    @property
    def whole(self) -> bool:
        return not self.unexplained


@dataclass(frozen=True)
class Understood:
    """The intent layer's verdict on one message.

    `run` is an exact command to run; otherwise `suggest` holds "Did you mean …?" commands (best
    first); neither means the text is a question for the answerer.
    """

    run: str | None = None
    suggest: tuple[str, ...] = ()


class Intents:
    """Every command's phrasings, and the matcher over them.

    Args:
        phrasings: (command name, runs, says) for each command that declares phrasings.
        english: words never "corrected".
    """

    def __init__(
        self,
        phrasings: Iterable[tuple[str, str, Sequence[str]]],
        *,
        english: frozenset[str] = frozenset(),
    ) -> None:
        self.phrasings = [Phrasing.parse(name, runs, said) for name, runs, says in phrasings for said in says]
        self.english = english
        self.vocabulary: dict[str, set[str]] = {}  # word → commands whose phrasings use it
        for phrasing in self.phrasings:
            for group in phrasing.groups:
                for word in group:
                    self.vocabulary.setdefault(word, set()).add(phrasing.command)

    @cached_property
    def _targets(self) -> list[str]:
        """Words a typo may be mended to: the vocabulary, the schedule's words and the fillers."""
        return sorted(set(self.vocabulary) | set(DAY_WORDS) | set(FREQUENCY_WORDS) | FILLERS)

    # -- normalising -------------------------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        """The message as the matcher's words: joined compounds, typos of the bot's words mended."""
        lowered = re.sub(r"['’‘`´]", "", text.lower())
        for pattern, joined in JOINS:
            lowered = pattern.sub(joined, lowered)
        tokens = [t.strip(".-:#") or t for t in TOKEN.findall(lowered)]
        mended: list[str] = []
        for token in filter(None, tokens):
            mended.extend(self.mend(SHORT_FORMS.get(token, token)))
        return mended

    def mend(self, word: str) -> list[str]:
        """A word as the bot reads it: itself if known, else its nearest vocabulary word, else split in two."""
        if self._known(word) or any(ch.isdigit() or ch in "@/+:._#" for ch in word) or len(word) < 3:
            return [word]
        nearest = self._nearest(word)
        if nearest is not None:
            return [nearest]
        for cut in range(2, len(word) - 1):
            head, tail = word[:cut], word[cut:]
            if self._bot_word(head) and self._bot_word(tail):
                return [head, tail]
        return [word]

    def _known(self, word: str) -> bool:
        return (
            word in self.vocabulary
            or word in FILLERS
            or word in CONTRACTIONS
            or word in self.english
            or word in DAY_WORDS
            or (word in FREQUENCY_WORDS)
            or word in ACRONYMS  # the knowledge base's acronyms: "list the wdes metrics" is not "weds"
        )

    def _bot_word(self, word: str) -> bool:
        return word in self.vocabulary or word in FILLERS

    def _nearest(self, word: str) -> str | None:
        """The vocabulary word one edit away (two from six letters), same first letter preferred."""
        limit = 1 if len(word) < 6 else 2
        scored = [
            (OSA.distance(word, target), target[0] != word[0], not _missed_letters(word, target), target)
            for target in self._targets
        ]
        best = sorted(s for s in scored if s[0] <= limit and abs(len(s[3]) - len(word)) <= limit)
        if not best:
            return None
        if len(best) > 1 and best[0][:3] == best[1][:3]:
            return None  # two words as near as each other: not clear which was meant
        return best[0][3]

    # -- reading -----------------------------------------------------------------------------------

    def understand(self, text: str, is_command: CommandCheck) -> Understood:
        """What `text` (no exact command) asks for; see the module docstring for the order."""
        words = self.words(text)
        if not words:
            return Understood()
        mended = " ".join(words)
        question = is_question(text, words)
        if (not question or len(words) <= 3) and is_command(mended):
            return Understood(run=mended)
        readings = [r for r in (self.read(p, words) for p in self.phrasings) if r is not None]
        if question:
            readings = [r for r in readings if r.phrasing.question_ok]
        whole = [r for r in readings if r.whole and not r.phrasing.suggest_only]
        if whole:
            best = max(r.weight for r in whole)
            top = _distinct(r for r in whole if r.weight == best)
            if len(top) == 1:
                return Understood(run=top[0].text)
            return Understood(suggest=tuple(r.text for r in top[:3]))
        if question:
            return Understood()
        schedules = [r for r in readings if r.phrasing.slot == "schedule" and not r.phrasing.suggest_only]
        if schedules:  # the schedule parser says which words it did not understand
            return Understood(run=max(schedules, key=lambda r: r.weight).text)
        # (a bare schedule with words it does not explain is not offered: "meh, long week" had had "checkin week?" and
        # "nudges week?"; walk C, 2026-12-07)
        near = [r for r in readings if len(r.unexplained) <= 2 and (r.phrasing.groups or not r.unexplained)]
        if near:
            ranked = sorted(near, key=lambda r: (len(r.unexplained), -r.weight))
            return Understood(suggest=tuple(r.text for r in _distinct(ranked)[:3]))
        return Understood()

    def read(self, phrasing: Phrasing, words: list[str]) -> Reading | None:
        """What `phrasing` makes of `words`, or None when its words or slot are not there."""
        used = [False] * len(words)
        for group in phrasing.groups:
            index = next((i for i, w in enumerate(words) if not used[i] and w in group), None)
            if index is None:
                return None
            used[index] = True
        slot_value = ""
        if phrasing.slot == "schedule":
            span = schedule_span(words, used)
            if span is None:
                return None
            start, end = span
            slot_value = " ".join(w for i, w in enumerate(words[start:end], start) if not used[i])
            for i in range(start, end):
                used[i] = True
        elif phrasing.slot == "number":
            index = next((i for i, w in enumerate(words) if not used[i] and NUMBER.match(w)), None)
            if index is None:
                return None
            used[index] = True
            slot_value = NUMBER.match(words[index]).group(1)  # type: ignore[union-attr]
        elif phrasing.slot is not None:  # the words after the phrasing's own, less fillers at either end
            last = max((i for i, u in enumerate(used) if u), default=-1)  # "change timezone | to london"
            rest = [i for i in range(last + 1, len(words)) if not used[i]]
            kept = [i for i in rest if words[i] not in FILLERS and words[i] not in ("as", "=")]
            if not kept:
                return None
            inside = [i for i in rest if kept[0] <= i <= kept[-1]]
            slot_value = " ".join(words[i] for i in inside)
            for i in inside:
                used[i] = True
        unexplained = tuple(
            w
            for i, w in enumerate(words)
            if not used[i] and w not in FILLERS and phrasing.command not in self.vocabulary.get(w, set())
        )
        weight = len(phrasing.groups) + (2 if phrasing.slot else 0)
        text = phrasing.runs.replace("{" + (phrasing.slot or "") + "}", slot_value) if phrasing.slot else phrasing.runs
        return Reading(phrasing, " ".join(text.split()), unexplained, weight)


def is_question(text: str, words: list[str]) -> bool:
    """Whether the message asks something (for the answerer), rather than asking the bot to do something."""
    lowered = " ".join(re.sub(r"['’‘`´]", "", text.lower()).split())
    if QUESTION_REMIND.match(lowered):
        return True
    if REQUEST_AFTER_MODAL.match(lowered) or lowered.startswith(("please", "pls", "plz")):
        return False
    return (bool(words) and words[0] in QUESTION_START) or lowered.rstrip().endswith("?")


def schedule_word(word: str) -> str | None:
    """ "strong" for a day, time or frequency word (typos of them too), "number" for a bare number (a time only
    beside a strong word: "band 6" is no schedule), "weak" for a joining word, else None."""
    if BARE_NUMBER.match(word):
        return "number"
    if TIME_LIKE.match(word) or word in DAY_WORDS or word in FREQUENCY_WORDS:
        return "strong"
    if word in WEAK_SCHEDULE:
        return "weak"
    if word in ACRONYMS:
        return None  # "wdes" is the disability standard, not a typo of "weds"
    if len(word) >= 4 and any(
        OSA.distance(word, known) <= (1 if len(word) < 7 else 2) and known[0] == word[0]
        for known in (*DAY_WORDS, *FREQUENCY_WORDS, "every", "other")
        if len(known) >= 4
    ):
        return "strong"
    return None


ROUTINE_NEXT = re.compile(ROUTINE)
MAX_FOREIGN = 3  # words a schedule may hold that the parser cannot place ("every friday except christmas at 4pm")


def schedule_span(words: list[str], used: list[bool]) -> tuple[int, int] | None:
    """Where the schedule is: from its first schedule word to its last strong one (weak words join). Words between
    that are neither go with it, for the parser to name; more than MAX_FOREIGN of them and the message is a
    sentence that mentions times ("my team seem totally burnt out, what can i do this week"): the schedule is
    then only the stretch around its first strong word."""
    kinds = [None if used[i] else schedule_word(w) for i, w in enumerate(words)]
    if "strong" not in kinds:
        return None
    ends = [i for i, k in enumerate(kinds) if k in ("strong", "number")]
    start = ends[0]
    while start > 0 and kinds[start - 1] == "weak":
        start -= 1
    foreign = [i for i in range(start, ends[-1]) if kinds[i] is None and (used[i] or words[i] not in FILLERS)]
    end = ends[-1] + 1 if len(foreign) <= MAX_FOREIGN else max(i for i in ends if i < foreign[0]) + 1
    # "tuesdays after work", "every fri about 5 after my shift": the parser says that only a time can say when
    routine = ROUTINE_NEXT.match(" ".join(words[end:]))
    if routine and not any(used[end : end + len(routine.group().split())]):
        end += len(routine.group().split())
    return start, end


def _missed_letters(typed: str, target: str) -> bool:
    """Whether `typed` is `target` with letters left out ("helo" of "hello"): the likeliest slip, so it wins a tie."""
    letters = iter(target)
    return all(ch in letters for ch in typed)


def _distinct(readings: Iterable[Reading]) -> list[Reading]:
    """One reading per command text, in order."""
    seen: set[str] = set()
    out = []
    for reading in readings:
        if reading.text not in seen:
            seen.add(reading.text)
            out.append(reading)
    return out
