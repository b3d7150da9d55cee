"""Microsoft Teams, over real HTTP: Bot Framework activities in, Adaptive Cards out at a fake Bot Connector.

Two set-ups: the local emulator mode (no MicrosoftAppId, loopback only), and a
configured app whose tokens are checked for real against a local fake issuer.
In the configured mode the bot's outgoing calls would need an AAD token from
login.microsoftonline.com (unreachable here), so the adapter is given a fixed
outgoing token (`TeamsEndpoints.outbound_token`), and replies reach the fake
connector too.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from jsonschema import Draft6Validator
from sqlmodel import select

from bot.platforms import Platforms, build_platforms
from bot.protocols import PermanentFailure
from bot.runtime import Runtime, build_runtime
from bot.server import create_app
from bot.settings import SettingsError, load_settings
from bot.teams.auth import TeamsEndpoints
from bot.workers.inbox_recovery import InboxRecovery
from bot.workers.sender import OutboxSender
from handlers.messages import Reply
from storage.models import AuditEntry, ConversationAddress, InboxEvent, OutboxMessage, Person, SendPace
from storage.repositories import Repositories
from tests.support.fake_connector import FakeConnector, Sent
from tests.support.fake_issuer import FakeIssuer
from tests.support.shared import migrated_sqlite, shared_knowledge

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CARD_SCHEMA = json.loads((SHARED / "schemas" / "adaptive-card.schema.json").read_text())
APP_ID = "00000000-aaaa-4bbb-8ccc-000000000001"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
USER = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8"
BOT = f"28:{APP_ID}"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((SHARED / "fixtures" / "teams" / name).read_text())


def assert_valid_card(card: dict[str, Any]) -> None:
    errors = sorted(Draft6Validator(CARD_SCHEMA).iter_errors(card), key=str)
    assert errors == [], [e.message for e in errors][:3]


@dataclass
class TeamsBot:
    client: TestClient
    connector: FakeConnector
    runtime: Runtime
    platforms: Platforms
    issuer: FakeIssuer | None = None

    def activity(self, name: str, **changes: Any) -> dict[str, Any]:
        """A shared fixture aimed at this bot: our service URL, tenant, bot id and user."""
        activity = copy.deepcopy(fixture(name))
        activity["serviceUrl"] = self.connector.url
        activity["channelData"]["tenant"] = {"id": TENANT}
        activity["recipient"] = {"id": BOT, "name": "LeadWell"}
        activity["from"].update(aadObjectId=USER, name="Megan Bowen")
        activity.update(changes)
        return activity

    def message(self, text: str, activity_id: str) -> dict[str, Any]:
        return self.activity("message_personal.json", text=text, id=activity_id)

    def press(self, action: dict[str, Any], activity_id: str, **inputs: str) -> dict[str, Any]:
        """What Teams sends when an Action.Execute button is pressed (with any card inputs merged into data)."""
        invoke = self.activity("invoke_adaptive_card_action.json", id=activity_id)
        invoke["conversation"] = self.activity("message_personal.json")["conversation"]
        invoke["value"]["action"] = {
            "type": "Action.Execute",
            "verb": action["verb"],
            "data": {**action["data"], **inputs},
        }
        return invoke

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> ClientResponse:
        if self.issuer is not None and headers is None:
            headers = self.issuer.header(audience=APP_ID, service_url=activity["serviceUrl"])
        return await self.client.post("/api/messages", json=activity, headers=headers or {})

    async def replies(self, count: int) -> list[Sent]:
        sent = await self.connector.wait_for(count)
        for reply in sent:
            assert_valid_card(reply.card)
        return sent

    async def settle(self) -> None:
        assert self.platforms.teams is not None
        await self.platforms.engine.drain()

    async def people(self) -> list[Person]:
        async with self.runtime.db.transaction() as session:
            return list((await session.exec(select(Person))).all())

    async def addresses(self) -> list[ConversationAddress]:
        async with self.runtime.db.transaction() as session:
            return list((await session.exec(select(ConversationAddress))).all())


async def start_bot(tmp_path: Path, connector: FakeConnector, issuer: FakeIssuer | None = None) -> TeamsBot:
    url = migrated_sqlite(tmp_path / "teams.db")
    if issuer is None:
        settings = load_settings(database_url=url)
        endpoints = None
    else:
        settings = load_settings(database_url=url, MicrosoftAppId=APP_ID, MicrosoftAppPassword="pw-secret",
                                 MicrosoftAppTenantId=TENANT)  # fmt: skip
        endpoints = TeamsEndpoints(
            openid_metadata_url=issuer.metadata_url,
            trusted_service_urls=(connector.url,),
            outbound_token="fixed-test-aad-token",
        )
    runtime = build_runtime(settings, knowledge=shared_knowledge())
    platforms = build_platforms(runtime, teams_endpoints=endpoints)
    client = TestClient(TestServer(create_app(runtime, platforms)))
    await client.start_server()
    return TeamsBot(client, connector, runtime, platforms, issuer)


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = await FakeConnector().start()
    yield fake
    await fake.close()


@pytest.fixture
async def bot(tmp_path: Path, connector: FakeConnector) -> AsyncIterator[TeamsBot]:
    """The local emulator mode: no app id, loopback bind."""
    started = await start_bot(tmp_path, connector)
    yield started
    await started.client.close()


@pytest.fixture
async def secured(tmp_path: Path, connector: FakeConnector) -> AsyncIterator[TeamsBot]:
    """A configured single-tenant app; tokens come from the fake issuer."""
    issuer = await FakeIssuer().start()
    started = await start_bot(tmp_path, connector, issuer)
    yield started
    await started.client.close()
    await issuer.close()


# ---- conversation ---------------------------------------------------------------------------------


async def test_a_personal_message_is_answered_with_a_card_and_the_address_is_kept(bot: TeamsBot) -> None:
    message = bot.message("hello", "1001")
    response = await bot.post(message)
    assert response.status == 200
    (reply,) = await bot.replies(1)
    assert reply.conversation == message["conversation"]["id"] and reply.reply_to == "1001"
    assert "I'm LeadWell" in reply.text
    assert reply.card["version"] == "1.5" and all(b.get("wrap") for b in reply.card["body"])
    await bot.settle()
    (person,) = await bot.people()
    assert person.identity == f"teams:{USER}" and person.name == "Megan Bowen"
    (address,) = await bot.addresses()
    assert address.address["conversation"]["tenantId"] == TENANT
    assert address.address["user"]["aadObjectId"] == USER


async def test_a_retry_of_the_same_activity_is_acknowledged_and_not_handled_twice(bot: TeamsBot) -> None:
    message = bot.message("hello", "1002")
    assert (await bot.post(message)).status == 200
    await bot.replies(1)
    assert (await bot.post(message)).status == 200
    await bot.settle()
    assert len(bot.connector.sent) == 1


async def test_a_channel_mention_is_answered_in_its_thread_without_the_mention(bot: TeamsBot) -> None:
    mention = bot.activity("message_channel_mention.json", text="<at>LeadWell</at> help")
    mention["entities"][0] = {"type": "mention", "text": "<at>LeadWell</at>", "mentioned": {"id": BOT}}
    assert (await bot.post(mention)).status == 200
    (reply,) = await bot.replies(1)
    assert reply.conversation == mention["conversation"]["id"] and reply.reply_to == mention["id"]
    assert reply.texts[0].startswith("Here is what I can do")
    await bot.settle()
    assert await bot.addresses() == []  # a channel is not the person's own chat


async def test_buttons_are_actions_and_a_press_is_answered_with_an_invoke_response(bot: TeamsBot) -> None:
    await bot.post(bot.message("nudge", "1003"))
    welcome, offer = await bot.replies(2)
    buttons = offer.card["actions"]
    assert [b["title"] for b in buttons] == ["Done", "Not today", "Another"]
    assert all(b["type"] == "Action.Execute" for b in buttons)
    response = await bot.post(bot.press(buttons[0], "f:press-1"))
    assert response.status == 200
    assert await response.json() == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "Got it.",
    }
    third = (await bot.replies(3))[2]
    assert third.text.startswith("Lovely, recorded.")
    again = await bot.post(bot.press(buttons[0], "f:press-1"))  # Teams retried the same invoke
    assert (await again.json())["value"] == "Already done."
    await bot.settle()
    assert len(bot.connector.sent) == 3


async def test_an_action_submit_message_is_routed_as_an_action_too(bot: TeamsBot) -> None:
    await bot.post(bot.message("nudge", "1004"))
    _, offer = await bot.replies(2)
    submit = bot.message("", "1005")
    submit["value"] = offer.card["actions"][1]["data"]  # Action.Submit puts the data in the message's value
    assert (await bot.post(submit)).status == 200
    third = (await bot.replies(3))[2]
    assert third.text.startswith("No problem. Not every day has room for it")


async def test_a_form_is_card_inputs_and_a_bad_submission_shows_the_card_again_with_its_message(
    bot: TeamsBot,
) -> None:
    await bot.post(bot.message("checkin now", "1006"))
    _, question = await bot.replies(2)
    reflect = question.card["actions"][0]
    await bot.post(bot.press(reflect, "f:reflect"))
    form_card = (await bot.replies(3))[2].card
    field = next(e for e in form_card["body"] if e["type"] == "Input.Text")
    assert field["id"] == "field.reflection" and field["isRequired"] is True
    submit = form_card["actions"][0]
    refused = await bot.post(bot.press(submit, "f:submit-1", **{"field.reflection": "  "}))
    body = await refused.json()
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert_valid_card(body["value"])
    assert "Please fill in your reflection." in [e.get("text") for e in body["value"]["body"]]
    accepted = await bot.post(bot.press(submit, "f:submit-2", **{"field.reflection": "Good day on the ward."}))
    assert (await accepted.json())["value"] == "Got it."
    saved = (await bot.replies(4))[3]
    assert saved.text.startswith("Thank you. Your reflection (5 words) is saved")


async def test_user_text_the_bot_repeats_cannot_inject_markdown_or_mentions(bot: TeamsBot) -> None:
    await bot.post(bot.message("timezone <at>Everyone</at>**now**[x](https://evil.example)", "1007"))
    shown = (await bot.replies(2))[-1].text
    assert "<at>" not in shown and "&lt;at&gt;Everyone&lt;/at&gt;" in shown
    assert "**now**" not in shown and "\\*\\*now\\*\\*" in shown and "\\[x\\]" in shown


# ---- installation and proactive sends ---------------------------------------------------------------


def installed_personally(bot: TeamsBot) -> dict[str, Any]:
    update = bot.activity("conversation_update_members_added_personal.json")
    update["membersAdded"] = [{"id": BOT}, {"id": update["from"]["id"], "aadObjectId": USER}]
    update["conversation"] = {"conversationType": "personal", "id": "a:personal-chat-1"}
    return update


async def test_an_answer_is_formatted_as_text_block_markdown_in_a_valid_card(bot: TeamsBot) -> None:
    await bot.post(bot.message("what is the code of practice?", "1008"))
    _, reply = await bot.replies(2)  # the welcome on first contact, then the answer
    assert_valid_card(reply.card)
    first = reply.card["body"][0]
    assert first["type"] == "TextBlock" and first["wrap"] is True and "Code of Practice" in first["text"]
    assert "\\" not in first["text"] and "**" not in reply.activity["summary"]


async def test_installing_the_app_greets_and_stores_the_reference_for_later_messages(bot: TeamsBot) -> None:
    assert (await bot.post(installed_personally(bot))).status == 200
    (welcome,) = await bot.replies(1)
    assert "I'm LeadWell" in welcome.text and welcome.conversation == "a:personal-chat-1"
    await bot.settle()
    (address,) = await bot.addresses()
    assert address.reachable and address.address["conversation"]["id"] == "a:personal-chat-1"
    assert address.address["conversation"]["tenantId"] == TENANT and address.address["user"]["aadObjectId"] == USER


async def queue_nudge(bot: TeamsBot) -> int:
    db, clock = bot.runtime.db, bot.runtime.services.clock
    async with db.transaction() as session:
        repos = Repositories(session)
        person = await repos.people.by_identity(f"teams:{USER}")
        assert person is not None
        message_id = await repos.outbox.enqueue(
            dedupe_key=f"nudge:{person.id}:1", purpose="nudge", person_id=person.id or 0, platform="teams",
            payload=Reply("Try a two-minute check-in with your team.").to_dict(), due_at=clock.now(), now=clock.now(),
        )  # fmt: skip
    return message_id or 0


async def outbox_row(bot: TeamsBot, message_id: int) -> OutboxMessage:
    async with bot.runtime.db.transaction() as session:
        row = await session.get(OutboxMessage, message_id)
        assert row is not None
        return row


async def test_a_proactive_message_goes_to_the_stored_conversation(bot: TeamsBot) -> None:
    await bot.post(installed_personally(bot))
    await bot.replies(1)
    await bot.settle()
    message_id = await queue_nudge(bot)
    sender = OutboxSender(
        bot.runtime.db, bot.runtime.services.clock, bot.platforms.transports, sealer=bot.runtime.services.sealer
    )
    assert await sender.run_once() == 1
    nudge = (await bot.replies(2))[1]
    assert nudge.conversation == "a:personal-chat-1" and nudge.reply_to is None
    assert nudge.text == "Try a two-minute check-in with your team."
    row = await outbox_row(bot, message_id)
    assert row.state == "sent" and row.platform_ref == {
        "conversation": "a:personal-chat-1", "activity_id": "activity-2", "service_url": bot.connector.url
    }  # fmt: skip


async def test_a_429_pauses_teams_sends_and_a_403_fails_the_message_with_its_reason(bot: TeamsBot) -> None:
    await bot.post(installed_personally(bot))
    await bot.replies(1)
    await bot.settle()
    message_id = await queue_nudge(bot)
    clock = bot.runtime.services.clock
    sender = OutboxSender(bot.runtime.db, clock, bot.platforms.transports, sealer=bot.runtime.services.sealer)
    bot.connector.answer(429, {"error": {"code": "Throttled", "message": "slow down"}}, {"Retry-After": "7"})
    await sender.run_once()
    row = await outbox_row(bot, message_id)
    assert row.state != "sent" and "retry after 7" in (row.last_error or "")
    async with bot.runtime.db.transaction() as session:
        pace = (await session.exec(select(SendPace).where(SendPace.platform == "teams"))).one()
        assert pace.paused_until is not None and pace.paused_until > clock.now() + timedelta(seconds=5)

    async with bot.runtime.db.transaction() as session:  # the pause is over; the next send is refused for good
        pace = await session.get(SendPace, "teams")
        assert pace is not None
        pace.paused_until, pace.next_slot_at = None, clock.now()
        session.add(pace)
        row = await session.get(OutboxMessage, message_id)
        assert row is not None
        row.due_at = clock.now()
        session.add(row)
    bot.connector.answer(403, {"error": {"code": "ConversationBlockedByUser", "message": "User blocked the bot"}})
    await sender.run_once()
    row = await outbox_row(bot, message_id)
    assert row.state == "failed" and "403 ConversationBlockedByUser" in (row.last_error or "")
    assert bot.connector.refused == 2 and len(bot.connector.sent) == 1  # only the welcome got through


async def test_uninstalling_marks_the_person_unreachable_on_teams(bot: TeamsBot) -> None:
    await bot.post(installed_personally(bot))
    await bot.replies(1)
    await bot.settle()
    removal = installed_personally(bot)
    removal.update(type="installationUpdate", action="remove", id="f:removed")
    removal.pop("membersAdded")
    assert (await bot.post(removal)).status == 200
    await bot.settle()
    (address,) = await bot.addresses()
    assert not address.reachable and "uninstalled" in (address.unreachable_reason or "")


async def test_an_activity_acknowledged_but_unfinished_at_a_crash_is_finished_after_restart(bot: TeamsBot) -> None:
    db, clock = bot.runtime.db, bot.runtime.services.clock
    message = bot.message("hello", "1008")
    async with db.transaction() as session:  # what a process that died right after the ack leaves behind
        await Repositories(session).inbox.record(
            platform="teams", event_id=f"{message['conversation']['id']}|1008", payload=message,
            now=clock.now() - timedelta(minutes=5), lease=timedelta(seconds=30),
        )  # fmt: skip
    assert bot.platforms.teams is not None
    recovery = InboxRecovery(db, clock, bot.platforms.engine)
    assert await recovery.run_once() == 1
    (reply,) = await bot.replies(1)
    assert "I'm LeadWell" in reply.text
    assert (await bot.post(message)).status == 200  # Teams' own retry of it
    await bot.settle()
    assert len(bot.connector.sent) == 1


# ---- bad input, emulator mode ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"{not json", {"Content-Type": "application/json"}, 400),
        (b'{"text": "no type"}', {"Content-Type": "application/json"}, 400),
        (b"\xff\xfe", {"Content-Type": "application/json"}, 400),
        (b'{"type": "message"}', {}, 400),
        (b"type=message", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
    ],
    ids=["malformed", "no-type", "not-utf8", "no-content-type", "form"],
)
async def test_unreadable_requests_get_4xx_never_500(
    bot: TeamsBot, body: bytes, headers: dict[str, str], status: int
) -> None:
    response = await bot.client.post("/api/messages", data=body, headers=headers, skip_auto_headers={"Content-Type"})
    assert response.status == status


async def test_the_emulator_mode_refuses_a_service_url_that_is_not_loopback(bot: TeamsBot) -> None:
    forged = bot.message("hello", "1009")
    forged["serviceUrl"] = "https://smba.evil.example.com/amer/"
    assert (await bot.post(forged)).status == 403
    await bot.settle()
    assert await bot.people() == [] and bot.connector.calls == 0


def test_without_an_app_id_teams_is_off_on_a_public_bind_and_half_settings_refuse_to_start(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="MicrosoftAppId is required"):
        load_settings(MicrosoftAppTenantId=TENANT)
    settings = load_settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db", host="0.0.0.0",
                             secret_key="k" * 32)  # fmt: skip
    platforms = build_platforms(build_runtime(settings, knowledge=shared_knowledge()))
    assert platforms.teams is None and "teams" not in platforms.engine.adapters


# ---- real token checks -----------------------------------------------------------------------------------


async def test_a_valid_token_is_accepted_and_replies_carry_the_bots_credentials(secured: TeamsBot) -> None:
    assert secured.issuer is not None and secured.issuer.requests == 2  # keys fetched at start-up
    assert (await secured.post(secured.message("hello", "2001"))).status == 200
    (reply,) = await secured.replies(1)
    assert reply.authorization == "Bearer fixed-test-aad-token"
    assert secured.issuer.requests == 2  # and not again per request


@pytest.mark.parametrize(
    "token",
    [
        {"forged": True},
        {"expired": True},
        {"audience": "someone-elses-app"},
        {"issuer": "https://issuer.example.com"},
        None,
    ],
    ids=["forged", "expired", "wrong-audience", "wrong-issuer", "missing"],
)
async def test_requests_without_a_valid_token_are_refused_with_401(
    secured: TeamsBot, token: dict[str, Any] | None
) -> None:
    assert secured.issuer is not None
    message = secured.message("hello", "2002")
    headers = {}
    if token is not None:
        claims = {"audience": APP_ID, "service_url": message["serviceUrl"], **token}
        headers = secured.issuer.header(**claims)
    response = await secured.client.post("/api/messages", json=message, headers=headers)
    assert response.status == 401
    await secured.settle()
    assert await secured.people() == [] and secured.connector.calls == 0


async def test_a_token_signed_with_an_unknown_key_id_or_garbage_is_401_not_500(secured: TeamsBot) -> None:
    message = secured.message("hello", "2003")
    for header in ("Bearer not-a-jwt", "Basic abc", "Bearer a.b.c"):
        response = await secured.client.post("/api/messages", json=message, headers={"Authorization": header})
        assert response.status == 401


async def test_a_token_for_another_service_url_is_refused(secured: TeamsBot) -> None:
    assert secured.issuer is not None
    message = secured.message("hello", "2004")
    headers = secured.issuer.header(audience=APP_ID, service_url="https://smba.trafficmanager.net/emea/")
    assert (await secured.post(message, headers)).status == 401


async def test_a_forged_service_url_is_never_stored_or_called(secured: TeamsBot) -> None:
    elsewhere = await FakeConnector().start()
    try:
        forged = secured.message("hello", "2005")
        forged["serviceUrl"] = elsewhere.url  # validly signed, but not a Bot Framework host
        assert (await secured.post(forged)).status == 403
        await secured.settle()
        assert elsewhere.calls == 0 and secured.connector.calls == 0
        assert await secured.people() == [] and await secured.addresses() == []
    finally:
        await elsewhere.close()


async def test_another_tenant_is_refused(secured: TeamsBot) -> None:
    message = secured.message("hello", "2006")
    message["channelData"]["tenant"] = {"id": "11111111-2222-3333-4444-555555555555"}
    assert (await secured.post(message)).status == 403
    await secured.settle()
    assert await secured.people() == []


async def test_inbox_recovery_replays_each_activity_alone_and_gives_up_a_poison_one_with_its_reason(
    bot: TeamsBot,
) -> None:
    db, clock = bot.runtime.db, bot.runtime.services.clock
    poison = bot.message("hi", "2001")
    poison["entities"] = [{"type": "mention", "mentioned": "x", "text": "a"}]  # `mentioned` should be an object
    others = [bot.message(f"hello {n}", f"20{n:02d}") for n in range(2, 7)]
    async with db.transaction() as session:  # what a process killed right after the acks leaves behind
        for activity in [poison, *others]:
            await Repositories(session).inbox.record(
                platform="teams", event_id=f"{activity['conversation']['id']}|{activity['id']}", payload=activity,
                now=clock.now() - timedelta(minutes=5), lease=timedelta(seconds=30),
            )  # fmt: skip
    recovery = InboxRecovery(db, clock, bot.platforms.engine)
    await recovery.run_once()
    replies = await bot.replies(len(others) + 1)  # the first one also carries a welcome
    assert {reply.reply_to for reply in replies} == {a["id"] for a in others}
    async with db.transaction() as session:
        states = {row.event_id.split("|")[1]: (row.state, row.last_error) for row in
                  (await session.exec(select(InboxEvent))).all()}  # fmt: skip
    assert states["2001"][0] == "failed" and "unreadable" in (states["2001"][1] or "")
    assert all(states[a["id"]][0] == "done" for a in others)


# ---- hostile and malformed input -----------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"channelData": "a string"},
        {"channelData": {"tenant": "a string"}},
        {"entities": [{"type": "mention", "mentioned": "x", "text": "a"}]},
        {"text": {"an": "object"}},
        {"from": "a string"},
        {"value": {"action": "a string"}},
    ],
    ids=["channelData-string", "tenant-string", "mentioned-string", "text-object", "from-string", "action-string"],
)
async def test_authentic_activities_with_fields_of_the_wrong_shape_get_400_never_a_crash(
    secured: TeamsBot, change: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    activity = {**secured.message("hello", "3001"), **change}
    assert (await secured.post(activity)).status == 400
    await secured.settle()
    assert secured.connector.sent == []
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_json_nested_ten_thousand_deep_is_a_400(bot: TeamsBot) -> None:
    body = b'{"type": "message", "value": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    response = await bot.client.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400


async def test_without_a_valid_token_a_large_body_is_refused_before_it_is_read(secured: TeamsBot) -> None:
    body = b'{"type": "message", "text": "' + b"x" * 900_000 + b'"}'
    started = time.monotonic()
    response = await secured.client.post(
        "/api/messages", data=body, headers={"Content-Type": "application/json", "Authorization": "Bearer junk"}
    )
    assert response.status == 401 and time.monotonic() - started < 0.2


async def test_a_sent_card_can_be_updated_and_deleted_through_the_reference_kept_on_its_outbox_row(
    bot: TeamsBot,
) -> None:
    assert (await bot.post(bot.message("hello", "4001"))).status == 200
    await bot.replies(1)
    await bot.settle()
    async with bot.runtime.db.transaction() as session:
        row = (await session.exec(select(OutboxMessage).where(OutboxMessage.state == "sent"))).first()
    assert row is not None and row.platform_ref is not None
    assert row.platform_ref["service_url"] == bot.connector.url and row.platform_ref["activity_id"]
    transport = bot.platforms.teams.transport if bot.platforms.teams else None
    assert transport is not None
    await transport.update(row.platform_ref, Reply("This message was corrected."))
    (updated,) = bot.connector.updated
    assert updated.activity_id == row.platform_ref["activity_id"] and "corrected" in json.dumps(updated.activity)
    await transport.delete(row.platform_ref)
    assert [d.activity_id for d in bot.connector.deleted] == [row.platform_ref["activity_id"]]
    with pytest.raises(PermanentFailure, match="404"):
        await transport.delete(row.platform_ref)


async def test_a_reflection_typed_straight_after_checkin_now_is_saved_on_teams(bot: TeamsBot) -> None:
    assert (await bot.post(bot.message("checkin now", "5001"))).status == 200
    await bot.replies(2)
    assert (await bot.post(bot.message("quieter day, I listened more than I spoke", "5002"))).status == 200
    saved = (await bot.replies(3))[-1]
    assert "Your reflection (8 words) is saved" in saved.text


# ---- the server decides who may do what -------------------------------------------------------------


async def test_forged_action_submit_and_invoke_data_acting_as_admin_on_another_person_are_refused_and_audited(
    bot: TeamsBot,
) -> None:
    victim = "0c1a2b3c-0000-4000-8000-00000000aaaa"
    hello = bot.message("hello", "2001")
    hello["from"] = {**hello["from"], "aadObjectId": victim, "id": "29:victim"}
    await bot.post(hello)
    await bot.post(bot.message("hello", "2002"))
    await bot.replies(2)
    claim = {"person": f"teams:{victim}", "role": "admin"}
    form = {"title": "Set a role", "submit_action": "role.set", "context": claim,
            "fields": [{"name": "role", "label": "Role"}]}  # fmt: skip
    submit = bot.message("", "2003")  # an Action.Submit, with the form definition of the old cards, forged
    submit["value"] = {"lw": "form.submit", "form": form, "field.role": "admin"}
    assert (await bot.post(submit)).status == 200
    on_themselves = bot.message("", "2004")
    on_themselves["value"] = {"lw": "role.set", "v": {"person": f"teams:{USER}", "role": "admin"}}
    assert (await bot.post(on_themselves)).status == 200
    invoke = bot.press({"verb": "lw", "data": {"lw": "role.set", "v": claim}}, "f:forged")
    answer = await (await bot.post(invoke)).json()
    assert answer["value"] == "That button has expired or could not be checked; nothing was changed."
    replies = await bot.replies(5)
    assert all(r.text.startswith("I couldn't check that button, so nothing was changed.") for r in replies[2:])
    await bot.settle()
    assert {p.identity: p.role for p in await bot.people()} == {f"teams:{victim}": "staff", f"teams:{USER}": "staff"}
    async with bot.runtime.db.transaction() as session:
        audit = (await session.exec(select(AuditEntry))).all()
    assert [(e.actor, e.action, e.outcome, e.detail) for e in audit] == [
        (f"teams:{USER}", "action.refused", "refused", {"reason": "invalid"})
    ] * 3


async def test_a_staff_press_of_a_signed_admin_button_is_refused_and_a_form_token_only_reads_its_own_fields(
    bot: TeamsBot,
) -> None:
    await bot.post(bot.message("hello", "2101"))
    await bot.replies(1)
    admin_only = bot.runtime.signer.sign("role.set", {"person": f"teams:{USER}", "role": "admin"})
    await bot.post(bot.press({"verb": "lw", "data": {"lw": admin_only}}, "f:admin-only"))
    refused = (await bot.replies(2))[1]
    assert refused.text == "Sorry, that button is only for admins. Nothing was changed."
    await bot.post(bot.message("checkin now", "2102"))
    await bot.post(bot.press((await bot.replies(3))[2].card["actions"][0], "f:reflect"))
    submit = (await bot.replies(4))[3].card["actions"][0]
    extra = {"field.reflection": "A calm shift.", "field.person": f"teams:{USER}", "person": "x", "role": "admin"}
    assert (await (await bot.post(bot.press(submit, "f:submit", **extra))).json())["value"] == "Got it."
    saved = (await bot.replies(5))[4]
    assert saved.text.startswith("Thank you. Your reflection (3 words) is saved")
    assert {p.role for p in await bot.people()} == {"staff"}


# ---- private replies to a channel message -----------------------------------------------------------


def channel_mention(bot: TeamsBot, text: str, activity_id: str) -> dict[str, Any]:
    mention = bot.activity("message_channel_mention.json", text=f"<at>LeadWell</at> {text}", id=activity_id)
    mention["entities"][0] = {"type": "mention", "text": "<at>LeadWell</at>", "mentioned": {"id": BOT}}
    mention["conversation"]["tenantId"] = TENANT
    return mention


async def test_a_private_reply_to_a_channel_message_opens_a_personal_chat_and_nothing_goes_to_the_channel(
    bot: TeamsBot,
) -> None:
    await bot.platforms.engine.conversation.ensure_person(f"teams:{USER}", "teams")  # known, but no chat stored
    assert await bot.addresses() == []
    mention = channel_mention(bot, "my reflections", "3101")
    channel = mention["conversation"]["id"]
    assert (await bot.post(mention)).status == 200
    (reply,) = await bot.replies(1)
    (opened,) = bot.connector.created
    assert opened["isGroup"] is False and opened["members"] == [{"id": mention["from"]["id"]}]
    assert opened["bot"]["id"] == BOT and opened["tenantID"] == TENANT  # botbuilder spells it so
    assert opened["channelData"] == {"tenant": {"id": TENANT}}
    assert reply.conversation == f"a:personal-{mention['from']['id']}" and reply.reply_to is None
    assert "no reflections yet" in reply.text
    await bot.settle()
    assert all(sent.conversation != channel for sent in bot.connector.sent)
    (address,) = await bot.addresses()
    assert address.reachable and address.address["conversation"] == {
        "id": reply.conversation, "conversationType": "personal", "tenantId": TENANT
    }  # fmt: skip
    assert address.address["user"]["aadObjectId"] == USER and address.address["serviceUrl"] == bot.connector.url

    assert (await bot.post(channel_mention(bot, "my reflections", "3102"))).status == 200  # the stored chat is used
    second = (await bot.replies(2))[1]
    await bot.settle()
    assert second.conversation == reply.conversation and len(bot.connector.created) == 1
    assert all(sent.conversation != channel for sent in bot.connector.sent)


async def test_a_private_reply_whose_personal_chat_cannot_be_opened_fails_and_is_not_posted_in_the_channel(
    bot: TeamsBot,
) -> None:
    await bot.platforms.engine.conversation.ensure_person(f"teams:{USER}", "teams")
    bot.connector.answer(403, {"error": {"code": "BotNotInConversationRoster", "message": "not installed"}})
    assert (await bot.post(channel_mention(bot, "my reflections", "3201"))).status == 200
    await bot.settle()
    assert bot.connector.sent == [] and await bot.addresses() == []
    async with bot.runtime.db.transaction() as session:
        (row,) = (await session.exec(select(OutboxMessage))).all()
    assert row.state == "failed" and "403 BotNotInConversationRoster" in (row.last_error or "")


async def test_a_reflection_and_its_read_back_on_teams_are_never_in_the_database_in_the_clear(
    bot: TeamsBot, tmp_path: Path
) -> None:
    said = ["checkin now", "felt hopeless after the incident review, heron-quill-2290", "my reflections"]
    for n, text in enumerate(said):
        assert (await bot.post(bot.message(text, f"60{n:02d}"))).status == 200
        await bot.settle()
    replies = await bot.replies(4)
    assert any("heron-quill-2290" in reply.text for reply in replies)  # read back to its author only
    stored = await asyncio.to_thread(lambda: [p.read_bytes() for p in tmp_path.glob("teams.db*")])
    assert stored and not any(b"heron-quill" in raw for raw in stored)  # inbox, reflection, outbox: all sealed
