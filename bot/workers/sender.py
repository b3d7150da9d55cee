"""The outbox sender: claims due messages by lease and delivers them at the shared pace.

Every platform has its own loop, and the loops run at once, so a broadcast to
Slack and Teams takes as long as the slower platform, not the sum of both. Per
platform: lease a batch (one committed statement), reserve that many send slots
in the database (so replicas together keep the platform's rate), and start each
send at its slot without waiting for the one before to answer (a platform a
continent away answers in 100-300 ms, far slower than the pace), holding no
database lock across a call. Failures are committed straight away: failed for
good (with the reason) or back in the queue for later; messages the platform
accepted are marked sent (with its reference to each) a few dozen at a time,
within half a second, since a commit per message cost more than the send.
Until then they stay leased to us, so a crash repeats at most the rows leased
at that moment (DESIGN.md, "Delivery guarantee").

The pace keeps a little headroom (`HEADROOM`): slots are spaced for a rate a few
per cent under the configured one, and a send that starts late pushes the next
one back rather than being caught up in a burst, so network jitter never puts
more than the configured rate into any one-second window. A quick retry after a
5xx takes a slot of its own.

A Retry-After pauses the platform for everyone: the sender that got it stops
starting sends, hands back its unsent rows and the slots they held, and waits
out the pause; other replicas see the pause within `PAUSE_CHECK` seconds. On
stop, unsent rows are released at once. Outcomes are recorded only while the
row is still ours: if our lease ran out and another sender took the row over,
it is theirs now, and we say so and move on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from bot.protocols import Outbound, PermanentFailure, PlatformRef, RateLimited, TemporaryFailure, Transport
from handlers.clock import Clock
from handlers.messages import Reply
from handlers.sealing import Sealer, SealError, open_payload
from storage import Database
from storage.models import ConversationAddress, OutboxMessage
from storage.repositories import Repositories
from storage.repositories.announcements import has_left

log = logging.getLogger(__name__)

HEADROOM = 0.05  # send 5 % under the configured rate: a send may reach the platform up to 50 ms late (a busy
# event loop, a new connection) without pushing any one-second window over the rate
PAUSE_CHECK = 1.0  # seconds between looks at the shared pace for a Retry-After another replica was given
LATE = timedelta(milliseconds=2)  # a send starting later than its slot by more than this counts as started late
RECORD_ROWS = 50  # rows accepted by the platform are marked sent together: at most this many at a time,
RECORD_EVERY = timedelta(seconds=0.5)  # and at least this often


@dataclass
class _Batch:
    """One platform's leased rows on their way out."""

    transport: Transport
    rows: list[OutboxMessage]
    targets: dict[int, tuple[str | None, ConversationAddress | None]]
    recorded_at: datetime
    halted: asyncio.Event = field(default_factory=asyncio.Event)  # a Retry-After: start no more sends
    sending: set[asyncio.Task[None]] = field(default_factory=set)
    accepted: list[tuple[OutboxMessage, PlatformRef | None]] = field(default_factory=list)  # not yet marked sent
    recording: asyncio.Lock = field(default_factory=asyncio.Lock)


