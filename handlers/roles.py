"""Roles: admins set a person's role in chat (`role PERSON manager|staff|admin`), LEADWELL_ADMINS is synced.

Every role records where it came from (`RoleSource`): LEADWELL_ADMINS promotes and demotes only
the roles that came from it (or nobody chose), never one an admin set in chat or a roster gave.
Every change is audited: in chat under the admin's identity, from the settings as
`settings:LEADWELL_ADMINS`.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from handlers.context import Context
from handlers.messages import Button, Form, FormField, Reply
from handlers.names import ActionId, RoleSource
from handlers.router import Router
from storage.models.people import ROLES
from storage.repositories import Repositories
from storage.repositories.people import RoleChange

log = logging.getLogger(__name__)
GROUP = "Admin"
SETTINGS_ACTOR = "settings:LEADWELL_ADMINS"
ACTORS = {RoleSource.SETTINGS: SETTINGS_ACTOR, RoleSource.CHAT: "cli:--role", RoleSource.DEFAULT: SETTINGS_ACTOR}
routes = Router()


def role_form() -> Form:
    return Form(
        title="Set a role",
        fields=(
            FormField("person", "Person", hint="An identity (slack:T…:U…, teams:…, console:…) or an email."),
            FormField("role", "Role", kind="select", options=ROLES),
        ),
        submit_action=ActionId.ROLE_SET,
        submit_label="Set role",
    )


@routes.command(
    r"role (?P<who>\S+) (?P<role>staff|manager|admin)",
    name="role",
    summary="Set a person's role (admins)",
    examples=("role jo.bloggs@nhs.net manager",),
    group=GROUP,
    roles=("admin",),
)
async def set_role_command(ctx: Context, match: re.Match[str]) -> Reply:
    return await set_role(ctx, match["who"], match["role"].lower())


@routes.command(
    r"roles?",
    name="role form",
    group=GROUP,
    roles=("admin",),
    says=("~role|roles staff|manager|admin",),  # the role words, so "role jo@nhs.net managr" is mended
    runs="role",
)
async def role_form_command(ctx: Context, _match: re.Match[str]) -> Reply:
    return Reply("Whose role should I set?", form=role_form())


@routes.action(ActionId.ROLE_SET, roles=("admin",))
async def set_role_action(ctx: Context) -> Reply:
    """The `role` form submitted, or an Undo pressed (its value was sealed by the server)."""
    value = ctx.incoming.action.value if ctx.incoming.action is not None else {}
    who, role = value.get("person"), value.get("role")
    if not isinstance(who, str) or not who.strip() or role not in ROLES:
        return Reply("Please give a person and one of the roles staff, manager or admin.")
    return await set_role(ctx, who.strip(), str(role))


async def set_role(ctx: Context, who: str, role: str) -> Reply:
    """Give the person named `who` (identity or email) `role`; audited under the admin's identity."""
    found = await ctx.repos.people.find(who)
    if not found:
        await ctx.audit("role.set", target=who[:200], outcome="not_found", detail={"role": role})
        return Reply(f"I don't know anyone as {who} yet. They need to have written to me, or be on the roster.")
    if len(found) > 1:
        await ctx.audit("role.set", target=who[:200], outcome="ambiguous", detail={"role": role})
        return Reply(f"More than one person has {who}; please name them by their identity (slack:…, teams:…).")
    (person,) = found
    if person.id == ctx.person_id and role != "admin":
        await ctx.audit("role.set", target=who[:200], outcome="refused", detail={"role": role, "reason": "self"})
        return Reply("You can't take away your own admin role; please ask another admin.")
    before = person.role
    await ctx.repos.people.set_role(person, role, RoleSource.CHAT)
    target = person.identity or person.email or f"person:{person.id}"
    await ctx.audit("role.set", target=target, detail={"from": before, "to": role, "source": RoleSource.CHAT})
    if before == role:
        return Reply(f"{who} is already {_a(role)}; their role is now kept as set in chat.")
    undo = Button(f"Undo (make {before} again)", ActionId.ROLE_SET, {"person": target, "role": before})
    return Reply(f"Done: {who} is now {_a(role)} (was {before}).", buttons=(undo,))


async def sync_admins(repos: Repositories, admins: frozenset[str], now: datetime) -> list[RoleChange]:
    """Bring roles in line with LEADWELL_ADMINS at start-up (identities, or emails in lower case).

    Listed people become admins (source: settings) unless an admin or a roster chose their role;
    admins whose role came from the settings (or from nobody) and who are no longer listed go
    back to staff. Each change is audited; the changes are returned.
    """
    identities = {a for a in admins if "@" not in a}
    emails = {a for a in admins if "@" in a}
    settable = (RoleSource.SETTINGS, RoleSource.DEFAULT)
    changes: list[RoleChange] = []
    for person in await repos.people.listed_or_settings_sourced(identities, emails):
        listed = person.identity in identities or (person.email or "") in emails
        change = None
        if listed and person.role_source in settable:
            change = await repos.people.set_role(person, "admin", RoleSource.SETTINGS)
        elif not listed and person.role == "admin" and person.role_source in settable:
            change = await repos.people.set_role(person, "staff", RoleSource.DEFAULT)
        elif listed and person.role != "admin":
            log.warning("person %s is in LEADWELL_ADMINS but their role was set by %s; left as %s",
                        person.id, person.role_source, person.role)  # fmt: skip
        if change is not None:
            changes.append(change)
    repos.people.role_changes.extend(changes)
    await audit_role_changes(repos, now)
    return changes


async def audit_role_changes(repos: Repositories, now: datetime) -> None:
    """Audit the role changes the people repository made (registration, sync), then forget them."""
    for change in repos.people.role_changes:
        person = change.person
        await repos.audit.record(
            actor=ACTORS.get(RoleSource(change.source), SETTINGS_ACTOR),
            action="role.set",
            now=now,
            target=person.identity or person.email or f"person:{person.id}",
            detail={"from": change.before, "to": change.after, "source": change.source},
        )
    repos.people.role_changes.clear()


def _a(role: str) -> str:
    return f"an {role}" if role[0] in "aeiou" else f"a {role}"
