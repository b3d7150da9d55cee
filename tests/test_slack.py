"""Slack, over real HTTP: signed requests in (Slack's own payload shapes), what the bot posts to a fake Web API."""

from __future__ import annotations

import asyncio
import copy
import io
import json
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from jsonschema import Draft202012Validator
from sqlmodel import select

from bot.platforms import Platforms, build_platforms
from bot.protocols import PermanentFailure
from bot.runtime import Runtime, build_runtime
from bot.secrets_store import sealing_secret
from bot.server import create_app
from bot.settings import load_settings
from bot.slack.blocks import action_from_value, button_value
from bot.workers.inbox_recovery import InboxRecovery
from bot.workers.sender import OutboxSender
from handlers.messages import Action, Reply
from handlers.tokens import Signer, TokenRefused
from storage.models import AuditEntry, InboxEvent, OutboxMessage, Person
from storage.repositories import Repositories
from tests.support.fake_slack import FakeSlack
from tests.support.shared import migrated_sqlite, shared_knowledge
from tests.support.slack_requests import SECRET, dm, event_body, fixture, form_body, signed_headers

SCHEMAS = Path(__file__).resolve().parents[1].parent / "shared" / "schemas"
BLOCK_KIT = Draft202012Validator(json.loads((SCHEMAS / "slack-block-kit.schema.json").read_text()))


@dataclass
class SlackBot:
    client: TestClient
    slack: FakeSlack
    runtime: Runtime
    platforms: Platforms

    async def post(self, body: bytes, content_type: str, **headers: str):  # type: ignore[no-untyped-def]
        return await self.client.post(
            "/slack/events", data=body, headers={**signed_headers(body, content_type), **headers}
        )

    async def settle(self) -> None:
        assert self.platforms.slack is not None
        await self.platforms.engine.drain()


def press(button: dict[str, Any]) -> dict[str, Any]:
    """What Slack sends when W222 presses `button` (a Block Kit button the bot posted) in their DM."""
    click = fixture("block_actions.json")
    click["user"].update(id="W222", username="sam", name="sam")
    click["actions"][0].update(action_id=button["action_id"], value=button["value"])
    click["container"]["channel_id"] = "D111"
    return click


@asynccontextmanager
async def running_bot(tmp_path: Path, **settings: Any) -> AsyncIterator[SlackBot]:
    """Our aiohttp app over real HTTP, talking to a fake Slack Web API; `settings` added to the defaults."""
    slack = await FakeSlack().start()
    url = migrated_sqlite(tmp_path / "slack.db")
    runtime = build_runtime(load_settings(
        database_url=url, slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack.url,
        **settings,
    ), knowledge=shared_knowledge())  # fmt: skip
    platforms = build_platforms(runtime)
    client = TestClient(TestServer(create_app(runtime, platforms)))
    await client.start_server()
    try:
        yield SlackBot(client, slack, runtime, platforms)
    finally:
        await client.close()
        await slack.close()


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[SlackBot]:
    async with running_bot(tmp_path) as running:
        yield running


async def test_the_url_verification_challenge_is_answered(bot: SlackBot) -> None:
    response = await bot.post(*event_body(fixture("url_verification.json")))
    assert response.status == 200
    assert (await response.json())["challenge"] == fixture("url_verification.json")["challenge"]


async def test_a_direct_message_is_acknowledged_then_answered_in_the_dm(bot: SlackBot) -> None:
    started = time.perf_counter()
    response = await bot.post(*event_body(dm("hello", event_id="EvHello")))
    assert response.status == 200 and time.perf_counter() - started < 3
    (call,) = await bot.slack.wait_for("chat.postMessage", 1)
    assert call.body["channel"] == "D111"
    assert "I'm LeadWell" in call.body["text"]


