"""The scheduler's decisions: turn due schedules into outbox messages, then run the sweeps.

Each due schedule is handled in the transaction that locked it: its occurrence
goes to the outbox under a unique dedupe key and `next_run_at` moves on in the
same commit, so an occurrence is queued exactly once however many workers run.
After downtime only the latest missed occurrence is sent, marked late. Then the
sweeps the capabilities registered run, each in its own transaction (check-in
reminders and expiry, nudge expiry).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.choices import offer_choices
from handlers.context import Services
from handlers.messages import Reply
from handlers.names import ScheduleState
from handlers.recurrence import latest_until, next_after
from handlers.router import Draft, Occurrence, Router
from handlers.sealing import Sealer
from storage import Database
from storage.models import Person, Schedule
from storage.repositories import Repositories

log = logging.getLogger(__name__)
LATE_AFTER = timedelta(minutes=15)


def dedupe_key(schedule: Schedule, at: datetime) -> str:
    return f"{schedule.kind}:{schedule.id}:{at:%Y%m%dT%H%MZ}"


async def enqueue_reply(
    repos: Repositories,
    *,
    key: str,
    purpose: str,
    person_id: int,
    platform: str,
    reply: Reply,
    now: datetime,
    reference: str | None = None,
    sealer: Sealer | None = None,
) -> int | None:
    """Queue a reply for a person on their platform, due now (`reference`: what it belongs to); its buttons
    become the person's offered choices."""
    await offer_choices(repos, person_id, [reply], now, sealer)
    return await repos.outbox.enqueue(
        dedupe_key=key,
        purpose=purpose,
        person_id=person_id,
        platform=platform,
        payload=reply.to_dict(),
        due_at=now,
        now=now,
        reference=reference,
    )


def advance(schedule: Schedule, now: datetime) -> datetime:
    """Move a due schedule past `now`; returns the occurrence to send (the latest one due, after downtime)."""
    zone = ZoneInfo(schedule.timezone)
    assert schedule.next_run_at is not None
    at = max(latest_until(schedule.rule, zone, now) or schedule.next_run_at, schedule.next_run_at)
    schedule.last_run_at = at
    schedule.next_run_at = next_after(schedule.rule, zone, max(at, now))
    if schedule.next_run_at is None:
        schedule.state = ScheduleState.FINISHED
    return at


@dataclass(frozen=True)
class Outgoing:
    """What one due occurrence sends, to whom."""

    schedule: Schedule
    person: Person
    at: datetime
    message: Reply | Draft

    def reply(self) -> Reply:
        """What is sent (call once the batch is flushed: a draft's buttons need its row's id)."""
        return self.message.finish() if isinstance(self.message, Draft) else self.message

    def outbox_row(self, now: datetime) -> dict[str, Any]:
        """The outbox row (call once the batch is flushed: a draft's buttons need its row's id)."""
        reply = self.reply()
        return {
            "dedupe_key": dedupe_key(self.schedule, self.at),
            "purpose": self.schedule.kind,
            "person_id": self.person.id,
            "platform": self.person.platform,
            "payload": reply.to_dict(),
            "due_at": now,
            "reference": f"schedule:{self.schedule.id}",
        }


@dataclass
class SchedulerPass:
    """What one pass did (for logs, tests and benchmarks)."""

    due: int = 0
    queued: int = 0
    swept: dict[str, int] = field(default_factory=dict)


class Scheduler:
    """Runs the due schedules, then the sweeps.

    Args:
        db: the database.
        router: where each schedule kind's composer is registered.
        services: clock, settings, content.
        batch: how many due rows one transaction takes.
        person_id: run only this person's due work (the terminal chat runs its own person's, see
            `bot.console.chat`); None: everyone's. Both kinds of pass take the same locks and dedupe keys,
            so one for a person and one for everyone on the same database never queue anything twice.
    """

    def __init__(
        self, db: Database, router: Router, services: Services, *, batch: int = 200, person_id: int | None = None
    ) -> None:
        self.db = db
        self.router = router
        self.services = services
        self.batch = batch
        self.person_id = person_id

    def _repos(self, session: AsyncSession) -> Repositories:
        return Repositories(session, due_for=self.person_id)

    async def run_once(self) -> SchedulerPass:
        """One pass over everything due now; loops until nothing due is left."""
        result = SchedulerPass()
        while True:
            due, queued = await self._due_batch()
            result.due += due
            result.queued += queued
            if due < self.batch:
                break
        result.swept = await self._sweeps()
        return result

    async def _due_batch(self) -> tuple[int, int]:
        """Claim one batch of due schedules and queue what each sends; (how many were due, how many queued)."""
        async with self.db.transaction() as session:
            repos = self._repos(session)
            now = self.services.clock.now()
            due = await repos.schedules.take_due(now, self.batch)
            people = await repos.people.get_many(list({schedule.person_id for schedule in due}))
            sending = []
            for schedule in due:
                found = await self._run_schedule(repos, schedule, people.get(schedule.person_id), now)
                if found is not None:
                    sending.append(found)
            await session.flush()  # one round trip numbers every row the composers added (see `Draft`)
            messages = [message.outbox_row(now) for message in sending]
            for message in sending:  # typing "done" or "2" answers the buttons just sent
                await offer_choices(repos, message.person.id or 0, [message.reply()], now, self.services.sealer)
            return len(due), len(await repos.outbox.enqueue_many(messages, now=now))

    async def _run_schedule(
        self, repos: Repositories, schedule: Schedule, person: Person | None, now: datetime
    ) -> Outgoing | None:
        """Move `schedule` on past now and compose what its latest occurrence sends (None: nothing)."""
        at = advance(schedule, now)
        repos.schedules.save(schedule)
        composer = self.router.composers.get(schedule.kind)
        if person is None or composer is None:
            log.warning("schedule %s of kind %s has nothing to send it", schedule.id, schedule.kind)
            return None
        occurrence = Occurrence(schedule=schedule, person=person, at=at, late=now - at > LATE_AFTER)
        composed = await composer(repos, self.services, occurrence, now)
        return None if composed is None else Outgoing(schedule, person, at, composed)

    async def _sweeps(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for sweep in self.router.sweeps:
            async with self.db.transaction() as session:
                done = await sweep(self._repos(session), self.services, self.services.clock.now(), self.batch)
            for name, value in done.items():
                counts[name] = counts.get(name, 0) + value
        return counts
