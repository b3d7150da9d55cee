"""Nudges: what each person was offered and did, for no-repeat choice, progress and streaks."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Nudge

TRIED = ("done", "logged")


class NudgeRepository:
    def __init__(self, session: AsyncSession, *, due_for: int | None = None) -> None:
        self.session = session
        self.due_for = due_for  # `open_before` finds this person's only (see `Repositories`)

    async def add(self, nudge: Nudge) -> Nudge:
        """Add a nudge and flush, so its id is known."""
        self.session.add(nudge)
        await self.session.flush()
        return nudge

    async def get_for(self, nudge_id: int, person_id: int) -> Nudge | None:
        nudge = await self.session.get(Nudge, nudge_id)
        return nudge if nudge is not None and nudge.person_id == person_id else None

    async def times_offered(self, person_id: int) -> Counter[str]:
        """How often each practice was offered to (or logged by) the person."""
        result = await self.session.exec(select(Nudge.practice_id).where(Nudge.person_id == person_id))
        return Counter(result.all())

    async def tried_since(self, person_id: int, since: datetime) -> list[Nudge]:
        """Practices the person did (from a nudge or logged) since `since`, most recent first."""
        result = await self.session.exec(
            select(Nudge)
            .where(Nudge.person_id == person_id, col(Nudge.state).in_(TRIED), col(Nudge.answered_at) >= since)
            .order_by(col(Nudge.answered_at).desc())
        )
        return list(result.all())

    async def open_before(self, before: datetime, limit: int) -> list[Nudge]:
        query = select(Nudge).where(Nudge.state == "sent", col(Nudge.created_at) <= before)
        if self.due_for is not None:
            query = query.where(Nudge.person_id == self.due_for)
        result = await self.session.exec(
            query.order_by(col(Nudge.created_at)).limit(limit).with_for_update(skip_locked=True)
        )
        return list(result.all())

    def save(self, nudge: Nudge) -> None:
        """Keep a changed (or new) nudge: written, and a new one numbered, at the next flush."""
        self.session.add(nudge)
