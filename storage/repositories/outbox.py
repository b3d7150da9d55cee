"""The outbox: enqueue with a dedupe key, claim by lease, record the outcome.

Every change after a claim (sent, failed, retry later, release) names the owner
of the lease and changes only rows still leased to that owner: a sender whose
lease ran out, and whose row another sender took over, changes nothing and is
told so (the methods return whether, or which, rows changed).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, case, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxMessage
from storage.repositories.leases import claim_rows

MARK_MANY_CHUNK = 500  # ids per statement when mark_many_sent looks up which rows it marked
DROPPED_ONCE_SENT = ("reply",)  # purposes whose payload is dropped once sent (see `_spent_payload`)


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
        reference: str | None = None,
    ) -> int | None:
        """Queue one message; None if a message with this key was queued before.

        `reference` names what the message belongs to (e.g. "checkin:123"), for reports and recalls.

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
            "reference": reference,
        }
        return (await self.enqueue_many([message], now=now, lease=lease)).get(dedupe_key[:200])

    async def enqueue_many(
        self, messages: list[dict[str, Any]], *, now: datetime, lease: tuple[str, datetime] | None = None
    ) -> dict[str, int]:
        """Queue many messages in one statement (keys: dedupe_key, purpose, person_id, platform,
        payload, due_at, and optionally reference); those whose dedupe key was queued before are skipped.

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
             "reference": m["reference"][:100] if m.get("reference") else None, "attempts": 1 if lease else 0,
             "created_at": now, **held}
            for m in messages
        ]  # fmt: skip
        statement = insert.on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(
            table.c.dedupe_key, table.c.id
        )
        # executemany: one cached statement, sent as one multi-row INSERT (SQLAlchemy's "insertmanyvalues")
        connection = await self.session.connection()
        created: list[tuple[str, int]] = [(row[0], row[1]) for row in (await connection.execute(statement, rows)).all()]
        return dict(created)

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

    def _spent_payload(self) -> ColumnElement[Any]:
        """A sent message's payload from now on: a turn's reply (purpose "reply") is dropped once sent, since
        it may echo what the person wrote or show they were given support; other messages keep theirs."""
        table = OutboxMessage.__table__  # type: ignore[attr-defined]
        dropped = bindparam(None, {}, type_=table.c.payload.type)
        dropping = or_(*(table.c.purpose == purpose for purpose in DROPPED_ONCE_SENT))  # no IN: executemany
        return case((dropping, dropped), else_=table.c.payload)

    def _held(self, owner: str) -> ColumnElement[bool]:
        """Still ours: leased, to `owner` (a sender whose lease ran out and was taken over matches nothing)."""
        table = OutboxMessage.__table__  # type: ignore[attr-defined]
        return and_(table.c.state == "leased", table.c.lease_owner == owner)

    async def _change(self, message_ids: Sequence[int], owner: str, **values: Any) -> set[int]:
        """Set `values` on those of the rows that `owner` still holds; returns their ids."""
        if not message_ids:
            return set()
        table = OutboxMessage.__table__  # type: ignore[attr-defined]
        statement = (
            update(table)
            .where(table.c.id.in_(list(message_ids)), self._held(owner))
            .values(**values)
            .returning(table.c.id)
        )
        connection = await self.session.connection()
        return set((await connection.execute(statement)).scalars().all())

    async def mark_sent(
        self, message_id: int, *, owner: str, now: datetime, platform_ref: dict[str, Any] | None = None
    ) -> bool:
        """Record that the platform accepted the message (with its reference to it); False if `owner`
        no longer holds the row (its lease ran out and another sender took it over)."""
        sent = {"state": "sent", "sent_at": now, "lease_until": None, "platform_ref": platform_ref}
        return bool(await self._change([message_id], owner, **sent, payload=self._spent_payload()))

    async def mark_many_sent(
        self, sent: Sequence[tuple[int, dict[str, Any] | None]], *, owner: str, now: datetime
    ) -> set[int]:
        """`mark_sent` for many (id, platform reference) pairs: one statement run for each (executemany, one
        compiled statement for any count), then the ids marked (found again only if some were not)."""
        if not sent:
            return set()
        table = OutboxMessage.__table__  # type: ignore[attr-defined]
        statement = (
            update(table)
            .where(table.c.id == bindparam("m_id"), self._held(owner))
            .values(
                state="sent",
                sent_at=now,
                lease_until=None,
                platform_ref=bindparam("m_ref", type_=table.c.platform_ref.type),
                payload=self._spent_payload(),
            )
        )
        connection = await self.session.connection()
        result = await connection.execute(statement, [{"m_id": m, "m_ref": ref} for m, ref in sent])
        ids = {m for m, _ in sent}
        if connection.dialect.supports_sane_multi_rowcount and result.rowcount == len(ids):
            return ids
        marked: set[int] = set()  # some were taken over by another sender (or the driver does not count)
        ordered = sorted(ids)
        for start in range(0, len(ordered), MARK_MANY_CHUNK):
            found = await connection.execute(
                select(table.c.id).where(
                    table.c.id.in_(ordered[start : start + MARK_MANY_CHUNK]),
                    table.c.state == "sent",
                    table.c.lease_owner == owner,
                    table.c.sent_at == now,
                )
            )
            marked |= set(found.scalars().all())
        return marked

    async def mark_failed(self, message_id: int, *, owner: str, error: str) -> bool:
        """Give up on a message for good, keeping the reason (never a silent drop); False if `owner`
        no longer holds the row."""
        return bool(await self._change([message_id], owner, state="failed", lease_until=None, last_error=error[:500]))

    async def retry_later(self, message_id: int, *, owner: str, due_at: datetime, error: str) -> bool:
        """Put the message back in the queue, due at `due_at`; False if `owner` no longer holds the row."""
        retry = {"state": "pending", "lease_until": None, "lease_owner": None, "due_at": due_at}
        return bool(await self._change([message_id], owner, **retry, last_error=error[:500]))

    async def release(self, message_ids: Sequence[int], *, owner: str) -> set[int]:
        """Hand leased rows back untouched (on shutdown), so another sender takes them at once; the ids
        released (rows another sender has taken over since are theirs and left alone)."""
        table = OutboxMessage.__table__  # type: ignore[attr-defined]
        back = {"state": "pending", "lease_until": None, "lease_owner": None, "attempts": table.c.attempts - 1}
        return await self._change(message_ids, owner, **back)

    async def for_reference(self, purpose: str, reference: str) -> list[OutboxMessage]:
        """Every message queued for `reference` (e.g. "announcement:7") under `purpose`, in the order
        queued: what a report counts and a recall updates or deletes (sent ones carry `platform_ref`)."""
        result = await self.session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.purpose == purpose, OutboxMessage.reference == reference[:100])
            .order_by(col(OutboxMessage.id))
        )
        return list(result.all())

    async def counts_by_state(self) -> dict[str, int]:
        result = await self.session.exec(select(OutboxMessage.state, func.count()).group_by(col(OutboxMessage.state)))
        return {state: int(count) for state, count in result.all()}
