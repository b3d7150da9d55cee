"""Teams transport: an Adaptive Card to a stored ConversationReference, through botbuilder's CloudAdapter.

`continue_conversation` gives us a connector client for the reference's
service URL (with the bot's credentials); the card is posted as a reply to the
referenced activity when there is one (a thread), else to the conversation.
The Bot Connector's 429 becomes `RateLimited` (with its Retry-After); 403 (the
app is not installed, or the person blocked the bot) and 404 (conversation not
found) become `PermanentFailure` with the reason; 5xx and network errors
`TemporaryFailure`. A reference whose service URL is not a trusted Bot
Framework host is never called. `send` returns the sent activity's reference
(conversation id, activity id and service URL), from which `update` and
`delete` change the card (Bot Connector update/delete activity).

A private reply to someone who wrote in a channel goes to their personal chat
with the bot, never to the channel. When none is stored, it is opened (Bot
Connector create conversation: the member, the bot, the tenant, not a group;
Teams answers with the existing 1:1 if there is one), its reference handed to
the engine's `keep_address` (stored before the card is sent, so a retry finds
it), and the card sent there.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from azure.core.exceptions import DeserializationError  # what msrest raises (it re-exports this class)
from botbuilder.core import CloudAdapterBase, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
    ErrorResponseException,
)
from msrest.exceptions import ClientRequestError

from bot.protocols import KeepAddress, Outbound, PermanentFailure, PlatformRef, RateLimited, TemporaryFailure
from bot.teams.auth import ServiceUrlPolicy
from bot.teams.cards import CARD_CONTENT_TYPE, fallback_text, render_card
from handlers.messages import Reply
from handlers.tokens import Signer

log = logging.getLogger(__name__)


def _status(error: ErrorResponseException) -> int:
    response = error.response
    return int(getattr(response, "status_code", None) or getattr(response, "status", None) or 0)


def _reason(error: ErrorResponseException, status: int) -> str:
    code = getattr(getattr(error.error, "error", None), "code", None) if error.error is not None else None
    return f"teams {status} {code or ''}".strip()


class TeamsTransport:
    """Sends replies and proactive messages on Teams.

    Args:
        cloud: botbuilder's CloudAdapter (its authentication makes the outgoing credentials).
        app_id: MicrosoftAppId ("" in local emulator mode).
        policy: which service URLs may be called.
        rate: messages per second, shared by every replica.
        keep_address: stores a personal chat this transport opened, as the person's address.
    """

    platform = "teams"

    def __init__(
        self,
        cloud: CloudAdapter,
        *,
        app_id: str,
        policy: ServiceUrlPolicy,
        rate: float,
        signer: Signer,
        keep_address: KeepAddress | None = None,
    ) -> None:
        self.cloud = cloud
        self.signer = signer
        self.app_id = app_id
        self.policy = policy
        self.rate = rate
        self.keep_address = keep_address

    async def send(self, message: Outbound) -> dict[str, str] | None:
        target = message.target or {}
        found = target.get("reference")
        if not found or (message.reply.private and target.get("shared")):
            found = message.address  # answered privately: in their personal chat, not the channel
            if found and target.get("shared"):
                found = {k: v for k, v in found.items() if k != "activityId"}
            elif not found and target.get("shared") and target.get("reference"):
                found = await self.open_personal_chat(message.identity, target["reference"])
        if not found:
            raise PermanentFailure("no Teams conversation with this person (the app is not installed for them)")
        return await self.send_card(found, render_card(message.reply, self.signer), fallback_text(message.reply))

    async def open_personal_chat(self, identity: str | None, shared: dict[str, Any]) -> dict[str, Any]:
        """Open (or find) the 1:1 chat of the person in the shared conversation reference `shared` with
        the bot; its reference, kept as their address. Nothing is posted in the shared conversation."""
        if not self.policy.allows(shared.get("serviceUrl")):
            raise PermanentFailure("the stored service URL is not a Bot Framework address")
        try:
            reference = ConversationReference().deserialize(shared)
        except DeserializationError:
            raise PermanentFailure("the stored conversation reference is unreadable") from None
        user, bot = shared.get("user") or {}, shared.get("bot") or {}
        tenant = (shared.get("conversation") or {}).get("tenantId")
        if not user.get("id") or not bot.get("id") or reference.conversation is None:
            raise PermanentFailure("no Teams member to open a personal chat with")
        parameters = ConversationParameters(
            is_group=False,
            bot=ChannelAccount(id=bot["id"]),
            members=[ChannelAccount(id=user["id"])],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}} if tenant else None,
        )
        opened: list[Any] = []

        async def create(connector: Any) -> None:
            opened.append(await connector.conversations.create_conversation(parameters))

        await self.with_connector(reference, create)
        conversation_id = getattr(opened[0], "id", None) if opened else None
        if not conversation_id:
            raise TemporaryFailure("the Bot Connector opened no personal chat")
        service_url = getattr(opened[0], "service_url", None)
        conversation = {"id": conversation_id, "conversationType": "personal", "tenantId": tenant}
        address = {
            "user": user,
            "bot": bot,
            "conversation": {k: v for k, v in conversation.items() if v},
            "channelId": shared.get("channelId", "msteams"),
            "serviceUrl": service_url if self.policy.allows(service_url) else shared["serviceUrl"],
            "locale": shared.get("locale"),
        }
        address = {k: v for k, v in address.items() if v is not None}
        if self.keep_address is not None:
            await self.keep_address(identity, self.platform, address)
        log.info("Teams: opened a personal chat for a private reply to a channel message")
        return address

    async def send_card(self, found: dict[str, Any], card: dict[str, Any], summary: str) -> dict[str, str] | None:
        """Post one card to the conversation (or thread) a stored reference points at."""
        if not self.policy.allows(found.get("serviceUrl")):
            raise PermanentFailure("the stored service URL is not a Bot Framework address")
        try:
            reference = ConversationReference().deserialize(found)
        except DeserializationError:
            raise PermanentFailure("the stored conversation reference is unreadable") from None
        if reference.conversation is None or not reference.conversation.id:
            raise PermanentFailure("the stored conversation reference has no conversation")
        activity = Activity(
            type=ActivityTypes.message,
            summary=summary,
            attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=card)],
        )
        sent: list[dict[str, str]] = []

        async def post(connector: Any) -> None:
            outgoing = TurnContext.apply_conversation_reference(activity, reference)
            conversation_id = reference.conversation.id
            if reference.activity_id:
                response = await connector.conversations.reply_to_activity(
                    conversation_id, reference.activity_id, outgoing
                )
            else:
                outgoing.reply_to_id = None
                response = await connector.conversations.send_to_conversation(conversation_id, outgoing)
            if getattr(response, "id", None):
                sent.append(
                    {"conversation": conversation_id, "activity_id": response.id, "service_url": reference.service_url}
                )

        await self.with_connector(reference, post)
        return sent[0] if sent else None

    async def update(self, ref: PlatformRef, reply: Reply) -> None:
        """Replace a sent card (Bot Connector: update activity)."""
        reference, activity_id = self._sent_message(ref)
        activity = Activity(
            type=ActivityTypes.message,
            id=activity_id,
            summary=fallback_text(reply),
            attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=render_card(reply, self.signer))],
        )

        async def replace(connector: Any) -> None:
            outgoing = TurnContext.apply_conversation_reference(activity, reference)
            outgoing.id = activity_id
            await connector.conversations.update_activity(reference.conversation.id, activity_id, outgoing)

        await self.with_connector(reference, replace)

    async def delete(self, ref: PlatformRef) -> None:
        """Remove a sent card (Bot Connector: delete activity)."""
        reference, activity_id = self._sent_message(ref)

        async def remove(connector: Any) -> None:
            await connector.conversations.delete_activity(reference.conversation.id, activity_id)

        await self.with_connector(reference, remove)

    def _sent_message(self, ref: PlatformRef) -> tuple[ConversationReference, str]:
        """The conversation a sent message is in, from what `send` stored (service URL, conversation, activity)."""
        if not ref.get("conversation") or not ref.get("activity_id") or not ref.get("service_url"):
            raise PermanentFailure("no Teams conversation and activity id stored for this message")
        if not self.policy.allows(ref["service_url"]):
            raise PermanentFailure("the stored service URL is not a Bot Framework address")
        reference = ConversationReference(
            channel_id="msteams",
            service_url=ref["service_url"],
            conversation=ConversationAccount(id=ref["conversation"]),
        )
        return reference, ref["activity_id"]

    async def with_connector(self, reference: ConversationReference, call: Callable[[Any], Awaitable[None]]) -> None:
        """Run `call` with a connector client for the reference's service URL; failures as our three kinds."""

        async def with_context(context: TurnContext) -> None:
            connector = context.turn_state[CloudAdapterBase.BOT_CONNECTOR_CLIENT_KEY]
            # botbuilder makes a new client, with an HTTP session of its own, for every call and never closes it:
            # close it here, or every message leaves a connection open until the garbage collector finds it.
            async with connector:
                await call(connector)

        try:
            await self.cloud.continue_conversation(reference, with_context, bot_app_id=self.app_id)
        except ErrorResponseException as error:
            status = _status(error)
            if status == 429:
                retry_after = error.response.headers.get("Retry-After", "1") if error.response is not None else "1"
                try:
                    raise RateLimited(max(float(retry_after), 0.0)) from None
                except ValueError:
                    raise RateLimited(1.0) from None
            if status >= 500:
                raise TemporaryFailure(_reason(error, status)) from None
            raise PermanentFailure(_reason(error, status)) from None
        except (ClientRequestError, aiohttp.ClientError, TimeoutError, OSError) as error:
            raise TemporaryFailure(f"network: {type(error).__name__}") from None
        except PermissionError:  # no token from AAD (wrong password, or AAD unreachable)
            raise TemporaryFailure("could not get a token for the Bot Connector") from None

    async def close(self) -> None:
        return None
