"""The roster in the database: entries matched to people (by platform id, else by email) and applied in bulk.

One call of `apply` handles one chunk of entries with three reads (people by email or identity,
their Slack addresses) and one flush of what changed, whatever the chunk's size.

Rules kept on purpose:
- an entry's platform id names one person; an unclaimed roster row with the same email is claimed
  for it (as on first contact, `PeopleRepository.register_many`), else a person is created;
- every other person with the entry's email (the same human on another platform) is updated too;
- an empty cell changes nothing: a roster never clears what is known;
- the roster sets a role only over one nobody chose (`default`) or a roster gave; one set by an
  admin in chat or by LEADWELL_ADMINS stays (counted, so the import can say so);
- the time zone is the roster's only until the person writes: people who have written keep their own
  (changing it would move their schedules behind their back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, false, func, insert, text, true, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ConversationAddress, Person

ROSTER_MAY_SET = ("default", "roster")  # role sources a roster may replace
PROFILE = ("name", "organisation", "region")


@dataclass(frozen=True)
class RosterEntry:
    """One good roster line: the email in lower case, and `None` for every cell left empty."""

    line: int
    email: str
    name: str | None = None
    role: str | None = None
    organisation: str | None = None
    region: str | None = None
    timezone: str | None = None
    identities: tuple[str, ...] = ()  # slack:T…:U…, teams:<aad>


@dataclass
class PersonRow:
    """A person as the import reads and writes them: plain values, written with bulk statements."""

    email: str | None
    identity: str | None = None
    platform: str = "roster"
    name: str | None = None
    role: str = "staff"
    role_source: str = "default"
    organisation: str | None = None
    region: str | None = None
    timezone: str = "Europe/London"
    id: int | None = None

    @property
    def audit_name(self) -> str:
        """How audit entries name a person (as `role` does)."""
        return self.identity or self.email or f"person:{self.id}"


COLUMNS = tuple(name for name in PersonRow.__dataclass_fields__ if name != "id")


@dataclass
class Applied:
    """What one entry did: created, the fields it changed, role changes, or why it could not be applied."""

    entry: RosterEntry
    created: list[PersonRow] = field(default_factory=list)
    updated: dict[int, tuple[PersonRow, list[str]]] = field(default_factory=dict)  # by id(person)
    roles: list[tuple[PersonRow, str, str]] = field(default_factory=list)  # person, from, to
    named: list[PersonRow] = field(default_factory=list)  # the people its platform ids name
    role_kept: bool = False
    conflict: str | None = None


@dataclass(frozen=True)
class PeopleFilter:
    """Which people `users list` shows: each set field narrows the list (text fields ignore case)."""

    role: str | None = None
    organisation: str | None = None
    region: str | None = None
    platform: str | None = None  # slack, teams, console, web, or "none": on the roster only, never written
    reachable: bool | None = None  # can be messaged first: a Slack id, or a stored address still working
    search: str | None = None  # in the name or the email
    limit: int = 50


def platform_of(identity: str) -> str:
    return identity.split(":", 1)[0]


class RosterRepository:
    """Applies roster entries to `person` (and Slack addresses) in one session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _matching(self, emails: set[str], identities: set[str]) -> list[PersonRow]:
        table = Person.__table__  # type: ignore[attr-defined]
        if self.session.bind is not None and self.session.bind.dialect.name == "postgresql":
            # The same statement every chunk: after five runs PostgreSQL would plan it once for any values,
            # and that plan compares each row with every value (0.3 s a chunk at 50,000 people, not 5 ms).
            await (await self.session.connection()).execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        wanted = table.c.email.in_(sorted(emails))
        if identities:
            wanted = wanted | table.c.identity.in_(sorted(identities))
        columns = [table.c[name] for name in (*COLUMNS, "id")]
        result = await self.session.exec(select(*columns).where(wanted).order_by(table.c.id))
        return [PersonRow(**row._mapping) for row in result]

    async def apply(self, entries: list[RosterEntry], now: datetime) -> list[Applied]:
        """Apply entries with distinct emails and platform ids; nothing is committed here."""
        people = await self._matching({e.email for e in entries}, {i for e in entries for i in e.identities})
        by_identity = {p.identity: p for p in people if p.identity is not None}
        by_email: dict[str, list[PersonRow]] = {}
        for person in people:
            by_email.setdefault((person.email or "").lower(), []).append(person)
        outcomes = [self._apply(entry, by_identity, by_email) for entry in entries]
        await self._insert([person for outcome in outcomes for person in outcome.created], now)
        await self._write_changes(outcomes)
        await self._add_slack_addresses(outcomes, now)
        return outcomes

    async def _insert(self, people: list[PersonRow], now: datetime) -> None:
        """Insert new people with multi-row statements, and note their ids."""
        if not people:
            return
        table = Person.__table__  # type: ignore[attr-defined]
        rows = [{**{name: getattr(p, name) for name in COLUMNS}, "created_at": now} for p in people]
        # Matched back by identity, or by email for roster-only rows (unique within a chunk): asking for
        # the ids in order would make SQLite insert one row per statement.
        statement = insert(table).returning(table.c.id, table.c.identity, table.c.email)
        result = await self.session.exec(statement, params=rows)
        ids: dict[str, int] = {row.identity or row.email: row.id for row in result.all()}
        for person in people:
            person.id = ids[person.identity or person.email or ""]

    async def _write_changes(self, outcomes: list[Applied]) -> None:
        """One executemany UPDATE per set of columns changed together (usually one or two per chunk)."""
        table = Person.__table__  # type: ignore[attr-defined]
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for outcome in outcomes:
            for person, fields in outcome.updated.values():
                columns = tuple(sorted(f for f in fields if f in COLUMNS))
                if columns:
                    values = {f"new_{name}": getattr(person, name) for name in columns}
                    groups.setdefault(columns, []).append({"person_id": person.id, **values})
        for columns, rows in groups.items():
            statement = (
                update(table)
                .where(table.c.id == bindparam("person_id"))
                .values({name: bindparam(f"new_{name}") for name in columns})
            )
            await self.session.exec(statement.execution_options(synchronize_session=False), params=rows)

    def _apply(
        self, entry: RosterEntry, by_identity: dict[str, PersonRow], by_email: dict[str, list[PersonRow]]
    ) -> Applied:
        outcome = Applied(entry)
        for identity in entry.identities:
            owner = by_identity.get(identity)
            if owner is not None and owner.email and owner.email.lower() != entry.email:
                outcome.conflict = (
                    f"{identity} is already someone with another email ({owner.email}); "
                    "correct the email or the id on this line"
                )
                return outcome
        targets: list[PersonRow] = []
        unclaimed = [p for p in by_email.get(entry.email, []) if p.identity is None]
        for identity in entry.identities:
            person = by_identity.get(identity)
            if person is None and unclaimed:
                person = unclaimed.pop(0)  # claimed, as on first contact
                self._set(outcome, person, identity=identity, platform=platform_of(identity))
            elif person is None:
                person = self._create(outcome, entry, identity=identity)
            by_identity[identity] = person
            targets.append(person)
        outcome.named = list(targets)
        for person in by_email.get(entry.email, []):
            if all(person is not other for other in targets):
                targets.append(person)
        if not targets:
            targets.append(self._create(outcome, entry, identity=None))
        for person in targets:
            self._update(outcome, person, entry)
        return outcome

    def _create(self, outcome: Applied, entry: RosterEntry, *, identity: str | None) -> PersonRow:
        person = PersonRow(
            identity=identity,
            platform=platform_of(identity) if identity else "roster",
            email=entry.email,
            timezone=entry.timezone or "Europe/London",
        )
        outcome.created.append(person)
        return person

    def _set(self, outcome: Applied, person: PersonRow, **changes: str) -> None:
        changes = {key: value for key, value in changes.items() if getattr(person, key) != value}
        if not changes:
            return
        for key, value in changes.items():
            setattr(person, key, value)
        if all(person is not created for created in outcome.created):
            fields = outcome.updated.setdefault(id(person), (person, []))[1]
            fields.extend(key for key in changes if key not in fields)

    def _update(self, outcome: Applied, person: PersonRow, entry: RosterEntry) -> None:
        changes = {key: getattr(entry, key) for key in PROFILE if getattr(entry, key) is not None}
        if not person.email:
            changes["email"] = entry.email
        if entry.timezone and person.identity is None:
            changes["timezone"] = entry.timezone
        if entry.role is not None:
            if person.role_source in ROSTER_MAY_SET:
                if person.role != entry.role and person.id is not None:
                    outcome.roles.append((person, person.role, entry.role))
                changes.update(role=entry.role, role_source="roster")
            elif person.role != entry.role:
                outcome.role_kept = True
        self._set(outcome, person, **changes)

    async def _add_slack_addresses(self, outcomes: list[Applied], now: datetime) -> None:
        """A Slack address (post to the user id) for each Slack person an entry names who has none yet."""
        named = [(o, p) for o in outcomes for p in o.named if p.platform == "slack" and p.id is not None]
        if not named:
            return
        result = await self.session.exec(
            select(ConversationAddress.person_id).where(
                col(ConversationAddress.person_id).in_(sorted({p.id or 0 for _, p in named})),
                ConversationAddress.platform == "slack",
            )
        )
        have = set(result.all())
        rows = []
        for outcome, person in named:
            if person.id in have:
                continue
            _, team, user = (person.identity or "::").split(":", 2)
            rows.append({"person_id": person.id, "platform": "slack", "address": {"team": team, "user": user},
                         "reachable": True, "updated_at": now})  # fmt: skip
            have.add(person.id or 0)
            if all(person is not created for created in outcome.created):
                outcome.updated.setdefault(id(person), (person, []))[1].append("slack address")
        if rows:
            await self.session.exec(insert(ConversationAddress.__table__), params=rows)  # type: ignore[attr-defined]

    async def listing(self, wanted: PeopleFilter) -> tuple[list[tuple[Person, list[str]]], int]:
        """The people `wanted` selects (at most its limit, by email) with the platforms that reach each, and
        how many it selects in all."""
        where = _conditions(wanted)
        total = (await self.session.exec(select(func.count()).select_from(Person).where(*where))).one()
        result = await self.session.exec(
            select(Person).where(*where).order_by(col(Person.email), col(Person.id)).limit(wanted.limit)
        )
        people = list(result.all())
        addresses = await self.session.exec(
            select(ConversationAddress).where(col(ConversationAddress.person_id).in_([p.id for p in people]))
        )
        reach: dict[int | None, dict[str, bool]] = {}
        for address in addresses.all():
            reach.setdefault(address.person_id, {})[address.platform] = address.reachable
        listed = []
        for person in people:
            found = dict(reach.get(person.id, {}))
            if person.platform == "slack":
                found.setdefault("slack", True)  # Slack takes a post to the user id: no address needed
            listed.append((person, sorted(platform for platform, ok in found.items() if ok)))
        return listed, int(total)


