"""Reading a roster CSV: its header, then each line as a `RosterEntry` or what is wrong with it and what to do.

UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"), Excel's quoting. Column names
ignore case, spaces and order; `email` is the one required. A line is numbered as an editor
shows it (a quoted cell across lines counts from where the line starts).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

from handlers.zones import find_zone
from storage.models.people import ROLES
from storage.repositories.roster import RosterEntry

COLUMNS = ("email", "name", "role", "organisation", "region", "timezone", "slack_id", "teams_id")
ALSO = {"organization": "organisation", "time_zone": "timezone", "tz": "timezone", "e_mail": "email"}
LIMITS = {"email": 320, "name": 200, "organisation": 200, "region": 100}  # as long as the person columns
EMAIL = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+")
SLACK_ID = re.compile(r"(?:(T[A-Z0-9]{2,20}):)?([UW][A-Z0-9]{2,20})")
AAD_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class RosterFileError(Exception):
    """The file cannot be read as a roster at all (nothing was imported)."""


@dataclass(frozen=True)
class BadLine:
    line: int
    problem: str  # what is wrong, then what to do


def read_roster(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header's column names and each following non-empty line (number, cells); `RosterFileError`."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # the whole file first: a bad byte stops nothing half-way
    except FileNotFoundError:
        raise RosterFileError(f"{path} does not exist; check the path") from None
    except IsADirectoryError:
        raise RosterFileError(f"{path} is a folder; give the CSV file inside it") from None
    except UnicodeDecodeError as exc:
        raise RosterFileError(
            f"{path} is not UTF-8 (byte {exc.start}); in Excel use Save As → “CSV UTF-8 (comma delimited)”"
        ) from None
    except OSError as exc:
        raise RosterFileError(f"cannot read {path}: {exc.strerror}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header, start = _header(reader)
    return header, _lines(reader, start)


def _header(reader: Any) -> tuple[list[str], int]:
    for cells in reader:
        if any(cell.strip() for cell in cells):
            names = [ALSO.get(_key(cell), _key(cell)) for cell in cells]
            break
    else:
        raise RosterFileError("the file is empty; its first line should name the columns, e.g. email,name,role")
    if "email" not in names:
        raise RosterFileError(
            "the first line has no email column; name the columns there, e.g. email,name,role,organisation"
        )
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if repeated:
        raise RosterFileError(f"the column {repeated[0]} is named twice in the first line; keep one")
    return names, reader.line_num


def _key(cell: str) -> str:
    return "_".join(cell.strip().lower().replace("-", " ").split())


def _lines(reader: Any, after: int) -> Iterator[tuple[int, list[str]]]:
    start = after + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise RosterFileError(f"line {start}: {exc}; the lines before it were read") from None


def unknown_columns(header: list[str]) -> list[str]:
    return [name for name in header if name and name not in COLUMNS]


@cache
def _iana() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def resolve_zone(said: str) -> str | None:
    """An IANA name, or what `timezone` in chat understands when it is clear (“London”, “UK”, “GMT”)."""
    if said in _iana():
        return said
    found = find_zone(said)
    return found.zone if found is not None else None


def parse_line(line: int, header: list[str], cells: list[str], slack_team: str | None) -> RosterEntry | BadLine:
    """One line as an entry (the email in lower case, empty cells None), or what is wrong with it."""
    if len(cells) < len(header) or any(cell.strip() for cell in cells[len(header) :]):  # empty extra cells are fine
        return BadLine(line, f"has {len(cells)} cells but the first line names {len(header)} columns; "
                             "put any cell holding a comma in double quotes")  # fmt: skip
    values = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name in COLUMNS}
    problems = [f"{name} is {len(values[name])} characters, at most {limit} fit; shorten it"
                for name, limit in LIMITS.items() if len(values.get(name, "")) > limit]  # fmt: skip
    email = values.get("email", "").lower()
    if not email:
        problems.insert(0, "has no email; every person needs one (it is how they are matched)")
    elif not EMAIL.fullmatch(email):
        problems.insert(0, f"email {values['email']!r} is not an email address; write it like jo.bloggs@nhs.net")
    role = values.get("role", "").lower() or None
    if role is not None and role not in ROLES:
        problems.append(f"role {values['role']!r} is not one I know; use staff, manager or admin (or leave it empty)")
    zone = None
    if values.get("timezone"):
        zone = resolve_zone(values["timezone"])
        if zone is None:
            problems.append(f"time zone {values['timezone']!r} is not one I know; use an IANA name like Europe/London")
    identities = []
    if values.get("slack_id"):
        found = SLACK_ID.fullmatch(values["slack_id"].upper())
        team = (found.group(1) or slack_team) if found else None
        if found is None:
            problems.append(f"slack_id {values['slack_id']!r} is not a Slack user id; it looks like U0123ABCD")
        elif team is None:
            problems.append("slack_id has no workspace; write it as T0123ABCD:U0123ABCD or pass --slack-team T…")
        else:
            identities.append(f"slack:{team}:{found.group(2)}")
    if values.get("teams_id"):
        if not AAD_ID.fullmatch(values["teams_id"].lower()):
            problems.append(f"teams_id {values['teams_id']!r} is not an Entra (AAD) object id; it looks like "
                            "0f8fad5b-d9cb-469f-a165-70867728950e")  # fmt: skip
        else:
            identities.append(f"teams:{values['teams_id'].lower()}")
    if problems:
        return BadLine(line, "; ".join(problems))
    return RosterEntry(
        line=line,
        email=email,
        name=values.get("name") or None,
        role=role,
        organisation=values.get("organisation") or None,
        region=values.get("region") or None,
        timezone=zone,
        identities=tuple(identities),
    )


def read_re_add_file(path: Path) -> set[str]:
    """Emails from a file, one a line (an `email` header line and lines starting with # are passed over)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterFileError(
            f"cannot read {path} ({exc.__class__.__name__}); give a UTF-8 file, one email a line"
        ) from None
    emails = set()
    for number, line in enumerate(lines, 1):
        said = line.strip().strip('"').lower()
        if not said or said.startswith("#") or said == "email":
            continue
        if not EMAIL.fullmatch(said):
            raise RosterFileError(f"line {number} of {path}: {said!r} is not an email; one email a line")
        emails.add(said)
    return emails
