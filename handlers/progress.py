"""`my progress`: practices tried this week and month, the weekly streak and behaviours covered.

Weeks start on Monday and months on the 1st, in the person's own time zone, so a
practice done at 23:30 on Sunday in London counts for that Sunday's week.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from handlers.context import Context
from handlers.messages import Button, Reply
from handlers.names import ActionId, ScheduleState
from handlers.timezones import local_time
from storage.models import Schedule

BEHAVIOURS = ("attending", "understanding", "empathising", "helping")
HISTORY = timedelta(days=3 * 366)


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_streak(days_done: set[date], today: date) -> int:
    """Weeks in a row with at least one practice, counting back from this week (or last week,
    while this one has none yet: a week in progress doesn't break a streak)."""
    weeks = {week_of(day) for day in days_done}
    current = week_of(today)
    if current not in weeks:
        current -= timedelta(weeks=1)
    streak = 0
    while current in weeks:
        streak += 1
        current -= timedelta(weeks=1)
    return streak


async def progress_reply(ctx: Context, schedule: Schedule | None) -> Reply:
    zone = ZoneInfo(ctx.person.timezone)
    local_now = ctx.now.astimezone(zone)
    tried = await ctx.repos.nudges.tried_since(ctx.person_id, ctx.now - HISTORY)
    local_days = [(n.answered_at or n.created_at).astimezone(zone).date() for n in tried]
    today = local_now.date()
    this_week = sum(1 for day in local_days if day >= week_of(today))
    this_month = sum(1 for day in local_days if day >= today.replace(day=1))
    streak = weekly_streak(set(local_days), today)
    by_id = {p.id: p for p in ctx.services.practices}
    covered = {
        by_id[n.practice_id].behaviour
        for n, day in zip(tried, local_days, strict=True)
        if day >= today.replace(day=1) and n.practice_id in by_id
    }
    lines = [
        "Your compassionate-leadership practice:",
        f"• This week: {this_week} tried · this month: {this_month}",
        f"• Weekly streak: {streak} week{'s' if streak != 1 else ''} in a row"
        + (" — keep it going!" if streak > 1 else ""),
        "• Behaviours this month: " + ", ".join(f"{b} {'✓' if b in covered else '·'}" for b in BEHAVIOURS),
        "• Next nudge: " + _next_nudge(schedule),
    ]
    return Reply("\n".join(lines), buttons=(Button("Nudge me now", ActionId.NUDGE_NOW, {}),))


def _next_nudge(schedule: Schedule | None) -> str:
    if schedule is None or schedule.state != ScheduleState.ACTIVE or schedule.next_run_at is None:
        return "none scheduled (“nudges weekly monday 9:00” sets one up)"
    return f"{local_time(schedule.next_run_at, schedule.timezone)} ({schedule.description})"