def _reachable() -> ColumnElement[bool]:
    address = ConversationAddress
    working = exists().where(col(address.person_id) == col(Person.id), col(address.reachable) == true())
    slack_gone = exists().where(
        col(address.person_id) == col(Person.id), col(address.platform) == "slack", col(address.reachable) == false()
    )
    return working | and_(col(Person.platform) == "slack", ~slack_gone)


def _conditions(wanted: PeopleFilter) -> list[ColumnElement[bool]]:
    # A person `forget me` emptied (no identity, no email) is waiting to be removed: never listed.
    where: list[ColumnElement[bool]] = [col(Person.identity).is_not(None) | col(Person.email).is_not(None)]
    if wanted.role:
        where.append(col(Person.role) == wanted.role)
    if wanted.organisation:
        where.append(func.lower(col(Person.organisation)) == wanted.organisation.lower())
    if wanted.region:
        where.append(func.lower(col(Person.region)) == wanted.region.lower())
    if wanted.platform == "none":
        where.append(col(Person.identity).is_(None))
    elif wanted.platform:
        where.append(col(Person.platform) == wanted.platform)
    if wanted.reachable is not None:
        where.append(_reachable() if wanted.reachable else ~_reachable())
    if wanted.search:
        text = wanted.search.strip()
        where.append(
            col(Person.name).icontains(text, autoescape=True) | col(Person.email).icontains(text, autoescape=True)
        )
    return where