async def test_a_retry_of_the_same_event_is_acknowledged_and_not_handled_twice(bot: SlackBot) -> None:
    body = event_body(dm("hello", event_id="EvRetry"))
    assert (await bot.post(*body)).status == 200
    await bot.slack.wait_for("chat.postMessage", 1)
    retry = await bot.post(*body, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status == 200
    await bot.settle()
    assert len(bot.slack.posted()) == 1


async def test_many_people_writing_at_once_each_get_their_own_answer_once(bot: SlackBot) -> None:
    bodies = []
    for n in range(40):
        payload = dm("hello", event_id=f"EvMany{n}", user=f"W{n:03d}")
        payload["event"]["channel"] = f"D{n:03d}"
        bodies.append(event_body(payload))
    responses = await asyncio.gather(*(bot.post(*body) for body in bodies))
    assert [response.status for response in responses] == [200] * 40
    await bot.slack.wait_for("chat.postMessage", 40)
    await bot.settle()
    posted = bot.slack.posted()
    assert sorted(call["channel"] for call in posted) == [f"D{n:03d}" for n in range(40)]
    assert all(call["text"].startswith("Hello") for call in posted)


async def test_a_mention_in_a_channel_is_answered_in_a_thread_without_the_mention(bot: SlackBot) -> None:
    payload = fixture("app_mention.json")
    payload["event"]["text"] = "<@W111> help"
    await bot.post(*event_body(payload))
    (call,) = await bot.slack.wait_for("chat.postMessage", 1)
    assert call.body["channel"] == payload["event"]["channel"]
    assert call.body["thread_ts"] == payload["event"]["ts"]
    assert "Here is what I can do" in call.body["text"]


async def test_the_slash_command_goes_through_the_core(bot: SlackBot) -> None:
    body = fixture("slash_command.txt").replace("text=Hi", "text=help").encode()
    response = await bot.post(body, "application/x-www-form-urlencoded")
    assert response.status == 200
    (call,) = await bot.slack.wait_for("chat.postMessage", 1)
    assert call.body["channel"] == "W111"  # answered to the person, not the whole channel
    assert "Here is what I can do" in call.body["text"]


async def test_buttons_come_back_to_the_core_as_actions(bot: SlackBot) -> None:
    await bot.post(*event_body(dm("nudge", event_id="EvNudge")))
    welcome, offer = await bot.slack.wait_for("chat.postMessage", 2)
    assert "I'm LeadWell" in welcome.body["text"]
    buttons = offer.body["blocks"][-1]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["Done", "Not today", "Another"]
    click = fixture("block_actions.json")
    click["user"].update(id="W222", username="sam", name="sam")
    click["actions"][0].update(action_id=buttons[0]["action_id"], value=buttons[0]["value"])
    click["container"]["channel_id"] = "D111"
    assert (await bot.post(*form_body(click))).status == 200
    calls = await bot.slack.wait_for("chat.postMessage", 3)
    assert calls[2].body["text"].startswith("Lovely, recorded.")


async def test_user_text_the_bot_repeats_is_escaped(bot: SlackBot) -> None:
    await bot.post(*event_body(dm("timezone <!channel>&friends", event_id="EvEscape")))
    calls = await bot.slack.wait_for("chat.postMessage", 2)
    shown = calls[-1].body["blocks"][0]["text"]["text"]
    assert "<!channel>" not in shown and "&lt;!channel&gt;&amp;friends" in shown


async def test_an_answer_is_formatted_as_rich_text_valid_block_kit_with_a_plain_notification_text(
    bot: SlackBot,
) -> None:
    await bot.post(*event_body(dm("what is the code of practice?", event_id="EvAnswer")))
    _, call = await bot.slack.wait_for("chat.postMessage", 2)  # the welcome on first contact, then the answer
    blocks = call.body["blocks"]
    assert blocks[0]["type"] == "rich_text" and blocks[0]["elements"][0]["type"] == "rich_text_section"
    assert sorted(BLOCK_KIT.iter_errors(blocks), key=str) == []
    shown = "".join(e["text"] for e in blocks[0]["elements"][0]["elements"])
    assert call.body["text"].startswith(shown[:80]) and "**" not in call.body["text"]


async def test_a_form_opens_as_a_modal_and_its_submission_is_validated(bot: SlackBot) -> None:
    await bot.post(*event_body(dm("checkin now", event_id="EvCheckin")))
    _, question = await bot.slack.wait_for("chat.postMessage", 2)
    click = press(question.body["blocks"][-1]["elements"][0])
    await bot.post(*form_body(click))
    (first_open,) = await bot.slack.wait_for("views.open", 1)  # one click: the form opens at once
    assert first_open.body["trigger_id"] == click["trigger_id"]
    prompt = (await bot.slack.wait_for("chat.postMessage", 3))[2]
    open_form = prompt.body["blocks"][-1]["elements"][-1]
    assert open_form["text"]["text"] == "Open: Your reflection"
    click["trigger_id"] = "222.333.open"
    click["actions"][0].update(action_id=open_form["action_id"], value=open_form["value"])
    await bot.post(*form_body(click))
    opened = (await bot.slack.wait_for("views.open", 2))[1]  # and again from the message's button
    view = opened.body["view"]
    assert opened.body["trigger_id"] == "222.333.open" and view["blocks"][0]["block_id"] == "reflection"

    submission = fixture("view_submission.json")
    submission["user"].update(id="W222", username="sam", name="sam")
    submission["trigger_id"] = "333.444.first"
    submission["view"].update(callback_id=view["callback_id"], private_metadata=view["private_metadata"])
    submission["view"]["state"] = {
        "values": {"reflection": {"reflection": {"type": "plain_text_input", "value": "  "}}}
    }
    refused = await bot.post(*form_body(submission))
    assert (await refused.json()) == {
        "response_action": "errors",
        "errors": {"reflection": "Please fill in your reflection."},
    }
    submission["trigger_id"] = "333.444.second"
    submission["view"]["state"]["values"]["reflection"]["reflection"]["value"] = "Good day on the ward."
    accepted = await bot.post(*form_body(submission))
    assert accepted.status == 200 and await accepted.text() == ""
    calls = await bot.slack.wait_for("chat.postMessage", 4)
    assert calls[-1].body["text"].startswith("Thank you. Your reflection (5 words) is saved")


async def test_app_home_shows_the_next_checkin_and_quick_buttons(bot: SlackBot) -> None:
    await bot.post(*event_body(dm("checkin every friday at 16:00", event_id="EvSchedule")))
    await bot.slack.wait_for("chat.postMessage", 1)
    await bot.post(*event_body(fixture("app_home_opened.json") | {"event_id": "EvHome"}))
    (published,) = await bot.slack.wait_for("views.publish", 1)
    blocks = published.body["view"]["blocks"]
    assert published.body["user_id"] == fixture("app_home_opened.json")["event"]["user"]
    assert "Next check-in:" in blocks[0]["text"]["text"]
    assert [b["text"]["text"] for b in blocks[-1]["elements"]] == ["Ask a question", "Check in now", "Nudge me"]


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Signature": "v0=forged"},
        {"X-Slack-Request-Timestamp": str(int(time.time()) - 6 * 60)},
        {"X-Slack-Request-Timestamp": "soon"},
        {"X-Slack-Signature": ""},
    ],
    ids=["forged", "stale", "non-numeric", "missing"],
)
async def test_unsigned_or_stale_requests_are_refused_with_401(bot: SlackBot, headers: dict[str, str]) -> None:
    body, content_type = event_body(dm("hello", event_id="EvBad"))
    sent = signed_headers(body, content_type)
    if "X-Slack-Request-Timestamp" in headers:  # re-sign for the odd timestamp, so only the time is wrong
        sent = signed_headers(body, content_type, timestamp=headers["X-Slack-Request-Timestamp"])
        if not headers["X-Slack-Request-Timestamp"].isdigit():
            sent["X-Slack-Signature"] = "v0=" + "0" * 64
    sent.update({k: v for k, v in headers.items() if k != "X-Slack-Request-Timestamp"})
    response = await bot.client.post("/slack/events", data=body, headers=sent)
    assert response.status == 401
    await asyncio.sleep(0.05)
    assert bot.slack.calls == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"payload=%7Bbroken", "application/x-www-form-urlencoded"),
        (b'{"no": "type"}', "application/json"),
        (b"hello", "text/plain"),
        (b"\xff\xfe", "application/json"),
    ],
)
async def test_signed_but_malformed_bodies_get_400(bot: SlackBot, body: bytes, content_type: str) -> None:
    assert (await bot.post(body, content_type)).status == 400


