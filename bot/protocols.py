"""What a platform package provides, in one place: an adapter, a renderer and a transport.

- An **adapter** turns one platform payload into a `Turn` (pure translation: no I/O, no storage).
  The turn engine (`bot.engine`) calls it for live events and again for events replayed from the
  inbox after a crash, so the same payload always means the same thing.
- A **renderer** turns a neutral `Reply` into the platform's format (Block Kit, an Adaptive Card,
  terminal text). It is a plain function of the reply.
- A **transport** sends, updates and deletes messages. It says what went wrong by raising
  `RateLimited` (the platform asked us to wait), `PermanentFailure` (retrying cannot help: the
  person left, blocked the bot, the address is wrong) or `TemporaryFailure` (try again later).
  `send` returns the platform's reference to the sent message, stored whole on the outbox row so
  the message can be updated or deleted later (Slack: channel + ts; Teams: conversation +
  activity id).
- A transport that has to open a conversation to reach someone (Teams: a private reply to a person
  who wrote in a channel and has no personal chat stored) hands the new address to a `KeepAddress`
  the engine gives it, so it is stored for next time without the platform package importing storage.
- A **directory** (optional, per platform) tells the engine a person's email when the platform
  knows it (Slack `users.info`, the Bot Connector's member lookup); the engine asks it after the
  ack, only when the email is not known yet, bounded in time, best effort.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from handlers.messages import Incoming, Reply

PlatformRef = dict[str, str]
KeepAddress = Callable[[str | None, str, dict[str, Any]], Awaitable[None]]
"""Store `address` as where later messages to the person with this identity go on this platform."""
R_co = TypeVar("R_co", covariant=True)


@dataclass(frozen=True)
class Turn:
    """What one platform event means for the core.

    Attributes:
        incoming: the message or action for the core; None when the event asks nothing of it
            (a bot's own message, an edit, an event we don't act on).
        target: where replies go (a DM, a channel thread, a conversation reference); None when the
            replies are not sent as messages (the `after` step shows them instead).
        after: platform work once the turn is done, given its replies (open a Slack modal,
            publish the App Home); best effort, never retried.
    """

    incoming: Incoming | None
    target: dict[str, Any] | None = None
    after: Callable[[list[Reply]], Awaitable[None]] | None = None


class Adapter(Protocol):
    """Translates one platform's payloads (as kept in the inbox) into turns."""

    platform: str

    def translate(self, payload: dict[str, Any]) -> Turn: ...


class Renderer(Protocol[R_co]):
    """A neutral reply in one platform's format."""

    def __call__(self, reply: Reply) -> R_co: ...


@dataclass(frozen=True)
class Outbound:
    """One message to deliver."""

    message_id: int
    dedupe_key: str
    identity: str | None
    address: dict[str, Any] | None
    reply: Reply
    target: dict[str, Any] | None = None  # a reply's own place (channel, thread); None: the person's DM


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

    async def send(self, message: Outbound) -> PlatformRef | None: ...

    async def update(self, ref: PlatformRef, reply: Reply) -> None: ...

    async def delete(self, ref: PlatformRef) -> None: ...

    async def close(self) -> None: ...


class Directory(Protocol):
    """Who someone is, as the platform's directory says: their email (None when it has none)."""

    platform: str

    async def email(self, payload: dict[str, Any], incoming: Incoming) -> str | None:
        """The sender's email; raises when the platform could not be asked (the engine bounds the time)."""
        ...
