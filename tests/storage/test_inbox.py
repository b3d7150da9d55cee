"""Inbox: an event is recorded once, finished once, and taken over if its receiver died."""

from __future__ import annotations

from datetime import timedelta

from handlers.clock import ManualClock
from storage import Database
from storage.repositories import Repositories

LEASE = timedelta(seconds=30)


async def record(db: Database, clock: ManualClock, event_id: str) -> int | None:
    async with db.transaction() as session:
        return await Repositories(session).inbox.record(
            platform="slack", event_id=event_id, payload={"type": "message"}, now=clock.now(), lease=LEASE
        )


async def test_a_platform_retry_of_a_known_event_is_recognised(db: Database, clock: ManualClock) -> None:
    first = await record(db, clock, "Ev111")
    again = await record(db, clock, "Ev111")
    other = await record(db, clock, "Ev222")
    assert first is not None and other is not None and first != other
    assert again is None


async def test_the_same_event_id_on_another_platform_is_a_different_event(db: Database, clock: ManualClock) -> None:
    await record(db, clock, "1")
    async with db.transaction() as session:
        teams = await Repositories(session).inbox.record(
            platform="teams", event_id="1", payload={}, now=clock.now(), lease=LEASE
        )
    assert teams is not None


async def test_an_event_is_finished_only_once(db: Database, clock: ManualClock) -> None:
    inbox_id = await record(db, clock, "Ev1")
    assert inbox_id is not None
    async with db.transaction() as session:
        assert await Repositories(session).inbox.finish(inbox_id, clock.now()) is True
    async with db.transaction() as session:
        assert await Repositories(session).inbox.finish(inbox_id, clock.now()) is False


async def test_unfinished_events_are_taken_over_only_after_their_lease(db: Database, clock: ManualClock) -> None:
    held = await record(db, clock, "held")
    done = await record(db, clock, "done")
    async with db.transaction() as session:
        await Repositories(session).inbox.finish(done or 0, clock.now())
    async with db.transaction() as session:
        assert await Repositories(session).inbox.claim_unfinished(now=clock.now(), lease=LEASE) == []
    clock.advance(seconds=31)
    async with db.transaction() as session:
        taken = await Repositories(session).inbox.claim_unfinished(now=clock.now(), lease=LEASE)
    assert [row.id for row in taken] == [held]
    assert taken[0].attempts == 2
    async with db.transaction() as session:
        assert await Repositories(session).inbox.claim_unfinished(now=clock.now(), lease=LEASE) == []
