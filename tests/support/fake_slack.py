"""A fake Slack Web API on a random local port: records calls, can answer 429 or errors.

Point slack_sdk at it with `AsyncWebClient(base_url=fake.url)` (or
LEADWELL_SLACK_API_URL for a subprocess) and assert on `fake.calls`.

Like Slack, a message posted to a user id (U… or W…) lands in that person's
DM, whose D… channel id the answer carries; `chat.update` and `chat.delete`
take that channel and the message's `ts`, and answer `message_not_found` for
a message that was never posted there (or was deleted).

`users.info` answers the users in `users` (user id → email) with their
profile, and `user_not_found` for anyone else; `users.list` pages through
`members` (at most `limit` a page, as Slack does; the cursor is the offset);
`delays` slows a method down.
Every call records when it arrived (`Call.at`, `time.monotonic()`).

With a `limit` (`PlatformLimit`), `chat.postMessage` keeps a rate limit and
injects 429s and 5xx the way Slack answers them, and counts each message
accepted by channel and text.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from tests.support.local_server import LocalServer
from tests.support.platform_limit import PlatformLimit


@dataclass
class Call:
    method: str
    body: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass
class FakeSlack(LocalServer):
    """Answers `auth.test`, `chat.postMessage`, `chat.update`, `chat.delete`, `views.open`, `views.publish`,
    `users.info`, `users.list`.

    Attributes:
        calls: every call received, in order.
        messages: the messages posted and not deleted: (channel, ts) → text, as updated.
        script: per method, a list of canned (status, body, headers) answers used before the default.
        limit: if set, the rate limit and faults `chat.postMessage` is answered with (see `PlatformLimit`).
        users: for users.info, user id → email ("" for a profile without one).
        members: for users.list, the workspace's members as Slack lists them (`member` makes one).
        delays: per method, seconds to wait before answering.
    """

    calls: list[Call] = field(default_factory=list)
    script: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = field(default_factory=dict)
    limit: PlatformLimit | None = None
    on_call: Callable[[Call], None] | None = None
    messages: dict[tuple[str, str], str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)
    members: list[dict[str, Any]] = field(default_factory=list)
    delays: dict[str, float] = field(default_factory=dict)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        return self.address("/api/")

    def answer(self, method: str, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self.script.setdefault(method, []).append((status, body, headers or {}))

    def posted(self) -> list[dict[str, Any]]:
        return [call.body for call in self.calls if call.method == "chat.postMessage"]

    async def wait_for(self, method: str, count: int, within: float = 10.0) -> list[Call]:
        async def enough() -> list[Call]:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                self.changed.clear()
                await self.changed.wait()

        return await asyncio.wait_for(enough(), within)

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.read()
        if request.content_type == "application/json":
            body = json.loads(raw or b"{}")
        else:
            body = dict(parse_qsl(raw.decode()))
            for key in ("blocks", "view"):
                if isinstance(body.get(key), str):
                    body[key] = json.loads(body[key])
        body = {**request.query, **body}  # slack_sdk sends some methods' arguments (chat.delete's) as query parameters
        call = Call(method, body)
        self.calls.append(call)
        self.changed.set()
        if self.on_call:
            self.on_call(call)
        if self.delays.get(method):
            await asyncio.sleep(self.delays[method])
        if self.script.get(method):
            status, answer, headers = self.script[method].pop(0)
            return web.json_response(answer, status=status, headers=headers)
        if method == "chat.postMessage" and self.limit is not None:
            if (refusal := self.limit.judge(call.at)) is not None:
                error = "ratelimited" if refusal.status == 429 else "service_unavailable"
                return web.json_response({"ok": False, "error": error}, status=refusal.status, headers=refusal.headers)
            self.limit.accept(str(body.get("channel", "")), str(body.get("text", "")))
        return web.json_response(self.default_answer(method, body))

    def default_answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": "W111", "team_id": "T111", "bot_id": "B111", "user": "leadwell"}
        if method == "chat.postMessage":
            channel, ts = dm_channel(str(body.get("channel", ""))), f"1700000000.{next(self._ts):06d}"
            self.messages[(channel, ts)] = str(body.get("text", ""))
            return {"ok": True, "channel": channel, "ts": ts}
        if method in ("chat.update", "chat.delete"):
            found = (str(body.get("channel", "")), str(body.get("ts", "")))
            if found not in self.messages:
                return {"ok": False, "error": "message_not_found"}
            if method == "chat.delete":
                del self.messages[found]
            else:
                self.messages[found] = str(body.get("text", self.messages[found]))
            return {"ok": True, "channel": found[0], "ts": found[1]}
        if method == "users.info":
            user = str(body.get("user", ""))
            if user not in self.users:
                return {"ok": False, "error": "user_not_found"}
            profile = {"real_name": "Sam", **({"email": self.users[user]} if self.users[user] else {})}
            return {"ok": True, "user": {"id": user, "name": "sam", "profile": profile}}
        if method == "users.list":
            start, size = int(body.get("cursor") or 0), min(int(body.get("limit") or 100), 1000)
            following = start + size if start + size < len(self.members) else None
            return {"ok": True, "members": self.members[start : start + size],
                    "response_metadata": {"next_cursor": str(following) if following else ""}}  # fmt: skip
        if method in ("chat.postEphemeral", "views.open", "views.publish", "views.update"):
            return {"ok": True, "ts": body.get("ts", "1700000000.000000"), "view": {"id": "V111"}}
        return {"ok": False, "error": "unknown_method"}

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/api/{method}", self.handle)
        app.router.add_get("/api/{method}", self.handle)  # slack_sdk sends users.info as a GET


def dm_channel(channel: str) -> str:
    """Where a post to `channel` lands: a user id (U…, W…) means their DM, a D… conversation of its own."""
    return f"D{channel[1:]}" if channel[:1] in ("U", "W") else channel


def member(user: str, email: str | None, *, team: str = "T111", **flags: bool) -> dict[str, Any]:
    """A member as `users.list` gives one (`deleted=True`, `is_bot=True` for the kinds to skip)."""
    profile = {"real_name": user, **({"email": email} if email else {})}
    return {"id": user, "team_id": team, "name": user.lower(), "deleted": False, "is_bot": False, "profile": profile,
            **flags}  # fmt: skip
