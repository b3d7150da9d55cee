"""Slack transport: `chat.postMessage` straight to the person's user id (no `conversations.open`),
`chat.update` and `chat.delete` of what was sent.

Slack's 429 becomes `RateLimited` (the sender pauses Slack for every replica);
errors that retrying cannot fix become `PermanentFailure` with Slack's reason;
network errors and 5xx become `TemporaryFailure`. The sent message's channel
(the D… conversation Slack opened, not the U… user id we posted to) and `ts`
are returned: chat.update and chat.delete need both.
"""

from __future__ import annotations

from collections.abc import Awaitable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.protocols import Outbound, PermanentFailure, PlatformRef, RateLimited, TemporaryFailure
from bot.slack.blocks import fallback_text, render_blocks
from handlers.messages import Reply
from handlers.tokens import Signer

PERMANENT = {
    "user_not_found",
    "account_inactive",
    "not_in_channel",
    "channel_not_found",
    "is_archived",
    "user_disabled",
    "cannot_dm_bot",
    "invalid_auth",
    "not_authed",
    "token_revoked",
    "missing_scope",
    "msg_too_long",
    "invalid_blocks",
}


def _where(ref: PlatformRef) -> tuple[str, str]:
    if not ref.get("channel") or not ref.get("ts"):
        raise PermanentFailure("no Slack channel and ts stored for this message")
    return ref["channel"], ref["ts"]


def slack_user_id(message: Outbound) -> str | None:
    """Where to post: the stored address, else the user id in `slack:<team>:<user>`."""
    if message.address and message.address.get("user"):
        return str(message.address["user"])
    if message.identity and message.identity.startswith("slack:"):
        return message.identity.rsplit(":", 1)[-1]
    return None


class SlackTransport:
    platform = "slack"

    def __init__(self, client: AsyncWebClient, *, rate: float, signer: Signer) -> None:
        self.client = client
        self.rate = rate
        self.signer = signer

    async def send(self, message: Outbound) -> PlatformRef | None:
        target = message.target or {}
        channel = target.get("channel") or slack_user_id(message)
        if channel is None:
            raise PermanentFailure("no Slack user id for this person")
        if message.reply.private and target.get("shared"):
            channel = slack_user_id(message) or channel  # answered privately: in their DM, not the channel
            target = {}
        response = await self._call(
            self.client.chat_postMessage(
                channel=channel,
                text=fallback_text(message.reply),
                blocks=render_blocks(message.reply, self.signer),
                thread_ts=target.get("thread_ts"),
            )
        )
        if not response.get("ts") or not response.get("channel"):
            return None
        return {"channel": str(response["channel"]), "ts": str(response["ts"])}  # the D… channel, not the U… id

    async def update(self, ref: PlatformRef, reply: Reply) -> None:
        """Replace a sent message (`chat.update` needs the D…/C… channel and ts that the send returned)."""
        channel, ts = _where(ref)
        await self._call(
            self.client.chat_update(
                channel=channel, ts=ts, text=fallback_text(reply), blocks=render_blocks(reply, self.signer)
            )
        )

    async def delete(self, ref: PlatformRef) -> None:
        """Remove a sent message (a recalled announcement)."""
        channel, ts = _where(ref)
        await self._call(self.client.chat_delete(channel=channel, ts=ts))

    @staticmethod
    async def _call(request: Awaitable[AsyncSlackResponse]) -> AsyncSlackResponse:
        """One Web API call, its failures as `RateLimited`, `PermanentFailure` or `TemporaryFailure`."""
        try:
            return await request
        except SlackApiError as error:
            status = error.response.status_code
            code = str(error.response.get("error", "")) if isinstance(error.response.data, dict) else ""
            if status == 429 or code == "ratelimited":
                raise RateLimited(float(error.response.headers.get("Retry-After", 1) or 1)) from None
            if code in PERMANENT:
                raise PermanentFailure(code) from None
            if status >= 500 or code in ("internal_error", "fatal_error", "service_unavailable", "request_timeout"):
                raise TemporaryFailure(f"slack {status} {code}".strip()) from None
            raise PermanentFailure(code or f"http {status}") from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise TemporaryFailure(f"network: {type(error).__name__}") from None

    async def close(self) -> None:
        session = getattr(self.client, "session", None)
        if session is not None and not session.closed:
            await session.close()
