"""Reflective check-ins: set them up in words, list, pause, resume, cancel; send them when due.

A due check-in asks one reflection question with three buttons: Reflect now,
Snooze 1 hour, Skip. What happens next lives in `handlers.reflections`. One
left open gets a reminder after `reminder_after` and expires after twice that.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.ask import answer_in_thread, asks_rather_than_commands
from handlers.context import Context, Services
from handlers.messages import Button, Reply
from handlers.names import ActionId, CheckInState, Purpose, ScheduleKind, ScheduleState
from handlers.recurrence import next_after
from handlers.router import Draft, Occurrence, Router
from handlers.schedule_choice import applies, ask_time, ask_when, same_as
from handlers.schedule_language import ScheduleError, ScheduleSpec, TimeChoice, parse_schedule, read_back
from handlers.scheduling import enqueue_reply
from handlers.timezones import local_time
from storage.models import CheckIn, Schedule
from storage.repositories import Repositories

if TYPE_CHECKING:
    from knowledge import Prompt

GROUP = "Check-ins"
MAX_CHECKINS = 10
NO_PATIENT_DATA = "Please don't include anything that could identify a patient."
NAMES_A_CHECKIN = re.compile(r"check[ -]?ins?|reflection|reminder", re.IGNORECASE)
MOVE_IT_WORDS = 8  # "actually move it to sat 9am"; longer, without naming a check-in, is something else
TIME_AT_END = re.compile(r" at \d{2}:\d{2}$")  # "every Friday at 17:00": the days before the time
routes = Router()


def checkin_buttons(checkin_id: int) -> tuple[Button, ...]:
    value = {"checkin": checkin_id}
    return (
        Button("Reflect now", ActionId.CHECKIN_REFLECT, value, style="primary"),
        Button("Snooze 1 hour", ActionId.CHECKIN_SNOOZE, value),
        Button("Skip", ActionId.CHECKIN_SKIP, value),
    )


def pick_prompt(services: Services, recent: list[str]) -> Prompt:
    """The person's next reflection question: the one after their latest in prompts.yaml's order, skipping any
    they were asked in their last len(questions) - 1 check-ins (`recent`, newest first), so no question comes
    again before all the others have, across every check-in they have (scheduled or “checkin now”)."""
    assert services.prompts is not None, "prompts were not loaded"
    questions = list(services.prompts.reflection)
    window = set(recent[: len(questions) - 1])
    ids = [p.id for p in questions]
    start = ids.index(recent[0]) + 1 if recent and recent[0] in ids else 0
    in_turn = questions[start:] + questions[:start]
    return next((p for p in in_turn if p.id not in window), in_turn[0])


def question_of(services: Services, prompt_id: str) -> str:
    assert services.prompts is not None
    for prompt in services.prompts.reflection:
        if prompt.id == prompt_id:
            return prompt.text
    return "How are you, really, this week?"


def checkin_text(services: Services, checkin: CheckIn, *, late_at: str | None = None) -> str:
    late = f"(A little late — this was due at {late_at}; I wasn't able to send it then.)\n" if late_at else ""
    return (
        f"{late}Time for your reflective check-in.\n\n{question_of(services, checkin.prompt_id)}\n\n"
        f"Reply with your reflection as your next message (only you will see it), or press “Reflect now”. "
        f"{NO_PATIENT_DATA}"
    )


def reminder_reply(services: Services, checkin: CheckIn) -> Reply:
    return Reply(
        "A gentle reminder: your check-in is still open if you have a few minutes.\n\n"
        f"{question_of(services, checkin.prompt_id)}\n\n{NO_PATIENT_DATA}",
        buttons=checkin_buttons(checkin.id or 0),
    )


async def new_checkin(
    repos: Repositories,
    services: Services,
    *,
    person_id: int,
    schedule: Schedule | None,
    at: datetime,
    now: datetime,
    late: bool = False,
) -> CheckIn:
    """The check-in row for one occurrence: the person's next question (`pick_prompt`), reminder and expiry set."""
    assert services.prompts is not None, "prompts were not loaded"
    recent = await repos.checkins.recent_prompt_ids(person_id, len(services.prompts.reflection))
    prompt = pick_prompt(services, recent)
    reminder = services.config.reminder_after
    return CheckIn(
        person_id=person_id,
        schedule_id=schedule.id if schedule is not None else None,
        occurrence_at=at,
        prompt_id=prompt.id,
        state=CheckInState.SENT,
        late=late,
        remind_at=now + reminder,
        expires_at=now + 2 * reminder,
        created_at=now,
    )


