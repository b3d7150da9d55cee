"""Inbox recovery: finishes events that were acknowledged but not finished when a process stopped.

Each event is replayed on its own: one that fails costs the others nothing, and one that keeps
failing is given up alone, with its reason, after `MAX_ATTEMPTS`.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.engine import TurnEngine
from bot.workers.periodic import every
from handlers.clock import Clock
from storage import Database
from storage.models import InboxEvent
from storage.repositories import Repositories

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class InboxRecovery:
    """Claims unfinished events whose receiver's lease ran out and hands each to the turn engine.

    Args:
        db: the database.
        clock: the clock (tests move it).
        engine: the turn engine with this process's adapters (only their platforms are claimed).
        lease: how long a claimed event is ours before another replica may take it.
        interval: seconds between rounds.
    """

    name = "inbox-recovery"

    def __init__(
        self, db: Database, clock: Clock, engine: TurnEngine, *, lease: timedelta = timedelta(seconds=60),
        interval: float = 5.0,
    ) -> None:  # fmt: skip
        self.db = db
        self.clock = clock
        self.engine = engine
        self.lease = lease
        self.interval = interval

    async def run_once(self) -> int:
        """One round over every platform; returns how many events were replayed."""
        handled = 0
        for platform in list(self.engine.adapters):
            async with self.db.transaction() as session:
                events = await Repositories(session).inbox.claim_unfinished(
                    now=self.clock.now(), lease=self.lease, platform=platform
                )
            for event in events:
                handled += await self._replay(event)
        return handled

    async def _replay(self, event: InboxEvent) -> int:
        if event.attempts > MAX_ATTEMPTS:
            await self._give_up(event, f"gave up after {MAX_ATTEMPTS} attempts")
            return 0
        log.info("finishing %s event %s left unfinished", event.platform, event.id)
        try:
            await self.engine.replay(event)
        except Exception as error:  # noqa: BLE001 - this event alone waits for the next round
            log.warning("could not finish %s event %s (%s)", event.platform, event.id, type(error).__name__)
            return 0
        return 1

    async def _give_up(self, event: InboxEvent, reason: str) -> None:
        log.warning("gave up on %s event %s: %s", event.platform, event.id, reason)
        async with self.db.transaction() as session:
            await Repositories(session).inbox.fail(event.id or 0, reason, self.clock.now())

    async def run(self, stop: asyncio.Event) -> None:
        await every(self.interval, stop, self.run_once)
