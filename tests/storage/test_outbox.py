"""Outbox: deciding twice queues once; a lease hands each due row to one sender at a time."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from handlers.clock import ManualClock
from storage import Database
from storage.models import OutboxMessage
from storage.repositories import Repositories

LEASE = timedelta(seconds=60)


async def person(db: Database, clock: ManualClock, identity: str = "console:alice") -> int:
    async with db.transaction() as session:
        p, _ = await Repositories(session).people.register(identity=identity, platform="console", now=clock.now())
        assert p.id is not None
        return p.id


async def enqueue(
    db: Database,
    clock: ManualClock,
    person_id: int,
    key: str,
    due_in: float = 0,
    *,
    purpose: str = "checkin",
    reference: str | None = None,
) -> int | None:
    async with db.transaction() as session:
        return await Repositories(session).outbox.enqueue(
            dedupe_key=key,
            purpose=purpose,
            person_id=person_id,
            platform="console",
            payload={"text": key},
            due_at=clock.now() + timedelta(seconds=due_in),
            now=clock.now(),
            reference=reference,
        )


async def stored(db: Database, message_id: int | None) -> OutboxMessage:
    async with db.transaction() as session:
        row = await session.get(OutboxMessage, message_id)
    assert row is not None
    return row


async def claim(db: Database, clock: ManualClock, owner: str = "a", limit: int = 50) -> list[OutboxMessage]:
    async with db.transaction() as session:
        return await Repositories(session).outbox.claim(now=clock.now(), lease=LEASE, owner=owner, limit=limit)


async def test_the_same_dedupe_key_is_queued_once(db: Database, clock: ManualClock) -> None:
    pid = await person(db, clock)
    assert await enqueue(db, clock, pid, "checkin:1:2026-03-06T16:00") is not None
    assert await enqueue(db, clock, pid, "checkin:1:2026-03-06T16:00") is None
    async with db.transaction() as session:
        assert await Repositories(session).outbox.counts_by_state() == {"pending": 1}


async def test_only_due_rows_are_claimed_and_a_leased_row_is_not_claimed_again(
    db: Database, clock: ManualClock
) -> None:
    pid = await person(db, clock)
    await enqueue(db, clock, pid, "now")
    await enqueue(db, clock, pid, "later", due_in=3600)
    first = await claim(db, clock, owner="a")
    assert [row.dedupe_key for row in first] == ["now"]
    assert first[0].state == "leased" and first[0].attempts == 1 and first[0].lease_owner == "a"
    assert await claim(db, clock, owner="b") == []


async def test_an_expired_lease_is_taken_over(db: Database, clock: ManualClock) -> None:
    pid = await person(db, clock)
    await enqueue(db, clock, pid, "k")
    await claim(db, clock, owner="dead-sender")
    clock.advance(seconds=61)
    taken = await claim(db, clock, owner="survivor")
    assert [(row.dedupe_key, row.lease_owner, row.attempts) for row in taken] == [("k", "survivor", 2)]


async def test_sent_and_failed_rows_keep_their_outcome(db: Database, clock: ManualClock) -> None:
    pid = await person(db, clock)
    sent_id = await enqueue(db, clock, pid, "sent")
    failed_id = await enqueue(db, clock, pid, "failed")
    await claim(db, clock)
    async with db.transaction() as session:
        outbox = Repositories(session).outbox
        slack_ref = {"channel": "D024BE91L", "ts": "1700000000.000100"}
        assert await outbox.mark_sent(sent_id or 0, owner="a", now=clock.now(), platform_ref=slack_ref)
        assert await outbox.mark_failed(failed_id or 0, owner="a", error="user_not_found")
    clock.advance(hours=1)
    assert await claim(db, clock) == []
    async with db.transaction() as session:
        failed = await session.get(OutboxMessage, failed_id)
        sent = await session.get(OutboxMessage, sent_id)
    assert failed is not None and failed.state == "failed" and failed.last_error == "user_not_found"
    assert sent is not None and sent.platform_ref == {"channel": "D024BE91L", "ts": "1700000000.000100"}


async def test_released_rows_go_straight_back_to_the_queue(db: Database, clock: ManualClock) -> None:
    pid = await person(db, clock)
    await enqueue(db, clock, pid, "k")
    rows = await claim(db, clock, owner="stopping")
    async with db.transaction() as session:
        released = await Repositories(session).outbox.release([row.id or 0 for row in rows], owner="stopping")
    assert released == {row.id for row in rows}
    again = await claim(db, clock, owner="next")
    assert [(row.lease_owner, row.attempts) for row in again] == [("next", 1)]


async def test_a_retry_waits_until_its_new_due_time(db: Database, clock: ManualClock) -> None:
    pid = await person(db, clock)
    message_id = await enqueue(db, clock, pid, "k")
    await claim(db, clock)
    async with db.transaction() as session:
        assert await Repositories(session).outbox.retry_later(
            message_id or 0, owner="a", due_at=clock.now() + timedelta(seconds=30), error="429 rate limited"
        )
    assert await claim(db, clock) == []
    clock.advance(seconds=30)
    assert len(await claim(db, clock)) == 1


async def test_a_stale_sender_cannot_overwrite_a_row_another_sender_took_over(db: Database, clock: ManualClock) -> None:
    pid = await person(db, clock)
    message_id = await enqueue(db, clock, pid, "k")
    await claim(db, clock, owner="stale")  # then stalls past its lease …
    clock.advance(seconds=61)
    await claim(db, clock, owner="survivor")  # … and the row is taken over
    async with db.transaction() as session:
        outbox = Repositories(session).outbox
        changed = [
            await outbox.mark_sent(message_id or 0, owner="stale", now=clock.now(), platform_ref={"id": "late"}),
            await outbox.mark_failed(message_id or 0, owner="stale", error="user_not_found"),
            await outbox.retry_later(message_id or 0, owner="stale", due_at=clock.now(), error="500"),
            bool(await outbox.mark_many_sent([(message_id or 0, None)], owner="stale", now=clock.now())),
            bool(await outbox.release([message_id or 0], owner="stale")),
        ]
    assert changed == [False] * 5
    row = await stored(db, message_id)
    assert (row.state, row.lease_owner, row.attempts) == ("leased", "survivor", 2)
    assert (row.platform_ref, row.last_error, row.sent_at) == (None, None, None)

    async with db.transaction() as session:
        assert await Repositories(session).outbox.mark_sent(
            message_id or 0, owner="survivor", now=clock.now(), platform_ref={"channel": "D1", "ts": "1.2"}
        )
    row = await stored(db, message_id)
    assert (row.state, row.platform_ref) == ("sent", {"channel": "D1", "ts": "1.2"})


async def test_a_sent_message_stays_sent_whatever_its_sender_says_next(db: Database, clock: ManualClock) -> None:
    pid = await person(db, clock)
    message_id = await enqueue(db, clock, pid, "k")
    await claim(db, clock, owner="a")
    async with db.transaction() as session:
        outbox = Repositories(session).outbox
        assert await outbox.mark_sent(message_id or 0, owner="a", now=clock.now())
        assert not await outbox.mark_failed(message_id or 0, owner="a", error="timeout")
        assert not await outbox.retry_later(message_id or 0, owner="a", due_at=clock.now(), error="timeout")
    row = await stored(db, message_id)
    assert (row.state, row.last_error, row.platform_ref) == ("sent", None, None)


async def test_many_replies_are_marked_sent_at_once_each_with_its_own_platform_reference(
    db: Database, clock: ManualClock
) -> None:
    pid = await person(db, clock)
    ids = [await enqueue(db, clock, pid, f"k{n}") or 0 for n in range(4)]
    await claim(db, clock, owner="a")
    refs: list[dict[str, Any] | None] = [{"channel": "D1", "ts": f"1700000000.00000{n}"} for n in range(3)] + [None]
    async with db.transaction() as session:
        marked = await Repositories(session).outbox.mark_many_sent(
            list(zip(ids, refs, strict=True)), owner="a", now=clock.now()
        )
    assert marked == set(ids)
    assert [(row.state, row.platform_ref) for row in [await stored(db, i) for i in ids]] == [
        ("sent", ref) for ref in refs
    ]


async def test_a_batch_marks_only_the_rows_its_sender_still_holds(db: Database, clock: ManualClock) -> None:
    pid = await person(db, clock)
    kept = await enqueue(db, clock, pid, "kept") or 0
    await claim(db, clock, owner="stale")
    clock.advance(seconds=61)
    lost = await enqueue(db, clock, pid, "lost") or 0  # the stale sender's lease ran out; this one is new
    async with db.transaction() as session:
        outbox = Repositories(session).outbox
        await outbox.claim(now=clock.now(), lease=timedelta(seconds=60), owner="stale")  # re-takes both
    async with db.transaction() as session:  # … then "survivor" takes over the second one
        await session.exec(
            text(f"UPDATE outbox_message SET lease_owner = 'survivor' WHERE id = {lost}")  # noqa: S608
        )
    async with db.transaction() as session:
        marked = await Repositories(session).outbox.mark_many_sent(
            [(kept, {"ts": "1"}), (lost, {"ts": "2"})], owner="stale", now=clock.now()
        )
    assert marked == {kept}
    assert ((await stored(db, kept)).state, (await stored(db, lost)).state) == ("sent", "leased")


async def test_messages_are_found_by_what_they_belong_to(db: Database, clock: ManualClock) -> None:
    alice, bob = await person(db, clock), await person(db, clock, "console:bob")
    to_alice = await enqueue(db, clock, alice, "a7", purpose="announcement", reference="announcement:7")
    to_bob = await enqueue(db, clock, bob, "b7", purpose="announcement", reference="announcement:7")
    await enqueue(db, clock, alice, "a8", purpose="announcement", reference="announcement:8")
    await enqueue(db, clock, alice, "c7", purpose="checkin", reference="announcement:7")
    await claim(db, clock, owner="a")
    async with db.transaction() as session:
        outbox = Repositories(session).outbox
        await outbox.mark_sent(to_bob or 0, owner="a", now=clock.now(), platform_ref={"channel": "D2", "ts": "1.5"})
        found = await outbox.for_reference("announcement", "announcement:7")
        assert await outbox.for_reference("announcement", "announcement:9") == []
    assert [(row.id, row.person_id, row.state) for row in found] == [(to_alice, alice, "leased"), (to_bob, bob, "sent")]
    assert found[1].platform_ref == {"channel": "D2", "ts": "1.5"}


@pytest.mark.parametrize("senders", [4])
async def test_concurrent_claims_never_hand_one_row_to_two_senders(
    db: Database, clock: ManualClock, senders: int
) -> None:
    pid = await person(db, clock)
    for n in range(40):
        await enqueue(db, clock, pid, f"k{n}")

    async def sender(name: str) -> list[str]:
        taken: list[str] = []
        while batch := await claim(db, clock, owner=name, limit=3):
            taken.extend(row.dedupe_key for row in batch)
        return taken

    results = await asyncio.gather(*(sender(f"s{n}") for n in range(senders)))
    everything = [key for result in results for key in result]
    assert sorted(everything) == sorted(f"k{n}" for n in range(40))
    assert len(everything) == len(set(everything))


async def test_a_turns_reply_loses_its_payload_once_sent_other_messages_keep_theirs(
    db: Database, clock: ManualClock
) -> None:
    alice = await person(db, clock)
    reply = await enqueue(db, clock, alice, "reply:slack:Ev1:0", purpose="reply")
    nudge = await enqueue(db, clock, alice, "nudge:1", purpose="nudge")
    await claim(db, clock)
    async with db.transaction() as session:
        outbox = Repositories(session).outbox
        assert await outbox.mark_sent(reply or 0, owner="a", now=clock.now())
        assert await outbox.mark_many_sent([(nudge or 0, {"ts": "1"})], owner="a", now=clock.now()) == {nudge}
    assert (await stored(db, reply)).payload == {}  # it may have echoed what the person wrote
    assert (await stored(db, nudge)).payload == {"text": "nudge:1"}
