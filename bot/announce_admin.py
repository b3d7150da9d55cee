"""What `leadwell announce send|failures` do (the CLI only parses, prompts and prints).

`send` takes the text from a file or the command line and the audience as the chat composer does, or a
CSV of email addresses (the chat takes them pasted; cards have no file input). It previews the counts (and, as the
chat does, says when the same text went to the same audience lately) and confirms before anything is written;
confirmed, the announcement is fanned out by the running server's scheduler, exactly as one confirmed in chat. Both
are audited under `cli:<login name>`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.settings import Settings
from handlers.announce import EMAIL, MAX_TEXT, REPEAT_WINDOW, counts_text, read_when, repeat_warning, submit
from handlers.clock import SystemClock
from storage import Database
from storage.models import Announcement
from storage.repositories import Repositories
from storage.repositories.announcements import AUDIENCE_KINDS, Reach


class AnnounceError(Exception):
    """Something the admin gave cannot be used; the message says what to do."""


@dataclass
class Plan:
    body: str
    audience: dict[str, Any]
    when: str


def emails_from_csv(path: Path) -> list[str]:
    """Every email address in the CSV (any column; a header row is fine), lower-cased, each once."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            found = {m.lower() for row in csv.reader(handle) for cell in row for m in EMAIL.findall(cell)}
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise AnnounceError(f"could not read {path}: {error}; give a UTF-8 CSV with one email per row") from None
    if not found:
        raise AnnounceError(f"no email addresses in {path}")
    return sorted(found)


def audience_of(to: str, organisations: list[str], regions: list[str], emails: list[str] | None) -> dict[str, Any]:
    if to not in AUDIENCE_KINDS:
        raise AnnounceError("--to takes everyone, managers or staff")
    audience: dict[str, Any] = {"kind": to}
    if organisations:
        audience["organisations"] = organisations
    if regions:
        audience["regions"] = regions
    if emails is not None:
        audience["emails"] = emails
    return audience


async def preview(settings: Settings, plan: Plan) -> tuple[Reach, str | None]:
    if not plan.body.strip() or len(plan.body) > MAX_TEXT:
        raise AnnounceError(f"the text must be 1 to {MAX_TEXT:,} characters")
    if read_when(plan.when, settings.timezone, SystemClock().now()) is None:
        raise AnnounceError("--at takes now, 'tomorrow 12:30', '2026-12-10 09:00' or '09:00 local' (not in the past)")
    db = Database(settings.database_url)
    try:
        async with db.transaction() as session:
            repos = Repositories(session).announcements
            probe = Announcement(title="", body=plan.body.strip(), audience=plan.audience)
            now = SystemClock().now()
            repeat = await repos.repeat_of(probe, now - REPEAT_WINDOW)
            warning = None if repeat is None else repeat_warning(repeat, settings.timezone)
            return await repos.reach(plan.audience), warning
    finally:
        await db.dispose()


async def send(settings: Settings, plan: Plan, actor: str) -> tuple[int, str]:
    """Write the confirmed announcement (or leave it for a second admin's approval); (its id, its state)."""
    now = SystemClock().now()
    when = read_when(plan.when, settings.timezone, now)
    if when is None:
        raise AnnounceError("--at takes now, 'tomorrow 12:30', '2026-12-10 09:00' or '09:00 local'")
    db = Database(settings.database_url)
    try:
        async with db.transaction() as session:
            repos = Repositories(session)
            reach = await repos.announcements.reach(plan.audience)
            draft = await repos.announcements.create(author_id=None, body=plan.body.strip(), now=now)
            draft.audience, (draft.send_at, draft.local_time) = plan.audience, when
            draft.recipient_count = reach.total
            over = settings.announce_approval_over if settings.announce_approval else None
            await submit(repos, draft, actor=actor, now=now, approval_over=over)
            return draft.id or 0, draft.state
    finally:
        await db.dispose()


async def failures(settings: Settings, number: int, actor: str, write: Callable[[list[str]], None]) -> int:
    """Write the failed deliveries of announcement `number` as CSV rows (email, platform, reason); how many."""
    db = Database(settings.database_url)
    try:
        async with db.transaction() as session:
            repos = Repositories(session)
            if await repos.announcements.get(number) is None:
                raise AnnounceError(f"there is no announcement {number}")
            rows = await repos.announcements.failures(number)
            write(["email_or_identity", "platform", "reason"])
            for row in rows:
                write(list(row))
            await repos.audit.record(
                actor=actor, action="announcement.failures_exported", now=SystemClock().now(),
                target=f"announcement:{number}", detail={"rows": len(rows)},
            )  # fmt: skip
            return len(rows)
    finally:
        await db.dispose()


__all__ = ["AnnounceError", "Plan", "audience_of", "counts_text", "emails_from_csv", "failures", "preview", "send"]