def numbered(schedules: list[Schedule], number: str) -> Schedule | None:
    index = int(number) - 1
    return schedules[index] if 0 <= index < len(schedules) else None


def describe(schedules: list[Schedule]) -> str:
    lines = []
    for n, s in enumerate(schedules, start=1):
        when = (
            "paused"
            if s.state == ScheduleState.PAUSED
            else f"next {local_time(s.next_run_at, s.timezone)}"
            if s.next_run_at
            else ""
        )
        lines.append(f"{n}. {s.description} — {when}")
    return "\n".join(lines)


@routes.command(
    r"check[ -]?ins?\s+(?!now\b)(?P<phrase>.+)",
    name="checkin",
    says=(
        "checkin|checkins|reflect|reflection|reflections|reflective|remind|schedule {schedule}",
        # "reminder" as a thing asked for, not a heading: "Reminder: the leadership webinar is on thursday at 12:30"
        # had set a weekly check-in (a walk, 2026-12-07)
        "set|add|make|give|create|want|need|like|new reminder|reminders {schedule}",
        "~{schedule}",  # a time alone ("fri 16h"): offered as a check-in or nudges, never guessed
    ),
    runs="checkin {schedule}",
    summary="Schedule a reflective check-in",
    examples=("checkin every friday at 16:00", "checkin weekdays 9am", "checkin tomorrow at 15:00"),
    group=GROUP,
)
async def schedule_checkin(ctx: Context, match: re.Match[str]) -> Reply | list[Reply]:
    zone = ZoneInfo(ctx.person.timezone)
    try:
        spec = parse_schedule(match.group("phrase"), now=ctx.now, zone=zone)
    except ScheduleError as error:
        if asks_rather_than_commands(ctx.incoming.text):
            return await answer_in_thread(ctx, ctx.incoming.text)  # "checkins with my team keep getting cancelled, …"
        return await ask_when(ctx, ScheduleKind.CHECKIN, match.group("phrase"), error)
    if isinstance(spec, TimeChoice):
        return await ask_time(ctx, ScheduleKind.CHECKIN, spec)
    return await add_checkin(ctx, spec)


@applies(ScheduleKind.CHECKIN)
async def add_checkin(ctx: Context, spec: ScheduleSpec) -> Reply:
    """Set the check-in, unless the person has that very one already (or too many)."""
    schedules = await ctx.repos.schedules.for_person(ctx.person_id, (ScheduleKind.CHECKIN,))
    twin = same_as(schedules, spec, ctx.person.timezone, ctx.now)
    if twin is not None:
        listed = describe(schedules).splitlines()[schedules.index(twin)]
        return Reply(f"You already have that check-in: {listed}; nothing new was set.")
    if len(schedules) >= MAX_CHECKINS:
        return Reply(f"You already have {MAX_CHECKINS} check-ins. Cancel one first (“checkins” lists them).")
    zone = ZoneInfo(ctx.person.timezone)
    await ctx.repos.schedules.add(
        Schedule(
            person_id=ctx.person_id,
            kind=ScheduleKind.CHECKIN,
            rule=spec.rule,
            description=spec.description,
            timezone=ctx.person.timezone,
            next_run_at=next_after(spec.rule, zone, ctx.now),
            created_at=ctx.now,
        )
    )
    return Reply(
        f"Done: a check-in {read_back(spec, ctx.now, zone)} ({ctx.person.timezone}). "
        "“checkins” lists yours; “pause”, “resume” or “cancel” with its number changes one."
    )


