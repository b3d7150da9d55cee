"""Offered choices: the buttons a person was last sent, kept until they expire or newer ones replace them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OfferedChoices


class ChoicesRepository:
    """Each person's latest offered choices; expired rows count as absent."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, person_id: int, now: datetime) -> dict[str, Any] | None:
        """The person's offered choices (as stored), or None if none or expired."""
        result = await self.session.exec(select(OfferedChoices).where(col(OfferedChoices.person_id) == person_id))
        row = result.first()
        return row.choices if row is not None and row.expires_at > now else None

    async def offer(self, person_id: int, choices: dict[str, Any], *, now: datetime, expires_at: datetime) -> None:
        """Keep `choices` as the person's offered choices, replacing what was there."""
        await self.clear(person_id)
        self.session.add(OfferedChoices(person_id=person_id, choices=choices, expires_at=expires_at, created_at=now))

    async def clear(self, person_id: int) -> None:
        await self.session.exec(delete(OfferedChoices).where(col(OfferedChoices.person_id) == person_id))

    async def delete_expired(self, now: datetime) -> int:
        """Remove choices that expired before `now`; returns how many."""
        result = await self.session.exec(delete(OfferedChoices).where(col(OfferedChoices.expires_at) <= now))
        return int(result.rowcount or 0)
