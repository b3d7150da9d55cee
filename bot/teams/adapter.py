"""Microsoft Teams: `POST /api/messages` on botbuilder's CloudAdapter, with the inbox and reliable replies.

Every request is checked before anything is acted on: content type and JSON
first (400, never 500), then Bot Framework's JWT (botbuilder's validation with
the signing keys fetched off the event loop; any failure is 401), then the
service URL and tenant (403: a forged `serviceUrl` is never stored or called).
With no MicrosoftAppId the bot is a local emulator: no token is checked, and
only loopback service URLs are accepted (settings allow this only on a
loopback bind). Each activity is written to the inbox before it is
acknowledged; a retry of a known activity is acknowledged and dropped.
Messages are answered after the ack; card actions (`adaptiveCard/action`) get
their InvokeResponse at once. Replies go through the outbox (leased to this
process, sent straight away), so a crash loses nothing.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from typing import Any

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.integration.aiohttp import ConfigurationServiceClientCredentialFactory as CredentialFactory
from botbuilder.schema import Activity

from bot.runtime import Runtime
from bot.teams import activities
from bot.teams.auth import (
    AsyncOpenIdMetadata,
    OffLoopCredentialsFactory,
    ServiceUrlPolicy,
    TeamsAuthConfig,
    TeamsEndpoints,
    install_metadata,
    tenant_allowed,
)
from bot.teams.cards import invoke_card, invoke_message, render_card
from bot.teams.transport import TeamsTransport
from bot.turns import InboxBatcher, Turns
from handlers.conversation import ReplyQueue
from handlers.messages import Incoming, Reply
from storage.models import InboxEvent
from storage.repositories import Repositories

log = logging.getLogger(__name__)
CARD_ACTION = "adaptiveCard/action"


class Unauthorized(Exception):
    """The request's token is missing or not valid for this bot."""


