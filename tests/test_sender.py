"""The outbox sender, against a fake Slack Web API over real HTTP with slack_sdk's own client."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

from bot.protocols import Outbound
from bot.slack.transport import SlackTransport
from bot.workers.sender import OutboxSender
from handlers.clock import ManualClock
from handlers.messages import Button, Reply
from handlers.sealing import Sealer, seal_reply
from handlers.tokens import Signer
from storage import Database
from storage.models import OutboxMessage, SendPace
from storage.repositories import Repositories
from tests.support.fake_slack import FakeSlack

SIGNER = Signer("a test secret for button tokens")


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    yield fake
    await fake.close()


def sender_for(
    db: Database, clock: ManualClock, slack: FakeSlack, *, rate: float = 10.0, **options: object
) -> OutboxSender:
    """A sender on the manual clock, sending one message at a time: the manual clock moves only when the sender
    waits, so sends in flight together would reach the fake at a time other than their slot (the sends at once,
    on the real clock, are tested in test_broadcast_pace.py)."""
    client = AsyncWebClient(token="xoxb-test", base_url=slack.url)
    options = {"in_flight": 1, **options}
    return OutboxSender(db, clock, [SlackTransport(client, rate=rate, signer=SIGNER)], **options)  # type: ignore[arg-type]


async def queue(db: Database, clock: ManualClock, count: int, *, user_prefix: str = "U") -> list[int]:
    ids = []
    async with db.transaction() as session:
        repos = Repositories(session)
        for n in range(count):
            person, _ = await repos.people.register(
                identity=f"slack:T111:{user_prefix}{n}", platform="slack", now=clock.now()
            )
            message_id = await repos.outbox.enqueue(
                dedupe_key=f"test:{user_prefix}{n}",
                purpose="checkin",
                person_id=person.id or 0,
                platform="slack",
                payload=Reply(
                    f"Hello <@{n}> & welcome", buttons=(Button("Skip", "checkin.skip", {"checkin": n}),)
                ).to_dict(),
                due_at=clock.now(),
                now=clock.now(),
            )
            ids.append(message_id or 0)
    return ids


async def rows(db: Database) -> list[OutboxMessage]:
    async with db.transaction() as session:
        return list((await session.exec(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def test_due_messages_are_posted_to_each_persons_user_id(
    db: Database, clock: ManualClock, slack: FakeSlack
) -> None:
    await queue(db, clock, 3)
    await sender_for(db, clock, slack).run_once()
    posted = slack.posted()
    assert [p["channel"] for p in posted] == ["U0", "U1", "U2"]
    assert posted[0]["blocks"][0]["text"]["text"] == "Hello &lt;@0&gt; &amp; welcome"
    assert posted[0]["blocks"][1]["elements"][0]["text"]["text"] == "Skip"
    stored = await rows(db)
    assert [r.state for r in stored] == ["sent"] * 3
    # Slack answers with the DM's own channel (D…), which chat.update and chat.delete need, and the ts.
    refs = [r.platform_ref or {} for r in stored]
    assert [ref.get("channel") for ref in refs] == ["D0", "D1", "D2"]
    assert {(ref["channel"], ref["ts"]) for ref in refs} == set(slack.messages)


async def test_sends_keep_the_shared_pace(db: Database, clock: ManualClock, slack: FakeSlack) -> None:
    await queue(db, clock, 5)
    sent_at = []
    slack.on_call = lambda call: sent_at.append(clock.now())
    await sender_for(db, clock, slack, rate=4.0).run_once()
    gaps = [(b - a).total_seconds() for a, b in zip(sent_at, sent_at[1:], strict=False)]
    assert len(sent_at) == 5 and all(gap >= 0.25 - 1e-6 for gap in gaps)


async def test_a_429_pauses_the_platform_and_loses_nothing(db: Database, clock: ManualClock, slack: FakeSlack) -> None:
    await queue(db, clock, 4)
    slack.answer("chat.postMessage", 200, {"ok": True, "ts": "1700000000.999999"})
    slack.answer("chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "30"})
    sender = sender_for(db, clock, slack)
    await sender.run_once()
    assert [r.state for r in await rows(db)] == ["sent", "pending", "pending", "pending"]
    async with db.transaction() as session:
        pace = (await session.exec(select(SendPace))).one()
    assert pace.paused_until is not None and pace.paused_until >= clock.now() + timedelta(seconds=29)
    await sender.run_once()  # still paused: the row waits for its Retry-After
    assert len(slack.posted()) == 2
    clock.advance(seconds=30)
    await sender.run_once()
    await sender.run_once()
    channels = [p["channel"] for p in slack.posted()]
    assert sorted(set(channels)) == ["U0", "U1", "U2", "U3"]
    assert channels.count("U1") == 2  # the one refused with 429, then accepted
    assert [r.state for r in await rows(db)] == ["sent"] * 4


@pytest.mark.parametrize("error", ["user_not_found", "account_inactive", "channel_not_found", "not_in_channel"])
async def test_errors_retrying_cannot_fix_fail_for_good_with_the_reason(
    db: Database, clock: ManualClock, slack: FakeSlack, error: str
) -> None:
    await queue(db, clock, 1)
    slack.answer("chat.postMessage", 200, {"ok": False, "error": error})
    await sender_for(db, clock, slack).run_once()
    clock.advance(hours=2)
    await sender_for(db, clock, slack).run_once()
    (row,) = await rows(db)
    assert (row.state, row.last_error, row.attempts) == ("failed", error, 1)
    assert len(slack.posted()) == 1


async def test_server_errors_are_retried_then_given_up_with_the_reason(
    db: Database, clock: ManualClock, slack: FakeSlack
) -> None:
    await queue(db, clock, 1)
    for _ in range(20):
        slack.answer("chat.postMessage", 500, {"ok": False, "error": "internal_error"})
    sender = sender_for(db, clock, slack, max_attempts=3, quick_retries=2)
    for _ in range(6):
        await sender.run_once()
        clock.advance(hours=1)
    (row,) = await rows(db)
    assert row.state == "failed"
    assert row.last_error is not None and row.last_error.startswith(
        "gave up after 3 attempts: slack 500 internal_error"
    )
    assert len(slack.posted()) == 6  # 3 attempts, each with 2 quick tries


async def test_a_person_marked_unreachable_is_not_messaged(db: Database, clock: ManualClock, slack: FakeSlack) -> None:
    await queue(db, clock, 1)
    async with db.transaction() as session:
        people = Repositories(session).people
        person = await people.by_identity("slack:T111:U0")
        assert person is not None
        await people.save_address(person, "slack", {"team": "T111", "user": "U0"}, clock.now())
        await people.mark_unreachable(person.id or 0, "slack", "account_inactive", clock.now())
    await sender_for(db, clock, slack).run_once()
    (row,) = await rows(db)
    assert (row.state, row.last_error) == ("failed", "unreachable: account_inactive")
    assert slack.posted() == []


class TakenOverWhileSending:
    """Slack, so slow to answer that the sender's lease runs out and another sender takes the row over."""

    platform = "slack"

    def __init__(self, slack: SlackTransport, db: Database, clock: ManualClock) -> None:
        self.slack, self.db, self.clock, self.rate = slack, db, clock, slack.rate

    async def send(self, message: Outbound) -> dict[str, str] | None:
        sent = await self.slack.send(message)
        self.clock.advance(seconds=61)
        async with self.db.transaction() as session:
            await Repositories(session).outbox.claim(now=self.clock.now(), lease=timedelta(seconds=60), owner="other")
        return sent

    async def close(self) -> None:
        await self.slack.close()


