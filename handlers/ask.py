"""Questions about NHS leadership: free text goes to the answerer; topics can be browsed.

The knowledge base (retrieval and composition) lives in `knowledge`; this
module only turns its `Answer` into a `Reply` with sources as links and, when
the answer is unsure, related topics as buttons.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from handlers.announce import SENDING_AN_ANNOUNCEMENT, how_to_announce
from handlers.context import Context
from handlers.follow_ups import (
    ABOUT_IT,
    ABOUT_THEM,
    AS_LIST,
    ASKS_FOR_WORDS,
    ASKS_SOURCE,
    DISMISSES,
    MAX_WORDS_ASKED_FOR,
    OPENING_WORDS,
    POINTS_BACK,
    answered_after_support,
    leans_back,
    names_nothing_of_its_own,
    next_step_for_them,
    only_restyles,
    read_with,
    reads_as_follow_up,
    remember,
    remembered,
    together,
    told_next_step,
    told_still_here,
)
from handlers.messages import Button, Link, Reply
from handlers.names import ActionId
from handlers.router import Router

if TYPE_CHECKING:
    from handlers.follow_ups import Kept
    from knowledge import Answer, KnowledgeBase
    from knowledge.questions import Side
    from knowledge.safeguarding import Assessment
    from knowledge.signposts import Level, Signposts

GROUP = "Questions"
routes = Router()


def knowledge_of(ctx: Context) -> KnowledgeBase:
    knowledge = ctx.services.knowledge
    if knowledge is None:
        raise RuntimeError("the knowledge base was not loaded")
    return knowledge


def asked_as(ctx: Context) -> Side | None:
    """Whose side a person's question is asked from when its words do not say: a manager's, the one handling it (a
    walk of 2026-12-07 found managers and an HR partner answered as the employee; persona dev10 +1, the other sets
    unchanged with the persona's role as the asker's)."""
    return "leader" if ctx.person.role == "manager" else None


def answer_reply(answer: Answer) -> Reply:
    """An answer as a reply: the text, its sources as links (each once), "More" when the section has more to
    say, and related topics as buttons."""
    links = tuple(dict.fromkeys(Link(source.title, source.url) for source in answer.sources))
    more = (Button("More", ActionId.ANSWER_MORE, {"section": answer.section}),) if answer.more else ()
    related = tuple(Button(topic.title, ActionId.TOPIC_SHOW, {"topic": topic.id}) for topic in answer.related[:3])
    return Reply(answer.answer, links=links, buttons=more + related, markdown=True)


@routes.command(
    r"(ask|question|q)[:,]?\s+(?P<question>.+)",
    name="ask",
    summary="Ask about the Management and Leadership Framework, the Code of Practice, competencies "
    "or compassionate leadership (or just type your question)",
    examples=("what is the code of practice for managers?", "ask what does the Messenger review say"),
    group=GROUP,
)
async def ask(ctx: Context, match: re.Match[str]) -> list[Reply]:
    return await answer_in_thread(ctx, match.group("question"))


@routes.command(
    r"(topics|list topics|what do you know( about)?\??|what topics( do you know)?\??)",
    name="topics",
    says=(
        "topics",
        "list|show|browse topics|subjects",
        "?what topics|subjects",
        "?what can i ask",
    ),
    summary="Browse the topics I know about",
    examples=("topics",),
    group=GROUP,
    keeps_pending=True,
)
async def topics(ctx: Context, _match: re.Match[str]) -> Reply:
    known = knowledge_of(ctx).topics()
    lines = ["These are the topics I can tell you about. Choose one, or ask me a question in your own words:"]
    lines.extend(f"• {topic.title}" for topic in known)
    buttons = tuple(Button(topic.title, ActionId.TOPIC_SHOW, {"topic": topic.id}) for topic in known)
    return Reply("\n".join(lines), buttons=buttons)


TOPIC_PARTS = 12  # the most parts a topic's page offers (the longest topic has 12 sections)


@routes.action(ActionId.TOPIC_SHOW, keeps_pending=True)
async def show_topic(ctx: Context) -> Reply:
    assert ctx.incoming.action is not None
    topic = knowledge_of(ctx).topic(str(ctx.incoming.action.value.get("topic", "")))
    if topic is None:
        return Reply("I no longer have that topic. Type “topics” to see what I know.")
    links = tuple(
        Link(f"{title}", url) for title, url in dict.fromkeys((s.source_title, s.source_url) for s in topic.sections)
    )
    # its parts to open, one tap each: the summary alone had ended "Ask me anything about it." (walks A and B,
    # 2026-12-07: "choosing a topic gives a page with a title and no content")
    parts = tuple(Button(s.title, ActionId.ANSWER_MORE, {"section": s.id}) for s in topic.sections[:TOPIC_PARTS])
    ask = "Choose a part to read" if parts else "Ask me anything about it"
    return Reply(
        f"{topic.title}\n\n{topic.summary}\n\n{ask}, or ask me anything about it in your own words.",
        links=links,
        buttons=parts,
    )


@routes.action(ActionId.ANSWER_MORE, keeps_pending=True, words=("more", "tell me more", "go on", "read more"))
async def show_more(ctx: Context) -> Reply:
    """The whole section an answer came from, with its source."""
    assert ctx.incoming.action is not None
    section = knowledge_of(ctx).section(str(ctx.incoming.action.value.get("section", "")))
    if section is None:
        return Reply("I no longer have that part. Ask me again in your own words.")
    note = f"\n\n{section.note}" if section.note else ""
    return Reply(f"{section.title}\n\n{section.text}{note}", links=(Link(section.source_title, section.source_url),))


@routes.fallback
async def answer_free_text(ctx: Context) -> list[Reply]:
    if BARE_NUMBER.fullmatch(ctx.incoming.text):
        return [Reply(NOTHING_TO_CHOOSE)]
    if SENDING_AN_ANNOUNCEMENT.search(ctx.incoming.text) and not ctx.supported:
        return [how_to_announce(ctx)]
    return await answer_in_thread(ctx, ctx.incoming.text)


# A follow-up the answerer is sure of alone is read with the question before only when that is surer by this much: "how
# do i stay calm when the wards that busy" (0.55 alone, 0.57 with a question about who sees reflections; walked
# 2026-12-07) is a question of its own
THREAD_MARGIN = 0.05
ANSWER_TOGETHER = 0.3  # a follow-up that leans back (`leans_back`) is read together from this retrieval confidence


async def answer_in_thread(ctx: Context, question: str) -> list[Reply]:
    """`answer_replies`, with a follow-up read with the question before it (`handlers.follow_ups`); a question
    answered in scope is kept for the next follow-up."""
    from knowledge.answers import SURE_CHANCE  # loaded with the knowledge base already

    signposts = ctx.services.signposts
    at_risk_next = signposts.at_risk_next if signposts is not None else ""
    from knowledge.analysis import THEY_DID, WHO_SEES, WHO_TALKED  # loaded with the knowledge base already

    # ("she whispered dont tell him" is what a patient said, not a request: walk G, 2026-12-07)
    if KEEP_IT_QUIET.search(question) and not THEY_DID.search(question):  # "can you not tell anyone"
        return [Reply(NOBODY_TOLD, private=True)]
    if WHO_TALKED.search(question):  # "has anyone on my team been talking to you … i want to know who"
        return [Reply(NOBODY_NAMED, private=True)]
    if WHO_SEES.search(question):  # "will my manager see what i type in here", "who else reads this"
        return [Reply(NOBODY_TOLD, private=True)]
    if CALL_FOR_ME.search(question):  # "can you call someone for me", a phone number
        return [Reply(CANNOT_CALL, private=True)]
    if DELETE_WHAT_I_SAID.search(question):  # "can i delete what ive said" (walk I: an answer about HR investigations)
        return [Reply(HOW_TO_ERASE, private=True)]
    if GREETS.search(question) and not ASKS.search(question) and len(question.split()) <= MAX_GREETING_WORDS:
        return [Reply(HELLO_BACK)]  # "hi im a band 5 on nights" had had pregnancy on nights (walk C, 2026-12-07)
    if ctx.supported:
        if ctx.risk_to_life and ctx.for_someone_else and at_risk_next and next_step_for_them(question):
            return [Reply(at_risk_next, private=True)]  # "how do i help her, she said she wants to end it"
        kept = None
    else:
        kept = await remembered(ctx)
    # after support for a risk to the writer's life, its marker stays for the window whatever is answered meanwhile:
    # "who do i even talk to", after "everyone would be better off without me" and a question about just culture, had
    # been read as a follow-up of that question (walk D, 2026-12-07)
    at_risk_before = kept is not None and kept.urgent
    # … and after any support for the writer, the marker stays while questions of their own are answered alone, so
    # what follows is still read with it ("should i go to hr or the guardian", answered alone after support for being
    # picked on, had left "can i move wards without it looking like im running away" to be read as distress anew and
    # given the hedged list again: walk K, 2026-12-08)
    # (unless what they tell now is an error of their own, a new matter answered and kept for what they ask about it:
    # "i gave the wrong dose of enoxaparin last night, pt fine", after support for being shouted at, had had "I'm still
    # here", then "will it go on my record" the line again: a walk over HTTP, 2026-12-08)
    from knowledge.questions import OWN_MISTAKE  # loaded with the knowledge base already

    own_error = OWN_MISTAKE.search(question) is not None
    supported_before = kept is not None and kept.own_support is not None and not own_error
    if kept is not None and kept.someone_at_risk:
        if at_risk_next and next_step_for_them(question):
            return [Reply(at_risk_next, private=True)]  # the marker stays for the next question
        kept = None  # a question of its own: answered alone
    if kept is not None and kept.own_support is not None and own_error and not kept.urgent:
        kept = None  # answered alone, and kept
    if kept is not None and (kept.someone_harmed or kept.own_support is not None or not kept.question):
        after = await _after_support(ctx, kept, question)
        if after is not None:
            return after
        kept = None  # a question of its own: answered alone
    helping_next = signposts.helping_next if signposts is not None else ""
    statement_about_them = _tells_of_them(question) and not THEY_DID.search(question)
    if kept is not None and kept.helping and helping_next and statement_about_them:
        # a statement about them after a leader's question answered with support for helping them ("i dont want to
        # get her in trouble tho", after "a nurse on my ward is being rude to the juniors", had had swarm huddles)
        return [Reply(helping_next, private=True)]
    if kept is not None and kept.question and ASKS_FOR_WORDS.search(question) and (
        len(question.split()) <= MAX_WORDS_ASKED_FOR
    ):
        # "give me an example of what to say to her", "how do i start that conversation": words to open it, as our
        # suggestion, read with the question before (which stays for the next follow-up)
        words = knowledge_of(ctx).answer(OPENING_WORDS, side=asked_as(ctx))
        if words.in_scope:
            await remember(ctx, kept.question, first=kept.first, helping=kept.helping)
            reply = answer_reply(words)
            return [replace(reply, text=f"{read_with(kept.first)}\n\n{reply.text}")]
    if kept is not None and kept.concern and signposts is not None and WHO_TO_TELL.search(question):
        # who to go to, soon after support for how someone at work treats them: the routes for raising it again ("shes
        # my line manager so who do i even go to" had had the rest of the section on being bullied: walk K, 2026-12-08)
        concern = signposts.level_named("concern")
        if concern is not None:
            return [_routes_again(signposts, concern)]
    if kept is not None and ASKS_SOURCE.search(question):  # "what's the source": the answer before's sources
        before = knowledge_of(ctx).answer(kept.question, side=asked_as(ctx))
        if before.in_scope and before.sources:
            return [sources_reply(before)]
    alone: Answer | None = None
    # what the person they asked about said or did goes on from the question ("she made me promise not to say anything",
    # after a question about a b5 who smells of alcohol, had had the People Promise: walk E, 2026-12-07)
    continues = kept is not None and bool(kept.question) and THEY_DID.search(question) is not None
    if kept is not None and (reads_as_follow_up(question) or continues):
        alone = knowledge_of(ctx).answer(question, side=asked_as(ctx))
        sure_alone = alone.in_scope and alone.confidence >= SURE_CHANCE
        asked = together(kept.question, question)
        threaded = knowledge_of(ctx).answer(asked, side=asked_as(ctx))
        # read together unless it is a question of its own the answerer is surer of alone ("and what is WRES" after a
        # question about a drug error; "does it apply to doctors" after one about the code of practice is read with it);
        # a bare question that names nothing of its own ("what are the domains" after a question about the framework,
        # which had had the board framework's domains: a managers' walk, 2026-12-07) is read together when that is sure
        bare = (names_nothing_of_its_own(question) or continues) and threaded.confidence >= SURE_CHANCE
        # … and so is one that opens as a follow-up and points back at who or what was asked about, with no name of its
        # own ("what about the ones who keep saying theyre fine", after a question about a crew after a child's death,
        # had had the guardian of safe working's fines: walk C, 2026-12-07), when read together it is answered at all
        # surely
        bare = bare or (leans_back(question) and threaded.retrieval_confidence >= ANSWER_TOGETHER)
        # … and so is one about "it" that, read with the question before, stays on that question's section ("will it
        # go on my record", after a wrong dose given, had had the board's fit and proper person records: the
        # eleventh session's walk)
        given: Answer | None = None  # the answer to the question before, asked for once
        if not bare and ABOUT_IT.match(question) and threaded.in_scope and threaded.section is not None:
            given = knowledge_of(ctx).answer(kept.question, side=asked_as(ctx))
            bare = threaded.section == given.section
        if threaded.in_scope and (bare or not sure_alone or threaded.confidence > alone.confidence + THREAD_MARGIN):
            await remember(ctx, kept.question if only_restyles(question) else asked, first=kept.first,
                           helping=kept.helping, concern=kept.concern)
            if only_restyles(question) and AS_LIST.search(question):
                threaded = replace(threaded, answer=as_bullets(threaded.answer))
            elif not only_restyles(question) and not continues and ASKS.search(question):
                # (not what the person asked about said or did next: that is read with the answer as it stands)
                threaded = _not_the_same_again(ctx, kept.question, threaded, given)
            reply = answer_reply(threaded)
            return [replace(reply, text=f"{read_with(kept.first)}\n\n{reply.text}")]
    replies, answer = _answered(ctx, question, alone)
    # kept for a follow-up: an answer given, unless after support for a risk to life or for abuse or harm (a leader
    # asking about a struggling colleague is answered, and "and for nights?" next goes on from it; a third walk,
    # 2026-12-07; so is someone asking about rudeness aimed at them or their team: "what do I say to him" next had had
    # "I'm still here", a managers' walk the same day)
    helping = ctx.for_someone_else and not ctx.risk_to_life and ctx.about_harm is None
    # after support for one's own distress the marker stays ("nvm" next is not declined): only rudeness or bullying
    # aimed at oneself (a concern) keeps the question answered
    threads = not ctx.supported or helping or ctx.concern_at_work
    if answer is not None and answer.in_scope and threads and not at_risk_before and not supported_before:
        await remember(ctx, question, helping=helping, concern=ctx.concern_at_work)
    return replies


ANSWER_KEY_CHARS = 60  # how much of an answer tells it from another of the same section


async def _read_with_what_happened(ctx: Context, kept: Kept, threaded: Answer) -> list[Reply] | None:
    """A question after support for the writer, read with what it was about (`threaded`): its answer; the rest of its
    section when the question before was given the very same answer; None the third time (the line that says the bot
    is still there follows) or when it is not in scope."""
    section = threaded.sources[0].section if threaded.in_scope and threaded.sources else None
    given = f"{section}:{threaded.answer[:ANSWER_KEY_CHARS]}"  # which answer was given: our words, not theirs
    again = given == kept.answered
    if section is None or (again and kept.rest_given):
        return None
    await answered_after_support(ctx, kept, given, rest=again)
    return [answer_reply(_the_rest(threaded) if again else threaded)]


def _routes_again(signposts: Signposts, level: Level, harm: str | None = None) -> Reply:
    """The people who can help at `level` (and first the route for `harm`), asked for again: "These people can help"."""
    from handlers.safeguarding import support_reply  # (it reads this module's ASKS)
    from knowledge.safeguarding import Assessment  # loaded with the signposts already

    found = Assessment(level, levels=(level,), first_routes=(harm,) if harm else ())
    return support_reply(signposts, found, asks=True, opening=WHO_CAN_HELP)


def _tells_of_them(question: str) -> bool:
    """A statement, asking nothing, still about the person helped ("i dont want to get her in trouble tho")."""
    return not ASKS.search(question) and ABOUT_THEM.search(question) is not None


def _not_the_same_again(ctx: Context, before: str, threaded: Answer, given: Answer | None = None) -> Answer:
    """A follow-up read with the question before that would get the very answer given before gets the rest of its
    section instead, when there is more ("what if she says its stress from the ward" after a question about a
    sickness absence meeting, "what do i actually say when i bring up the monday pattern": walks A and B, 2026-12-07,
    had had the answer before word for word). `given`: the answer to `before`, when it was asked for already."""
    given = given if given is not None else knowledge_of(ctx).answer(before, side=asked_as(ctx))
    return threaded if given.answer != threaded.answer else _the_rest(threaded)


def _the_rest(answer: Answer) -> Answer:
    """The rest of an answer's section in place of the answer, when there is more."""
    from knowledge.answers import MAX_ANSWER_CHARS, shorten  # loaded with the knowledge base already

    if not answer.more:
        return answer
    return replace(answer, answer=f"More on that: {shorten(answer.more, MAX_ANSWER_CHARS)}", more=None)


