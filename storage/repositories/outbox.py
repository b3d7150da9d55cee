"""The outbox: enqueue with a dedupe key, claim by lease, record the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxMessage
from storage.repositories.leases import claim_rows


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(
        self,
        *,
        dedupe_key: str,
        purpose: str,
        person_id: int,
        platform: str,
        payload: dict[str, Any],
        due_at: datetime,
        now: datetime,
        lease: tuple[str, datetime] | None = None,
    ) -> int | None:
        """Queue one message; None if a message with this key was queued before.

        With `lease=(owner, until)` the row starts leased to `owner`, who means
        to send it at once; if they don't, it is taken over after `until`.
        """
        message = {
            "dedupe_key": dedupe_key,
            "purpose": purpose,
            "person_id": person_id,
            "platform": platform,
            "payload": payload,
            "due_at": due_at,
        }
        return (await self.enqueue_many([message], now=now, lease=lease)).get(dedupe_key[:200])

    async def enqueue_many(
        self, messages: list[dict[str, Any]], *, now: datetime, lease: tuple[str, datetime] | None = None
    ) -> dict[str, int]:
        """Queue many messages in one statement (keys: dedupe_key, purpose, person_id, platform,
        payload, due_at); those whose dedupe key was queued before are skipped.

        Returns dedupe key → id for the rows this call created. With `lease`, see `enqueue`.
        """
        if not messages:
            return {}
        dialect = self.session.bind.dialect.name if self.session.bind is not None else "sqlite"
        table = OutboxMessage.__table__  # type: ignore[attr-defined]
        insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
        held = {"state": "leased", "lease_owner": lease[0], "lease_until": lease[1]} if lease else {}
        rows = [
            {"state": "pending", "lease_owner": None, "lease_until": None, **m, "dedupe_key": m["dedupe_key"][:200],
             "attempts": 1 if lease else 0, "created_at": now, **held}
            for m in messages
        ]  # fmt: skip
        statement = insert.on_conflict_do_nothing(index_elements=["dedupe_key"])
        statement = statement.returning(table.c.dedupe_key, table.c.id)
        # executemany: one cached statement, sent as one multi-row INSERT (SQLAlchemy's "insertmanyvalues")
        connection = await self.session.connection()
        return {key: message_id for key, message_id in (await connection.execute(statement, rows)).all()}

    async def claim(
        self,
        *,
        now: datetime,
        lease: timedelta,
        owner: str,
        limit: int = 50,
        platform: str | None = None,
        person_id: int | None = None,
    ) -> list[OutboxMessage]:
        """Lease due rows (and rows whose lease ran out) to `owner`, oldest due first."""
        where = or_(
            and_(col(OutboxMessage.state) == "pending", col(OutboxMessage.due_at) <= now),
            and_(col(OutboxMessage.state) == "leased", col(OutboxMessage.lease_until) < now),
        )
        if platform is not None:
            where = and_(where, col(OutboxMessage.platform) == platform)
        if person_id is not None:
            where = and_(where, col(OutboxMessage.person_id) == person_id)
        rows = await claim_rows(
            self.session,
            OutboxMessage,
            where=where,
            order_by=(col(OutboxMessage.due_at), col(OutboxMessage.id)),
            limit=limit,
            values={
                "state": "leased",
                "lease_until": now + lease,
                "lease_owner": owner,
                "attempts": col(OutboxMessage.attempts) + 1,
            },
        )
        # RETURNING comes back in no particular order; send in the order things fell due.
        return sorted(rows, key=lambda row: (row.due_at, row.id or 0))

    async def mark_sent(self, message_id: int, *, now: datetime, platform_message_id: str | None = None) -> None:
        table = OutboxMessage.__table__  # type: ignore[attr-defined]
        await self.session.exec(
            update(table)
            .where(table.c.id == message_id)
            .values(state="sent", sent_at=now, lease_until=None, platform_message_id=platform_message_id)
        )

    async def mark_many_sent(self, sent: list[tuple[int, str | None]], *, now: datetime) -> None:
        """`mark_sent` for many (id, platform message id) pairs in one round trip."""
        if not sent:
            return
        table = OutboxMessage.__table__  # type: ignore[attr-defined]
        statement = (
            update(table)
            .where(table.c.id == bindparam("message_id"))
            .values(state="sent", sent_at=now, lease_until=None, platform_message_id=bindparam("platform_id"))
        )
        connection = await self.session.connection()
        await connection.execute(statement, [{"message_id": m, "platform_id": p} for m, p in sent])

    async def mark_failed(self, message_id: int, *, error: str) -> None:
        """Give up on a message for good, keeping the reason (never a silent drop)."""
        table = OutboxMessage.__table__  # type: ignore[attr-defined]
        await self.session.exec(
            update(table)
            .where(table.c.id == message_id)
            .values(state="failed", lease_until=None, last_error=error[:500])
        )

    async def retry_later(self, message_id: int, *, due_at: datetime, error: str) -> None:
        table = OutboxMessage.__table__  # type: ignore[attr-defined]
        await self.session.exec(
            update(table)
            .where(table.c.id == message_id)
            .values(state="pending", lease_until=None, lease_owner=None, due_at=due_at, last_error=error[:500])
        )

    async def release(self, message_ids: Sequence[int]) -> None:
        """Hand leased rows back untouched (on shutdown), so another sender takes them at once."""
        if not message_ids:
            return
        table = OutboxMessage.__table__  # type: ignore[attr-defined]
        await self.session.exec(
            update(table)
            .where(table.c.id.in_(list(message_ids)), table.c.state == "leased")
            .values(state="pending", lease_until=None, lease_owner=None, attempts=table.c.attempts - 1)
        )

    async def counts_by_state(self) -> dict[str, int]:
        result = await self.session.exec(select(OutboxMessage.state, func.count()).group_by(col(OutboxMessage.state)))
        return {state: int(count) for state, count in result.all()}
