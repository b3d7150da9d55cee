"""The audit log: append-only records of actions an operator may need to answer for."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEntry


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        *,
        actor: str,
        action: str,
        now: datetime,
        target: str | None = None,
        outcome: str = "ok",
        detail: dict[str, Any] | None = None,
    ) -> AuditEntry:
        entry = AuditEntry(at=now, actor=actor, action=action, target=target, outcome=outcome, detail=detail or {})
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def record_many(self, entries: list[dict[str, Any]]) -> None:
        """Several entries in one statement (each: `at`, `actor`, `action`, and `target`, `outcome`, `detail` if
        not the defaults): a roster import audits every person it changes."""
        if entries:
            rows = [{"target": None, "outcome": "ok", "detail": {}, **entry} for entry in entries]
            await self.session.exec(insert(AuditEntry.__table__), params=rows)  # type: ignore[attr-defined]
