"""Slack members who never wrote are matched to the roster by email from `users.list`: paged, 429s waited out,
read at most every half hour (slack_sdk's real client against the fake Slack Web API)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.settings import Settings, load_settings
from bot.slack_members import TooSoon, sync_slack
from handlers.clock import ManualClock
from storage import Database, upgrade_database
from storage.models import AuditEntry, ConversationAddress, Person
from storage.repositories import Repositories
from tests.support.fake_slack import FakeSlack, member
from tests.support.processes import LEADWELL, leadwell_env


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    yield fake
    await fake.close()


def settings_for(db: Database, slack: FakeSlack) -> Settings:
    return load_settings(
        database_url=db.url, slack_bot_token="xoxb-test", slack_signing_secret="s" * 32, slack_api_url=slack.url
    )


async def roster(db: Database, clock: ManualClock, emails: list[str]) -> None:
    async with db.transaction() as session:
        session.add_all(Person(platform="roster", email=email, organisation="Leeds THT") for email in emails)
        await Repositories(session).people.register(
            identity="slack:T111:U0KNOWN", platform="slack", now=clock.now(), email="known@nhs.net"
        )


async def test_members_are_read_page_by_page_and_matched_to_unclaimed_roster_rows(
    db: Database, clock: ManualClock, slack: FakeSlack
) -> None:
    slack.members = [member(f"U{n:04d}", f"person{n}@nhs.net") for n in range(430)]
    slack.members += [
        member("U0KNOWN", "known@nhs.net"),
        member("U0BOT", "bot@nhs.net", is_bot=True),
        member("U0GONE", "person1@nhs.net", deleted=True),
        member("USLACKBOT", None),
        member("U0NOMAIL", None),
    ]
    await roster(db, clock, ["person0@nhs.net", "person250@nhs.net", "person429@nhs.net", "nobody@nhs.net"])
    slack.answer("users.list", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})

    counts = await sync_slack(settings_for(db, slack), db, clock=clock, actor="cli:ops")
    assert (counts.matched, counts.known, counts.not_in_roster, counts.no_email) == (3, 1, 427, 1)
    calls = [call for call in slack.calls if call.method == "users.list"]
    assert [(c.body.get("limit"), c.body.get("cursor")) for c in calls] == [
        ("200", None), ("200", None), ("200", "200"), ("200", "400")
    ]  # fmt: skip
    assert calls[1].at - calls[0].at >= 1.0  # the 429's Retry-After was waited out, then the page asked again

    async with db.transaction() as session:
        people = {p.email: p for p in (await session.exec(select(Person))).all()}
        addresses = {a.person_id: a.address for a in (await session.exec(select(ConversationAddress))).all()}
        audit = [e for e in (await session.exec(select(AuditEntry))).all() if e.action.startswith("roster.slack")]
    claimed = people["person250@nhs.net"]
    assert (claimed.identity, claimed.platform, claimed.organisation) == ("slack:T111:U0250", "slack", "Leeds THT")
    assert addresses[claimed.id] == {"team": "T111", "user": "U0250"}
    assert people["nobody@nhs.net"].identity is None
    assert sorted(e.target or "" for e in audit if e.action == "roster.slack_matched") == [
        "slack:T111:U0000", "slack:T111:U0250", "slack:T111:U0429"
    ]  # fmt: skip

    clock.advance(timedelta(minutes=10))
    with pytest.raises(TooSoon):
        await sync_slack(settings_for(db, slack), db, clock=clock, actor="cli:ops")
    assert len([call for call in slack.calls if call.method == "users.list"]) == 4  # not asked again
    clock.advance(timedelta(minutes=25))
    again = await sync_slack(settings_for(db, slack), db, clock=clock, actor="cli:ops")
    assert (again.matched, again.known) == (0, 4)


async def test_sync_slack_command_prints_counts_and_needs_a_bot_token(tmp_path: Path, slack: FakeSlack) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/lw.db"
    upgrade_database(url)
    slack.members = [member("U0001", "jo@nhs.net")]
    database = Database(url)
    try:
        async with database.transaction() as session:
            session.add(Person(platform="roster", email="jo@nhs.net"))
    finally:
        await database.dispose()

    async def sync(**env: str) -> tuple[int, str, str]:
        """The command in a subprocess, while this loop goes on serving the fake Slack."""
        process = await asyncio.create_subprocess_exec(
            LEADWELL, "users", "sync-slack", env=leadwell_env(**{"LEADWELL_DATABASE_URL": url, **env}),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(process.communicate(), 60)
        return process.returncode or 0, out.decode(), err.decode()

    code, _, err = await sync()
    assert code == 2 and "set SLACK_BOT_TOKEN" in err
    slack_env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s" * 32, "LEADWELL_SLACK_API_URL": slack.url}
    code, out, err = await sync(**slack_env)
    assert code == 0, err
    assert "1 matched to the roster, 0 already known, 0 not in the roster, 0 without an email" in out
    code, _, err = await sync(**slack_env)
    assert code == 1 and "it is read at most every 30 minutes" in err

    slack.answer("users.list", 200, {"ok": False, "error": "missing_scope"})
    elsewhere = await sync(**slack_env, LEADWELL_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/other.db")
    assert elsewhere[0] == 1 and "add the users:read and users:read.email scopes" in elsewhere[2]
    await slack.close()
    gone = await sync(**slack_env, LEADWELL_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/third.db")
    assert gone[0] == 1 and "cannot reach Slack at" in gone[2]
