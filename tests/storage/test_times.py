"""Times go in and come out as aware UTC on both databases; naive times are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from storage import Database
from storage.models import Person


async def test_times_come_back_aware_and_in_utc(db: Database) -> None:
    bst = timezone(timedelta(hours=1))
    async with db.transaction() as session:
        person = Person(identity="console:t", platform="console", created_at=datetime(2026, 7, 1, 17, 0, tzinfo=bst))
        session.add(person)
    async with db.transaction() as session:
        stored = await session.get(Person, person.id)
    assert stored is not None
    assert stored.created_at == datetime(2026, 7, 1, 16, 0, tzinfo=UTC)
    assert stored.created_at.utcoffset() == timedelta(0)


async def test_a_naive_time_is_refused(db: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        async with db.transaction() as session:
            session.add(Person(identity="console:n", platform="console", created_at=datetime(2026, 7, 1, 17, 0)))
