"""Group commit: what many callers hand in while a write is under way goes out in the next write.

Under load one statement and one commit serve many waiting callers instead of each queueing for
the database alone. Used for inbox records (before the ack), turns (one transaction for the
messages of different people) and "sent" marks.

A keyed group holds at most one item per key, and an item waits while an earlier item with its
key is still being written, so one person's messages are handled one at a time, in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Generic, TypeVar

from handlers.clock import Clock

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """Hands queued items to `write` in groups; each caller gets its own item's result.

    Args:
        write: writes one group and returns one result per item, in order. If it raises, every
            caller in that group gets the error (the items are not retried here).
        clock: waits `linger` (tests use a manual clock).
        size: most items in one group (bounds how long one transaction holds the database).
        parallel: groups written at once (1 on SQLite, whose writes take turns anyway).
        linger: seconds to wait before a group is taken, so more items join it.
        key: items with the same key are never in one group nor written at the same time.
    """

    def __init__(
        self,
        write: Callable[[list[T]], Awaitable[Sequence[R]]],
        *,
        clock: Clock,
        size: int = 1000,
        parallel: int = 1,
        linger: float = 0.0,
        key: Callable[[T], Hashable] | None = None,
    ) -> None:
        self._write = write
        self._clock = clock
        self.size = size
        self.parallel = parallel
        self.linger = linger
        self._key = key
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._busy: set[Hashable] = set()
        self._writers: set[asyncio.Task[None]] = set()

    async def submit(self, item: T) -> R:
        """Queue `item` and wait for its result."""
        return await self.submit_nowait(item)

    def submit_nowait(self, item: T) -> asyncio.Future[R]:
        """Queue `item`; the future holds its result once its group is written."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if sum(not writer.done() for writer in self._writers) < self.parallel:
            writer = asyncio.create_task(self._run())
            self._writers.add(writer)
            writer.add_done_callback(self._writers.discard)
        return future

    async def flush(self) -> None:
        """Wait until everything queued so far is written (or has failed)."""
        while self._writers:
            await asyncio.wait(list(self._writers))

    def __len__(self) -> int:
        return len(self._waiting)

    def _next_group(self) -> list[tuple[T, asyncio.Future[R]]]:
        if self._key is None:
            taken, self._waiting = self._waiting[: self.size], self._waiting[self.size :]
            return taken
        group: list[tuple[T, asyncio.Future[R]]] = []
        later: list[tuple[T, asyncio.Future[R]]] = []
        keys = set(self._busy)
        scanned = 0
        for entry in self._waiting:
            scanned += 1
            key = self._key(entry[0])
            if key in keys:
                later.append(entry)  # that key's earlier item comes first
                continue
            group.append(entry)
            keys.add(key)
            if len(group) == self.size:
                break  # the rest stays queued, in order, unscanned
        self._waiting = later + self._waiting[scanned:]
        return group

    async def _run(self) -> None:
        if self.linger > 0:
            await self._clock.sleep(self.linger)
        while group := self._next_group():
            keys = {self._key(item) for item, _ in group} if self._key is not None else set()
            self._busy |= keys
            try:
                results = await self._write([item for item, _ in group])
                if len(results) != len(group):
                    raise RuntimeError(f"a group of {len(group)} gave {len(results)} results")
            except Exception as error:  # noqa: BLE001 - every caller in the group gets it
                for _, future in group:
                    if not future.done():
                        future.set_exception(error)
            else:
                for (_, future), result in zip(group, results, strict=True):
                    if not future.done():
                        future.set_result(result)
            finally:
                self._busy -= keys
