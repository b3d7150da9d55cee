"""People: registration on first contact, roles, time zones and proactive addresses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ConversationAddress, Person

SEEN_GRANULARITY = timedelta(hours=1)


@dataclass(frozen=True)
class Arrival:
    """Who a message is from, as the platform tells it."""

    identity: str
    platform: str
    name: str | None = None
    email: str | None = None
    timezone: str = "Europe/London"
    role: str | None = None
    role_source: str = "settings"  # settings: applied only over a default role; chat: always


@dataclass(frozen=True)
class RoleChange:
    """A role that changed, for the audit trail: who, from what to what, and where the new one came from."""

    person: Person
    before: str
    after: str
    source: str


# Roles LEADWELL_ADMINS may set or take back: never one an admin chose in chat or a roster gave.
SETTABLE_BY_SETTINGS = ("default", "settings")


def _update(person: Person, arrival: Arrival, now: datetime, *, first: bool) -> bool:
    """Bring `person` up to date with what the platform says; True if anything changed."""
    changes: dict[str, Any] = {"identity": arrival.identity, "platform": arrival.platform}
    if arrival.name and not person.name:
        changes["name"] = arrival.name
    if arrival.email and not person.email:
        changes["email"] = arrival.email.strip().lower()
    if arrival.role and (arrival.role_source != "settings" or person.role_source in SETTABLE_BY_SETTINGS):
        changes["role"] = arrival.role
        changes["role_source"] = arrival.role_source
    if first or person.last_seen_at is None or now - person.last_seen_at > SEEN_GRANULARITY:
        changes["last_seen_at"] = now  # to the hour: not a write on every message
    changes = {key: value for key, value in changes.items() if getattr(person, key) != value}
    for key, value in changes.items():
        setattr(person, key, value)
    return bool(changes) or person.id is None


class PeopleRepository:
    """Reads and writes `person` and `conversation_address` rows in one session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.role_changes: list[RoleChange] = []  # made by `register_many`, for the caller to audit

    async def get(self, person_id: int) -> Person | None:
        return await self.session.get(Person, person_id)

    async def get_many(self, person_ids: list[int]) -> dict[int, Person]:
        if not person_ids:
            return {}
        result = await self.session.exec(select(Person).where(col(Person.id).in_(person_ids)))
        return {person.id or 0: person for person in result.all()}

    async def emails_of(self, identities: list[str]) -> dict[str, str | None]:
        """Each known identity's stored email (None when none is stored), in one query."""
        result = await self.session.exec(
            select(Person.identity, Person.email).where(col(Person.identity).in_(identities))
        )
        return {identity: email for identity, email in result.all() if identity is not None}

    async def by_identity(self, identity: str) -> Person | None:
        result = await self.session.exec(select(Person).where(Person.identity == identity))
        return result.first()

    async def register(
        self,
        *,
        identity: str,
        platform: str,
        now: datetime,
        name: str | None = None,
        email: str | None = None,
        timezone: str = "Europe/London",
        role: str | None = None,
        role_source: str = "settings",
    ) -> tuple[Person, bool]:
        """Find the person for `identity`, creating them on first contact.

        A roster row (no identity yet) with the same email is claimed, so an
        imported organisation, region and role carry over. Returns the person
        and whether this was their first contact.
        """
        arrival = Arrival(identity, platform, name, email, timezone, role, role_source)
        return (await self.register_many([arrival], now=now))[0]

    async def register_many(self, arrivals: list[Arrival], *, now: datetime) -> list[tuple[Person, bool]]:
        """`register` for several people (different identities) at once: one query for those already
        known, one for roster rows with the newcomers' emails, and one INSERT for everyone new."""
        known = await self.session.exec(select(Person).where(col(Person.identity).in_([a.identity for a in arrivals])))
        found = {person.identity: person for person in known.all()}
        emails = {a.email.strip().lower() for a in arrivals if a.email and a.identity not in found}
        roster = await self._roster_rows(emails)
        registered: list[tuple[Person, bool]] = []
        for arrival in arrivals:
            person = found.get(arrival.identity)
            first = person is None
            if person is None and arrival.email and roster.get(arrival.email.strip().lower()):
                person = roster[arrival.email.strip().lower()].pop(0)  # claimed: no later arrival gets it
            if person is None:
                person = Person(
                    identity=arrival.identity, platform=arrival.platform, timezone=arrival.timezone, created_at=now
                )
            before = person.role
            if _update(person, arrival, now, first=first) and person.id is not None:
                self.session.add(person)
            if person.role != before:
                self.role_changes.append(RoleChange(person, before, person.role, person.role_source))
            registered.append((person, first))
        new = [person for person, _ in registered if person.id is None]
        if new:
            inserted = await self._insert(new)
            registered = [(inserted.get(p.identity, p) if p.id is None else p, first) for p, first in registered]
        await self.session.flush()
        return registered

    async def _insert(self, people: list[Person]) -> dict[str | None, Person]:
        """Insert new people with one statement (a multi-row INSERT … RETURNING); the stored rows by identity."""
        # render_nulls: every row names the same columns, so all go in one batch
        statement = insert(Person).returning(Person).execution_options(render_nulls=True)
        rows = [person.model_dump(exclude={"id"}) for person in people]
        result = await self.session.exec(statement, params=rows)
        inserted: list[Person] = list(result.scalars().all())
        return {person.identity: person for person in inserted}

    async def unclaimed(self, emails: set[str]) -> dict[str, list[Person]]:
        """Roster rows no one has claimed yet with these emails (what a first contact would claim)."""
        return await self._roster_rows(emails)

    async def _roster_rows(self, emails: set[str]) -> dict[str, list[Person]]:
        """Unclaimed roster rows (no identity yet) with these emails, by email, oldest first."""
        if not emails:
            return {}
        unclaimed = col(Person.identity).is_(None)
        result = await self.session.exec(
            select(Person).where(unclaimed, col(Person.email).in_(sorted(emails))).order_by(col(Person.id))
        )
        rows: dict[str, list[Person]] = {}
        for person in result.all():
            rows.setdefault(person.email or "", []).append(person)
        return rows

    async def find(self, who: str) -> list[Person]:
        """People named by an identity (`slack:T…:U…`, `teams:…`, `console:…`) or an email."""
        if "@" in who and ":" not in who:
            result = await self.session.exec(
                select(Person).where(Person.email == who.strip().lower()).order_by(col(Person.id))
            )
        else:
            result = await self.session.exec(select(Person).where(Person.identity == who.strip()))
        return list(result.all())

    async def set_role(self, person: Person, role: str, source: str) -> RoleChange | None:
        """Give `person` `role` from `source`; the change (None if there was none) for the audit trail."""
        before = person.role
        if (person.role, person.role_source) == (role, source):
            return None
        person.role, person.role_source = role, source
        self.session.add(person)
        return RoleChange(person, before, role, source) if before != role else None

    async def listed_or_settings_sourced(self, identities: set[str], emails: set[str]) -> list[Person]:
        """People LEADWELL_ADMINS lists (by identity or email), those whose role came from it, and admins
        whose role came from nobody (rows from before roles recorded their source)."""
        listed = col(Person.identity).in_(sorted(identities)) | col(Person.email).in_(sorted(emails))
        unrecorded_admin = (Person.role == "admin") & (Person.role_source == "default")
        result = await self.session.exec(
            select(Person)
            .where(listed | (Person.role_source == "settings") | unrecorded_admin)
            .order_by(col(Person.id))
        )
        return list(result.all())

    async def set_timezone(self, person: Person, timezone: str) -> None:
        person.timezone = timezone
        self.session.add(person)

    async def save_address(
        self, person: Person, platform: str, address: dict[str, Any], now: datetime
    ) -> ConversationAddress:
        """Store (or replace) where proactive messages for `person` go on `platform` (no write if unchanged)."""
        assert person.id is not None
        row = await self.address(person.id, platform) or ConversationAddress(person_id=person.id, platform=platform)
        if row.id is not None and row.address == address and row.reachable:
            return row
        row.address = address
        row.reachable = True
        row.unreachable_reason = None
        row.updated_at = now
        self.session.add(row)
        await self.session.flush()
        return row

    async def address(self, person_id: int, platform: str) -> ConversationAddress | None:
        result = await self.session.exec(
            select(ConversationAddress).where(
                ConversationAddress.person_id == person_id, ConversationAddress.platform == platform
            )
        )
        return result.first()

    async def mark_unreachable(self, person_id: int, platform: str, reason: str, now: datetime) -> None:
        """Mark `person_id` gone on `platform` (account closed, app removed): skipped and counted from now on
        (a Slack person reached by their user id alone gets an address row that says so)."""
        row = await self.address(person_id, platform)
        if row is None:
            row = ConversationAddress(person_id=person_id, platform=platform, address={})
        row.reachable = False
        row.unreachable_reason = reason[:200]
        row.updated_at = now
        self.session.add(row)

    async def delivery_targets(
        self, person_ids: list[int], platform: str
    ) -> dict[int, tuple[str | None, ConversationAddress | None]]:
        """For each person: their identity and stored address on `platform` (None if none is stored)."""
        if not person_ids:
            return {}
        people = await self.session.exec(select(Person).where(col(Person.id).in_(person_ids)))
        targets: dict[int, tuple[str | None, ConversationAddress | None]] = {
            person.id or 0: (person.identity, None) for person in people.all()
        }
        addresses = await self.session.exec(
            select(ConversationAddress).where(
                col(ConversationAddress.person_id).in_(person_ids), ConversationAddress.platform == platform
            )
        )
        for address in addresses.all():
            identity, _ = targets.get(address.person_id, (None, None))
            targets[address.person_id] = (identity, address)
        return targets
