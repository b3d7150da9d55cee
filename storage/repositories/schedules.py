"""Schedules: create, list, change state, and take the due ones for the scheduler."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Schedule


class ScheduleRepository:
    def __init__(self, session: AsyncSession, *, due_for: int | None = None) -> None:
        self.session = session
        self.due_for = due_for  # `take_due` takes only this person's (see `Repositories`)

    async def add(self, schedule: Schedule) -> Schedule:
        self.session.add(schedule)
        await self.session.flush()
        return schedule

    async def for_person(
        self, person_id: int, kinds: Sequence[str] = ("checkin",), *, include_ended: bool = False
    ) -> list[Schedule]:
        """A person's schedules of the given kinds, oldest first (the order people number them by)."""
        query = select(Schedule).where(Schedule.person_id == person_id, col(Schedule.kind).in_(list(kinds)))
        if not include_ended:
            query = query.where(col(Schedule.state).in_(["active", "paused"]))
        result = await self.session.exec(query.order_by(col(Schedule.id)))
        return list(result.all())

    async def take_due(self, now: datetime, limit: int) -> list[Schedule]:
        """Due active schedules, locked for this transaction (others skip them on PostgreSQL).

        Served by `ix_schedule_due (state, next_run_at)`: the cost follows the
        number due, not the number stored.
        """
        query = select(Schedule).where(Schedule.state == "active", col(Schedule.next_run_at) <= now)
        if self.due_for is not None:
            query = query.where(Schedule.person_id == self.due_for)
        query = query.order_by(col(Schedule.next_run_at)).limit(limit).with_for_update(skip_locked=True)
        result = await self.session.exec(query)
        return list(result.all())

    def save(self, schedule: Schedule) -> None:
        self.session.add(schedule)
