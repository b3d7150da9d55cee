"""The scheduler worker: runs `handlers.scheduling.Scheduler` every few seconds."""

from __future__ import annotations

import asyncio
import logging

from handlers.scheduling import Scheduler

log = logging.getLogger(__name__)


class SchedulerWorker:
    name = "scheduler"

    def __init__(self, scheduler: Scheduler, *, every: float = 2.0) -> None:
        self.scheduler = scheduler
        self.every = every

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            result = await self.scheduler.run_once()
            if result.queued or any(result.swept.values()):
                log.info("scheduler: %d due, %d queued, %s", result.due, result.queued, result.swept)
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.every)
            except TimeoutError:
                pass
