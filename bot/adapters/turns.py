"""What every platform adapter does around a turn.

Work that continues after the platform's ack runs as tracked background tasks
(drained on shutdown; what is still unfinished is replayed from the inbox after
a restart). A turn's replies sit in the outbox leased to this process: they are
sent at once and each outcome is recorded; anything the platform defers goes
back to the outbox sender.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any

from bot.runtime import Runtime
from bot.transports import Outbound, PermanentFailure, RateLimited, TemporaryFailure, Transport
from handlers.conversation import ReplyQueue, TurnRequest
from handlers.messages import Incoming, Reply
from storage.repositories import Repositories

log = logging.getLogger(__name__)
INBOX_LEASE = timedelta(seconds=30)  # how long a receiver holds an event before recovery may take it


class Turns:
    """Background work and reply delivery for one adapter.

    Args:
        runtime: the shared core, database and clock.
        transport: the platform's transport (the same one the outbox sender uses).
    """

    def __init__(self, runtime: Runtime, transport: Transport) -> None:
        self.runtime = runtime
        self.transport = transport
        self.tasks: set[asyncio.Task[None]] = set()
        self.batcher = TurnBatcher(runtime, parallel=1 if runtime.db.is_sqlite else 8)
        self.sent = SentBatcher(runtime)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def turn(
        self, incoming: Incoming, *, inbox_id: int | None = None, queue: ReplyQueue | None = None
    ) -> list[Reply]:
        """Run one turn of the core, batched with others waiting (sending the replies is not limited)."""
        return await self.batcher.run(TurnRequest(incoming, inbox_id, queue))

    async def drain(self, grace: float = 10.0) -> None:
        """Wait (bounded) for work already acknowledged; what remains is finished after restart."""
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=grace)
        await self.sent.flush()

    async def finish(self, inbox_id: int | None) -> None:
        """Mark an event done that needed no turn (ignored events, opened forms)."""
        if inbox_id is None:
            return
        async with self.runtime.db.transaction() as session:
            await Repositories(session).inbox.finish(inbox_id, self.runtime.services.clock.now())

    async def deliver(
        self, identity: str, replies: list[Reply], queue: ReplyQueue, *, address: dict[str, Any] | None = None
    ) -> None:
        """Send what a turn queued; if the turn failed (nothing queued), say sorry directly, best effort."""
        if replies and not queue.queued:
            for reply in replies:
                await self.best_effort(
                    self.transport.send(Outbound(0, "sorry", identity, address, reply, queue.target))
                )
        for message_id, reply in queue.queued:
            outbound = Outbound(message_id, f"reply:{message_id}", identity, address, reply, queue.target, queue.owner)
            await self.send_now(outbound)

    async def send_now(self, outbound: Outbound) -> None:
        """Send a reply leased to `outbound.owner` and record the outcome (only while the lease is theirs)."""
        db, clock = self.runtime.db, self.runtime.services.clock
        if outbound.owner is None:
            raise ValueError("a queued reply is sent by the owner of its lease")
        try:
            sent_ref = await self.transport.send(outbound)
        except (RateLimited, TemporaryFailure) as error:
            async with db.transaction() as session:  # the sender worker takes it from here
                kept = await Repositories(session).outbox.retry_later(
                    outbound.message_id, owner=outbound.owner, due_at=clock.now(), error=str(error)
                )
        except PermanentFailure as error:
            async with db.transaction() as session:
                kept = await Repositories(session).outbox.mark_failed(
                    outbound.message_id, owner=outbound.owner, error=str(error)
                )
        else:
            await self.sent.record(outbound.message_id, sent_ref, outbound.owner)
            return
        if not kept:
            log.info("reply %s had been taken over by a sender worker; its outcome is theirs", outbound.message_id)

    async def best_effort(self, sending: Coroutine[Any, Any, Any]) -> None:
        try:
            await sending
        except Exception:  # noqa: BLE001 - nothing to keep: the event is already finished or failed
            log.warning("could not send a %s message", self.transport.platform)


class TurnBatcher:
    """Runs waiting turns in batches: one transaction for up to `size` turns of different people.

    Turns queue here rather than at the database: SQLite has one connection, and acks (inbox
    writes) must not wait behind hundreds of turns queued for it; they wait for one batch at most.
    A person's messages are handled one at a time, in the order they arrived.

    Args:
        runtime: the shared core.
        parallel: batches run at once (1 on SQLite, whose writes take turns anyway).
        size: most turns in one batch (bounds how long one transaction holds the database); of 32, 64
            and 128, 128 gave the best reply throughput in benchmarks/event_path.py.
    """

    def __init__(self, runtime: Runtime, *, parallel: int, size: int = 128) -> None:
        self.runtime = runtime
        self.parallel = parallel
        self.size = size
        self._waiting: list[tuple[TurnRequest, asyncio.Future[list[Reply]]]] = []
        self._busy: set[str] = set()  # people with a turn running now
        self._workers: set[asyncio.Task[None]] = set()

    async def run(self, request: TurnRequest) -> list[Reply]:
        future: asyncio.Future[list[Reply]] = asyncio.get_running_loop().create_future()
        self._waiting.append((request, future))
        if sum(not worker.done() for worker in self._workers) < self.parallel:
            worker = asyncio.create_task(self._work())
            self._workers.add(worker)
            worker.add_done_callback(self._workers.discard)
        return await future

    def _next_batch(self) -> list[tuple[TurnRequest, asyncio.Future[list[Reply]]]]:
        batch, later, people = [], [], set(self._busy)
        scanned = 0
        for item in self._waiting:
            scanned += 1
            identity = item[0].incoming.identity
            if identity in people:
                later.append(item)  # that person's earlier message comes first
                continue
            batch.append(item)
            people.add(identity)
            if len(batch) == self.size:
                break  # the rest stays queued, in order, unscanned
        self._waiting = later + self._waiting[scanned:]
        return batch

    async def _work(self) -> None:
        while batch := self._next_batch():
            people = {request.incoming.identity for request, _ in batch}
            self._busy |= people
            try:
                results = await self.runtime.conversation.handle_many([request for request, _ in batch])
            except Exception as error:  # the database is unreachable: the inbox replays these later
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
            else:
                for (_, future), replies in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(replies)
            finally:
                self._busy -= people


class InboxBatcher:
    """Writes inbound events to the inbox in groups: one statement and one commit for all the
    events that arrived while the previous group was being written.

    Every request still waits for its own event to be committed before it is acknowledged; under
    load, many requests share one commit instead of queueing for the database one by one.
    """

    def __init__(self, runtime: Runtime, *, lease: timedelta = INBOX_LEASE) -> None:
        self.runtime = runtime
        self.lease = lease
        self._waiting: list[tuple[tuple[str, str, dict[str, Any]], asyncio.Future[int | None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, platform: str, event_id: str, payload: dict[str, Any]) -> int | None:
        """The new inbox id, or None when this event was recorded before (a platform retry)."""
        future: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self._waiting.append(((platform, event_id, payload), future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        return await future

    async def _write(self) -> None:
        while self._waiting:
            group, self._waiting = self._waiting, []
            try:
                async with self.runtime.db.transaction(urgent=True) as session:
                    ids = await Repositories(session).inbox.record_many(
                        [event for event, _ in group], now=self.runtime.services.clock.now(), lease=self.lease
                    )
            except Exception as error:  # every request in the group gets the error (and a 500)
                for _, future in group:
                    if not future.done():
                        future.set_exception(error)
                continue
            for (_, future), inbox_id in zip(group, ids, strict=True):
                if not future.done():
                    future.set_result(inbox_id)


class SentBatcher:
    """Records "sent" for replies in groups (one round trip for all sent since the last write).

    A reply is marked sent a moment (`linger`, so that more share a write) after the platform
    accepted it; if the process dies in that moment the row's lease runs out and it is sent again,
    the one duplicate DESIGN.md allows.
    """

    def __init__(self, runtime: Runtime, *, linger: float = 0.05) -> None:
        self.runtime = runtime
        self.linger = linger
        self._waiting: list[tuple[int, dict[str, str] | None, str]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, message_id: int, platform_ref: dict[str, str] | None, owner: str) -> None:
        """Mark a reply sent (with the platform's reference to it), if `owner` still holds its lease."""
        self._waiting.append((message_id, platform_ref, owner))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())

    async def flush(self) -> None:
        while self._writer is not None and not self._writer.done():
            await self._writer

    async def _write(self) -> None:
        await asyncio.sleep(self.linger)
        while self._waiting:
            group, self._waiting = self._waiting, []
            by_owner: dict[str, list[tuple[int, dict[str, str] | None]]] = {}
            for message_id, platform_ref, owner in group:
                by_owner.setdefault(owner, []).append((message_id, platform_ref))
            marked: set[int] = set()
            try:
                async with self.runtime.db.transaction() as session:
                    outbox, now = Repositories(session).outbox, self.runtime.services.clock.now()
                    for owner, sent in by_owner.items():
                        marked |= await outbox.mark_many_sent(sent, owner=owner, now=now)
            except Exception:  # the rows stay leased; the sender worker resends them after the lease
                log.exception("could not record %d sent replies", len(group))
                continue
            if len(marked) < len(group):
                log.info(
                    "%d sent replies had been taken over by a sender worker; theirs to record", len(group) - len(marked)
                )