async def test_an_event_acknowledged_but_unfinished_at_a_crash_is_finished_after_restart(bot: SlackBot) -> None:
    db, clock = bot.runtime.db, bot.runtime.services.clock
    body, content_type = event_body(dm("hello", event_id="EvCrash"))
    async with db.transaction() as session:  # what a process that died right after the ack leaves behind
        await Repositories(session).inbox.record(
            platform="slack",
            event_id="EvCrash",
            payload={"body": body.decode(), "content_type": content_type},
            now=clock.now() - timedelta(minutes=5),
            lease=timedelta(seconds=30),
        )
    recovery = InboxRecovery(db, clock, bot.platforms.engine)
    assert await recovery.run_once() == 1
    (call,) = await bot.slack.wait_for("chat.postMessage", 1)
    assert call.body["channel"] == "D111"
    assert await recovery.run_once() == 0
    retry = await bot.post(body, content_type, **{"X-Slack-Retry-Num": "2"})
    assert retry.status == 200
    await bot.settle()
    assert len(bot.slack.posted()) == 1


def test_button_values_round_trip_through_the_signer_and_anything_else_is_refused() -> None:
    signer = Signer("a test secret for button tokens")
    value = button_value(signer, "checkin.skip", {"checkin": 7})
    assert value is not None and len(value) < 2000
    assert action_from_value(signer, value).action == Action("checkin.skip", {"checkin": 7})
    for forged in ("click_me_123", '{"a":"checkin.skip","v":{"checkin":7}}', value[:-4] + "AAAA", None):
        with pytest.raises(TokenRefused, match="invalid"):
            action_from_value(signer, forged)
    with pytest.raises(TokenRefused, match="invalid"):  # sealed under another secret
        action_from_value(Signer("another secret, another server"), value)


