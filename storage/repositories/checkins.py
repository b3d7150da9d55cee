"""Check-ins and reflections. Reflections are only ever read by their author's id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import CheckIn, Reflection

OPEN_STATES = ("sent", "snoozed")


class CheckInRepository:
    def __init__(self, session: AsyncSession, *, due_for: int | None = None) -> None:
        self.session = session
        self.due_for = due_for  # reminders and expiries of this person's only (see `Repositories`)

    async def add(self, checkin: CheckIn) -> CheckIn:
        """Add a check-in and flush, so its id is known."""
        self.session.add(checkin)
        await self.session.flush()
        return checkin

    async def get_for(self, checkin_id: int, person_id: int) -> CheckIn | None:
        """The check-in if it belongs to `person_id` (a button from someone else's message finds nothing)."""
        checkin = await self.session.get(CheckIn, checkin_id)
        if checkin is None or checkin.person_id != person_id:
            return None
        return checkin

    async def needing_reminder(self, now: datetime, limit: int) -> list[CheckIn]:
        return await self._open_until(col(CheckIn.remind_at), now, limit)

    async def past_expiry(self, now: datetime, limit: int) -> list[CheckIn]:
        return await self._open_until(col(CheckIn.expires_at), now, limit)

    async def _open_until(self, moment: Any, now: datetime, limit: int) -> list[CheckIn]:
        """Open check-ins whose `moment` (reminder or expiry time) has come, locked for this sweep."""
        query = select(CheckIn).where(col(CheckIn.state).in_(OPEN_STATES), moment <= now)
        if self.due_for is not None:
            query = query.where(CheckIn.person_id == self.due_for)
        result = await self.session.exec(query.order_by(moment).limit(limit).with_for_update(skip_locked=True))
        return list(result.all())

    async def latest_open(self, person_id: int, now: datetime) -> CheckIn | None:
        """The person's most recent check-in still waiting for a reflection (sent or snoozed, not expired)."""
        result = await self.session.exec(
            select(CheckIn)
            .where(
                CheckIn.person_id == person_id,
                col(CheckIn.state).in_(OPEN_STATES),
                or_(col(CheckIn.expires_at).is_(None), col(CheckIn.expires_at) > now),
            )
            .order_by(col(CheckIn.created_at).desc(), col(CheckIn.id).desc())
            .limit(1)
        )
        return result.first()

    async def recent_prompt_ids(self, person_id: int, limit: int) -> list[str]:
        """The questions of the person's latest `limit` check-ins, newest first (for a rotation without repeats).

        Check-ins added in this session but not flushed yet count, newest first: the scheduler flushes its
        whole batch at once (one round trip), and two of one person's schedules may fall due in one batch.
        """
        waiting = [c for c in self.session.new if isinstance(c, CheckIn) and c.person_id == person_id]
        with self.session.no_autoflush:
            result = await self.session.exec(
                select(CheckIn.prompt_id)
                .where(CheckIn.person_id == person_id)
                .order_by(col(CheckIn.created_at).desc(), col(CheckIn.id).desc())
                .limit(limit)
            )
            stored = list(result.all())
        return ([c.prompt_id for c in reversed(waiting)] + stored)[:limit]

    def save(self, checkin: CheckIn) -> None:
        """Keep a changed (or new) check-in: written, and a new one numbered, at the next flush."""
        self.session.add(checkin)


class ReflectionRepository:
    """Reflections by author. There is deliberately no way to list anyone else's."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, reflection: Reflection) -> Reflection:
        self.session.add(reflection)
        await self.session.flush()
        return reflection

    async def recent_by_author(self, author_id: int, limit: int = 5) -> list[Reflection]:
        result = await self.session.exec(
            select(Reflection)
            .where(Reflection.person_id == author_id)
            .order_by(col(Reflection.created_at).desc(), col(Reflection.id).desc())
            .limit(limit)
        )
        return list(result.all())
