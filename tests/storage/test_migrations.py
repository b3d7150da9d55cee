"""The schema comes only from migrations, and the migrations build exactly what the models say."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel, select

from handlers.clock import ManualClock
from storage import Database, upgrade_database
from storage.migrate import alembic_config, database_revision, head_revision
from storage.models import OutboxMessage
from tests.support import DESIGN_TABLES


async def test_migrated_database_matches_the_models(db: Database) -> None:
    def diff(sync_conn):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)

    async with db.engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []


async def test_every_table_the_design_names_exists(db: Database) -> None:
    async with db.engine.connect() as conn:
        tables = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    assert DESIGN_TABLES <= tables


async def test_claim_queries_have_their_indexes(db: Database) -> None:
    async with db.engine.connect() as conn:
        indexes = await conn.run_sync(
            lambda sync: {
                table: {tuple(ix["column_names"]) for ix in inspect(sync).get_indexes(table)}
                for table in ("schedule", "outbox_message", "inbox_event")
            }
        )
    assert ("state", "next_run_at") in indexes["schedule"]
    assert ("state", "due_at") in indexes["outbox_message"]
    assert ("state", "lease_until") in indexes["outbox_message"]
    assert ("state", "lease_until") in indexes["inbox_event"]


async def test_database_reports_the_shipped_head_revision(db: Database) -> None:
    assert await database_revision(db) == head_revision()


async def test_sent_message_ids_move_into_the_platform_reference_and_back(db: Database, clock: ManualClock) -> None:
    await asyncio.to_thread(command.downgrade, alembic_config(db.url), "0003")
    try:
        async with db.engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO person (identity, platform, role, timezone, created_at) "
                     "VALUES ('slack:T1:U1', 'slack', 'staff', 'Europe/London', :now)"),
                {"now": clock.now().replace(tzinfo=None)},
            )  # fmt: skip
            for key, sent_id in (("sent", "1700000000.000100"), ("queued", None)):
                await conn.execute(
                    text("INSERT INTO outbox_message (dedupe_key, purpose, person_id, platform, payload, due_at, "
                         "state, attempts, platform_message_id, created_at) SELECT :key, 'nudge', id, 'slack', '{}', "
                         ":now, 'sent', 1, :sent_id, :now FROM person"),
                    {"key": key, "sent_id": sent_id, "now": clock.now().replace(tzinfo=None)},
                )  # fmt: skip
    finally:
        await asyncio.to_thread(upgrade_database, db.url)
    async with db.transaction() as session:
        sent, queued = (await session.exec(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert sent.platform_ref == {"id": "1700000000.000100"} and queued.platform_ref is None

    await asyncio.to_thread(command.downgrade, alembic_config(db.url), "0003")
    try:
        async with db.engine.connect() as conn:
            kept = (await conn.execute(text("SELECT platform_message_id FROM outbox_message ORDER BY id"))).all()
    finally:
        await asyncio.to_thread(upgrade_database, db.url)
    assert [row[0] for row in kept] == ["1700000000.000100", None]
