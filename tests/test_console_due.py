"""`leadwell chat` receives what falls due while it runs, by itself, and prints each message once.

The chat runs its own person's due work (no server can reach a terminal): a scheduled check-in
appears at its time, then its reminder; with a server's scheduler on the same database it still
appears exactly once, whoever queued it. The real chat loop is driven with a clock the test moves
and a keyboard the test types on.
"""

from __future__ import annotations

import asyncio
import io
import queue
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.console.chat import PROMPT, ConsoleChat, run_chat
from bot.runtime import Runtime, build_runtime
from bot.settings import load_settings
from handlers.clock import ManualClock
from handlers.messages import Reply
from handlers.scheduling import Scheduler
from knowledge import KnowledgeBase
from storage import Database, upgrade_database
from storage.models import OutboxMessage, Schedule
from storage.repositories import Repositories
from tests.conftest import empty_postgres

CHECKIN = "Time for your reflective check-in."
FRIDAY_3PM = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)  # London is on GMT: 15:00 there too


class Screen(io.StringIO):
    """The terminal: what was printed, and a way to wait until something is."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = asyncio.Event()

    def write(self, text: str) -> int:
        self.changed.set()
        return super().write(text)

    async def shows(self, text: str, times: int = 1, within: float = 10.0) -> None:
        async def wait() -> None:
            while self.getvalue().count(text) < times:
                self.changed.clear()
                await self.changed.wait()

        try:
            await asyncio.wait_for(wait(), within)
        except TimeoutError:
            raise AssertionError(f"{text!r} not shown {times} time(s) in:\n{self.getvalue()}") from None


class Keyboard(io.StringIO):
    """Stdin the test types on: `readline` waits for the next line; `leave()` is Ctrl-D."""

    def __init__(self, *, terminal: bool = False) -> None:
        super().__init__()
        self.lines: queue.Queue[str] = queue.Queue()
        self.terminal = terminal

    def type(self, line: str) -> None:
        self.lines.put(line + "\n")

    def leave(self) -> None:
        self.lines.put("")

    def readline(self, size: int | None = -1) -> str:
        return self.lines.get(timeout=30)

    def isatty(self) -> bool:
        return self.terminal


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/chat.db"
        upgrade_database(url)
    else:
        url = request.getfixturevalue("postgres_migrated")
        database = Database(url)
        await empty_postgres(database)
        await database.dispose()
    yield url


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(FRIDAY_3PM)


@pytest.fixture
async def runtime(database_url: str, clock: ManualClock, knowledge: KnowledgeBase) -> AsyncIterator[Runtime]:
    runtime = build_runtime(load_settings(database_url=database_url), clock=clock, knowledge=knowledge)
    yield runtime
    await runtime.close()


@pytest.fixture
async def server(database_url: str, clock: ManualClock, knowledge: KnowledgeBase) -> AsyncIterator[Runtime]:
    """A second process's core on the same database (its own connections), as `leadwell serve` has."""
    runtime = build_runtime(load_settings(database_url=database_url), clock=clock, knowledge=knowledge)
    yield runtime
    await runtime.close()


async def start_chat(runtime: Runtime, keyboard: Keyboard, screen: Screen) -> asyncio.Task[None]:
    return asyncio.create_task(run_chat(runtime, user="sam", role=None, timezone=None, stdin=keyboard, out=screen,
                                        due_every=0.02))  # fmt: skip


async def say(keyboard: Keyboard, screen: Screen, line: str, expect: str) -> None:
    keyboard.type(line)
    await screen.shows(expect)


async def test_a_scheduled_checkin_appears_in_a_running_chat_with_no_server(
    runtime: Runtime, clock: ManualClock
) -> None:
    keyboard, screen = Keyboard(), Screen()
    chat = await start_chat(runtime, keyboard, screen)
    await say(keyboard, screen, "checkin every friday at 16:00", "next on Fri 6 Mar (Europe/London)")
    await asyncio.sleep(0.1)
    assert CHECKIN not in screen.getvalue()  # not before its time
    clock.advance(hours=1)
    await screen.shows(CHECKIN)
    await say(keyboard, screen, "checkins", "next Fri 13 Mar, 16:00")  # no longer listed as next
    clock.advance(hours=2)  # LEADWELL_REMINDER_AFTER: the sweep reminds this person too
    await screen.shows("A gentle reminder: your check-in is still open")
    keyboard.leave()
    await chat
    assert screen.getvalue().count(CHECKIN) == 1
    assert screen.getvalue().count("A gentle reminder") == 1


