"""A fake Bot Connector (the Bot Framework REST API Teams replies go to) on a random local port.

Answers `POST /v3/conversations/{id}/activities` and `.../activities/{replyToId}`
with `{"id": …}`, records every activity the bot sends (with its Authorization
header), and can be told to answer the next calls with 429 + Retry-After or 403.
Like the Bot Connector it also updates (`PUT .../activities/{activityId}`, answered
`{"id": …}`) and deletes (`DELETE` on the same path) an activity it accepted,
recorded like sends; an activity it never accepted (or deleted) is a 404.

`POST /v3/conversations` opens a 1:1 conversation (recorded in `created`): the
same member gets the same conversation id each time, as on Teams.
`GET /v3/conversations/{id}/members/{memberId}` answers a member from `members`
(keyed by anything; an entry whose `id` or `aadObjectId` is the member asked
about answers it: their email and UPN), 404 for anyone else;
each lookup is recorded with its time in `lookups`, `lookup_delay` slows them
and `lookup_script` answers them with canned errors first.

With a `limit` (`PlatformLimit`), sends keep a rate limit and get 429s and 5xx
injected the way the Bot Connector answers them, and each activity accepted is
counted by conversation and summary (the card's fallback text).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.local_server import LocalServer
from tests.support.platform_limit import PlatformLimit


@dataclass
class Sent:
    conversation: str
    reply_to: str | None
    activity: dict[str, Any]
    authorization: str | None
    activity_id: str | None = None  # the id the connector gave it (or, updated or deleted, the id changed)

    @property
    def card(self) -> dict[str, Any]:
        (attachment,) = self.activity["attachments"]
        assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
        return attachment["content"]

    @property
    def texts(self) -> list[str]:
        return [element["text"] for element in self.card["body"] if element.get("type") == "TextBlock"]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


@dataclass
class FakeConnector(LocalServer):
    """Attributes:
    sent: activities accepted, in order.
    updated: the new activities of updates, in order.
    deleted: deletes, in order (with an empty activity).
    refused: how many calls were answered with a scripted error.
    script: canned (status, body, headers) answers used, in order, before the default.
    limit: if set, the rate limit and faults sends are answered with (see `PlatformLimit`).
    """

    sent: list[Sent] = field(default_factory=list)
    updated: list[Sent] = field(default_factory=list)
    deleted: list[Sent] = field(default_factory=list)
    refused: int = 0
    script: list[tuple[int, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    created: list[dict[str, Any]] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    lookups: list[tuple[float, str, str]] = field(default_factory=list)  # (time.monotonic(), conversation, member)
    lookup_delay: float = 0.0
    lookup_script: list[int] = field(default_factory=list)
    limit: PlatformLimit | None = None
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _accepted: set[tuple[str, str]] = field(default_factory=set)  # (conversation, activity id) not deleted

    @property
    def url(self) -> str:
        """The serviceUrl to put in activities (with the trailing slash Bot Framework uses)."""
        return self.address("/")

    @property
    def calls(self) -> int:
        return len(self.sent) + self.refused

    def answer(self, status: int, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        self.script.append((status, body or {}, headers or {}))

    async def wait_for(self, count: int, within: float = 10.0) -> list[Sent]:
        async def enough() -> list[Sent]:
            while len(self.sent) < count:
                self.changed.clear()
                await self.changed.wait()
            return list(self.sent)

        return await asyncio.wait_for(enough(), within)

    def _scripted(self) -> web.Response | None:
        if not self.script:
            return None
        status, body, headers = self.script.pop(0)
        self.refused += 1
        self.changed.set()
        return web.json_response(body, status=status, headers=headers)

    async def handle(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        activity = await request.json()
        if (scripted := self._scripted()) is not None:
            return scripted
        reply_to = request.match_info.get("reply_to")
        conversation = request.match_info["conversation"]
        if self.limit is not None:
            if (refusal := self.limit.judge(arrived)) is not None:
                self.refused += 1
                code = "Throttled" if refusal.status == 429 else "ServiceUnavailable"
                body = {"error": {"code": code, "message": refusal.reason}}
                return web.json_response(body, status=refusal.status, headers=refusal.headers)
            self.limit.accept(conversation, str(activity.get("summary", "")))
        activity_id = f"activity-{next(self._ids)}"
        self.sent.append(Sent(conversation, reply_to, activity, request.headers.get("Authorization"), activity_id))
        self._accepted.add((conversation, activity_id))
        self.changed.set()
        return web.json_response({"id": activity_id})

    async def change(self, request: web.Request) -> web.Response:
        """PUT replaces an activity the connector accepted; DELETE removes it."""
        activity = await request.json() if request.method == "PUT" else {}
        if (scripted := self._scripted()) is not None:
            return scripted
        conversation, activity_id = request.match_info["conversation"], request.match_info["activity"]
        if (conversation, activity_id) not in self._accepted:
            return web.json_response({"error": {"code": "NotFound", "message": "Activity not found"}}, status=404)
        done = Sent(conversation, None, activity, request.headers.get("Authorization"), activity_id)
        if request.method == "PUT":
            self.updated.append(done)
        else:
            self.deleted.append(done)
            self._accepted.discard((conversation, activity_id))
        self.changed.set()
        return web.json_response({"id": activity_id}) if request.method == "PUT" else web.Response(status=200)

    async def create(self, request: web.Request) -> web.Response:
        """Open a 1:1 conversation with the one member asked for (the same one again for the same member)."""
        body = await request.json()
        if (scripted := self._scripted()) is not None:
            return scripted
        self.created.append(body)
        self.changed.set()
        members = body.get("members") or []
        if body.get("isGroup") or len(members) != 1 or not (members[0] or {}).get("id"):
            return web.json_response({"error": {"code": "BadArgument", "message": "one member"}}, status=400)
        conversation = f"a:personal-{members[0]['id']}"
        return web.json_response({"id": conversation, "activityId": None, "serviceUrl": None})

    async def member(self, request: web.Request) -> web.Response:
        conversation, member = request.match_info["conversation"], request.match_info["member"]
        self.lookups.append((time.monotonic(), conversation, member))
        self.changed.set()
        if self.lookup_delay:
            await asyncio.sleep(self.lookup_delay)
        if self.lookup_script:
            return web.json_response({"error": {"code": "ServiceError"}}, status=self.lookup_script.pop(0))
        found = self.members.get(member) or next(
            (m for m in self.members.values() if member in (m.get("id"), m.get("aadObjectId"))), None
        )
        if found is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response({"id": member, **found})  # looked up by member id or Entra id, as on Teams

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v3/conversations", self.create)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self.member)
        app.router.add_post("/v3/conversations/{conversation}/activities", self.handle)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self.handle)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self.change)
        app.router.add_delete("/v3/conversations/{conversation}/activities/{activity}", self.change)
