"""What `leadwell users import FILE.csv` does: good lines applied in chunks (one transaction each), bad ones reported.

Each chunk of `CHUNK` lines is one transaction with a handful of statements whatever its size, so
50,000 lines never sit in one transaction and an interrupted import is finished by running it
again (it is idempotent). People who asked to be forgotten are skipped unless the admin re-adds
them by email. Every change is audited under the admin, as is the run itself; audit entries name
a person by their platform id or email (as `role` does) and list the fields changed, never values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.roster_csv import BadLine, parse_line, read_roster, unknown_columns
from handlers.clock import Clock, SystemClock
from handlers.erasures import EmailHasher, email_hasher
from handlers.sealing import Sealer
from storage import Database
from storage.repositories import Repositories
from storage.repositories.roster import Applied, PersonRow, RosterEntry

CHUNK = 500


@dataclass
class ImportSummary:
    """What an import did, line by line counted once each."""

    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    erased: int = 0  # skipped: erased at the person's own request
    re_added: int = 0
    roles_kept: int = 0  # a role set in chat or by LEADWELL_ADMINS, left as it was
    bad: list[BadLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"lines": self.lines, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "bad": len(self.bad), "skipped_erased": self.erased, "re_added": self.re_added}  # fmt: skip


def parse_all(
    header: list[str], lines: list[tuple[int, list[str]]], slack_team: str | None, summary: ImportSummary
) -> list[RosterEntry]:
    """The good entries; bad lines (and repeats of an email or platform id, after the first) into `summary`."""
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    for number, cells in lines:
        parsed = parse_line(number, header, cells, slack_team)
        if isinstance(parsed, BadLine):
            summary.bad.append(parsed)
            continue
        again = [(key, seen[key]) for key in (parsed.email, *parsed.identities) if key in seen]
        if again:
            key, first = again[0]
            summary.bad.append(BadLine(number, f"{key} is also on line {first}; keep one line per person"))
            continue
        seen.update(dict.fromkeys((parsed.email, *parsed.identities), number))
        entries.append(parsed)
    return entries


async def import_roster(
    db: Database,
    sealer: Sealer,
    path: Path,
    *,
    actor: str,
    re_add: frozenset[str] = frozenset(),
    slack_team: str | None = None,
    clock: Clock | None = None,
    chunk: int = CHUNK,
    started: Callable[[int], None] = lambda _total: None,
    advance: Callable[[int], None] = lambda _lines: None,
) -> ImportSummary:
    """Import the roster at `path` (`RosterFileError` if it cannot be read; `SealError` if the erasure
    list's key will not open). `started(lines)` once the file is read, `advance(lines)` per chunk."""
    clock = clock or SystemClock()
    header, reader = read_roster(path)
    lines = list(reader)
    summary = ImportSummary(lines=len(lines))
    summary.notes += [f"the column {name!r} is not one I know; it was ignored" for name in unknown_columns(header)]
    entries = parse_all(header, lines, slack_team, summary)
    started(len(lines))
    advance(len(lines) - len(entries))  # bad lines are done with
    async with db.transaction() as session:
        hasher = await email_hasher(Repositories(session), sealer, clock.now())
    for at in range(0, len(entries), chunk):
        part = entries[at : at + chunk]
        async with db.transaction() as session:
            await _import_chunk(Repositories(session), part, hasher, re_add, actor, clock, summary)
        advance(len(part))
    wanted = {email.strip().lower() for email in re_add}
    missing = sorted(wanted - {entry.email for entry in entries})
    summary.notes += [f"--re-add {email}: not a good line of this file, so nobody was re-added" for email in missing]
    summary.bad.sort(key=lambda bad: bad.line)
    async with db.transaction() as session:
        await Repositories(session).audit.record(
            actor=actor, action="roster.imported", now=clock.now(), target=path.name[:200],
            outcome="ok" if not summary.bad else "partial", detail=summary.counts(),
        )  # fmt: skip
    return summary


async def _import_chunk(
    repos: Repositories,
    entries: list[RosterEntry],
    hasher: EmailHasher,
    re_add: frozenset[str],
    actor: str,
    clock: Clock,
    summary: ImportSummary,
) -> None:
    now = clock.now()
    hashes = {entry.email: hasher(entry.email) for entry in entries}
    erased = await repos.erasures.among(list(hashes.values()))
    wanted = {email.strip().lower() for email in re_add}
    back = [entry for entry in entries if hashes[entry.email] in erased and entry.email in wanted]
    await repos.erasures.forget([hashes[entry.email] for entry in back])
    audit = [{"at": now, "actor": actor, "action": "roster.re_added", "target": entry.email,
              "detail": {"line": entry.line}} for entry in back]  # fmt: skip
    summary.re_added += len(back)
    kept = [entry for entry in entries if hashes[entry.email] not in erased or entry.email in wanted]
    summary.erased += len(entries) - len(kept)
    for outcome in await repos.roster.apply(kept, now):
        audit += _count(outcome, actor, now, summary)
    await repos.audit.record_many(audit)


def _count(outcome: Applied, actor: str, now: datetime, summary: ImportSummary) -> list[dict[str, Any]]:
    """Count one entry's outcome into `summary`; its audit entries."""
    if outcome.conflict is not None:
        summary.bad.append(BadLine(outcome.entry.line, outcome.conflict))
        return []
    summary.roles_kept += outcome.role_kept
    if outcome.created:
        summary.created += 1
    elif outcome.updated:
        summary.updated += 1
    else:
        summary.unchanged += 1
    line = outcome.entry.line

    def entry(action: str, person: PersonRow, detail: dict[str, Any]) -> dict[str, Any]:
        return {"at": now, "actor": actor, "action": action, "target": person.audit_name, "detail": detail}

    audit = [entry("roster.created", p, {"line": line, "role": p.role}) for p in outcome.created]
    audit += [entry("roster.updated", p, {"line": line, "fields": fields}) for p, fields in outcome.updated.values()]
    for person, before, after in outcome.roles:
        audit.append(entry("role.set", person, {"from": before, "to": after, "source": "roster"}))
    return audit
