"""Setting a schedule in words, in the core: an unclear hour asked back with two buttons (or a typed
answer), a schedule that repeats one already there flagged, and what was understood read back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from handlers.clock import ManualClock
from handlers.conversation import Conversation
from storage import Database
from storage.models import Schedule
from tests.support.chat import ChatDriver

MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # Monday 7 December 2026, 10:00 in London (GMT)


async def alice(conversation: Conversation, clock: ManualClock) -> ChatDriver:
    clock.set(MONDAY)
    chat = ChatDriver(conversation)
    await chat.say("hello")
    return chat


async def schedules(db: Database) -> list[Schedule]:
    async with db.transaction() as session:
        return list((await session.exec(select(Schedule).where(Schedule.state == "active"))).all())


async def test_an_unclear_hour_is_asked_back_with_two_buttons_never_guessed(
    conversation: Conversation, clock: ManualClock, db: Database
) -> None:
    chat = await alice(conversation, clock)
    await chat.say("checkin every friday at 4")
    assert chat.text.startswith("Do you mean 04:00 or 16:00?")
    assert [b.label for b in chat.last[0].buttons] == ["04:00", "16:00"]
    assert await schedules(db) == []
    await chat.press("16:00")
    assert chat.text.startswith("Done: a check-in every Friday at 16:00, next on Fri 11 Dec (Europe/London).")
    assert [s.description for s in await schedules(db)] == ["every Friday at 16:00"]


@pytest.mark.parametrize(
    ("answer", "description"),
    [
        ("4pm", "every Friday at 16:00"),
        ("16:00", "every Friday at 16:00"),
        ("afternoon", "every Friday at 16:00"),
        ("the second one", "every Friday at 16:00"),
        ("2", "every Friday at 16:00"),
        ("pm", "every Friday at 16:00"),
        ("am", "every Friday at 04:00"),
        ("the first one", "every Friday at 04:00"),
    ],
)
async def test_the_question_can_be_answered_in_words(
    conversation: Conversation, clock: ManualClock, answer: str, description: str
) -> None:
    chat = await alice(conversation, clock)
    await chat.say("checkin every friday at 4")
    await chat.say(answer)
    assert chat.text.startswith(f"Done: a check-in {description}, next on Fri 11 Dec")


async def test_an_answer_that_picks_neither_asks_again_and_a_command_leaves_it(
    conversation: Conversation, clock: ManualClock, db: Database
) -> None:
    chat = await alice(conversation, clock)
    await chat.say("checkin every friday at 4")
    await chat.say("4")
    assert chat.text.startswith("Please choose one (or type another command to leave this). Do you mean 04:00")
    assert [b.label for b in chat.last[0].buttons] == ["04:00", "16:00"]
    await chat.say("checkins")  # only shows something: the question stays open
    await chat.say("4:00pm")
    assert chat.text.startswith("Done: a check-in every Friday at 16:00")
    await chat.say("checkin tomorrow at 3")
    await chat.say("nudge")  # a command: the question is left, and the person told so
    assert "Nothing was scheduled" in chat.text
    assert len(await schedules(db)) == 1


async def test_a_checkin_said_twice_is_flagged_not_added_again(
    conversation: Conversation, clock: ManualClock, db: Database
) -> None:
    chat = await alice(conversation, clock)
    await chat.say("checkin every friday at 16:00")
    await chat.say("checkin weekly on fridays at 4pm")
    assert chat.text == (
        "You already have that check-in: 1. every Friday at 16:00 — next Fri 11 Dec, 16:00; nothing new was set."
    )
    await chat.say("checkin every friday at 4")
    await chat.press("16:00")
    assert chat.text.startswith("You already have that check-in: 1. every Friday at 16:00")
    await chat.say("checkin every friday at 5pm")
    assert chat.text.startswith("Done: a check-in every Friday at 17:00")
    assert len(await schedules(db)) == 2


async def test_what_was_understood_is_read_back_in_words_with_the_next_date(
    conversation: Conversation, clock: ManualClock
) -> None:
    chat = await alice(conversation, clock)
    await chat.say("checkin every other tuesday at 09:00")
    assert chat.text.startswith("Done: a check-in every other Tuesday at 09:00, next on Tue 8 Dec (Europe/London).")
    await chat.say("checkin every month on the 31st at 10:00")
    assert chat.text.startswith(
        "Done: a check-in on the 31st of each month at 10:00 (on the last day in shorter months), next on Thu 31 Dec"
    )
    await chat.say("checkin tomorrow at 3pm")
    assert chat.text.startswith("Done: a check-in tomorrow at 15:00 (Tue 8 Dec) (Europe/London).")
    await chat.say("checkin every friday at 25:00")
    assert chat.text.startswith("“25:00” is not a time of day: hours go from 00 to 23.")


async def test_nudges_every_day_are_daily_as_said_and_a_repeat_is_flagged(
    conversation: Conversation, clock: ManualClock
) -> None:
    chat = await alice(conversation, clock)
    await chat.say("nudges every day at 9am")
    assert chat.text.startswith("Done: a nudge every day at 09:00, next on Tue 8 Dec.")
    await chat.say("nudges daily at 09:00")
    assert chat.text == "You already have those nudges: every day at 09:00; nothing new was set."
    await chat.say("nudges weekly monday 9:00")
    assert chat.text.startswith("Done: a nudge every Monday at 09:00, next on Mon 14 Dec (never at weekends).")
    await chat.say("nudges weekdays at 4")
    await chat.press("16:00")
    assert chat.text.startswith("Done: a nudge weekdays at 16:00, next on Mon 7 Dec (never at weekends).")