async def _after_support(ctx: Context, kept: Kept, question: str) -> list[Reply] | None:
    """The reply soon after support (`handlers.follow_ups.after_support`), when it is not an answer read alone: after
    someone else's abuse or harm, what to do next, then questions read with what it was about; after support for the
    writer, the people who can help again, a bereaved leader's question read with the loss, or that the bot is still
    there; after support for helping someone else, a line inviting the question, or the question read with them.
    None: answer the question alone."""
    signposts = ctx.services.signposts
    if kept.someone_harmed:
        harm_next = signposts.harm_next if signposts is not None else ""
        if harm_next and WHO_TO_TELL.search(question):  # "who do i call": who again, whenever asked (walk G)
            return [Reply(harm_next, private=True)]
        if harm_next and not kept.told_next and next_step_for_them(question):
            await told_next_step(ctx, kept.harm)  # once: "what should i do as her manager" next is answered
            return [Reply(harm_next, private=True)]  # "i wrote it in the notes is that enough"
        # the marker stays (what the meaning model reads next is about them); the question is read with what it was
        # about, in words of ours ("what should i do as her manager" had had the new managers' section)
        about = signposts.first_openings.get(kept.harm or "") if signposts is not None else None
        if about is not None and about.context:
            threaded = knowledge_of(ctx).answer(together(about.context, question), side=asked_as(ctx))
            if threaded.in_scope:
                return [answer_reply(threaded)]
        elif harm_next and next_step_for_them(question):  # nothing to read it with: the next step again, not "I
            return [Reply(harm_next, private=True)]  # can't tell what 'her' refers to"
        return _answered(ctx, question)[0]
    if kept.own_support is not None:
        if kept.mild and not WHO_TO_TELL.search(question) and not DISMISSES.fullmatch(question):
            return None  # only a model read it, and mildly: answered as any message is (`Kept.mild`)
        level = signposts.level_named(kept.own_level) if signposts is not None else None
        about = signposts.first_openings.get(kept.harm or "") if signposts is not None else None
        # after a loss, a question is read with it ("can i get more time off" after "my dad passed away on tuesday"
        # had had "I'm still here", "what do i say to my manager" the new managers' section: walked 2026-12-07)
        if about is not None and about.own_context and ASKS.search(question) and not WHO_TO_TELL.search(question):
            # (after an error of one's own, "do i have to do the datix myself", "what do i say at the meeting with my
            # matron" and "am i going to get struck off" had had the same paragraph three times: walk K, 2026-12-08)
            threaded = knowledge_of(ctx).answer(together(about.own_context, question), side=asked_as(ctx))
            replies = await _read_with_what_happened(ctx, kept, threaded)
            if replies is not None:
                return replies
        # "am i overreacting", "is that just part of the job", after support for how they are treated (a concern; not
        # abuse at home: "is that normal in a relationship" had had "isn't part of the job", walk G, 2026-12-07)
        concern = kept.own_level == "concern" and kept.harm is None
        if signposts is not None and signposts.concern_next and concern and OVERREACTING.search(question):
            return [Reply(signposts.concern_next, private=True)]
        # after abuse or assault of the writer, what asks nothing the content answers well gets those routes again
        # too ("i dont want to go to police": the Rape Crisis line says no police are needed; walk D, 2026-12-07);
        # after a loss, that the bot is still there
        # … but not twice running unasked: "its fine ill ask hr", after the routes again for "im scared to walk out
        # after nights" (of an ex), had had the whole list a third time (walk E, 2026-12-07); the short line instead
        who = WHO_TO_TELL.search(question) is not None
        in_scope = not who and _asks_in_scope(ctx, question)  # (searched once: the routes again, or the line below)
        # a question after support for distress that told of how someone at work treats them, read with that in words
        # of ours ("how do i raise it with her", "can i move to another ward", after "i cant cope anymore … my manager
        # shouts at me", had had "I'm still here")
        # … as is one that points back ("can i move wards without it looking like im running away" had had team away
        # days: walk K, 2026-12-08)
        back = POINTS_BACK.search(question) is not None
        if kept.at_work and not kept.urgent and (not in_scope or back) and not who and ASKS.search(question):
            threaded = knowledge_of(ctx).answer(together(TREATED_AT_WORK, question), side=asked_as(ctx))
            replies = await _read_with_what_happened(ctx, kept, threaded)
            if replies is not None:
                return replies
        harmed = signposts is not None and signposts.is_harm(kept.harm) and not in_scope and not kept.still_told
        if signposts is not None and level is not None and (who or harmed):
            # "who do i tell", "what do i do": the people who can help again, not "type support" (walk C, 2026-12-07)
            await told_still_here(ctx, kept, told=not who)  # (the routes again unasked: the short line next time)
            if ASKS_HOW_TO_REPORT.search(question) and kept.harm is None and not kept.urgent:
                # how to report it asks for the routes for raising it ("how do i report it properly", after racist
                # bullying read as distress too, had had the GP and Samaritans, no Guardian: walk H, 2026-12-08)
                level = signposts.level_named("concern") or level
            return [_routes_again(signposts, level, kept.harm)]
        if kept.bereaved and ASKS.search(question):
            # "how do i tell the team" after a colleague's suicide had had tips for a team meeting (walk C, 2026-12-07)
            threaded = knowledge_of(ctx).answer(together(AFTER_A_SUICIDE, question), side=asked_as(ctx))
            if threaded.in_scope:
                return [answer_reply(threaded)]
        still = None if in_scope else _still_here(ctx, urgent=kept.urgent, again=kept.still_told)
        # the two wordings take turns, so the same line never comes twice in a row
        await told_still_here(ctx, kept, told=still is not None and not kept.still_told)
        if still is not None:
            return [still]
        return None  # a question of its own
    # only that the support before was for someone else
    helping_next = signposts.helping_next if signposts is not None else ""
    if helping_next and _tells_of_them(question):
        return [Reply(helping_next, private=True)]  # "i dont want to get her in trouble": no answer to guess
    # a question: read with who it is about, in words of ours ("how do i talk to her about it" had had an answer
    # about traumatic shifts), or with what it was about (a colleague bereaved)
    about = signposts.first_openings.get(kept.harm or "") if signposts is not None else None
    context = about.context if about is not None and about.context else HELPING
    threaded = knowledge_of(ctx).answer(together(context, question), side=asked_as(ctx))
    return [answer_reply(threaded)] if threaded.in_scope else None


