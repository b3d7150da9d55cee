"""The secret that seals private text: LEADWELL_SECRET_KEY, or a local one made on first run.

Locally (loopback, no LEADWELL_SECRET_KEY) a random secret is written once to a
file readable only by its owner, beside the SQLite database. Losing that file
makes existing reflections unreadable, so set LEADWELL_SECRET_KEY for anything
that matters, and always when several replicas share PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.settings import Settings
from storage.db import sqlite_path


def local_secret_file(settings: Settings) -> Path:
    database = sqlite_path(settings.database_url)
    return database.with_name(database.name + ".secret") if database is not None else Path(".leadwell.secret")


def sealing_secret(settings: Settings) -> str:
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path = local_secret_file(settings)
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    # Write it whole under a private name, then link it into place: a process
    # starting at the same moment sees either no file or the complete one.
    draft = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    try:
        os.link(draft, path)
    except FileExistsError:  # another process made it first: use theirs
        value = path.read_text().strip()
    finally:
        draft.unlink(missing_ok=True)
    return value


def write_local_secret(settings: Settings, value: str) -> Path:
    """Replace the local secret file with `value` (after `leadwell keys rotate`), readable only by its owner."""
    path = local_secret_file(settings)
    draft = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    os.replace(draft, path)
    return path
