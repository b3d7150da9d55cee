"""A follow-up read with the question before it: "and for band 6s?", "shorter pls", "what if she just refuses".

The answerer reads one message at a time. So that a short follow-up is not answered as a question of its own (the
walks of 2026-12-07 found "and for band 6s? same rules?" answered with protected management hours, "so is it
mandatory or not" with the WRES indicators, "and annual checks after that?" declined as leave), each question the
answerer answered is kept, sealed, for FOLLOW_UP_WINDOW (`storage.models.RecentQuestion`). A short message that
reads as a follow-up (`reads_as_follow_up`) is then answered as that question and itself together, and the reply
says so; unless it is a question of its own that the answerer is sure of, and surer of alone than read together
("and what is WRES" after a question about a drug error). A turn that gave safeguarding support forgets the question
before it (`after_support`): "what should i do next" after a message about a colleague at risk is never read with an
older question about rotas; after support for someone else at risk to their life, a short question in the next
FOLLOW_UP_WINDOW ("what do i actually say to her", "should i tell the nic", "shes gone home now, what do i do") gets
what to do next for them (`Signposts.at_risk_next`), not an answer read alone (walked 2026-12-07: rostering, an IT
decline, "I can't tell what 'her' refers to").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from handlers.context import Context
from handlers.sealing import SealError, open_payload, seal_payload

FOLLOW_UP_WINDOW = timedelta(minutes=30)
MAX_FOLLOW_UP_WORDS = 12  # longer is a question of its own
MAX_KEPT_CHARS = 400  # a chain of follow-ups keeps its start and its latest words, not everything
SHOWN_CHARS = 80  # how much of the question before is quoted in the reply
MARKS = re.compile(r"[*_\[\]()`<>]")  # what our Markdown subset (knowledge.markdown) or a platform reads as markup

# Opens as a follow-up: "and for nights?", "but what if she says no", "what about occ health", "so is it mandatory"
OPENS = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|right|yeah|yes|no|hmm+|thanks|cheers|fine|sorry|actually)\W+)*"
    r"(?:and|but|so|also|then|plus|or|what about|how about|what if|and if|same for|even if|unless|except)\b",
    re.IGNORECASE,
)
# Points back at what was asked: "is it the same for them", "what if she refuses", "does that apply to doctors"
THEM = r"they|them|their|she|shes|he|hes|her|him|his"  # the people asked about before
POINTS_BACK = re.compile(rf"\b(?:it|its|that|this|those|these|{THEM}|same|either|both)\b", re.IGNORECASE)
# A question whose subject is what was asked about before ("will it go on my record", "does that count", "is this
# normal"): it goes on from that question when read with it stays on the same section
ABOUT_IT = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|and|but|sorry)\W+)?(?:will|would|could|can|does|did|do|is|was|should|might|has|have) "
    r"(?:it|this|that)\b",
    re.IGNORECASE,
)
# Still about the person they are helping ("i dont want to get her in trouble"); not "im a band 5 nurse and want to get
# into leadership", which had had "It's kind of you to think about how this lands for them" (a final walk, 2026-12-07)
ABOUT_THEM = re.compile(rf"\b(?:{THEM}|theyre)\b", re.IGNORECASE)
# … as a list: "list pls", "bullet points", "as a list" (walked 2026-12-07: "list pls" had been declined)
AS_A_LIST = r"bullet(?:\s*point)?s?|(?:as|in) (?:a )?list|list (?:form|it|them|pls|please|plz)|^\W*list\W*$"
AS_LIST = re.compile(rf"\b(?:{AS_A_LIST})", re.IGNORECASE)
# Asks for the same answer another way: "shorter pls", "in 1 line", "bullet points pls", "simpler", "list pls"
ANOTHER_WAY = re.compile(
    r"\b(?:shorter|briefer|simpler|simply|tl;?dr|in short|summari[sz]e|"
    r"in (?:\d+|one|two|three|a few|plain|simple) ?(?:lines?|sentences?|words?|english|terms)|"
    rf"{AS_A_LIST})\b",
    re.IGNORECASE,
)
# Asks where the answer before came from: "what's the source", "where's that from", "references?" (walked 2026-12-07:
# "what's the source" had had the note on what our sources leave open)
# Asking for the words to use, after an answer ("give me an example of what to say to her", "how do i start that
# conversation", "how do i word it"): the words to open a hard conversation (OPENING_WORDS), read with the question
# before; a managers' walk, 2026-12-07, had had the answer before again, a handover card or a grievance card
ASKS_FOR_WORDS = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|but|right|great|thanks)\W+)*(?:(?:can|could) (?:you|u) )?(?:(?:give|show) me |got )?"
    r"(?:an? |some )?(?:examples?|script|wording)(?: of (?:what|how) (?:to|i|i'?d|i would|i could|i should) "
    r"(?:say|word|put|open|start)\b.*| (?:pls|please|plz))?\W*$"
    r"|^\W*(?:(?:ok|okay|so|and|but|right)\W+)*(?:what|wat) (?:do|should|would|could|can) i (?:actually |even )?say"
    r"(?: to (?:her|him|them))?(?: first| exactly)?(?: (?:tho|though|then|now|lol|pls|please|haha))*\W*$"
    r"|^\W*(?:(?:ok|okay|so|and|but|right)\W+)*how (?:do|should|would|can|could) i (?:actually |even )?(?:"
    r"(?:start|open|begin)(?: (?:it|this|that|the|a|our|my))?(?: (?:conversation|chat|talk|discussion|meeting|1:1|"
    r"one to one))?(?: with (?:her|him|them))?\W*$|word|phrase|bring (?:it|this|that) up|raise (?:it|this|that)|say it|"
    r"put it)\b",
    re.IGNORECASE,
)
MAX_WORDS_ASKED_FOR = 14
OPENING_WORDS = "give me an example of what to say to open the conversation"
ASKS_SOURCE = re.compile(
    r"^\W*(?:(?:ok|so|and|but)\W+)?(?:(?:what|whats|what's|what is|what are|which) (?:is |are )?(?:the |your |ur )?"
    r"(?:sources?|references?|evidence)(?: for (?:that|this|it))?|sources?|references?|refs?|links?|"
    r"where(?:'s| is| does| did|s)? (?:that|this|it) (?:from|come from|came from)|says who|"
    r"(?:can|could) (?:i|you|u) (?:have|give me|see|share) (?:the )?(?:sources?|references?|links?)|"
    r"what(?:'s| is|s) (?:that|this|it) based on)\W*(?:pls|please|plz)?\W*$",
    re.IGNORECASE,
)


def reads_as_follow_up(text: str, *, bare: bool = True) -> bool:
    """Whether a message reads as a follow-up to the question before it (see the module docstring): it opens as one,
    points back, asks for the answer another way, or is a bare question of a few words ("who decides", "how long")."""
    words = text.split()
    if not words or len(words) > MAX_FOLLOW_UP_WORDS:
        return False
    short = bare and len(words) <= BARE_QUESTION_WORDS and bool(BARE_QUESTION.search(text))
    return bool(OPENS.search(text) or POINTS_BACK.search(text) or ANOTHER_WAY.search(text) or short
                or SAYING_NO.match(text))


def leans_back(text: str) -> bool:
    """A follow-up that opens as one ("what about", "and", "but what if") and points back at someone or something
    asked about before ("the ones", "they", "her", "it"), naming no acronym or capitalised name of its own."""
    words = re.findall(r"[A-Za-z0-9:&']+", text)
    if not words or len(words) > MAX_FOLLOW_UP_WORDS or not OPENS.search(text) or _names_one(words, but_i=True):
        return False
    return bool(POINTS_BACK.search(text) or THE_ONES.search(text))


# "the ones who …", "those who …", "the others": people asked about before
THE_ONES = re.compile(r"\b(?:the ones?|the others?|those|the rest|the team|the staff|the crew)\b", re.I)


def names_nothing_of_its_own(question: str) -> bool:
    """A bare question of a few words with at most one word of substance ("what are the domains", "who decides", "is
    that normal") that is no acronym or capitalised name (not "what is WRES", "and Kark?", "what is the people
    promise")."""
    from knowledge.synonyms import STOPWORDS  # loaded with the knowledge base already

    words = re.findall(r"[A-Za-z0-9:&']+", question)
    if len(words) > BARE_WORDS or not BARE.search(question) or _names_one(words):
        return False
    return sum(1 for w in words if w.lower() not in STOPWORDS) <= 1


def _names_one(words: list[str], *, but_i: bool = False) -> bool:
    """Whether `words` name a thing of their own: an acronym, or a capitalised word after the first (not "I" when
    `but_i`)."""
    from knowledge.synonyms import ACRONYMS  # loaded with the knowledge base already

    return any(
        w.lower() in ACRONYMS or (w[:1].isupper() and i > 0 and not (but_i and w == "I")) for i, w in enumerate(words)
    )


BARE_WORDS = 5
ASKING_WORDS = "who|whos|how|when|where|why|which|what|whats|is|are"  # how a bare question opens
BARE = re.compile(rf"^\W*(?:and\s+|so\s+|but\s+)?(?:{ASKING_WORDS})\b", re.I)


BARE_QUESTION_WORDS = 4
# Whether one may refuse what was asked about ("can i just say no", after a flexible working request: walk K,
# 2026-12-08, it had been declined, read alone)
SAYING_NO = re.compile(
    r"^\W*(?:can|could|should|am i allowed to|do i have to) (?:i |we )?(?:just |still |actually )?"
    r"(?:say no|refuse|decline|turn (?:it|her|him|them) down|agree)\b",
    re.I,
)
BARE_QUESTION = re.compile(rf"^\W*(?:{ASKING_WORDS}|does|do|can|will)\b", re.I)


def only_restyles(text: str) -> bool:
    """A follow-up that only asks for the same answer another way ("shorter pls", "can you put that in 1 line"):
    what the answerer reads next goes on from the question before, not from it."""
    rest = re.findall(r"[a-z0-9']+", ANOTHER_WAY.sub(" ", text).lower())
    return bool(ANOTHER_WAY.search(text)) and all(word in POLITE for word in rest)


SHORTER = re.compile(
    r"\b(?:shorter|briefer|simpler|tl;?dr|in short|summari[sz]e"
    r"|in (?:\d+|one|two|three|a few) ?(?:lines?|sentences?|words?))\b",
    re.IGNORECASE,
)
POLITE = frozenset(
    "pls plz please thanks ta can could you u make it that this a bit again the answer put say do version one".split()
)


def next_step_for_them(text: str) -> bool:
    """A short message that asks what to do next for someone at risk ("what do i actually say to her", "should i
    tell the nic", "shes gone home now, what do i do"): a follow-up by its form, or one that asks about doing,
    saying or telling."""
    # not a bare question alone: "what is wres" then is a question of its own
    return len(text.split()) <= MAX_NEXT_STEP_WORDS and (
        reads_as_follow_up(text, bare=False) or bool(NEXT_STEP.search(text))
    )


MAX_NEXT_STEP_WORDS = 20
NEXT_STEP = re.compile(
    r"\b(?:tell|say|ask|do|call|ring|phone|report|escalate|leave|text|message|contact|check on|go round|stay)\b",
    re.IGNORECASE,
)


def together(previous: str, text: str) -> str:
    """The question before and the follow-up as one question for the answerer (a long chain keeps its ends). A
    follow-up that only asks for it another way adds no words of its own ("shorter pls" had made "what do i say to the
    family" a stray match, declined): a shorter one is asked for "in short", any other way is the question again."""
    if only_restyles(text):
        return f"{previous.rstrip()} in short" if SHORTER.search(text) else previous
    joined = f"{previous.rstrip()} {text.strip()}"
    if len(joined) <= MAX_KEPT_CHARS:
        return joined
    tail = text.strip()[-MAX_KEPT_CHARS // 2 :]
    return f"{previous[: MAX_KEPT_CHARS - len(tail) - 1].rstrip()} {tail}"


def read_with(previous: str) -> str:
    """The line that says the answer was read with the question before (in italics; the person's words are quoted
    without our Markdown's marks, so they cannot bold, link or end the italics)."""
    plain = " ".join(MARKS.sub(" ", previous).split())
    shown = plain if len(plain) <= SHOWN_CHARS else plain[:SHOWN_CHARS].rsplit(" ", 1)[0] + "…"
    return f"_Read with your last question, “{shown}”:_"


# Waving it away soon after support for oneself ("its fine", "forget it", "nvm", "im ok", "lol jk"): the bot is still
# there, not "OK. I'm here whenever you need me" nor a menu asking whether "cancel" was meant (walk E, 2026-12-07: both
# straight after "i want to kill myself" and after diazepam taken to sleep)
DISMISSES = re.compile(
    r"\W*(?:(?:it'?s|its|im|i'?m|i am|honestly|seriously|nah|no|ok|okay|anyway|just)\W+)*"
    r"(?:fine|ok|okay|alright|all right|good|grand|nothing|nvm|never ?mind|forget (?:it|that|i said anything)|"
    r"doesn'?t matter|dont matter|does not matter|ignore (?:me|that|it)|leave it|dw|don'?t worry(?: about (?:it|me))?|"
    r"(?:lol|haha)?\W*(?:jk|just joking|only joking|joking)|whatever|no|nah|sorry)"
    r"(?:\W+(?:forget it|nvm|never ?mind|ignore me|dw|lol|honestly|really|tbh|x))*\W*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Kept:
    """A question kept for follow-ups: what the answerer reads (`question`, the chain so far) and what the person
    asked first (`first`, quoted when a follow-up is read with it); or, after support, only what kind it was, with no
    words of the message: for someone else at risk to their life (`someone_at_risk`), for someone else being harmed
    or abused (`someone_harmed`), or for the writer themselves (`own_support`: "risk_to_life" or another level)."""

    question: str
    first: str
    someone_at_risk: bool = False
    someone_harmed: bool = False
    own_support: str | None = None
    helping: bool = False  # the question was asked about someone else, after support for helping them
    told_next: bool = False  # the next step for someone harmed was given once already (`harm_next`)
    own_level: str | None = None  # after support for the writer: its level ("distress"), for the routes again
    bereaved: bool = False  # … for someone bereaved by suicide (what they ask next is read with that)
    harm: str | None = None  # … and the first route for what it was about ("domestic-abuse", "bereavement"): no words
    # … and that the bot is still there was said just before (said again in other words), or, after abuse or harm, the
    # routes again unasked (the short line comes next)
    still_told: bool = False
    mild: bool = False  # … and only a model read it, below a risk to life and with no harm or loss named
    at_work: bool = False  # … and how someone at work treats the writer was read in it too (`Context.at_work`)
    answered: str | None = None  # … and the answer a question after it was last given (its section and opening words)
    rest_given: bool = False  # … and the rest of that section was given too
    concern: bool = False  # a question kept after support for a concern at work (`Context.concern_at_work`)

    @property
    def urgent(self) -> bool:
        """Whether the support for the writer was for a risk to life (what follows gets the urgent numbers again)."""
        return self.own_support == "risk_to_life"

    @property
    def someone(self) -> bool:
        """Whether the support before was for helping someone else."""
        return self.someone_at_risk or self.someone_harmed or self.helping


async def remembered(ctx: Context) -> Kept | None:
    """The person's last question, if one was kept and has not expired (or cannot be opened)."""
    stored = await ctx.repos.questions.current(ctx.person_id, ctx.now)
    if stored is None:
        return None
    try:
        opened = open_payload(ctx.services.sealer, stored)
    except SealError:
        return None
    if opened.get("someone_at_risk") is True:
        return Kept("", "", someone_at_risk=True)
    if opened.get("someone_harmed") is True:
        harm = opened.get("harm")
        return Kept("", "", someone_harmed=True, told_next=opened.get("told") is True,
                    harm=harm if isinstance(harm, str) else None)
    own = opened.get("own_support")
    if isinstance(own, str) and own:
        level, harm = opened.get("level"), opened.get("harm")
        return Kept("", "", own_support=own, own_level=level if isinstance(level, str) else None,
                    harm=harm if isinstance(harm, str) and harm else None, bereaved=opened.get("bereaved") is True,
                    still_told=opened.get("still") is True, mild=opened.get("mild") is True,
                    at_work=opened.get("at_work") is True,
                    answered=answered if isinstance(answered := opened.get("answered"), str) and answered else None,
                    rest_given=opened.get("rest") is True)
    question, first = opened.get("question"), opened.get("first")
    if not isinstance(question, str) or not question.strip():
        harm = opened.get("harm")
        return (Kept("", "", helping=True, harm=harm if isinstance(harm, str) and harm else None)
                if opened.get("someone") is True else None)  # fmt: skip
    first = first if isinstance(first, str) and first.strip() else question
    return Kept(question, first, helping=opened.get("someone") is True, concern=opened.get("concern") is True)


async def remember(
    ctx: Context, question: str, first: str | None = None, *, helping: bool = False, concern: bool = False
) -> None:
    """Keep `question` (a chain of follow-ups: `first` is where it started) for FOLLOW_UP_WINDOW; `helping`: asked
    about someone else after support for helping them (what the meaning model reads next is about them); `concern`:
    asked with support for a concern at work (who to go to next gets the routes again)."""
    kept: dict[str, str | bool] = {"question": question[:MAX_KEPT_CHARS], "first": (first or question)[:MAX_KEPT_CHARS]}
    if helping:
        kept["someone"] = True
    if concern:
        kept["concern"] = True
    await _keep(ctx, kept)


async def told_next_step(ctx: Context, harm: str | None) -> None:
    """Mark that the next step for someone harmed was given (a later question is answered as asked), for the rest of
    FOLLOW_UP_WINDOW from now."""
    await _keep(ctx, {"someone_harmed": True, "told": True, "harm": harm or ""})


async def told_still_here(ctx: Context, kept: Kept, *, told: bool = True) -> None:
    """Keep the kind of support for the writer (`kept`), marked with whether the line that says the bot is still there
    was said this turn, for FOLLOW_UP_WINDOW from now."""
    await _keep(ctx, _kept_kind(kept, still=told))


async def answered_after_support(ctx: Context, kept: Kept, given: str, *, rest: bool = False) -> None:
    """Keep the kind of support for the writer (`kept`), with the answer a question after it was `given` (the same
    answer next gives the rest of its section) and whether that `rest` was given, for FOLLOW_UP_WINDOW from now."""
    await _keep(ctx, _kept_kind(kept, still=kept.still_told) | {"answered": given, "rest": rest})


async def forget(ctx: Context) -> None:
    await ctx.repos.questions.clear(ctx.person_id)


async def after_support(ctx: Context) -> None:
    """What a turn that gave support leaves for the next, in place of any older question (no follow-up is read with
    it): after support for someone else at risk to their life, that they told of it (a short question next is about
    helping them: `Signposts.at_risk_next`); for someone else being harmed or abused, that (`Signposts.harm_next`);
    for the writer themselves, its level (what they say next is not declined or answered as an unrelated question:
    `Signposts.still_here`). Walked 2026-12-07: "i wrote it in the notes is that enough" after a child's disclosure had
    an answer about quiet staff, "but i think about it a lot" after a night on a car park roof the politics decline."""
    kind: dict[str, str | bool] | None
    signposts = ctx.services.signposts
    harmed = signposts is not None and signposts.is_harm(ctx.about_harm)  # not a loss (a colleague bereaved)
    if ctx.for_someone_else:
        kind = (
            {"someone_at_risk": True} if ctx.risk_to_life
            else {"someone_harmed": True, "harm": ctx.about_harm or ""} if harmed
            else None
        )  # fmt: skip
    else:
        own = "risk_to_life" if ctx.risk_to_life else "other"
        kind = _own_kind(own, ctx.support_level, ctx.about_harm, ctx.bereaved)
        # read by a model alone, below a risk to life, naming no harm or loss: what they say next is answered as any
        # message is (walk D, 2026-12-07: "bit of a silly one but i feel a bit left out on my ward" then had "I'm still
        # here" for "any tips" and "its not that deep lol just want to fit in")
        if ctx.read_by_a_model and not ctx.risk_to_life and not ctx.about_harm and not ctx.bereaved:
            kind["mild"] = True
        if ctx.at_work:
            kind["at_work"] = True
    if kind is None:  # helping someone in distress: that, until an answer to the leader's question is kept instead
        kind = {"someone": True, "harm": ctx.about_harm or ""}
    await _keep(ctx, kind)


def _kept_kind(kept: Kept, *, still: bool) -> dict[str, str | bool]:
    """The kind of support for the writer as `kept` holds it (`_own_kind`), all it marks kept again."""
    kind = _own_kind(kept.own_support or "other", kept.own_level, kept.harm, kept.bereaved, still=still)
    return kind | {"at_work": kept.at_work, "mild": kept.mild, "answered": kept.answered or "", "rest": kept.rest_given}


def _own_kind(own: str, level: str | None, harm: str | None, bereaved: bool, *, still: bool = False
              ) -> dict[str, str | bool]:  # fmt: skip
    """The kind of support given to the writer, as kept: no words of theirs (`Kept.own_support` and the rest)."""
    return {"own_support": own, "level": level or "", "harm": harm or "", "bereaved": bereaved, "still": still}


async def _keep(ctx: Context, kept: dict[str, str | bool]) -> None:
    """Seal `kept` (a question, or a kind of support) as the person's recent question for FOLLOW_UP_WINDOW from now."""
    sealed = seal_payload(ctx.services.sealer, kept)
    await ctx.repos.questions.keep(ctx.person_id, sealed, now=ctx.now, expires_at=ctx.now + FOLLOW_UP_WINDOW)
