"""Schema migrations: run Alembic (shipped inside this package) from code or the CLI."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
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


class DatabaseRefused(Exception):
    """The database cannot be prepared; the message says why and what to do (no secrets in it)."""


def upgrade_database(url: str, revision: str = "head") -> None:
    """Bring the database to `revision`. Blocking: call it before the event loop starts.

    For a SQLite file a lock file beside it makes concurrent starts (serve and
    chat on one file) take turns instead of racing to create tables. A SQLite
    file that holds another application's tables is never changed.
    """
    path = sqlite_path(url)

    def work() -> None:
        if path is None:
            command.upgrade(alembic_config(url), revision)
            return
        _check_sqlite_file(path)
        lock = Path(str(path) + ".migrate.lock")
        try:
            lock.touch(exist_ok=True)  # fails at once (not after the lock's timeout) when it cannot be made
        except OSError as error:
            raise DatabaseRefused(
                f"cannot create the lock file {lock} ({error.strerror}); check that its folder exists and is writable"
            ) from None
        with FileLock(str(lock), timeout=120):
            command.upgrade(alembic_config(url), revision)

    _outside_event_loop(work)


def _check_sqlite_file(path: Path) -> None:
    """Make the folder; refuse a file that is not ours (another application's tables) or not a database."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseRefused(f"cannot create the folder {path.parent} ({error.strerror})") from None
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise DatabaseRefused(f"{path} is not a SQLite database LeadWell can read ({error})") from None
    if tables and "alembic_version" not in tables:
        shown = ", ".join(sorted(tables)[:5])
        raise DatabaseRefused(
            f"{path} holds another application's tables ({shown}); LeadWell leaves it untouched. "
            "Point LEADWELL_DATABASE_URL at a new file."
        )


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
