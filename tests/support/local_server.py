"""The base of our fake platform servers: an aiohttp app on a random loopback port."""

from __future__ import annotations

from typing import Self

from aiohttp import web
from aiohttp.test_utils import TestServer


class LocalServer:
    """Subclasses add their routes in `routes`; `start()` serves them, `address(path)` says where."""

    _server: TestServer | None = None

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    def address(self, path: str) -> str:
        assert self._server is not None, "start() the server first"
        return str(self._server.make_url(path))

    @property
    def port(self) -> int:
        assert self._server is not None and self._server.port is not None, "start() the server first"
        return self._server.port

    async def start(self, port: int = 0) -> Self:
        """Serve on `port` (0: any free one; the same port again brings a stopped fake back)."""
        app = web.Application()
        self.routes(app)
        self._server = TestServer(app, host="127.0.0.1", port=port)
        await self._server.start_server()
        return self

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()
