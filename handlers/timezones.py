"""Time zones: a person's own zone, shown and changed in their own words; their schedules follow it.

What people say is read by `handlers.zones.find_zone` (“London”, “BST”, “UK time”, “IST”,
“UTC+1”, “londn”): a clear zone is set and read back with its offset and local time today; a
word with several meanings (IST) or a near miss is answered with a button for each zone, never
guessed. The command takes the ways people ask: “timezone london”, “tz bst”, “my timezone is
london”, “set my time zone to uk”, “change timezone to GMT”, “what time zone am i in”.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from handlers.context import Context
from handlers.messages import Button, Reply
from handlers.names import ActionId, ScheduleKind, ScheduleState
from handlers.recurrence import next_after
from handlers.router import Router
from handlers.zones import ZoneAnswer, choice_label, describe_zone, find_zone

routes = Router()
SAY = (
    "Say a city (“London”, “Manila”, “Lagos”), a country (“UK time”, “India”), an abbreviation (GMT, BST, CET, EST) "
    "or an IANA name such as Europe/London, for example “timezone London”."
)
_ASKING = r"(?:(?:please\s+)?(?:set|change|update|switch|put|make)\s+)?(?:my\s+)?(?:time[ -]?zone|tz)"
_QUESTION = (
    r"(?:what(?:'s|s| is)?|which)\s+(?:is\s+)?(?:my\s+)?(?:time[ -]?zone|tz)(?:\s+am\s+i(?:\s+(?:in|on|set\s+to))?)?"
)
TIMEZONE_PATTERN = (
    rf"{_QUESTION}\??|{_ASKING}(?:\s+(?:is|to|=|as|is\s+now|should\s+be))?(?:\s+(?P<zone>\S+(?:\s\S+){{0,4}}))?"
)


def local_time(at: datetime, zone: str) -> str:
    """`Fri 6 Mar, 16:00` in the given zone."""
    local = at.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


@routes.command(
    TIMEZONE_PATTERN,
    name="timezone",
    says=(
        "timezone|tz {zone}",
        "timezone|tz",
        "?what timezone|tz",
        "change|set|update|switch|move timezone|tz {zone}",
    ),
    runs="timezone {zone}",
    summary="See or set your time zone: a city, a country or an abbreviation",
    examples=("timezone London", "timezone BST", "what time zone am i in"),
    group="Check-ins",
)
async def timezone(ctx: Context, match: re.Match[str]) -> Reply:
    answer = find_zone(match.group("zone") or "")
    if answer is None:
        zone = ctx.person.timezone
        return Reply(f"Your time zone is {zone} ({describe_zone(zone, ctx.now)}). Change it with “timezone London”.")
    if answer.zone is None:
        return not_understood(answer)
    return await set_zone(ctx, answer.zone, note=answer.note)


@routes.action(ActionId.TIMEZONE_SET)
async def timezone_chosen(ctx: Context) -> Reply:
    assert ctx.incoming.action is not None
    zone = str(ctx.incoming.action.value.get("zone", ""))
    if zone not in available_timezones():  # only our own buttons carry a zone; anything else is refused
        return Reply(f"That is not a time zone I know. {SAY}")
    return await set_zone(ctx, zone)


def not_understood(answer: ZoneAnswer) -> Reply:
    """Choices to pick from (a word with several meanings, a near miss), or what is accepted."""
    offered = answer.choices or answer.suggestions
    buttons = tuple(Button(choice_label(zone), ActionId.TIMEZONE_SET, {"zone": zone}) for zone in offered)
    note = f" {answer.note}" if answer.note else ""
    if answer.choices and answer.note:
        return Reply(f"“{answer.said}”: {answer.note} Which is yours?", buttons=buttons)
    if answer.choices:
        return Reply(f"“{answer.said}” could mean more than one time zone. Which is yours?", buttons=buttons)
    if answer.suggestions:
        return Reply(f"“{answer.said}” is not a time zone I know.{note} Did you mean one of these?", buttons=buttons)
    return Reply(f"“{answer.said}” is not a time zone I know.{note} {SAY}")


async def set_zone(ctx: Context, zone: str, *, note: str = "") -> Reply:
    """Set the person's zone, move their schedules to it, and read it back with today's offset and time."""
    await ctx.repos.people.set_timezone(ctx.person, zone)
    moved = await move_schedules(ctx, zone)
    followed = f" Your {moved} schedule{'s now follow' if moved != 1 else ' now follows'} it." if moved else ""
    extra = f"\n{note}" if note else ""
    return Reply(f"Done: your time zone is now {zone} ({describe_zone(zone, ctx.now)}).{followed}{extra}")


async def move_schedules(ctx: Context, zone: str) -> int:
    """Put the person's schedules in `zone` (the same wall-clock times there); returns how many."""
    schedules = await ctx.repos.schedules.for_person(ctx.person_id, tuple(ScheduleKind))
    for schedule in schedules:
        schedule.timezone = zone
        if schedule.state == ScheduleState.ACTIVE:
            schedule.next_run_at = next_after(schedule.rule, ZoneInfo(zone), ctx.now)
        ctx.repos.schedules.save(schedule)
    return len(schedules)
