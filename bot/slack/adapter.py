"""Slack: slack-bolt's AsyncApp behind our own signature check, with the inbox and reliable replies.

`POST /slack/events` takes events, slash commands and interactivity on one URL.
The raw bytes are verified (slack_sdk's SignatureVerifier) before anything is
parsed: a bad, missing, stale or non-numeric signature gets 401; a signed but
unreadable body 400. Every request is written to the inbox before it is
acknowledged; a retry of a known event id is acknowledged and dropped. The
work happens after the ack, and the replies go through the outbox (leased to
this process, sent at once), so a crash loses nothing. Socket Mode uses the
same bolt app when SLACK_APP_TOKEN is set.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.runtime import Runtime
from bot.slack import events
from bot.slack.blocks import FORM_OPEN, form_from_value, home_view, modal_view
from bot.slack.transport import SlackTransport
from bot.turns import InboxBatcher, Turns
from handlers.conversation import ReplyQueue
from handlers.messages import Action, Form, Incoming
from storage.models import InboxEvent

log = logging.getLogger(__name__)
HOME_OPEN = "home.open"


class _TokenIsInTheClient(logging.Filter):
    """bolt warns that SLACK_BOT_TOKEN "will be unused" when it is given a client; ours carries that token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


_TOKEN_FILTER = _TokenIsInTheClient()


