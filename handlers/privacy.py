"""Your data: `privacy` (what is kept, who sees it, for how long), `my data` (a single-use download
link) and `forget me` (erase everything, after a yes). `export_record` builds the same record for
`leadwell users export`.

An export link is an unguessable random token; only its SHA-256 is stored, with whose data it gives,
an expiry and when it was used: it works once (`bot.export_link` serves it).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.context import Context, Services
from handlers.erasures import remember_erasure
from handlers.messages import Reply
from handlers.router import Router
from handlers.sealing import Sealer, SealError, open_payload
from storage.models import (
    CheckIn,
    ConversationAddress,
    Nudge,
    OutboxMessage,
    PendingInteraction,
    Person,
    RecentQuestion,
    Reflection,
    Schedule,
)
from storage.repositories import Repositories
from storage.repositories.personal_data import (
    ExportTokenRepository,
    InboxTest,
    audit_of,
    erase_person,
    remove_stubs,
    rows_of,
)

GROUP = "Your data"
FORGET = "privacy.forget"  # the pending kind of the `forget me` confirmation
EXPORT_LINK_TTL = timedelta(minutes=15)
routes = Router()


def privacy_text(services: Services) -> str:
    """What is kept, who can see it, for how long: in plain words, true to the code."""
    days = services.config.retention_days
    return "\n".join(
        [
            "What LeadWell keeps about you, and who can see it:",
            "",
            "• Who you are: your platform id, name and email as Slack or Teams tells us, your role, "
            "organisation, region and time zone.",
            "• Your check-in schedules and each check-in sent to you (sent, answered, skipped).",
            "• Your reflections and your notes on practices. They are encrypted before they are stored, "
            "and only you can read them. Managers and admins never see them; admins see only "
            "totals, and no figure about a group smaller than 5.",
            "• The practices offered to you and whether you tried them (for your progress and streaks).",
            "• Your last question, encrypted, for 30 minutes, so a short follow-up (“and for band 6s?”) is read "
            "with it.",
            "• Messages waiting to be sent to you, and a record of those sent (replies that repeat what you "
            "wrote are encrypted).",
            "",
            f"How long: reflections, notes on practices and delivery records are deleted after {days} days. "
            "Your profile, schedules, check-ins and practice history stay until you ask me to forget you.",
            "",
            "What you type in Slack or Teams also stays in that platform's own message history, under your "
            "organisation's rules for it; LeadWell cannot delete it there.",
            "",
            "Your rights: “my data” gives you everything kept about you as a file; "
            "“forget me” erases it all (an audit entry that says an erasure happened, without your name, stays).",
        ]
    )


@routes.command(
    r"(privacy|privacy notice|data protection|what do you (keep|store|know)( about me)?\??)",
    name="privacy",
    says=(
        "privacy",
        "privacy notice|policy",
        "data protection",
        "gdpr",
        "?what you keep|store|know|hold|record about me",
        "?what data you keep|store|hold|have",
        "?who see|read my reflections|data",
        # walked 2026-12-07: "who else can see my reflections" had been answered with board culture, "can my manager
        # read my reflections" with Freedom to Speak Up, "is this confidential" with Schwartz Rounds
        "?who|anyone|anybody|someone else see|read|access|view reflections|reflection|notes|data|checkins",
        "?manager|managers|boss|admin|admins|employer|trust|hr|team see|read|access|view reflections|reflection|notes|"
        "data|checkins",
        # "is this confidential", not "is it anonymous" after a question about speaking up (a third walk)
        "?this|chat|here|bot|leadwell confidential|private|secure|encrypted",
        "?who|anyone|anybody|someone see|read|access|view reflections|reflection|notes|checkins",
    ),
    summary="What I keep about you, who can see it, and for how long",
    examples=("privacy",),
    group=GROUP,
    keeps_pending=True,
)
async def show_privacy(ctx: Context, _match: re.Match[str]) -> Reply:
    return Reply(privacy_text(ctx.services))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@routes.command(
    r"(my data|export my data|download my data|get my data)",
    name="my data",
    says=(
        "my data",
        "download|export|copy data|everything|reflections",
        "?what you got|have on me",
        "copy my data",
    ),
    summary="Download everything I keep about you",
    examples=("my data",),
    group=GROUP,
)
async def my_data(ctx: Context, _match: re.Match[str]) -> Reply:
    base = ctx.services.config.public_url
    if not base:
        return Reply(
            "I can't make a download link here, because this LeadWell has no public address "
            "(LEADWELL_PUBLIC_URL is not set). An admin can give you your data by running "
            f"`leadwell users export {ctx.person.identity}`.",
            private=True,
        )
    token = secrets.token_urlsafe(32)
    expires = ctx.now + EXPORT_LINK_TTL
    await ExportTokenRepository(ctx.repos.session).issue(
        ctx.person_id, token_hash(token), now=ctx.now, expires_at=expires
    )
    await ctx.audit("data.export_link")
    minutes = int(EXPORT_LINK_TTL.total_seconds() // 60)
    return Reply(
        f"Here is your data, as one file: {base}/export/{token}\n"
        f"The link works once and for {minutes} minutes. It is only for you: please don't share it.",
        private=True,
    )


@routes.command(
    r"(forget me|delete my data|erase my data|delete me)",
    name="forget me",
    says=(
        "forget me",
        "delete|erase|remove|wipe|destroy data|everything|me|account|details",
        "delete|erase|remove|wipe all my data",
    ),
    summary="Erase everything I keep about you",
    examples=("forget me",),
    group=GROUP,
)
async def forget_me(ctx: Context, _match: re.Match[str]) -> Reply:
    return await ctx.confirm(
        FORGET,
        "This erases everything I keep about you: your reflections, notes, schedules, check-ins, practice "
        "history and messages waiting for you. It cannot be undone (“my data” first if you want a copy). "
        "Erase it all?",
    )


@routes.follow_up(FORGET, if_cancelled="Nothing was erased.")
async def forget_answered(ctx: Context, answer: str) -> Reply:
    if answer != "yes":
        return Reply("OK, nothing was erased.")
    sealer = ctx.services.sealer
    reference = erasure_reference(sealer, ctx.person.identity or "")
    mentions = sealed_inbox_test(sealer, ctx.person)
    await remember_erasure(ctx.repos, sealer, ctx.person.email, ctx.now)  # a roster re-import skips them
    counts = await erase_person(
        ctx.repos.session, ctx.person, reference=reference, inbox_mentions=mentions, keep_stub=True
    )
    await ctx.repos.audit.record(
        actor="self", action="person.erased", now=ctx.now, target=reference, detail={"rows": counts}
    )
    return Reply(
        "Done: everything I kept about you is erased. If you write to me again, I'll start afresh. "
        "(What you typed in this chat also stays in the platform's own history; I can't delete that.)",
        private=True,
    )


@routes.sweep
async def remove_erased(repos: Repositories, _services: Services, _now: datetime, limit: int) -> dict[str, int]:
    """Remove the emptied person rows `forget me` leaves until its reply is sent."""
    return {"erased_people_removed": await remove_stubs(repos.session, limit)}


def erasure_reference(sealer: Sealer | None, identity: str) -> str:
    """A keyed reference to an erased identity (the same identity gives the same reference under one secret)."""
    if sealer is None:
        return "erased"
    return f"erased:{sealer.reference(identity)}"


def inbox_test(person: Person) -> InboxTest:
    """Whether a kept (failed) inbox payload is this person's: it names each part of their platform id."""
    parts = [part for part in (person.identity or "").split(":")[1:] if part]

    def mentions(payload: dict[str, Any]) -> bool:
        text = json.dumps(payload)
        return bool(parts) and all(json.dumps(part) in text for part in parts)

    return mentions


