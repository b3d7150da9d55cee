"""Safeguarding first: every text a person sends is checked before anything else reads it.

`read_turn` and `support_for` run at the top of every turn (`handlers.conversation`), on the
typed text and on the text fields of a submitted form. When the check
(`knowledge.safeguarding`) finds something, the person gets, privately and
before anything else, the support that fits the level: risk to life puts 999 and
Samaritans first; distress puts occupational health first; bullying, harassment,
discrimination and safety concerns put the Freedom to Speak Up Guardian first; a
message about a colleague gets support for helping them. Then the message is
handled as usual (a reflection is still saved, a question still answered): never
a decline (the answerer leaves out its "I can't help with that here" after
support, `ctx.supported`). A topic asked about as a question ("suicide prevention training") gets
one gentle line after the answer instead.

Nothing about a match is logged or stored: the only trace is a count per level
in memory (`Services.support_given`). The `support` command lists every route at
any time, with no check involved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from handlers.ask import ASKS
from handlers.context import Context
from handlers.messages import Incoming, Reply
from handlers.router import Router

if TYPE_CHECKING:  # the detector (and its word list) is built only when the content is first used
    from knowledge.safeguarding import Assessment
    from knowledge.signposts import Route, Signposts

routes = Router()

SAFEGUARDING_TEAM = "safeguarding-team"  # the first route for harm to a child, a patient or another adult at risk
CONCERN = "concern"  # the level for how someone at work treats the writer (rudeness, bullying, a concern to raise)


@dataclass(frozen=True)
class Support:
    """What the check adds to a turn: replies to send before the usual ones, and after them."""

    before: tuple[Reply, ...] = ()
    after: tuple[Reply, ...] = ()

    def around(self, replies: list[Reply], *, together: bool = False) -> list[Reply]:
        """The turn's replies with the support around them. With `together` (a private conversation, where
        both go to the same place) support for a question comes in one message with its sourced answer,
        support first."""
        if together and len(self.before) == 1 and replies and replies[0].links and replies[0].form is None:
            support, answer = self.before[0], replies[0]
            merged = replace(answer, text=f"{support.text}\n\n{answer.text}", private=True)
            return [merged, *replies[1:], *self.after]
        return [*self.before, *replies, *self.after]


NOTHING = Support()


def turn_texts(ctx: Context) -> list[str]:
    """What the person wrote this turn (`texts_of`, leaving out the ids our own buttons carry)."""
    return texts_of(ctx.incoming, ours=lambda key, value: _names_our_own(ctx, key, value))


def read_turn(ctx: Context, texts: list[str]) -> Assessment | None:
    """What the check finds in `texts` (the turn's: `turn_texts`), or None."""
    signposts = ctx.services.signposts
    return None if signposts is None else assess(signposts, texts)


def support_for(ctx: Context, found: Assessment | None, texts: list[str]) -> Support:
    """The support to add to the turn for what `read_turn` found in `texts`. Sets `ctx.supported` when support goes
    first, so no handler follows it with a decline, and what kind of support it was."""
    signposts = ctx.services.signposts
    if signposts is None or found is None:
        return NOTHING
    kind = "unsure" if found.unsure else "gentle" if found.gentle else found.level
    ctx.services.support_given[kind] += 1  # a count, never who or what
    if found.unsure and signposts.unsure:
        ctx.supported = True  # the line, and no decline or guess after it
        ctx.risk_to_life = True  # what follows gets the urgent numbers again ("i mean it": walk C, 2026-12-07)
        return Support(before=(Reply(signposts.unsure, private=True),))
    if found.gentle or found.unsure:
        return Support(after=(Reply(signposts.gentle, private=True),))
    ctx.supported = True
    ctx.risk_to_life = found.level == next(iter(signposts.levels))  # the content lists the most urgent first
    # harm to a child or a patient is always about someone else, whoever the words seem to be about (walk D,
    # 2026-12-07: "she's my friend tho", after a patient was slapped, had had the script for a colleague at risk)
    ctx.for_someone_else = found.third_person or SAFEGUARDING_TEAM in found.first_routes
    ctx.read_by_meaning = found.by_meaning
    ctx.read_by_a_model = found.by_meaning or found.by_model
    ctx.about_harm = found.first_routes[0] if found.first_routes else None  # abuse or harm: the route for it
    ctx.support_level = found.level
    ctx.at_work = CONCERN in found.levels and not found.first_routes
    ctx.bereaved = found.bereaved
    return Support(before=(support_reply(signposts, found, asks=any(ASKS.search(text) for text in texts)),))


def texts_of(incoming: Incoming, ours: Callable[[str, str], bool] | None = None) -> list[str]:
    """Everything the person wrote in this message: the text, and any text a form sent back; not what a button of
    ours carries back (`ours(key, value)`: "More" carries the id of the section it opens, such as
    "burnt-out-team", which is no message from the person: read as one it had put the distress support before the
    rest of a manager's answer, walked 2026-12-07)."""
    texts = [incoming.text] if incoming.text else []
    if incoming.action is not None:
        texts += [
            value
            for key, value in incoming.action.value.items()
            if isinstance(value, str) and value.strip() and not (ours is not None and ours(key, value))
        ]
    return texts


def _names_our_own(ctx: Context, key: str, value: str) -> bool:
    """Whether a button's value is the id of a section, topic or practice of ours under the key our buttons put it
    ("section", "topic", "practice"): an id we issued, not words anyone typed (a form's field holding exactly such an
    id is still none of their words)."""
    knowledge = ctx.services.knowledge
    if key == "section":
        return knowledge is not None and knowledge.section(value) is not None
    if key == "topic":
        return knowledge is not None and knowledge.topic(value) is not None
    if key == "practice":
        return any(p.id == value for p in ctx.services.practices)
    return False


def assess(signposts: Signposts, texts: list[str]) -> Assessment | None:
    """The most urgent assessment among `texts` (a support list beats a gentle line)."""
    found = [a for a in (signposts.detector.assess(text) for text in texts) if a is not None]
    if not found:
        return None
    urgency = list(signposts.levels)
    return min(found, key=lambda a: (a.gentle, urgency.index(a.level)))


def support_reply(signposts: Signposts, found: Assessment, *, asks: bool = False, opening: str | None = None) -> Reply:
    """The private support for what was found: the level's opening (or, for a message about what a first route is
    for, that route's: abuse, sexual violence, a child or patient at risk), any route the message is about first (abuse
    at home: the domestic abuse helpline; 999 still before it for a risk to life), the level's routes in order, then
    the routes of any other level found (each once), and a closing line; `opening`, when given, is said first instead
    (the routes again, after support)."""
    colleague = found.third_person
    content = signposts.levels[found.level]
    shown: dict[str, Route] = {}
    if found.first_routes and found.level == next(iter(signposts.levels)):  # a risk to life: 999 before anything
        shown.update((route.id, route) for route in signposts.routes_for(found.level, colleague=colleague)[:1])
    # in the order the message's subjects come first (a child hurt at home: the safeguarding team, then the helpline)
    by_id = {route.id: route for route in signposts.routes}
    shown.update((route, by_id[route]) for route in found.first_routes if route in by_id)
    bereaved = signposts.bereaved if found.bereaved else None
    if bereaved is not None:  # someone they knew died by suicide: their grief, then what else the message showed
        shown.update((route.id, route) for route in signposts.bereaved_routes(found.level))
    for level in found.levels or (() if bereaved else (found.level,)):
        shown.update((route.id, route) for route in signposts.routes_for(level, colleague=colleague))
    about = next((signposts.first_openings[r] for r in found.first_routes if r in signposts.first_openings), None)
    opening = (
        opening if opening is not None
        else bereaved.opening if bereaved
        else (about.colleague_opening if colleague else about.opening) if about is not None
        else content.colleague_opening if colleague
        else content.meaning_opening if found.by_meaning
        else content.opening
    )  # fmt: skip
    lines = [opening, *(_line(route) for route in shown.values())]
    if bereaved is not None and not asks:  # what helps a team, offered; a question gets its answer after this
        lines.append(bereaved.after)
    lines += ["", signposts.colleague_closing if colleague else signposts.closing]
    return Reply("\n".join(lines), private=True)


def _line(route: Route) -> str:
    return f"• {route.name}: {route.detail}"


@routes.command(
    r"(support|get support|i need (support|help)|crisis|helplines?|who can help( me)?)[.!?]*",
    name="support",
    says=(
        "support",
        "helpline|helplines|crisis",
        "?who can help",
        "?who can i talk|speak",
        "?where get|find support|help",
    ),
    summary="See who can help, in confidence, any time (crisis lines, wellbeing, speaking up)",
    examples=("support",),
    group="Getting started",
)
async def list_support(ctx: Context, _match: re.Match[str]) -> Reply:
    signposts = ctx.services.signposts
    if signposts is None:
        return Reply("If you or someone else is in danger now, call 999. Samaritans: 116 123, free, any time.",
                     private=True)  # fmt: skip
    lines = [signposts.support_intro, *(_line(route) for route in signposts.every_route())]
    return Reply("\n".join(lines), private=True)
