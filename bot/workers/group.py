"""A group of workers started and stopped together, with the SQLite one-worker lock."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Protocol

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)


class Worker(Protocol):
    name: str

    async def run(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set, then release what is held and return."""


class WorkerGroup:
    """Runs workers as tasks; `stop()` asks them to finish and waits (bounded).

    Args:
        workers: what to run.
        sqlite_file: for a SQLite database, its file: only the process holding
            `<file>.worker.lock` runs workers, the others run none and say so.
    """

    def __init__(self, workers: list[Worker], *, sqlite_file: Path | None = None) -> None:
        self.workers = workers
        self.sqlite_file = sqlite_file
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._lock: FileLock | None = None

    def start(self) -> bool:
        """Start every worker; False when another process already runs them for this file."""
        if self.sqlite_file is not None:
            lock = FileLock(str(self.sqlite_file) + ".worker.lock")
            try:
                lock.acquire(timeout=0)
            except Timeout:
                log.warning(
                    "another LeadWell process runs the workers for %s; this one runs none", self.sqlite_file.name
                )
                return False
            self._lock = lock
        for worker in self.workers:
            self._tasks.append(asyncio.create_task(self._guard(worker), name=f"worker:{worker.name}"))
        log.info("workers started: %s", ", ".join(w.name for w in self.workers) or "none")
        return True

    async def _guard(self, worker: Worker) -> None:
        while not self._stop.is_set():
            try:
                await worker.run(self._stop)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("worker %s failed; restarting in 5 s", worker.name)
                try:
                    await asyncio.wait_for(self._stop.wait(), timeout=5)
                except TimeoutError:
                    pass

    async def stop(self, grace: float = 10.0) -> None:
        self._stop.set()
        if self._tasks:
            done, pending = await asyncio.wait(self._tasks, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        self._tasks.clear()
        if self._lock is not None:
            self._lock.release()
            self._lock = None
