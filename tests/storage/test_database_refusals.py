"""Preparing the database: what is not ours is left alone, and every failure says what to do, at once."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from storage.db import describe_error
from storage.migrate import DatabaseRefused, upgrade_database


def url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def test_a_sqlite_file_with_another_applications_tables_is_refused_and_left_untouched(tmp_path: Path) -> None:
    other = tmp_path / "payroll.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    before = other.read_bytes()
    with pytest.raises(DatabaseRefused, match=r"another application's tables \(invoices\)"):
        upgrade_database(url(other))
    assert other.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused_with_a_reason(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("not a database at all, just some notes\n" * 100)
    with pytest.raises(DatabaseRefused, match="not a SQLite database"):
        upgrade_database(url(junk))


def test_a_lock_file_that_cannot_be_made_fails_at_once_naming_the_lock_file(tmp_path: Path) -> None:
    (tmp_path / "leadwell.db.migrate.lock").symlink_to(tmp_path / "gone" / "lock")  # points into a missing folder
    started = time.monotonic()
    with pytest.raises(DatabaseRefused, match="cannot create the lock file"):
        upgrade_database(url(tmp_path / "leadwell.db"))
    assert time.monotonic() - started < 2


def test_an_empty_or_new_file_is_ours_to_create(tmp_path: Path) -> None:
    (tmp_path / "empty.db").touch()
    upgrade_database(url(tmp_path / "empty.db"))
    upgrade_database(url(tmp_path / "sub" / "new.db"))  # the folder is made too
    assert (tmp_path / "sub" / "new.db").stat().st_size > 0


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (sqlite3.OperationalError("unable to open database file"), "cannot open the database file"),
        (sqlite3.OperationalError("database is locked"), "locked by another process"),
        (ConnectionRefusedError(111, "Connect call failed"), "is the database server running"),
        (Exception('password authentication failed for user "lw"'), "refused the login"),
    ],
)
def test_database_errors_are_described_as_what_to_do(error: Exception, says: str) -> None:
    assert says in describe_error(error)