@routes.command(
    r"(?:my )?check[ -]?ins|list check[ -]?ins",
    name="checkins",
    says=(
        "checkins",
        "list|show|see|view|upcoming|next|scheduled|all checkin|checkins|reminders",
        "?when next checkin",
        "?what checkins|reminders",
        "?when my checkin|checkins",
        "~cancel|stop|delete|remove|clear all",
        "~pause|resume checkin|checkins",
        "~pause|resume|unpause|restart|suspend",
    ),
    summary="List your check-ins with the next time of each",
    examples=("checkins",),
    group=GROUP,
    keeps_pending=True,
)
async def list_checkins(ctx: Context, _match: re.Match[str]) -> Reply:
    schedules = await ctx.repos.schedules.for_person(ctx.person_id, (ScheduleKind.CHECKIN,))
    if not schedules:
        return Reply("You have no check-ins yet. Try “checkin every friday at 16:00”.")
    return Reply(f"Your check-ins (times in {ctx.person.timezone}):\n{describe(schedules)}")


@routes.command(
    r"(?P<verb>pause|resume|cancel|stop|delete|remove)\s+(?:check[ -]?in\s+)?#?(?P<number>\d{1,3})",
    name="change-checkin",
    says=(
        "pause|hold|suspend|skip checkin|reminder|reflection|number {number} => pause {number}",
        "resume|restart|unpause|continue|restore checkin|reminder|reflection|number {number} => resume {number}",
        # not "reflection": "delete reflection 1" had cancelled check-in 1 (walked 2026-12-07); see delete-reflection
        "cancel|stop|delete|remove|end|drop checkin|reminder|number {number} => cancel {number}",
    ),
    summary="Pause, resume or cancel a check-in by its number",
    examples=("pause 1", "resume 1", "cancel 2"),
    group=GROUP,
)
async def change_checkin(ctx: Context, match: re.Match[str]) -> Reply:
    schedules = await ctx.repos.schedules.for_person(ctx.person_id, (ScheduleKind.CHECKIN,))
    return _change(ctx, schedules, match.group("verb"), match.group("number"))


@routes.command(
    r"(?P<verb>pause|resume|cancel|stop|unpause|restart)\s+(?:my |the |this |that )?check[ -]?ins?",
    name="change-my-checkin",
    says=(
        "pause|hold|suspend my checkin|checkins => pause checkin",
        "pause|hold|suspend it|that => pause checkin",  # walked 2026-12-07: "pause it for now" listed them
        "resume|restart|unpause|continue my checkin|checkins => resume checkin",
        "cancel|stop|end|drop my checkin|checkins => cancel checkin",
    ),
    summary="Pause, resume or cancel your check-in when you have one",
    examples=("pause my checkin",),
    group=GROUP,
)
async def change_my_checkin(ctx: Context, match: re.Match[str]) -> Reply:
    """With one check-in, that one (walked 2026-12-07: "pause my checkin" was offered "checkins" and "checkin now");
    with several, which one, by number."""
    verb = {"stop": "cancel", "unpause": "resume", "restart": "resume"}.get(match.group("verb"), match.group("verb"))
    schedules = await ctx.repos.schedules.for_person(ctx.person_id, (ScheduleKind.CHECKIN,))
    if len(schedules) == 1:
        return _change(ctx, schedules, verb, "1")
    if not schedules:
        return Reply("You have no check-ins yet. Try “checkin every friday at 16:00”.")
    return Reply(f"Which one? Type “{verb} 1”, “{verb} 2” and so on.\n{describe(schedules)}")