def sealed_inbox_test(sealer: Sealer | None, person: Person) -> InboxTest:
    """`inbox_test` for payloads kept sealed: opened first (one that will not open is not theirs to judge)."""
    plain = inbox_test(person)

    def mentions(payload: dict[str, Any]) -> bool:
        try:
            return plain(open_payload(sealer, payload))
        except SealError:  # sealed with another secret, or none configured
            return False

    return mentions


def _plain(row: SQLModel, *, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    values = row.model_dump(exclude=set(leave_out))
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in values.items()}


def _opened(sealer: Sealer | None, sealed: str | None) -> str | None:
    if sealed is None:
        return None
    if sealer is None:
        return "[encrypted: no secret configured to open it]"
    try:
        return sealer.open(sealed)
    except SealError:
        return "[encrypted with another secret: it cannot be opened]"


def _opened_question(sealer: Sealer | None, payload: dict[str, Any]) -> str | None:
    try:
        return str(open_payload(sealer, payload).get("question") or "") or None  # the chain of follow-ups
    except SealError:
        return "[encrypted with another secret: it cannot be opened]"


async def export_record(session: AsyncSession, sealer: Sealer | None, person: Person, now: datetime) -> dict[str, Any]:
    """Everything kept about `person`, their reflections and notes opened: nothing about anyone else."""
    assert person.id is not None
    pid = person.id
    reflections = [
        {**_plain(r, leave_out=("body", "person_id")), "text": _opened(sealer, r.body)}
        for r in await rows_of(session, Reflection, pid)
    ]
    nudges = [
        {**_plain(n, leave_out=("note", "person_id")), "note": _opened(sealer, n.note)}
        for n in await rows_of(session, Nudge, pid)
    ]
    messages = [
        _plain(m, leave_out=("payload", "person_id", "lease_owner", "platform_ref", "dedupe_key"))
        for m in await rows_of(session, OutboxMessage, pid)
    ]
    profile_fields = ("identity", "platform", "name", "email", "role", "organisation", "region", "timezone")
    return {
        "exported_at": now.isoformat(),
        "about": "Everything LeadWell keeps about you. Reflections and notes are opened for you: keep this file safe.",
        "profile": {
            **{key: getattr(person, key) for key in profile_fields},
            "created_at": person.created_at.isoformat(),
            "last_seen_at": person.last_seen_at.isoformat() if person.last_seen_at else None,
        },
        "addresses": [_plain(a, leave_out=("person_id",)) for a in await rows_of(session, ConversationAddress, pid)],
        "schedules": [_plain(s, leave_out=("person_id",)) for s in await rows_of(session, Schedule, pid)],
        "checkins": [_plain(c, leave_out=("person_id",)) for c in await rows_of(session, CheckIn, pid)],
        "reflections": reflections,
        "nudges": nudges,
        "pending": [_plain(p, leave_out=("person_id",)) for p in await rows_of(session, PendingInteraction, pid)],
        # kept for FOLLOW_UP_WINDOW so a follow-up is read with it (handlers.follow_ups)
        "last_question": [
            {**_plain(q, leave_out=("question", "person_id")), "text": _opened_question(sealer, q.question)}
            for q in await rows_of(session, RecentQuestion, pid)
        ],
        "messages": messages,
        "audit": [_plain(a) for a in await audit_of(session, person.identity)],
    }
