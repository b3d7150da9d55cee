"""Announcements: who an audience is, how many can be reached, the fan-out in chunks, the delivery report,
and retry, cancel, correct and recall of what was queued or delivered.

Deliveries are outbox rows (purpose "announcement", reference "announcement:<id>", dedupe key
"announce:<id>:<person>"), so an announcement is delivered once, at the shared pace, by any replica's
sender. Corrections and recalls are outbox rows too, on a platform of their own ("slack:edit"), since each
platform paces updates and deletes separately from posts (Slack's `chat.update` is Tier 3).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, or_, update
from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxMessage
from storage.models.announcements import Announcement
from storage.models.people import ConversationAddress, Person
from storage.repositories.outbox import OutboxRepository

PURPOSE = "announcement"
EDIT_PURPOSE = "announcement-edit"
AUDIENCE_KINDS = ("everyone", "managers", "staff")
FAN_OUT_CHUNK = 1000  # recipients written per transaction
EVERYONE = {"kind": "everyone"}
REPEAT_LOOKBACK = 50  # the latest announcements compared with a new one for a repeat
# A failure that means the person has gone: marked, counted, and not retried.
GONE_ERRORS = (
    "user_not_found",
    "account_inactive",
    "user_disabled",
    "unreachable",
    "app is not installed",
    "teams 403",
)
NEVER_OPENED = "never opened the app"  # why someone cannot be reached yet
LEFT = "left"  # … or any more: their account was closed or the app removed


def reference(announcement_id: int) -> str:
    return f"announcement:{announcement_id}"


@dataclass
class Reach:
    """How an audience can be reached: people per platform, and those who cannot be yet, with why."""

    reachable: Counter[str] = field(default_factory=Counter)
    unreachable: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.reachable.values()) + sum(self.unreachable.values())

    @property
    def reachable_total(self) -> int:
        return sum(self.reachable.values())


@dataclass
class Report:
    """Where an announcement's deliveries stand."""

    sent: int = 0
    pending: int = 0
    failed: int = 0
    left: int = 0  # failed because the person has gone (not retried)
    cancelled: int = 0
    unreachable: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    edits_pending: int = 0
    edits_done: int = 0
    edits_failed: int = 0


def _why_not(identity: str | None, platform: str, address_state: bool | None) -> str | None:
    """Why a person cannot be reached (NEVER_OPENED or LEFT), None when they can."""
    if identity is None:
        return NEVER_OPENED  # on the roster, never seen on any platform
    if address_state is False:
        return LEFT
    if platform == "teams" and address_state is None:
        return NEVER_OPENED  # Teams needs the installation's conversation reference
    return None


def local_due(local_time: str, zone: str, now: datetime) -> datetime:
    """The next `local_time` ("09:00") in `zone` at or after `now`, in UTC."""
    try:
        tz = ZoneInfo(zone)
    except (KeyError, ValueError):
        tz = ZoneInfo("Europe/London")
    hour, minute = (int(part) for part in local_time.split(":"))
    here = now.astimezone(tz)
    due = datetime.combine(here.date(), time(hour, minute), tzinfo=tz)
    if due < here:
        due += timedelta(days=1)
    return due.astimezone(now.tzinfo)


class AnnouncementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(self, *, author_id: int | None, body: str, now: datetime) -> Announcement:
        title = body.strip().splitlines()[0][:200] if body.strip() else "(empty)"
        announcement = Announcement(author_id=author_id, title=title, body=body, created_at=now)
        self.session.add(announcement)
        await self.session.flush()
        return announcement

    async def get(self, announcement_id: int) -> Announcement | None:
        return await self.session.get(Announcement, announcement_id)

    def save(self, announcement: Announcement) -> None:
        self.session.add(announcement)

    async def recent(self, limit: int = 10) -> list[Announcement]:
        result = await self.session.exec(
            select(Announcement).where(Announcement.state != "draft").order_by(col(Announcement.id).desc()).limit(limit)
        )
        return list(result.all())

    async def repeat_of(self, draft: Announcement, since: datetime) -> Announcement | None:
        """The latest other announcement with the same text to some of the same people, confirmed (or awaiting
        approval) since `since` and not cancelled or recalled: sending `draft` would reach them with it again."""
        result = await self.session.exec(
            select(Announcement)
            .where(
                col(Announcement.id) != draft.id,
                col(Announcement.state).not_in(("draft", "cancelled", "recalled")),
                col(Announcement.created_at) >= since,
            )
            .order_by(col(Announcement.id).desc())
            .limit(REPEAT_LOOKBACK)
        )
        same = _same_text(draft.body)
        return next(
            (a for a in result.all() if _overlap(a.audience, draft.audience) and _same_text(a.body) == same), None
        )

    def _audience(self, audience: dict[str, Any]) -> ColumnElement[bool]:
        clauses: list[ColumnElement[bool]] = [col(Person.platform) != "web"]
        kind = audience.get("kind", "everyone")
        if kind in ("managers", "staff"):
            clauses.append(col(Person.role) == ("manager" if kind == "managers" else "staff"))
        if audience.get("organisations"):
            wanted = [str(o).casefold() for o in audience["organisations"]]
            clauses.append(func.lower(col(Person.organisation)).in_(wanted))
        if audience.get("regions"):
            wanted = [str(r).casefold() for r in audience["regions"]]
            clauses.append(func.lower(col(Person.region)).in_(wanted))
        if audience.get("emails") is not None:
            clauses.append(func.lower(col(Person.email)).in_([str(e).casefold() for e in audience["emails"]]))
        return and_(*clauses)

    def _people(self, audience: dict[str, Any]) -> Any:
        address = and_(
            col(ConversationAddress.person_id) == col(Person.id),
            col(ConversationAddress.platform) == col(Person.platform),
        )
        return (
            select_columns(
                col(Person.id),
                col(Person.identity),
                col(Person.platform),
                col(Person.timezone),
                col(ConversationAddress.reachable),
            )
            .select_from(Person)
            .outerjoin(ConversationAddress, address)
            .where(self._audience(audience))
        )

    async def reach(self, audience: dict[str, Any]) -> Reach:
        """How many of `audience` each platform can reach now, and how many cannot be reached, by reason."""
        reach = Reach()
        for _id, identity, platform, _zone, state in (await self.session.exec(self._people(audience))).all():
            why = _why_not(identity, platform, state)
            if why is None:
                reach.reachable[platform] += 1
            else:
                reach.unreachable[why] += 1
        return reach

    async def fan_out(self, announcement: Announcement, now: datetime, chunk: int = FAN_OUT_CHUNK) -> int:
        """Write the next `chunk` recipients' outbox rows (people after the cursor, by id); returns how many
        people it went through. When fewer than `chunk` were left, the announcement is all written: sending."""
        query = self._people(announcement.audience).where(col(Person.id) > announcement.fanned_out_to)
        rows = (await self.session.exec(query.order_by(col(Person.id)).limit(chunk))).all()
        payload = {"text": announcement.body, "markdown": True}
        messages = []
        for person_id, identity, platform, zone, state in rows:
            if _why_not(identity, platform, state) is not None:
                announcement.unreachable_count += 1
                continue
            due = local_due(announcement.local_time, zone, now) if announcement.local_time else None
            messages.append({
                "dedupe_key": f"announce:{announcement.id}:{person_id}",
                "purpose": PURPOSE,
                "reference": reference(announcement.id or 0),
                "person_id": person_id,
                "platform": platform,
                "payload": payload,
                "due_at": due or max(announcement.send_at or now, now),
            })  # fmt: skip
        await OutboxRepository(self.session).enqueue_many(messages, now=now)
        if rows:
            announcement.fanned_out_to = max(row[0] for row in rows)
        if len(rows) < chunk:
            announcement.state = "sending"
        self.session.add(announcement)
        return len(rows)

    async def fanning_out(self, limit: int = 5) -> list[Announcement]:
        """Confirmed announcements whose outbox rows are still being written, locked for this transaction: a
        replica fanning one out holds it, and another skips it (PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite
        runs one writer at a time), so the cursor and the counts move once per chunk."""
        result = await self.session.exec(
            select(Announcement)
            .where(Announcement.state == "confirmed")
            .order_by(col(Announcement.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(result.all())

    def _rows(self, announcement_id: int, purpose: str = PURPOSE) -> ColumnElement[bool]:
        return and_(col(OutboxMessage.purpose) == purpose, col(OutboxMessage.reference) == reference(announcement_id))

    async def report(self, announcement: Announcement) -> Report:
        report = Report(unreachable=announcement.unreachable_count)
        query = select(OutboxMessage.state, OutboxMessage.last_error, func.count()).where(
            self._rows(announcement.id or 0)
        )
        for state, error, count in (
            await self.session.exec(query.group_by(col(OutboxMessage.state), col(OutboxMessage.last_error)))
        ).all():
            if state == "sent":
                report.sent += count
            elif state in ("pending", "leased"):
                report.pending += count
            elif state == "cancelled":
                report.cancelled += count
            elif state == "failed":
                if has_left(error):
                    report.left += count
                else:
                    report.failed += count
                report.reasons[error or "unknown"] += count
        edits = select(OutboxMessage.state, func.count()).where(self._rows(announcement.id or 0, EDIT_PURPOSE))
        for state, count in (await self.session.exec(edits.group_by(col(OutboxMessage.state)))).all():
            if state == "sent":
                report.edits_done += count
            elif state == "failed":
                report.edits_failed += count
            elif state in ("pending", "leased"):
                report.edits_pending += count
        return report

    async def failures(self, announcement_id: int) -> list[tuple[str, str, str]]:
        """(email or identity, platform, reason) of each failed delivery, for the CSV of failures."""
        query = (
            select(Person.email, Person.identity, OutboxMessage.platform, OutboxMessage.last_error)
            .join(Person, col(Person.id) == col(OutboxMessage.person_id))
            .where(self._rows(announcement_id), col(OutboxMessage.state) == "failed")
            .order_by(col(OutboxMessage.id))
        )
        return [
            (email or identity or "", platform, error or "")
            for email, identity, platform, error in (await self.session.exec(query)).all()
        ]

    async def retry_failed(self, announcement_id: int, now: datetime) -> int:
        """Send again the deliveries that failed for a reason retrying may cure (not those who left)."""
        gone = or_(*(col(OutboxMessage.last_error).contains(word) for word in GONE_ERRORS))
        statement = (
            update(OutboxMessage)
            .where(self._rows(announcement_id), col(OutboxMessage.state) == "failed", ~gone)
            .values(state="pending", attempts=0, due_at=now, lease_owner=None, lease_until=None)
        )
        return await self._count(statement)

    async def _count(self, statement: Any) -> int:
        """Run an UPDATE; how many rows it changed."""
        connection = await self.session.connection()
        return int((await connection.execute(statement)).rowcount or 0)

    async def cancel(self, announcement: Announcement) -> int:
        """Stop what has not gone (pending rows; rows a sender holds right now may still go)."""
        statement = (
            update(OutboxMessage)
            .where(self._rows(announcement.id or 0), col(OutboxMessage.state) == "pending")
            .values(state="cancelled", last_error="cancelled by an admin")
        )
        cancelled = await self._count(statement)
        announcement.state = "cancelled"
        self.session.add(announcement)
        return cancelled

    async def correct(self, announcement: Announcement, body: str, now: datetime) -> int:
        """New text: what has not gone yet is sent with it; each delivered message is queued for an update.
        Returns how many delivered messages will be updated."""
        announcement.body = body
        announcement.version += 1
        pending = {"text": body, "markdown": True}
        await self._count(
            update(OutboxMessage)
            .where(self._rows(announcement.id or 0), col(OutboxMessage.state).in_(("pending", "failed")))
            .values(payload=pending)
        )
        self.session.add(announcement)
        return await self._edit(announcement, "update", {"text": body, "markdown": True}, now)

    async def recall(self, announcement: Announcement, now: datetime) -> tuple[int, int]:
        """Stop what has not gone and queue a delete of each delivered message; (cancelled, to delete)."""
        cancelled = await self.cancel(announcement)
        announcement.state = "recalled"
        self.session.add(announcement)
        return cancelled, await self._edit(announcement, "delete", {"text": ""}, now)

    async def _edit(self, announcement: Announcement, op: str, reply: dict[str, Any], now: datetime) -> int:
        query = select(
            OutboxMessage.id, OutboxMessage.person_id, OutboxMessage.platform, OutboxMessage.platform_ref
        ).where(
            self._rows(announcement.id or 0),
            col(OutboxMessage.state) == "sent",
            col(OutboxMessage.platform).in_(("slack", "teams")),  # the terminal's printed lines stay printed
        )
        sent = [row for row in (await self.session.exec(query)).all() if row[3]]
        outbox = OutboxRepository(self.session)
        for start in range(0, len(sent), FAN_OUT_CHUNK):
            await outbox.enqueue_many(
                [
                    {
                        "dedupe_key": f"announce-{op}:{announcement.id}:v{announcement.version}:{row_id}",
                        "purpose": EDIT_PURPOSE,
                        "reference": reference(announcement.id or 0),
                        "person_id": person_id,
                        "platform": f"{platform}:edit",
                        "payload": {**reply, "target": {"op": op, "ref": ref}},
                        "due_at": now,
                    }
                    for row_id, person_id, platform, ref in sent[start : start + FAN_OUT_CHUNK]
                ],
                now=now,
            )
        return len(sent)


def _overlap(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether two audiences may share people: the same audience, or either is everyone, unfiltered."""
    return one == other or EVERYONE in (one, other)


def _same_text(body: str) -> str:
    """The text as read: case, spacing and trailing punctuation aside."""
    return " ".join(body.casefold().split()).rstrip(".!")


def has_left(error: str | None) -> bool:
    """Whether a delivery failure means the person has gone (account closed, app removed)."""
    return bool(error) and any(word in (error or "") for word in GONE_ERRORS)
