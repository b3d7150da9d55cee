"""Slack: signed requests (and Socket Mode envelopes) in, turns for the engine out.

`POST /slack/events` takes events, slash commands and interactivity on one URL. The raw bytes
are verified (slack_sdk's SignatureVerifier) before anything is parsed: a bad, missing, stale or
non-numeric signature gets 401; a signed but unreadable body 400. The request is handed to the
turn engine, which keeps it in the inbox, and only then acknowledged: no call to Slack's Web API
stands between a request and its ack. Socket Mode (SLACK_APP_TOKEN) feeds the same path through
slack-bolt's Socket Mode handler.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.engine import Event, NotKept, TurnEngine
from bot.http import BadBody, read_body
from bot.protocols import Turn
from bot.settings import Settings
from bot.slack import events, payloads
from bot.slack.blocks import FORM_OPEN, home_view, modal_view
from bot.slack.directory import SlackDirectory
from bot.slack.transport import SlackTransport
from handlers.messages import Action, Form, Incoming, Reply
from handlers.names import ActionId
from handlers.tokens import Signer, TokenRefused

log = logging.getLogger(__name__)
Answer = tuple[int, dict[str, Any] | None]  # HTTP status and JSON body of the acknowledgement


class SlackAdapter:
    """Verifies Slack requests, acknowledges them once kept, and translates them for the core.

    Args:
        engine: the turn engine.
        client: slack_sdk's client (modals and the App Home are opened with it).
        signing_secret: SLACK_SIGNING_SECRET (HTTP mode); None in Socket Mode only.
        signer: opens the tokens buttons and modals carry back (and seals those of the modals and App Home).
    """

    platform = "slack"

    def __init__(
        self, engine: TurnEngine, *, client: AsyncWebClient, signing_secret: str | None, signer: Signer
    ) -> None:
        self.engine = engine
        self.client = client
        self.signer = signer
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self.socket_mode: Any = None

    # ---- HTTP -----------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if not self._fresh(request.headers):  # refused on the headers alone: the body is never read
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            raw = await read_body(request)
        except BadBody as bad:
            return bad.response()
        try:
            signed = self._signed(raw, request.headers)
        except UnicodeDecodeError:  # slack_sdk checks text; Slack only ever sends UTF-8
            return web.json_response({"error": "malformed body"}, status=400)
        if not signed:
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            body = events.parse_body(raw, request.content_type)
            payloads.check(body)
        except events.MalformedBody:
            return web.json_response({"error": "malformed body"}, status=400)
        except payloads.UnexpectedShape as error:
            log.warning("Slack: skipped a signed request (%s)", error)
            if body.get("type") == "event_callback":  # Slack would retry a refused event for hours
                return web.Response(status=200)
            return web.json_response({"error": "unexpected fields"}, status=400)
        status, answer = await self.accept(body)
        return web.json_response(answer, status=status) if answer is not None else web.Response(status=status)

    def _fresh(self, headers: Any) -> bool:
        """A signature and a timestamp within five minutes (Slack's replay window), before any reading."""
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        if self.verifier is None or not headers.get("X-Slack-Signature"):
            return False
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) < 12):
            return False
        return abs(time.time() - int(timestamp)) <= 60 * 5

    def _signed(self, raw: bytes, headers: Any) -> bool:
        if self.verifier is None:
            return False
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not (timestamp.isascii() and timestamp.isdigit()) or not signature:
            return False
        return self.verifier.is_valid(body=raw, timestamp=timestamp, signature=signature)

    async def accept(self, body: dict[str, Any]) -> Answer:
        """Acknowledge one verified request: answered at once, or kept and then handled."""
        if body.get("type") == "url_verification":
            return 200, {"challenge": str(body.get("challenge", ""))}
        if body.get("type") == "view_submission":
            try:
                form, values = events.submitted_form(body, self.signer)
            except TokenRefused:
                errors = {}  # kept, and refused (and audited) by the core
            else:
                errors = form.validate(values)
            if errors:  # shown beside each field in the modal; nothing was done, so nothing to keep
                return 200, {"response_action": "errors", "errors": errors}
        try:
            await self.engine.receive(Event(self.platform, events.inbox_key(body), body))
        except NotKept as error:
            log.warning("Slack: asked Slack to retry a request (%s)", error)  # Slack ignores Retry-After
            return 503, {"error": "temporarily unavailable; please retry"}
        return 200, None

    # ---- translation ------------------------------------------------------------------------------

    def translate(self, payload: dict[str, Any]) -> Turn:
        body = _parsed(payload)
        kind = body.get("type")
        if kind == "event_callback":
            if (body.get("event") or {}).get("type") == "app_home_opened":
                return self._home(body)
            found = events.from_event(body)
            return Turn(*found) if found is not None else Turn(None)
        if body.get("command"):
            return Turn(*events.from_command(body))
        if kind == "block_actions":
            return self._button(body)
        if kind == "view_submission":
            return self._submission(body)
        return Turn(None)

    def _submission(self, body: dict[str, Any]) -> Turn:
        try:
            form, values = events.submitted_form(body, self.signer)
        except TokenRefused as error:
            return Turn(*events.from_view_submission(body, events.refused(error.reason)))
        if form.validate(values):
            return Turn(None)  # answered with the errors at the ack
        return Turn(*events.from_view_submission(body, Action(form.submit_action, {**values, **form.context})))

    def _button(self, body: dict[str, Any]) -> Turn:
        opened = events.pressed(body, self.signer)
        if opened is None:
            return Turn(None)
        trigger_id = str(body.get("trigger_id") or "")
        if opened.action.name == FORM_OPEN:  # opens the modal; nothing for the core
            form = opened.form
            return Turn(None, after=self._open_modal(trigger_id, form) if form is not None else None)
        found = events.from_block_action(body, opened.action)
        return Turn(*found, after=self._open_modal(trigger_id) if trigger_id else None)

    def _home(self, body: dict[str, Any]) -> Turn:
        event = body.get("event") or {}
        if event.get("tab") not in (None, "home") or not event.get("user"):
            return Turn(None)
        user = str(event["user"])
        incoming = Incoming(
            platform=self.platform,
            identity=events.identity(events.team_of(body), user),
            conversation=str(event.get("channel", "")),
            action=Action(ActionId.HOME_OPEN),
        )

        async def publish(replies: list[Reply]) -> None:
            if replies:
                await self.client.views_publish(user_id=user, view=home_view(replies[-1], self.signer))

        return Turn(incoming, target=None, after=publish)

    def _open_modal(self, trigger_id: str, form: Form | None = None) -> Callable[[list[Reply]], Awaitable[None]]:
        """After the turn: open `form` (or the form a reply carries) as a modal while the click's trigger is fresh."""

        async def open_modal(replies: list[Reply]) -> None:
            shown = form or next((reply.form for reply in replies if reply.form is not None), None)
            if shown is not None and trigger_id:  # the message keeps a button for it too
                await self.client.views_open(trigger_id=trigger_id, view=modal_view(shown, self.signer))

        return open_modal

    # ---- Socket Mode ------------------------------------------------------------------------------

    async def start_socket_mode(self, app_token: str) -> None:
        """Receive events over Slack's websocket instead of HTTP (for local use behind no public URL)."""
        from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

        bolt = AsyncApp(client=self.client, signing_secret="socket-mode", request_verification_enabled=False)

        async def forward(req: AsyncBoltRequest, resp: BoltResponse, next: Any) -> BoltResponse:
            status, answer = await self.accept(req.body)
            return BoltResponse(status=status, body=json.dumps(answer) if answer is not None else "")

        bolt.middleware(forward)
        self.socket_mode = AsyncSocketModeHandler(bolt, app_token)
        await self.socket_mode.connect_async()
        log.info("Slack: Socket Mode connected")

    async def close(self) -> None:
        if self.socket_mode is not None:
            await self.socket_mode.close_async()


def _parsed(payload: dict[str, Any]) -> dict[str, Any]:
    """The request as kept in the inbox: its parsed body (older rows kept the raw body and its type)."""
    if isinstance(payload.get("body"), str) and "content_type" in payload:
        return events.parse_body(payload["body"].encode(), str(payload["content_type"]))
    return payload


def _pool() -> aiohttp.ClientSession | None:
    """One pool of kept-alive connections for every Slack call (slack_sdk otherwise opens a new
    connection, in production a TLS handshake, per call). Only inside the running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return None
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))


def build_slack(engine: TurnEngine, settings: Settings, signer: Signer) -> tuple[SlackAdapter, SlackTransport]:
    """The adapter and its transport from the settings (SLACK_BOT_TOKEN is set); `signer` seals and opens
    the tokens of buttons and forms."""
    assert settings.slack_bot_token is not None
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url, session=_pool()
    )
    transport = SlackTransport(client, rate=settings.slack_send_rate, signer=signer)
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    adapter = SlackAdapter(engine, client=client, signing_secret=secret, signer=signer)
    engine.attach(adapter, transport, SlackDirectory(client))
    return adapter, transport
