"""Schema migrations: run Alembic (shipped inside this package) from code or the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config
from filelock import FileLock

from storage.db import Database, sqlite_path

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration pointing at our migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Alembic's ini interpolation treats % specially; URLs may contain it.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _outside_event_loop(work: Callable[[], None]) -> None:
    """Alembic's environment starts its own event loop; from inside one, run it on a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        work()
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(work).result()


def upgrade_database(url: str, revision: str = "head") -> None:
    """Bring the database to `revision`. Blocking: call it before the event loop starts.

    For a SQLite file a lock file beside it makes concurrent starts (serve and
    chat on one file) take turns instead of racing to create tables.
    """
    path = sqlite_path(url)

    def work() -> None:
        if path is None:
            command.upgrade(alembic_config(url), revision)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(path) + ".migrate.lock", timeout=120):
            command.upgrade(alembic_config(url), revision)

    _outside_event_loop(work)


def head_revision() -> str | None:
    """The newest revision shipped with this code."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def database_revision(db: Database) -> str | None:
    """The revision the database is at (None if it was never migrated)."""
    from sqlalchemy import inspect, text

    async with db.engine.connect() as conn:
        has_table = await conn.run_sync(lambda sync: inspect(sync).has_table("alembic_version"))
        if not has_table:
            return None
        result = await conn.execute(text("SELECT version_num FROM alembic_version"))
        return result.scalar_one_or_none()
