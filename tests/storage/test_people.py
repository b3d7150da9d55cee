"""People: registered on first contact, matched to an imported roster by email, kept apart by platform."""

from __future__ import annotations

from handlers.clock import ManualClock
from storage import Database
from storage.models import Person
from storage.repositories import Repositories


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
