"""Housekeeping: removes expired pending interactions, and anything older than LEADWELL_RETENTION_DAYS."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.workers.periodic import every
from handlers.clock import Clock
from storage import Database
from storage.repositories import Repositories
from storage.repositories.retention import forget_before

log = logging.getLogger(__name__)


class Housekeeping:
    name = "housekeeping"

    def __init__(self, db: Database, clock: Clock, *, retention: timedelta, interval: float = 3600.0) -> None:
        self.db = db
        self.clock = clock
        self.retention = retention
        self.interval = interval

    async def run_once(self) -> dict[str, int]:
        now = self.clock.now()
        async with self.db.transaction() as session:
            repos = Repositories(session)
            removed = {
                "pending": await repos.pending.delete_expired(now),
                "choices": await repos.choices.delete_expired(now),
                "questions": await repos.questions.delete_expired(now),
            }
            removed |= await forget_before(session, now - self.retention)
        if any(removed.values()):
            log.info("housekeeping removed %s", removed)
        return removed

    async def run(self, stop: asyncio.Event) -> None:
        await every(self.interval, stop, self.run_once)