def sources_reply(answer: Answer) -> Reply:
    """Where an answer came from: its sources, each with its page."""
    links = tuple(dict.fromkeys(Link(source.title, source.url) for source in answer.sources))
    return Reply("That answer came from these sources:", links=links)


def as_bullets(text: str) -> str:
    """An answer's text as a list: each sentence of a paragraph its own bullet (lines that are bullets already, and
    a line ending in a colon that introduces them, stay as they are)."""
    from knowledge.analysis import sentences  # loaded with the knowledge base already

    out: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("•", "-", "*")) or stripped.endswith(":"):
            out.append(line)
        else:
            out.extend(f"• {sentence}" for sentence in sentences(stripped))
    return "\n".join(out)


# Asks that what was said stays private: "can you not tell anyone", "dont tell my manager", "is this confidential"
# (walk C, 2026-12-07: after a suicide plan and after a rape it had had the Edward Jenner programme)
KEEP_IT_QUIET = re.compile(
    r"\b(?:(?:can|could|will|would)\s+(?:you|u)\s+(?:please\s+|pls\s+)?(?:not|never)\s+tell"
    r"|(?:pls|please)?\s*(?:don'?t|do not|dont)\s+tell\s+(?:anyone|anybody|my|the|her|him|them|uni|hr)"
    r"|(?:will|would|do|did)\s+(?:you|u)\s+(?:tell|report|pass (?:this|it) on to)\s+(?:anyone|anybody|my|the|hr)"
    r"|keep\s+(?:this|it)\s+(?:between us|to yourself|quiet|secret|confidential)"
    r"|is\s+(?:this|it|what i say|this chat)\s+(?:private|confidential|secret|anonymous))",
    re.IGNORECASE,
)
NOBODY_TOLD = (
    "I haven't told anyone, and I don't pass on what you write here to your manager, your organisation or anyone else; "
    "only you can see your reflections (type “privacy” for what is kept and for how long). If anyone is in danger "
    "now, please call 999. Type “support” for people you can talk to in confidence."
)
# Asked to ring someone, or sent a phone number (walk G, 2026-12-07: after "everyone would be better off without me",
# "can you call someone for me" and "07700 900123" had had "I'm still here" twice, never that the bot cannot call)
CALL_FOR_ME = re.compile(
    r"\b(?:can|could|will|would|pls|please)\s+(?:you|u)\s+(?:please\s+|pls\s+)?(?:call|ring|phone|text|contact|message|"
    r"get hold of|email)\s+(?:someone|somebody|anyone|them|her|him|my|999|111|an ambulance|the police|for me|"
    r"for help)\b"
    r"|^\W*(?:\+44|0)\s?\d[\d\s-]{8,}\d\W*$",
    re.IGNORECASE,
)
CANNOT_CALL = (
    "I can't make calls, send messages or contact anyone for you: I'm a chat, and I don't pass on what you write. If "
    "you or anyone is in danger now, please call 999 yourself, or ask someone near you to. Samaritans are free on 116 "
    "123, day or night, and NHS 111 (the mental health option) is there at any hour. Please don't send me numbers."
)
DELETE_WHAT_I_SAID = re.compile(
    r"\b(?:delete|erase|wipe|remove|clear|unsend)\s+(?:what i(?:'?ve| have)? (?:said|typed|written|wrote|told you)|"
    r"(?:my|our|this|these|the)\s+(?:messages?|chats?|conversation|history|data)|everything i (?:said|typed|wrote))\b",
    re.IGNORECASE,
)
HOW_TO_ERASE = (
    "Type “forget me” and I erase everything LeadWell keeps about you, reflections included; “privacy” shows what is "
    "kept and for how long. I don't pass on what you write to anyone. What you typed in Slack or Teams also stays in "
    "that platform's own history, under your organisation's rules, and LeadWell cannot delete it there."
)
# Asked who has talked to the bot (knowledge.analysis.WHO_TALKED): walk E, 2026-12-07, a manager "i want to know who"
NOBODY_NAMED = (
    "I never say who has talked to me or what anyone wrote: not to managers, not to your organisation, not to anyone, "
    "and I can't tell you if someone does. Each person's conversations and reflections are theirs alone (type "
    "“privacy” for what is kept and for how long). If you're worried about someone, talk to them, and ask me, for "
    "example “how do I support a stressed team?” or “what do I do if a colleague seems at risk?”"
)
# A greeting that introduces the writer and asks nothing ("hi im a band 5 on nights", "hello, new ward manager here")
GREETS = re.compile(r"^\W*(?:hi|hiya|hello|hey|heya|morning|good morning|evening|afternoon)\b", re.IGNORECASE)
MAX_GREETING_WORDS = 12
HELLO_BACK = (
    "Hello! What can I help with? Ask me anything about leading and working in a team, in your own words, or type "
    "“help” to see what I can do."
)
# After support for the writer: asking who to tell or what to do gets the people who can help again
WHO_TO_TELL = re.compile(
    r"^\W*(?:(?:so|ok|but|and)\W+)?(?:(?:who|what)\s+(?:do|should|can|could)\s+i\s+(?:even\s+|actually\s+|really\s+)?"
    r"(?:tell|talk to|speak to|go to|call|ring|contact|do)\b(?:\s+(?:now|first|then|about it|about this))?\W*$"
    # … or said last ("i have a shift in 2 hrs what do i do", after abuse at home: walk G, 2026-12-07)
    r"|\b(?:so |ok |but )?(?:what|wat) (?:do|should|can) i (?:even )?do(?: now| first)?\W*$"
    # "who can i talk to thats not hr cos hes mates with them" (walk E, 2026-12-07: fair rotas)
    r"|who\s+(?:else\s+)?(?:do|should|can|could)\s+i\s+(?:even\s+|actually\s+)?"
    r"(?:tell|talk to|speak to|go to|call|ring|contact|report (?:it|this|him|her|them)(?: to)?)\b)"
    # … after saying who it is ("shes my line manager so who do i even go to": walk K, 2026-12-08)
    r"|[,.;]?\s(?:so|but|and)\s+who\s+(?:else\s+)?(?:do|should|can|could)\s+i\s+(?:even\s+|actually\s+)?"
    r"(?:tell|talk to|speak to|go to)\W*$"
    # "is there anyone i can talk to at work about it" (walk D, 2026-12-07: a bereaved porter had had leave again)
    r"|\b(?:is there )?any ?(?:one|body) (?:i can|to) (?:talk|speak) to\b"
    # "how do i report it properly", after support for racist bullying (walk H, 2026-12-08: it had had "I'm still here")
    r"|^\W*(?:(?:so|ok|okay|but|and|right)\W+)?how (?:do|should|can|would|could) i (?:actually |even )?(?:report|raise|"
    r"escalate) (?:it|this|that|him|her|them)(?: properly| formally| officially| then)?\W*$",
    re.IGNORECASE,
)
WHO_CAN_HELP = "These people can help, in confidence:"
ASKS_HOW_TO_REPORT = re.compile(r"\b(?:report|raise|escalate|complain)\b", re.IGNORECASE)
OVERREACTING = re.compile(
    r"\b(?:am i|im|i'?m|i am) (?:just )?(?:over ?reacting|being (?:silly|dramatic|soft|too sensitive|oversensitive|"
    r"precious|petty))\b|\bis (?:that|this|it) (?:just )?(?:part of the job|normal|ok|okay|acceptable|allowed)\b"
    r"|\bshould i (?:just )?(?:let it go|ignore it|put up with it|laugh it off|say nothing)\b",
    re.IGNORECASE,
)
WHAT_NOW = re.compile(r"\b(?:is (?:that|this|it) normal|what now|what do i do now|what next)\b", re.IGNORECASE)

