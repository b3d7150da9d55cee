"""The scheduler worker: runs `handlers.scheduling.Scheduler` every few seconds."""

from __future__ import annotations

import asyncio
import logging

from bot.workers.periodic import every
from handlers.scheduling import Scheduler

log = logging.getLogger(__name__)


class SchedulerWorker:
    name = "scheduler"

    def __init__(self, scheduler: Scheduler, *, interval: float = 2.0) -> None:
        self.scheduler = scheduler
        self.interval = interval

    async def run(self, stop: asyncio.Event) -> None:
        await every(self.interval, stop, self.run_once)

    async def run_once(self) -> None:
        result = await self.scheduler.run_once()
        if result.queued or any(result.swept.values()):
            log.info("scheduler: %d due, %d queued, %s", result.due, result.queued, result.swept)
