"""Compassionate-leadership nudges: one micro-practice at a time, recorded kindly, with streaks.

Practices come from `knowledge/practices.yaml`. A person sees every practice
for their audience (managers and admins also get the managers' ones) before
any repeats. A nudge not answered within a day expires.
Scheduled nudges respect quiet hours: nothing between 19:00 and 08:00 local or
at weekends, unless the person chose that time or day themselves.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz

from handlers.ask import answer_in_thread, asks_rather_than_commands
from handlers.context import Context, Services
from handlers.messages import Button, Reply
from handlers.names import TRIED, ActionId, NudgeState, PendingKind, ScheduleKind, ScheduleState
from handlers.progress import progress_reply
from handlers.recurrence import next_after
from handlers.router import Draft, Occurrence, Router
from handlers.schedule_choice import applies, ask_time, ask_when, same_as
from handlers.schedule_language import DAYS, ScheduleError, ScheduleSpec, TimeChoice, parse_schedule, read_back
from storage.models import Nudge, Person, Schedule
from storage.repositories import Repositories

if TYPE_CHECKING:
    from knowledge import Practice

GROUP = "Nudges"
ANSWER_WITHIN = timedelta(hours=24)
QUIET_FROM, QUIET_UNTIL = 19, 8
WEEKEND = ("SA", "SU")
NOTE_LIMIT = 280
OFFER = "Here's a small practice to try"
routes = Router()


def practices_for(services: Services, person: Person) -> list[Practice]:
    audiences = ("anyone", "managers") if person.role in ("manager", "admin") else ("anyone",)
    return [p for p in services.practices if p.audience in audiences]


def practice(services: Services, practice_id: str) -> Practice | None:
    return next((p for p in services.practices if p.id == practice_id), None)


NEAR_TITLE = 80  # rapidfuzz score from which a typed name is taken for a practice's title or id


def find_practice(available: list[Practice], wanted: str) -> Practice | None:
    """The practice `wanted` names: its id, its title, or near either ("listen with fascination", "the
    device down one"); None when nothing is near or two are equally near."""
    said = " ".join(re.sub(r"[^\w\s-]", " ", wanted.lower()).replace("-", " ").split())
    if not said:
        return None
    said = re.sub(r"^(?:the |a )|(?: one| practice| thing)$", "", said).strip()
    scores = sorted(
        ((max(fuzz.token_set_ratio(said, p.title.lower()), fuzz.ratio(said, p.id.replace("-", " "))), p)
         for p in available),
        key=lambda pair: -pair[0],
    )  # fmt: skip
    if not scores or scores[0][0] < NEAR_TITLE or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]


async def choose_practice(
    repos: Repositories, services: Services, person: Person, *, avoid: str | None = None
) -> Practice:
    """The first practice the person has been offered least often: no repeats until all were seen."""
    offered = await repos.nudges.times_offered(person.id or 0)
    candidates = practices_for(services, person)
    fewest = min(offered.get(p.id, 0) for p in candidates)
    eligible = [p for p in candidates if offered.get(p.id, 0) == fewest and p.id != avoid]
    return (eligible or candidates)[0]


def nudge_text(chosen: Practice, intro: str = OFFER) -> str:
    return f"{intro}: {chosen.title}\n\n{chosen.how_to}\n\n(It helps with {chosen.behaviour}.)"


def nudge_buttons(nudge_id: int) -> tuple[Button, ...]:
    value = {"nudge": nudge_id}
    return (
        Button("Done", ActionId.NUDGE_DONE, value, style="primary"),
        Button("Not today", ActionId.NUDGE_NOT_TODAY, value),
        Button("Another", ActionId.NUDGE_ANOTHER, value),
    )


async def offer(ctx: Context, *, avoid: str | None = None, intro: str = OFFER) -> Reply:
    """Choose a practice for the person now, record that it was offered, and offer it."""
    chosen = await choose_practice(ctx.repos, ctx.services, ctx.person, avoid=avoid)
    nudge = await ctx.repos.nudges.add(Nudge(person_id=ctx.person_id, practice_id=chosen.id, created_at=ctx.now))
    assert nudge.id is not None
    return Reply(nudge_text(chosen, intro), buttons=nudge_buttons(nudge.id))


def quiet(local: datetime, *, chosen_time: str | None, chosen_days: list[str]) -> bool:
    """Would a nudge now intrude? Quiet hours and weekends, unless the person chose them."""
    day = list(DAYS.values())[local.weekday()]
    if day in WEEKEND and day not in chosen_days:
        return True
    in_quiet_hours = local.hour >= QUIET_FROM or local.hour < QUIET_UNTIL
    if in_quiet_hours:
        chosen = int(chosen_time[:2]) if chosen_time else None
        return not (chosen is not None and (chosen >= QUIET_FROM or chosen < QUIET_UNTIL))
    return False


