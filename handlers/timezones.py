"""Time zones: a person's own zone, shown and changed; their schedules follow it."""

from __future__ import annotations

import difflib
import re
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from handlers.context import Context
from handlers.messages import Reply
from handlers.names import ScheduleKind, ScheduleState
from handlers.recurrence import next_after
from handlers.router import Router

routes = Router()


@cache
def _zones() -> dict[str, str]:
    return {zone.lower(): zone for zone in available_timezones()}


def find_zone(text: str) -> str | None:
    """The IANA name for `text` (any case), or None."""
    name = _zones().get(text.strip().lower().replace(" ", "_"))
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except ZoneInfoNotFoundError:  # pragma: no cover - listed zones load
        return None
    return name


def zone_hint(text: str) -> str:
    close = difflib.get_close_matches(text.strip().lower().replace(" ", "_"), list(_zones()), n=3, cutoff=0.6)
    suggestions = ", ".join(_zones()[c] for c in close)
    hint = f" Did you mean {suggestions}?" if suggestions else ""
    return (
        f"“{text}” is not a time zone I know.{hint} Use an IANA name such as Europe/London, "
        "Europe/Dublin or Asia/Kolkata, for example “timezone Europe/London”."
    )


def local_time(at: datetime, zone: str) -> str:
    """`Fri 6 Mar, 16:00` in the given zone."""
    local = at.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


@routes.command(
    r"(?:time ?zone|tz)(?:\s+(?:is|to|=))?(?:\s+(?P<zone>\S+))?",
    name="timezone",
    says=(
        "timezone|tz {zone}",
        "timezone|tz",
        "?what timezone|tz",
        "change|set|update|switch|move timezone|tz {zone}",
    ),
    runs="timezone {zone}",
    summary="See or set your time zone",
    examples=("timezone Europe/London",),
    group="Check-ins",
)
async def timezone(ctx: Context, match: re.Match[str]) -> Reply:
    wanted = match.group("zone")
    if not wanted:
        return Reply(f"Your time zone is {ctx.person.timezone}. Change it with “timezone Europe/London”.")
    zone = find_zone(wanted)
    if zone is None:
        return Reply(zone_hint(wanted))
    await ctx.repos.people.set_timezone(ctx.person, zone)
    moved = await move_schedules(ctx, zone)
    followed = f" Your {moved} schedule(s) now follow it." if moved else ""
    return Reply(f"Done: your time zone is now {zone}.{followed}")


async def move_schedules(ctx: Context, zone: str) -> int:
    """Put the person's schedules in `zone` (the same wall-clock times there); returns how many."""
    schedules = await ctx.repos.schedules.for_person(ctx.person_id, tuple(ScheduleKind))
    for schedule in schedules:
        schedule.timezone = zone
        if schedule.state == ScheduleState.ACTIVE:
            schedule.next_run_at = next_after(schedule.rule, ZoneInfo(zone), ctx.now)
        ctx.repos.schedules.save(schedule)
    return len(schedules)