@routes.command(
    r"(?:(?:can|could|would) (?:you|u) (?:please |pls )?|please |pls )?(?:move|change|switch|shift|reschedule|put|make)"
    r"\s+(?:my |the |this |that )?check[ -]?ins?(?:'?s)?(?:\s+time)?\s+(?:to|for|at|till|until|on)\s+(?P<when>.+?)"
    r"(?:,?\s+instead)?(?:,?\s+(?:please|pls|plz|thanks|ta))?[.!?]*",
    name="move-my-checkin",
    says=(
        "move|change|reschedule|shift|switch checkin|checkins {schedule} => move checkin to {schedule}",
        # walked 2026-12-07: "actually move it to sat 9am" had been offered as a new check-in, and set one
        # not "shift": "rough shift … not proud of it" had been read as moving it (a nurse's reflection)
        "move|reschedule it|that {schedule} => move checkin to {schedule}",
    ),
    summary="Move your check-in to another time or day",
    examples=("move my checkin to 4pm", "move my checkin to mondays at 9am"),
    group=GROUP,
)
async def move_my_checkin(ctx: Context, match: re.Match[str]) -> Reply | list[Reply]:
    """Move the person's one check-in: a time alone keeps its days ("can u move my checkin to 4pm instead"; a walk of
    2026-12-07 found no way to change a check-in's time). With several, say how. A long message that never names a
    check-in ("we moved it to bay 2 on friday …") is no request to move one: it goes to the answerer."""
    if not NAMES_A_CHECKIN.search(ctx.incoming.text) and len(ctx.incoming.text.split()) > MOVE_IT_WORDS:
        return await answer_in_thread(ctx, ctx.incoming.text)
    schedules = await ctx.repos.schedules.for_person(ctx.person_id, (ScheduleKind.CHECKIN,))
    if not schedules:
        return Reply("You have no check-ins yet. Try “checkin every friday at 16:00”.")
    if len(schedules) > 1:
        return Reply(
            "You have more than one check-in. Cancel the one to move (“cancel 2”) and set it again at the new time "
            f"(“checkin every friday at 16:00”).\n{describe(schedules)}"
        )
    (schedule,) = schedules
    zone = ZoneInfo(ctx.person.timezone)
    when = match.group("when")
    clock = TIME_AT_END.search(schedule.description)
    days = schedule.description[: clock.start()] if clock is not None else None
    try:
        try:
            spec = parse_schedule(when, now=ctx.now, zone=zone)
        except ScheduleError as error:
            if days is not None and str(error).startswith("Which day"):
                spec = parse_schedule(f"{days} at {when}", now=ctx.now, zone=zone)  # the time alone: the same days
            elif clock is not None and str(error).startswith("What time"):
                spec = parse_schedule(f"{when}{clock.group()}", now=ctx.now, zone=zone)  # the days alone: same time
            else:
                raise
    except ScheduleError as error:
        return Reply(f"{error} Nothing was changed.")
    if isinstance(spec, TimeChoice):
        first, second = (option.clock for option in spec.options)
        return Reply(f"{spec.question} Say “move my checkin to {second}” or “move my checkin to {first}”.")
    schedule.rule, schedule.description = spec.rule, spec.description
    schedule.next_run_at = next_after(spec.rule, zone, ctx.now)
    ctx.repos.schedules.save(schedule)
    await ctx.audit("schedule.moved", target=f"schedule:{schedule.id}")
    paused = " It is still paused: “resume 1” starts it again." if schedule.state == ScheduleState.PAUSED else ""
    return Reply(f"Moved: your check-in is now {read_back(spec, ctx.now, zone)} ({ctx.person.timezone}).{paused}")


def _change(ctx: Context, schedules: list[Schedule], verb: str, number: str) -> Reply:
    """Pause, resume or cancel check-in `number` of the person's `schedules` (as listed)."""
    schedule = numbered(schedules, number)
    if schedule is None:
        listing = describe(schedules) if schedules else "You have no check-ins."
        return Reply(f"There is no check-in number {number}.\n{listing}")
    if verb == "pause":
        schedule.state = ScheduleState.PAUSED
        message = f"Paused: {schedule.description}. “resume {number}” starts it again."
    elif verb == "resume":
        message = resume(schedule, ctx.now)
    else:
        schedule.state = ScheduleState.CANCELLED
        message = f"Cancelled: {schedule.description}."
    ctx.repos.schedules.save(schedule)
    return Reply(message)