def chosen_days(rule: str) -> list[str]:
    """The days of the week a rule names: its BYDAY days, a one-off's own day, or every day."""
    found = re.search(r"BYDAY=([^;\n]+)", rule)
    if found:
        return [code.lstrip("+-0123456789") for code in found.group(1).split(",")]
    if "COUNT=1" in rule:
        start = re.search(r"DTSTART:(\d{8})", rule)
        assert start is not None
        return [list(DAYS.values())[datetime.strptime(start.group(1), "%Y%m%d").weekday()]]
    return list(DAYS.values())


def chosen_time(rule: str) -> str | None:
    """The local time of day the person chose, "HH:MM", read from the rule's start."""
    found = re.search(r"DTSTART:\d{8}T(\d{2})(\d{2})", rule)
    return f"{found.group(1)}:{found.group(2)}" if found else None


async def nudge_schedule(ctx: Context) -> Schedule | None:
    found = await ctx.repos.schedules.for_person(ctx.person_id, (ScheduleKind.NUDGE,))
    return found[0] if found else None


@routes.command(
    r"(?:nudge(?: me)?|give me a practice|(?:a |another )?practice(?: please)?|micro[- ]?practice)[.!?]*",
    name="nudge",
    says=(
        "nudge|practice|practices|idea|tip",
        "another|new|next|different nudge|practice|idea|tip",
        "another",
        "nudge me",
    ),
    summary="Get one compassionate-leadership practice to try now",
    examples=("nudge", "give me a practice"),
    group=GROUP,
)
async def nudge_now(ctx: Context, _match: re.Match[str]) -> Reply:
    return await offer(ctx)


@routes.action(ActionId.NUDGE_NOW, words=("nudge", "nudge me", "a practice", "practice"))
async def nudge_button(ctx: Context) -> Reply:
    return await offer(ctx)


async def answered(ctx: Context) -> Nudge | None:
    """The person's own nudge that the pressed button names (None if it names none, or someone else's)."""
    assert ctx.incoming.action is not None
    nudge_id = ctx.incoming.action.number("nudge")
    return await ctx.repos.nudges.get_for(nudge_id, ctx.person_id) if nudge_id is not None else None


@routes.action(
    ActionId.NUDGE_DONE,
    words=(
        "done",
        "did it",
        "i did it",
        "yes",
        "yep",
        "yeah",
        "completed",
        "finished",
        "tried it",
        "i tried it",
        "all done",
        "done it",
    ),
)
async def done(ctx: Context) -> Reply:
    nudge = await answered(ctx)
    if nudge is None:
        return Reply("I can't find that practice any more. “nudge” gives you a new one.")
    if nudge.state in TRIED:
        return Reply("Already recorded. Thank you!")
    nudge.state, nudge.answered_at = NudgeState.DONE, ctx.now
    ctx.repos.nudges.save(nudge)
    await ctx.expect_message(PendingKind.NUDGE_NOTE, {"nudge": nudge.id}, ttl=timedelta(hours=2))
    return Reply(
        "Lovely, recorded. If you like, tell me in one line how it went (only you will see it), or just carry on."
    )


@routes.follow_up(PendingKind.NUDGE_NOTE, optional=True)
async def note(ctx: Context, text: str) -> Reply:
    assert ctx.pending is not None and ctx.services.sealer is not None
    nudge = await ctx.repos.nudges.get_for(int(ctx.pending.data.get("nudge") or 0), ctx.person_id)
    if nudge is None:
        return Reply("I couldn't find that practice to add the note to.")
    nudge.note = ctx.services.sealer.seal(text.strip()[:NOTE_LIMIT])
    ctx.repos.nudges.save(nudge)
    cut = f" (I kept the first {NOTE_LIMIT} characters.)" if len(text.strip()) > NOTE_LIMIT else ""
    return Reply(f"Thanks, your note is saved privately.{cut}")


@routes.action(
    ActionId.NUDGE_NOT_TODAY,
    words=(
        "not today",
        "skip",
        "skip it",
        "later",
        "no",
        "nope",
        "not now",
        "no thanks",
        "pass",
        "maybe tomorrow",
        "tomorrow",
    ),
)
async def not_today(ctx: Context) -> Reply:
    nudge = await answered(ctx)
    if nudge is not None:
        pass_on(ctx, nudge)
    return Reply("No problem. Not every day has room for it; there's always another time.")


