"""Microsoft Teams: `POST /api/messages`, checked with botbuilder's CloudAdapter, turns for the engine out.

Every request is checked before anything is acted on, cheapest first: the
content type, then Bot Framework's JWT from the Authorization header alone
(botbuilder's validation with the signing keys fetched off the event loop; any
failure is 401) before a byte of the body is read; then the body, bounded in
size, time and JSON depth, and the fields we read checked by type (400, never
500); then the token's service URL claim, the service URL and the tenant (403:
a forged `serviceUrl` is never stored or called).
With no MicrosoftAppId the bot is a local emulator: no token is checked, and
only loopback service URLs are accepted (settings allow this only on a
loopback bind). Each activity goes to the turn engine, which keeps it in
the inbox before it is acknowledged; a retry of a known activity is
acknowledged and dropped. Messages are answered after the ack; card actions
(`adaptiveCard/action`) get their InvokeResponse once their turn is done.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.integration.aiohttp import ConfigurationServiceClientCredentialFactory as CredentialFactory

from bot.engine import Event, NotKept, TurnEngine
from bot.http import BadBody, parse_json, read_body
from bot.protocols import Turn
from bot.settings import Settings
from bot.teams import activities, payloads
from bot.teams.auth import (
    AsyncOpenIdMetadata,
    OffLoopCredentialsFactory,
    ServiceUrlPolicy,
    TeamsAuthConfig,
    TeamsEndpoints,
    TokenCheck,
    install_metadata,
    tenant_allowed,
)
from bot.teams.cards import invoke_card, invoke_message, render_card
from bot.teams.directory import TeamsDirectory
from bot.teams.sdk_fixes import speed_up_retry_policy
from bot.teams.transport import TeamsTransport
from handlers.messages import Action, Incoming, Reply
from handlers.names import ActionId
from handlers.tokens import Signer

log = logging.getLogger(__name__)
CARD_ACTION = "adaptiveCard/action"


def _refuse(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class TeamsAdapter:
    """Checks Bot Framework requests, acknowledges them once kept, and translates them for the core.

    Args:
        engine: the turn engine.
        cloud: botbuilder's CloudAdapter (authentication, connector clients).
        transport: the Teams transport (a form sent back with errors is shown again through it).
        policy: which service URLs are accepted.
        metadata: the signing-key caches to prefetch at start-up.
        tenant_id: MicrosoftAppTenantId: activities from other tenants are refused.
        signer: seals the tokens of card actions and opens those sent back.
    """

    platform = "teams"

    def __init__(
        self,
        engine: TurnEngine,
        *,
        cloud: CloudAdapter,
        transport: TeamsTransport,
        policy: ServiceUrlPolicy,
        metadata: list[AsyncOpenIdMetadata],
        tenant_id: str | None,
        signer: Signer,
    ) -> None:
        self.engine = engine
        self.signer = signer
        self.cloud = cloud
        self.transport = transport
        self.policy = policy
        self.metadata = metadata
        self.emulator = policy.emulator
        self.tenant_id = tenant_id
        self.token = TokenCheck(cloud.bot_framework_authentication)

    async def start(self) -> None:
        """Fetch Bot Framework's signing keys before the first request needs them."""
        if not self.emulator:
            await self.metadata[0].prefetch()

    async def close(self) -> None:
        return None

    # ---- HTTP ---------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if not request.headers.get("Content-Type"):
            return _refuse(400, "missing Content-Type (expected application/json)")
        if request.content_type != "application/json":
            return _refuse(415, "expected Content-Type: application/json")
        header = request.headers.get("Authorization")
        try:
            identity = None if self.emulator else await self.token.identity(header)
        except Exception as error:  # noqa: BLE001 - botbuilder and PyJWT raise plain exceptions; all mean 401
            log.debug("Teams: refused a request (%s)", type(error).__name__)  # a flood must not flood the log
            return _refuse(401, "unauthorized")
        try:
            body = payloads.check(parse_json(await read_body(request)))
        except BadBody as bad:
            return bad.response()
        except payloads.UnexpectedShape as error:
            log.warning("Teams: refused an activity (%s)", error)
            return _refuse(400, "not a Bot Framework activity we can read")
        if identity is not None and not self.token.service_url_matches(identity, header or "", body.get("serviceUrl")):
            log.info("Teams: refused a request (the token is for another service URL)")
            return _refuse(401, "unauthorized")
        if not self.policy.allows(body.get("serviceUrl")):
            log.warning("Teams: refused an activity for an untrusted service URL")
            return _refuse(403, "service URL not allowed")
        if not tenant_allowed(body, self.tenant_id):
            log.warning("Teams: refused an activity from another tenant")
            return _refuse(403, "tenant not allowed")
        try:
            if body["type"] == "invoke":
                return web.json_response(await self._invoke(body))
            await self.engine.receive(Event(self.platform, activities.inbox_key(body), body))
        except NotKept as error:
            log.warning("Teams: asked the Bot Connector to retry an activity (%s)", error)
            return web.json_response({"error": "temporarily unavailable; please retry"}, status=503,
                                     headers={"Retry-After": "2"})  # fmt: skip
        return web.Response(status=200)

    async def _invoke(self, body: dict[str, Any]) -> dict[str, Any]:
        """A card action: the InvokeResponse body (the form again with its errors, or a short message)."""
        if body.get("name") != CARD_ACTION:
            return {}
        sub = activities.submission(body, self.signer)
        if sub is not None and sub.errors:
            reply = Reply("Please check what you entered.", form=sub.form)
            return invoke_card(render_card(reply, self.signer, values=sub.values, errors=sub.errors))
        incoming = self.translate(body).incoming
        if incoming is None:
            return invoke_message("That button no longer does anything.")
        receipt = await self.engine.receive(Event(self.platform, activities.inbox_key(body), body), wait=True)
        if incoming.action is not None and incoming.action.name == ActionId.BUTTON_REFUSED:
            return invoke_message("That button has expired or could not be checked; nothing was changed.")
        return invoke_message("Got it." if receipt.replies else "Already done.")

    # ---- translation ----------------------------------------------------------------------------

    def translate(self, payload: dict[str, Any]) -> Turn:
        state = activities.installed(payload)
        if state is not None:
            return self._installation(payload, added=state)
        sub = activities.submission(payload, self.signer)
        if sub is not None and sub.errors:  # an Action.Submit form: show it again with the messages
            card = render_card(Reply("Please check what you entered.", form=sub.form), self.signer,
                               values=sub.values, errors=sub.errors)  # fmt: skip
            reference = activities.target(payload)["reference"]

            async def show_again(_: list[Reply]) -> None:
                await self.transport.send_card(reference, card, "LeadWell")

            return Turn(None, after=show_again)
        incoming = activities.from_activity(payload, self.signer)
        return Turn(incoming, activities.target(payload)) if incoming is not None else Turn(None)

    def _installation(self, activity: dict[str, Any], *, added: bool) -> Turn:
        """Added: greet through the core and keep the address; removed: the core hears that too."""
        who = activities.identity(activity)
        if who is None:
            return Turn(None)
        incoming = Incoming(
            platform=self.platform,
            identity=who,
            conversation=str((activity.get("conversation") or {}).get("id", "")),
            text="hello" if added else "",
            action=None if added else Action(ActionId.APP_REMOVED),
            private=activities.is_personal(activity),
            name=(activity.get("from") or {}).get("name"),
            event_id=activities.inbox_key(activity),
            address=activities.personal_address(activity) if added else None,
        )
        if not added:
            return Turn(incoming, target=None)  # nothing can be sent there any more
        reference = activities.reference(activity, reply_to=False)
        return Turn(incoming, {"reference": reference, "shared": not activities.is_personal(activity)})


