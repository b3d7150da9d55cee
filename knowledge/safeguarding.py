"""The safeguarding check: does a message suggest someone needs support, and which kind?

`Safeguarding(signposts).assess(text)` returns None for most messages, or an
`Assessment`: the most urgent level found (risk_to_life, distress, concern), whether
the message is about someone else, and whether it only deserves a gentle line.

How it decides (the phrases are content, in `signposts.yaml`):
- the message is read into canonical words (`knowledge.wording`: case, apostrophes,
  spellings, misspellings and inflections do not matter);
- each level's phrases count wherever they appear ("kill myself", "being bullied");
- a level's topics ("suicide", "bullying") count unless the message is framed as a
  question about the subject, training, policy or a patient's care (`frames`): then the
  message gets a gentle line, never the full list ("suicide prevention training");
- a match wholly inside an idiom does not count ("this rota is killing me");
- a risk to life said indirectly is found by its cues (`risk_cues`: words of means, of an ending, of
  hopelessness, of a plan): two cues met in one message, the means named counting once ("been stockpiling my
  zopiclone", "gave away my stethoscope … wont be needing them"), unless it is about a patient's care and not the
  writer's own; one strong cue in a statement of the writer's own gets one line that asks (`unsure`);
- when the words find nothing, or only the gentle or unsure line, and their models give some level a chance, the
  message's meaning is read by a sentence model (`knowledge.safeguarding_meaning`): "every night after the ward i just
  lie on the floor and stare at the ceiling" names no phrase, but means distress;
- a message is about someone else when the pronouns of the match are someone else's
  ("kill herself", "better off without him"), or, failing that, when the nearest subject
  before the match is ("she", "my colleague") rather than "I".
The check is pure: it records nothing, and it is fast (one pass of a few regular
expressions over the words; about 10 ms more for the few messages the sentence model reads; see the evaluation's
timing figures).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from knowledge.analysis import (
    ABOUT_ME,
    ASKS_ANYWHERE,
    EFFORT_OR_LAUGHTER,
    IF_SOMEONE_ELSE,
    KILLED_ONESELF,
    QUESTION_STARTS,
    THEY_DID,
    THEY_START,
    WHO_SEES,
    WHO_TALKED,
)
from knowledge.errors import located
from knowledge.questions import side_asked_from
from knowledge.safeguarding_meaning import MEANING_FILE, load_meaning_model
from knowledge.signposts import LEVELS, Level, Phrase, Signposts
from knowledge.wording import Wording

log = logging.getLogger(__name__)

GAP = r"(?:[^ .]+ ){0,3}"
SLOTS = {
    "<self>": ("myself", "himself", "herself", "themselves", "themself", "ourselves"),
    "<me>": ("me", "him", "her", "them", "us"),
    "<my>": ("my", "his", "her", "their", "our"),
    "<i>": ("i", "he", "she", "they"),
    "<n>": (
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "fifteen", "twenty", "thirty", "forty", "fifty",
    ),
}  # fmt: skip
FIRST_PERSON = ("i", "me", "my", "myself", "we", "us", "our", "ourselves")
THIRD_PERSON = ("he", "she", "they", "him", "her", "them", "his", "their", "himself", "herself", "themselves")
THIRD_SUBJECTS = ("he", "she", "they")
# Object pronouns, which in a match are often things ("i gave away my insulin, wont be needing them"): they do not
# decide who a match is about; the subject before it does
THIRD_OBJECTS = ("him", "them")
PASSIVE = ("being", "been", "is", "are", "am", "was", "were", "feel", "feels", "felt")  # "she is being bullied"
# Harm suffered ("came in with a black eye", "said she walked into a door", "bruises on her arm"): the one named
# before it is the one harmed, as with a passive
SUFFERED = ("bruise", "bruises", "bruised", "bruising", "eye", "door", "injury", "injuries")
PATIENTS = ("patient", "patients", "pt", "resident", "residents", "client", "clients")
# Giving a medicine as part of care ("i gave the wrong dose of insulin", "drug error on the morning round"): about a
# patient's care even when no patient is named, so the means it names are not a cue of the writer's own
# (never "gave away my things" or "gave myself a dose": those are the writer's own)
GIVING_CARE = re.compile(
    r"\bwrong (?:dose|drug|dosage|patient|pt|medication|time)\b"
    r"|\b(?:drug|med|meds|medication|prescribing|insulin|dosing) (?:error|round|chart|incident)s?\b"
    r"|\b(?:administered|prescribed|dispensed)\b(?!\s+(?:myself|me)\b)"
    r"|\b(?:gave|given)\s+(?!myself\b|me\b|away\b)(?:the |a |an )?(?:\w+ ){0,2}"
    r"(?:dose|doses|drug|meds|medication|injection|iv|insulin|antibiotics?|abx|fluids|heparin|warfarin|morphine|"
    r"oramorph|paracetamol|gentamicin|enoxaparin|clexane|dalteparin)\b"
    r"|\b(?:gave|given)\s+(?:twice|double|late|early|by mistake)\b",
    re.I,
)
# … unless the writer took or gave it to themselves ("i took the wrong meds on purpose", "gave myself the wrong dose")
SELF_DOSED = re.compile(r"\b(?:took|take|takes|taking|taken|swallowed|(?:gave|give|given|giving) myself)\b", re.I)


def giving_care(text: str) -> bool:
    """Whether `text` tells of giving a medicine as part of care (GIVING_CARE) and not of the writer's own dose."""
    return GIVING_CARE.search(text) is not None and SELF_DOSED.search(text) is None


