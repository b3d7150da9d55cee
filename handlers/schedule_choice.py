"""Setting a schedule said in words: both readings of an unclear hour offered, a repeat flagged.

"checkin every friday at 4" is not guessed: the person gets two buttons, 04:00 and 16:00,
and typing "4pm", "16:00", "afternoon", "pm", "2" or "the second one" answers too. Each
capability that sets schedules (check-ins, nudges) registers how with `@applies(kind)`;
the buttons carry the kind and the schedule itself (they are signed by the platform layer).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from handlers.context import Context
from handlers.messages import Button, Reply
from handlers.names import ActionId, PendingKind
from handlers.recurrence import next_after
from handlers.router import Router
from handlers.schedule_language import ScheduleError, ScheduleSpec, TimeChoice, choose_time, parse_schedule
from storage.models import Schedule

Apply = Callable[[Context, ScheduleSpec], Awaitable[Reply]]
ApplyT = TypeVar("ApplyT", bound=Apply)
COMPARED = 8  # occurrences compared to tell a schedule that repeats another
NOTHING_SET = "Nothing was scheduled; say it again with the time in full (“16:00” or “4pm”) whenever you like."
routes = Router()
appliers: dict[str, Apply] = {}


def applies(kind: str) -> Callable[[ApplyT], ApplyT]:
    """Register how a schedule of `kind` is set once its time is clear."""

    def decorate(apply: ApplyT) -> ApplyT:
        appliers[kind] = apply
        return apply

    return decorate


def spec_value(kind: str, spec: ScheduleSpec) -> dict[str, Any]:
    return {"kind": kind, "rule": spec.rule, "description": spec.description, "one_off": spec.one_off}


def spec_of(value: dict[str, Any]) -> ScheduleSpec | None:
    """The schedule a button or a pending question carries (None if it is not one)."""
    rule, description = value.get("rule"), value.get("description")
    if not isinstance(rule, str) or not isinstance(description, str) or not rule.startswith("DTSTART:"):
        return None
    return ScheduleSpec(rule, bool(value.get("one_off")), description)


async def ask_time(ctx: Context, kind: str, choice: TimeChoice) -> Reply:
    """Offer both readings as buttons, and take the next message as the answer too."""
    await ctx.expect_message(
        PendingKind.SCHEDULE_TIME, {"kind": kind, "options": [spec_value(kind, s) for s in choice.options]}
    )
    return time_question(kind, choice)


def time_question(kind: str, choice: TimeChoice) -> Reply:
    return Reply(
        f"{choice.question} (“{choice.morning.description}” or “{choice.afternoon.description}”)",
        buttons=tuple(Button(spec.clock, ActionId.SCHEDULE_CHOOSE, spec_value(kind, spec)) for spec in choice.options),
    )


@routes.action(ActionId.SCHEDULE_CHOOSE, keeps_pending=True)
async def chosen(ctx: Context) -> Reply:
    """A button answers the question: it closes it (without the "nothing was scheduled" note)."""
    assert ctx.incoming.action is not None
    if ctx.pending is not None and ctx.pending.kind == PendingKind.SCHEDULE_TIME:
        await ctx.repos.pending.clear(ctx.person_id)
    value = ctx.incoming.action.value
    spec, apply = spec_of(value), appliers.get(str(value.get("kind")))
    if spec is None or apply is None:
        return Reply(NOTHING_SET)
    return await apply(ctx, spec)


@routes.follow_up(PendingKind.SCHEDULE_TIME, if_cancelled=NOTHING_SET)
async def typed(ctx: Context, text: str) -> Reply:
    assert ctx.pending is not None
    kind = str(ctx.pending.data.get("kind"))
    options = [spec_of(value) for value in ctx.pending.data.get("options", [])]
    apply = appliers.get(kind)
    if apply is None or len(options) != 2 or options[0] is None or options[1] is None:
        return Reply(NOTHING_SET)
    choice = TimeChoice(options[0], options[1], f"Do you mean {options[0].clock} or {options[1].clock}?")
    picked = choose_time(text, choice)
    if picked is None:
        await ctx.expect_message(PendingKind.SCHEDULE_TIME, dict(ctx.pending.data))
        reply = time_question(kind, choice)
        return Reply(f"Please choose one (or type another command to leave this). {reply.text}", buttons=reply.buttons)
    return await apply(ctx, picked)


# The parser asks only for the time: the days said so far are kept for the next message
ASKS_THE_TIME = ("What time?", "I can't tell when your shift or day ends, so please give me a time")
TIME_WORDS = re.compile(r"\d|\b(?:noon|midday|midnight|morning|afternoon|evening|night|am|pm)\b", re.IGNORECASE)


async def ask_when(ctx: Context, kind: str, phrase: str, error: ScheduleError) -> Reply:
    """The parser's question, and, when it asks only for the time, the days kept for the answer (walked 2026-12-07:
    "every fri after my shift", then "7.30pm", had been asked "Which day or days?", Friday forgotten)."""
    if str(error).startswith(ASKS_THE_TIME):
        await ctx.expect_message(PendingKind.SCHEDULE_WHEN, {"kind": kind, "phrase": phrase[:200]})
        return Reply(f"{error} (The time alone will do.)")
    return Reply(str(error))


@routes.follow_up(PendingKind.SCHEDULE_WHEN, if_cancelled="(The one waiting for a time was not set.)", commands=True)
async def time_given(ctx: Context, text: str) -> Reply | list[Reply]:
    """The time for the days said before; a message with no time in it is not one (a question is answered)."""
    assert ctx.pending is not None
    kind, phrase = str(ctx.pending.data.get("kind")), str(ctx.pending.data.get("phrase", ""))
    apply = appliers.get(kind)
    if apply is None or not TIME_WORDS.search(text):
        from handlers.ask import answer_in_thread  # the answerer: a question asked instead of the time

        return await answer_in_thread(ctx, text)
    try:
        spec = parse_schedule(f"{phrase} at {text}", now=ctx.now, zone=ZoneInfo(ctx.person.timezone))
    except ScheduleError as error:
        return Reply(f"{error} {NOTHING_SET}")
    if isinstance(spec, TimeChoice):
        return await ask_time(ctx, kind, spec)
    return await apply(ctx, spec)


def occurrences(rule: str, zone: ZoneInfo, now: datetime) -> list[datetime]:
    found: list[datetime] = []
    after = now
    while len(found) < COMPARED:
        upcoming = next_after(rule, zone, after)
        if upcoming is None:
            break
        found.append(upcoming)
        after = upcoming
    return found


def same_as(schedules: list[Schedule], spec: ScheduleSpec, timezone: str, now: datetime) -> Schedule | None:
    """The active or paused schedule that would happen at exactly the same times as `spec`, if any."""
    wanted = occurrences(spec.rule, ZoneInfo(timezone), now)
    for schedule in schedules:
        if occurrences(schedule.rule, ZoneInfo(schedule.timezone), now) == wanted:
            return schedule
    return None
