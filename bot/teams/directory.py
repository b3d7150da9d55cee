"""The Bot Connector as a directory: a sender's email (or UPN) from the member lookup, for `bot.whois`.

`GET /v3/conversations/{conversationId}/members/{memberId}` (what botbuilder's
`TeamsInfo.get_member` calls) through the transport's connector client; the
email is in `email`, else `userPrincipalName`. Asked by the engine after the
ack, only for people whose email is not known yet.
"""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import DeserializationError
from botbuilder.schema import ConversationReference

from bot.protocols import PermanentFailure
from bot.teams import activities
from bot.teams.transport import TeamsTransport
from handlers.messages import Incoming


class TeamsDirectory:
    """Looks the sender of an activity up in its own conversation."""

    platform = "teams"

    def __init__(self, transport: TeamsTransport) -> None:
        self.transport = transport

    async def email(self, payload: dict[str, Any], incoming: Incoming) -> str | None:
        member = (payload.get("from") or {}).get("id")
        found = activities.reference(payload, reply_to=False)
        if not member or not self.transport.policy.allows(found.get("serviceUrl")):
            return None
        try:
            reference = ConversationReference().deserialize(found)
        except DeserializationError:
            return None
        if reference.conversation is None or not reference.conversation.id:
            return None
        members: list[Any] = []

        async def lookup(connector: Any) -> None:
            members.append(await connector.conversations.get_conversation_member(reference.conversation.id, member))

        try:
            await self.transport.with_connector(reference, lookup)
        except PermanentFailure:  # not a member (404), not allowed (403): nothing to find
            return None
        extra = (getattr(members[0], "additional_properties", None) or {}) if members else {}
        email = extra.get("email") or extra.get("userPrincipalName")
        return email if isinstance(email, str) else None
