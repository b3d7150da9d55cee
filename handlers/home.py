"""The home summary (Slack's App Home tab): next check-in, nudge streak and quick buttons."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from handlers.context import Context
from handlers.messages import Button, Reply
from handlers.names import ActionId, ScheduleKind, ScheduleState
from handlers.progress import HISTORY, weekly_streak
from handlers.router import Router
from handlers.timezones import local_time

routes = Router()


@routes.action(ActionId.HOME_OPEN, keeps_pending=True)
async def home(ctx: Context) -> Reply:
    streak, this_week = await practice_streak(ctx)
    return Reply(
        "Welcome to LeadWell, your leadership companion.\n\n"
        f"Next check-in: {await next_checkin(ctx)}\n"
        f"Practice streak: {streak} week{'s' if streak != 1 else ''} in a row ({this_week} in the last 7 days)\n\n"
        "Ask me anything about the NHS Management and Leadership Framework in the Messages tab.",
        buttons=(
            Button("Ask a question", ActionId.HOME_ASK, {}),
            Button("Check in now", ActionId.CHECKIN_NOW, {}, style="primary"),
            Button("Nudge me", ActionId.NUDGE_NOW, {}),
        ),
    )


async def next_checkin(ctx: Context) -> str:
    """When the person's next check-in is, and which one."""
    schedules = await ctx.repos.schedules.for_person(ctx.person_id, (ScheduleKind.CHECKIN,))
    upcoming = [(s, s.next_run_at) for s in schedules if s.state == ScheduleState.ACTIVE and s.next_run_at]
    if not upcoming:
        return "none yet (try “checkin every friday at 16:00”)"
    schedule, at = min(upcoming, key=lambda found: found[1])  # the first set up, of two at one time
    return f"{local_time(at, schedule.timezone)} ({schedule.description})"


async def practice_streak(ctx: Context) -> tuple[int, int]:
    """(weeks in a row with a practice, days with one in the last 7), counted in the person's own zone."""
    zone = ZoneInfo(ctx.person.timezone)
    tried = await ctx.repos.nudges.tried_since(ctx.person_id, ctx.now - HISTORY)
    days = {(n.answered_at or n.created_at).astimezone(zone).date() for n in tried}
    today = ctx.now.astimezone(zone).date()
    return weekly_streak(days, today), sum(1 for d in days if d > today - timedelta(days=7))


@routes.action(ActionId.HOME_ASK)
async def ask_prompt(ctx: Context) -> Reply:
    return Reply(
        "What would you like to know? Type your question, for example “what is the code of practice?” "
        "or “what does compassionate leadership mean?”. “topics” lists what I know."
    )
