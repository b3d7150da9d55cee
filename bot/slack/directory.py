"""Slack's directory: a sender's email from `users.info` (scope `users:read.email`), for `bot.whois`.

Asked by the engine after the ack, only for people whose email is not known yet.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from handlers.messages import Incoming

NOBODY = {"user_not_found", "user_not_visible", "account_inactive"}  # answers, not failures: no email to find


class SlackDirectory:
    """`users.info` for the user id in `slack:<team>:<user>`; the email at `user.profile.email`."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def email(self, payload: dict[str, Any], incoming: Incoming) -> str | None:
        user = incoming.identity.rsplit(":", 1)[-1] if incoming.identity.startswith("slack:") else ""
        if not user:
            return None
        try:
            response = await self.client.users_info(user=user)
        except SlackApiError as error:
            data = error.response.data if isinstance(error.response.data, dict) else {}
            if data.get("error") in NOBODY:
                return None
            raise
        found = response.get("user")
        profile = found.get("profile") if isinstance(found, dict) else None
        email = profile.get("email") if isinstance(profile, dict) else None
        return email if isinstance(email, str) else None
