"""Managers' weekly prompt: by default Monday 09:00 in their zone, never repeating until all are used.

Every manager gets the schedule when they are first seen as a manager; they
can move it ("weekly prompt friday 8:30"), turn it off and on again.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.context import Context, Services
from handlers.messages import Button, Reply
from handlers.names import ActionId, PendingKind, ScheduleKind, ScheduleState
from handlers.recurrence import next_after
from handlers.router import Occurrence, Router
from handlers.schedule_language import ScheduleError, ScheduleSpec, TimeChoice, parse_schedule
from handlers.timezones import local_time
from storage.models import Schedule
from storage.repositories import Repositories

DEFAULT_WHEN = "every monday at 09:00"
GROUP = "For managers"
TURNED_OFF = "Your weekly prompt is off. “weekly prompt on” brings it back."
routes = Router()


async def weekly_schedule(ctx: Context) -> Schedule | None:
    found = await ctx.repos.schedules.for_person(ctx.person_id, (ScheduleKind.MANAGER_PROMPT,), include_ended=True)
    return found[0] if found else None


def next_prompt(services: Services, seen: list[str]) -> tuple[str, str, list[str]]:
    """(id, text, new seen list): the first manager prompt not yet sent; starts over when all were."""
    assert services.prompts is not None, "prompts were not loaded"
    prompts = services.prompts.manager
    unused = [p for p in prompts if p.id not in seen]
    if not unused:
        unused, seen = list(prompts), []
    return unused[0].id, unused[0].text, [*seen, unused[0].id]


@routes.on_turn
async def give_managers_their_prompt(ctx: Context) -> None:
    if ctx.person.role != "manager" or await weekly_schedule(ctx) is not None:
        return
    zone = ZoneInfo(ctx.person.timezone)
    spec = parse_schedule(DEFAULT_WHEN, now=ctx.now, zone=zone)
    assert isinstance(spec, ScheduleSpec), "the default time is in full"
    await ctx.repos.schedules.add(
        Schedule(
            person_id=ctx.person_id,
            kind=ScheduleKind.MANAGER_PROMPT,
            rule=spec.rule,
            description=spec.description,
            timezone=ctx.person.timezone,
            next_run_at=next_after(spec.rule, zone, ctx.now),
            created_at=ctx.now,
        )
    )


@routes.command(
    r"weekly prompt(?:\s+(?P<what>.+))?",
    name="weekly-prompt",
    says=(
        "weekly|manager prompt {rest}",
        "move|change|set|shift|put weekly|manager prompt {rest}",
        "weekly|manager prompt",
        "weekly|manager prompt off|stop|pause|disable|mute => weekly prompt off",
        "weekly|manager prompt start|resume|enable|restart => weekly prompt on",
        # walked 2026-12-07: "stop the manager prompts", "whats the weekly prompt thing" had been declined as
        # instructions to the bot
        "stop|pause|disable|mute|off|cancel weekly|manager prompt|prompts => weekly prompt off",
        "start|resume|enable|on|restart weekly|manager prompt|prompts => weekly prompt on",
        "?what|whats weekly|manager prompt|prompts thing => weekly prompt",
        "?see|show|view this|weeks|week weekly|manager prompt|prompts now => weekly prompt",
        # walked 2026-12-07: "whats the weekly prompt this week" had been declined as instructions to the bot
        "?what|whats weekly|manager prompt|prompts this|week|weeks|today|now|latest|last => weekly prompt",
        "?what|whats this|weeks prompt => weekly prompt",  # "whats this weeks prompt"
        "?see|show|view|read prompt|prompts => weekly prompt",  # "can i see the prompt now pls" (a third walk)
    ),
    runs="weekly prompt {rest}",
    summary="See, move or turn off your weekly manager prompt",
    examples=("weekly prompt friday 8:30", "weekly prompt off", "weekly prompt on"),
    group=GROUP,
    roles=("manager",),
)
async def weekly_prompt(ctx: Context, match: re.Match[str]) -> Reply:
    schedule = await weekly_schedule(ctx)
    assert schedule is not None  # created by the turn hook for every manager
    what = (match.group("what") or "").strip().lower()
    if what in ("off", "stop", "pause"):
        schedule.state = ScheduleState.PAUSED
        ctx.repos.schedules.save(schedule)
        return Reply(TURNED_OFF)
    if what in ("on", "start", "resume"):
        schedule.state = ScheduleState.ACTIVE
    elif what:
        refused = move(schedule, what, ctx.now)
        if refused is not None:
            return refused
    if schedule.state != ScheduleState.ACTIVE:
        return Reply(TURNED_OFF)
    schedule.next_run_at = next_after(schedule.rule, ZoneInfo(schedule.timezone), ctx.now)
    ctx.repos.schedules.save(schedule)
    assert schedule.next_run_at is not None
    next_time = local_time(schedule.next_run_at, schedule.timezone)
    when = f"Your weekly prompt comes {schedule.description}; the next is {next_time}."
    last = _last_prompt(ctx.services, schedule) if not what else None
    return Reply(f"Your latest weekly prompt:\n\n{last}\n\n{when}" if last else when)


def _last_prompt(services: Services, schedule: Schedule) -> str | None:
    """The text of the prompt last sent on `schedule`, if any (and still in the prompts)."""
    last = schedule.data.get("last")
    prompts = services.prompts.manager if services.prompts is not None else []
    return next((p.text for p in prompts if p.id == last), None)


def move(schedule: Schedule, what: str, now: datetime) -> Reply | None:
    """Put the prompt on the day (and time; 09:00 if none) in `what` and turn it on; or say why not."""
    phrase = what if re.search(r"\d|noon|midday", what) else f"{what} at 09:00"
    if not phrase.startswith(("every", "each")):
        phrase = f"every {phrase}"
    try:
        spec = parse_schedule(phrase, now=now, zone=ZoneInfo(schedule.timezone))
    except ScheduleError as error:
        return Reply(str(error))
    if isinstance(spec, TimeChoice):
        return Reply(f"{spec.question} Please give the time in full, for example “weekly prompt friday 16:00”.")
    if spec.one_off:
        return Reply("The weekly prompt needs a day of the week, for example “weekly prompt friday 8:30”.")
    schedule.rule, schedule.description, schedule.state = spec.rule, spec.description, ScheduleState.ACTIVE
    return None


@routes.on_schedule(ScheduleKind.MANAGER_PROMPT)
async def compose_prompt(repos: Repositories, services: Services, due: Occurrence, now: datetime) -> Reply | None:
    if due.person.role != "manager":
        due.schedule.state = ScheduleState.CANCELLED  # no longer a manager: stop quietly
        return None
    prompt_id, text, seen = next_prompt(services, list(due.schedule.data.get("seen", [])))
    due.schedule.data = {**due.schedule.data, "seen": seen, "last": prompt_id}
    late = "(A little late this week.)\n" if due.late else ""
    return Reply(
        f"{late}Your weekly leadership prompt:\n\n{text}",
        buttons=(
            Button("Reflect on this", ActionId.MANAGER_PROMPT_REFLECT, {"prompt": prompt_id}, style="primary"),
            Button("A practice for my team", ActionId.NUDGE_NOW, {}),
        ),
    )


@routes.action(ActionId.MANAGER_PROMPT_REFLECT)
async def reflect_on_prompt(ctx: Context) -> Reply:
    await ctx.expect_message(PendingKind.REFLECTION, {"checkin": None}, ttl=ctx.services.config.reminder_after * 2)
    return Reply(
        "Write your reflection as your next message. Only you will see it. "
        "Please don't include anything that could identify a patient or a colleague.",
        private=True,
    )
