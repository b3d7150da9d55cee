"""What the tests of one run share: a database migrated once and copied per test, the knowledge base loaded once.

Migrating a SQLite file (Alembic) and building the search index each take most of a second; a test that only needs a
fresh, upgraded database or a loaded knowledge base takes a copy of the first and the one instance of the second.
Tests of migrating itself call `storage.upgrade_database` directly.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from knowledge import KnowledgeBase
from storage import upgrade_database


@cache
def sqlite_template() -> Path:
    """A SQLite file upgraded to the newest revision, made once per test run (removed at exit)."""
    folder = Path(tempfile.mkdtemp(prefix="leadwell-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "leadwell.db"
    upgrade_database(f"sqlite+aiosqlite:///{path}")
    return path


def migrated_sqlite(path: Path) -> str:
    """The URL of a fresh, upgraded SQLite database at `path` (a copy of the template)."""
    shutil.copy(sqlite_template(), path)
    return f"sqlite+aiosqlite:///{path}"


@cache
def shared_knowledge() -> KnowledgeBase:
    """The knowledge base, loaded once per test run."""
    return KnowledgeBase.load()
