"""The outbox sender: claims due messages by lease and delivers them at the shared pace.

Per platform: lease a batch (one committed statement), reserve that many send
slots in the database (so replicas together keep the platform's rate), send
one message at a time without holding a database lock, and commit each
outcome straight away: sent (with the platform's reference to the message),
failed for good (with the reason), or back in the queue for later. A Retry-After
pauses the platform for everyone. On stop, unsent rows are released at once.
Outcomes are recorded only while the row is still ours: if our lease ran out and
another sender took the row over, it is theirs now, and we say so and move on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from datetime import datetime, timedelta

from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from bot.protocols import Outbound, PermanentFailure, RateLimited, TemporaryFailure, Transport
from handlers.clock import Clock
from handlers.messages import Reply
from handlers.sealing import Sealer, SealError, open_payload
from storage import Database
from storage.models import OutboxMessage
from storage.repositories import Repositories
from storage.repositories.announcements import has_left

log = logging.getLogger(__name__)


class OutboxSender:
    """Delivers outbox rows through the given transports.

    Args:
        db: the database.
        clock: the clock (tests move it).
        transports: one per platform this process can send on.
        lease: how long a claimed row is ours before another sender may take it over.
        max_attempts: after this many failed attempts a row is marked failed, with its last error.
        poll: how long to wait when nothing is due.
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
        sealer: Sealer | None = None,
    ) -> None:
        self.db = db
        self.sealer = sealer
        self.clock = clock
        self.transports = transports
        self.lease = lease
        self.max_attempts = max_attempts
        self.batch = batch
        self.poll = poll
        self.quick_retries = quick_retries
        self.sealer = sealer
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._stop = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        self._stop = stop
        while not stop.is_set():
            if await self.run_once() == 0:
                try:
                    await asyncio.wait_for(stop.wait(), timeout=self.poll)
                except TimeoutError:
                    pass

    async def run_once(self) -> int:
        """One batch per platform; returns how many rows were handled."""
        handled = 0
        for transport in self.transports:
            handled += await self._batch(transport)
        return handled

    def _batch_size(self, transport: Transport) -> int:
        # Never lease more than we can send well inside the lease at this rate.
        return max(1, min(self.batch, int(transport.rate * self.lease.total_seconds() / 3)))

    async def _batch(self, transport: Transport) -> int:
        now = self.clock.now()
        async with self.db.transaction() as session:
            repos = Repositories(session)
            if await repos.pace.paused_until(transport.platform, now) is not None:
                return 0  # the platform asked everyone to wait; claim nothing until then
            rows = await repos.outbox.claim(
                now=now,
                lease=self.lease,
                owner=self.owner,
                limit=self._batch_size(transport),
                platform=transport.platform,
            )
            if not rows:
                return 0
            first_slot = await repos.pace.reserve(transport.platform, count=len(rows), rate=transport.rate, now=now)
            targets = await repos.people.delivery_targets(list({row.person_id for row in rows}), transport.platform)
        send_by = now + self.lease * 0.8  # never send a row whose lease may have run out
        for index, row in enumerate(rows):
            slot = first_slot + timedelta(seconds=index / transport.rate)
            if self._stop.is_set() or slot > send_by:
                await self._release(rows[index:])
                break
            await self._wait_until(slot)
            identity, address = targets.get(row.person_id, (None, None))
            if address is not None and not address.reachable:
                await self._fail(row, f"unreachable: {address.unreachable_reason or 'no reason given'}")
                continue
            try:
                payload = open_payload(self.sealer, row.payload)
            except SealError as error:  # the secret changed since it was queued, or none is configured
                await self._fail(row, str(error))
                continue
            outbound = Outbound(
                message_id=row.id or 0,
                dedupe_key=row.dedupe_key,
                identity=identity,
                address=address.address if address is not None else None,
                reply=Reply.from_dict(payload),
                target=payload.get("target"),
            )
            if not await self._deliver(transport, row, outbound):
                # The platform asked everyone to wait: hand back the rest; the pace row holds senders back.
                await self._release(rows[index + 1 :])
                break
        return len(rows)

    async def _wait_until(self, when: datetime) -> None:
        delay = (when - self.clock.now()).total_seconds()
        if delay > 0:
            await self.clock.sleep(delay)

    async def _deliver(self, transport: Transport, row: OutboxMessage, outbound: Outbound) -> bool:
        """Send one row and record the outcome; False when the platform asked everyone to wait."""
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.quick_retries),
                wait=wait_exponential(multiplier=0.5, max=4),
                retry=retry_if_exception_type(TemporaryFailure),
                sleep=self.clock.sleep,
                reraise=True,
            ):
                with attempt:
                    platform_ref = await transport.send(outbound)
        except RateLimited as limited:
            until = self.clock.now() + timedelta(seconds=limited.retry_after)
            async with self.db.transaction() as session:
                repos = Repositories(session)
                await repos.pace.pause(transport.platform, until=until, now=self.clock.now())
                kept = await repos.outbox.retry_later(row.id or 0, owner=self.owner, due_at=until, error=str(limited))
            if not kept:
                self._taken_over(row, "put back")
            log.warning("%s asked us to wait %.1f s; pausing sends", transport.platform, limited.retry_after)
            return False
        except PermanentFailure as failure:
            await self._fail(row, str(failure))
            return True
        except TemporaryFailure as failure:
            await self._retry_or_fail(row, str(failure))
            return True
        except Exception as unexpected:  # a bug in a transport must not lose the row
            log.exception("transport %s raised unexpectedly", transport.platform)
            await self._retry_or_fail(row, f"unexpected error: {type(unexpected).__name__}")
            return True
        async with self.db.transaction() as session:
            marked = await Repositories(session).outbox.mark_sent(
                row.id or 0, owner=self.owner, now=self.clock.now(), platform_ref=platform_ref
            )
        if not marked:
            self._taken_over(row, "marked sent")
        return True

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

    async def _release(self, rows: list[OutboxMessage]) -> None:
        if rows:
            async with self.db.transaction() as session:
                await Repositories(session).outbox.release([row.id or 0 for row in rows], owner=self.owner)
