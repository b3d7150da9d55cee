"""Shared fixtures: a clean environment, and a migrated database on SQLite and on PostgreSQL.

The `db` fixture runs each test twice: on a fresh SQLite file and on the
PostgreSQL named by LEADWELL_TEST_DATABASE_URL (emptied before each test).
Without that variable the PostgreSQL half is skipped with a reason, unless
LEADWELL_REQUIRE_POSTGRES=1 (CI), where it fails instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

import storage.models  # noqa: F401
from handlers import build_router
from handlers.clock import ManualClock
from handlers.context import HandlerConfig, Services
from handlers.conversation import Conversation
from handlers.sealing import Sealer
from knowledge import KnowledgeBase, load_practices, load_prompts
from knowledge.signposts import load_signposts
from storage import Database, upgrade_database
from tests.support import shared

POSTGRES_URL = os.environ.get("LEADWELL_TEST_DATABASE_URL")
REQUIRE_POSTGRES = os.environ.get("LEADWELL_REQUIRE_POSTGRES") == "1"
PLATFORM_ENV = ("SLACK_", "MICROSOFTAPP", "LEADWELL_")
KEEP_ENV = ("LEADWELL_TEST_DATABASE_URL", "LEADWELL_REQUIRE_POSTGRES")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test starts with no LeadWell, Slack or Teams settings, in an empty folder (no .env)."""
    for name in list(os.environ):
        if name.upper().startswith(PLATFORM_ENV) and name not in KEEP_ENV:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def sqlite_template() -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    return shared.sqlite_template()


def postgres_url_or_skip() -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    if REQUIRE_POSTGRES:
        pytest.fail("LEADWELL_REQUIRE_POSTGRES=1 but LEADWELL_TEST_DATABASE_URL is not set")
    pytest.skip("PostgreSQL half skipped: set LEADWELL_TEST_DATABASE_URL=postgresql+asyncpg://… to run it")


@pytest.fixture(scope="session")
def postgres_migrated() -> Iterator[str]:
    url = postgres_url_or_skip()
    upgrade_database(url)
    yield url


async def empty_postgres(db: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    async with db.engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty database: SQLite file or the CI PostgreSQL."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "leadwell.db"
        shutil.copy(template, path)
        database = Database(f"sqlite+aiosqlite:///{path}")
    else:
        database = Database(request.getfixturevalue("postgres_migrated"))
        await empty_postgres(database)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> ManualClock:
    """Monday 2 March 2026, 09:00 UTC (GMT, before the clocks go forward)."""
    return ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    """Loaded once: building the search index is start-up work."""
    return shared.shared_knowledge()


@pytest.fixture
def services(clock: ManualClock, knowledge: KnowledgeBase) -> Services:
    return Services(
        clock=clock,
        config=HandlerConfig(admins=frozenset({"console:root-admin", "boss@nhs.net"})),
        knowledge=knowledge,
        prompts=load_prompts(),
        practices=load_practices(),
        signposts=load_signposts(),
        sealer=Sealer("test-secret-of-at-least-sixteen-chars"),
    )


@pytest.fixture
def conversation(db: Database, services: Services) -> Conversation:
    return Conversation(db, build_router(), services)


FIGURES: list[str] = []


@pytest.fixture
def report() -> Callable[[str], None]:
    """Record a measured figure; it is printed at the end of the run."""
    return FIGURES.append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("figures measured by the tests")
        for line in FIGURES:
            terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI the PostgreSQL half must have run: no PostgreSQL test passing is a failure."""
    if not REQUIRE_POSTGRES or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    passed = reporter.stats.get("passed", []) if reporter else []
    if not any("[postgresql" in report.nodeid for report in passed):
        if reporter:
            reporter.write_line("LEADWELL_REQUIRE_POSTGRES=1 but no PostgreSQL test ran", red=True)
        session.exitstatus = 1