@pytest.mark.parametrize("first", ["server", "chat"])
async def test_with_a_server_on_the_same_database_the_checkin_is_shown_exactly_once(
    runtime: Runtime, server: Runtime, clock: ManualClock, first: str
) -> None:
    keyboard, screen = Keyboard(), Screen()
    chat = await start_chat(runtime, keyboard, screen)
    await say(keyboard, screen, "checkin every friday at 16:00", "next on Fri 6 Mar (Europe/London)")
    everyone = Scheduler(server.db, server.router, server.services)  # the server's scheduler worker
    clock.advance(hours=1)
    if first == "server":  # it queues the check-in; it cannot print it, the chat does
        assert (await everyone.run_once()).queued == 1
    else:
        await screen.shows(CHECKIN)
    for _ in range(5):  # both keep running: nothing is queued twice
        await everyone.run_once()
        await asyncio.sleep(0.03)
    await screen.shows(CHECKIN)
    keyboard.leave()
    await chat
    assert screen.getvalue().count(CHECKIN) == 1
    async with runtime.db.transaction() as session:
        rows = (await session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "checkin"))).all()
    assert [row.state for row in rows] == ["sent"]


async def test_the_chat_runs_only_its_own_persons_due_work(runtime: Runtime, clock: ManualClock) -> None:
    """Someone else's due check-in (here on Slack) is left to the server: the chat neither queues nor moves it."""
    others = await runtime.conversation.ensure_person("slack:T1:U1", "slack")
    async with runtime.db.transaction() as session:
        await Repositories(session).schedules.add(
            Schedule(person_id=others.id or 0, kind="checkin", rule="FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0",
                     description="every Friday at 16:00", timezone="Europe/London",
                     next_run_at=datetime(2026, 3, 6, 16, 0, tzinfo=UTC), created_at=clock.now())
        )  # fmt: skip
    chat = ConsoleChat(runtime, user="sam", out=Screen())
    chat.person_id = (await runtime.conversation.ensure_person(chat.identity, "console")).id
    clock.advance(hours=1)
    assert await chat.run_due() == 0
    async with runtime.db.transaction() as session:
        schedule = (await session.exec(select(Schedule))).one()
        queued = (await session.exec(select(OutboxMessage))).all()
    assert schedule.next_run_at == datetime(2026, 3, 6, 16, 0, tzinfo=UTC) and queued == []


async def test_the_checkin_question_is_printed_once(runtime: Runtime) -> None:
    """It was printed twice: in the check-in, and again above the form after “Reflect now”."""
    screen = Screen()
    chat = ConsoleChat(runtime, user="sam", out=screen)
    await chat.send("checkin now")
    await chat.send("1")  # Reflect now
    assert runtime.services.prompts is not None
    questions = [p.text for p in runtime.services.prompts.reflection if p.text in screen.getvalue()]
    assert len(questions) == 1 and screen.getvalue().count(questions[0]) == 1
    assert "Write your reflection as your next message" in screen.getvalue()


async def test_a_message_arriving_while_typing_goes_below_the_prompt_which_comes_back(runtime: Runtime) -> None:
    screen = Screen()
    chat = ConsoleChat(runtime, user="sam", out=screen)
    chat.prompt = PROMPT
    chat.ask_for_line()
    chat.show_arrived([Reply("Time for a nudge.")])
    assert screen.getvalue() == f"{PROMPT}\nTime for a nudge.\n\n{PROMPT}"


async def test_in_a_terminal_a_due_message_is_shown_on_its_own_line_and_the_prompt_again(
    runtime: Runtime, clock: ManualClock
) -> None:
    keyboard, screen = Keyboard(terminal=True), Screen()
    chat = await start_chat(runtime, keyboard, screen)
    await say(keyboard, screen, "checkin every friday at 16:00", "next on Fri 6 Mar (Europe/London)")
    await screen.shows(PROMPT, times=2)
    clock.advance(hours=1)
    await screen.shows(CHECKIN)
    await screen.shows(PROMPT, times=3)
    keyboard.leave()
    await chat
    shown = screen.getvalue()
    assert f"{PROMPT}\n{CHECKIN}" in shown and shown.endswith(f"(answer with a number)\n\n{PROMPT}")
