"""The inbox of platform events: record before ack, finish exactly once, recover after a crash."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import InboxEvent
from storage.repositories.leases import claim_rows


class InboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self, *, platform: str, event_id: str, payload: dict[str, Any], now: datetime, lease: timedelta
    ) -> int | None:
        """Write an inbound event held by the receiver for `lease`.

        Returns its id, or None when this platform already sent that event id
        (a retry): acknowledge it and do nothing more.
        """
        return (await self.record_many([(platform, event_id, payload)], now=now, lease=lease))[0]

    async def record_many(
        self, events: list[tuple[str, str, dict[str, Any]]], *, now: datetime, lease: timedelta
    ) -> list[int | None]:
        """`record` for many (platform, event_id, payload) at once, in one statement.

        Returns an id per event, None for one already recorded (or repeated earlier in `events`).
        """
        if not events:
            return []
        dialect = self.session.bind.dialect.name if self.session.bind is not None else "sqlite"
        table = InboxEvent.__table__  # type: ignore[attr-defined]
        insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
        unique = {(platform, event_id[:200]): payload for platform, event_id, payload in reversed(events)}
        rows = [
            {"platform": platform, "event_id": event_id, "payload": payload, "state": "pending",
             "lease_until": now + lease, "attempts": 1, "received_at": now}
            for (platform, event_id), payload in unique.items()
        ]  # fmt: skip
        statement = insert.on_conflict_do_nothing(index_elements=["platform", "event_id"]).returning(
            table.c.id, table.c.platform, table.c.event_id
        )
        # executemany: one cached statement, sent as one multi-row INSERT (SQLAlchemy's "insertmanyvalues")
        connection = await self.session.connection()
        created = {(row.platform, row.event_id): row.id for row in (await connection.execute(statement, rows)).all()}
        ids: list[int | None] = []
        for platform, event_id, _ in events:
            ids.append(created.pop((platform, event_id[:200]), None))  # a repeat in the batch gets None
        return ids

    async def finish(self, inbox_id: int, now: datetime) -> bool:
        """Mark the event done; False if someone else already finished it.

        Call this first in the transaction that holds the handler's effects:
        the row lock it takes makes a concurrent finisher wait, then lose.
        """
        return inbox_id in await self.finish_many([inbox_id], now)

    async def finish_many(self, inbox_ids: list[int], now: datetime) -> set[int]:
        """`finish` for many events in one statement; returns the ids this call finished.

        A finished event's payload is dropped in the same statement: once handled, nothing of what
        the person sent stays in the inbox (its id stays, so a platform retry is still recognised).
        """
        if not inbox_ids:
            return set()
        table = InboxEvent.__table__  # type: ignore[attr-defined]
        result = await self.session.exec(  # a table (Core) update: no ORM session synchronisation to pay for
            update(table)
            .where(table.c.id.in_(inbox_ids), table.c.state == "pending")
            .values(state="done", finished_at=now, lease_until=None, payload={})  # what people typed goes
            .returning(table.c.id)
        )
        return set(result.scalars().all())

    async def fail(self, inbox_id: int, error: str, now: datetime) -> None:
        table = InboxEvent.__table__  # type: ignore[attr-defined]
        await self.session.exec(
            update(table)
            .where(table.c.id == inbox_id)
            .values(state="failed", last_error=error[:500], finished_at=now, lease_until=None)
        )

    async def claim_unfinished(
        self, *, now: datetime, lease: timedelta, limit: int = 50, platform: str | None = None
    ) -> list[InboxEvent]:
        """Take over events whose receiver stopped before finishing them."""
        where = and_(
            col(InboxEvent.state) == "pending",
            or_(col(InboxEvent.lease_until).is_(None), col(InboxEvent.lease_until) < now),
        )
        if platform is not None:
            where = and_(where, col(InboxEvent.platform) == platform)
        return await claim_rows(
            self.session,
            InboxEvent,
            where=where,
            order_by=(col(InboxEvent.id),),
            limit=limit,
            values={"lease_until": now + lease, "attempts": col(InboxEvent.attempts) + 1},
        )