# what a question after support for someone bereaved by suicide is read with (the bereaved line's own suggestion)
AFTER_A_SUICIDE = "how do i support my team after a colleague's suicide"
# … and after support for distress that told of how someone at work treats the writer (`Kept.at_work`)
TREATED_AT_WORK = "i am being bullied or shouted at at work"
# what a question after support for helping someone else is read with
HELPING = "a colleague who is struggling or unwell"


def _still_here(ctx: Context, *, urgent: bool, again: bool = False) -> Reply | None:
    """Soon after support for the writer themselves, what they say next when it asks no question of its own in scope
    (`_asks_in_scope`; such a question is answered, as the writer moves on: "how do i book annual leave"): that the bot
    is still there (`Signposts.still_here`, after a risk to life `still_here_urgent`), not a decline or an answer to
    words that ask nothing ("like 20" had had the Freedom to Speak Up review's 20 principles; "is that normal", after
    self-harm, an answer about making compassion normal in a team: walk C, 2026-12-07). None when the file has none."""
    signposts = ctx.services.signposts
    line = "" if signposts is None else signposts.still_there(urgent=urgent, again=again)
    return Reply(line, private=True) if line else None


def _asks_in_scope(ctx: Context, question: str) -> bool:
    """Soon after support for the writer, whether `question` is one of its own to answer: it asks, names something,
    and the content matches it well (MATCH_AFTER_SUPPORT). "what do i say if someone sees my arm", after self-harm, had
    had Kark's recommendations, "what if people at work find out", after a rape, DP:IC (walk E, 2026-12-07)."""
    from knowledge.answers import MATCH_AFTER_SUPPORT  # loaded with the knowledge base already

    if not ASKS.search(question) or names_nothing_of_its_own(question) or WHAT_NOW.search(question):
        return False
    knowledge = knowledge_of(ctx)
    hits = knowledge.search(question, k=1)
    if not hits or hits[0].score < MATCH_AFTER_SUPPORT:
        return False
    return knowledge.answer(question, side=asked_as(ctx)).in_scope


