"""Housekeeping keeps promises about time: stale questions vanish, old private text is deleted."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.workers.housekeeping import Housekeeping
from handlers.clock import ManualClock
from handlers.conversation import Conversation
from storage import Database
from storage.models import PendingInteraction, Reflection
from tests.support.chat import ChatDriver


async def test_old_reflections_and_stale_questions_are_removed(
    conversation: Conversation, db: Database, clock: ManualClock
) -> None:
    chat = ChatDriver(conversation)
    await chat.say("hello")
    await chat.say("checkin now")
    await chat.press("Reflect now")
    await chat.say("An old thought")
    clock.advance(days=300)
    await chat.say("checkin now")
    await chat.press("Reflect now")
    await chat.say("A recent thought")
    await chat.say("checkin now")
    await chat.press("Reflect now")  # left waiting for an answer
    housekeeping = Housekeeping(db, clock, retention=timedelta(days=365))
    assert (await housekeeping.run_once())["reflections"] == 0
    clock.advance(days=100)
    removed = await housekeeping.run_once()
    assert (removed["reflections"], removed["pending"]) == (1, 1)
    async with db.transaction() as session:
        assert len((await session.exec(select(Reflection))).all()) == 1
        assert (await session.exec(select(PendingInteraction))).all() == []
    await chat.say("my reflections")
    assert "A recent thought" in chat.text and "An old thought" not in chat.text
