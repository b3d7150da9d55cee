"""`leadwell chat`: the terminal adapter, scripted through a pipe and driven in-process."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.console.adapter import render
from bot.console.chat import ConsoleChat
from bot.runtime import Runtime, build_runtime
from bot.settings import load_settings
from handlers.clock import ManualClock
from handlers.messages import Button, Form, FormField, Link, Reply
from storage.repositories import Repositories
from tests.support.processes import LEADWELL, leadwell_env
from tests.support.shared import migrated_sqlite, shared_knowledge


def chat_as_alice(tmp_path: Path, *lines: str) -> subprocess.CompletedProcess[str]:
    """`leadwell chat` as alice on a fresh SQLite file, one message a line piped in."""
    return subprocess.run(
        [LEADWELL, "chat", "--user", "alice"],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        timeout=60,
        env=leadwell_env(LEADWELL_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/lw.db"),
        check=True,
    )


def test_piped_lines_get_one_reply_each(tmp_path: Path) -> None:
    result = chat_as_alice(tmp_path, "help", "hello")
    assert "Here is what I can do" in result.stdout
    assert "See everything I can do — e.g. “help”" in result.stdout
    assert "Hello alice! Good to hear from you." in result.stdout
    assert "Traceback" not in result.stderr


def test_quit_leaves_the_chat_and_is_not_sent_to_the_bot(tmp_path: Path) -> None:
    result = chat_as_alice(tmp_path, "hello", "quit", "help")
    assert "Hello alice!" in result.stdout
    assert "Here is what I can do" not in result.stdout  # nothing after "quit" was read
    assert "quiet" not in result.stdout.casefold()


def test_a_bad_time_zone_option_is_refused_with_a_hint(tmp_path: Path) -> None:
    result = subprocess.run(
        [LEADWELL, "chat", "--tz", "Mars/Olympus"],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        env=leadwell_env(LEADWELL_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/lw.db"),
    )
    assert result.returncode == 2
    assert "not an IANA time zone name (for example Europe/London)" in result.stderr


def test_a_bad_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [LEADWELL, "chat"],
        input="help\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=leadwell_env(LEADWELL_PORT="not-a-port"),
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "leadwell: setting LEADWELL_PORT is invalid: "
        "Input should be a valid integer, unable to parse string as an integer"
    ]


def test_buttons_show_as_numbered_choices_and_sources_as_links() -> None:
    text = render(
        Reply(
            "Time to reflect.",
            buttons=(Button("Reflect now", "checkin.reflect"), Button("Skip", "checkin.skip")),
            links=(Link("NHS England: Management and Leadership Programme", "https://www.england.nhs.uk/"),),
        )
    )
    assert "  1) Reflect now\n  2) Skip" in text
    assert "  - NHS England: Management and Leadership Programme <https://www.england.nhs.uk/>" in text


@pytest.fixture
async def runtime(tmp_path: Path) -> Runtime:
    url = migrated_sqlite(tmp_path / "chat.db")
    clock = ManualClock(datetime(2026, 3, 6, 15, 0, tzinfo=UTC))
    runtime = build_runtime(load_settings(database_url=url), clock=clock, knowledge=shared_knowledge())
    yield runtime
    await runtime.close()


async def test_a_number_answers_the_last_buttons(runtime: Runtime) -> None:
    out = io.StringIO()
    chat = ConsoleChat(runtime, user="alice", out=out)
    chat.show_replies([Reply("Pick", buttons=(Button("Help me", "no.such.action"),))])
    incoming = chat.to_incoming("1")
    assert incoming is not None and incoming.action is not None and incoming.action.name == "no.such.action"
    assert chat.to_incoming("1") is not None and chat.to_incoming("1").text == "1"  # choices are used up


async def test_a_form_is_filled_in_one_field_a_line_and_validated(runtime: Runtime) -> None:
    out = io.StringIO()
    chat = ConsoleChat(runtime, user="alice", out=out)
    form = Form(
        "Reflection",
        (
            FormField("text", "Your reflection", kind="multiline", max_length=10),
            FormField("mood", "Mood", kind="select", options=("ok", "low")),
        ),
        submit_action="reflection.save",
        context={"checkin": 7},
    )
    chat.show_replies([Reply("Please write", form=form)])
    assert chat.to_incoming("this is far too long") is None
    assert chat.to_incoming("meh") is None  # a choice that is none of the options is asked again at once
    assert "Please choose one of: ok, low (or its number)." in out.getvalue()
    assert chat.to_incoming("LOW") is None  # read whatever its case; then the text is too long
    assert "Please keep your reflection to 10 characters" in out.getvalue()
    submitted = chat.to_incoming("short")
    assert submitted is not None and submitted.action is not None
    assert submitted.action.value == {"checkin": 7, "text": "short", "mood": "low"}


async def test_outbox_messages_for_this_person_are_printed_when_due(runtime: Runtime) -> None:
    out = io.StringIO()
    chat = ConsoleChat(runtime, user="alice", out=out)
    person = await runtime.conversation.ensure_person(chat.identity, "console")
    chat.person_id = person.id
    clock = runtime.services.clock
    assert isinstance(clock, ManualClock)
    async with runtime.db.transaction() as session:
        await Repositories(session).outbox.enqueue(
            dedupe_key="checkin:1:test",
            purpose="checkin",
            person_id=person.id or 0,
            platform="console",
            payload=Reply("Time for your Friday reflection.", buttons=(Button("Skip", "checkin.skip"),)).to_dict(),
            due_at=clock.now() + timedelta(hours=1),
            now=clock.now(),
        )
    assert await chat.deliver_due() == 0
    clock.advance(hours=1)
    assert await chat.deliver_due() == 1
    assert "Time for your Friday reflection.\n\n  1) Skip" in out.getvalue()
    assert await chat.deliver_due() == 0


async def test_a_command_typed_into_a_form_after_its_validation_message_is_run_not_saved(runtime: Runtime) -> None:
    out = io.StringIO()
    chat = ConsoleChat(runtime, user="alice", out=out)
    await chat.send("checkin now")
    await chat.send("1")  # "Reflect now": the reflection form, one field a line
    await chat.send("x" * 3001)
    assert "Please keep your reflection to 3000 characters" in out.getvalue()
    await chat.send("my reflections")  # exactly a command: run, not saved as the reflection
    assert chat.filling is None
    assert "You have no reflections yet" in out.getvalue()
    await chat.send("Steadier after the huddle this morning")  # the bot still waits for the reflection
    assert "Your reflection (6 words) is saved" in out.getvalue()


async def test_a_new_announce_typed_into_the_composers_form_starts_over(runtime: Runtime) -> None:
    # a third walk, 2026-12-07: the new text was taken as who should get the old draft, and lost
    out = io.StringIO()
    chat = ConsoleChat(runtime, user="alice", out=out)
    form = Form(
        "New announcement",
        (FormField("text", "Announcement", kind="multiline"), FormField("who", "Who", kind="select", options=("A",))),
        submit_action="announce.compose",
    )
    chat.show_replies([Reply("Write it", form=form)])
    assert chat.to_incoming("flu clinic on ward 3 thursday") is None
    restarted = chat.to_incoming("announce Car park B closed on Friday")
    assert restarted is not None and restarted.text == "announce Car park B closed on Friday"
    assert chat.filling is None


def test_an_unclear_hour_is_answered_by_its_number_in_the_terminal(tmp_path: Path) -> None:
    result = chat_as_alice(tmp_path, "checkin every friday at 4", "2", "checkin fridays at 4pm")
    assert "Do you mean 04:00 or 16:00?" in result.stdout
    assert "Done: a check-in every Friday at 16:00, next on Fri" in result.stdout
    assert "You already have that check-in: 1. every Friday at 16:00" in result.stdout
    assert "Traceback" not in result.stderr
