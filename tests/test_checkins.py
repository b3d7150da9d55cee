"""Reflective check-ins, end to end in the core: set up in words, sent when due, answered in a few taps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from handlers.clock import ManualClock
from handlers.conversation import Conversation
from handlers.messages import Reply
from handlers.scheduling import Scheduler, SchedulerPass
from storage import Database
from storage.models import CheckIn, OutboxMessage, Person, Reflection, Schedule
from tests.support.chat import ChatDriver


@pytest.fixture
def scheduler(db: Database, conversation: Conversation) -> Scheduler:
    return Scheduler(db, conversation.router, conversation.services)


async def outbox_for(db: Database, identity: str) -> list[OutboxMessage]:
    async with db.transaction() as session:
        person = (await session.exec(select(Person).where(Person.identity == identity))).one()
        found = await session.exec(
            select(OutboxMessage).where(OutboxMessage.person_id == person.id).order_by(col(OutboxMessage.id))
        )
        return list(found.all())


async def receive(db: Database, chat: ChatDriver, *, purpose: str | None = None) -> Reply:
    """The newest queued message for this person, as they would see it (buttons included)."""
    rows = [r for r in await outbox_for(db, chat.identity) if purpose is None or r.purpose == purpose]
    assert rows, "nothing was queued"
    reply = Reply.from_dict(rows[-1].payload)
    chat.last = [reply]
    return reply


def reminded_expired(result: SchedulerPass) -> tuple[int, int]:
    return result.swept["reminded"], result.swept["expired"]


async def alice(conversation: Conversation) -> ChatDriver:
    chat = ChatDriver(conversation)
    await chat.say("hello")
    return chat


async def test_a_weekly_checkin_is_set_up_in_words_and_listed_in_local_time(conversation: Conversation) -> None:
    chat = await alice(conversation)
    await chat.say("checkin every friday at 16:00")
    assert chat.text.startswith("Done: a check-in every Friday at 16:00, next on Fri 6 Mar (Europe/London).")
    await chat.say("checkins")
    assert chat.text == "Your check-ins (times in Europe/London):\n1. every Friday at 16:00 — next Fri 6 Mar, 16:00"


async def test_a_schedule_it_cannot_read_gets_the_accepted_forms(conversation: Conversation) -> None:
    chat = await alice(conversation)
    await chat.say("checkin whenever I feel like it")
    assert "I couldn't find a day or a time in that." in chat.text and "“every friday at 16:00”" in chat.text


async def test_a_due_checkin_is_queued_once_with_its_three_buttons(
    conversation: Conversation, db: Database, clock: ManualClock, scheduler: Scheduler
) -> None:
    chat = await alice(conversation)
    await chat.say("checkin every friday at 16:00")
    clock.set(datetime(2026, 3, 6, 15, 59, tzinfo=UTC))
    assert (await scheduler.run_once()).queued == 0
    clock.set(datetime(2026, 3, 6, 16, 0, tzinfo=UTC))
    assert (await scheduler.run_once()).queued == 1
    assert (await scheduler.run_once()).queued == 0
    reply = await receive(db, chat)
    assert reply.text.startswith("Time for your reflective check-in.")
    assert "Please don't include anything that could identify a patient." in reply.text
    assert [b.label for b in reply.buttons] == ["Reflect now", "Snooze 1 hour", "Skip"]
    await chat.say("checkins")
    assert "next Fri 13 Mar, 16:00" in chat.text
    async with db.transaction() as session:
        schedule = (await session.exec(select(Schedule))).one()
    (queued,) = await outbox_for(db, chat.identity)
    assert queued.reference == f"schedule:{schedule.id}"  # what reports and recalls look it up by


async def test_reflect_now_takes_the_next_message_and_never_echoes_it(
    conversation: Conversation, db: Database, clock: ManualClock, scheduler: Scheduler
) -> None:
    chat = await alice(conversation)
    await chat.say("checkin now")
    await chat.press("Reflect now")
    assert "Write your reflection as your next message" in chat.text
    assert chat.last[0].form is not None and chat.last[0].form.fields[0].max_length == 3000
    text = "Handover went well because I asked the team what they needed before deciding."
    await chat.say(text)
    assert chat.text.startswith("Thank you. Your reflection (13 words) is saved, and only you can see it.")
    assert "Handover went well" not in chat.text
    async with db.transaction() as session:
        stored = (await session.exec(select(Reflection))).one()
        checkin = (await session.exec(select(CheckIn))).one()
    assert "Handover" not in stored.body  # sealed at rest
    assert checkin.state == "answered"
    await chat.say("my reflections")
    assert text in chat.text and chat.last[0].private


async def test_a_reflection_can_come_from_the_form(conversation: Conversation, db: Database) -> None:
    from handlers.messages import Action

    chat = await alice(conversation)
    await chat.say("checkin now")
    checkin_id = chat.last[0].buttons[0].value["checkin"]
    too_long = await conversation.handle(
        chat.incoming(action=Action("checkin.reflection.submit", {"checkin": checkin_id, "reflection": "x" * 3001}))
    )
    assert "Please keep your reflection to 3000 characters" in too_long[0].text
    saved = await conversation.handle(
        chat.incoming(
            action=Action("checkin.reflection.submit", {"checkin": checkin_id, "reflection": "Calmer today."})
        )
    )
    assert saved[0].text.startswith("Thank you. Your reflection (2 words) is saved")


async def test_my_reflections_asked_in_a_channel_is_answered_privately(conversation: Conversation) -> None:
    chat = await alice(conversation)
    await chat.say("checkin now")
    await chat.press("Reflect now")
    await chat.say("A private thought")
    in_channel = ChatDriver(conversation, chat.identity, private=False)
    await in_channel.say("my reflections")
    assert in_channel.last[0].private
    assert in_channel.text.startswith("(You asked in a shared channel, so I'm answering only to you.)")


@pytest.mark.parametrize("reader", ["console:bob", "console:root-admin"])
async def test_nobody_else_can_read_a_reflection(conversation: Conversation, reader: str) -> None:
    chat = await alice(conversation)
    await chat.say("checkin now")
    question = chat.last
    await chat.press("Reflect now")
    await chat.say("Only for me")
    other = ChatDriver(conversation, reader)
    await other.say("hello")
    await other.say("my reflections")
    assert "Only for me" not in other.text
    other.last = question  # alice's own buttons, pressed from another account
    await other.press("Reflect now")
    assert other.text == "I can't find that check-in any more. “checkin now” starts a new one."


async def test_a_manager_cannot_read_their_teams_reflections(conversation: Conversation, db: Database) -> None:
    chat = await alice(conversation)
    await chat.say("checkin now")
    await chat.press("Reflect now")
    await chat.say("Team meeting was tense")
    await conversation.ensure_person("console:manager", "console", role="manager")
    manager = ChatDriver(conversation, "console:manager")
    await manager.say("my reflections")
    assert "tense" not in manager.text
    await manager.say("help")
    assert "reflections of" not in manager.text


async def test_snooze_asks_again_an_hour_later(conversation: Conversation, db: Database, clock: ManualClock) -> None:
    chat = await alice(conversation)
    await chat.say("checkin now")
    await chat.press("Snooze 1 hour")
    assert chat.text == "Snoozed. I'll ask again at Mon 2 Mar, 10:00."
    (again,) = await outbox_for(db, chat.identity)
    assert again.due_at == clock.now() + timedelta(hours=1)
    async with db.transaction() as session:
        checkin = (await session.exec(select(CheckIn))).one()
    assert again.reference == f"checkin:{checkin.id}"
    assert [b["label"] for b in again.payload["buttons"]] == ["Reflect now", "Snooze 1 hour", "Skip"]


async def test_skip_closes_the_checkin(conversation: Conversation, db: Database) -> None:
    chat = await alice(conversation)
    await chat.say("checkin now")
    question = chat.last
    await chat.press("Skip")
    assert chat.text.startswith("No problem, skipped.")
    chat.last = question
    await chat.press("Snooze 1 hour")
    assert chat.text == "That check-in is no longer open, so there is nothing to snooze."


async def test_one_reminder_then_the_checkin_expires(
    conversation: Conversation, db: Database, clock: ManualClock, scheduler: Scheduler
) -> None:
    chat = await alice(conversation)
    await chat.say("checkin now")
    clock.advance(hours=1, minutes=59)
    assert reminded_expired(await scheduler.run_once()) == (0, 0)
    clock.advance(minutes=1)
    assert reminded_expired(await scheduler.run_once()) == (1, 0)
    assert (await receive(db, chat, purpose="checkin_reminder")).text.startswith("A gentle reminder")
    clock.advance(hours=1)
    assert reminded_expired(await scheduler.run_once()) == (0, 0)
    clock.advance(hours=1)
    assert reminded_expired(await scheduler.run_once()) == (0, 1)
    async with db.transaction() as session:
        assert (await session.exec(select(CheckIn))).one().state == "expired"
    assert len(await outbox_for(db, chat.identity)) == 1


async def test_an_answered_checkin_gets_no_reminder(
    conversation: Conversation, db: Database, clock: ManualClock, scheduler: Scheduler
) -> None:
    chat = await alice(conversation)
    await chat.say("checkin now")
    await chat.press("Reflect now")
    await chat.say("Done quickly")
    clock.advance(hours=5)
    assert reminded_expired(await scheduler.run_once()) == (0, 0)


async def test_after_downtime_only_the_latest_missed_checkin_is_sent_and_it_says_it_is_late(
    conversation: Conversation, db: Database, clock: ManualClock, scheduler: Scheduler
) -> None:
    chat = await alice(conversation)
    await chat.say("checkin every day at 08:00")
    clock.set(datetime(2026, 3, 9, 12, 0, tzinfo=UTC))  # a week of missed mornings
    assert (await scheduler.run_once()).queued == 1
    reply = await receive(db, chat)
    assert reply.text.startswith("(A little late — this was due at Mon 9 Mar, 08:00;")
    await chat.say("checkins")
    assert "next Tue 10 Mar, 08:00" in chat.text


async def test_checkins_can_be_paused_resumed_and_cancelled_by_number(
    conversation: Conversation, clock: ManualClock, scheduler: Scheduler
) -> None:
    chat = await alice(conversation)
    await chat.say("checkin every friday at 16:00")
    await chat.say("checkin weekdays 9am")
    await chat.say("pause 2")
    assert chat.text == "Paused: weekdays at 09:00. “resume 2” starts it again."
    clock.set(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    assert (await scheduler.run_once()).queued == 0
    await chat.say("resume 2")
    assert chat.text == "Resumed: weekdays at 09:00. Next: Wed 4 Mar, 09:00."
    await chat.say("cancel 1")
    assert chat.text == "Cancelled: every Friday at 16:00."
    await chat.say("checkins")
    assert chat.text.endswith("1. weekdays at 09:00 — next Wed 4 Mar, 09:00")
    await chat.say("pause 7")
    assert chat.text.startswith("There is no check-in number 7.")


async def test_a_checkin_is_moved_to_another_time_or_day_in_own_words(
    conversation: Conversation, clock: ManualClock, scheduler: Scheduler, db: Database
) -> None:
    # walked 2026-12-07: "can u move my checkin to 4pm instead" was answered with team huddles; nothing could move one
    chat = await alice(conversation)
    await chat.say("can u move my checkin to 4pm instead")
    assert chat.text.startswith("You have no check-ins yet.")
    await chat.say("checkin every friday at 17:00")
    await chat.say("can u move my checkin to 4pm instead")
    assert chat.text == "Moved: your check-in is now every Friday at 16:00, next on Fri 6 Mar (Europe/London)."
    await chat.say("move my checkin to 5")  # an hour that could be either is asked back, nothing moved
    assert chat.text.startswith("Do you mean 05:00 or 17:00?") and "Nothing" not in chat.text
    await chat.say("we moved it to bay 2 on friday because the side room flooded again")  # no request to move it
    assert "Moved:" not in chat.text
    await chat.say("actually move it to sat 9am")  # walked 2026-12-07: it had set a second check-in
    assert chat.text.startswith("Moved: your check-in is now every Saturday at 09:00")
    await chat.say("pause it for now")
    assert chat.text.startswith("Paused: every Saturday at 09:00")
    await chat.say("resume 1")
    await chat.say("change my checkin to mondays")  # the days alone: the same time (a third walk: "What time?")
    assert chat.text.startswith("Moved: your check-in is now every Monday at 09:00"), chat.text  # as on Saturdays
    await chat.say("change my checkin to mondays at 9am")
    assert chat.text.startswith("Moved: your check-in is now every Monday at 09:00")
    await chat.say("checkins")
    assert chat.text.endswith("1. every Monday at 09:00 — next Mon 9 Mar, 09:00")  # one check-in, not two
    clock.set(datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    assert (await scheduler.run_once()).queued == 1  # due at its new time
    await chat.say("checkin weekdays 9am")
    await chat.say("move my checkin to 4pm")
    assert chat.text.startswith("You have more than one check-in.")


async def test_time_zones_are_checked_and_schedules_follow_them(conversation: Conversation) -> None:
    chat = await alice(conversation)
    await chat.say("checkin every friday at 16:00")
    await chat.say("timezone Mars/Olympus")
    assert chat.text.startswith("“Mars/Olympus” is not a time zone I know. Say a city")
    await chat.say("timezone asia/kolkata")
    assert chat.text == (
        "Done: your time zone is now Asia/Kolkata (IST, UTC+5:30 today; it is 14:30 there). "
        "Your 1 schedule now follows it."
    )
    await chat.say("checkins")
    assert chat.text == "Your check-ins (times in Asia/Kolkata):\n1. every Friday at 16:00 — next Fri 6 Mar, 16:00"


async def test_a_reflection_that_suggests_distress_gets_private_support_first_and_is_saved(
    conversation: Conversation, db: Database
) -> None:
    chat = await alice(conversation)
    await chat.say("checkin now")
    await chat.press("Reflect now")
    replies = await chat.say("Honestly I'm not coping and I feel bullied by a senior colleague")
    assert len(replies) == 2 and all(r.private for r in replies)
    support, saved = replies[0].text, replies[1].text
    for needed in ("Occupational health", "NHS 111", "Samaritans", "116 123", "Freedom to Speak Up Guardian"):
        assert needed in support
    assert saved.startswith("Thank you. Your reflection (12 words) is saved")
    async with db.transaction() as session:
        queued = (await session.exec(select(OutboxMessage))).all()
    assert queued == []  # nobody else is told


async def test_an_ordinary_reflection_gets_no_signposts(conversation: Conversation) -> None:
    chat = await alice(conversation)
    await chat.say("checkin now")
    await chat.press("Reflect now")
    replies = await chat.say("I felt safe to try a new way of running huddles")
    assert len(replies) == 1


async def test_good_thanks_in_reply_to_a_checkin_is_its_reflection_not_small_talk(
    conversation: Conversation, db: Database, clock: ManualClock, scheduler: Scheduler
) -> None:
    # "ok", "good thanks" and "thanks that helps" are acknowledged when nothing waits for them (walked 2026-12-07):
    # to a check-in that was sent, they are the reflection, and saved
    chat = await alice(conversation)
    await chat.say("ok")
    assert chat.text.startswith("OK. I'm here whenever you need me")
    await chat.say("checkin every day at 08:00")
    clock.set(datetime(2026, 3, 9, 8, 0, tzinfo=UTC))
    assert (await scheduler.run_once()).queued == 1
    await receive(db, chat)
    await chat.say("good thanks")
    assert "Your reflection (2 words) is saved" in chat.text
    async with db.transaction() as session:
        assert len((await session.exec(select(Reflection))).all()) == 1


async def test_deleting_a_reflection_says_how_reflections_go_and_cancels_no_checkin(
    conversation: Conversation, db: Database
) -> None:
    # walked 2026-12-07: "delete reflection 1" had cancelled check-in 1 ("reflection" was read as a check-in)
    chat = await alice(conversation)
    await chat.say("checkin every friday at 16:00")
    typed_ways = (
        "delete reflection 1", "remove reflection 2", "delete my first reflection", "how do i delete a reflection",
    )
    for typed in typed_ways:
        await chat.say(typed)
        assert chat.text.startswith("I can't delete a single reflection") and "forget me" in chat.text, typed
    async with db.transaction() as session:
        assert (await session.exec(select(Schedule))).one().state == "active"


async def test_pause_my_checkin_pauses_the_only_one_and_asks_which_of_several(conversation: Conversation) -> None:
    # walked 2026-12-07: "pause my checkin" had been offered "checkins" and "checkin now"
    chat = await alice(conversation)
    await chat.say("checkin every friday at 17:00")
    await chat.say("pause my checkin")
    assert chat.text.startswith("Paused: every Friday at 17:00.")
    await chat.say("resume my checkin")
    assert chat.text.startswith("Resumed: every Friday at 17:00.")
    await chat.say("checkin every monday at 09:00")
    await chat.say("stop my checkins")
    assert chat.text.startswith("Which one? Type “cancel 1”, “cancel 2”")
    await chat.say("checkins")
    assert "paused" not in chat.text and "2. every Monday at 09:00" in chat.text
