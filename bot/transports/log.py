"""A transport that only logs that a message would go out (no text): for dry runs and local trials."""

from __future__ import annotations

import logging

from bot.transports import Outbound

log = logging.getLogger(__name__)


class LogTransport:
    """Delivers nothing; logs the dedupe key of each message it was given.

    Args:
        platform: which platform's rows it takes (e.g. "web" before web chat exists).
        rate: messages per second.
    """

    def __init__(self, platform: str, rate: float = 50.0) -> None:
        self.platform = platform
        self.rate = rate
        self.sent: list[str] = []

    async def send(self, message: Outbound) -> str | None:
        log.info("would deliver %s to %s", message.dedupe_key, message.identity)
        self.sent.append(message.dedupe_key)
        return f"log-{message.message_id}"

    async def close(self) -> None:
        return None