# A number that picks no choice waiting (out of range, the buttons it answered gone, or none): not a question
# ("1" had been answered with the one-to-ones section, "3" with the programme's three workstreams; walked 2026-12-07)
BARE_NUMBER = re.compile(r"\s*#?\d{1,2}\s*[.):]?\s*")
NOTHING_TO_CHOOSE = (
    "That number doesn't match a choice I can take just now: answer with one of the numbers I last showed, or ask me a "
    "question in your own words (type “help” to see what I can do)."
)


@cache
def _clauses() -> re.Pattern[str]:
    """Clauses of a message: "I want to end my life, what is the civility and respect toolkit" holds a question
    apart from the cry for help. The answerer's clause breaks (`knowledge.questions.CLAUSE_BREAK`), and also "!",
    "but" and an "and" before a question word."""
    from knowledge.questions import CLAUSE_BREAK  # loaded with the knowledge base already

    more = r"|!+\s*|\s+but\s+|\s+and\s+(?=(?:what|how|who|when|where|why|is|are|can|do|does)\b)"
    return re.compile(CLAUSE_BREAK.pattern + more)


# A message that asks something: a question mark, or a clause that opens with a question word or a question's
# verb ("i'm being bullied by my manager, what can i do", "… so should i report it"); not "… and can't sleep"
_CLAUSE_OPENS = r"(?:^|[,.;:!–—-]\s*|\b(?:so|and|but|or)\s+)"
_IN_WORDS = (
    rf"{_CLAUSE_OPENS}(?:what|whats|wat|how|hows|who|when|where|why|which|any\s+(?:tips|advice|ideas))\b"
    # "need practical ideas not a poster about wellbeing" (walk D, 2026-12-07: it had had "I'm still here")
    r"|\b(?:need|want|looking for|after) (?:some |any |practical |real |actual )*(?:ideas|tips|advice|suggestions)\b"
    rf"|{_CLAUSE_OPENS}(?:should|can|could|would|do|does|did|is|are|will)\s+(?:i|we|you|u|it|that|this|they|he|she|"
    r"my|our|there)\b"
    # asked mid-sentence with no comma, as people type ("my colleague cries every shift what shud i do")
    r"|\b(?:what|how)\s+(?:should|shud|shld|can|could|do|would)\s+(?:i|we|u)\b"
)
ASKS = re.compile(r"\?|" + _IN_WORDS, re.IGNORECASE)
# The same without the question mark alone: a clause that opens with a question word or a question's verb
ASKS_IN_WORDS = re.compile(_IN_WORDS, re.IGNORECASE)