async def test_with_the_slack_web_api_down_events_are_still_acknowledged_kept_and_answered_once_it_is_back(
    bot: SlackBot,
) -> None:
    port = bot.slack.port
    await bot.slack.close()  # Slack's Web API unreachable: nothing listens on its port
    started = time.monotonic()
    response = await bot.post(*event_body(dm("hello while slack is down", event_id="EvDown")))
    assert response.status == 200 and time.monotonic() - started < 1.0
    await bot.settle()
    async with bot.runtime.db.transaction() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    assert rows and all(r.state == "pending" and "network" in (r.last_error or "") for r in rows), [
        (r.state, r.last_error) for r in rows
    ]
    assert all(set(r.payload) == {"sealed"} for r in rows)  # replies wait sealed
    await bot.slack.start(port=port)
    sender = OutboxSender(
        bot.runtime.db, bot.runtime.services.clock, bot.platforms.transports, sealer=bot.runtime.services.sealer
    )
    assert await sender.run_once() == len(rows)
    # On a slow machine a row can miss its slot in the first round and be left for the next, as the running sender
    # would send it: a few more rounds, then every reply must have arrived
    for _ in range(20):
        if sum(c.method == "chat.postMessage" for c in bot.slack.calls) >= len(rows):
            break
        await asyncio.sleep(0.5)
        await sender.run_once()
    assert len(await bot.slack.wait_for("chat.postMessage", len(rows))) == len(rows)
    assert "auth.test" not in [c.method for c in bot.slack.calls]  # the ack path never asked Slack anything


# ---- hostile and malformed input -----------------------------------------------------------------


async def inbox_rows(bot: SlackBot) -> int:
    async with bot.runtime.db.transaction() as session:
        return len((await session.exec(select(InboxEvent))).all())


async def test_a_superscript_digit_timestamp_is_refused_with_401_not_500(bot: SlackBot) -> None:
    body, content_type = event_body(dm("hello", event_id="EvSup"))
    headers = {**signed_headers(body, content_type), "X-Slack-Request-Timestamp": "²"}
    assert (await bot.client.post("/slack/events", data=body, headers=headers)).status == 401