class OutboxSender:
    """Delivers outbox rows through the given transports.

    Args:
        db: the database.
        clock: the clock (tests move it).
        transports: one per platform this process can send on.
        lease: how long a claimed row is ours before another sender may take it over.
        max_attempts: after this many failed attempts a row is marked failed, with its last error.
        batch: at most this many rows leased at a time per platform.
        poll: how long to wait when nothing is due.
        quick_retries: tries of one send (a 5xx or a network error) before the row waits its back-off.
        in_flight: at most this many sends per platform awaiting the platform's answer (1: one at a time).
        sealer: opens payloads sealed because they carry what a person wrote.
    """

    name = "sender"

    def __init__(
        self,
        db: Database,
        clock: Clock,
        transports: list[Transport],
        *,
        lease: timedelta = timedelta(seconds=60),
        max_attempts: int = 8,
        batch: int = 100,
        poll: float = 0.5,
        quick_retries: int = 3,
        in_flight: int = 32,
        sealer: Sealer | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.transports = transports
        self.lease = lease
        self.max_attempts = max_attempts
        self.batch = batch
        self.poll = poll
        self.quick_retries = quick_retries
        self.in_flight = max(1, in_flight)
        self.sealer = sealer
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._stop = asyncio.Event()
        self._paused_until: dict[str, datetime] = {}
        self._last_slot: dict[str, datetime] = {}  # per platform, the slot of this process's last send

    async def run(self, stop: asyncio.Event) -> None:
        """Send on every platform at once until `stop` is set."""
        self._stop = stop
        await asyncio.gather(*(self._run_platform(transport, stop) for transport in self.transports))

    async def _run_platform(self, transport: Transport, stop: asyncio.Event) -> None:
        while not stop.is_set():
            if await self._batch(transport) > 0:
                continue
            wait = self.poll
            paused = self._paused_until.get(transport.platform)
            if paused is not None:  # wake when the pause ends, not up to a poll later
                wait = min(max((paused - self.clock.now()).total_seconds(), 0.0), 60.0) or self.poll
            try:
                await asyncio.wait_for(stop.wait(), timeout=wait)
            except TimeoutError:
                pass

    async def run_once(self) -> int:
        """One batch per platform, one platform after the other; returns how many rows were handled."""
        handled = 0
        for transport in self.transports:
            handled += await self._batch(transport)
        return handled

    def _pace_rate(self, transport: Transport) -> float:
        return transport.rate * (1 - HEADROOM)

    def _batch_size(self, transport: Transport) -> int:
        # Never lease more than we can send well inside the lease at this rate.
        return max(1, min(self.batch, int(transport.rate * self.lease.total_seconds() / 3)))

    async def _batch(self, transport: Transport) -> int:
        now = self.clock.now()
        rate = self._pace_rate(transport)
        async with self.db.transaction() as session:
            repos = Repositories(session)
            paused = await repos.pace.paused_until(transport.platform, now)
            if paused is not None:
                self._paused_until[transport.platform] = paused
                return 0  # the platform asked everyone to wait; claim nothing until then
            self._paused_until.pop(transport.platform, None)
            rows = await repos.outbox.claim(
                now=now,
                lease=self.lease,
                owner=self.owner,
                limit=self._batch_size(transport),
                platform=transport.platform,
            )
            if not rows:
                return 0
            first_slot = await repos.pace.reserve(transport.platform, count=len(rows), rate=rate, now=now)
            targets = await repos.people.delivery_targets(list({row.person_id for row in rows}), transport.platform)
        batch = _Batch(transport, rows, targets, recorded_at=now)
        try:
            unsent = await self._start_sends(batch, first_slot, send_by=now + self.lease * 0.8)
        finally:
            if batch.sending:
                await asyncio.gather(*batch.sending)
            await self._record_sent(batch)
        if unsent:
            reserved_end = first_slot + timedelta(seconds=len(rows) / rate)
            await self._release(unsent, transport=transport, slots_until=reserved_end)
        return len(rows)

    async def _start_sends(self, batch: _Batch, first_slot: datetime, *, send_by: datetime) -> list[OutboxMessage]:
        """Start each row's send at its slot, inside the slots reserved; the rows not started (stop, a Retry-After,
        the reserved slots or the lease used up)."""
        gap = timedelta(seconds=1 / self._pace_rate(batch.transport))
        reserved_end = first_slot + timedelta(seconds=len(batch.rows) / self._pace_rate(batch.transport))
        room = asyncio.Semaphore(self.in_flight)
        checked = self.clock.now()
        for index, row in enumerate(batch.rows):
            slot = self._after_last(batch.transport, first_slot + gap * index)
            if self._stop.is_set() or batch.halted.is_set() or slot > send_by or slot >= reserved_end:
                return batch.rows[index:]
            if (self.clock.now() - checked).total_seconds() >= PAUSE_CHECK:
                checked = self.clock.now()
                if await self._paused_elsewhere(batch.transport.platform):
                    batch.halted.set()
            await room.acquire()  # room first, then the slot: the send starts at its slot, not when room came free
            await self._wait_until(slot)
            if self._stop.is_set() or batch.halted.is_set():
                room.release()
                return batch.rows[index:]
            self._started(batch.transport, slot)
            task = asyncio.create_task(self._send_row(batch, row))
            batch.sending.add(task)

            def finished(done: asyncio.Task[None]) -> None:
                batch.sending.discard(done)
                room.release()

            task.add_done_callback(finished)
        return []

    def _after_last(self, transport: Transport, slot: datetime) -> datetime:
        """`slot`, or one slot after this process's previous send if that is later: a send that started late
        pushes the next one back instead of being caught up in a burst."""
        last = self._last_slot.get(transport.platform)
        return slot if last is None else max(slot, last + timedelta(seconds=1 / self._pace_rate(transport)))

    def _started(self, transport: Transport, slot: datetime) -> None:
        """Remember when this send started: its slot, or (if it started more than a timer's slack late) now."""
        now = self.clock.now()
        self._last_slot[transport.platform] = now if now - slot > LATE else slot

    async def _paused_elsewhere(self, platform: str) -> bool:
        """Whether another replica was told to wait (the pause is in the shared pace)."""
        async with self.db.transaction() as session:
            return await Repositories(session).pace.paused_until(platform, self.clock.now()) is not None

    async def _send_row(self, batch: _Batch, row: OutboxMessage) -> None:
        identity, address = batch.targets.get(row.person_id, (None, None))
        if address is not None and not address.reachable:
            await self._fail(row, f"unreachable: {address.unreachable_reason or 'no reason given'}")
            return
        try:
            payload = open_payload(self.sealer, row.payload)
        except SealError as error:  # the secret changed since it was queued, or none is configured
            await self._fail(row, str(error))
            return
        outbound = Outbound(
            message_id=row.id or 0,
            dedupe_key=row.dedupe_key,
            identity=identity,
            address=address.address if address is not None else None,
            reply=Reply.from_dict(payload),
            target=payload.get("target"),
        )
        await self._deliver(batch, row, outbound)

    async def _wait_until(self, when: datetime) -> None:
        delay = (when - self.clock.now()).total_seconds()
        if delay > 0:
            await self.clock.sleep(delay)

    async def _deliver(self, batch: _Batch, row: OutboxMessage, outbound: Outbound) -> None:
        """Send one row and record the outcome; a Retry-After halts the batch at once (before anything is
        written, so no further send starts while the pause is being recorded)."""
        transport = batch.transport
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.quick_retries),
                wait=wait_exponential(multiplier=0.5, max=4),
                retry=retry_if_exception_type(TemporaryFailure),
                sleep=lambda seconds: self._back_off(transport, seconds),
                reraise=True,
            ):
                with attempt:
                    platform_ref = await transport.send(outbound)
        except RateLimited as limited:
            batch.halted.set()
            until = self.clock.now() + timedelta(seconds=limited.retry_after)
            self._paused_until[transport.platform] = max(until, self._paused_until.get(transport.platform, until))
            async with self.db.transaction() as session:
                repos = Repositories(session)
                await repos.pace.pause(transport.platform, until=until, now=self.clock.now())
                kept = await repos.outbox.retry_later(row.id or 0, owner=self.owner, due_at=until, error=str(limited))
            if not kept:
                self._taken_over(row, "put back")
            log.warning("%s asked us to wait %.1f s; pausing sends", transport.platform, limited.retry_after)
            return
        except PermanentFailure as failure:
            await self._fail(row, str(failure))
            return
        except TemporaryFailure as failure:
            await self._retry_or_fail(row, str(failure))
            return
        except Exception as unexpected:  # a bug in a transport must not lose the row
            log.exception("transport %s raised unexpectedly", transport.platform)
            await self._retry_or_fail(row, f"unexpected error: {type(unexpected).__name__}")
            return
        batch.accepted.append((row, platform_ref))
        if len(batch.accepted) >= RECORD_ROWS or self.clock.now() - batch.recorded_at >= RECORD_EVERY:
            await self._record_sent(batch)

    async def _record_sent(self, batch: _Batch) -> None:
        """Mark the rows the platform accepted as sent, together in one statement: a commit per message would
        cost more than the send. Until then they stay leased to us (a crash in between repeats at most those)."""
        async with batch.recording:
            accepted, batch.accepted = batch.accepted, []
            batch.recorded_at = self.clock.now()
            if not accepted:
                return
            async with self.db.transaction() as session:
                marked = await Repositories(session).outbox.mark_many_sent(
                    [(row.id or 0, ref) for row, ref in accepted], owner=self.owner, now=self.clock.now()
                )
        for row, _ in accepted:
            if (row.id or 0) not in marked:
                self._taken_over(row, "marked sent")

    async def _back_off(self, transport: Transport, seconds: float) -> None:
        """Wait before a quick retry, then for a send slot of its own: a retry is one more request."""
        await self.clock.sleep(seconds)
        async with self.db.transaction() as session:
            slot = await Repositories(session).pace.reserve(
                transport.platform, count=1, rate=self._pace_rate(transport), now=self.clock.now()
            )
        slot = self._after_last(transport, slot)
        await self._wait_until(slot)
        self._started(transport, slot)

    def _taken_over(self, row: OutboxMessage, outcome: str) -> None:
        """Our lease ran out and another sender holds the row now: its outcome is theirs to record."""
        log.info("message %s was taken over by another sender before it was %s; leaving it", row.dedupe_key, outcome)

    async def _fail(self, row: OutboxMessage, reason: str) -> None:
        async with self.db.transaction() as session:
            repos = Repositories(session)
            failed = await repos.outbox.mark_failed(row.id or 0, owner=self.owner, error=reason)
            if failed and has_left(reason) and ":" not in row.platform:  # not for "<platform>:edit" rows
                await repos.people.mark_unreachable(row.person_id, row.platform, reason, self.clock.now())
        if failed:
            log.warning("message %s failed for good: %s", row.dedupe_key, reason)
        else:
            self._taken_over(row, "marked failed")

    async def _retry_or_fail(self, row: OutboxMessage, reason: str) -> None:
        if row.attempts >= self.max_attempts:
            await self._fail(row, f"gave up after {row.attempts} attempts: {reason}")
            return
        backoff = timedelta(seconds=min(3600, 15 * 2**row.attempts))
        async with self.db.transaction() as session:
            kept = await Repositories(session).outbox.retry_later(
                row.id or 0, owner=self.owner, due_at=self.clock.now() + backoff, error=reason
            )
        if not kept:
            self._taken_over(row, "put back")

    async def _release(self, rows: list[OutboxMessage], *, transport: Transport, slots_until: datetime) -> None:
        """Hand back rows never sent, and the send slots reserved for them if nobody reserved after us."""
        async with self.db.transaction() as session:
            repos = Repositories(session)
            await repos.outbox.release([row.id or 0 for row in rows], owner=self.owner)
            await repos.pace.give_back(
                transport.platform,
                reserved_until=slots_until,
                seconds=len(rows) / self._pace_rate(transport),
                now=self.clock.now(),
            )
