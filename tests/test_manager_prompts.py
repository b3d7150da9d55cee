"""Managers' weekly prompt: Monday 09:00 by default, no repeats until all are used, movable, can be off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from handlers.clock import ManualClock
from handlers.conversation import Conversation
from handlers.scheduling import Scheduler
from storage import Database
from storage.models import OutboxMessage
from tests.support.chat import ChatDriver


async def manager(conversation: Conversation) -> ChatDriver:
    await conversation.ensure_person("console:mo", "console", name="Mo", role="manager")
    chat = ChatDriver(conversation, "console:mo", name="Mo")
    await chat.say("hello")
    return chat


async def prompts_sent(db: Database) -> list[str]:
    async with db.transaction() as session:
        rows = await session.exec(
            select(OutboxMessage).where(OutboxMessage.purpose == "manager_prompt").order_by(col(OutboxMessage.id))
        )
        return [row.payload["text"] for row in rows.all()]


async def prompt_ids(db: Database) -> list[str]:
    async with db.transaction() as session:
        rows = await session.exec(
            select(OutboxMessage).where(OutboxMessage.purpose == "manager_prompt").order_by(col(OutboxMessage.id))
        )
        return [row.payload["buttons"][0]["value"]["prompt"] for row in rows.all()]


async def test_managers_get_a_weekly_prompt_on_monday_at_nine_local(
    conversation: Conversation, db: Database, clock: ManualClock
) -> None:
    chat = await manager(conversation)
    await chat.say("weekly prompt")
    assert chat.text == "Your weekly prompt comes every Monday at 09:00; the next is Mon 9 Mar, 09:00."
    scheduler = Scheduler(db, conversation.router, conversation.services)
    clock.set(datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    assert (await scheduler.run_once()).queued == 1
    (text,) = await prompts_sent(db)
    assert text.startswith("Your weekly leadership prompt:")
    # asked about afterwards, in own words (walked 2026-12-07: "whats the weekly prompt this week" had been declined)
    sent = text.removeprefix("Your weekly leadership prompt:\n\n")
    for asked in ("whats the weekly prompt this week", "whats this weeks prompt", "can i see the prompt now pls"):
        await chat.say(asked)
        assert chat.text.startswith(f"Your latest weekly prompt:\n\n{sent}\n\nYour weekly prompt comes"), asked


async def test_staff_get_no_weekly_prompt(conversation: Conversation, db: Database, clock: ManualClock) -> None:
    staff = ChatDriver(conversation, "console:sam")
    await staff.say("hello")
    await staff.say("weekly prompt")
    assert staff.text == "Sorry, 'weekly-prompt' is only for managers."
    clock.set(datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    await Scheduler(db, conversation.router, conversation.services).run_once()
    assert await prompts_sent(db) == []


async def test_prompts_do_not_repeat_until_all_have_been_used(
    conversation: Conversation, db: Database, clock: ManualClock
) -> None:
    await manager(conversation)
    scheduler = Scheduler(db, conversation.router, conversation.services)
    count = len(conversation.services.prompts.manager)  # type: ignore[union-attr]
    monday = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    for week in range(count + 1):
        clock.set(monday + timedelta(weeks=week))
        await scheduler.run_once()
    sent = await prompt_ids(db)
    assert len(sent) == count + 1
    assert len(set(sent[:count])) == count
    assert sent[count] == sent[0]


async def test_a_manager_can_move_or_stop_the_prompt(
    conversation: Conversation, db: Database, clock: ManualClock
) -> None:
    chat = await manager(conversation)
    await chat.say("weekly prompt friday 8:30")
    assert chat.text == "Your weekly prompt comes every Friday at 08:30; the next is Fri 6 Mar, 08:30."
    await chat.say("weekly prompt off")
    assert chat.text == "Your weekly prompt is off. “weekly prompt on” brings it back."
    clock.set(datetime(2026, 3, 6, 9, 0, tzinfo=UTC))
    await Scheduler(db, conversation.router, conversation.services).run_once()
    assert await prompts_sent(db) == []
    await chat.say("weekly prompt on")
    assert chat.text == "Your weekly prompt comes every Friday at 08:30; the next is Fri 13 Mar, 08:30."


async def test_the_weekly_prompt_is_asked_about_and_stopped_in_own_words(conversation: Conversation) -> None:
    # walked 2026-12-07: both had been declined as instructions to the bot ("I can't change how I work")
    chat = await manager(conversation)
    await chat.say("whats the weekly prompt thing")
    assert chat.text.startswith("Your weekly prompt comes every Monday at 09:00")
    await chat.say("stop the manager prompts")
    assert chat.text == "Your weekly prompt is off. “weekly prompt on” brings it back."
