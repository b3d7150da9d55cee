"""One person's whole record: gathered for an export, erased on request, and single-use export links.

Everything here is keyed by the person's id; nothing reads or removes another person's rows.
Inbox rows carry no person id (they are keyed by the platform's event id), so erasure is given a
test for the payloads still kept (failed events; a handled event's payload is dropped at once).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import SQLModel, col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    AuditEntry,
    CheckIn,
    ConversationAddress,
    ExportToken,
    InboxEvent,
    Nudge,
    OfferedChoices,
    OutboxMessage,
    PendingInteraction,
    Person,
    RecentQuestion,
    Reflection,
    Schedule,
)

# Tables holding rows of one person (by `person_id`), in the order they are erased (children first).
PERSONAL_TABLES: tuple[type[SQLModel], ...] = (
    Reflection,
    Nudge,
    CheckIn,
    Schedule,
    PendingInteraction,
    OfferedChoices,
    RecentQuestion,
    OutboxMessage,
    ConversationAddress,
    ExportToken,
)
InboxTest = Callable[[dict[str, Any]], bool]


async def rows_of(session: AsyncSession, model: type[SQLModel], person_id: int) -> list[Any]:
    """Every row of `model` that belongs to the person, oldest first."""
    person_column = col(model.person_id)  # type: ignore[attr-defined]
    result = await session.exec(select(model).where(person_column == person_id).order_by(col(model.id)))  # type: ignore[attr-defined]
    return list(result.all())


async def audit_of(session: AsyncSession, identity: str | None) -> list[AuditEntry]:
    """Audit entries where the person was the one acting."""
    if not identity:
        return []
    result = await session.exec(select(AuditEntry).where(AuditEntry.actor == identity).order_by(col(AuditEntry.id)))
    return list(result.all())


async def find_person(session: AsyncSession, who: str) -> Person | None:
    """A person by identity (`slack:T…:U…`) or, failing that, by email."""
    result = await session.exec(select(Person).where(Person.identity == who))
    person = result.first()
    if person is None and "@" in who:
        by_email = await session.exec(
            select(Person).where(Person.email == who.strip().lower()).order_by(col(Person.id))
        )
        person = by_email.first()
    return person


async def erase_person(
    session: AsyncSession,
    person: Person,
    *,
    reference: str,
    inbox_mentions: InboxTest | None = None,
    keep_stub: bool = False,
) -> dict[str, int]:
    """Delete everything of `person`; returns how many rows went from each table.

    Audit entries naming their identity (or, as their target, their email) keep the action but name
    `reference` instead (a non-reversible reference) so the trail of what was done stays and says
    nothing about who.
    Failed inbox events still holding a payload are removed when `inbox_mentions` says the payload
    is theirs. With `keep_stub` the person row stays, emptied of everything that identifies them
    (the turn that erased them still has a reply to queue, which needs a row to belong to); such
    stubs are removed by `remove_stubs` once nothing is queued for them.
    """
    assert person.id is not None
    counts: dict[str, int] = {}
    for model in PERSONAL_TABLES:
        person_column = col(model.person_id)  # type: ignore[attr-defined]
        result = await session.exec(delete(model).where(person_column == person.id))
        counts[str(model.__tablename__)] = int(result.rowcount or 0)
    counts["inbox_event"] = await _erase_inbox(session, inbox_mentions) if inbox_mentions is not None else 0
    if person.identity:
        renamed = await session.exec(
            update(AuditEntry)
            .where(or_(col(AuditEntry.actor) == person.identity, col(AuditEntry.target) == person.identity))
            .values(actor=reference, target=None)
        )
        counts["audit_log (identity replaced)"] = int(renamed.rowcount or 0)
    if person.email:  # entries that named a roster row (or a role set) by email
        by_email = await session.exec(
            update(AuditEntry).where(col(AuditEntry.target) == person.email).values(target=reference)
        )
        counts["audit_log (email replaced)"] = int(by_email.rowcount or 0)
    if keep_stub:
        for key in ("identity", "email", "name", "organisation", "region", "last_seen_at"):
            setattr(person, key, None)
        person.role = "staff"
        session.add(person)
        await session.flush()
        counts["person"] = 0
    else:
        await session.exec(delete(Person).where(col(Person.id) == person.id))
        counts["person"] = 1
    return counts


async def _erase_inbox(session: AsyncSession, mentions: InboxTest) -> int:
    """Failed events whose kept payload is the person's (handled ones keep no payload)."""
    result = await session.exec(select(InboxEvent).where(InboxEvent.state == "failed"))
    gone = [row.id for row in result.all() if row.payload and mentions(row.payload)]
    if gone:
        await session.exec(delete(InboxEvent).where(col(InboxEvent.id).in_(gone)))
    return len(gone)


async def remove_stubs(session: AsyncSession, limit: int) -> int:
    """Remove emptied person rows (see `erase_person`) with nothing left to send; their sent replies go too."""
    stub = select(Person.id).where(col(Person.identity).is_(None), col(Person.email).is_(None))
    waiting = select(OutboxMessage.person_id).where(col(OutboxMessage.state).in_(["pending", "leased"]))
    result = await session.exec(stub.where(col(Person.id).not_in(waiting)).limit(limit))
    ids = list(result.all())
    if ids:
        await session.exec(delete(Person).where(col(Person.id).in_(ids)))
    return len(ids)


class ExportTokenRepository:
    """Single-use export links: issued for a person, shown as valid, redeemed once (atomically)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def issue(self, person_id: int, token_hash: str, *, now: datetime, expires_at: datetime) -> None:
        self.session.add(ExportToken(token_hash=token_hash, person_id=person_id, created_at=now, expires_at=expires_at))
        await self.session.flush()

    async def usable(self, token_hash: str, now: datetime) -> bool:
        """Whether the link still works (not used, not expired); reading does not use it up."""
        result = await self.session.exec(
            select(ExportToken.id).where(
                ExportToken.token_hash == token_hash, col(ExportToken.used_at).is_(None), ExportToken.expires_at > now
            )
        )
        return result.first() is not None

    async def redeem(self, token_hash: str, now: datetime) -> int | None:
        """Use the link up: the person id, or None if it was used, expired or never existed.

        One `UPDATE … WHERE used_at IS NULL AND expires_at > now RETURNING`: of two requests at once,
        exactly one gets the data.
        """
        table = ExportToken.__table__  # type: ignore[attr-defined]
        result = await self.session.exec(
            update(table)
            .where(table.c.token_hash == token_hash, table.c.used_at.is_(None), table.c.expires_at > now)
            .values(used_at=now)
            .returning(table.c.person_id)
        )
        found = result.scalars().first()
        return int(found) if found is not None else None