def asks_rather_than_commands(text: str) -> bool:
    """A message that opens like a command but asks something in words of its own, and is too long to be a mistyped
    command ("checkins with my team keep getting cancelled, how do i protect them"): the command that could not read it
    hands it to the answerer."""
    return len(text.split()) >= 6 and bool(ASKS_IN_WORDS.search(text))


def answer_replies(ctx: Context, question: str) -> list[Reply]:
    """The answer; or nothing when safeguarding support went first and the answer would only decline or
    guess (someone who has just been given support should not then read "I can't help with that here", or
    the Nolan principles in reply to "i want to end my life"). After support for a risk to life, the words of
    the cry for help never reach the answerer ("i want to hang myself" had matched a section on handling errors
    at 0.53): only the clauses the check finds nothing in are answered, if they ask something, and none when no
    clause says it alone (the risk was read in the whole message). After other support, only a message that asks
    something is answered."""
    return _answered(ctx, question)[0]


def _answered(ctx: Context, question: str, found: Answer | None = None) -> tuple[list[Reply], Answer | None]:
    """`answer_replies`, with the answer it gave (None when it gave none); `found`, the answer to `question` when it
    was asked already (a follow-up weighed alone and read together, `answer_in_thread`)."""
    from knowledge.answers import ANSWER_AFTER_SUPPORT, ANSWER_FOR_SOMEONE_ELSE, SURE_CHANCE  # loaded already
    from knowledge.scope import TOLD, tells_something

    if ctx.risk_to_life and ctx.read_by_meaning and ASKS.search(question):
        # read by its meaning alone, the message may be an ordinary question ("is that bullying or am i being soft",
        # "who do i tell?? i dont want it getting back to her": walked 2026-12-07, support and no answer): the answer
        # follows the support when the answerer is sure of it
        answer = knowledge_of(ctx).answer(question, side=asked_as(ctx))
        if answer.in_scope and answer.confidence >= SURE_CHANCE:
            return [answer_reply(answer)], answer
        return [], None
    if ctx.risk_to_life:
        read = _read_clauses(ctx, question)
        clean = _clauses_without_a_cry_for_help(read)
        question = clean if clean and ASKS.search(clean) else _asks_for_advice(read)
        if not question:
            return [], None  # what is left of the message asks nothing ("… you know. asking for reasons")
    elif ctx.supported and not ctx.for_someone_else:
        # the cry itself is no question ("whats the point tbh" had had an answer about speaking up: walk E, 2026-12-07);
        # a question asked beside it is ("so burnt out, how do i ask for a wellbeing conversation")
        read = _read_clauses(ctx, question)
        rest = _clauses_without_a_cry_for_help(read, whole=question)
        # a question about how one is treated or a concern at work is answered after the support, whichever words of it
        # the check read ("how do i raise a concern about unsafe staffing" had had the speaking-up list alone; the
        # issue asks for the support and the answer as one reply, support first)
        asks_at_work = ctx.concern_at_work and ASKS.search(question) is not None
        if (not rest or not ASKS.search(rest)) and not asks_at_work:
            question = _asks_for_advice(read)
            if not question:
                return [], None  # "nobody cares about me", "i keep crying in the toilets at work": the support
    elif ctx.supported and not ASKS.search(question) and not _leader_tells_of_a_concern(ctx, question):
        return [], None  # a statement about someone else, after the support for helping them
    answer = found if found is not None else knowledge_of(ctx).answer(question, side=asked_as(ctx))
    # a leader asking how to help someone else is owed the answer as much as the support: "one of my band 5s has been
    # really flat since her mum died … how do i support her" had had the support alone (walked 2026-12-07)
    # … and so is someone whose question only a model read as distress: "im a new hca … i feel a bit left out at break,
    # any tips" had had the support alone (walk A, 2026-12-07)
    lower = ctx.for_someone_else or ctx.read_by_a_model
    floor = ANSWER_FOR_SOMEONE_ELSE if lower and not ctx.risk_to_life else ANSWER_AFTER_SUPPORT
    if ctx.supported and (not answer.in_scope or answer.retrieval_confidence < floor):
        return [], None  # after support, only an answer to a real question: never a guess at a cry for help
    reply = answer_reply(answer)
    if answer.in_scope and not ctx.supported and tells_something(question):
        # a message that tells of the writer's day is thanked before what may help: "rough shift … snapped at the
        # student at handover. not proud of it" had been answered "Escalate now …" with no word to the person (a walk,
        # 2026-12-07)
        reply = replace(reply, text=f"{TOLD} This may help:\n\n{reply.text}")
    return [reply], answer


