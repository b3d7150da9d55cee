"""Data rights, as a person experiences them: `privacy`, `my data` (a single-use link) and `forget me`."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import SQLModel, col, func, select

from bot.platforms import build_platforms
from bot.runtime import Runtime, build_runtime
from bot.server import create_app
from bot.settings import load_settings
from handlers import privacy
from handlers.clock import ManualClock
from handlers.context import Services
from handlers.conversation import Conversation
from handlers.sealing import seal_payload
from knowledge import KnowledgeBase
from storage import Database
from storage.models import (
    AuditEntry,
    CheckIn,
    ConversationAddress,
    ExportToken,
    InboxEvent,
    Nudge,
    OutboxMessage,
    PendingInteraction,
    Person,
    RecentQuestion,
    Reflection,
    Schedule,
)
from storage.repositories import Repositories
from tests.support.chat import ChatDriver

ALICE_REFLECTION = "Handover went well because I asked the team what they needed first."
BOB_REFLECTION = "Bob's private thought about the rota."
PERSONAL = (
    Reflection, Nudge, CheckIn, Schedule, PendingInteraction, OutboxMessage, ConversationAddress, ExportToken,
    RecentQuestion,
)  # fmt: skip


async def reflect(chat: ChatDriver, text: str) -> None:
    await chat.say("checkin now")
    await chat.press("Reflect now")
    await chat.say(text)


async def busy_person(conversation: Conversation, identity: str, reflection: str, name: str) -> ChatDriver:
    """Someone with a schedule, a check-in and reflection, a practice with a note, a question asked, and a question
    open."""
    chat = ChatDriver(conversation, identity, name=name)
    await chat.say(f"how do i run a good one to one with {name}")  # kept a while for a follow-up
    await chat.say("checkin every friday at 16:00")
    await reflect(chat, reflection)
    await chat.say("nudge")
    await chat.press("Done")
    await chat.say(f"a note from {name}")
    await chat.say("forget me")  # a confirmation left open: a pending interaction
    await chat.say("cancel")
    await chat.say("checkin now")  # an open check-in
    return chat


async def rows_of(db: Database, person_id: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    async with db.transaction() as session:
        for model in PERSONAL:
            column = col(model.person_id)  # type: ignore[attr-defined]
            result = await session.exec(select(func.count()).select_from(model).where(column == person_id))
            counts[str(model.__tablename__)] = int(result.one())
    return counts


async def person_id(db: Database, identity: str) -> int:
    async with db.transaction() as session:
        person = (await session.exec(select(Person).where(Person.identity == identity))).one()
    assert person.id is not None
    return person.id


async def all_of(db: Database, model: type[SQLModel]) -> list[SQLModel]:
    async with db.transaction() as session:
        return list((await session.exec(select(model))).all())


async def test_privacy_says_what_is_kept_who_sees_it_and_for_how_long(conversation: Conversation) -> None:
    chat = ChatDriver(conversation)
    await chat.say("hello")
    await chat.say("privacy")
    text = chat.text
    assert "only you can read them" in text and "admins see only totals" in text
    assert "deleted after 365 days" in text
    assert "Slack or Teams also stays in that platform's own message history" in text
    assert "“my data”" in text and "“forget me”" in text


async def test_my_data_without_a_public_address_says_an_admin_can_export_it(conversation: Conversation) -> None:
    chat = ChatDriver(conversation)
    await chat.say("my data")
    reply = chat.last[-1]
    assert "LEADWELL_PUBLIC_URL is not set" in reply.text
    assert "`leadwell users export console:alice`" in reply.text and reply.private


async def test_forget_me_asks_first_and_no_keeps_everything(conversation: Conversation, db: Database) -> None:
    chat = await busy_person(conversation, "console:alice", ALICE_REFLECTION, "Alice")
    before = await rows_of(db, await person_id(db, "console:alice"))
    await chat.say("forget me")
    assert "cannot be undone" in chat.text and [b.label for b in chat.last[0].buttons] == ["Yes", "No"]
    await chat.press("No")
    assert chat.text == "OK, nothing was erased."
    assert await rows_of(db, await person_id(db, "console:alice")) == before


async def test_forget_me_erases_everything_of_theirs_and_they_start_afresh(
    conversation: Conversation, db: Database, services: Services
) -> None:
    alice = await busy_person(conversation, "console:alice", ALICE_REFLECTION, "Alice")
    await busy_person(conversation, "console:bob", BOB_REFLECTION, "Bob")
    alice_id, bob_id = await person_id(db, "console:alice"), await person_id(db, "console:bob")
    bob_before = await rows_of(db, bob_id)
    assert all(bob_before[table] for table in ("reflection", "nudge", "checkin", "schedule", "recent_question"))
    async with db.transaction() as session:  # events whose handling failed keep their (sealed) payload
        repos = Repositories(session)
        for user in ("alice", "bob"):
            payload = seal_payload(services.sealer, {"user": user, "text": f"{user} typed this"})
            [inbox_id] = await repos.inbox.record_many([("console", f"ev-{user}", payload)], now=services.clock.now(),
                                                       lease=timedelta(seconds=30))  # fmt: skip
            assert inbox_id is not None
            await repos.inbox.fail(inbox_id, "handler raised", services.clock.now())
    await alice.say("my data")  # an export link is one more of her rows (with no public address: none is made)

    await alice.say("forget me")
    await alice.press("Yes")
    assert alice.text.startswith("Done: everything I kept about you is erased.")

    assert set((await rows_of(db, alice_id)).values()) == {0}
    assert await rows_of(db, bob_id) == bob_before
    assert [e.event_id for e in await all_of(db, InboxEvent)] == ["ev-bob"]  # type: ignore[attr-defined]
    people = await all_of(db, Person)
    assert {p.identity for p in people} == {"console:bob", None}  # type: ignore[attr-defined]
    stub = next(p for p in people if p.identity is None)  # type: ignore[attr-defined]
    assert (stub.name, stub.email) == (None, None)  # type: ignore[attr-defined]
    audit = await all_of(db, AuditEntry)
    erased = [e for e in audit if e.action == "person.erased"]  # type: ignore[attr-defined]
    assert len(erased) == 1 and erased[0].actor == "self"  # type: ignore[attr-defined]
    assert re.fullmatch(r"erased:[0-9a-f]{24}", erased[0].target or "")  # type: ignore[attr-defined]
    assert "alice" not in json.dumps([e.model_dump(mode="json") for e in audit]).lower()

    async with db.transaction() as session:  # the scheduler's sweep removes the emptied row
        removed = await privacy.remove_erased(Repositories(session), services, services.clock.now(), 100)
    assert removed == {"erased_people_removed": 1}
    assert {p.identity for p in await all_of(db, Person)} == {"console:bob"}  # type: ignore[attr-defined]

    await alice.say("hello")
    assert "I'm LeadWell, a leadership companion" in alice.text  # the welcome of a first contact
    await alice.say("my reflections")
    assert ALICE_REFLECTION not in alice.text


@dataclass
class WebBot:
    runtime: Runtime
    client: TestClient
    clock: ManualClock


@pytest.fixture
async def web(db: Database, clock: ManualClock, knowledge: KnowledgeBase) -> AsyncIterator[WebBot]:
    """The real application over HTTP, on the test's database, with a public address for links."""
    settings = load_settings(database_url=db.url, public_url="https://leadwell.example.nhs.uk/")
    runtime = build_runtime(settings, clock=clock, knowledge=knowledge)
    client = TestClient(TestServer(create_app(runtime, build_platforms(runtime))))
    await client.start_server()
    yield WebBot(runtime, client, clock)
    await client.close()


