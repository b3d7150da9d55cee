"""Nudges: a month with one person and a moved clock (no repeats, streaks, quiet hours, stop)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from handlers.clock import ManualClock
from handlers.conversation import Conversation
from handlers.messages import Reply
from handlers.scheduling import Scheduler
from storage import Database
from storage.models import Nudge, OutboxMessage
from tests.support.chat import ChatDriver


@pytest.fixture
def scheduler(db: Database, conversation: Conversation) -> Scheduler:
    return Scheduler(db, conversation.router, conversation.services)


async def nudges_of(db: Database) -> list[Nudge]:
    async with db.transaction() as session:
        return list((await session.exec(select(Nudge).order_by(col(Nudge.id)))).all())


async def queued_nudges(db: Database) -> list[OutboxMessage]:
    async with db.transaction() as session:
        found = await session.exec(
            select(OutboxMessage).where(OutboxMessage.purpose == "nudge").order_by(col(OutboxMessage.id))
        )
        return list(found.all())


async def person(conversation: Conversation, identity: str = "console:alice", role: str = "staff") -> ChatDriver:
    await conversation.ensure_person(identity, "console", role=role)
    chat = ChatDriver(conversation, identity)
    await chat.say("hello")
    return chat


async def test_a_nudge_offers_one_practice_with_three_buttons(conversation: Conversation) -> None:
    chat = await person(conversation)
    await chat.say("give me a practice")
    assert chat.text.startswith("Here's a small practice to try: ")
    assert [b.label for b in chat.last[0].buttons] == ["Done", "Not today", "Another"]


async def test_practices_do_not_repeat_until_the_whole_set_has_been_seen(
    conversation: Conversation, db: Database
) -> None:
    chat = await person(conversation)
    staff_set = [p for p in conversation.services.practices if p.audience == "anyone"]
    for _ in range(len(staff_set) + 1):
        await chat.say("nudge")
    offered = [n.practice_id for n in await nudges_of(db)]
    assert sorted(offered[: len(staff_set)]) == sorted(p.id for p in staff_set)
    assert offered[len(staff_set)] == offered[0]


async def test_managers_also_get_the_managers_practices(conversation: Conversation, db: Database) -> None:
    chat = await person(conversation, "console:mo", role="manager")
    everything = conversation.services.practices
    assert any(p.audience == "managers" for p in everything)
    for _ in range(len(everything)):
        await chat.say("nudge")
    assert sorted(n.practice_id for n in await nudges_of(db)) == sorted(p.id for p in everything)


async def test_done_takes_an_optional_private_note(conversation: Conversation, db: Database) -> None:
    chat = await person(conversation)
    await chat.say("nudge")
    await chat.press("Done")
    assert chat.text.startswith("Lovely, recorded.")
    await chat.say("The team laughed and it eased the tension")
    assert chat.text == "Thanks, your note is saved privately."
    (nudge,) = await nudges_of(db)
    assert nudge.state == "done" and nudge.note is not None and "tension" not in nudge.note


async def test_a_command_after_done_is_a_command_not_a_note(conversation: Conversation, db: Database) -> None:
    chat = await person(conversation)
    await chat.say("nudge")
    await chat.press("Done")
    await chat.say("my progress")
    assert chat.text.startswith("Your compassionate-leadership practice:")
    (nudge,) = await nudges_of(db)
    assert nudge.note is None


async def test_another_offers_a_different_practice_and_not_today_is_recorded(
    conversation: Conversation, db: Database
) -> None:
    chat = await person(conversation)
    await chat.say("nudge")
    await chat.press("Another")
    assert chat.text.startswith("How about this one: ")
    await chat.press("Not today")
    first, second = await nudges_of(db)
    assert first.practice_id != second.practice_id
    assert (first.state, second.state) == ("not_today", "not_today")


async def test_a_practice_can_be_logged_without_a_nudge(conversation: Conversation, db: Database) -> None:
    chat = await person(conversation)
    some = conversation.services.practices[0]
    await chat.say(f"did {some.id}")
    assert chat.text.startswith(f"Recorded: {some.title}.")
    await chat.say("did")
    assert chat.text == "Which practice did you do?" and len(chat.last[0].buttons) >= 10
    await chat.press(chat.last[0].buttons[1].label)
    await chat.say("did no-such-practice")
    assert chat.text.startswith("I don't know a practice called “no-such-practice”.")
    assert [n.state for n in await nudges_of(db)] == ["logged", "logged"]


@pytest.mark.parametrize(
    "question",
    [
        "did i do the right thing reporting my band 6 for how she talks to the hcas?",
        "did the nhs ever publish the messenger review",
    ],
)
async def test_a_question_that_starts_with_did_is_answered_not_taken_for_a_practice(
    conversation: Conversation, db: Database, question: str
) -> None:
    # walked 2026-12-07: both had been met with "I don't know a practice called …" and the list of practices
    chat = await person(conversation)
    await chat.say(question)
    assert "Which practice did you do?" not in chat.text and "practice called" not in chat.text
    assert await nudges_of(db) == []


async def test_a_question_that_opens_like_a_schedule_command_is_answered(
    conversation: Conversation, db: Database
) -> None:
    # walked 2026-12-07: both had got "I couldn't find a day or a time in that"
    chat = await person(conversation)
    await chat.say("nudges from my manager feel like micromanaging, how do i raise it")
    assert "day or a time" not in chat.text and chat.last[0].links
    await chat.say("checkins with my team keep getting cancelled because of staffing, how do i protect them")
    assert "day or a time" not in chat.text and chat.last[0].links
    await chat.say("nudges on thursdys")  # a schedule that needs a time is still asked for one
    assert chat.text.startswith("What time?")


async def test_an_unanswered_nudge_expires_after_a_day(
    conversation: Conversation, db: Database, clock: ManualClock, scheduler: Scheduler
) -> None:
    chat = await person(conversation)
    await chat.say("nudge")
    clock.advance(hours=25)
    assert (await scheduler.run_once()).swept["nudges_expired"] == 1
    assert [n.state for n in await nudges_of(db)] == ["expired"]


async def test_a_month_of_weekly_nudges_with_streaks_quiet_hours_and_stop(
    conversation: Conversation, db: Database, clock: ManualClock, scheduler: Scheduler
) -> None:
    chat = await person(conversation)  # Monday 2 March 2026, 09:00 London
    await chat.say("nudges weekly monday 9:30")
    assert chat.text.startswith("Done: a nudge every Monday at 09:30, next on Mon 2 Mar (never at weekends).")
    mondays = [datetime(2026, 3, 2, 9, 30, tzinfo=UTC) + timedelta(weeks=n) for n in range(4)]
    for week, monday in enumerate(mondays):
        clock.set(monday)
        assert (await scheduler.run_once()).queued == 1
        chat.last = [Reply.from_dict((await queued_nudges(db))[-1].payload)]
        if week != 2:  # week 3 goes by without a practice
            await chat.press("Done")
    clock.set(datetime(2026, 3, 23, 12, tzinfo=UTC))
    await chat.say("my progress")
    assert "• This week: 1 tried · this month: 3" in chat.text
    assert "• Weekly streak: 1 week in a row" in chat.text
    offered = [n.practice_id for n in await nudges_of(db)]
    assert len(set(offered)) == 4  # no repeats

    # A late Monday nudge found only at 20:00 would intrude: it is not sent.
    clock.set(datetime(2026, 3, 30, 20, 0, tzinfo=UTC))
    assert (await scheduler.run_once()).queued == 0
    await chat.say("stop nudges")
    assert chat.text.startswith("Done: no more scheduled nudges.")
    clock.set(datetime(2026, 4, 6, 9, 30, tzinfo=UTC))
    assert (await scheduler.run_once()).queued == 0
    await chat.say("my progress")
    assert "• Next nudge: none scheduled" in chat.text


async def test_weekday_nudges_skip_weekends_and_daily_ones_come_every_day_as_said(
    conversation: Conversation, db: Database, clock: ManualClock, scheduler: Scheduler
) -> None:
    chat = await person(conversation)
    await chat.say("nudges weekdays 8:30")
    assert "weekdays at 08:30, next on Tue 3 Mar (never at weekends)" in chat.text
    for day in range(7):  # Tue 3 .. Mon 9 March
        clock.set(datetime(2026, 3, 3, 8, 30, tzinfo=UTC) + timedelta(days=day))
        await scheduler.run_once()
    assert len(await queued_nudges(db)) == 5
    await chat.say("nudges every day at 9am")
    assert chat.text.startswith("Done: a nudge every day at 09:00, next on Mon 9 Mar.")
    for day in range(7):  # Mon 9 .. Sun 15 March, weekend included: they said every day
        clock.set(datetime(2026, 3, 9, 9, 0, tzinfo=UTC) + timedelta(days=day))
        await scheduler.run_once()
    assert len(await queued_nudges(db)) == 5 + 7
    await chat.say("nudges every saturday at 20:00")
    assert "every Saturday at 20:00, next on Sat 21 Mar." in chat.text
    clock.set(datetime(2026, 3, 21, 20, 0, tzinfo=UTC))
    assert (await scheduler.run_once()).queued == 1  # chosen, so quiet hours and weekend allowed


async def test_streaks_count_weeks_in_the_persons_own_time_zone(conversation: Conversation, clock: ManualClock) -> None:
    chat = await person(conversation)
    await chat.say("timezone America/New_York")
    some = conversation.services.practices[0].id
    # Sunday 8 March 22:30 in New York is already Monday in UTC; it still counts for the week of 2 March.
    clock.set(datetime(2026, 3, 9, 2, 30, tzinfo=UTC))
    await chat.say(f"did {some}")
    clock.set(datetime(2026, 3, 12, 15, tzinfo=UTC))
    await chat.say(f"did {some}")
    await chat.say("my progress")
    assert "• Weekly streak: 2 weeks in a row" in chat.text


async def test_asked_to_snooze_a_practice_it_says_what_can_be_done_and_keeps_its_buttons(
    conversation: Conversation, db: Database
) -> None:
    # walked 2026-12-07: "snooze this one till tmrw pls" had been declined ("I can't help with that here")
    chat = await person(conversation)
    await chat.say("nudge")
    await chat.say("snooze this one till tmrw pls")
    assert chat.text.startswith("A practice can't be snoozed: “not today” lets this one go")
    await chat.say("not today")
    assert [nudge.state for nudge in await nudges_of(db)] == ["not_today"]