def _leader_tells_of_a_concern(ctx: Context, question: str) -> bool:
    """A leader telling of a concern in their team, with no harm named ("a nurse on my ward is being rude to the
    juniors", one of issue 16's examples, had had the speaking-up list for helping a colleague and no answer: the
    leader is the one to act, so the answer follows the list; a final walk, 2026-12-07)."""
    from knowledge.questions import side_asked_from  # loaded with the knowledge base already

    return ctx.concern_at_work and (asked_as(ctx) == "leader" or side_asked_from(question) == "leader")


def _read_clauses(ctx: Context, question: str) -> list[tuple[str, Assessment | None]] | None:
    """Each clause of `question` with what the safeguarding check finds in it alone, read once; None with no check."""
    signposts = ctx.services.signposts
    if signposts is None:
        return None
    clauses = [c.strip() for c in _clauses().split(question) if c and c.strip()]
    return [(clause, signposts.detector.assess(clause)) for clause in clauses]


def _asks_for_advice(read: list[tuple[str, Assessment | None]] | None) -> str:
    """The clauses (`_read_clauses`) that ask for advice in so many words (`knowledge.questions.ADVICE`: "how do i tell
    my manager im not coping") and are no risk to life themselves, joined; "" when none. After support, they are
    answered though they tell of distress too (walk K, 2026-12-08: "… how do i tell my manager im not coping without
    looking weak" had had the support and no answer)."""
    from knowledge.questions import ADVICE  # loaded with the knowledge base already

    asking = [clause for clause, found in read or () if ADVICE.search(clause)
              and (found is None or found.level != "risk_to_life")]  # fmt: skip
    return ", ".join(asking)


def _clauses_without_a_cry_for_help(read: list[tuple[str, Assessment | None]] | None, whole: str = "") -> str:
    """The clauses (`_read_clauses`) in which the safeguarding check finds nothing, joined; "" when none; `whole` when
    it finds nothing in any clause alone (the level was read in the message as a whole: its cues, or a model)."""
    if read is None:
        return ""
    clean = [clause for clause, found in read if found is None]
    if len(clean) == len(read):
        return whole  # no clause says it alone: for a risk to life, the risk was read in the whole message ("does the
        # nhs pension pay out to next of kin if its... you know. asking for reasons"), and its question is no question
    return ", ".join(clean)
