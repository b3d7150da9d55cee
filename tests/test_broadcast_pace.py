"""An announcement's outbox rows on Slack and Teams, delivered by the real sender over real HTTP to fakes that keep
the platforms' rate limits and inject 429s and 5xx: every recipient gets it exactly once, and no fake ever sees its
limit exceeded (the figures the broadcast benchmark measures at scale, here small and fast).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.integration.aiohttp import ConfigurationServiceClientCredentialFactory as CredentialFactory
from msrest.universal_http.requests import ClientRetryPolicy
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

from bot.settings import load_settings
from bot.slack.transport import SlackTransport
from bot.teams.auth import OffLoopCredentialsFactory, ServiceUrlPolicy, TeamsAuthConfig, TeamsEndpoints
from bot.teams.sdk_fixes import speed_up_retry_policy
from bot.teams.transport import TeamsTransport
from bot.workers.sender import OutboxSender
from handlers.clock import ManualClock, SystemClock
from handlers.messages import Reply
from handlers.tokens import Signer
from storage import Database
from storage.models import OutboxMessage, SendPace
from storage.repositories import Repositories
from tests.support.fake_connector import FakeConnector
from tests.support.fake_slack import FakeSlack
from tests.support.platform_limit import PlatformLimit

SIGNER = Signer("a test secret for button tokens")
TEXT = "Programme webinar on Thursday at 12:30."
RATE = 100.0  # the fakes' limit and the sender's configured rate: sending at the limit, the hardest case


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack(limit=PlatformLimit(RATE, inject_429=0.01, inject_5xx=0.02, seed=3)).start()
    yield fake
    await fake.close()


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = await FakeConnector(limit=PlatformLimit(RATE, inject_429=0.01, inject_5xx=0.02, seed=7)).start()
    yield fake
    await fake.close()


def teams_transport(rate: float) -> TeamsTransport:
    """The Teams transport as `leadwell` builds it in local emulator mode (no app id, loopback service URLs)."""
    config = TeamsAuthConfig(load_settings(), TeamsEndpoints())
    cloud = CloudAdapter(
        ConfigurationBotFrameworkAuthentication(config, credentials_factory=OffLoopCredentialsFactory(
            CredentialFactory(config)))
    )  # fmt: skip
    return TeamsTransport(cloud, app_id="", policy=ServiceUrlPolicy(emulator=True), rate=rate, signer=SIGNER)


async def announce(
    db: Database, clock: SystemClock, connector: FakeConnector, per_platform: int
) -> dict[str, set[str]]:
    """One announcement row per recipient, as the fan-out writes them; where each fake will see them."""
    expected: dict[str, set[str]] = {"slack": set(), "teams": set()}
    now = clock.now()
    async with db.transaction() as session:
        repos = Repositories(session)
        messages = []
        for n in range(per_platform * 2):
            platform = "slack" if n % 2 == 0 else "teams"
            if platform == "slack":
                identity, address, seen = f"slack:T111:U{n:05d}", {"team": "T111", "user": f"U{n:05d}"}, f"U{n:05d}"
            else:
                seen = f"a:personal-{n}"
                identity, address = f"teams:aad-{n}", {
                    "user": {"id": f"29:{n}", "aadObjectId": f"aad-{n}"}, "bot": {"id": "28:bot"},
                    "conversation": {"id": seen, "conversationType": "personal"}, "channelId": "msteams",
                    "serviceUrl": connector.url,
                }  # fmt: skip
            person, _ = await repos.people.register(identity=identity, platform=platform, now=now)
            await repos.people.save_address(person, platform, address, now)
            expected[platform].add(seen)
            messages.append({"dedupe_key": f"announce:1:{person.id}", "purpose": "announcement",
                             "reference": "announcement:1", "person_id": person.id, "platform": platform,
                             "payload": Reply(TEXT).to_dict(), "due_at": now})  # fmt: skip
        await repos.outbox.enqueue_many(messages, now=now)
    return expected


async def delivered(limit: PlatformLimit, fake: FakeSlack | FakeConnector, count: int) -> None:
    while sum(n for (_, text), n in limit.accepted.items() if text == TEXT) < count:
        fake.changed.clear()
        await fake.changed.wait()


async def test_an_announcement_on_both_platforms_arrives_once_each_and_never_over_the_limit(
    db: Database, slack: FakeSlack, connector: FakeConnector
) -> None:
    clock, per_platform = SystemClock(), 150
    expected = await announce(db, clock, connector, per_platform)
    client = AsyncWebClient(token="xoxb-test", base_url=slack.url)
    transports = [SlackTransport(client, rate=RATE, signer=SIGNER), teams_transport(RATE)]
    sender = OutboxSender(db, clock, transports, lease=timedelta(seconds=30))  # type: ignore[list-item]
    stop = asyncio.Event()
    running = asyncio.create_task(sender.run(stop))
    assert slack.limit is not None and connector.limit is not None
    try:
        await asyncio.wait_for(
            asyncio.gather(delivered(slack.limit, slack, per_platform), delivered(connector.limit, connector,
                                                                                  per_platform)), 60
        )  # fmt: skip
    finally:
        stop.set()
        await running
    for platform, limit in (("slack", slack.limit), ("teams", connector.limit)):
        accepted = {recipient: n for (recipient, text), n in limit.accepted.items() if text == TEXT}
        assert set(accepted) == expected[platform]  # nothing lost
        assert set(accepted.values()) == {1}  # nothing twice
        assert limit.peak <= RATE and limit.over_limit == 0, (platform, limit.peak, limit.over_limit)
        assert limit.pauses and limit.injected_5xx  # the faults did happen, and were ridden out
    async with db.transaction() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    assert {row.state for row in rows} == {"sent"} and all(row.platform_ref for row in rows)


async def test_the_platforms_send_at_once_not_one_after_the_other(
    db: Database, slack: FakeSlack, connector: FakeConnector
) -> None:
    assert slack.limit is not None and connector.limit is not None
    slack.limit.inject_429 = slack.limit.inject_5xx = connector.limit.inject_429 = connector.limit.inject_5xx = 0
    clock = SystemClock()
    await announce(db, clock, connector, 20)
    client = AsyncWebClient(token="xoxb-test", base_url=slack.url)
    sender = OutboxSender(db, clock, [SlackTransport(client, rate=10, signer=SIGNER), teams_transport(10)])  # type: ignore[list-item]
    stop = asyncio.Event()
    running = asyncio.create_task(sender.run(stop))
    try:
        await asyncio.wait_for(delivered(connector.limit, connector, 3), 30)
        slack_posts = len(slack.posted())
    finally:
        stop.set()
        await running
    # Three Teams messages went out (0.3 s at 10/s) while Slack, with 2 s of sending of its own, was under way.
    assert 1 <= slack_posts < 20


async def test_slots_handed_back_with_their_rows_are_free_again_unless_someone_reserved_after(
    db: Database, clock: ManualClock
) -> None:
    now = clock.now()
    async with db.transaction() as session:
        pace = Repositories(session).pace
        first = await pace.reserve("slack", count=10, rate=10, now=now)
        end = first + timedelta(seconds=1)
        assert await pace.give_back("slack", reserved_until=end, seconds=0.6, now=now)
    async with db.transaction() as session:
        row = await session.get(SendPace, "slack")
        assert row is not None and row.next_slot_at == first + timedelta(seconds=0.4)
        pace = Repositories(session).pace
        mine = await pace.reserve("slack", count=5, rate=10, now=now)
        await pace.reserve("slack", count=5, rate=10, now=now)  # another replica, after us
        assert not await pace.give_back("slack", reserved_until=mine + timedelta(seconds=0.5), seconds=0.5, now=now)
        await pace.pause("slack", until=now + timedelta(seconds=30), now=now)
        row = await session.get(SendPace, "slack")
        assert row is not None
        assert await pace.give_back("slack", reserved_until=row.next_slot_at, seconds=60, now=now)
        assert row.next_slot_at == now + timedelta(seconds=30)  # never before the end of a pause


def test_the_bot_connector_clients_retry_policy_is_the_same_only_cheaper_to_build() -> None:
    before = ClientRetryPolicy().policy.status_forcelist
    speed_up_retry_policy()
    assert isinstance(ClientRetryPolicy.safe_codes, frozenset)
    assert ClientRetryPolicy().policy.status_forcelist == before
