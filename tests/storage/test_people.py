"""People: registered on first contact, matched to an imported roster by email, kept apart by platform."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from handlers.clock import ManualClock
from storage import Database
from storage.models import Person
from storage.repositories import Repositories
from storage.repositories.people import Arrival


async def test_first_contact_registers_the_person_with_the_default_zone(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        people = Repositories(session).people
        person, first = await people.register(identity="slack:T1:U1", platform="slack", now=clock.now(), name="Sam")
        again, first_again = await people.register(identity="slack:T1:U1", platform="slack", now=clock.now())
    assert first and not first_again
    assert again.id == person.id
    assert (person.timezone, person.role, person.name) == ("Europe/London", "staff", "Sam")


async def test_a_roster_row_is_claimed_by_the_first_contact_with_its_email(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        session.add(Person(platform="roster", email="sam.jones@nhs.net", organisation="Leeds THT", region="NE&Y"))
    async with db.transaction() as session:
        person, _ = await Repositories(session).people.register(
            identity="teams:aad-1", platform="teams", now=clock.now(), email="Sam.Jones@NHS.net"
        )
    assert (person.organisation, person.region, person.identity) == ("Leeds THT", "NE&Y", "teams:aad-1")


async def test_a_console_identity_never_matches_a_slack_one(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        people = Repositories(session).people
        slack, _ = await people.register(identity="slack:T1:alice", platform="slack", now=clock.now())
        console, first = await people.register(identity="console:alice", platform="console", now=clock.now())
    assert first and slack.id != console.id


async def test_proactive_addresses_are_replaced_and_can_be_marked_unreachable(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        people = Repositories(session).people
        person, _ = await people.register(identity="teams:aad-2", platform="teams", now=clock.now())
        await people.save_address(person, "teams", {"conversation": {"id": "a:1"}}, clock.now())
        await people.save_address(person, "teams", {"conversation": {"id": "a:2"}}, clock.now())
        await people.mark_unreachable(person.id or 0, "teams", "app uninstalled", clock.now())
    async with db.transaction() as session:
        address = await Repositories(session).people.address(person.id or 0, "teams")
    assert address is not None
    assert address.address == {"conversation": {"id": "a:2"}}
    assert (address.reachable, address.unreachable_reason) == (False, "app uninstalled")


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """Every SQL statement the database is sent meanwhile (an executemany counts once)."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def test_many_first_contacts_at_once_are_registered_with_one_insert(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        session.add(Person(platform="roster", email="p7@nhs.net", organisation="Leeds THT"))
        session.add(Person(platform="roster", email="p9@nhs.net", organisation="York THT"))
    arrivals = [
        Arrival(identity=f"slack:T1:U{n}", platform="slack", name=f"P{n}", email=f"P{n}@NHS.net" if n % 3 else None)
        for n in range(128)
    ]
    async with db.transaction() as session:
        with statements(db) as sent:
            registered = await Repositories(session).people.register_many(arrivals, now=clock.now())
    inserts = [s for s in sent if s.upper().startswith("INSERT INTO PERSON")]
    selects = [s for s in sent if s.upper().startswith("SELECT")]
    assert len(inserts) == 1 and len(selects) <= 2
    assert [(person.identity, first) for person, first in registered] == [(a.identity, True) for a in arrivals]
    assert len({person.id for person, _ in registered}) == 128 and all(person.id for person, _ in registered)
    by_identity = {person.identity: person for person, _ in registered}
    assert by_identity["slack:T1:U7"].organisation == "Leeds THT"  # the roster rows are claimed, not copied
    assert by_identity["slack:T1:U9"].organisation is None  # no email given (9 % 3 == 0): no roster match
    assert by_identity["slack:T1:U8"].email == "p8@nhs.net"


async def test_a_roster_row_is_claimed_once_when_two_newcomers_arrive_together_with_its_email(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        session.add(Person(platform="roster", email="sam@nhs.net", organisation="Leeds THT"))
    arrivals = [
        Arrival("slack:T1:U1", "slack", email="sam@nhs.net"),
        Arrival("teams:aad-1", "teams", email="sam@nhs.net"),
    ]
    async with db.transaction() as session:
        (slack, _), (teams, first) = await Repositories(session).people.register_many(arrivals, now=clock.now())
    assert (slack.identity, slack.organisation) == ("slack:T1:U1", "Leeds THT")
    assert first and teams.id != slack.id and teams.organisation is None
