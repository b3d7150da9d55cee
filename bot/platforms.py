"""The platforms this process talks to, built once from the settings (shared by serve and worker)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import SlackAdapter
from bot.runtime import Runtime
from bot.settings import Settings
from bot.transports import Transport
from bot.transports.slack import SlackTransport
from storage.models import InboxEvent

log = logging.getLogger(__name__)
Replayer = Callable[[InboxEvent], Awaitable[None]]


@dataclass
class Platforms:
    slack: SlackAdapter | None = None
    transports: list[Transport] = field(default_factory=list)
    replayers: dict[str, Replayer] = field(default_factory=dict)

    async def start(self, settings: Settings) -> None:
        if self.slack is not None and settings.slack_app_token is not None:
            await self.slack.start_socket_mode(settings.slack_app_token.get_secret_value())

    async def close(self) -> None:
        if self.slack is not None:
            await self.slack.close()
        for transport in self.transports:
            await transport.close()


def build_platforms(runtime: Runtime) -> Platforms:
    settings = runtime.settings
    platforms = Platforms()
    if settings.slack_bot_token is not None:
        client = AsyncWebClient(token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)
        transport = SlackTransport(client, rate=settings.slack_send_rate)
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
        platforms.slack = SlackAdapter(runtime, client=client, signing_secret=secret, transport=transport)
        platforms.transports.append(transport)
        platforms.replayers["slack"] = platforms.slack.replay
        modes = [m for m, on in (("HTTP at /slack/events", secret), ("Socket Mode", settings.slack_app_token)) if on]
        log.info("Slack: on (%s)", " and ".join(modes))
    else:
        log.info("Slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to connect)")
    return platforms
