"""The async database: engine, sessions and transactions for SQLite and PostgreSQL.

SQLite (the embedded default) runs in WAL mode with a busy timeout, and every
transaction starts with `BEGIN IMMEDIATE`: writers queue for the lock instead
of failing half-way when a read transaction tries to become a write.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

SQLITE_BUSY_TIMEOUT_MS = 30_000


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if not parsed.get_backend_name() == "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's own transaction handling
        # would start deferred transactions behind our back).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class ConnectionQueue:
    """Whose turn it is on SQLite's one connection: urgent transactions first, then the rest in order.

    (The connection pool alone would serve waiters first come, first served: an acknowledgement
    would wait behind every queued turn and housekeeping transaction.)
    """

    def __init__(self) -> None:
        self._held = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._normal: deque[asyncio.Future[None]] = deque()

    @asynccontextmanager
    async def held(self, *, urgent: bool) -> AsyncIterator[None]:
        await self._acquire(urgent)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, urgent: bool) -> None:
        if not self._held:
            self._held = True
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._urgent if urgent else self._normal
        queue.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release()  # the turn was handed to us as we were cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):
                    queue.remove(waiter)
            raise

    def _release(self) -> None:
        while self._urgent or self._normal:
            waiter = (self._urgent or self._normal).popleft()
            if not waiter.done():
                waiter.set_result(None)  # handed over: still held
                return
        self._held = False


class Database:
    """One database (URL) with its engine; hands out transactions.

    Args:
        url: `sqlite+aiosqlite:///path.db` or `postgresql+asyncpg://user@host/db`.
        pool_size: connections kept open on PostgreSQL.
    """

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        backend = make_url(url).get_backend_name()
        self.dialect = backend
        if backend == "sqlite":
            path = sqlite_path(url)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            # One connection: SQLite has one writer anyway, and connections of one process
            # contending for the lock would wait in SQLite's busy handler, which sleeps in
            # growing steps (up to 100 ms each). Waiting for the pool's connection is an
            # asyncio wait instead. Other processes on the same file still use busy_timeout.
            self.engine = create_async_engine(
                url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, pool_size=1, max_overflow=0
            )
            _configure_sqlite(self.engine)
            self._queue: ConnectionQueue | None = ConnectionQueue()
        elif backend == "postgresql":
            self.engine = create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
            self._queue = None  # a real pool: everyone goes at once
        else:
            raise ValueError(f"unsupported database {backend!r}: use sqlite+aiosqlite or postgresql+asyncpg")

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @asynccontextmanager
    async def transaction(self, *, urgent: bool = False) -> AsyncIterator[AsyncSession]:
        """A session whose work commits together on success and rolls back on error.

        On SQLite, transactions take turns on the one connection; `urgent` ones (writes a platform's
        acknowledgement waits for) go before every other waiting one.
        """
        async with self._queue.held(urgent=urgent) if self._queue is not None else contextlib.nullcontext():
            async with AsyncSession(self.engine, expire_on_commit=False) as session:
                async with session.begin():
                    yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


def describe_error(error: BaseException) -> str:
    """A database error as one line an operator can act on (never the URL or a password)."""
    text = str(getattr(error, "orig", None) or error).lower()
    if "readonly" in text or "read-only" in text:
        return "the database is read-only: give the user running LeadWell write access to the file and its folder"
    if "unable to open database file" in text:
        return "cannot open the database file: check LEADWELL_DATABASE_URL's path and that its folder exists"
    if "database is locked" in text:
        return "the database is locked by another process: stop it, or wait and try again"
    if "password authentication failed" in text or "role" in text and "does not exist" in text:
        return "PostgreSQL refused the login: check the user and password in LEADWELL_DATABASE_URL"
    if "does not exist" in text and "database" in text:
        return "the PostgreSQL database does not exist: create it, then run `leadwell db upgrade`"
    if isinstance(error, OSError) or "connect" in text or "refused" in text:
        return "nothing answers at the database address: is the database server running? (LEADWELL_DATABASE_URL)"
    return f"the database reported an error ({type(error).__name__}); check LEADWELL_DATABASE_URL"