# The writer saying outright that it is not about a patient ("not for a patient", "asking for me not a pt")
NOT_A_PATIENT = re.compile(r"\bnot (?:for )?(?:a |the |my )?(?:patient|pt)s?\b|\basking for (?:me|myself)\b", re.I)
# Things that "die" or are "dead" in everyday talk ("the printer on ward 4 is dead again"): an ending cue just after one
# of them is about the thing, not the writer (for the unsure line only; full support is decided as before)
THINGS = (
    "printer", "phone", "laptop", "computer", "pc", "bleep", "battery", "wifi", "machine", "plant", "system", "epr",
    "kettle", "car", "feet", "tablet", "ipad", "charger", "pen", "starter", "radio", "screen", "fridge", "signal",
)
RISK_CUES = 2  # cues that must meet in a message for a risk to life said indirectly
MEANS = "means"  # the family whose cues count once however many meet ("naloxone dose for opioid overdose")
STRONG_CUES = "ending:"  # with MEANS, the cues that alone, in a statement, get the `unsure` line
# Small models of the words of messages at each level (a logistic regression per level over words and word pairs,
# fitted by tests/knowledge/fit_safeguarding_model.py on the tuning tables and written beside the phrases): at
# MODEL_RISK or more a message gets the risk-to-life support, at MODEL_UNSURE the unsure line; at MODEL_LEVEL the
# distress or concern support. They read the ways of saying it that no phrase lists; the phrases still count whatever
# they say.
MODEL_FILE = "safeguarding_model.json"
MODEL_RISK = 0.7
MODEL_UNSURE = 0.5
# Someone else's partner, as the canonical words read it ("a patients partner grabbed my bum on the ward": walk D,
# 2026-12-07, had had the domestic abuse helpline first): for the first routes, someone, not a partner at home
ANOTHERS_PARTNER = re.compile(
    r"\b(?:patient|visitor|resident|client|service user|customer)"
    r" (?:partner|husband|wife|boyfriend|girlfriend|fianc\w*|ex)\b"
)
# A message that says the one before was nothing serious ("its not that deep lol just want to fit in"): not, by the word
# model alone, a reason for the unsure line (a phrase or cue of a risk in it still is)
PLAYS_DOWN = re.compile(
    r"\b(?:not that deep|not (?:that |a )?(?:big|huge) (?:deal|thing)|not that serious|nothing serious|silly one|"
    r"bit of a silly)\b",
    re.I,
)
# A message that says what the one before meant ("no i meant shes been late repeatedly and ive already had one informal
# chat, nothing changed") goes on with a question asked before: the word model's guess is no reason for the unsure line
CLARIFIES = re.compile(
    r"^\W*(?:(?:no+|nah|sorry|soz|oops|ah|erm?)\W+)*i (?:meant|mean|was (?:asking|talking|on about))\b", re.I
)
# Someone else's question passed on ("shes asking if itll go on her record", after a question about a drug error): a
# question reported, not a statement of the writer's own (walk F, 2026-12-08: it had had the unsure line, and the
# urgent numbers stayed for the next message)
REPORTS_A_QUESTION = re.compile(
    r"\b(?:she|he|they|she'?s|he'?s|they'?re|shes|hes|theyre|staff|everyone|people|my \w+)\s+"
    r"(?:is |are |was |were |keeps? |been )?(?:asking|asked|asks|wants to know|wanting to know|wondering|wondered)\s+"
    r"(?:me\s+)?(?:if|whether|about|when|why|what|how)\b",
    re.I,
)
MODEL_LEVEL = 0.7
QUESTION = re.compile(rf"\?|^(?:{QUESTION_STARTS})\b")
# asking later in the message, without a question mark: no statement of one's own for the unsure line ("… i want her
# to feel she belongs, any tips": walked 2026-12-07, a preceptor had been given the urgent numbers for "belongs"); the
# bereaved path still reads "killed herself last week, any tips for the funeral" as told; nor is asking for time off
# ("funeral is friday, can i get the day off" had had the urgent numbers for "funeral": walked 2026-12-07)
ASKS_LATER = re.compile(
    r"\bany (?:tips|advice|ideas|suggestions)\b|\b(?:how|what) (?:do|can|should) (?:i|we)\b"
    r"|\b(?:can|could|do|will) (?:i|we) (?:get|have|take|book|ask for|swap)\b.{0,30}\b(?:off|leave)\b",
    re.I,
)
DETERMINERS = ("my", "our", "a", "an", "the", "one", "his", "her", "their")  # "my friend", not "seeing friends"
REPORTING = ("told", "tells", "said", "says", "mentioned", "confided", "disclosed", "showed")  # "a colleague told me"
# Someone dying, not yet dead ("my dad's dying, hospice said days"), unless a death is told too
DYING = re.compile(r"\b(?:dying|terminal|end of life|palliative|only got (?:days|weeks) left)\b", re.IGNORECASE)
HAS_DIED = re.compile(r"\b(?:died|passed|dead|death|lost|funeral|miscarr\w*|stillb\w*|put down)\b", re.IGNORECASE)
# A leader's role said first ("ward manager. a nurse came back from long term sick", "consultant, newly appointed as
# college tutor. one of the FY1s is struggling")
LEADER_FIRST = re.compile(
    r"^\W*(?:(?:hi|hello|hey)\W+)?(?:i'?m |im |i am |as )?(?:a |an |the |new |newly appointed )*(?:ward manager|"
    r"unit manager|team leader|team lead|clinical lead|matron|ward sister|charge nurse|band 7|b7|band 8a|line manager|"
    r"manager|consultant|clinical director|college tutor|educational supervisor|practice educator|preceptor|"
    r"supervisor|nurse in charge|head of \w+|service lead|deputy ward manager)\b",
    re.IGNORECASE,
)
# Someone has died by suicide, told in the past tense ("one of my hcas killed herself last week", "a colleague took
# her own life", "we lost a colleague to suicide"): the writer is bereaved (`Assessment.bereaved`). The phrases read
# stems, in which "killed herself" and "wants to kill herself" are the same words, so this is read from the text.
_THEIR = r"(?:his|her|their)"
DIED_BY_SUICIDE = re.compile(
    # not "killed herself laughing", "killed himself working double shifts": idioms of effort and laughter
    rf"{KILLED_ONESELF}(?! (?:{EFFORT_OR_LAUGHTER}|to\b|for\b|over\b|with (?:laughter|work)))"
    rf"|\b(?:took|taken) {_THEIR} own li(?:fe|ves)\b"
    r"|\b(?:died|dead|death|deaths|passed away|passing) (?:by|of|from|through|after|to) (?:a |an )?suicide\b"
    r"|\b(?:lost|losing|loss of) (?:\w+ ){0,4}to suicide\b|\bcommitted suicide\b|\bsuicide of (?:a|our|my|one)\b"
    # "one of our techs was found dead at home. they're saying it was suicide" (walk G, 2026-12-07)
    r"|\b(?:it|that|this) was (?:a |by )?suicide\b",
    re.IGNORECASE,
)
# After such a death, wanting to follow them ("… and i want to join her", "his best mate says hes going to do the
# same"): a risk to life now, which no phrase names on its own
FOLLOWING = re.compile(
    r"\b(?:join|be with|follow) (?:him|her|them)(?:\s+(?:soon|now|too|again|there))?(?=\s*(?:$|[.,;!?]|and\b|but\b))"
    r"|\b(?:do|doing|did|try|trying) the same\b|\bsame (?:way|thing)\b"
    r"|\b(?:me|i|he|she|they|who)(?:'?s| is| am| are)? next\b"
    r"|\b(?:do|doing) it too\b|\b(?:thinking|thought|think) (?:about|of) (?:it|doing it|that) (?:too|as well|myself)\b"
    r"|\bunderstand why (?:he|she|they) did (?:it|that)\b",
    re.IGNORECASE,
)
# … unless it nearly happened ("i nearly died by suicide last year", "she almost took her own life"): not a death
NEARLY = re.compile(
    r"\b(?:nearly|almost|tried|try|trying|attempt\w*|could have|would have|wanted|want)\W+(?:\w+\W+){0,2}$", re.I
)
FIRST_PERSON_CLAUSE = re.compile(r"\b(?:i|im|i'm|ive|i've|me|myself)\b", re.IGNORECASE)  # not "my mate"
CLAUSES = re.compile(r"[.,;!?]|\b(?:and|but|so|now)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Assessment:
    """What the check found in one message.

    Attributes:
        level: the most urgent level found.
        third_person: the message is about someone else (a colleague), so the support is for helping them.
        gentle: only topics framed as a question, training or policy matched: a gentle line, not the list.
        unsure: one strong cue of a risk to life in a statement of the writer's own ("ive written letters for my
            kids just in case"): too little to be sure, too much to say nothing; one line that asks and gives
            the urgent numbers (`Signposts.unsure`), not the whole list.
        levels: every level found (not gentle), most urgent first; routes of each may be shown.
        first_routes: routes to show before the level's, as the message is about what they are for
            (`Signposts.first_routes`: abuse at home puts the domestic abuse helpline first).
        by_meaning: only the meaning model read the level (`_by_meaning`): the support says it may have read an
            ordinary message wrong, and a question asked with it is answered when the answer is sure.
    """

    level: Level
    third_person: bool = False
    gentle: bool = False
    levels: tuple[Level, ...] = ()
    unsure: bool = False
    first_routes: tuple[str, ...] = ()
    bereaved: bool = False
    by_meaning: bool = False  # read by the meaning model alone (no phrase, cue or word model found it)
    by_model: bool = False  # its level read by a word model, not by a phrase or cue


@dataclass(frozen=True)
class _Found:
    level: Level
    start: int  # word index
    end: int
    topic: bool
    about_someone_else: bool | None = None  # known already (the model reads the whole message), else worked out
    modelled: bool = False  # read by a word model (the whole message), not a phrase or cue


class Safeguarding:
    """The detector compiled from the content; `assess` is safe to call on every message."""

    def __init__(self, signposts: Signposts, meaning: bool = True) -> None:
        """`meaning=False` reads words alone (the evaluation's comparison; tests of the phrases)."""
        self.signposts = signposts
        self.wording = Wording(signposts.spellings, signposts.keep_whole)
        every = [p for c in signposts.levels.values() for p in (*c.phrases, *c.topics)]
        cues = [p for phrases in signposts.risk_cues.values() for p in phrases]
        firsts = [p for phrases in signposts.first_routes.values() for p in phrases]
        self.wording.learn(_plain_words(every + list(signposts.someone_else) + cues + firsts))
        self._slots = {slot: "(?:" + "|".join(sorted({self.wording.stem(w) for w in ws})) + ")" for slot, ws in
                       SLOTS.items()}  # fmt: skip
        self._slots["<n>"] = self._slots["<n>"][:-1] + "|[0-9]+)"
        self._first = frozenset(self.wording.stem(w) for w in FIRST_PERSON)
        self._third = frozenset(self.wording.stem(w) for w in THIRD_PERSON)
        self._third_subjects = frozenset(self.wording.stem(w) for w in THIRD_SUBJECTS)
        self._third_deciding = self._third - frozenset(self.wording.stem(w) for w in THIRD_OBJECTS)
        self._passive = frozenset(self.wording.stem(w) for w in PASSIVE + SUFFERED)
        self._reporting = frozenset(self.wording.stem(w) for w in REPORTING)
        self._determiners = frozenset(self.wording.stem(w) for w in DETERMINERS)
        self._things = frozenset(self.wording.stem(w) for w in THINGS)
        self._i = self.wording.stem("i")
        self.phrases = {level: self._compile(c.phrases) for level, c in signposts.levels.items()}
        self.topics = {level: self._compile(c.topics) for level, c in signposts.levels.items()}
        self.frames = self._compile(signposts.frames)
        self.idioms = self._compile(signposts.idioms)
        self.someone_else = self._compile(signposts.someone_else)
        self.cues = [
            (family if family == MEANS else f"{family}:{phrase.line}", self._compile([phrase]))
            for family, phrases in signposts.risk_cues.items()
            for phrase in phrases
        ]
        self._patients = frozenset(self.wording.stem(w) for w in PATIENTS)
        self._models = _load_models(signposts.path.with_name(MODEL_FILE))
        self._meaning = load_meaning_model(signposts.path.with_name(MEANING_FILE)) if meaning else None
        self._first_routes = [(route, self._compile(phrases)) for route, phrases in signposts.first_routes.items()]
        self._losses = self._compile(p for route, phrases in signposts.first_routes.items()
                                     if not signposts.is_harm(route) for p in phrases)  # fmt: skip

    def assess(self, text: str) -> Assessment | None:
        """What `text` suggests, or None when it suggests nothing: what its words say, and, when they find nothing
        or only the gentle or unsure line, what it means (`knowledge.safeguarding_meaning`). A risk to life said only
        as one the writer rules out ("im not going to hurt myself or anything im just knackered") is what the rest of
        the message says, and at least the unsure line (`_ruled_out`)."""
        if not text or not text.strip() or WHO_TALKED.search(text) or WHO_SEES.search(text):
            return None  # (asking who has talked to the bot, or who sees what is typed, is no disclosure)
        found = self._assessed(text)
        if found is not None and found.level == "risk_to_life" and not found.unsure:
            return self._ruled_out(text) or found
        return found

    def _ruled_out(self, text: str) -> Assessment | None:
        """When every risk to life in `text` is one the writer rules out (RULED_OUT), what the rest says, or the unsure
        line when it says nothing; else None (walks J and K, 2026-12-08: "i dont want to hurt myself just done in" and
        "im not going to hurt myself or anything im just knackered. how do i tell my manager im not coping" had had
        999 and A&E, then 999 again for every question after). The unsure line still names 999 and Samaritans."""
        if not RULED_OUT.search(text):
            return None
        rest = self._assessed(RULED_OUT.sub(" ", text))
        if rest is not None and rest.level == "risk_to_life" and not rest.unsure:
            return None  # more is said than what is ruled out
        if rest is None or rest.gentle:
            return Assessment("risk_to_life", unsure=True)
        return rest

    def _assessed(self, text: str) -> Assessment | None:
        died = DIED_BY_SUICIDE.search(text) if self.signposts.bereaved is not None else None
        if died is not None and not NEARLY.search(text[: died.start()]):
            bereaved = self._bereaved(text)
            if bereaved is not None:
                return bereaved
        words = self.wording.words(text)
        by_words = self._by_words(text, words)
        if by_words is not None and not by_words.gentle and not by_words.unsure:
            return by_words
        meaning = self._by_meaning(text, words)
        if meaning is None or (by_words is not None and by_words.unsure and meaning.level != "risk_to_life"):
            return by_words  # the unsure line gives the urgent numbers; a lesser level read by meaning does not
        return meaning

    def _bereaved(self, text: str) -> Assessment | None:
        """Someone the writer knew has died by suicide (DIED_BY_SUICIDE): the support for the bereaved, with what the
        rest of the message shows (its levels' routes after); a risk to life now in the rest ("… and i want to join
        her", "… and now her sister says she will do the same") gets that support instead. A question ("how do i
        support my team after a colleague died by suicide") is read as any other (None): its answer, and the gentle
        line when it names the topic."""
        remaining = DIED_BY_SUICIDE.sub(" . ", text)
        following = FOLLOWING.search(remaining)
        if following is not None:
            clause = CLAUSES.split(remaining[: following.start()])[-1] + following.group(0)
            return Assessment("risk_to_life", not FIRST_PERSON_CLAUSE.search(clause), levels=("risk_to_life",))
        if not self._statement(text):
            return None
        # the rest read by its words alone: the sentence model reads the death still implied in it ("my patient …
        # last night, i found him") as a risk to life now
        rest = self._by_words(remaining, self.wording.words(remaining))
        # … by a phrase or cue: the word model alone had read "my brother . on saturday. im meant to be on nights
        # wed" as a risk to life now, and the bereaved had had "I'm really sorry you're feeling like this" (walk E,
        # 2026-12-07)
        if rest is not None and rest.level == "risk_to_life" and not (rest.gentle or rest.unsure or rest.by_model):
            return rest
        if rest is None or rest.gentle or rest.unsure or (rest.by_model and rest.level == "risk_to_life"):
            return Assessment("distress", bereaved=True)
        return replace(rest, level="distress", third_person=False, bereaved=True)

    def _by_meaning(self, text: str, words: list[str]) -> Assessment | None:
        """The full support at the level the meaning model reads, when the word models give some level its gate or
        more (the encoder is not asked for "hello") and the meaning model reads one. A failure of the sentence model
        is logged (never the message) and the message is left to its words."""
        if self._meaning is None or IF_SOMEONE_ELSE.search(text) or THEY_DID.search(text) or THEY_START.search(text):
            return None  # "and if she denies it" is a question about her (IF_SOMEONE_ELSE), "she made me promise not to
            # say anything" what she did (THEY_DID)
        line = _line(words)
        chances = self._word_chances(text, words, line)
        if max(chances.values()) < self._meaning.gate:
            return None
        try:
            level = self._meaning.level(text, chances)
        except (ValueError, RuntimeError, MemoryError, TypeError) as error:
            name = type(error).__name__
            log.error("The sentence model failed on a message (%s); it was read by its words alone", name)
            return None
        if level is None or (level == "concern" and ABOUT_ME.search(text.casefold())):
            return None  # a concern raised about the writer is not one they raise (as with the words)
        third = self._message_about_someone_else(words, line, _word_starts(line), level)
        routes = self._first_routes_in(line, level, text)
        return Assessment(level, third, levels=(level,), first_routes=routes, by_meaning=True)

    def meaning_gate(self, text: str) -> float:
        """What decides whether the meaning is asked: the highest chance the word models give a level, 0 for a
        message holding an idiom or an accident ("i cut myself on the kettle") or about a patient's care ("i gave the
        insulin twice"), which the words alone read."""
        words = self.wording.words(text)
        return max(self._word_chances(text, words, _line(words)).values())

    def _first_routes_in(self, line: str, level: Level, text: str = "") -> tuple[str, ...]:
        """The routes to show first for what the message is about (`Assessment.first_routes`), at `level` (a loss
        comes first only below a risk to life: `Opening.levels`; and only once it has happened: "my dad's dying,
        hospice said days" had had "I'm so sorry for your loss", walk G, 2026-12-07)."""
        openings = self.signposts.first_openings
        not_yet = DYING.search(text) is not None and HAS_DIED.search(text) is None
        line = ANOTHERS_PARTNER.sub(" someone ", line)  # a patient's partner is no partner of the writer's
        return tuple(
            route for route, pattern in self._first_routes
            if pattern.search(line)
            and (route not in openings or not openings[route].levels or level in openings[route].levels)
            and not (not_yet and not self.signposts.is_harm(route))
        )  # fmt: skip

    def _word_chances(self, text: str, words: list[str], line: str) -> dict[str, float]:
        """Each level's chance by the word models; all 0 for an idiom, an accident or a patient's care."""
        if self.idioms.search(line) or self._about_a_patient(words, text) or giving_care(text):
            return dict.fromkeys(LEVELS, 0.0)
        features = model_features(words)
        return {level: self._chance(level, features) for level in LEVELS}

    def _by_words(self, text: str, words: list[str]) -> Assessment | None:
        """What the phrases, cues and word models find in `text` (`words`: its canonical words)."""
        line = _line(words)
        starts = _word_starts(line)
        found = [
            _Found(level, starts[m.start()], starts[m.end()], topic)
            for level in LEVELS
            for topic, table in ((False, self.phrases), (True, self.topics))
            for m in table[level].finditer(line)
        ]
        # a distress phrase inside a longer concern phrase is read as that concern: "my crewmate has been drinking
        # before shifts and then driving the ambulance" is a safety concern about him, not the writer's own coping
        # (walked 2026-12-07: it had been given the distress support)
        concerns = [(f.start, f.end) for f in found if f.level == "concern" and not f.topic]
        found = [
            f for f in found
            if not (f.level == "distress" and any(a <= f.start and f.end <= b and b - a > f.end - f.start
                                                  for a, b in concerns))
        ]  # fmt: skip
        # an idiom or an accident ("i cut myself on the kettle") is read by the phrases and cues alone, not the models
        idioms = [(starts[m.start()], starts[m.end()]) for m in self.idioms.finditer(line)]
        patient = self._about_a_patient(words, text) or giving_care(text)
        # a death told of someone close ("nan died on sunday") is no cue of the writer's own ending: with "funeral is
        # friday" it had made two cues, a risk to life (walked 2026-12-07); nor is a topic inside it ("my brother died
        # of an overdose" had had the support for a risk to life: walk I, 2026-12-07)
        losses = _every_span(self._losses, line, starts)
        found = [f for f in found if not (f.topic and _inside((f.start, f.end), losses))]
        if losses and FOLLOWING.search(text):  # "… died of an overdose and i want to join him": a risk to life now
            found.append(_Found("risk_to_life", 0, len(words), topic=False))
        cue = self._risk_cue(line, starts, idioms + losses, patient)
        if cue is not None:
            found.append(cue)
        features = model_features(words)
        chance = self._chance("risk_to_life", features)
        if not idioms:
            if chance >= MODEL_RISK and not patient and not THEY_DID.search(text):
                someone = self.someone_else.search(line) is not None  # "my colleague said she has pills saved up"
                found.append(_Found("risk_to_life", 0, len(words), topic=False, about_someone_else=someone,
                                    modelled=True))
            # a concern raised about the writer ("someone raised a concern about me") is not one they raise: unless a
            # phrase says more ("its bullying"), the concern model, which reads speaking-up words, is not asked
            about_me = ABOUT_ME.search(text.casefold()) is not None and not any(f.level == "concern" for f in found)
            modelled: tuple[Level, ...] = ("distress",) if about_me else ("distress", "concern")
            for level in modelled:
                if self._chance(level, features) >= MODEL_LEVEL:
                    someone = self._message_about_someone_else(words, line, starts, level)
                    found.append(_Found(level, 0, len(words), topic=False, about_someone_else=someone, modelled=True))
        if not found:
            # the word model's unsure line only for a statement: "b5 just told me shes dyslexic … what reasonable
            # adjustments should i think about" had had it, and no answer (a managers' walk, 2026-12-07)
            unsure = self._one_strong_cue(words, line, text, patient, idioms, starts) or (
                chance >= MODEL_UNSURE and not patient and not idioms and not ASKS_ANYWHERE.search(text)
                and not THEY_DID.search(text) and not self.frames.search(line)  # ("… the audit and she said no")
                and not CLARIFIES.search(text)  # ("no i meant shes been late repeatedly …": walk C, 2026-12-07)
                and not PLAYS_DOWN.search(text)  # ("its not that deep lol just want to fit in": walk D, 2026-12-07)
                and not REPORTS_A_QUESTION.search(text)  # ("shes asking if itll go on her record": walk F)
            )
            return Assessment("risk_to_life", unsure=True) if unsure else None
        found = [f for f in found if not _inside((f.start, f.end), idioms)]
        if not found:
            return None
        framed = self.frames.search(line) is not None
        # a concern raised about the writer ("someone's reported me for bullying") is not one they raise: a concern
        # topic in it is what they are accused of (walk G, 2026-12-07: a matron had had "it isn't your fault")
        accused = ABOUT_ME.search(text.casefold()) is not None
        counted = [f for f in found if not (f.topic and (framed or (accused and f.level == "concern")))]
        if not counted:
            return Assessment(found[0].level, self._third_person(words, line, starts, found[0]), gentle=True)
        levels = tuple(level for level in LEVELS if any(f.level == level for f in counted))
        first = next(f for f in counted if f.level == levels[0])
        third = first.about_someone_else
        if third is None:
            third = self._third_person(words, line, starts, first)
        routes = self._first_routes_in(line, levels[0], text)
        leads = side_asked_from(text) == "leader"
        if levels[0] == "concern" and not third and not routes and leads:
            third = True  # someone they lead did it or had it done to them: "one of my team made a racist comment to
            # an overseas nurse" had had "it isn't your fault" (walk G, 2026-12-07)
        harm = any(self.signposts.is_harm(route) for route in routes)  # a loss is no harm here
        if levels in (("distress",), ("concern",)) and third and not harm and _leader_asking(text, leads):
            # a leader asking how to lead someone who is struggling gets the answer, then the gentle line: "ward
            # manager. a nurse came back from long term sick (depression) and is struggling … how do i make it work"
            # had had the support for helping a colleague, crisis lines first (two managers' walks, 2026-12-07)
            return Assessment(levels[0], True, gentle=True)
        by_model = all(f.modelled for f in counted if f.level == levels[0])
        return Assessment(levels[0], third, levels=levels, first_routes=routes, by_model=by_model)

    def _risk_cue(
        self, line: str, starts: dict[int, int], idioms: list[tuple[int, int]], patient: bool
    ) -> _Found | None:
        """A risk to life said indirectly: RISK_CUES cues in one message (on different words, outside `idioms`: "dying
        to hear what the board decided" is neither; the means named count once, so a clinical question naming two
        medicines is not), not a message about a patient's care (`patient`: a patient named and no word of the
        writer's own)."""
        spans: dict[str, tuple[int, int]] = {}
        for key, cue in self.cues:
            if key in spans:
                continue
            for found in cue.finditer(line):
                span = (starts[found.start()], starts[found.end()])
                if not _inside(span, idioms) and all(span[1] <= a or b <= span[0] for a, b in spans.values()):
                    spans[key] = span  # two cues on the same words count once
                    break
        if len(spans) < RISK_CUES or patient:
            return None
        return _Found("risk_to_life", min(a for a, _ in spans.values()), max(b for _, b in spans.values()), topic=False)

    def risk_chance(self, words: list[str]) -> float:
        """The model's chance that a message (as canonical words) shows a risk to life; 0 with no model."""
        return self.chance("risk_to_life", words)

    def chance(self, level: str, words: list[str]) -> float:
        """The chance, as the level's model puts it, that a message (as canonical words) is at that level."""
        return self._chance(level, model_features(words))

    def _chance(self, level: str, features: set[str]) -> float:
        model = self._models.get(level)
        if model is None:
            return 0.0
        bias, weights = model
        z = bias + sum(weights.get(feature, 0.0) for feature in features)
        return 1.0 / (1.0 + math.exp(-z))

    def _names_a_patient(self, words: list[str], text: str) -> bool:
        """A patient named, and not "not for a patient"."""
        return any(w in self._patients for w in words) and not NOT_A_PATIENT.search(text)

    def _about_a_patient(self, words: list[str], text: str) -> bool:
        """A patient named and no word of the writer's own."""
        return self._names_a_patient(words, text) and not any(w in self._first for w in words)

    def _one_strong_cue(
        self, words: list[str], line: str, text: str, patient: bool, idioms: list[tuple[int, int]],
        starts: dict[int, int],
    ) -> bool:
        """One cue of the means or of an ending (not a plan or hopelessness alone, nor one inside an idiom: "im dying
        for a brew") in a statement, not a question, with a word of the writer's own, no patient named and not about
        giving care (`patient`, as in assess): "ive written letters for my kids just in case"."""
        if patient or not self._statement(text) or ASKS_LATER.search(text) or not any(w in self._first for w in words):
            return False
        if self._names_a_patient(words, text):
            return False
        return any(
            not _inside((starts[m.start()], starts[m.end()]), idioms)  # not "dying for a brew"
            and not (key != MEANS and self._about_a_thing(words, starts[m.start()]))  # not "my phone died"
            for key, cue in self.cues
            if key == MEANS or key.startswith(STRONG_CUES)
            for m in cue.finditer(line)
        )

    def _about_a_thing(self, words: list[str], start: int) -> bool:
        """Whether one of the five words before `start` is a thing that "dies" in everyday talk (THINGS)."""
        return any(w in self._things for w in words[max(0, start - 5) : start])

    @staticmethod
    def _statement(text: str) -> bool:
        return not QUESTION.search(text.strip().casefold())

    def _message_about_someone_else(self, words: list[str], line: str, starts: dict[int, int], level: str) -> bool:
        """For a level the model read from the whole message: someone else is named ("my colleague", "one of my
        team") and the writer's own words are only those naming them or hearing it ("told me"). At the concern level
        the one named is often who did it ("a colleague keeps shouting at me"), so it is someone else's only when
        passive ("is being harassed") or told."""
        named: set[int] = set()
        for m in self.someone_else.finditer(line):
            start, end = starts[m.start()], starts[m.end()]
            # someone in particular ("my friend", "a colleague"; not "stopped seeing friends"), with the "my" before
            if words[start] in self._determiners or (start > 0 and words[start - 1] in self._determiners):
                named.update(range(max(0, start - 1), end))
        if not named:
            return False
        for index, word in enumerate(words):
            if word in self._first and index not in named:
                heard = index > 0 and words[index - 1] in self._reporting  # "a colleague told me she …"
                if not heard:
                    return False
        return level != "concern" or any(w in self._passive or w in self._reporting for w in words)

    def _third_person(self, words: list[str], line: str, starts: dict[int, int], found: _Found) -> bool:
        """Whether the match is about someone else: its own pronouns, else the nearest subject before it.

        At the concern level someone else before a match is often who did it ("a colleague is coming
        in drunk"), so there a colleague or "she" counts only when the match is passive ("she is being
        bullied") or the colleague told the person ("a colleague told me they are covering it up").
        """
        span = words[found.start : found.end]
        if any(w in self._first for w in span):
            return False
        if any(w in self._third_deciding for w in span):
            return True
        passive = found.level != "concern" or any(w in self._passive for w in span)
        markers = {}
        for m in self.someone_else.finditer(line):
            start, end = starts[m.start()], starts[m.end()]
            if start > 0 and words[start - 1] in ("am", "as", "be", "being"):
                continue  # the writer's own role ("im a band 5, really burnt out": a managers' walk, 2026-12-07)
            markers[end - 1] = passive or any(w in self._reporting for w in words[end : end + 2])
        for index in range(found.start - 1, -1, -1):
            word = words[index]
            if markers.get(index):
                return True
            if word == self._i or word == "we":
                return False
            if word in self._third_subjects and (passive or (index > 0 and words[index - 1] in self._reporting)):
                return True  # "she is being bullied", "said she walked into a door"
        return False

    def _compile(self, phrases: Iterable[Phrase]) -> re.Pattern[str]:
        parts = []
        for phrase in phrases:
            try:
                parts.append(self._pattern(phrase.text))
            except ValueError as error:
                raise located(self.signposts.path, phrase.line, f"{phrase.text!r}: {error}") from None
        if not parts:
            return re.compile(r"(?!x)x")  # matches nothing
        return re.compile(r"(?<= )(?:" + "|".join(parts) + ")")

    def _pattern(self, phrase: str) -> str:
        """One phrase as a regular expression over canonical words, each followed by a space."""
        raw = phrase.casefold()
        for key in (k for k in self.wording.spellings if " " in k):
            raw = re.sub(rf"(?<!\S){re.escape(key)}(?!\S)", self.wording.spellings[key], raw)
        out = []
        for part in raw.split():
            optional = part.endswith("?") and len(part) > 1
            part = part.rstrip("?") if optional else part
            if part == "...":
                out.append(GAP)
                continue
            if part == ".":
                element = r"\."
            elif part in self._slots:
                element = self._slots[part]
            elif part.startswith("<"):
                raise ValueError(f"unknown slot {part} (known: {', '.join(SLOTS)})")
            else:
                alternatives = sorted({self._alternative(a) for a in part.split("/")})
                element = "(?:" + "|".join(alternatives) + ")"
            out.append(f"(?:{element} )?" if optional else f"{element} ")
        if not out or all(o == GAP for o in out):
            raise ValueError("a phrase needs at least one word")
        return "".join(out)

    def _alternative(self, written: str) -> str:
        if written == ".":
            return r"\."
        words = [w for w in self.wording.words(written) if w != "."]
        if not words:
            raise ValueError(f"{written!r} has no word in it")
        return re.escape(" ".join(words))


# A risk to the writer's life ruled out in so many words ("im not going to hurt myself", "i dont want to kill myself",
# "not suicidal"); what else the message says is read without it (`Safeguarding._ruled_out`)
RULED_OUT = re.compile(
    r"\b(?:i'?m not|i am not|im not|not|i (?:do ?n'?t|dont|won'?t|wont|would ?n'?t|wouldnt|will never|would never)"
    r"(?: want to| wanna| plan to| intend to)?|i have no (?:plans?|intention) (?:to|of)"
    r"|no (?:plans?|intention) (?:to|of))"
    r"\s+(?:going to |gonna |gunna |about to )?(?:hurt(?:ing)? myself|harm(?:ing)? myself|kill(?:ing)? myself|"
    r"end(?:ing)? (?:it|my life)|suicidal|do(?:ing)? anything (?:stupid|silly|daft))\b(?: or anything(?: like that)?)?",
    re.IGNORECASE,
)


def _leader_asking(text: str, leads: bool) -> bool:
    """Whether `text` asks a question as the one who leads the person it is about (`leads`: `side_asked_from` says so;
    or a leader's role said first: "ward manager. a nurse came back …")."""
    return (leads or LEADER_FIRST.search(text) is not None) and ASKS_ANYWHERE.search(text) is not None


def _every_span(pattern: re.Pattern[str], line: str, starts: dict[int, int]) -> list[tuple[int, int]]:
    """The word spans of every match of `pattern` in `line`, overlapping ones too ("my brother died" and "died of an
    overdose" in one message)."""
    spans, at = [], 0
    while (m := pattern.search(line, at)) is not None:
        spans.append((starts[m.start()], starts[m.end()]))
        at = m.start() + 1
    return spans


def _inside(span: tuple[int, int], idioms: list[tuple[int, int]]) -> bool:
    """Whether a match's words (`span`, word indexes) lie wholly inside one of the idioms found."""
    return any(a <= span[0] and span[1] <= b for a, b in idioms)


def model_features(words: list[str]) -> set[str]:
    """What the risk model reads of a message: its canonical words and each pair of neighbouring words; a feeling
    straight after "she", "he" or "they" is theirs, not the writer's, and is left out ("had to tell K her secondment is
    ending, she cried, I think I handled it ok": a manager's reflection had had the distress support, walked
    2026-12-07; every table unchanged)."""
    kept = [w for w in words if w != "."]
    kept = [w for i, w in enumerate(kept) if not (w in THEIR_FEELINGS and i > 0 and kept[i - 1] in SUBJECTS)]
    return set(kept) | {f"{a}_{b}" for a, b in zip(kept, kept[1:], strict=False)}


SUBJECTS = frozenset({"she", "he", "they"})
THEIR_FEELINGS = frozenset({"cri", "cry", "sob", "tear", "upset", "weep", "wept"})  # canonical (stemmed) words


def _load_models(path: Path) -> dict[str, tuple[float, dict[str, float]]]:
    """Each level's model (bias, weights), from the file the fitting script writes; none when it is not there."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        level: (float(model["bias"]), {str(k): float(v) for k, v in model["weights"].items()})
        for level, model in data["levels"].items()
    }


def _plain_words(phrases: Iterable[Phrase]) -> set[str]:
    """The words phrases are written with (what misspellings are matched to)."""
    return {w.rstrip("?") for p in phrases for part in p.text.casefold().split() for w in re.split(r"[/\-]", part)}


def _line(words: list[str]) -> str:
    """The canonical words as the phrases are matched against them: spaced, with a space at each end."""
    return " " + " ".join(words) + " "


def _word_starts(line: str) -> dict[int, int]:
    """Offset of each word in `line` → its index, and the end of the line → the number of words.

    A match starts at a word and ends after the space that follows a word, so both ends are keys.
    """
    starts = {m.start(): index for index, m in enumerate(re.finditer(r"\S+", line))}
    starts[len(line)] = len(starts)
    return starts
