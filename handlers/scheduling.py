"""The scheduler's decisions: turn due schedules into outbox messages, then run the sweeps.

Each due schedule is handled in the transaction that locked it: its occurrence
goes to the outbox under a unique dedupe key and `next_run_at` moves on in the
same commit, so an occurrence is queued exactly once however many workers run.
After downtime only the latest missed occurrence is sent, marked late. Sweeps
(registered by capabilities: check-in reminders and expiry) run after.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.context import Services
from handlers.messages import Reply
from handlers.names import ScheduleState
from handlers.recurrence import latest_until, next_after
from handlers.router import Occurrence, Router
from storage import Database
from storage.models import Person, Schedule
from storage.repositories import Repositories

log = logging.getLogger(__name__)
LATE_AFTER = timedelta(minutes=15)


def dedupe_key(schedule: Schedule, at: datetime) -> str:
    return f"{schedule.kind}:{schedule.id}:{at:%Y%m%dT%H%MZ}"


def first_run(rule: str, timezone: str, now: datetime) -> datetime | None:
    return next_after(rule, ZoneInfo(timezone), now)


async def enqueue_reply(
    repos: Repositories, *, key: str, purpose: str, person_id: int, platform: str, reply: Reply, now: datetime
) -> int | None:
    """Queue a reply for a person on their platform, due now."""
    return await repos.outbox.enqueue(
        dedupe_key=key,
        purpose=purpose,
        person_id=person_id,
        platform=platform,
        payload=reply.to_dict(),
        due_at=now,
        now=now,
    )


@dataclass
class SchedulerPass:
    """What one pass did (for logs, tests and benchmarks)."""

    due: int = 0
    queued: int = 0
    swept: dict[str, int] = field(default_factory=dict)


class Scheduler:
    """Runs the due schedules and the check-in reminders and expiries.

    Args:
        db: the database.
        router: where each schedule kind's composer is registered.
        services: clock, settings, content.
        batch: how many due rows one transaction takes.
    """

    def __init__(self, db: Database, router: Router, services: Services, *, batch: int = 200) -> None:
        self.db = db
        self.router = router
        self.services = services
        self.batch = batch

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
        async with self.db.transaction() as session:
            repos = Repositories(session)
            now = self.services.clock.now()
            due = await repos.schedules.take_due(now, self.batch)
            people = await repos.people.get_many(list({schedule.person_id for schedule in due}))
            composed = []
            for schedule in due:
                found = await self._run_schedule(repos, schedule, people.get(schedule.person_id), now)
                if found is not None:
                    composed.append(found)
            await repos.session.flush()  # one round trip gives every new row its id
            messages = [
                {
                    "dedupe_key": dedupe_key(schedule, at),
                    "purpose": schedule.kind,
                    "person_id": person.id,
                    "platform": person.platform,
                    "payload": (reply() if callable(reply) else reply).to_dict(),
                    "due_at": now,
                }
                for schedule, person, at, reply in composed
            ]
            return len(due), len(await repos.outbox.enqueue_many(messages, now=now))

    async def _run_schedule(
        self, repos: Repositories, schedule: Schedule, person: Person | None, now: datetime
    ) -> tuple[Schedule, Person, datetime, Reply | Callable[[], Reply]] | None:
        zone = ZoneInfo(schedule.timezone)
        assert schedule.next_run_at is not None
        at = latest_until(schedule.rule, zone, now) or schedule.next_run_at
        at = max(at, schedule.next_run_at)
        schedule.last_run_at = at
        schedule.next_run_at = next_after(schedule.rule, zone, max(at, now))
        if schedule.next_run_at is None:
            schedule.state = ScheduleState.FINISHED
        repos.schedules.save(schedule)
        composer = self.router.composers.get(schedule.kind)
        if person is None or composer is None:
            log.warning("schedule %s of kind %s has nothing to send it", schedule.id, schedule.kind)
            return None
        occurrence = Occurrence(schedule=schedule, person=person, at=at, late=now - at > LATE_AFTER)
        reply = await composer(repos, self.services, occurrence, now)
        return None if reply is None else (schedule, person, at, reply)

    async def _sweeps(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for sweep in self.router.sweeps:
            async with self.db.transaction() as session:
                done = await sweep(Repositories(session), self.services, self.services.clock.now(), self.batch)
            for name, value in done.items():
                counts[name] = counts.get(name, 0) + value
        return counts