async def link_for(chat: ChatDriver) -> str:
    await chat.say("my data")
    found = re.search(r"https://leadwell\.example\.nhs\.uk/export/(\S+)", chat.text)
    assert found and chat.last[-1].private, chat.text
    assert "works once and for 15 minutes" in chat.text
    return f"/export/{found.group(1)}"


async def test_my_data_link_shows_a_page_then_downloads_once(web: WebBot, tmp_path: Path) -> None:
    alice = await busy_person(web.runtime.conversation, "console:alice", ALICE_REFLECTION, "Alice")
    await busy_person(web.runtime.conversation, "console:bob", BOB_REFLECTION, "Bob")
    path = await link_for(alice)

    for _ in range(2):  # a link scanner's GET uses nothing up
        page = await web.client.get(path)
        html = await page.text()
        assert page.status == 200 and page.headers["Cache-Control"] == "no-store"
        assert '<form method="post">' in html and "Download my data" in html
        assert "Handover" not in html and "Alice" not in html

    download = await web.client.post(path)
    assert download.status == 200
    assert download.headers["Content-Disposition"] == 'attachment; filename="leadwell-my-data.json"'
    record = json.loads(await download.read())
    assert record["profile"]["identity"] == "console:alice"
    assert [r["text"] for r in record["reflections"]] == [ALICE_REFLECTION]
    assert [n["note"] for n in record["nudges"] if n["note"]] == ["a note from Alice"]
    assert [q["text"] for q in record["last_question"]] == ["how do i run a good one to one with Alice"]
    assert record["schedules"][0]["description"] and record["checkins"] and record["messages"] == []
    whole = json.dumps(record)
    assert "Bob" not in whole and "bob" not in whole and "rota" not in whole

    again = await web.client.post(path)
    assert again.status == 410 and "no longer works" in await again.text()
    assert (await web.client.get(path)).status == 410
    assert (await web.client.post("/export/not-a-real-token")).status == 410


async def test_an_expired_link_is_gone(web: WebBot) -> None:
    alice = ChatDriver(web.runtime.conversation)
    path = await link_for(alice)
    web.clock.advance(timedelta(minutes=15, seconds=1))
    assert (await web.client.get(path)).status == 410
    gone = await web.client.post(path)
    assert gone.status == 410 and "Type <b>my data</b>" in await gone.text()


async def test_asking_who_can_see_reflections_in_own_words_gets_the_privacy_notice(conversation: Conversation) -> None:
    # walked 2026-12-07: answered with board culture, Freedom to Speak Up and Schwartz Rounds
    chat = ChatDriver(conversation, "console:pat")
    await chat.say("hello")
    for asked in ("who else can see my reflections", "can my manager read my reflections", "is this confidential"):
        await chat.say(asked)
        assert chat.text.startswith("What LeadWell keeps about you, and who can see it:"), asked
    await chat.say("is it anonymous")  # after a question about speaking up it is about that (a third walk)
    assert not chat.text.startswith("What LeadWell keeps about you")

