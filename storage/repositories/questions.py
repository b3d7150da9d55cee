"""Recent questions: the last question each person was answered, kept until it expires or a newer one replaces it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import RecentQuestion


class RecentQuestionRepository:
    """Each person's last question (sealed by the caller); expired rows count as absent."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, person_id: int, now: datetime) -> dict[str, Any] | None:
        """The person's last question (as stored), or None if none or expired."""
        result = await self.session.exec(select(RecentQuestion).where(col(RecentQuestion.person_id) == person_id))
        row = result.first()
        return row.question if row is not None and row.expires_at > now else None

    async def keep(self, person_id: int, question: dict[str, Any], *, now: datetime, expires_at: datetime) -> None:
        """Keep `question` as the person's last question, replacing what was there."""
        await self.clear(person_id)
        self.session.add(RecentQuestion(person_id=person_id, question=question, expires_at=expires_at, created_at=now))

    async def clear(self, person_id: int) -> None:
        await self.session.exec(delete(RecentQuestion).where(col(RecentQuestion.person_id) == person_id))

    async def delete_expired(self, now: datetime) -> int:
        """Remove questions that expired before `now`; returns how many."""
        result = await self.session.exec(delete(RecentQuestion).where(col(RecentQuestion.expires_at) <= now))
        return int(result.rowcount or 0)