class SlackAdapter:
    """Translates Slack requests for the core and delivers its replies.

    Args:
        runtime: the shared core, database and clock.
        client: slack_sdk's client (its `base_url` comes from LEADWELL_SLACK_API_URL).
        signing_secret: SLACK_SIGNING_SECRET (HTTP mode); None in Socket Mode only.
        transport: the Slack transport the outbox sender also uses.
    """

    def __init__(
        self, runtime: Runtime, *, client: AsyncWebClient, signing_secret: str | None, transport: SlackTransport
    ) -> None:
        self.runtime = runtime
        self.client = client
        self.transport = transport
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self.owner = f"slack:{socket.gethostname()}:{os.getpid()}"
        self.turns = Turns(runtime, transport)
        self.inbox = InboxBatcher(runtime)
        logging.getLogger("slack_bolt.AsyncApp").addFilter(_TOKEN_FILTER)
        self.bolt = AsyncApp(
            client=client,
            signing_secret=signing_secret or "socket-mode",
            request_verification_enabled=False,  # done on the raw bytes before bolt sees them
        )
        self.bolt.middleware(self._inbox)
        self._listen()
        self.socket_mode: AsyncSocketModeHandler | None = None

    async def start_socket_mode(self, app_token: str) -> None:
        """Receive events over Slack's websocket instead of HTTP (for local use behind no public URL)."""
        self.socket_mode = AsyncSocketModeHandler(self.bolt, app_token)
        await self.socket_mode.connect_async()
        log.info("Slack: Socket Mode connected")

    async def close(self) -> None:
        if self.socket_mode is not None:
            await self.socket_mode.close_async()
        await self.turns.drain()

    # ---- HTTP ---------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            signed = self._signed(raw, request.headers)
        except UnicodeDecodeError:  # slack_sdk checks text; Slack only ever sends UTF-8
            return web.json_response({"error": "malformed body"}, status=400)
        if not signed:
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            events.parse_body(raw, request.content_type)
        except events.MalformedBody:
            return web.json_response({"error": "malformed body"}, status=400)
        bolt_request = AsyncBoltRequest(body=raw.decode(), query=request.query_string, headers=dict(request.headers))
        return await to_aiohttp_response(await self.bolt.async_dispatch(bolt_request))

    def _signed(self, raw: bytes, headers: Any) -> bool:
        if self.verifier is None:
            return False
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not timestamp.isdigit() or not signature:
            return False
        return self.verifier.is_valid(body=raw, timestamp=timestamp, signature=signature)

    # ---- inbox ----------------------------------------------------------------------------------

    async def _inbox(self, body: dict[str, Any], request: AsyncBoltRequest, context: Any, next: Any) -> Any:
        """Record the request before it is acknowledged; a known id is acknowledged and dropped."""
        key = events.inbox_key(body)
        if key is None or context.get("inbox_id") is not None:
            return await next()
        inbox_id = await self.inbox.record("slack", key, self._replayable(body, request))
        if inbox_id is None:
            return BoltResponse(status=200, body="")
        context["inbox_id"] = inbox_id
        return await next()

    @staticmethod
    def _replayable(body: dict[str, Any], request: AsyncBoltRequest) -> dict[str, Any]:
        """What to keep so the request can be dispatched again after a crash."""
        if request.raw_body:  # HTTP: the exact bytes and their type
            return {"body": request.raw_body, "content_type": request.headers.get("content-type", [""])[0]}
        return {"body": json.dumps(body), "content_type": "application/json"}  # Socket Mode: parsed already

    async def replay(self, event: InboxEvent) -> None:
        """Finish an event whose receiver stopped before it was done (called by the recovery worker)."""
        content_type = str(event.payload.get("content_type") or "application/json")
        request = AsyncBoltRequest(
            body=str(event.payload.get("body", "")),
            headers={"content-type": content_type},
            context={"inbox_id": event.id, "replay": True},
        )
        await self.bolt.async_dispatch(request)
        await self.turns.drain()

    # ---- listeners ------------------------------------------------------------------------------

    def _listen(self) -> None:
        bolt = self.bolt

        @bolt.event("message")
        @bolt.event("app_mention")
        async def on_message(ack: Any, body: dict[str, Any], context: Any) -> None:
            await ack()
            found = events.from_event(body)
            self.turns.spawn(self._converse(context, found))

        @bolt.event("app_home_opened")
        async def on_home(ack: Any, body: dict[str, Any], context: Any) -> None:
            await ack()
            self.turns.spawn(self._publish_home(body, context.get("inbox_id")))

        @bolt.event(re.compile(".*"))
        async def on_other_event(ack: Any, context: Any) -> None:
            await ack()
            self.turns.spawn(self.turns.finish(context.get("inbox_id")))

        @bolt.command(re.compile(".*"))
        async def on_command(ack: Any, body: dict[str, Any], context: Any) -> None:
            await ack()
            self.turns.spawn(self._converse(context, events.from_command(body)))

        @bolt.action(re.compile("^lw:"))
        async def on_button(ack: Any, body: dict[str, Any], context: Any) -> None:
            await ack()
            found = events.from_block_action(body)
            if found is not None and found[0].action is not None and found[0].action.name == FORM_OPEN:
                self.turns.spawn(self._open_form(body, found[0].action, context.get("inbox_id")))
                return
            self.turns.spawn(self._converse(context, found, trigger_id=body.get("trigger_id")))

        @bolt.action(re.compile(".*"))
        async def on_other_action(ack: Any, context: Any) -> None:
            await ack()
            self.turns.spawn(self.turns.finish(context.get("inbox_id")))

        @bolt.view("leadwell-form")
        async def on_submit(ack: Any, body: dict[str, Any], context: Any) -> None:
            submitted = events.submitted_form(body)
            if submitted is None:
                await ack()
                self.turns.spawn(self.turns.finish(context.get("inbox_id")))
                return
            form, values = submitted
            errors = form.validate(values)
            if errors:  # shown beside each field in the modal
                await ack(response_action="errors", errors=errors)
                self.turns.spawn(self.turns.finish(context.get("inbox_id")))
                return
            await ack()
            self.turns.spawn(self._converse(context, events.from_view_submission(body, form, values)))

    # ---- work after the ack ---------------------------------------------------------------------

    async def _converse(
        self, context: Any, found: tuple[Incoming, dict[str, Any]] | None, *, trigger_id: str | None = None
    ) -> None:
        inbox_id = context.get("inbox_id")
        if found is None:
            await self.turns.finish(inbox_id)
            return
        incoming, target = found
        queue = ReplyQueue(key=f"slack:{incoming.event_id or inbox_id}", target=target, owner=self.owner)
        replies = await self.turns.turn(incoming, inbox_id=inbox_id, queue=queue)
        form = next((reply.form for reply in replies if reply.form is not None), None)
        if form is not None and trigger_id:  # a click can open the form at once (the message keeps a button too)
            await self._open_modal(trigger_id, form)
        await self.turns.deliver(incoming.identity, replies, queue)

    async def _open_form(self, body: dict[str, Any], action: Action, inbox_id: int | None) -> None:
        form = form_from_value(action.value)
        if form is not None and body.get("trigger_id"):
            await self._open_modal(str(body["trigger_id"]), form)
        await self.turns.finish(inbox_id)

    async def _open_modal(self, trigger_id: str, form: Form) -> None:
        try:
            await self.client.views_open(trigger_id=trigger_id, view=modal_view(form))
        except Exception:  # noqa: BLE001 - an expired trigger; the person can type their answer instead
            log.warning("could not open a Slack modal")

    async def _publish_home(self, body: dict[str, Any], inbox_id: int | None) -> None:
        event = body.get("event") or {}
        if event.get("tab") not in (None, "home") or not event.get("user"):
            await self.turns.finish(inbox_id)
            return
        incoming = Incoming(
            platform="slack",
            identity=events.identity(events.team_of(body), event["user"]),
            conversation=str(event.get("channel", "")),
            action=Action(HOME_OPEN),
        )
        replies = await self.turns.turn(incoming, inbox_id=inbox_id)
        if replies:
            try:
                await self.client.views_publish(user_id=event["user"], view=home_view(replies[-1]))
            except Exception:  # noqa: BLE001 - the Home tab refreshes on the next visit
                log.warning("could not publish the Slack App Home")