async def test_a_sender_whose_row_was_taken_over_leaves_it_to_the_new_sender_and_says_so_calmly(
    db: Database, clock: ManualClock, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    (message_id,) = await queue(db, clock, 1)
    client = AsyncWebClient(token="xoxb-test", base_url=slack.url)
    slow = TakenOverWhileSending(SlackTransport(client, rate=10.0, signer=SIGNER), db, clock)
    with caplog.at_level(logging.INFO, logger="bot.workers.sender"):
        await OutboxSender(db, clock, [slow], lease=timedelta(seconds=60)).run_once()
    (row,) = await rows(db)
    assert (row.id, row.state, row.lease_owner, row.platform_ref) == (message_id, "leased", "other", None)
    assert any("taken over" in r.getMessage() and r.levelno == logging.INFO for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_a_sealed_reply_is_opened_to_be_sent_and_fails_with_its_reason_without_the_secret(
    db: Database, clock: ManualClock, slack: FakeSlack
) -> None:
    sealer = Sealer("test-secret-of-at-least-sixteen-chars")
    async with db.transaction() as session:
        repos = Repositories(session)
        for n in range(2):
            person, _ = await repos.people.register(identity=f"slack:T111:U{n}", platform="slack", now=clock.now())
            await repos.outbox.enqueue(
                dedupe_key=f"reply:slack:Ev{n}:0",
                purpose="reply",
                person_id=person.id or 0,
                platform="slack",
                payload=seal_reply(Reply("Samaritans, 116 123", private=True), {"channel": f"D{n}"}, sealer),
                due_at=clock.now(),
                now=clock.now(),
            )
    await sender_for(db, clock, slack, sealer=sealer).run_once()
    assert [p["text"] for p in slack.posted()] == ["Samaritans, 116 123"] * 2
    assert [(r.state, r.payload) for r in await rows(db)] == [("sent", {})] * 2  # dropped once sent
    async with db.transaction() as session:
        person, _ = await Repositories(session).people.register(identity="slack:T111:U9", platform="slack",
                                                                 now=clock.now())  # fmt: skip
        await Repositories(session).outbox.enqueue(
            dedupe_key="reply:slack:Ev9:0", purpose="reply", person_id=person.id or 0, platform="slack",
            payload=seal_reply(Reply("private"), {}, sealer), due_at=clock.now(), now=clock.now(),
        )  # fmt: skip
    await sender_for(db, clock, slack).run_once()  # no secret to open it
    last = (await rows(db))[-1]
    assert last.state == "failed"
    assert last.last_error == "this message was sealed, and no secret is configured to open it"
