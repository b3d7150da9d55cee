"""The turn engine: what happens to every incoming event, on every platform.

An adapter verifies a request and hands the engine one call per event, `receive(Event)`:

1. the event is written to the inbox (grouped with others arriving at the same moment) before
   `receive` returns, so the adapter may acknowledge it; a platform retry of a known event is
   reported as a duplicate and goes no further;
2. the adapter's `translate` turns the kept payload into a `Turn` (the same call replays the
   event from the inbox after a crash); where the platform has a directory, the sender's email is
   filled in when it is not known yet (`bot.whois`: cached, bounded in time, best effort);
3. the turn runs in the core, grouped with turns of other people into one transaction, one at a
   time per person and in arrival order; the inbox row is finished and the replies are kept in the
   outbox, leased to this process, in that same transaction;
4. the replies are sent at once; each outcome is recorded (sent marks grouped), and anything the
   platform defers goes back to the outbox sender.

Steps 2–4 run after the ack as tracked background tasks (`drain` waits for them on shutdown; what
is unfinished is replayed from the inbox after a restart) unless the adapter waits for the
replies (a Teams card action answers with them).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.grouping import GroupCommit
from bot.protocols import (
    Adapter,
    Directory,
    Outbound,
    PermanentFailure,
    PlatformRef,
    RateLimited,
    TemporaryFailure,
    Transport,
    Turn,
)
from bot.whois import Whois
from handlers.clock import Clock
from handlers.conversation import Conversation, ReplyQueue, TurnRequest
from handlers.messages import Reply
from handlers.sealing import Sealer, open_payload, seal_payload
from storage import Database
from storage.models import InboxEvent
from storage.repositories import Repositories

log = logging.getLogger(__name__)
INBOX_LEASE = timedelta(seconds=30)  # how long a receiver holds an event before recovery may take it
TURNS_PER_GROUP = 128  # of 32, 64 and 128, 128 gave the best reply throughput (benchmarks/event_path.py)
SENT_LINGER = 0.05  # seconds a "sent" mark waits so more share a write
ACK_DEADLINE = 2.0  # well inside Slack's 3 s; past it the platform is asked to retry (503)


class NotKept(Exception):
    """The event could not be written to the inbox: do not acknowledge it."""


@dataclass(frozen=True)
class Event:
    """One event as a platform sent it.

    Attributes:
        platform: whose adapter translates it.
        key: the platform's id for it (a retry repeats it); None: not kept in the inbox (nothing to
            deduplicate, e.g. a terminal line).
        payload: what is kept so the event can be handled again after a crash.
    """

    platform: str
    key: str | None
    payload: dict[str, Any]


@dataclass
class Receipt:
    """What `receive` tells the adapter: a retry of a known event, or (when it waited) the replies."""

    duplicate: bool = False
    replies: list[Reply] = field(default_factory=list)


class TurnEngine:
    """Runs events from every adapter through the inbox, the core and the outbox.

    Args:
        db: the database.
        conversation: the core.
        clock: the clock (tests move it).
        owner: this process's name on the leases it takes.
        parallel: turn groups run at once (1 on SQLite, whose writes take turns anyway).
        sealer: seals what is kept in the inbox (it holds what people typed) from its first write.
        ack_deadline: seconds an event may wait for its inbox write before the platform is told to retry.
    """

    def __init__(
        self,
        *,
        db: Database,
        conversation: Conversation,
        clock: Clock,
        owner: str,
        parallel: int,
        sealer: Sealer | None = None,
        ack_deadline: float = ACK_DEADLINE,
    ) -> None:
        self.db = db
        self.sealer = sealer
        self.ack_deadline = ack_deadline
        self.conversation = conversation
        self.clock = clock
        self.owner = owner
        self.adapters: dict[str, Adapter] = {}
        self.transports: dict[str, Transport] = {}
        self.whois = Whois(db, clock)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._inbox = GroupCommit(self._record, clock=clock)
        self._turns = GroupCommit(
            conversation.handle_many,
            clock=clock,
            size=TURNS_PER_GROUP,
            parallel=parallel,
            key=lambda request: request.incoming.identity,
        )
        self._sent = GroupCommit(self._mark_sent, clock=clock, linger=SENT_LINGER)

    def attach(self, adapter: Adapter, transport: Transport | None = None, directory: Directory | None = None) -> None:
        """Take events from `adapter`; deliver its replies with `transport` (None: the adapter shows them);
        ask `directory` for senders' emails not known yet."""
        self.adapters[adapter.platform] = adapter
        if transport is not None:
            self.transports[adapter.platform] = transport
        if directory is not None:
            self.whois.attach(directory)

    async def receive(self, event: Event, *, wait: bool = False) -> Receipt:
        """Keep the event, then handle it: in the background, or before returning when `wait` is set.

        When this returns the event is in the inbox (it may be acknowledged). It raises `NotKept`
        when the event could not be written within `ack_deadline` (answer 503 and do not
        acknowledge it: the platform sends it again). A write that lands after the deadline is
        still handled; the platform's retry then finds it known.
        """
        inbox_id = None
        if event.key is not None:
            recording = self._inbox.submit_nowait(event)
            done, _ = await asyncio.wait({recording}, timeout=self.ack_deadline)
            if not done:
                self._spawn(self._handle_late(recording, event))
                raise NotKept("the database did not answer in time")
            try:
                inbox_id = recording.result()
            except Exception as error:  # noqa: BLE001 - unreachable, locked, read-only: the platform retries
                raise NotKept(f"the database refused the write ({type(error).__name__})") from None
            if inbox_id is None:
                return Receipt(duplicate=True)
        if wait:
            return Receipt(replies=await self._handle(event, inbox_id, send_in_background=True))
        self._spawn(self._handle(event, inbox_id))
        return Receipt()

    async def _handle_late(self, recording: asyncio.Future[int | None], event: Event) -> None:
        inbox_id = await recording
        if inbox_id is not None:
            await self._handle(event, inbox_id)

    async def replay(self, stored: InboxEvent) -> None:
        """Finish an event whose receiver stopped before it was done (the inbox recovery worker)."""
        event = Event(stored.platform, stored.event_id, self._open(stored.payload))
        await self._handle(event, stored.id)
        await self.drain()

    async def drain(self, grace: float = 10.0) -> None:
        """Wait (bounded) for work already acknowledged; what remains is finished after restart."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=grace)
        await self._sent.flush()

    # ---- one event --------------------------------------------------------------------------------

    async def _handle(self, event: Event, inbox_id: int | None, *, send_in_background: bool = False) -> list[Reply]:
        adapter = self.adapters.get(event.platform)
        if adapter is None:
            await self._give_up(inbox_id, f"no adapter for {event.platform}")
            return []
        try:
            turn = adapter.translate(event.payload)
        except Exception as error:  # noqa: BLE001 - an unreadable payload is given up alone, with its reason
            log.warning("could not read a %s event (%s); skipped", event.platform, type(error).__name__)
            await self._give_up(inbox_id, f"unreadable payload: {type(error).__name__}")
            return []
        if turn.incoming is None:
            await self._finish(inbox_id)
            await self._after(turn, [])
            return []
        incoming = await self.whois.fill(event.payload, turn.incoming)
        queue = None
        if turn.target is not None:
            key = f"{event.platform}:{event.key or incoming.event_id or inbox_id}"[:150]
            queue = ReplyQueue(key=key, target=turn.target, owner=self.owner)
        replies = await self._turns.submit(TurnRequest(incoming, inbox_id, queue))
        await self._after(turn, replies)
        if queue is not None:
            delivery = self._deliver(event.platform, incoming.identity, replies, queue)
            if send_in_background:
                self._spawn(delivery)
            else:
                await delivery
        return replies

    async def _after(self, turn: Turn, replies: list[Reply]) -> None:
        if turn.after is None:
            return
        try:
            await turn.after(replies)
        except Exception:  # noqa: BLE001 - platform UI work is best effort (an expired trigger, a closed tab)
            log.warning("could not finish platform work after a turn")

    # ---- delivery ---------------------------------------------------------------------------------

    async def _deliver(self, platform: str, identity: str, replies: list[Reply], queue: ReplyQueue) -> None:
        """Send what a turn queued; if the turn failed (nothing queued), say sorry directly, best effort."""
        transport = self.transports.get(platform)
        if transport is None:
            return  # kept in the outbox until a transport for it is configured
        address = None
        if queue.target.get("shared") and any(reply.private for reply in replies):
            address = await self._stored_address(identity, platform)  # answered in their own chat instead
        if replies and not queue.queued:
            for reply in replies:
                try:
                    await transport.send(Outbound(0, "sorry", identity, address, reply, queue.target))
                except Exception:  # noqa: BLE001 - nothing to keep: the event has failed already
                    log.warning("could not send a %s message", platform)
        for message_id, reply in queue.queued:
            await self._send_now(transport, Outbound(message_id, f"reply:{message_id}", identity, address, reply,
                                                     queue.target))  # fmt: skip

    async def _send_now(self, transport: Transport, outbound: Outbound) -> None:
        """Send a reply leased to this engine; record the outcome while the lease is still ours."""
        try:
            sent = await transport.send(outbound)
        except (RateLimited, TemporaryFailure) as error:
            async with self.db.transaction() as session:  # the sender worker takes it from here
                kept = await Repositories(session).outbox.retry_later(
                    outbound.message_id, owner=self.owner, due_at=self.clock.now(), error=str(error)
                )
        except PermanentFailure as error:
            async with self.db.transaction() as session:
                kept = await Repositories(session).outbox.mark_failed(
                    outbound.message_id, owner=self.owner, error=str(error)
                )
        else:
            self._sent.submit_nowait((outbound.message_id, sent))
            return
        if not kept:
            log.info("reply %s had been taken over by the sender worker; its outcome is theirs", outbound.message_id)

    async def keep_address(self, identity: str | None, platform: str, address: dict[str, Any]) -> None:
        """Store where later messages to this person go (a transport opened their personal chat); best
        effort: the message it was opened for is sent either way, and the next one opens it again."""
        if identity is None:
            return
        try:
            async with self.db.transaction() as session:
                repos = Repositories(session)
                person = await repos.people.by_identity(identity)
                if person is not None:
                    await repos.people.save_address(person, platform, address, self.clock.now())
        except Exception as error:  # noqa: BLE001 - never fails the send it came from
            log.warning("could not store a new %s address (%s)", platform, type(error).__name__)

    async def _stored_address(self, identity: str, platform: str) -> dict[str, Any] | None:
        async with self.db.transaction() as session:
            repos = Repositories(session)
            person = await repos.people.by_identity(identity)
            row = await repos.people.address(person.id or 0, platform) if person is not None else None
        return row.address if row is not None and row.reachable else None

    # ---- grouped writes ---------------------------------------------------------------------------

    async def _record(self, events: list[Event]) -> list[int | None]:
        kept = [(e.platform, e.key or "", self._seal(e.payload)) for e in events]
        async with self.db.transaction(urgent=True) as session:  # acks go first on SQLite's one connection
            return await Repositories(session).inbox.record_many(kept, now=self.clock.now(), lease=INBOX_LEASE)

    def _seal(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Sealed before its first write: text written in the clear would linger in SQLite's free pages and WAL."""
        return seal_payload(self.sealer, payload)

    def _open(self, kept: dict[str, Any]) -> dict[str, Any]:
        return open_payload(self.sealer, kept)

    async def _mark_sent(self, sent: list[tuple[int, PlatformRef | None]]) -> list[None]:
        try:
            async with self.db.transaction() as session:
                marked = await Repositories(session).outbox.mark_many_sent(sent, owner=self.owner, now=self.clock.now())
        except Exception:  # noqa: BLE001 - the rows stay leased; the sender resends them after the lease
            log.exception("could not record %d sent replies", len(sent))
        else:
            if len(marked) < len(sent):
                log.info("%d sent replies had been taken over by the sender worker", len(sent) - len(marked))
        return [None] * len(sent)

    async def _finish(self, inbox_id: int | None) -> None:
        if inbox_id is not None:
            async with self.db.transaction() as session:
                await Repositories(session).inbox.finish(inbox_id, self.clock.now())

    async def _give_up(self, inbox_id: int | None, reason: str) -> None:
        if inbox_id is not None:
            async with self.db.transaction() as session:
                await Repositories(session).inbox.fail(inbox_id, reason, self.clock.now())

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:  # the inbox replays the event later
            log.error("an acknowledged event could not be handled now (%s); it will be retried",
                      type(task.exception()).__name__)  # fmt: skip
