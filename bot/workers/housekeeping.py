"""Housekeeping: removes expired pending interactions so stale questions never linger."""

from __future__ import annotations

import asyncio
import logging

from handlers.clock import Clock
from storage import Database
from storage.repositories import Repositories

log = logging.getLogger(__name__)


class Housekeeping:
    name = "housekeeping"

    def __init__(self, db: Database, clock: Clock, *, every: float = 60.0) -> None:
        self.db = db
        self.clock = clock
        self.every = every

    async def run_once(self) -> int:
        async with self.db.transaction() as session:
            removed = await Repositories(session).pending.delete_expired(self.clock.now())
        if removed:
            log.info("removed %d expired pending interactions", removed)
        return removed

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.run_once()
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.every)
            except TimeoutError:
                pass