def _with(payload: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(payload)
    place = changed
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = value
    return changed


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        (_with(fixture("message_im.json"), ("event",), ["a", "list"]), 200),
        (_with(fixture("message_im.json"), ("event",), "a string"), 200),
        (_with(fixture("message_im.json"), ("event_id",), {"an": "object"}), 200),
        (_with(fixture("message_im.json"), ("event_id",), 12345), 200),
        (_with(fixture("message_im.json"), ("event", "text"), {"an": "object"}), 200),
        (_with(fixture("block_actions.json"), ("actions",), "a string"), 400),
        (_with(fixture("block_actions.json"), ("team",), "a string"), 400),
        (_with(fixture("view_submission.json"), ("view",), "a string"), 400),
    ],
    ids=[
        "event-list",
        "event-string",
        "event-id-object",
        "event-id-number",
        "text-object",
        "actions-string",
        "team-string",
        "view-string",
    ],  # fmt: skip
)
async def test_signed_requests_with_fields_of_the_wrong_shape_are_refused_or_skipped_never_a_crash(
    bot: SlackBot, payload: dict[str, Any], status: int, caplog: pytest.LogCaptureFixture
) -> None:
    """Events are answered 200 (Slack would otherwise retry them for hours) and skipped; the rest get 400."""
    body = json.dumps(payload).encode()
    content_type = "application/json"
    if payload.get("type") in ("block_actions", "view_submission"):
        body, content_type = form_body(payload)
    assert (await bot.post(body, content_type)).status == status
    await bot.settle()
    assert await inbox_rows(bot) == 0 and bot.slack.posted() == []
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_json_nested_ten_thousand_deep_is_a_400(bot: SlackBot) -> None:
    body = b'{"type": "event_callback", "event": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    assert (await bot.post(body, "application/json")).status == 400


async def test_a_body_over_the_limit_is_refused_before_it_is_read(bot: SlackBot) -> None:
    body = b'{"type": "event_callback", "pad": "' + b"x" * (1024 * 1024) + b'"}'
    headers = signed_headers(body, "application/json")
    response = await bot.client.post("/slack/events", data=io.BytesIO(body), headers=headers)
    assert response.status == 413


async def test_a_database_locked_by_another_process_gets_503_within_seconds_and_the_event_is_not_lost(
    bot: SlackBot, tmp_path: Path
) -> None:
    locker = sqlite3.connect(tmp_path / "slack.db", timeout=0)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        body, content_type = event_body(dm("hello under a lock", event_id="EvLocked"))
        started = time.monotonic()
        response = await bot.post(body, content_type)
        assert response.status == 503 and time.monotonic() - started < 3.0  # Slack will retry
    finally:
        locker.rollback()
        locker.close()
    await bot.settle()  # the write that was waiting lands, and the event is handled once
    answered = len(await bot.slack.wait_for("chat.postMessage", 1))
    retry = await bot.post(body, content_type, **{"X-Slack-Retry-Num": "1"})
    assert retry.status == 200
    await bot.settle()
    assert len(bot.slack.posted()) == answered  # Slack's retry is recognised: answered once
    assert await inbox_rows(bot) == 1


async def test_what_a_person_typed_is_never_written_to_the_database_in_the_clear(bot: SlackBot, tmp_path: Path) -> None:
    planted = "my manager keeps shouting at me zebra-quartz-7731"
    response = await bot.post(*event_body(dm(planted, event_id="EvPlanted")))
    assert response.status == 200
    async with bot.runtime.db.transaction() as session:  # kept sealed while it waits to be handled
        kept = (await session.exec(select(InboxEvent))).one().payload
    assert set(kept) in ({"sealed"}, set()) and "zebra" not in json.dumps(kept)
    await bot.settle()
    async with bot.runtime.db.transaction() as session:
        row = (await session.exec(select(InboxEvent))).one()
    assert row.state == "done" and row.payload == {}  # dropped once handled; the id stays for retries
    stored = await asyncio.to_thread(lambda: [p.read_bytes() for p in tmp_path.glob("slack.db*")])
    assert stored and not any(b"zebra-quartz" in raw for raw in stored)  # the file, its WAL and free pages


async def test_a_reflection_and_the_replies_that_read_it_back_are_never_in_the_database_in_the_clear(
    bot: SlackBot, tmp_path: Path
) -> None:
    said = ["checkin now", "today I snapped at a student, walrus-mango-5521, and I regret it", "my reflections"]
    for n, text in enumerate(said):
        await bot.post(*event_body(dm(text, event_id=f"EvScan{n}")))
        await bot.settle()
    posted = json.dumps(bot.slack.posted())
    assert "walrus-mango-5521" in posted  # read back to its author, in their DM
    stored = await asyncio.to_thread(lambda: [p.read_bytes() for p in tmp_path.glob("slack.db*")])
    assert stored and not any(b"walrus-mango" in raw for raw in stored)  # inbox, reflection, outbox: all sealed


