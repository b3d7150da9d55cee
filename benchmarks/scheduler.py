"""Scheduling at scale: 100,000 stored schedules, 10,000 due at once, on SQLite and PostgreSQL.

Prints, for each database: the due-query plan (it must use ix_schedule_due),
the time of the due query alone with 10 due among 10,000 and among 100,000
stored (cost follows the number due, not the number stored), and the time of
one full scheduler pass that claims the 10,000 due schedules and enqueues one
check-in each (outbox row + check-in row, schedule advanced, same transaction).

    .venv/bin/python benchmarks/scheduler.py            # SQLite, and PostgreSQL if reachable
    LEADWELL_BENCH_POSTGRES=postgresql+asyncpg://postgres@127.0.0.1/postgres .venv/bin/python benchmarks/scheduler.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from handlers import build_router
from handlers.clock import ManualClock
from handlers.context import Services
from handlers.schedule_language import parse_schedule
from handlers.scheduling import Scheduler
from knowledge import load_prompts
from storage import Database, upgrade_database
from storage.models import Person, Schedule

NOW = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)
CHUNK = 5_000
DUE_QUERY = "SELECT id FROM schedule WHERE state = 'active' AND next_run_at <= :now ORDER BY next_run_at LIMIT 200"


def progress(label: str, done: int, total: int) -> None:
    print(f"\r  {label}: {done:,}/{total:,}", end="" if done < total else "\n", flush=True)


async def fill(db: Database, stored: int, due: int) -> None:
    """`stored` people with one weekly check-in each; `due` of them fall due at NOW."""
    spec = parse_schedule("every friday at 16:00", now=NOW - timedelta(days=7), zone=ZoneInfo("Europe/London"))
    start = await _count(db, "person")
    async with db.engine.begin() as conn:
        for offset in range(0, stored, CHUNK):
            n = min(CHUNK, stored - offset)
            ids = range(start + offset + 1, start + offset + n + 1)
            await conn.execute(
                insert(Person.__table__),  # type: ignore[attr-defined]
                [{"id": i, "identity": f"console:bench{i}", "platform": "console", "role": "staff",
                  "timezone": "Europe/London", "created_at": NOW} for i in ids],
            )  # fmt: skip
            await conn.execute(
                insert(Schedule.__table__),  # type: ignore[attr-defined]
                [{"person_id": i, "kind": "checkin", "rule": spec.rule, "description": spec.description,
                  "timezone": "Europe/London", "state": "active", "data": {}, "created_at": NOW,
                  "next_run_at": NOW if (i - start) <= due else NOW + timedelta(days=1 + i % 6)} for i in ids],
            )  # fmt: skip
            progress("stored", offset + n, stored)
    if db.dialect == "postgresql":
        async with db.engine.begin() as conn:
            await conn.execute(text("ANALYZE person"))
            await conn.execute(text("ANALYZE schedule"))


async def _count(db: Database, table: str) -> int:
    async with db.engine.connect() as conn:
        return int((await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())  # noqa: S608


async def plan(db: Database) -> str:
    async with db.engine.connect() as conn:
        if db.dialect == "sqlite":
            rows = await conn.execute(text("EXPLAIN QUERY PLAN " + DUE_QUERY), {"now": NOW.replace(tzinfo=None)})
            return "\n".join(f"    {row[-1]}" for row in rows)
        rows = await conn.execute(text("EXPLAIN " + DUE_QUERY), {"now": NOW})
        return "\n".join(f"    {row[0]}" for row in rows)


async def due_query_ms(db: Database, rounds: int = 50) -> float:
    now = NOW.replace(tzinfo=None) if db.dialect == "sqlite" else NOW
    timings = []
    async with db.engine.connect() as conn:
        for _ in range(rounds):
            began = time.perf_counter()
            (await conn.execute(text(DUE_QUERY), {"now": now})).all()
            timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


async def run(url: str, label: str) -> None:
    print(f"\n== {label} ==")
    upgrade_database(url)
    db = Database(url)
    try:
        await fill(db, 10_000, 10)
        small = await due_query_ms(db)
        await fill(db, 90_000, 0)
        large = await due_query_ms(db)
        print(f"  due query, 10 due of 10,000 stored:  p50 {small:.3f} ms")
        print(f"  due query, 10 due of 100,000 stored: p50 {large:.3f} ms  (ratio {large / small:.2f}x)")
        print("  due-query plan:")
        print(await plan(db))
        async with db.engine.begin() as conn:  # now make 10,000 of the 100,000 due
            await conn.execute(
                text("UPDATE schedule SET next_run_at = :now WHERE id <= 10000"),
                {"now": NOW.replace(tzinfo=None) if db.dialect == "sqlite" else NOW},
            )
        clock = ManualClock(NOW + timedelta(seconds=1))
        services = Services(clock=clock, prompts=load_prompts())
        scheduler = Scheduler(db, build_router(), services, batch=500)
        began = time.perf_counter()
        result = await scheduler.run_once()
        elapsed = time.perf_counter() - began
        print(f"  claim+enqueue pass: {result.due:,} due, {result.queued:,} queued in {elapsed:.2f} s "
              f"({elapsed / max(result.queued, 1) * 1000:.3f} ms per occurrence)")  # fmt: skip
        again = await scheduler.run_once()
        print(f"  second pass straight after: {again.queued} queued (each occurrence exactly once)")
    finally:
        await db.dispose()


async def postgres_url() -> tuple[str, str] | None:
    """A fresh database on the server named by LEADWELL_BENCH_POSTGRES (default: local trust auth)."""
    base = make_url(os.environ.get("LEADWELL_BENCH_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"))
    name = f"leadwell_bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = await asyncpg.connect(
            host=base.host, port=base.port or 5432, user=base.username, database=base.database
        )
    except (OSError, asyncpg.PostgresError) as error:
        print(f"\n(PostgreSQL skipped: {error})")
        return None
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return base.set(database=name).render_as_string(hide_password=False), name


async def drop(name: str) -> None:
    base = make_url(os.environ.get("LEADWELL_BENCH_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"))
    admin = await asyncpg.connect(host=base.host, port=base.port or 5432, user=base.username, database=base.database)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(f"sqlite+aiosqlite:///{folder}/bench.db", "SQLite (embedded default)"))
    found = asyncio.run(postgres_url())
    if found is not None:
        url, name = found
        try:
            asyncio.run(run(url, "PostgreSQL"))
        finally:
            asyncio.run(drop(name))


if __name__ == "__main__":
    main()
