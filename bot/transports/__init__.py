"""Transports: how the outbox sender delivers a message on one platform.

A transport sends one `Reply` to one person's stored address and returns the
platform's reference to the sent message (what updating or deleting it needs:
Slack channel + ts, Teams conversation + activity id + service URL). It says
what went wrong by raising: `RateLimited` (the platform asked us to wait),
`PermanentFailure` (retrying cannot help: the person left, blocked the bot, the
address is wrong) or `TemporaryFailure` (try again later).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from handlers.messages import Reply


@dataclass(frozen=True)
class Outbound:
    """One message to deliver."""

    message_id: int
    dedupe_key: str
    identity: str | None
    address: dict[str, Any] | None
    reply: Reply
    target: dict[str, Any] | None = None  # a reply's own place (channel, thread); None: the person's DM
    owner: str | None = None  # who holds the outbox row's lease (only they may record the outcome)


class RateLimited(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited; retry after {retry_after:g} s")
        self.retry_after = retry_after


class PermanentFailure(Exception):
    """Retrying cannot help; the reason is kept on the outbox row."""


class TemporaryFailure(Exception):
    """A network error or a 5xx: worth another try."""


class Transport(Protocol):
    platform: str
    rate: float  # messages per second, shared by every replica

    async def send(self, message: Outbound) -> dict[str, str] | None: ...

    async def close(self) -> None: ...
