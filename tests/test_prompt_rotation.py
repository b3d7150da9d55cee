"""Check-in questions rotate through knowledge/prompts.yaml per person: no question comes again before all
the others have, across “checkin now” and every one of their schedules (each used to start at the first)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from handlers.clock import ManualClock
from handlers.conversation import Conversation
from handlers.scheduling import Scheduler
from storage import Database
from storage.models import CheckIn, Person, Schedule
from tests.support.chat import ChatDriver


async def questions_asked(db: Database, identity: str) -> list[str]:
    async with db.transaction() as session:
        person = (await session.exec(select(Person).where(Person.identity == identity))).one()
        found = await session.exec(select(CheckIn).where(CheckIn.person_id == person.id).order_by(col(CheckIn.id)))
        return [checkin.prompt_id for checkin in found.all()]


async def test_questions_never_repeat_until_all_were_asked_across_checkin_now_and_schedules(
    conversation: Conversation, db: Database, clock: ManualClock
) -> None:
    assert conversation.services.prompts is not None
    every = [p.id for p in conversation.services.prompts.reflection]
    chat = ChatDriver(conversation)
    await chat.say("checkin weekdays 9am")
    await chat.say("checkin weekdays 17:00")  # two schedules of one person
    scheduler = Scheduler(db, conversation.router, conversation.services)
    while len(await questions_asked(db, chat.identity)) < 2 * len(every) + 1:
        await chat.say("checkin now")
        clock.advance(hours=8)
        await scheduler.run_once()
    asked = await questions_asked(db, chat.identity)
    assert len(asked) >= 2 * len(every)
    for start in range(len(asked) - len(every) + 1):
        assert sorted(asked[start : start + len(every)]) == sorted(every), asked  # each window asks every one once
    assert asked[: len(every)] == every  # in the order prompts.yaml gives


async def test_two_schedules_falling_due_together_ask_different_questions(
    conversation: Conversation, db: Database, clock: ManualClock
) -> None:
    """One scheduler batch composes both before it writes either: the second still sees the first's question."""
    chat = ChatDriver(conversation)
    await chat.say("hello")
    async with db.transaction() as session:
        person = (await session.exec(select(Person).where(Person.identity == chat.identity))).one()
        for hour in (9, 9):
            session.add(
                Schedule(person_id=person.id or 0, kind="checkin", rule=f"FREQ=DAILY;BYHOUR={hour};BYMINUTE=0",
                         description="every day at 09:00", timezone="Europe/London",
                         next_run_at=clock.now() + timedelta(hours=1), created_at=clock.now())
            )  # fmt: skip
    clock.advance(hours=1)
    assert (await Scheduler(db, conversation.router, conversation.services).run_once()).queued == 2
    first, second = await questions_asked(db, chat.identity)
    assert first != second


async def test_people_rotate_separately(conversation: Conversation, db: Database) -> None:
    alice, bob = ChatDriver(conversation), ChatDriver(conversation, "console:bob", name="Bob")
    await alice.say("checkin now")
    await alice.say("checkin now")
    await bob.say("checkin now")
    first, second = await questions_asked(db, alice.identity)
    assert first != second and await questions_asked(db, bob.identity) == [first]  # Bob starts at the start