def build_teams(
    engine: TurnEngine, settings: Settings, signer: Signer, endpoints: TeamsEndpoints | None = None
) -> tuple[TeamsAdapter, TeamsTransport]:
    """The adapter and its transport, from the settings (and, in tests, local fake endpoints); `signer`
    seals and opens the tokens of card actions."""
    speed_up_retry_policy()
    endpoints = endpoints or TeamsEndpoints()
    config = TeamsAuthConfig(settings, endpoints)
    credentials = OffLoopCredentialsFactory(CredentialFactory(config), fixed_token=endpoints.outbound_token)
    cloud = CloudAdapter(ConfigurationBotFrameworkAuthentication(config, credentials_factory=credentials))
    policy = ServiceUrlPolicy(emulator=not config.APP_ID, trusted=endpoints.trusted_service_urls)
    transport = TeamsTransport(cloud, app_id=config.APP_ID, policy=policy, rate=settings.teams_send_rate, signer=signer,
                               keep_address=engine.keep_address)  # fmt: skip
    adapter = TeamsAdapter(
        engine,
        cloud=cloud,
        transport=transport,
        policy=policy,
        metadata=install_metadata(endpoints),
        tenant_id=settings.microsoft_app_tenant_id,
        signer=signer,
    )
    engine.attach(adapter, transport, TeamsDirectory(transport))
    return adapter, transport