@routes.action(
    ActionId.NUDGE_ANOTHER,
    words=(
        "another",
        "another one",
        "next",
        "next one",
        "something else",
        "a different one",
        "different one",
        "new one",
        "other",
        "give me another",
    ),
)
async def another(ctx: Context) -> Reply:
    nudge = await answered(ctx)
    if nudge is not None:
        pass_on(ctx, nudge)
    avoid = nudge.practice_id if nudge is not None else None
    return await offer(ctx, avoid=avoid, intro="How about this one")


def pass_on(ctx: Context, nudge: Nudge) -> None:
    """Record "not today" for a nudge not yet answered (an answered one keeps its answer)."""
    if nudge.state == NudgeState.SENT:
        nudge.state, nudge.answered_at = NudgeState.NOT_TODAY, ctx.now
        ctx.repos.nudges.save(nudge)


# What follows "did" in a question rather than a practice's name: a question mark, a subject ("did i …", "did you …",
# "did the nhs …"), or a sentence's length
ASKED_WITH_DID = re.compile(r"(?:.*\?\s*$|(?:i|we|you|u|they|he|she|it|anyone|someone|the nhs)\s|(?:\S+\s+){6})",
                            re.IGNORECASE)  # fmt: skip


@routes.command(
    # not "did my announcement go out?" nor "did the first one go out", an admin's question the announcements listing
    # answers (handlers.announce)
    r"(?:i )?did(?!\s.*\b(?:announcements?|broadcasts?|go out|get out|go through)\b)(?:\s+(?P<practice>.+?))?[.!]*",
    name="did",
    says=("did|done|tried|completed|practised|practiced {practice}",),
    runs="did {practice}",
    summary="Record a practice you did without a nudge",
    examples=("did listen-with-fascination", "did"),
    group=GROUP,
)
async def did(ctx: Context, match: re.Match[str]) -> Reply | list[Reply]:
    wanted = (match.group("practice") or "").strip()
    available = practices_for(ctx.services, ctx.person)
    chosen = find_practice(available, wanted)
    if chosen is None and ASKED_WITH_DID.match(wanted):
        # "did i do the right thing reporting my band 6?": a question, not a practice (it had been answered with the
        # list of practices), answered as any question is ("did anyone from my ward talk to you about … her name is jo"
        # had had advice on being bullied, never that nobody is named: walk K, 2026-12-08)
        return await answer_in_thread(ctx, ctx.incoming.text)
    if chosen is None:
        intro = f"I don't know a practice called “{wanted}”. " if wanted else ""
        return Reply(
            f"{intro}Which practice did you do?",
            buttons=tuple(Button(p.title, ActionId.NUDGE_LOG, {"practice": p.id}) for p in available),
        )
    return await log_practice(ctx, chosen)


@routes.action(ActionId.NUDGE_LOG)
async def log_button(ctx: Context) -> Reply:
    assert ctx.incoming.action is not None
    chosen = practice(ctx.services, str(ctx.incoming.action.value.get("practice", "")))
    if chosen is None or chosen not in practices_for(ctx.services, ctx.person):
        return Reply("I don't know that practice any more. “did” shows the list.")
    return await log_practice(ctx, chosen)


async def log_practice(ctx: Context, chosen: Practice) -> Reply:
    await ctx.repos.nudges.add(
        Nudge(
            person_id=ctx.person_id,
            practice_id=chosen.id,
            state=NudgeState.LOGGED,
            answered_at=ctx.now,
            created_at=ctx.now,
        )
    )
    return Reply(f"Recorded: {chosen.title}. Well done. “my progress” shows how you're getting on.")


@routes.command(
    r"nudges?\s+(?P<phrase>(?!off\b|stop\b).+)",
    name="nudge-schedule",
    says=("nudge|nudges|practice|practices {schedule}", "~{schedule}"),
    runs="nudges {schedule}",
    summary="Get nudges on a schedule",
    examples=("nudges weekly monday 9:00", "nudges daily 8:30", "nudges off"),
    group=GROUP,
)
async def schedule_nudges(ctx: Context, match: re.Match[str]) -> Reply | list[Reply]:
    try:
        spec = parse_schedule(match.group("phrase"), now=ctx.now, zone=ZoneInfo(ctx.person.timezone))
    except ScheduleError as error:
        if asks_rather_than_commands(ctx.incoming.text):
            return await answer_in_thread(ctx, ctx.incoming.text)  # "nudges from my manager feel like micromanaging, …"
        return await ask_when(ctx, ScheduleKind.NUDGE, match.group("phrase"), error)
    if isinstance(spec, TimeChoice):
        return await ask_time(ctx, ScheduleKind.NUDGE, spec)
    return await set_nudges(ctx, spec)


