"""The schema comes only from migrations, and the migrations build exactly what the models say."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from storage import Database
from storage.migrate import database_revision, head_revision
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