async def test_inbox_recovery_replays_each_slack_event_alone_and_gives_up_a_poison_one(bot: SlackBot) -> None:
    db, clock = bot.runtime.db, bot.runtime.services.clock
    poison = {**fixture("message_im.json"), "event_id": "EvPoison", "event": "not an object"}
    kept = [("EvPoison", poison)] + [
        (f"EvOk{n}", dm(f"hello {n}", event_id=f"EvOk{n}", user=f"W9{n}")) for n in range(3)
    ]
    async with db.transaction() as session:  # what a process killed right after the acks leaves behind
        for event_id, payload in kept:
            await Repositories(session).inbox.record(
                platform="slack", event_id=event_id, payload=payload, now=clock.now() - timedelta(minutes=5),
                lease=timedelta(seconds=30),
            )  # fmt: skip
    await InboxRecovery(db, clock, bot.platforms.engine).run_once()
    await bot.slack.wait_for("chat.postMessage", 3)
    async with db.transaction() as session:
        states = {row.event_id: row.state for row in (await session.exec(select(InboxEvent))).all()}
    assert states == {"EvPoison": "failed", "EvOk0": "done", "EvOk1": "done", "EvOk2": "done"}


async def test_a_sent_reply_can_be_updated_and_deleted_through_the_reference_kept_on_its_outbox_row(
    bot: SlackBot,
) -> None:
    assert (await bot.post(*event_body(dm("hello", event_id="EvEdit")))).status == 200
    await bot.settle()
    async with bot.runtime.db.transaction() as session:
        row = (await session.exec(select(OutboxMessage).where(OutboxMessage.state == "sent"))).first()
    assert row is not None and row.platform_ref is not None
    assert row.platform_ref["channel"].startswith("D")  # the DM channel chat.update needs, not the U… id posted to
    (transport,) = bot.platforms.transports[:1]
    await transport.update(row.platform_ref, Reply("This message was corrected."))
    assert bot.slack.messages[(row.platform_ref["channel"], row.platform_ref["ts"])] == "This message was corrected."
    await transport.delete(row.platform_ref)
    assert (row.platform_ref["channel"], row.platform_ref["ts"]) not in bot.slack.messages
    with pytest.raises(PermanentFailure, match="message_not_found"):
        await transport.delete(row.platform_ref)  # already gone: retrying cannot help


# ---- what the bot waits for is never lost ---------------------------------------------------------


async def test_a_reflection_typed_straight_after_checkin_now_is_saved_not_answered(bot: SlackBot) -> None:
    await bot.post(*event_body(dm("checkin now", event_id="EvNow")))
    await bot.slack.wait_for("chat.postMessage", 2)  # welcome + the check-in question
    await bot.post(*event_body(dm("felt stretched on the ward today but proud of the team", event_id="EvText")))
    saved = (await bot.slack.wait_for("chat.postMessage", 3))[-1]
    assert saved.body["text"].startswith("Thank you. Your reflection (11 words) is saved")


async def test_opening_the_app_home_does_not_cancel_a_reflection_the_bot_is_waiting_for(bot: SlackBot) -> None:
    await bot.post(*event_body(dm("checkin now", event_id="EvNow2")))
    _, question = await bot.slack.wait_for("chat.postMessage", 2)
    click = press(question.body["blocks"][-1]["elements"][0])
    await bot.post(*form_body(click))  # "Reflect now": the bot waits for the next message
    await bot.slack.wait_for("chat.postMessage", 3)
    home = fixture("app_home_opened.json") | {"event_id": "EvHome2"}
    home["event"] = home["event"] | {"user": "W222"}
    await bot.post(*event_body(home))
    await bot.slack.wait_for("views.publish", 1)
    await bot.post(*event_body(dm("a hard shift, we were two nurses short", event_id="EvAfterHome")))
    saved = (await bot.slack.wait_for("chat.postMessage", 4))[-1]
    assert saved.body["text"].startswith("Thank you. Your reflection (8 words) is saved")


# ---- the server decides who may do what -----------------------------------------------------------