def resume(schedule: Schedule, now: datetime) -> str:
    """Start a paused check-in again from its next time (a one-off whose time has passed is finished)."""
    schedule.state = ScheduleState.ACTIVE
    schedule.next_run_at = next_after(schedule.rule, ZoneInfo(schedule.timezone), now)
    if schedule.next_run_at is None:
        schedule.state = ScheduleState.FINISHED
        return f"That one-off check-in ({schedule.description}) has already passed."
    return f"Resumed: {schedule.description}. Next: {local_time(schedule.next_run_at, schedule.timezone)}."


@routes.command(
    r"check[ -]?in now|reflect now|start (?:a )?check[ -]?in",
    name="checkin-now",
    says=(
        "checkin|reflect|reflection now",
        "start|begin|do|open|have checkin|reflection",
        "reflect",
        "start|begin|do reflecting",
        "checkin",
    ),
    summary="Have a check-in right now",
    examples=("checkin now",),
    group=GROUP,
)
async def checkin_now(ctx: Context, _match: re.Match[str]) -> Reply:
    return await checkin_now_button(ctx)


@routes.action(ActionId.CHECKIN_NOW, words=("checkin now", "reflect", "reflect now", "yes"))
async def checkin_now_button(ctx: Context) -> Reply:
    checkin = await new_checkin(
        ctx.repos, ctx.services, person_id=ctx.person_id, schedule=None, at=ctx.now, now=ctx.now
    )
    await ctx.repos.checkins.add(checkin)
    assert checkin.id is not None
    return Reply(checkin_text(ctx.services, checkin), buttons=checkin_buttons(checkin.id))


@routes.on_schedule(ScheduleKind.CHECKIN)
async def compose_checkin(repos: Repositories, services: Services, due: Occurrence, now: datetime) -> Draft:
    checkin = await new_checkin(
        repos, services, person_id=due.person.id or 0, schedule=due.schedule, at=due.at, now=now, late=due.late
    )
    repos.checkins.save(checkin)  # numbered with the rest of the scheduler's batch
    late_at = local_time(due.at, due.schedule.timezone) if due.late else None
    return Draft(Reply(checkin_text(services, checkin, late_at=late_at)), checkin, checkin_buttons)


@routes.sweep
async def remind_and_expire(repos: Repositories, services: Services, now: datetime, batch: int) -> dict[str, int]:
    """Close check-ins left unanswered too long, then remind people of those still open."""
    expired = await expire_checkins(repos, now, batch)
    return {"reminded": await remind_of_checkins(repos, services, now, batch), "expired": expired}


async def expire_checkins(repos: Repositories, now: datetime, batch: int) -> int:
    expired = await repos.checkins.past_expiry(now, batch)
    for checkin in expired:
        checkin.state, checkin.remind_at = CheckInState.EXPIRED, None
        repos.checkins.save(checkin)
    return len(expired)


async def remind_of_checkins(repos: Repositories, services: Services, now: datetime, batch: int) -> int:
    reminders = await repos.checkins.needing_reminder(now, batch)
    for checkin in reminders:
        checkin.remind_at, checkin.reminded_at = None, now
        repos.checkins.save(checkin)
        person = await repos.people.get(checkin.person_id)
        if person is not None:
            await enqueue_reply(
                repos,
                key=f"checkin-reminder:{checkin.id}",
                purpose=Purpose.CHECKIN_REMINDER,
                person_id=checkin.person_id,
                platform=person.platform,
                reply=reminder_reply(services, checkin),
                now=now,
                reference=f"checkin:{checkin.id}",
                sealer=services.sealer,
            )
    return len(reminders)
