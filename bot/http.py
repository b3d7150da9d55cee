"""Reading request bodies safely: bounded in size and time, JSON bounded in depth.

Every platform endpoint reads its body through here, after what can be checked on the headers
has been (Teams: the whole token; Slack: a signature and a fresh timestamp, since Slack's signature
covers the body). A refused request's body is never read: its connection is closed instead
(`bot.serving`).
"""

from __future__ import annotations

import asyncio
import json
import re
from itertools import accumulate
from typing import Any

from aiohttp import web

MAX_BODY = 1024 * 1024  # Slack and Bot Framework payloads are far smaller
MAX_DEPTH = 64  # the deepest real payloads (Block Kit views, Adaptive Cards) nest about 15 levels
READ_DEADLINE = 10.0  # seconds a sender may take to deliver the whole body
_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class BadBody(Exception):
    """The body cannot be read: `status` and a short reason for the reply (never the body itself)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> web.Response:
        return web.json_response({"error": self.reason}, status=self.status)


async def read_body(request: web.Request, *, limit: int = MAX_BODY, deadline: float = READ_DEADLINE) -> bytes:
    """The whole body, refused early when its declared length is over `limit`, and cut off at `deadline`."""
    if request.content_length is not None and request.content_length > limit:
        raise BadBody(413, "body too large")
    try:
        async with asyncio.timeout(deadline):
            raw = await request.content.read(limit + 1)
            while len(raw) <= limit and not request.content.at_eof():
                more = await request.content.read(limit + 1 - len(raw))
                if not more:
                    break
                raw += more
    except TimeoutError:
        raise BadBody(408, "the body took too long to arrive") from None
    if len(raw) > limit:
        raise BadBody(413, "body too large")
    return raw


def depth(raw: bytes) -> int:
    """How deeply a JSON text nests (strings skipped), without parsing it."""
    brackets = _STRINGS.sub(b"", raw).translate(None, _NOT_BRACKETS)
    return max(accumulate(1 if b in b"[{" else -1 for b in brackets), default=0)


def parse_json(raw: bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """JSON, refused (400) when unreadable or nested deeper than `max_depth`."""
    if depth(raw) > max_depth:
        raise BadBody(400, "JSON nested too deeply")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadBody(400, "malformed JSON") from None
