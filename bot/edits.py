"""Updates and deletes of messages already sent (announcement corrections and recalls), as a transport.

Each platform paces them apart from new messages (Slack's `chat.update` and `chat.delete` are Tier 3,
about 50 a minute, while posting is faster), so they are outbox rows on a platform of their own,
"<platform>:edit", claimed and paced by the ordinary sender with their own shared pace row.
The row's `target` holds the operation and the platform's reference to the delivered message.
"""

from __future__ import annotations

from bot.protocols import Outbound, PermanentFailure, PlatformRef, Transport
from handlers.messages import Reply


class EditTransport:
    """`update`/`delete` of `inner`'s sent messages, sent through the outbox at `rate` a second."""

    def __init__(self, inner: Transport, *, rate: float) -> None:
        self.inner = inner
        self.platform = f"{inner.platform}:edit"
        self.rate = rate

    async def send(self, message: Outbound) -> PlatformRef | None:
        target = message.target or {}
        ref = target.get("ref")
        if not isinstance(ref, dict) or not ref:
            raise PermanentFailure("no reference to the delivered message")
        if target.get("op") == "delete":
            await self.inner.delete(ref)
            return None
        if target.get("op") == "update":
            await self.inner.update(ref, message.reply)
            return ref
        raise PermanentFailure(f"unknown edit {target.get('op')!r}")

    async def update(self, ref: PlatformRef, reply: Reply) -> None:
        await self.inner.update(ref, reply)

    async def delete(self, ref: PlatformRef) -> None:
        await self.inner.delete(ref)

    async def close(self) -> None:
        """The inner transport is closed by its owner."""
