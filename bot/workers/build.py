"""Which workers a process runs."""

from __future__ import annotations

from bot.runtime import Runtime
from bot.workers.group import Worker, WorkerGroup
from bot.workers.housekeeping import Housekeeping
from storage.db import sqlite_path


def build_workers(runtime: Runtime) -> WorkerGroup:
    workers: list[Worker] = [Housekeeping(runtime.db, runtime.services.clock)]
    return WorkerGroup(workers, sqlite_file=sqlite_path(runtime.settings.database_url))
