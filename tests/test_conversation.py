"""The conversation core, as a person experiences it (no platform involved)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from handlers import build_router
from handlers import help as help_commands
from handlers.clock import ManualClock
from handlers.context import Context, Services
from handlers.conversation import Conversation
from handlers.messages import Action, Reply
from handlers.router import Router
from storage import Database
from storage.models import AuditEntry, Person
from storage.repositories import Repositories
from tests.support.chat import ChatDriver


def router_with_notes() -> Router:
    """The real router plus a small capability that uses follow-ups, confirmations and roles."""
    router = build_router()

    @router.command(r"note", name="note", summary="Write a note", examples=("note",), group="Notes")
    async def ask_for_note(ctx: Context, _m: re.Match[str]) -> Reply:
        await ctx.expect_message("note.text")
        return Reply("What is your note?")

    @router.follow_up("note.text", if_cancelled="Your note wasn't saved; “note” starts again.")
    async def save_note(ctx: Context, text: str) -> Reply:
        await ctx.audit("note.saved", detail={"length": len(text)})
        return Reply(f"Saved a note of {len(text)} characters.")

    @router.command(r"wipe", name="wipe", summary="Wipe everything", group="Admin", roles=("admin",))
    async def wipe(ctx: Context, _m: re.Match[str]) -> Reply:
        return await ctx.confirm("wipe.confirm", "Really wipe?")

    @router.follow_up("wipe.confirm")
    async def wipe_confirmed(ctx: Context, answer: str) -> Reply:
        return Reply("Wiped." if answer == "yes" else "Left as it was.")

    @router.command(r"explode", name="explode")
    async def explode(ctx: Context, _m: re.Match[str]) -> Reply:
        await ctx.audit("before.explosion")
        raise RuntimeError("boom")

    return router


@pytest.fixture
def notes(db: Database, services: Services) -> Conversation:
    return Conversation(db, router_with_notes(), services)


async def audit_actions(db: Database) -> list[str]:
    async with db.transaction() as session:
        return [entry.action for entry in (await session.exec(select(AuditEntry))).all()]


async def test_help_lists_what_the_bot_can_do_with_examples(conversation: Conversation) -> None:
    chat = ChatDriver(conversation)
    await chat.say("hello")
    await chat.say("help")
    assert "Getting started" in chat.text
    assert "See everything I can do — e.g. “help”" in chat.text


async def test_first_contact_is_welcomed_and_registered_in_london_time(
    conversation: Conversation, db: Database
) -> None:
    chat = ChatDriver(conversation, "slack:T111:W222", platform="slack", name="Priya Shah")
    replies = await chat.say("what is this?")
    assert replies[0].text.startswith("Hello Priya! I'm LeadWell")
    async with db.transaction() as session:
        person = await Repositories(session).people.by_identity("slack:T111:W222")
    assert person is not None and person.timezone == "Europe/London" and person.role == "staff"
    again = await chat.say("what is this?")
    assert not any(reply.text.startswith("Hello Priya") for reply in again)


async def test_hello_gets_a_friendly_answer(conversation: Conversation) -> None:
    chat = ChatDriver(conversation)
    await chat.say("hi")
    await chat.say("Good morning!")
    assert chat.text.startswith("Hello Alice!")


@pytest.mark.parametrize(
    "text",
    [
        "blah blah",
        "'; DROP TABLE person; --",
        "<script>alert(1)</script> <!channel>",
        "\x00\x01 null bytes \x7f",
        "🙂" * 5000,
        "a" * 20000,
    ],
)
async def test_unknown_or_odd_input_gets_an_answer_never_an_error(conversation: Conversation, text: str) -> None:
    chat = ChatDriver(conversation)
    await chat.say("hello")
    await chat.say(text)
    assert chat.last and chat.text.strip()
    assert not chat.text.startswith("Sorry, something went wrong")


async def test_without_an_answerer_unknown_input_gets_help(db: Database, services: Services) -> None:
    router = Router()
    router.include(help_commands.routes)
    chat = ChatDriver(Conversation(db, router, services))
    await chat.say("hello")
    await chat.say("blah blah")
    assert chat.text.startswith("I didn't recognise that. Here is what I can do:")


async def test_a_handler_can_take_the_next_message(notes: Conversation) -> None:
    chat = ChatDriver(notes)
    await chat.say("hello")
    await chat.say("note")
    assert chat.text == "What is your note?"
    await chat.say("Today went better than I feared")
    assert chat.text == "Saved a note of 31 characters."


async def test_a_command_cancels_the_wait_and_says_what_was_not_kept(notes: Conversation) -> None:
    chat = ChatDriver(notes)
    await chat.say("hello")
    await chat.say("note")
    await chat.say("checkin now")  # exactly a command: runs, and the note is no longer awaited
    assert chat.last[0].text == "Your note wasn't saved; “note” starts again."
    assert "reflective check-in" in chat.text
    await chat.say("timezone Europe/London")
    assert "Saved a note" not in chat.text


async def test_showing_something_keeps_the_wait_open(notes: Conversation) -> None:
    chat = ChatDriver(notes)
    await chat.say("hello")
    await chat.say("note")
    for view in ("help", "topics", "my progress", "my reflections", "checkins"):
        await chat.say(view)
        assert "wasn't saved" not in chat.text
    await chat.say("my thoughts after all that")
    assert chat.text == "Saved a note of 26 characters."


async def test_while_waiting_a_line_that_merely_starts_like_a_command_is_the_answer(notes: Conversation) -> None:
    chat = ChatDriver(notes)
    await chat.say("hello")
    await chat.say("note")
    await chat.say("reflect on how the handover went, it was rushed")  # the `checkin …` command's shape
    assert chat.text == "Saved a note of 47 characters."


async def test_cancel_says_whether_there_was_anything_to_cancel(notes: Conversation) -> None:
    chat = ChatDriver(notes)
    await chat.say("hello")
    await chat.say("note")
    await chat.say("cancel")
    assert chat.text == "Your note wasn't saved; “note” starts again.\nOK, cancelled. What would you like to do next?"
    await chat.say("cancel")
    assert chat.text.startswith("There was nothing to cancel")


async def test_a_pending_question_expires(notes: Conversation, clock: ManualClock) -> None:
    chat = ChatDriver(notes)
    await chat.say("hello")
    await chat.say("note")
    clock.advance(minutes=31)
    await chat.say("too late now")
    assert "Saved a note" not in chat.text


async def test_confirmations_take_buttons_or_typed_answers(notes: Conversation) -> None:
    admin = ChatDriver(notes, "console:root-admin")
    await admin.say("hello")
    await admin.say("wipe")
    assert [b.label for b in admin.last[-1].buttons] == ["Yes", "No"]
    await admin.press("No")
    assert admin.text == "Left as it was."
    await admin.say("wipe")
    question = admin.last[-1].text
    await admin.say("maybe")  # says again what it asks (walked 2026-12-07: an admin did not know what was waiting)
    assert admin.text == f"Please answer yes or no to this: {question} (“cancel” stops here)."
    assert [b.label for b in admin.last[-1].buttons] == ["Yes", "No"]  # asked again with its buttons
    await admin.say("yep go ahead")
    assert admin.text == "Wiped."


async def test_a_confirmation_takes_the_number_of_its_button(notes: Conversation) -> None:
    # walked 2026-12-07: an admin back in a new chat typed "2" and "1" to a waiting preview and was asked again
    admin = ChatDriver(notes, "console:root-admin")
    await admin.say("hello")
    await admin.say("wipe")
    await admin.say("2")
    assert admin.text == "Left as it was."
    await admin.say("wipe")
    await admin.say("the first one")
    assert admin.text == "Wiped."


async def test_a_stale_confirmation_button_changes_nothing(notes: Conversation) -> None:
    admin = ChatDriver(notes, "console:root-admin")
    await admin.say("hello")
    await admin.say("wipe")
    question = admin.last
    await admin.press("Yes")
    admin.last = question  # the same button, pressed a second time
    await admin.press("Yes")
    assert admin.text.startswith("That question has expired or was already answered")


async def test_admin_commands_are_refused_and_audited_for_others(notes: Conversation, db: Database) -> None:
    staff = ChatDriver(notes, "console:bob")
    await staff.say("hello")
    await staff.say("wipe")
    assert staff.text == "Sorry, 'wipe' is only for admins."
    await staff.say("help")
    assert "Wipe everything" not in staff.text
    assert "command.refused" in await audit_actions(db)


async def test_admins_come_from_the_setting_by_identity_or_email(notes: Conversation, db: Database) -> None:
    by_email = ChatDriver(notes, "slack:T1:U9", platform="slack", email="Boss@NHS.net")
    await by_email.say("help")
    assert "Wipe everything" in by_email.text


async def test_a_failing_handler_says_sorry_and_keeps_nothing_half_done(notes: Conversation, db: Database) -> None:
    chat = ChatDriver(notes)
    await chat.say("hello")
    await chat.say("explode")
    assert chat.text.startswith("Sorry, something went wrong on my side")
    assert "before.explosion" not in await audit_actions(db)


async def test_an_unknown_button_gets_help(conversation: Conversation) -> None:
    chat = ChatDriver(conversation)
    replies = await conversation.handle(chat.incoming(action=Action("gone.away", {})))
    assert replies[-1].text.startswith("That button no longer does anything")


async def test_an_inbox_event_is_handled_once(conversation: Conversation, db: Database, clock: ManualClock) -> None:
    from datetime import timedelta

    chat = ChatDriver(conversation, "slack:T1:U1", platform="slack")
    async with db.transaction() as session:
        inbox_id = await Repositories(session).inbox.record(
            platform="slack", event_id="Ev1", payload={}, now=clock.now(), lease=timedelta(seconds=30)
        )
    first = await conversation.handle(chat.incoming("hello"), inbox_id=inbox_id)
    second = await conversation.handle(chat.incoming("hello"), inbox_id=inbox_id)
    assert first and second == []
    async with db.transaction() as session:
        people = (await session.exec(select(Person))).all()
    assert len(people) == 1


async def test_two_first_messages_at_once_register_the_person_once(conversation: Conversation, db: Database) -> None:
    import asyncio

    chats = [ChatDriver(conversation, "slack:T1:NEW", platform="slack") for _ in range(4)]
    results = await asyncio.gather(*(chat.say("hello") for chat in chats))
    assert all(replies and not replies[0].text.startswith("Sorry") for replies in results)
    async with db.transaction() as session:
        people = (await session.exec(select(Person).where(Person.identity == "slack:T1:NEW"))).all()
    assert len(people) == 1


# ---- several people at once (how turns run under load) ---------------------------------------------------


async def test_messages_of_several_people_handled_together_get_the_answers_each_would_get_alone(
    notes: Conversation, db: Database, clock: ManualClock
) -> None:
    from datetime import timedelta

    from handlers.conversation import ReplyQueue, TurnRequest

    waiting = ChatDriver(notes, "slack:T1:W", platform="slack")
    await waiting.say("note")  # the bot now waits for W's next message
    people = [ChatDriver(notes, f"slack:T1:U{n}", platform="slack") for n in range(3)]
    async with db.transaction() as session:
        handled_before = await Repositories(session).inbox.record(
            platform="slack", event_id="EvOld", payload={}, now=clock.now(), lease=timedelta(seconds=30)
        )
        await Repositories(session).inbox.finish(handled_before or 0, clock.now())
    queues = [ReplyQueue(key=f"k{n}", target={"channel": f"D{n}"}, owner="me") for n in range(4)]
    results = await notes.handle_many(
        [
            TurnRequest(people[0].incoming("hello"), queue=queues[0]),
            TurnRequest(waiting.incoming("buy more tea"), queue=queues[1]),
            TurnRequest(people[1].incoming("hello"), inbox_id=handled_before, queue=queues[2]),
            TurnRequest(people[2].incoming("help"), queue=queues[3]),
        ]
    )
    assert results[0][-1].text.startswith("Hello")
    assert results[1][-1].text == "Saved a note of 12 characters."
    assert results[2] == [] and queues[2].queued == []  # a retry of an event handled before
    assert "Write a note" in results[3][-1].text
    assert [len(q.queued) for q in queues] == [len(r) for r in results]  # every reply kept in the outbox
    async with db.transaction() as session:
        identities = {p.identity for p in (await session.exec(select(Person))).all()}
    assert identities == {"slack:T1:W", "slack:T1:U0", "slack:T1:U2"}  # U1's retry registered nobody


async def test_a_turns_replies_are_kept_in_the_outbox_under_the_event_they_answer(
    notes: Conversation, db: Database
) -> None:
    from handlers.conversation import ReplyQueue

    queue = ReplyQueue(key="slack:Ev0123", target={"channel": "D1"}, owner="slack:host:1")
    replies = await notes.handle(ChatDriver(notes, "slack:T1:U1", platform="slack").incoming("hello"), queue=queue)
    async with db.transaction() as session:
        kept = await Repositories(session).outbox.for_reference("reply", "slack:Ev0123")
    assert [row.id for row in kept] == [message_id for message_id, _ in queue.queued] and len(kept) == len(replies)
    assert {row.lease_owner for row in kept} == {"slack:host:1"}


async def test_one_failing_message_in_a_batch_costs_nobody_else_their_answer(notes: Conversation, db: Database) -> None:
    from handlers.conversation import TurnRequest

    alice, bob = ChatDriver(notes, "console:alice"), ChatDriver(notes, "console:bob")
    await alice.say("hello")
    await bob.say("hello")
    results = await notes.handle_many([TurnRequest(alice.incoming("note")), TurnRequest(bob.incoming("explode"))])
    assert results[0][-1].text == "What is your note?"
    assert results[1][-1].text.startswith("Sorry, something went wrong")
    assert "before.explosion" not in await audit_actions(db)
    assert (await alice.say("my note"))[-1].text == "Saved a note of 7 characters."  # alice's turn was kept


async def test_a_batch_takes_one_message_per_person(notes: Conversation) -> None:
    from handlers.conversation import TurnRequest

    alice = ChatDriver(notes)
    with pytest.raises(ValueError, match="one message per person"):
        await notes.handle_many([TurnRequest(alice.incoming("hello")), TurnRequest(alice.incoming("help"))])
