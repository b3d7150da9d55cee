"""Inbox recovery: finishes events that were acknowledged but not finished when a process stopped."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.workers.periodic import every
from handlers.clock import Clock
from storage import Database
from storage.models import InboxEvent
from storage.repositories import Repositories

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class InboxRecovery:
    name = "inbox-recovery"

    def __init__(
        self,
        db: Database,
        clock: Clock,
        replayers: dict[str, Callable[[InboxEvent], Awaitable[None]]],
        *,
        lease: timedelta = timedelta(seconds=60),
        interval: float = 5.0,
    ) -> None:
        self.db = db
        self.clock = clock
        self.replayers = replayers
        self.lease = lease
        self.interval = interval

    async def run_once(self) -> int:
        handled = 0
        for platform, replay in self.replayers.items():
            async with self.db.transaction() as session:
                events = await Repositories(session).inbox.claim_unfinished(
                    now=self.clock.now(), lease=self.lease, platform=platform
                )
            for event in events:
                if event.attempts > MAX_ATTEMPTS:
                    async with self.db.transaction() as session:
                        await Repositories(session).inbox.fail(event.id or 0, "gave up", self.clock.now())
                    continue
                log.info("finishing %s event %s left unfinished", platform, event.id)
                await replay(event)
                handled += 1
        return handled

    async def run(self, stop: asyncio.Event) -> None:
        await every(self.interval, stop, self.run_once)
