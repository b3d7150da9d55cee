"""Senders' emails from the platform (Slack `users.info`, the Bot Connector's member lookup), over real HTTP.

Asked after the ack, once per person while it is unknown, bounded in time, best effort: a failing
or slow directory never costs an answer. Admins listed by email are admin on their first message.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.platforms import Platforms, build_platforms
from bot.runtime import Runtime, build_runtime
from bot.server import create_app
from bot.settings import load_settings
from bot.whois import EmailCache
from storage.models import Person
from tests.support.fake_connector import FakeConnector
from tests.support.fake_slack import FakeSlack
from tests.support.shared import migrated_sqlite, shared_knowledge
from tests.support.slack_requests import SECRET, dm, event_body, signed_headers
from tests.test_teams import BOT, TENANT, USER, fixture

ADMINS = "sam@nhs.net,megan@nhs.net"
MEMBER = fixture("message_personal.json")["from"]["id"]  # Megan's Teams member id (29:…)
SAM = "slack:T111:W222"  # who `dm` writes as (team of the fixture)


@dataclass
class Bot:
    client: TestClient
    runtime: Runtime
    platforms: Platforms

    async def settle(self) -> None:
        await self.platforms.engine.drain()

    async def people(self) -> dict[str, Person]:
        async with self.runtime.db.transaction() as session:
            return {p.identity or "": p for p in (await session.exec(select(Person))).all()}


async def start(tmp_path: Path, **settings: Any) -> Bot:
    url = migrated_sqlite(tmp_path / "whois.db")
    runtime = build_runtime(load_settings(database_url=url, admins=ADMINS, **settings), knowledge=shared_knowledge())
    platforms = build_platforms(runtime)
    client = TestClient(TestServer(create_app(runtime, platforms)))
    await client.start_server()
    return Bot(client, runtime, platforms)


# ---- Slack ------------------------------------------------------------------------------------------


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack(users={"W222": "Sam@NHS.net"}).start()
    yield fake
    await fake.close()


@pytest.fixture
async def slack_bot(tmp_path: Path, slack: FakeSlack) -> AsyncIterator[Bot]:
    bot = await start(tmp_path, slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack.url)
    yield bot
    await bot.client.close()


async def say(bot: Bot, text: str, event_id: str, user: str = "W222") -> float:
    """Post a signed DM event; the seconds its ack took."""
    body, content_type = event_body(dm(text, event_id=event_id, user=user))
    started = time.monotonic()
    response = await bot.client.post("/slack/events", data=body, headers=signed_headers(body, content_type))
    assert response.status == 200
    return time.monotonic() - started


def calls(slack: FakeSlack, method: str) -> int:
    return len([c for c in slack.calls if c.method == method])


async def test_a_slack_user_listed_by_email_is_admin_on_their_first_message_and_asked_about_once(
    slack_bot: Bot, slack: FakeSlack
) -> None:
    await say(slack_bot, "hello", "EvW1")
    await slack.wait_for("chat.postMessage", 1)
    await slack_bot.settle()
    sam = (await slack_bot.people())[SAM]
    assert (sam.email, sam.role, sam.role_source) == ("sam@nhs.net", "admin", "settings")
    (lookup,) = [c for c in slack.calls if c.method == "users.info"]
    assert lookup.body["user"] == "W222"
    await say(slack_bot, "progress", "EvW2")
    await slack.wait_for("chat.postMessage", 2)
    await slack_bot.settle()
    assert calls(slack, "users.info") == 1  # known now: nothing asked


async def test_the_ack_does_not_wait_for_users_info(slack_bot: Bot, slack: FakeSlack) -> None:
    slack.delays["users.info"] = 1.0
    ack = await say(slack_bot, "hello", "EvW3")
    assert ack < 0.5
    (reply,) = await slack.wait_for("chat.postMessage", 1)
    (lookup,) = [c for c in slack.calls if c.method == "users.info"]
    assert reply.at >= lookup.at + 0.9  # the turn waited for the answer, the ack did not
    await slack_bot.settle()
    assert (await slack_bot.people())[SAM].role == "admin"


@pytest.mark.parametrize("failure", ["500", "timeout", "unknown"])
async def test_users_info_failing_or_slow_still_answers_the_message(
    slack_bot: Bot, slack: FakeSlack, failure: str
) -> None:
    slack_bot.platforms.engine.whois.timeout = 0.3
    if failure == "500":
        slack.answer("users.info", 500, {"ok": False, "error": "internal_error"})
    elif failure == "timeout":
        slack.delays["users.info"] = 2.0
    else:
        slack.users.clear()  # user_not_found
    started = time.monotonic()
    await say(slack_bot, "hello", "EvW4")
    (reply,) = await slack.wait_for("chat.postMessage", 1)
    assert "I'm LeadWell" in reply.body["text"] and time.monotonic() - started < 1.5
    await slack_bot.settle()
    sam = (await slack_bot.people())[SAM]
    assert (sam.email, sam.role) == (None, "staff")
    await say(slack_bot, "progress", "EvW5")  # remembered for a while: not asked again at once
    await slack.wait_for("chat.postMessage", 2)
    assert calls(slack, "users.info") == 1


async def test_an_email_found_later_is_recorded_on_a_person_who_had_none(slack_bot: Bot, slack: FakeSlack) -> None:
    await slack_bot.platforms.engine.conversation.ensure_person(SAM, "slack")
    assert (await slack_bot.people())[SAM].email is None
    await say(slack_bot, "hello", "EvW6")
    await slack.wait_for("chat.postMessage", 1)
    await slack_bot.settle()
    sam = (await slack_bot.people())[SAM]
    assert (sam.email, sam.role) == ("sam@nhs.net", "admin")


async def test_an_email_already_stored_is_not_asked_for(slack_bot: Bot, slack: FakeSlack) -> None:
    await slack_bot.platforms.engine.conversation.ensure_person(SAM, "slack", email="sam@nhs.net")
    await say(slack_bot, "hello", "EvW7")
    await slack.wait_for("chat.postMessage", 1)
    await slack_bot.settle()
    assert calls(slack, "users.info") == 0


async def test_two_events_of_one_newcomer_at_once_share_one_question(slack_bot: Bot, slack: FakeSlack) -> None:
    slack.delays["users.info"] = 0.3
    await asyncio.gather(say(slack_bot, "hello", "EvW8"), say(slack_bot, "progress", "EvW9"))
    await slack.wait_for("chat.postMessage", 2)
    await slack_bot.settle()
    assert calls(slack, "users.info") == 1


# ---- Teams -------------------------------------------------------------------------------------------


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = await FakeConnector().start()
    yield fake
    await fake.close()


@pytest.fixture
async def teams_bot(tmp_path: Path, connector: FakeConnector) -> AsyncIterator[Bot]:
    bot = await start(tmp_path)
    yield bot
    await bot.client.close()


def teams_message(connector: FakeConnector, text: str, activity_id: str) -> dict[str, Any]:
    activity = copy.deepcopy(fixture("message_personal.json"))
    activity["serviceUrl"] = connector.url
    activity["channelData"]["tenant"] = {"id": TENANT}
    activity["recipient"] = {"id": BOT, "name": "LeadWell"}
    activity["from"].update(aadObjectId=USER, name="Megan Bowen")
    activity.update(text=text, id=activity_id)
    return activity


async def test_a_teams_user_listed_by_email_is_admin_on_their_first_message_and_looked_up_once(
    teams_bot: Bot, connector: FakeConnector
) -> None:
    megan = {"id": MEMBER, "aadObjectId": USER, "email": "Megan@NHS.net", "userPrincipalName": "mb@nhs.net"}
    connector.members[USER] = megan
    started = time.monotonic()
    message = teams_message(connector, "hello", "w1")
    assert (await teams_bot.client.post("/api/messages", json=message)).status == 200
    acked = time.monotonic()
    await connector.wait_for(1)
    ((at, conversation, member),) = connector.lookups
    assert conversation == message["conversation"]["id"] and member == message["from"]["id"]
    assert acked - started < 0.5
    await teams_bot.settle()
    megan = (await teams_bot.people())[f"teams:{USER}"]
    assert (megan.email, megan.role, megan.role_source) == ("megan@nhs.net", "admin", "settings")
    assert (await teams_bot.client.post("/api/messages", json=teams_message(connector, "progress", "w2"))).status == 200
    await connector.wait_for(2)
    await teams_bot.settle()
    assert len(connector.lookups) == 1


async def test_teams_falls_back_to_the_upn_and_a_failing_lookup_still_answers(
    teams_bot: Bot, connector: FakeConnector
) -> None:
    connector.members[USER] = {"id": MEMBER, "aadObjectId": USER, "userPrincipalName": "Megan@nhs.net"}
    connector.lookup_delay = 2.0  # a timeout (msrest itself retries a 5xx)
    teams_bot.platforms.engine.whois.timeout = 0.3
    assert (await teams_bot.client.post("/api/messages", json=teams_message(connector, "hello", "w3"))).status == 200
    (reply,) = await connector.wait_for(1)
    assert "I'm LeadWell" in reply.text
    await teams_bot.settle()
    assert (await teams_bot.people())[f"teams:{USER}"].email is None
    teams_bot.platforms.engine.whois.cache = EmailCache()  # as if a minute had passed
    connector.lookup_delay = 0.0
    assert (await teams_bot.client.post("/api/messages", json=teams_message(connector, "progress", "w4"))).status == 200
    await connector.wait_for(2)
    await teams_bot.settle()
    megan = (await teams_bot.people())[f"teams:{USER}"]
    assert (megan.email, megan.role) == ("megan@nhs.net", "admin")
    assert len(connector.lookups) == 2


async def test_a_teams_member_the_connector_does_not_know_is_answered_without_an_email(
    teams_bot: Bot, connector: FakeConnector
) -> None:
    assert (await teams_bot.client.post("/api/messages", json=teams_message(connector, "hello", "w5"))).status == 200
    await connector.wait_for(1)
    await teams_bot.settle()
    assert (await teams_bot.people())[f"teams:{USER}"].email is None and len(connector.lookups) == 1


# ---- the cache -------------------------------------------------------------------------------------


def test_the_email_cache_is_bounded_and_forgets_what_it_believes_only_for_a_while() -> None:
    now = [0.0]
    cache = EmailCache(size=2, clock=lambda: now[0])
    cache.put("a", "a@x.org")
    cache.put("b", None, believed_for=10)
    assert cache.get("a") == "a@x.org"  # a is now the most recently used
    cache.put("c", "c@x.org")
    assert len(cache) == 2 and cache.get("b") is not None and cache.get("b") is not cache.get("a")
    assert cache.get("a") == "a@x.org" and cache.get("c") == "c@x.org"
    cache.put("d", None, believed_for=10)
    assert cache.get("d") is None
    now[0] = 11
    assert cache.get("d") not in (None, "a@x.org", "c@x.org")  # expired: a miss again
