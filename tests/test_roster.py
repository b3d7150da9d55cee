"""The roster as the database keeps it: people created and updated, roles by who set them, the erasure list,
first contact claiming an imported row (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.roster import ImportSummary, import_roster
from handlers.clock import ManualClock
from handlers.context import Services
from handlers.conversation import Conversation
from storage import Database
from storage.models import AuditEntry, ConversationAddress, ErasedEmail, KeptValue, Person
from storage.repositories import Repositories
from tests.support.chat import ChatDriver

HEADER = "email,name,role,organisation,region,timezone,slack_id,teams_id\n"


async def run_import(db: Database, services: Services, tmp_path: Path, text: str, **options: object) -> ImportSummary:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    assert services.sealer is not None
    return await import_roster(db, services.sealer, path, actor="cli:ops", clock=services.clock, **options)  # type: ignore[arg-type]


async def rows_of(session: AsyncSession, model: type[SQLModel]) -> list[SQLModel]:
    return list((await session.exec(select(model))).all())


async def everyone(db: Database) -> dict[str, Person]:
    async with db.transaction() as session:
        people = (await session.exec(select(Person))).all()
    return {p.identity or p.email or "": p for p in people}


async def audit(db: Database, *actions: str) -> list[AuditEntry]:
    async with db.transaction() as session:
        entries = (await session.exec(select(AuditEntry).order_by(AuditEntry.id))).all()  # type: ignore[arg-type]
    return [e for e in entries if e.action in actions]


async def test_an_import_creates_people_and_a_second_run_changes_nothing(
    db: Database, services: Services, tmp_path: Path
) -> None:
    roster = HEADER + (
        "Jo.Bloggs@NHS.net,Jo Bloggs,manager,Leeds THT,NE&Y,London,T0LEAD:U0JO,\n"
        "sam@nhs.net,Sam Jones,,York THT,NE&Y,Europe/Dublin,,0F8FAD5B-D9CB-469F-A165-70867728950E\n"
        'kim@nhs.net,"Kim, K",admin,"Org, with a comma",,,,\n'
    )
    first = await run_import(db, services, tmp_path, roster)
    assert (first.created, first.updated, first.unchanged, first.bad) == (3, 0, 0, [])

    people = await everyone(db)
    jo = people["slack:T0LEAD:U0JO"]
    assert (jo.email, jo.name, jo.role, jo.role_source, jo.timezone) == (
        "jo.bloggs@nhs.net", "Jo Bloggs", "manager", "roster", "Europe/London"
    )  # fmt: skip
    sam = people["teams:0f8fad5b-d9cb-469f-a165-70867728950e"]
    assert (sam.role, sam.role_source, sam.timezone) == ("staff", "default", "Europe/Dublin")
    kim = people["kim@nhs.net"]
    assert (kim.identity, kim.platform, kim.name, kim.organisation) == (None, "roster", "Kim, K", "Org, with a comma")
    async with db.transaction() as session:
        addresses = (await session.exec(select(ConversationAddress))).all()
    assert [(a.person_id, a.platform, a.address) for a in addresses] == [
        (jo.id, "slack", {"team": "T0LEAD", "user": "U0JO"})
    ]  # Slack takes a post to the user id; Teams needs the app installed first

    again = await run_import(db, services, tmp_path, roster)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert await everyone(db) == people
    runs = await audit(db, "roster.imported")
    assert [r.detail["created"] for r in runs] == [3, 0] and [r.detail["unchanged"] for r in runs] == [0, 3]


async def test_changes_are_applied_and_audited_by_field_and_roles_keep_who_set_them(
    db: Database, services: Services, tmp_path: Path, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        people = Repositories(session).people
        chosen, _ = await people.register(
            identity="slack:T1:U1", platform="slack", now=clock.now(), email="ann@nhs.net"
        )
        await people.set_role(chosen, "admin", "chat")  # an admin chose it in chat
        await people.register(identity="teams:aad-2", platform="teams", now=clock.now(), email="bo@nhs.net")
    summary = await run_import(
        db, services, tmp_path,
        HEADER + "ann@nhs.net,Ann,staff,Leeds THT,,,,\nbo@nhs.net,Bo,manager,Leeds THT,NE&Y,Asia/Tokyo,,\n",
    )  # fmt: skip
    assert (summary.created, summary.updated, summary.roles_kept) == (0, 2, 1)
    people = await everyone(db)
    assert (people["slack:T1:U1"].role, people["slack:T1:U1"].organisation) == ("admin", "Leeds THT")
    bo = people["teams:aad-2"]
    assert (bo.role, bo.role_source, bo.region) == ("manager", "roster", "NE&Y")
    assert bo.timezone == "Europe/London"  # they have written to the bot: their own zone stays

    updated = {e.target: e.detail["fields"] for e in await audit(db, "roster.updated")}
    assert updated == {"slack:T1:U1": ["name", "organisation"], "teams:aad-2": ["name", "organisation", "region",
                                                                                "role", "role_source"]}  # fmt: skip
    [role] = await audit(db, "role.set")
    assert (role.actor, role.target, role.detail) == (
        "cli:ops", "teams:aad-2", {"from": "staff", "to": "manager", "source": "roster"}
    )  # fmt: skip
    assert "Leeds" not in json.dumps([e.detail for e in await audit(db, "roster.updated")])  # fields, not values


async def test_bad_lines_are_reported_by_number_and_the_good_ones_land(
    db: Database, services: Services, tmp_path: Path
) -> None:
    roster = HEADER + (
        "ok1@nhs.net,One,,,,,,\n"
        "not-an-email,Two,,,,,,\n"
        ",Three,,,,,,\n"
        "ok4@nhs.net,Four,boss,,,Mars/Olympus,,\n"
        "\n"
        "OK1@nhs.net,One again,,,,,,\n"
        "ok7@nhs.net,Seven\n"
        f"ok8@nhs.net,{'x' * 201},,,,,,\n"
        'ok9@nhs.net,"Nine, on\ntwo lines",,,,,U0NINE,\n'
        "ok10@nhs.net,Ten,,,,,,\n"
    )
    summary = await run_import(db, services, tmp_path, roster)
    problems = {bad.line: bad.problem for bad in summary.bad}
    assert sorted(problems) == [3, 4, 5, 7, 8, 9, 10]
    assert "not an email address; write it like jo.bloggs@nhs.net" in problems[3]
    assert "has no email" in problems[4]
    assert "role 'boss' is not one I know; use staff, manager or admin" in problems[5]
    assert "time zone 'Mars/Olympus' is not one I know" in problems[5]
    assert problems[7] == "ok1@nhs.net is also on line 2; keep one line per person"
    assert "has 2 cells but the first line names 8 columns" in problems[8]
    assert "name is 201 characters, at most 200 fit" in problems[9]
    assert "write it as T0123ABCD:U0123ABCD or pass --slack-team" in problems[10]
    assert sorted(p.email or "" for p in (await everyone(db)).values()) == ["ok10@nhs.net", "ok1@nhs.net"]

    with_team = await run_import(db, services, tmp_path, roster, slack_team="T0LEAD")
    assert 10 not in {bad.line for bad in with_team.bad} and with_team.created == 1
    assert "slack:T0LEAD:U0NINE" in await everyone(db)


async def test_someone_who_asked_to_be_forgotten_is_skipped_until_an_admin_re_adds_them(
    db: Database, services: Services, conversation: Conversation, tmp_path: Path
) -> None:
    roster = HEADER + "sam@nhs.net,Sam,,Leeds THT,,,,\nkim@nhs.net,Kim,,,,,,\n"
    await run_import(db, services, tmp_path, roster)
    sam = ChatDriver(conversation, "slack:T1:U1", platform="slack", email="Sam@nhs.net")
    await sam.say("hello")
    assert (await everyone(db))["slack:T1:U1"].organisation == "Leeds THT"  # first contact claimed the row
    await sam.say("forget me")
    await sam.press("Yes")

    created = [e for e in await audit(db, "roster.created") if e.detail["line"] == 2]
    assert len(created) == 1 and created[0].target and created[0].target.startswith("erased:")  # no email left

    again = await run_import(db, services, tmp_path, roster)
    assert (again.created, again.unchanged, again.erased) == (0, 1, 1)
    assert "sam@nhs.net" not in {p.email for p in (await everyone(db)).values()}
    async with db.transaction() as session:
        kept = [row.model_dump_json() for model in (ErasedEmail, KeptValue) for row in await rows_of(session, model)]
    assert len(kept) == 2 and not any("sam" in row.lower() or "@" in row for row in kept)  # a keyed hash, no email

    back = await run_import(db, services, tmp_path, roster, re_add=frozenset({"SAM@nhs.net "}))
    assert (back.created, back.re_added, back.erased) == (1, 1, 0)
    assert [e.target for e in await audit(db, "roster.re_added")] == ["sam@nhs.net"]
    async with db.transaction() as session:
        assert (await session.exec(select(ErasedEmail))).all() == []
    later = await run_import(db, services, tmp_path, roster)
    assert (later.unchanged, later.erased) == (2, 0)  # off the list for good, until they ask again


async def test_a_first_contact_on_slack_or_teams_claims_the_imported_row_by_email(
    db: Database, services: Services, tmp_path: Path, clock: ManualClock
) -> None:
    await run_import(db, services, tmp_path, HEADER + "ann@nhs.net,Ann,manager,Leeds THT,NE&Y,,,\n")
    async with db.transaction() as session:
        person, first = await Repositories(session).people.register(
            identity="teams:aad-9", platform="teams", now=clock.now(), email="ANN@nhs.net", name="Ann from Teams"
        )
    assert first and (person.name, person.role, person.role_source, person.organisation) == (
        "Ann", "manager", "roster", "Leeds THT"
    )  # fmt: skip
    assert len(await everyone(db)) == 1


async def test_a_platform_id_already_used_by_someone_with_another_email_is_a_bad_line(
    db: Database, services: Services, tmp_path: Path, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        await Repositories(session).people.register(
            identity="slack:T0LEAD:U0REAL", platform="slack", now=clock.now(), email="real@nhs.net"
        )
    summary = await run_import(db, services, tmp_path, HEADER + "typo@nhs.net,,,,,,T0LEAD:U0REAL,\n")
    [bad] = summary.bad
    assert bad.line == 2 and "slack:T0LEAD:U0REAL is already someone with another email (real@nhs.net)" in bad.problem
