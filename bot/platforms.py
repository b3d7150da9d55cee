"""The platforms this process talks to, built once from the settings (shared by serve and worker)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import Transport
from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack.adapter import SlackAdapter
from bot.slack.transport import SlackTransport
from bot.teams.adapter import TeamsAdapter, build_teams
from bot.teams.auth import TeamsEndpoints
from storage.models import InboxEvent

log = logging.getLogger(__name__)
Replayer = Callable[[InboxEvent], Awaitable[None]]


@dataclass
class Platforms:
    slack: SlackAdapter | None = None
    teams: TeamsAdapter | None = None
    transports: list[Transport] = field(default_factory=list)
    replayers: dict[str, Replayer] = field(default_factory=dict)

    async def start(self, settings: Settings) -> None:
        if self.slack is not None and settings.slack_app_token is not None:
            await self.slack.start_socket_mode(settings.slack_app_token.get_secret_value())
        if self.teams is not None:
            await self.teams.start()

    async def close(self) -> None:
        if self.slack is not None:
            await self.slack.close()
        if self.teams is not None:
            await self.teams.close()
        for transport in self.transports:
            await transport.close()


def _pool() -> aiohttp.ClientSession | None:
    """One pool of kept-alive connections for every Slack call (slack_sdk otherwise opens a new
    connection, in production a TLS handshake, per call). Only inside the running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return None
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))


def build_platforms(runtime: Runtime, *, teams_endpoints: TeamsEndpoints | None = None) -> Platforms:
    """Build what the settings configure; `teams_endpoints` points Teams at local fakes in tests."""
    settings = runtime.settings
    platforms = Platforms()
    if settings.slack_bot_token is not None:
        client = AsyncWebClient(
            token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url, session=_pool()
        )
        transport = SlackTransport(client, rate=settings.slack_send_rate)
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
        platforms.slack = SlackAdapter(runtime, client=client, signing_secret=secret, transport=transport)
        platforms.transports.append(transport)
        platforms.replayers["slack"] = platforms.slack.replay
        modes = [m for m, on in (("HTTP at /slack/events", secret), ("Socket Mode", settings.slack_app_token)) if on]
        log.info("Slack: on (%s)", " and ".join(modes))
    else:
        log.info("Slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to connect)")
    if settings.teams_app_configured or settings.on_loopback:
        platforms.teams = build_teams(runtime, teams_endpoints)
        platforms.transports.append(platforms.teams.transport)
        platforms.replayers["teams"] = platforms.teams.replay
        if settings.teams_app_configured:
            log.info("Teams: on at /api/messages (app %s, %s)", settings.microsoft_app_id, settings.microsoft_app_type)
        else:
            log.warning("Teams: LOCAL EMULATOR mode at /api/messages: no MicrosoftAppId, so no token is checked; "
                        "loopback only")  # fmt: skip
    else:
        log.info("Teams: off (set MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId to connect)")
    return platforms