@applies(ScheduleKind.NUDGE)
async def set_nudges(ctx: Context, spec: ScheduleSpec) -> Reply:
    """Put the person's one nudge schedule on `spec` (unless it is on that already)."""
    existing = await nudge_schedule(ctx)
    if existing is not None and same_as([existing], spec, ctx.person.timezone, ctx.now) is not None:
        state = " (paused)" if existing.state == ScheduleState.PAUSED else ""
        return Reply(f"You already have those nudges: {existing.description}{state}; nothing new was set.")
    schedule = existing or Schedule(
        person_id=ctx.person_id, kind=ScheduleKind.NUDGE, rule="", description="", timezone="", created_at=ctx.now
    )
    days = chosen_days(spec.rule)
    set_schedule(schedule, spec, ctx.person.timezone, days, ctx.now)
    await ctx.repos.schedules.add(schedule)
    weekend = "" if any(day in days for day in WEEKEND) else " (never at weekends)"
    said = read_back(spec, ctx.now, ZoneInfo(ctx.person.timezone))
    return Reply(f"Done: a nudge {said}{weekend}. “stop nudges” stops them any time.")


def set_schedule(schedule: Schedule, spec: ScheduleSpec, timezone: str, chosen_days: list[str], now: datetime) -> None:
    """(Re)start the person's one nudge schedule on `spec`, remembering the days and time they chose."""
    schedule.rule, schedule.description, schedule.timezone = spec.rule, spec.description, timezone
    schedule.state = ScheduleState.ACTIVE
    schedule.data = {"chosen_days": chosen_days, "chosen_time": chosen_time(spec.rule)}
    schedule.next_run_at = next_after(spec.rule, ZoneInfo(timezone), now)


@routes.command(
    r"(?:stop|pause|cancel|no more) nudges?|nudges? (?:off|stop)|unsubscribe",
    name="stop-nudges",
    says=(
        "stop|pause|cancel|off|halt|end|disable|unsubscribe|mute|quit nudge|nudges|practice|practices",
        "~stop|cancel|off|delete|remove|clear all",
    ),
    summary="Stop scheduled nudges",
    examples=("stop nudges",),
    group=GROUP,
)
async def stop_nudges(ctx: Context, _match: re.Match[str]) -> Reply:
    schedule = await nudge_schedule(ctx)
    if schedule is None:
        return Reply("You have no scheduled nudges. “nudge” still gives you one whenever you ask.")
    schedule.state = ScheduleState.CANCELLED
    ctx.repos.schedules.save(schedule)
    return Reply("Done: no more scheduled nudges. “nudge” still gives you one whenever you ask.")


@routes.command(
    r"(?:my )?progress|my streak|how am i doing\??",
    name="progress",
    says=(
        "progress|streak|stats|statistics|record|history",
        "?how am i doing|getting on",
        "?what progress|streak|stats",
        "?how many practices|nudges done|did",
    ),
    summary="See the practices you've tried, your weekly streak and the behaviours covered",
    examples=("my progress",),
    group=GROUP,
    keeps_pending=True,
)
async def my_progress(ctx: Context, _match: re.Match[str]) -> Reply:
    return await progress_reply(ctx, await nudge_schedule(ctx))


@routes.on_schedule(ScheduleKind.NUDGE)
async def scheduled_nudge(repos: Repositories, services: Services, due: Occurrence, now: datetime) -> Draft | None:
    local = now.astimezone(ZoneInfo(due.schedule.timezone))
    data = due.schedule.data
    if quiet(local, chosen_time=data.get("chosen_time"), chosen_days=list(data.get("chosen_days", []))):
        return None  # a late or weekend nudge would intrude; wait for the next one
    chosen = await choose_practice(repos, services, due.person)
    nudge = Nudge(person_id=due.person.id or 0, schedule_id=due.schedule.id, practice_id=chosen.id, created_at=now)
    repos.nudges.save(nudge)  # numbered with the rest of the scheduler's batch
    return Draft(Reply(nudge_text(chosen)), nudge, nudge_buttons)


@routes.sweep
async def expire_unanswered(repos: Repositories, services: Services, now: datetime, batch: int) -> dict[str, int]:
    stale = await repos.nudges.open_before(now - ANSWER_WITHIN, batch)
    for nudge in stale:
        nudge.state = NudgeState.EXPIRED
        repos.nudges.save(nudge)
    return {"nudges_expired": len(stale)}
