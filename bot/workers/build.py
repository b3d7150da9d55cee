"""Which workers a process runs: housekeeping, the scheduler, inbox recovery and the outbox sender."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.edits import EditTransport
from bot.platforms import Platforms
from bot.runtime import Runtime
from bot.workers.group import Worker, WorkerGroup
from bot.workers.housekeeping import Housekeeping
from bot.workers.inbox_recovery import InboxRecovery
from bot.workers.scheduler import SchedulerWorker
from bot.workers.sender import OutboxSender
from handlers.scheduling import Scheduler
from storage.db import sqlite_path

log = logging.getLogger(__name__)


def build_workers(runtime: Runtime, platforms: Platforms) -> WorkerGroup:
    clock = runtime.services.clock
    workers: list[Worker] = [
        Housekeeping(runtime.db, clock, retention=timedelta(days=runtime.settings.retention_days)),
        SchedulerWorker(Scheduler(runtime.db, runtime.router, runtime.services)),
    ]
    if platforms.engine.adapters:
        workers.append(InboxRecovery(runtime.db, clock, platforms.engine))
    if platforms.transports:
        rates = runtime.services.config.edit_rates
        edits = [EditTransport(t, rate=rates.get(t.platform, t.rate)) for t in platforms.transports]
        workers.append(
            OutboxSender(
                runtime.db,
                clock,
                [*platforms.transports, *edits],
                lease=runtime.settings.outbox_lease,
                sealer=runtime.services.sealer,
            )
        )
    else:
        log.info("no Slack or Teams settings: their messages wait in the outbox until a transport is configured")
    return WorkerGroup(workers, sqlite_file=sqlite_path(runtime.settings.database_url))
