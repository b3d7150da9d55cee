"""One expiring JSON value per person (their offered buttons, their last question): read, replace, clear, sweep."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlmodel import SQLModel, col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

Row = TypeVar("Row", bound=SQLModel)


class PerPersonValue(Generic[Row]):
    """Rows of `model` (one per person: `person_id` unique, `expires_at`, the value in `field`); expired rows count
    as absent until `delete_expired` sweeps them."""

    model: type[Row]
    field: str

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, person_id: int, now: datetime) -> dict[str, Any] | None:
        """The person's value (as stored), or None if none or expired."""
        result = await self.session.exec(select(self.model).where(col(self.model.person_id) == person_id))  # type: ignore[attr-defined]
        row = result.first()
        if row is None or row.expires_at <= now:  # type: ignore[attr-defined]
            return None
        value: dict[str, Any] = getattr(row, self.field)
        return value

    async def keep(self, person_id: int, value: dict[str, Any], *, now: datetime, expires_at: datetime) -> None:
        """Keep `value` as the person's, replacing what was there."""
        await self.clear(person_id)
        self.session.add(self.model(person_id=person_id, expires_at=expires_at, created_at=now, **{self.field: value}))

    async def clear(self, person_id: int) -> None:
        await self.session.exec(delete(self.model).where(col(self.model.person_id) == person_id))  # type: ignore[attr-defined]

    async def delete_expired(self, now: datetime) -> int:
        """Remove values that expired before `now`; returns how many."""
        result = await self.session.exec(delete(self.model).where(col(self.model.expires_at) <= now))  # type: ignore[attr-defined]
        return int(result.rowcount or 0)
