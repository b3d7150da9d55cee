"""Connection limits: idle and slow connections cannot crowd out real requests or the health check."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from bot.serving import ConnectionGuard, quiet_accept_errors, raise_open_files_limit, start_serving


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


@pytest.fixture
async def served() -> AsyncIterator[tuple[int, ConnectionGuard]]:
    app = web.Application()
    app.router.add_get("/healthz", healthz)
    port = free_port()
    runner, guard = await start_serving(app, host="127.0.0.1", port=port, max_connections=20,
                                        first_request_timeout=0.3)  # fmt: skip
    yield port, guard
    await runner.cleanup()


async def open_idle(port: int, count: int) -> list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    return [await asyncio.open_connection("127.0.0.1", port) for _ in range(count)]


async def get_health(port: int) -> int:
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as response:
        return response.status


async def test_at_the_cap_idle_connections_make_room_so_the_health_check_still_answers(
    served: tuple[int, ConnectionGuard],
) -> None:
    port, guard = served
    idle = await open_idle(port, 40)  # twice the cap, none sending a byte
    await asyncio.sleep(0.05)
    assert guard.server is not None and len(guard.server.connections) <= 20
    assert await asyncio.wait_for(get_health(port), 2.0) == 200
    assert guard.evicted >= 20
    for _, writer in idle:
        writer.close()


async def test_a_connection_that_never_finishes_its_first_request_is_closed(
    served: tuple[int, ConnectionGuard],
) -> None:
    port, guard = served
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # the headers never end
    await writer.drain()
    await asyncio.sleep(0.4)
    guard.sweep()
    assert await asyncio.wait_for(reader.read(), 2.0) == b""  # closed by the server
    writer.close()


async def test_a_busy_connection_is_never_the_one_closed_to_make_room(served: tuple[int, ConnectionGuard]) -> None:
    port, guard = served
    idle = await open_idle(port, 19)
    answers = await asyncio.gather(*(get_health(port) for _ in range(5)))
    assert answers == [200] * 5
    for _, writer in idle:
        writer.close()


def test_the_open_files_limit_is_raised_to_the_hard_limit() -> None:
    import resource

    limit = raise_open_files_limit()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert limit == soft and (soft == hard or hard == resource.RLIM_INFINITY)


async def test_running_out_of_file_descriptors_is_logged_once_per_interval_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()
    quiet_accept_errors(loop, interval=60)
    try:
        for _ in range(500):  # what the loop reports on every accept attempt while descriptors are out
            loop.call_exception_handler(
                {"message": "socket.accept() out of system resource", "exception": OSError(24, "Too many open files")}
            )
    finally:
        loop.set_exception_handler(previous)
    logged = [r for r in caplog.records if "cannot accept connections" in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is None


async def test_at_the_cap_a_real_clients_kept_alive_connection_outlives_connections_that_never_sent_a_request(
    served: tuple[int, ConnectionGuard],
) -> None:
    port, guard = served
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1)) as client:
        async with client.get(f"http://127.0.0.1:{port}/healthz") as first:
            assert first.status == 200
        idle = await open_idle(port, 19)  # the cap is 20: full
        more = asyncio.create_task(open_idle(port, 5))  # room is made for these while the client asks again
        for _ in range(5):
            async with client.get(f"http://127.0.0.1:{port}/healthz") as again:
                assert again.status == 200
        for _, writer in idle + await more:
            writer.close()


async def test_a_request_refused_before_its_body_is_read_closes_the_connection_without_reading_it() -> None:
    app = web.Application()

    async def refuse(_request: web.Request) -> web.Response:
        return web.json_response({"error": "unauthorized"}, status=401)

    app.router.add_post("/api/messages", refuse)
    port = free_port()
    runner, _guard = await start_serving(app, host="127.0.0.1", port=port)
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n"
        )  # the body never comes
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 2.0)  # read to EOF: the server closed at once
        assert answer.startswith(b"HTTP/1.1 401")
        writer.close()
    finally:
        await runner.cleanup()
