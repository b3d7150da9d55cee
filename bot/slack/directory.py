"""Slack's directory: a sender's email from `users.info` (scope `users:read.email`), for `bot.whois`, and the
workspace's members from `users.list` (Tier 2, paged), for `leadwell users sync-slack`.

`users.info` is asked by the engine after the ack, only for people whose email is not known yet.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from handlers.messages import Incoming

NOBODY = {"user_not_found", "user_not_visible", "account_inactive"}  # answers, not failures: no email to find
PAGE = 200  # members per users.list page: Slack's advice (it may send fewer)
RATE_LIMIT_RETRIES = 5  # a 429 waits its Retry-After, this many times in a row at most


@dataclass(frozen=True)
class Member:
    """A person in the workspace: Slack user id, workspace id, and email (None without `users:read.email`)."""

    user: str
    team: str
    email: str | None


def members_client(token: str, base_url: str) -> AsyncWebClient:
    """A client for reading the member list that waits out 429s (Retry-After) instead of failing."""
    client = AsyncWebClient(token=token, base_url=base_url)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


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

    async def members(self) -> AsyncIterator[list[Member]]:
        """Each page of `users.list` (cursor-paged), without bots, apps, Slackbot and deactivated accounts."""
        cursor: str | None = None
        while True:
            response = await self.client.users_list(limit=PAGE, cursor=cursor)
            found = response.get("members") or []
            yield [member for item in found if (member := _member(item)) is not None]
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return


def _member(item: Any) -> Member | None:
    if not isinstance(item, dict) or item.get("deleted") or item.get("is_bot") or item.get("is_app_user"):
        return None
    user, team = item.get("id"), item.get("team_id")
    if not isinstance(user, str) or not isinstance(team, str) or user == "USLACKBOT":
        return None
    profile = item.get("profile") if isinstance(item.get("profile"), dict) else {}
    email = profile.get("email") if isinstance(profile, dict) else None
    return Member(user, team, email.strip().lower() if isinstance(email, str) and email.strip() else None)
