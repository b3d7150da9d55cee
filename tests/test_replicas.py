"""Several worker processes on one PostgreSQL database: each occurrence once, nothing lost after a SIGKILL.

These run the real `leadwell worker` command as separate OS processes.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, text

from handlers.schedule_language import parse_schedule
from storage import Database
from storage.models import Person, Schedule
from tests.conftest import empty_postgres
from tests.support.fake_slack import FakeSlack
from tests.support.processes import LEADWELL, leadwell_env

pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg(postgres_migrated: str) -> AsyncIterator[tuple[Database, str]]:
    database = Database(postgres_migrated)
    await empty_postgres(database)
    yield database, postgres_migrated
    await database.dispose()


async def add_due_schedules(db: Database, count: int, platform: str) -> None:
    now = datetime.now(UTC)
    spec = parse_schedule("every day at 09:00", now=now - timedelta(days=2), zone=ZoneInfo("Europe/London"))
    identity = "slack:T111:U{}" if platform == "slack" else "console:r{}"
    async with db.engine.begin() as conn:
        await conn.execute(
            insert(Person.__table__),  # type: ignore[attr-defined]
            [{"id": n, "identity": identity.format(n), "platform": platform, "role": "staff",
              "timezone": "Europe/London", "created_at": now} for n in range(1, count + 1)],
        )  # fmt: skip
        await conn.execute(
            insert(Schedule.__table__),  # type: ignore[attr-defined]
            [{"person_id": n, "kind": "checkin", "rule": spec.rule, "description": spec.description,
              "timezone": "Europe/London", "state": "active", "data": {}, "created_at": now,
              "next_run_at": now - timedelta(minutes=1)} for n in range(1, count + 1)],
        )  # fmt: skip


async def scalar(db: Database, sql: str) -> int:
    async with db.engine.connect() as conn:
        return int((await conn.execute(text(sql))).scalar_one())


async def wait_until(predicate, seconds: float = 90) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not await predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.2)


def start_worker(url: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [LEADWELL, "worker"], env=leadwell_env(LEADWELL_DATABASE_URL=url, **env), stderr=subprocess.PIPE, text=True
    )


def stop(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    return err


async def test_two_worker_processes_queue_each_occurrence_exactly_once(pg: tuple[Database, str]) -> None:
    db, url = pg
    await add_due_schedules(db, 1500, "console")
    workers = [start_worker(url), start_worker(url)]
    try:
        await wait_until(lambda: _no_due(db))
        await wait_until(lambda: _count_is(db, "SELECT count(*) FROM outbox_message", 1500))
    finally:
        errors = [stop(w) for w in workers]
    assert all("Traceback" not in e for e in errors), errors
    assert await scalar(db, "SELECT count(*) FROM checkin") == 1500
    assert await scalar(db, "SELECT count(DISTINCT schedule_id) FROM checkin") == 1500
    assert await scalar(db, "SELECT count(DISTINCT dedupe_key) FROM outbox_message") == 1500


async def _no_due(db: Database) -> bool:
    return await scalar(db, "SELECT count(*) FROM schedule WHERE next_run_at <= now()") == 0


async def _count_is(db: Database, sql: str, expected: int) -> bool:
    return await scalar(db, sql) >= expected


async def test_a_sender_killed_mid_batch_loses_nothing_and_repeats_at_most_what_it_held(
    pg: tuple[Database, str], report: Callable[[str], None]
) -> None:
    db, url = pg
    total = 400
    slack = await FakeSlack().start()
    env = dict(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="test-signing-secret",
        LEADWELL_SLACK_API_URL=slack.url,
        LEADWELL_SLACK_SEND_RATE="100",
        LEADWELL_OUTBOX_LEASE="3s",
    )
    try:
        await add_due_schedules(db, total, "slack")
        first = start_worker(url, **env)
        await slack.wait_for("chat.postMessage", 60, within=60)
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)  # reaps it and closes its stderr pipe
        held = await scalar(db, "SELECT count(*) FROM outbox_message WHERE state = 'leased'")
        second = start_worker(url, **env)
        try:
            await wait_until(lambda: _count_is(db, "SELECT count(*) FROM outbox_message WHERE state = 'sent'", total))
        finally:
            stop(second)
        posts = Counter(call["channel"] for call in slack.posted())
    finally:
        await slack.close()
    duplicates = sum(n - 1 for n in posts.values())
    report(f"sender SIGKILLed mid-batch: {total} messages, {held} leased at the kill, {duplicates} sent twice")
    assert set(posts) == {f"U{n}" for n in range(1, total + 1)}  # nothing lost
    assert duplicates <= held
    assert await scalar(db, "SELECT count(*) FROM outbox_message WHERE state <> 'sent'") == 0
