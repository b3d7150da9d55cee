"""Who may do what is decided by the server: roles on actions, where roles came from, `role`, LEADWELL_ADMINS."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import select

from handlers.clock import ManualClock
from handlers.context import Services
from handlers.conversation import Conversation
from handlers.messages import Action, Form, FormField
from handlers.names import ActionId
from handlers.roles import sync_admins
from handlers.tokens import Signer, TokenRefused
from storage import Database
from storage.models import AuditEntry, Person
from storage.repositories import Repositories
from tests.support.chat import ChatDriver

ADMIN = "console:ada"
STAFF = "console:sam"


async def audits(db: Database, action: str | None = None) -> list[AuditEntry]:
    async with db.transaction() as session:
        entries = (await session.exec(select(AuditEntry).order_by(AuditEntry.id))).all()  # type: ignore[arg-type]
    # leaving out the terminal's --role that made the admin of these tests
    return [e for e in entries if (action is None or e.action == action) and e.actor != "cli:--role"]


async def person(db: Database, identity: str) -> Person:
    async with db.transaction() as session:
        found = await Repositories(session).people.by_identity(identity)
    assert found is not None
    return found


@pytest.fixture
async def admin(conversation: Conversation) -> ChatDriver:
    await conversation.ensure_person(ADMIN, "console", role="admin")
    chat = ChatDriver(conversation, ADMIN, name="Ada")
    await chat.say("hello")
    return chat


@pytest.fixture
async def staff(conversation: Conversation) -> ChatDriver:
    chat = ChatDriver(conversation, STAFF, name="Sam", email="sam@nhs.net")
    await chat.say("hello")
    return chat


# ---- roles on actions ---------------------------------------------------------------------------------


async def test_a_staff_person_pressing_an_admin_only_button_is_refused_audited_and_nothing_changes(
    staff: ChatDriver, admin: ChatDriver, db: Database
) -> None:
    replies = await staff.conversation.handle(
        staff.incoming(action=Action(ActionId.ROLE_SET, {"person": STAFF, "role": "admin"}))
    )
    assert [r.text for r in replies] == ["Sorry, that button is only for admins. Nothing was changed."]
    (refusal,) = await audits(db, "action.refused")
    assert (refusal.actor, refusal.target, refusal.outcome) == (STAFF, ActionId.ROLE_SET, "refused")
    assert (await person(db, STAFF)).role == "staff"
    assert await audits(db, "role.set") == []


async def test_a_button_the_adapter_could_not_open_is_a_polite_refusal_with_help_and_audited(
    staff: ChatDriver, db: Database
) -> None:
    expired = await staff.conversation.handle(
        staff.incoming(action=Action(ActionId.BUTTON_REFUSED, {"reason": "expired"}))
    )
    assert expired[0].text.startswith("That button has expired, so nothing was changed. Here is what I can do:")
    forged = await staff.conversation.handle(staff.incoming(action=Action(ActionId.BUTTON_REFUSED, {"reason": "?"})))
    assert forged[0].text.startswith("I couldn't check that button, so nothing was changed.")
    assert [e.detail for e in await audits(db, "action.refused")] == [{"reason": "expired"}, {"reason": "invalid"}]


def test_an_action_declares_its_roles_and_an_including_router_keeps_them() -> None:
    from handlers import build_router

    router = build_router()
    assert router.action_roles[ActionId.ROLE_SET] == frozenset({"admin"})
    assert router.action_allowed(ActionId.ROLE_SET, "admin") and not router.action_allowed(ActionId.ROLE_SET, "staff")
    assert router.action_allowed(ActionId.NUDGE_DONE, "staff")  # no roles declared: anyone


# ---- tokens -------------------------------------------------------------------------------------------


def test_tokens_seal_action_value_and_form_and_refuse_forged_tampered_foreign_and_expired_ones() -> None:
    now = [1_800_000_000.0]
    signer = Signer("a test secret for button tokens", ttl=timedelta(days=14), now=lambda: now[0])
    form = Form("Set a role", (FormField("role", "Role", kind="select", options=("staff", "admin")),), "role.set",
                context={"person": "console:sam"})  # fmt: skip
    token = signer.sign("form.submit", {}, form)
    opened = signer.open(token)
    assert opened.action == Action("form.submit", {}) and opened.form == form
    assert "console:sam" not in token  # sealed, not only signed: the client cannot read the ids either
    for bad in ("", "not a token", token[:-6] + "AAAAAA", 7, "é" * 10, "x" * 30_000):
        with pytest.raises(TokenRefused) as refused:
            signer.open(bad)
        assert refused.value.reason == "invalid"
    with pytest.raises(TokenRefused, match="invalid"):
        Signer("another secret, another server!").open(token)
    now[0] += timedelta(days=14, seconds=1).total_seconds()
    with pytest.raises(TokenRefused, match="expired"):
        signer.open(token)


def test_every_button_and_form_token_fits_slacks_limits() -> None:
    from handlers.reflections import reflection_form
    from handlers.roles import role_form

    signer = Signer("a test secret for button tokens")
    long_question = "What went well on the ward this week, and what would you try differently next time? " * 3
    for form in (reflection_form(2**31, long_question), role_form()):
        assert len(signer.sign("form.open", {}, form)) < 2000  # a Slack button value
        assert len(signer.sign("form.submit", {}, form)) < 3000  # a modal's private_metadata
    assert len(signer.sign(ActionId.PENDING_ANSWER, {"answer": "yes", "kind": "checkin.reflection"})) < 250


# ---- the role command ---------------------------------------------------------------------------------


async def test_an_admin_sets_a_role_by_identity_or_email_audited_under_their_identity(
    admin: ChatDriver, staff: ChatDriver, db: Database
) -> None:
    await admin.say(f"role {STAFF} manager")
    assert admin.text == "Done: console:sam is now a manager (was staff)."
    sam = await person(db, STAFF)
    assert (sam.role, sam.role_source) == ("manager", "chat")
    await admin.press("Undo (make staff again)")
    assert (await person(db, STAFF)).role == "staff"
    await admin.say("role SAM@nhs.net admin")
    assert (await person(db, STAFF)).role == "admin"
    changes = [(e.actor, e.target, e.detail["from"], e.detail["to"]) for e in await audits(db, "role.set")]
    assert changes == [
        (ADMIN, STAFF, "staff", "manager"),
        (ADMIN, STAFF, "manager", "staff"),
        (ADMIN, STAFF, "staff", "admin"),
    ]


async def test_role_refuses_staff_unknown_people_and_taking_away_your_own_admin_role(
    admin: ChatDriver, staff: ChatDriver, db: Database
) -> None:
    await staff.say(f"role {ADMIN} staff")
    assert staff.text == "Sorry, 'role' is only for admins."
    await admin.say("role nobody@nhs.net manager")
    assert admin.text.startswith("I don't know anyone as nobody@nhs.net yet.")
    await admin.say(f"role {ADMIN} staff")
    assert admin.text.startswith("You can't take away your own admin role")
    assert (await person(db, ADMIN)).role == "admin"
    assert [e.outcome for e in await audits(db)] == ["refused", "not_found", "refused"]


async def test_the_role_form_submitted_sets_the_role(admin: ChatDriver, staff: ChatDriver, db: Database) -> None:
    (shown,) = await admin.say("role")
    assert shown.form is not None and shown.form.submit_action == ActionId.ROLE_SET
    await admin.conversation.handle(admin.incoming(action=Action(ActionId.ROLE_SET, {"person": STAFF,
                                                                                      "role": "manager"})))  # fmt: skip
    assert (await person(db, STAFF)).role == "manager"
    bad = await admin.conversation.handle(admin.incoming(action=Action(ActionId.ROLE_SET, {"role": "emperor"})))
    assert bad[0].text.startswith("Please give a person and one of the roles")


# ---- LEADWELL_ADMINS ----------------------------------------------------------------------------------


async def test_an_admin_listed_by_email_is_admin_on_first_contact_from_the_settings_and_audited(
    db: Database, services: Services
) -> None:
    listed = replace(services, config=replace(services.config, admins=frozenset({"priya@nhs.net"})))
    chat = ChatDriver(Conversation(db, __import__("handlers").build_router(), listed), "slack:T1:U9",
                      platform="slack", email="Priya@NHS.net")  # fmt: skip
    await chat.say("hello")
    priya = await person(db, "slack:T1:U9")
    assert (priya.role, priya.role_source) == ("admin", "settings")
    (entry,) = await audits(db, "role.set")
    assert (entry.actor, entry.target, entry.detail["to"]) == ("settings:LEADWELL_ADMINS", "slack:T1:U9", "admin")


async def test_the_admin_sync_promotes_and_demotes_only_roles_that_came_from_the_settings(
    db: Database, clock: ManualClock
) -> None:
    rows = [  # identity, email, role, source
        ("slack:T1:NEW", None, "staff", "default"),  # listed: promoted
        ("slack:T1:MAIL", "mail@nhs.net", "staff", "default"),  # listed by email: promoted
        ("slack:T1:GONE", None, "admin", "settings"),  # no longer listed: back to staff
        ("slack:T1:LEGACY", None, "admin", "default"),  # an admin from before sources were recorded: too
        ("slack:T1:CHOSEN", None, "manager", "chat"),  # listed, but an admin chose their role: left alone
        ("slack:T1:KEPT", None, "admin", "chat"),  # not listed, admin from chat: left alone
        ("slack:T1:ROSTER", None, "manager", "roster"),  # not listed: left alone
    ]
    async with db.transaction() as session:
        for identity, email, role, source in rows:
            session.add(Person(identity=identity, platform="slack", email=email, role=role, role_source=source))
    admins = frozenset({"slack:T1:NEW", "mail@nhs.net", "slack:T1:CHOSEN"})
    async with db.transaction() as session:
        changes = await sync_admins(Repositories(session), admins, clock.now())
    assert {(c.person.identity, c.before, c.after) for c in changes} == {
        ("slack:T1:NEW", "staff", "admin"),
        ("slack:T1:MAIL", "staff", "admin"),
        ("slack:T1:GONE", "admin", "staff"),
        ("slack:T1:LEGACY", "admin", "staff"),
    }
    roles = {identity: ((p := await person(db, identity)).role, p.role_source) for identity, *_ in rows}
    assert roles == {
        "slack:T1:NEW": ("admin", "settings"),
        "slack:T1:MAIL": ("admin", "settings"),
        "slack:T1:GONE": ("staff", "default"),
        "slack:T1:LEGACY": ("staff", "default"),
        "slack:T1:CHOSEN": ("manager", "chat"),
        "slack:T1:KEPT": ("admin", "chat"),
        "slack:T1:ROSTER": ("manager", "roster"),
    }
    entries = await audits(db, "role.set")
    assert sorted(e.target or "" for e in entries) == [
        "slack:T1:GONE",
        "slack:T1:LEGACY",
        "slack:T1:MAIL",
        "slack:T1:NEW",
    ]
    assert {e.actor for e in entries} == {"settings:LEADWELL_ADMINS"}
    async with db.transaction() as session:  # a second start-up changes nothing
        assert await sync_admins(Repositories(session), admins, clock.now()) == []
