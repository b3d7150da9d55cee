"""Pending interactions: at most one open per person, each with an expiry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import PendingInteraction


class PendingRepository:
    """What the bot waits for from each person; expired rows count as absent."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, person_id: int, now: datetime) -> PendingInteraction | None:
        """The person's open interaction, or None if there is none or it has expired."""
        return (await self.current_many([person_id], now)).get(person_id)

    async def current_many(self, person_ids: list[int], now: datetime) -> dict[int, PendingInteraction]:
        """`current` for many people in one query: person id → open interaction (absent if none)."""
        if not person_ids:
            return {}
        result = await self.session.exec(
            select(PendingInteraction).where(col(PendingInteraction.person_id).in_(person_ids))
        )
        return {row.person_id: row for row in result.all() if row.expires_at > now}

    async def open(
        self, person_id: int, kind: str, data: dict[str, Any], *, now: datetime, expires_at: datetime
    ) -> PendingInteraction:
        """Open a new interaction, replacing whatever the person had open."""
        await self.clear(person_id)
        row = PendingInteraction(person_id=person_id, kind=kind, data=data, expires_at=expires_at, created_at=now)
        self.session.add(row)
        await self.session.flush()
        return row

    async def clear(self, person_id: int) -> None:
        await self.session.exec(delete(PendingInteraction).where(col(PendingInteraction.person_id) == person_id))

    async def delete_expired(self, now: datetime) -> int:
        """Remove interactions that expired before `now`; returns how many."""
        result = await self.session.exec(delete(PendingInteraction).where(col(PendingInteraction.expires_at) <= now))
        return int(result.rowcount or 0)