def _refuse(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class TeamsAdapter:
    """Translates Bot Framework activities for the core and delivers its replies.

    Args:
        runtime: the shared core, database and clock.
        cloud: botbuilder's CloudAdapter (authentication, connector clients).
        transport: the Teams transport the outbox sender also uses.
        policy: which service URLs are accepted.
        metadata: the signing-key caches to prefetch at start-up.
    """

    def __init__(
        self,
        runtime: Runtime,
        *,
        cloud: CloudAdapter,
        transport: TeamsTransport,
        policy: ServiceUrlPolicy,
        metadata: list[AsyncOpenIdMetadata],
    ) -> None:
        self.runtime = runtime
        self.cloud = cloud
        self.transport = transport
        self.policy = policy
        self.metadata = metadata
        self.emulator = policy.emulator
        self.tenant_id = runtime.settings.microsoft_app_tenant_id
        self.owner = f"teams:{socket.gethostname()}:{os.getpid()}"
        self.turns = Turns(runtime, transport)
        self.inbox = InboxBatcher(runtime)

    async def start(self) -> None:
        """Fetch Bot Framework's signing keys before the first request needs them."""
        if not self.emulator:
            await self.metadata[0].prefetch()

    async def close(self) -> None:
        await self.turns.drain()

    # ---- HTTP ---------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if not request.headers.get("Content-Type"):
            return _refuse(400, "missing Content-Type (expected application/json)")
        if request.content_type != "application/json":
            return _refuse(415, "expected Content-Type: application/json")
        try:
            body = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return _refuse(400, "malformed JSON")
        if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
            return _refuse(400, "not a Bot Framework activity")
        try:
            activity = Activity().deserialize(body)
        except Exception:  # noqa: BLE001 - msrest raises several kinds for odd shapes
            return _refuse(400, "not a Bot Framework activity")
        try:
            await self._authenticate(activity, request.headers.get("Authorization"))
        except Unauthorized:
            return _refuse(401, "unauthorized")
        if not self.policy.allows(body.get("serviceUrl")):
            log.warning("Teams: refused an activity for an untrusted service URL")
            return _refuse(403, "service URL not allowed")
        if not tenant_allowed(body, self.tenant_id):
            log.warning("Teams: refused an activity from another tenant")
            return _refuse(403, "tenant not allowed")
        return await self._accept(body)

    async def _authenticate(self, activity: Activity, header: str | None) -> None:
        if self.emulator:
            return  # local emulator mode: loopback only (see bot/settings.py)
        try:
            await self.cloud.bot_framework_authentication.authenticate_request(activity, header or "")
        except Exception as error:  # noqa: BLE001 - botbuilder and PyJWT raise plain exceptions; all mean 401
            log.info("Teams: refused a request (%s)", type(error).__name__)
            raise Unauthorized from None

    async def _accept(self, body: dict[str, Any]) -> web.StreamResponse:
        key = activities.inbox_key(body)
        inbox_id = await self.inbox.record("teams", key, body) if key else None
        duplicate = key is not None and inbox_id is None
        if body["type"] == "invoke":
            if body.get("name") != CARD_ACTION:
                await self.turns.finish(inbox_id)
                return web.json_response({}, status=200)
            if duplicate:
                return web.json_response(invoke_message("Already done."))
            return web.json_response(await self._invoke(body, inbox_id))
        if not duplicate:
            self.turns.spawn(self._process(body, inbox_id))
        return web.Response(status=200)

    async def replay(self, event: InboxEvent) -> None:
        """Finish an activity whose receiver stopped before it was done (called by the recovery worker)."""
        await self._process(dict(event.payload), event.id)
        await self.turns.drain()

    # ---- turns --------------------------------------------------------------------------------

    async def _invoke(self, body: dict[str, Any], inbox_id: int | None) -> dict[str, Any]:
        """A card action: the InvokeResponse body (the form again with its errors, or a short message)."""
        sub = activities.submission(body)
        if sub is not None and sub.errors:
            await self.turns.finish(inbox_id)
            reply = Reply("Please check what you entered.", form=sub.form)
            return invoke_card(render_card(reply, values=sub.values, errors=sub.errors))
        incoming = activities.from_activity(body, sub)
        if incoming is None:
            await self.turns.finish(inbox_id)
            return invoke_message("That button no longer does anything.")
        replies, queue = await self._turn(incoming, body, inbox_id)
        self.turns.spawn(self._deliver_all(incoming, replies, queue))
        return invoke_message("Got it." if replies else "Already done.")

    async def _process(self, body: dict[str, Any], inbox_id: int | None) -> None:
        state = activities.installed(body)
        if state is not None:
            await (self._install(body, inbox_id) if state else self._uninstall(body, inbox_id))
            return
        sub = activities.submission(body)
        if sub is not None and sub.errors:  # an Action.Submit form: show it again with the messages
            await self.turns.finish(inbox_id)
            card = render_card(Reply("Please check what you entered.", form=sub.form), values=sub.values,
                               errors=sub.errors)  # fmt: skip
            await self.turns.best_effort(
                self.transport.send_card(activities.target(body)["reference"], card, "LeadWell")
            )
            return
        incoming = activities.from_activity(body, sub)
        if incoming is None:
            await self.turns.finish(inbox_id)
            return
        replies, queue = await self._turn(incoming, body, inbox_id)
        await self._deliver_all(incoming, replies, queue)

    async def _install(self, body: dict[str, Any], inbox_id: int | None) -> None:
        """The app was added: greet (through the core) and keep the person's address for later messages."""
        who = activities.identity(body)
        if who is None:
            await self.turns.finish(inbox_id)
            return
        incoming = Incoming(
            platform="teams",
            identity=who,
            conversation=str((body.get("conversation") or {}).get("id", "")),
            text="hello",
            private=activities.is_personal(body),
            name=(body.get("from") or {}).get("name"),
            event_id=activities.inbox_key(body),
            address=activities.personal_address(body),
        )
        replies, queue = await self._turn(incoming, body, inbox_id, reply_in_thread=False)
        await self._deliver_all(incoming, replies, queue)

    async def _uninstall(self, body: dict[str, Any], inbox_id: int | None) -> None:
        """The app was removed from a personal chat: nothing more can be sent there."""
        who = activities.identity(body)
        db, clock = self.runtime.db, self.runtime.services.clock
        async with db.transaction() as session:
            repos = Repositories(session)
            if inbox_id is not None and not await repos.inbox.finish(inbox_id, clock.now()):
                return
            person = await repos.people.by_identity(who) if who else None
            if person is not None and activities.is_personal(body):
                await repos.people.mark_unreachable(person.id or 0, "teams", "the app was uninstalled", clock.now())

    async def _turn(
        self, incoming: Incoming, body: dict[str, Any], inbox_id: int | None, *, reply_in_thread: bool = True
    ) -> tuple[list[Reply], ReplyQueue]:
        target = {"reference": activities.reference(body, reply_to=reply_in_thread),
                  "shared": not activities.is_personal(body)}  # fmt: skip
        key = f"teams:{inbox_id}" if inbox_id is not None else f"teams:{incoming.event_id}"[:150]
        queue = ReplyQueue(key=key, target=target, owner=self.owner)
        replies = await self.turns.turn(incoming, inbox_id=inbox_id, queue=queue)
        return replies, queue

    # ---- delivery -----------------------------------------------------------------------------

    async def _deliver_all(self, incoming: Incoming, replies: list[Reply], queue: ReplyQueue) -> None:
        address = None
        if queue.target.get("shared") and any(reply.private for reply in replies):
            address = await self._stored_address(incoming.identity)  # answered in their personal chat instead
        await self.turns.deliver(incoming.identity, replies, queue, address=address)

    async def _stored_address(self, identity: str) -> dict[str, Any] | None:
        async with self.runtime.db.transaction() as session:
            repos = Repositories(session)
            person = await repos.people.by_identity(identity)
            row = await repos.people.address(person.id or 0, "teams") if person is not None else None
        return row.address if row is not None and row.reachable else None


def build_teams(runtime: Runtime, endpoints: TeamsEndpoints | None = None) -> TeamsAdapter:
    """The adapter and its transport, from the settings (and, in tests, local fake endpoints)."""
    settings = runtime.settings
    endpoints = endpoints or TeamsEndpoints()
    config = TeamsAuthConfig(settings, endpoints)
    credentials = OffLoopCredentialsFactory(CredentialFactory(config), fixed_token=endpoints.outbound_token)
    cloud = CloudAdapter(ConfigurationBotFrameworkAuthentication(config, credentials_factory=credentials))
    policy = ServiceUrlPolicy(emulator=not config.APP_ID, trusted=endpoints.trusted_service_urls)
    transport = TeamsTransport(cloud, app_id=config.APP_ID, policy=policy, rate=settings.teams_send_rate)
    return TeamsAdapter(runtime, cloud=cloud, transport=transport, policy=policy, metadata=install_metadata(endpoints))
