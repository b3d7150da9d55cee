"""The aiohttp application: health check, Slack at /slack/events, Teams at /api/messages.

`leadwell serve` runs it with the workers in-process (unless `--no-workers`).
On SIGTERM/SIGINT aiohttp stops taking requests and lets running ones finish;
then the workers stop and hand back what they held.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.export_link import add_export_routes
from bot.platforms import Platforms
from bot.runtime import Runtime
from bot.workers import WorkerGroup

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024


async def healthz(_request: web.Request) -> web.Response:
    """Liveness only: the process answers."""
    return web.json_response({"status": "ok"})


@web.middleware
async def errors_without_bodies(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Unexpected errors become a plain 500 logged with method and path only (never the body)."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("error handling %s %s", request.method, request.path)
        return web.json_response({"error": "internal error"}, status=500)


def create_app(runtime: Runtime, platforms: Platforms, *, workers: WorkerGroup | None = None) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY, middlewares=[errors_without_bodies])
    app.router.add_get("/healthz", healthz)
    add_export_routes(app, runtime)  # `my data` download links
    if platforms.slack is not None and platforms.slack.verifier is not None:
        app.router.add_post("/slack/events", platforms.slack.handle)
    if platforms.teams is not None:
        app.router.add_post("/api/messages", platforms.teams.handle)

    async def start_background(app: web.Application) -> None:
        await platforms.start(runtime.settings)
        if workers is not None:
            workers.start()

    async def shut_down(app: web.Application) -> None:
        if workers is not None:
            await workers.stop()
        await platforms.close()
        await runtime.close()
        log.info("stopped cleanly")

    app.on_startup.append(start_background)
    app.on_cleanup.append(shut_down)
    return app
