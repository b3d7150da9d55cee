"""The platforms this process talks to, built once from the settings (shared by serve and worker).

A platform's package, and so its SDK, is imported only when that platform is configured.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.engine import TurnEngine
from bot.protocols import Transport
from bot.runtime import Runtime, build_engine
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.slack.adapter import SlackAdapter
    from bot.teams.adapter import TeamsAdapter
    from bot.teams.auth import TeamsEndpoints

log = logging.getLogger(__name__)


@dataclass
class Platforms:
    engine: TurnEngine
    slack: SlackAdapter | None = None
    teams: TeamsAdapter | None = None
    transports: list[Transport] = field(default_factory=list)

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
        await self.engine.drain()
        for transport in self.transports:
            await transport.close()


def build_platforms(runtime: Runtime, *, teams_endpoints: TeamsEndpoints | None = None) -> Platforms:
    """Build what the settings configure; `teams_endpoints` points Teams at local fakes in tests."""
    settings = runtime.settings
    platforms = Platforms(build_engine(runtime))
    if settings.slack_bot_token is not None:
        from bot.slack.adapter import build_slack

        platforms.slack, transport = build_slack(platforms.engine, settings, runtime.signer)
        platforms.transports.append(transport)
        secret, socket_mode = settings.slack_signing_secret, settings.slack_app_token
        modes = [m for m, on in (("HTTP at /slack/events", secret), ("Socket Mode", socket_mode)) if on]
        log.info("Slack: on (%s)", " and ".join(modes))
    else:
        log.info("Slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to connect)")
    if settings.teams_app_configured or settings.on_loopback:
        from bot.teams.adapter import build_teams

        platforms.teams, teams_transport = build_teams(platforms.engine, settings, runtime.signer, teams_endpoints)
        platforms.transports.append(teams_transport)
        if settings.teams_app_configured:
            log.info("Teams: on at /api/messages (app %s, %s)", settings.microsoft_app_id, settings.microsoft_app_type)
        else:
            log.warning("Teams: LOCAL EMULATOR mode at /api/messages: no MicrosoftAppId, so no token is checked; "
                        "loopback only")  # fmt: skip
    else:
        log.info("Teams: off (set MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId to connect)")
    return platforms
