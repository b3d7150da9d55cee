"""People's own words: typos of commands, commands asked for naturally, and buttons answered by typing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from handlers.clock import ManualClock
from handlers.conversation import Conversation
from handlers.scheduling import Scheduler
from storage import Database
from storage.models import CheckIn, Nudge, Schedule
from tests.support.chat import ChatDriver


@pytest.fixture
def scheduler(db: Database, conversation: Conversation) -> Scheduler:
    return Scheduler(db, conversation.router, conversation.services)


async def nurse(conversation: Conversation) -> ChatDriver:
    await conversation.ensure_person("console:amy", "console")
    chat = ChatDriver(conversation, "console:amy")
    await chat.say("hello")
    return chat


async def nudges_of(db: Database) -> list[Nudge]:
    async with db.transaction() as session:
        return list((await session.exec(select(Nudge).order_by(col(Nudge.id)))).all())


@pytest.mark.parametrize(
    ("typed", "starts"),
    [
        ("hepl", "Here is what I can do."),
        ("nudg", "Here's a small practice to try: "),
        ("checkn now", "Time for your reflective check-in."),
        ("can I have a nudge", "Here's a small practice to try: "),
        ("myprogress", "Your compassionate-leadership practice:"),
        ("what time zone am i in", "Your time zone is Europe/London (GMT, UTC+0 today"),
    ],
)
async def test_typos_and_natural_phrasings_run_the_command(conversation: Conversation, typed: str, starts: str) -> None:
    chat = await nurse(conversation)
    await chat.say(typed)
    assert chat.text.startswith(starts), chat.text


@pytest.mark.parametrize(
    "question", ["what is a nudge?", "how do I check in with my team?", "remind me what the People Promise is"]
)
async def test_questions_that_contain_a_command_word_are_answered(conversation: Conversation, question: str) -> None:
    chat = await nurse(conversation)
    await chat.say(question)
    assert any(reply.links for reply in chat.last), chat.text  # an answer with its source, not a command
    assert "Here's a small practice" not in chat.text and "Time for your reflective check-in" not in chat.text


async def test_a_near_miss_is_offered_back_with_buttons_never_guessed(conversation: Conversation, db: Database) -> None:
    chat = await nurse(conversation)
    await chat.say("cancel all")
    assert chat.text.startswith("I'm not sure what you'd like. Did you mean:")
    labels = [b.label for b in chat.last[-1].buttons]
    assert labels[-1] == "No, it's a question" and "stop nudges" in labels and "checkins" in labels
    await chat.press("stop nudges")
    assert chat.text.startswith("You have no scheduled nudges.")


async def test_a_near_miss_can_be_sent_on_as_a_question(conversation: Conversation) -> None:
    chat = await nurse(conversation)
    await chat.say("i want to reflect on a difficult conversation")
    assert "“checkin now”" in chat.text
    await chat.press("No, it's a question")
    assert "Did you mean" not in chat.text and "Time for your reflective check-in" not in chat.text


async def test_a_nudges_buttons_can_be_answered_in_words(conversation: Conversation, db: Database) -> None:
    chat = await nurse(conversation)
    await chat.say("nudge")
    await chat.say("not today")
    assert (await nudges_of(db))[0].state == "not_today"
    await chat.say("nudge")
    await chat.say("give me another")  # "Another", in their words
    assert chat.text.startswith("How about this one: ")
    await chat.say("did it!")
    assert chat.text.startswith("Lovely, recorded.")
    assert [n.state for n in await nudges_of(db)] == ["not_today", "not_today", "done"]


async def test_a_button_can_be_picked_by_its_number_or_an_ordinal(conversation: Conversation, db: Database) -> None:
    chat = await nurse(conversation)
    await chat.say("nudge")
    await chat.say("the second one")  # Not today
    await chat.say("nudge")
    await chat.say("1")  # Done
    assert [n.state for n in await nudges_of(db)] == ["not_today", "done"]


async def test_after_done_a_command_in_own_words_is_not_taken_for_the_optional_note(
    conversation: Conversation, db: Database
) -> None:
    chat = await nurse(conversation)
    await chat.say("nudge")
    await chat.say("done")
    assert chat.text.startswith("Lovely, recorded.")
    await chat.say("can I have another nudge please")
    assert chat.text.startswith("Here's a small practice to try: ")
    first = (await nudges_of(db))[0]
    assert first.state == "done" and first.note is None


async def test_a_long_message_is_never_taken_for_a_button(conversation: Conversation, db: Database) -> None:
    chat = await nurse(conversation)
    await chat.say("nudge")
    await chat.say("done loads today and I am shattered after a long shift")
    assert (await nudges_of(db))[0].state == "sent"


async def test_a_scheduled_checkins_buttons_can_be_answered_in_words(
    conversation: Conversation, db: Database, clock: ManualClock, scheduler: Scheduler
) -> None:
    chat = await nurse(conversation)
    await chat.say("checkin every monday at 10:00")
    clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    assert (await scheduler.run_once()).queued == 1
    await chat.say("snooze")
    assert chat.text.startswith("Snoozed. I'll ask again at Mon 2 Mar, 11:00.")
    async with db.transaction() as session:
        assert (await session.exec(select(CheckIn))).one().state == "snoozed"


async def test_did_takes_a_practices_title_or_a_near_title(conversation: Conversation, db: Database) -> None:
    chat = await nurse(conversation)
    await chat.say("i did listen with fascination")
    assert chat.text.startswith("Recorded: Listen with fascination for two minutes.")
    await chat.say("did device down eyes upp")
    assert chat.text.startswith("Recorded: Device down, eyes up.")
    assert [n.practice_id for n in await nudges_of(db)] == ["listen-with-fascination", "device-down-eyes-up"]


async def test_offered_choices_are_kept_sealed(conversation: Conversation, db: Database) -> None:
    chat = await nurse(conversation)
    await chat.say("reflect on sister jones")
    assert "Did you mean" in chat.text
    async with db.transaction() as session:
        rows = (await session.exec(text("SELECT choices FROM offered_choices"))).all()
    assert len(rows) == 1 and "sister jones" not in str(rows[0])


async def test_typed_choices_from_someone_else_are_their_own(conversation: Conversation, db: Database) -> None:
    amy = await nurse(conversation)
    await amy.say("nudge")
    await conversation.ensure_person("console:ben", "console")
    ben = ChatDriver(conversation, "console:ben")
    await ben.say("done")
    assert (await nudges_of(db))[0].state == "sent"  # Amy's nudge is untouched by Ben's "done"


async def test_after_done_a_near_miss_is_offered_back_not_kept_as_the_note(
    conversation: Conversation, db: Database
) -> None:
    chat = await nurse(conversation)
    await chat.say("nudge")
    await chat.say("done")
    await chat.say("cancel all")
    assert chat.text.startswith("I'm not sure what you'd like. Did you mean:")
    assert (await nudges_of(db))[0].note is None


async def test_a_first_hello_in_own_words_is_greeted_once(conversation: Conversation) -> None:
    chat = ChatDriver(conversation, "console:new-starter")
    await chat.say("helo")
    assert len(chat.last) == 1 and chat.text.startswith("Hello")


async def test_a_request_with_a_typo_and_a_bare_hour_is_asked_back(conversation: Conversation) -> None:
    chat = await nurse(conversation)
    await chat.say("can u remind me evry friday at 4 to reflect")
    assert chat.text.startswith("Do you mean 04:00 or 16:00?")


async def test_a_number_in_a_sentence_is_no_schedule(conversation: Conversation) -> None:
    chat = await nurse(conversation)
    await chat.say("i want to reflect on a difficult conversation with a band 6")
    assert "Which day" not in chat.text and "Done: a check-in" not in chat.text


async def test_a_manager_turns_the_weekly_prompt_off_and_on_in_own_words(conversation: Conversation) -> None:
    await conversation.ensure_person("console:ward-manager", "console", role="manager")
    chat = ChatDriver(conversation, "console:ward-manager")
    await chat.say("turn off my weekly prompt")
    assert chat.text.startswith("Your weekly prompt is off.")
    await chat.say("turn on my weekly prompt")
    assert chat.text.startswith("Your weekly prompt comes every Monday at 09:00")
    await chat.say("move my weekly prompt to friday 8:30")
    assert chat.text.startswith("Your weekly prompt comes every Friday at 08:30")


async def test_an_admins_typo_of_a_role_is_mended(conversation: Conversation) -> None:
    await conversation.ensure_person("console:jo", "console", role="admin")
    await conversation.ensure_person("console:sam", "console")
    admin = ChatDriver(conversation, "console:jo")
    await admin.say("role console:sam managr")
    assert "manager" in admin.text and "console:sam" in admin.text, admin.text


async def test_a_checkin_asked_for_after_a_shift_asks_for_the_time_the_bot_cannot_know(
    conversation: Conversation, db: Database
) -> None:
    chat = await nurse(conversation)
    await chat.say("remind me to reflect on tuesdays after work")
    assert chat.text.startswith("I can't tell when your shift or day ends, so please give me a time"), chat.text
    await chat.say("check in with me every fri after my shift at 5.30pm")  # a command of its own, not the time
    assert chat.text == (
        "(The one waiting for a time was not set.)\nDone: a check-in every Friday at 17:30, next on Fri 6 Mar "
        "(Europe/London). “checkins” lists yours; “pause”, “resume” or “cancel” with its number changes one."
    ), chat.text
    async with db.transaction() as session:
        assert len((await session.exec(select(CheckIn))).all()) == 0  # a schedule, not a check-in yet


async def test_a_reminder_written_as_a_heading_sets_nothing(conversation: Conversation, db: Database) -> None:
    # a walk, 2026-12-07: it had set a weekly check-in for Thursdays at 12:30
    chat = await nurse(conversation)
    await chat.say("Reminder: the leadrship webinar is on thursday at 12:30, link in ur email")
    assert "Done: a check-in" not in chat.text
    await chat.say("set a reminder every friday at 4pm")
    assert chat.text.startswith("Done: a check-in every Friday at 16:00")
    async with db.transaction() as session:
        assert len((await session.exec(select(Schedule))).all()) == 1


async def test_asked_only_for_the_time_the_days_said_are_kept_for_the_answer(
    conversation: Conversation, db: Database
) -> None:
    # a walk, 2026-12-07: "every fri after my shift", then "7.30pm", had been asked "Which day or days?"
    chat = await nurse(conversation)
    await chat.say("checkin every fri after my shift")
    assert chat.text.endswith("(The time alone will do.)")
    await chat.say("7.30pm")
    assert chat.text.startswith("Done: a check-in every Friday at 19:30"), chat.text
    await chat.say("checkin every monday")
    await chat.say("how do i run a good one to one")  # a question instead of the time is answered, nothing set
    assert any(reply.links for reply in chat.last)
    async with db.transaction() as session:
        assert len((await session.exec(select(Schedule))).all()) == 1
