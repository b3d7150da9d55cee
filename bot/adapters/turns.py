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
from typing import Any

from bot.runtime import Runtime
from bot.transports import Outbound, PermanentFailure, RateLimited, TemporaryFailure, Transport
from handlers.conversation import ReplyQueue
from handlers.messages import Reply
from storage.repositories import Repositories

log = logging.getLogger(__name__)


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

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def drain(self, grace: float = 10.0) -> None:
        """Wait (bounded) for work already acknowledged; what remains is finished after restart."""
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=grace)

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
            outbound = Outbound(message_id, f"reply:{message_id}", identity, address, reply, queue.target)
            await self.send_now(outbound)

    async def send_now(self, outbound: Outbound) -> None:
        db, clock = self.runtime.db, self.runtime.services.clock
        try:
            sent_id = await self.transport.send(outbound)
        except (RateLimited, TemporaryFailure) as error:
            async with db.transaction() as session:  # the sender worker takes it from here
                await Repositories(session).outbox.retry_later(
                    outbound.message_id, due_at=clock.now(), error=str(error)
                )
            return
        except PermanentFailure as error:
            async with db.transaction() as session:
                await Repositories(session).outbox.mark_failed(outbound.message_id, error=str(error))
            return
        async with db.transaction() as session:
            await Repositories(session).outbox.mark_sent(
                outbound.message_id, now=clock.now(), platform_message_id=sent_id
            )

    async def best_effort(self, sending: Coroutine[Any, Any, Any]) -> None:
        try:
            await sending
        except Exception:  # noqa: BLE001 - nothing to keep: the event is already finished or failed
            log.warning("could not send a %s message", self.transport.platform)