def click(value: str, trigger_id: str, user: str = "W222") -> dict[str, Any]:
    pressed = fixture("block_actions.json")
    pressed["user"].update(id=user, username="sam", name="sam")
    pressed["actions"][0]["value"] = value
    pressed["container"]["channel_id"] = "D111"
    pressed["trigger_id"] = trigger_id
    return pressed


async def roles_and_audit(bot: SlackBot) -> tuple[dict[str | None, str], list[AuditEntry]]:
    async with bot.runtime.db.transaction() as session:
        people = {p.identity: p.role for p in (await session.exec(select(Person))).all()}
        return people, list((await session.exec(select(AuditEntry))).all())


async def test_forged_block_actions_and_modal_metadata_acting_as_admin_on_another_person_are_refused_and_audited(
    bot: SlackBot,
) -> None:
    await bot.post(*event_body(dm("hello", event_id="EvVictim", user="W333")))  # the person they aim at
    await bot.post(*event_body(dm("hello", event_id="EvForger")))
    await bot.slack.wait_for("chat.postMessage", 2)
    claim = {"person": "slack:T111:W333", "role": "admin"}
    genuine = bot.runtime.signer.sign("nudge.now")
    forged = [
        json.dumps({"a": "role.set", "v": claim}),  # the old plain JSON value
        json.dumps({"a": "role.set", "v": {**claim, "person": "slack:T111:W222"}}),  # on themselves
        genuine[:-8] + ("A" * 8 if not genuine.endswith("A" * 8) else "B" * 8),  # a real token, tampered with
        Signer("a secret that is not the servers").sign("role.set", claim),  # sealed under another secret
    ]
    for n, value in enumerate(forged):
        assert (await bot.post(*form_body(click(value, f"999.{n}.forged")))).status == 200
    submission = fixture("view_submission.json")
    submission["user"].update(id="W222", username="sam", name="sam")
    submission["trigger_id"] = "999.9.forged"
    form = {"title": "Set a role", "submit_action": "role.set", "context": claim,
            "fields": [{"name": "role", "label": "Role"}]}  # fmt: skip
    submission["view"]["private_metadata"] = json.dumps({"form": form})
    submission["view"]["state"] = {"values": {"role": {"role": {"type": "plain_text_input", "value": "admin"}}}}
    assert (await bot.post(*form_body(submission))).status == 200
    await bot.settle()
    answers = [call["text"] for call in bot.slack.posted()[-5:]]
    assert all(text.startswith("I couldn't check that button, so nothing was changed.") for text in answers)
    people, audit = await roles_and_audit(bot)
    assert people == {"slack:T111:W333": "staff", "slack:T111:W222": "staff"}
    assert [(e.actor, e.action, e.outcome, e.detail) for e in audit] == [
        ("slack:T111:W222", "action.refused", "refused", {"reason": "invalid"})
    ] * 5
    assert "views.open" not in [c.method for c in bot.slack.calls]


async def test_an_expired_button_gets_a_polite_message_and_a_staff_press_of_an_admin_button_is_refused(
    bot: SlackBot,
) -> None:
    await bot.post(*event_body(dm("hello", event_id="EvStaff")))
    await bot.slack.wait_for("chat.postMessage", 1)
    old = Signer(sealing_secret(bot.runtime.settings), now=lambda: time.time() - timedelta(days=15).total_seconds())
    await bot.post(*form_body(click(old.sign("nudge.now"), "999.1.old")))
    expired = (await bot.slack.wait_for("chat.postMessage", 2))[1]
    assert expired.body["text"].startswith("That button has expired, so nothing was changed. Here is what I can do")
    admin_only = bot.runtime.signer.sign("role.set", {"person": "slack:T111:W222", "role": "admin"})
    await bot.post(*form_body(click(admin_only, "999.2.admin")))
    refused = (await bot.slack.wait_for("chat.postMessage", 3))[2]
    assert refused.body["text"] == "Sorry, that button is only for admins. Nothing was changed."
    people, audit = await roles_and_audit(bot)
    assert people == {"slack:T111:W222": "staff"}
    assert [(e.target, e.detail) for e in audit] == [("-", {"reason": "expired"}), ("role.set", {"role": "staff"})]
