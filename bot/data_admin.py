"""What `leadwell users export|erase` and `leadwell keys rotate` do (the CLI only parses and prints).

Export and erase are audited under `cli:<login name>`. Key rotation re-seals every sealed value
(reflections, notes on practices, sealed inbox and outbox payloads) under the new secret, in
batches, each batch its own transaction; a value that already opens with the new secret is left
alone, so an interrupted rotation is finished by running it again.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, update
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.settings import Settings
from handlers.clock import SystemClock
from handlers.erasures import remember_erasure
from handlers.privacy import erasure_reference, export_record, sealed_inbox_test
from handlers.sealing import Sealer, SealError, sealed_token
from storage import Database
from storage.models import (
    InboxEvent,
    KeptValue,
    Nudge,
    OfferedChoices,
    OutboxMessage,
    Person,
    RecentQuestion,
    Reflection,
)
from storage.repositories import Repositories
from storage.repositories.personal_data import erase_person, find_person

ROTATE_BATCH = 500
# (table, column, whether the column holds a `{"sealed": …}` JSON payload rather than sealed text)
SEALED_COLUMNS: tuple[tuple[type[SQLModel], str, bool], ...] = (
    (Reflection, "body", False),
    (Nudge, "note", False),
    (InboxEvent, "payload", True),
    (OutboxMessage, "payload", True),
    (OfferedChoices, "choices", True),
    (RecentQuestion, "question", True),
    (KeptValue, "sealed", False),  # the erasure list's key (`handlers.erasures`)
)


class NotFound(Exception):
    """No person has that identity or email."""


@asynccontextmanager
async def _person(settings: Settings, who: str) -> AsyncIterator[tuple[AsyncSession, Person]]:
    """One transaction on the configured database, with the person `who` names (else `NotFound`)."""
    db = Database(settings.database_url)
    try:
        async with db.transaction() as session:
            person = await find_person(session, who)
            if person is None:
                raise NotFound(who)
            yield session, person
    finally:
        await db.dispose()


async def export_person(settings: Settings, sealer: Sealer, who: str, actor: str) -> dict[str, Any]:
    """The person's whole record (as `my data` gives it); the export is audited."""
    async with _person(settings, who) as (session, person):
        now = SystemClock().now()
        record = await export_record(session, sealer, person, now)
        await Repositories(session).audit.record(
            actor=actor, action="data.exported", now=now, target=person.identity or f"person:{person.id}"
        )
    return record


async def erase(settings: Settings, sealer: Sealer, who: str, actor: str) -> dict[str, int]:
    """Erase the person and everything of theirs (the person row too); one content-free audit entry stays."""
    async with _person(settings, who) as (session, person):
        reference = erasure_reference(sealer, person.identity or f"person:{person.id}")
        now = SystemClock().now()
        repos = Repositories(session)
        await remember_erasure(repos, sealer, person.email, now)  # a roster re-import skips them
        counts = await erase_person(
            session, person, reference=reference, inbox_mentions=sealed_inbox_test(sealer, person)
        )
        await repos.audit.record(
            actor=actor, action="person.erased", now=now, target=reference, detail={"rows": counts}
        )
    return counts


@dataclass
class Rotation:
    """What a rotation did, per table: re-sealed, already under the new secret, and unreadable."""

    resealed: dict[str, int] = field(default_factory=dict)
    already: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)


def _reseal_text(old: Sealer, new: Sealer, value: str) -> str | None:
    """The value under the new secret; None when it is already (or cannot be opened by the old one)."""
    if new.opens(value):
        return None
    return new.seal(old.open(value))


def _reseal(old: Sealer, new: Sealer, value: Any, payload: bool) -> Any:
    if not payload:
        return _reseal_text(old, new, value) if isinstance(value, str) else None
    sealed = sealed_token(value)
    if sealed is None:
        return None  # a payload kept in the clear (from before sealing) or emptied once handled
    resealed = _reseal_text(old, new, sealed)
    return {"sealed": resealed} if resealed is not None else None


async def count_sealed(db: Database) -> dict[str, int]:
    """How many rows each sealed column has (for the progress bar)."""
    totals: dict[str, int] = {}
    async with db.transaction() as session:
        for model, column, _ in SEALED_COLUMNS:
            result = await session.exec(select(func.count()).where(col(getattr(model, column)).is_not(None)))
            totals[str(model.__tablename__)] = int(result.one())
    return totals


async def rotate(
    db: Database,
    old: Sealer,
    new: Sealer,
    *,
    batch: int = ROTATE_BATCH,
    advance: Callable[[str, int], None] = lambda _table, _n: None,
) -> Rotation:
    """Re-seal every sealed value under `new`; `advance(table, rows)` after each batch."""
    outcome = Rotation()
    for model, column, payload in SEALED_COLUMNS:
        name = str(model.__tablename__)
        table = model.__table__  # type: ignore[attr-defined]
        last = 0
        resealed = already = unreadable = 0
        while True:
            async with db.transaction() as session:
                rows = (
                    await session.exec(
                        select(table.c.id, table.c[column])
                        .where(table.c.id > last, table.c[column].is_not(None))
                        .order_by(table.c.id)
                        .limit(batch)
                    )
                ).all()
                for row_id, value in rows:
                    try:
                        changed = _reseal(old, new, value, payload)
                    except SealError:
                        unreadable += 1
                        continue
                    if changed is None:
                        already += 1
                        continue
                    await session.exec(update(table).where(table.c.id == row_id).values({column: changed}))
                    resealed += 1
            if not rows:
                break
            last = rows[-1][0]
            advance(name, len(rows))
        outcome.resealed[name], outcome.already[name], outcome.unreadable[name] = resealed, already, unreadable
    return outcome


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2)
