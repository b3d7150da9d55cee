"""The erasure list (keyed hashes of forgotten people's emails) and small named values kept between runs."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ErasedEmail, KeptValue
from storage.repositories.conflicts import insert_if_absent


class ErasureListRepository:
    """Reads and writes `erased_email` and `kept_value`; it never sees an email, only its hash."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def remember(self, email_hash: str, now: datetime) -> None:
        """Add a hash to the list (once: a second erasure of the same email changes nothing)."""
        await insert_if_absent(self.session, ErasedEmail, {"email_hash": email_hash, "erased_at": now}, ["email_hash"])

    async def among(self, hashes: list[str]) -> set[str]:
        """Which of `hashes` are on the list (one query)."""
        if not hashes:
            return set()
        result = await self.session.exec(
            select(ErasedEmail.email_hash).where(col(ErasedEmail.email_hash).in_(sorted(set(hashes))))
        )
        return set(result.all())

    async def forget(self, hashes: list[str]) -> int:
        """Take hashes off the list (an admin re-added those people); how many were on it."""
        if not hashes:
            return 0
        result = await self.session.exec(delete(ErasedEmail).where(col(ErasedEmail.email_hash).in_(hashes)))
        return int(result.rowcount or 0)

    async def kept(self, name: str) -> KeptValue | None:
        result = await self.session.exec(select(KeptValue).where(KeptValue.name == name))
        return result.first()

    async def keep_sealed_once(self, name: str, sealed: str, now: datetime) -> str:
        """Keep `sealed` under `name` unless a value is already kept there; the one kept (theirs if first)."""
        await insert_if_absent(self.session, KeptValue, {"name": name, "sealed": sealed, "updated_at": now}, ["name"])
        row = await self.kept(name)
        assert row is not None and row.sealed is not None
        return row.sealed

    async def keep(self, name: str, value: str, now: datetime) -> None:
        """Keep `value` (in the clear) under `name`, replacing what was there."""
        await insert_if_absent(self.session, KeptValue, {"name": name, "value": value, "updated_at": now}, ["name"])
        row = await self.kept(name)
        assert row is not None
        row.value, row.updated_at = value, now
        self.session.add(row)
        await self.session.flush()
