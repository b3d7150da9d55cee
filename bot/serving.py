"""Serving HTTP with the limits aiohttp leaves to us: a cap on open connections, deadlines for
connections that never send a request, the open-files limit, and quiet accept errors.

aiohttp closes a kept-alive connection after `keepalive_timeout`, but a connection that never
finishes its first request's headers stays open for ever, and nothing stops thousands of them from
using up the process's file descriptors (then `/healthz` and every platform stop answering). So:

- at most `max_connections` are open; when a new one arrives at the cap, room is made by closing
  a connection that never sent a request (the oldest first), else the one idle longest, never
  one with a request under way, so a real request (and the health check) still gets in;
- a request refused before its body was read (401, 413) closes its connection rather than
  reading and discarding the body (aiohttp's lingering close would read up to 10 s of it);
- a connection whose first request has not arrived within `first_request_timeout` is closed;
- bodies have their own deadline (`bot.http.read_body`);
- the open-files soft limit is raised to the hard limit at start-up;
- the event loop's "socket.accept() out of system resource" error is logged once per interval,
  without a traceback, instead of once per attempt.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import resource
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

log = logging.getLogger(__name__)
MAX_CONNECTIONS = 1000
FIRST_REQUEST_TIMEOUT = 10.0  # seconds from accept to a complete request line and headers
KEEPALIVE_TIMEOUT = 15.0  # seconds an idle kept-alive connection stays open
ACCEPT_ERROR_INTERVAL = 60.0


def raise_open_files_limit() -> int:
    """Raise the soft open-files limit to the hard limit; returns the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            log.warning("could not raise the open-files limit above %d", soft)
    return soft


class ConnectionGuard:
    """Counts connections, makes room at the cap by closing the longest idle, closes the slow.

    Args:
        max_connections: the cap.
        first_request_timeout: seconds a new connection may take to deliver its first request.

    Put `middleware` in the application, then `attach` the runner's server once it is set up.
    """

    def __init__(self, *, max_connections: int, first_request_timeout: float = FIRST_REQUEST_TIMEOUT) -> None:
        self.server: web.Server | None = None
        self.max_connections = max_connections
        self.first_request_timeout = first_request_timeout
        self._accepted: dict[RequestHandler, float] = {}  # connections that have not sent a request yet
        self._idle_since: dict[RequestHandler, float] = {}
        self.evicted = 0

    def attach(self, server: web.Server) -> None:
        """The low-level server (the runner's) that makes one handler per connection."""
        self.server = server

    def __call__(self) -> RequestHandler:
        """aiohttp's protocol factory, with room made at the cap (called once per accepted connection)."""
        assert self.server is not None, "attach() the runner's server first"
        open_now = self.server.connections
        if len(open_now) >= self.max_connections:
            self._make_room(open_now)
        handler = self.server()
        now = time.monotonic()
        self._accepted[handler] = now
        self._idle_since[handler] = now
        return handler

    def _make_room(self, open_now: list[RequestHandler]) -> None:
        """Close connections that never sent a request first (oldest first), then the longest idle.

        A kept-alive connection that has served a request belongs to a real client far more often
        than one that never sent a byte, so it goes last; one with a request under way or queued
        never goes.
        """
        need = len(open_now) - self.max_connections + 1
        live = set(open_now)
        never_used = [h for h in self._accepted if h in live and not _busy(h)]
        victims = heapq.nsmallest(need, never_used, key=lambda h: self._accepted.get(h, 0.0))
        if len(victims) < need:
            idle = [h for h in open_now if h not in self._accepted and not _busy(h)]
            victims += heapq.nsmallest(need - len(victims), idle, key=lambda h: self._idle_since.get(h, 0.0))
        for handler in victims:
            self._close(handler)
            self.evicted += 1

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Marks a connection busy while a request runs (and as having sent one)."""
        protocol: Any = request.protocol
        self._accepted.pop(protocol, None)
        try:
            return await handler(request)
        finally:
            self._idle_since[protocol] = time.monotonic()

    def sweep(self) -> int:
        """Close connections whose first request is overdue; forget closed ones. Returns how many closed."""
        now = time.monotonic()
        live = set(self.server.connections) if self.server is not None else set()
        for table in (self._accepted, self._idle_since):
            for gone in [h for h in table if h not in live]:
                del table[gone]
        overdue = [h for h, at in self._accepted.items() if now - at > self.first_request_timeout]
        for handler in overdue:
            if not getattr(handler, "_request_in_progress", False):
                self._close(handler)
        return len(overdue)

    def _close(self, handler: RequestHandler) -> None:
        self._accepted.pop(handler, None)
        self._idle_since.pop(handler, None)
        handler.force_close()
        transport = handler.transport
        if transport is not None:
            transport.close()

    async def run(self, stop: asyncio.Event, every: float = 1.0) -> None:
        while not stop.is_set():
            self.sweep()
            try:
                await asyncio.wait_for(stop.wait(), timeout=every)
            except TimeoutError:
                pass


def _busy(handler: RequestHandler) -> bool:
    """A request is being handled, or one has arrived and waits its turn on this connection."""
    return bool(getattr(handler, "_request_in_progress", False) or getattr(handler, "_messages", None))


class GuardedSite(web.TCPSite):
    """A TCP site whose connections go through a `ConnectionGuard`."""

    def __init__(self, runner: web.AppRunner, guard: ConnectionGuard, host: str, port: int, **kwargs: Any) -> None:
        super().__init__(runner, host, port, **kwargs)
        self.guard = guard

    async def start(self) -> None:
        await web.BaseSite.start(self)
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self.guard, self._host, self._port, backlog=self._backlog, reuse_address=self._reuse_address
        )


def quiet_accept_errors(loop: asyncio.AbstractEventLoop, interval: float = ACCEPT_ERROR_INTERVAL) -> None:
    """Log "out of system resource" accept errors once per `interval`, without a traceback."""
    last = [-interval]

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        message = str(context.get("message", ""))
        if message.startswith("socket.accept() out of system resource"):
            now = time.monotonic()
            if now - last[0] >= interval:
                last[0] = now
                error = context.get("exception")
                log.error("cannot accept connections: %s (%s); refusing new ones for a moment",
                          type(error).__name__ if error else "no resources", error)  # fmt: skip
            return
        loop.default_exception_handler(context)

    loop.set_exception_handler(handle)


async def start_serving(
    app: web.Application,
    *,
    host: str,
    port: int,
    max_connections: int = MAX_CONNECTIONS,
    first_request_timeout: float = FIRST_REQUEST_TIMEOUT,
    access_log: logging.Logger | None = None,
) -> tuple[web.AppRunner, ConnectionGuard]:
    """Start serving `app` with the limits above; raises OSError when the port cannot be had."""
    limit = raise_open_files_limit()
    cap = min(max_connections, max(limit - 64, 16))  # file descriptors left for the database, logs, clients
    quiet_accept_errors(asyncio.get_running_loop())
    guard = ConnectionGuard(max_connections=cap, first_request_timeout=first_request_timeout)
    app.middlewares.insert(0, guard.middleware)
    runner = web.AppRunner(
        app,
        handle_signals=False,
        shutdown_timeout=10,
        access_log=access_log,
        keepalive_timeout=KEEPALIVE_TIMEOUT,
        lingering_time=0,  # a refused request's unread body is not read: the connection closes instead
    )
    await runner.setup()
    assert runner.server is not None
    guard.attach(runner.server)
    # A deep accept queue: a burst of connections waits instead of being dropped (a 1 s client retry).
    site = GuardedSite(runner, guard, host, port, backlog=1024)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    return runner, guard
