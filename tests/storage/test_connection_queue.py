"""SQLite's one connection: acknowledgement writes never wait behind a queue of other work."""

from __future__ import annotations

import asyncio

import pytest

from storage.db import ConnectionQueue


async def test_urgent_transactions_go_before_everything_already_waiting() -> None:
    queue, order = ConnectionQueue(), []
    release = asyncio.Event()

    async def use(name: str, *, urgent: bool = False) -> None:
        async with queue.held(urgent=urgent):
            order.append(name)
            await release.wait()

    first = asyncio.create_task(use("turn 1"))
    await asyncio.sleep(0)  # turn 1 holds the connection
    waiting = [asyncio.create_task(use(f"turn {n}")) for n in (2, 3)]
    await asyncio.sleep(0)
    ack = asyncio.create_task(use("ack", urgent=True))
    await asyncio.sleep(0)
    release.set()
    await asyncio.wait_for(asyncio.gather(first, *waiting, ack), timeout=2)
    assert order == ["turn 1", "ack", "turn 2", "turn 3"]


async def test_a_cancelled_waiter_does_not_keep_the_connection_from_others() -> None:
    queue, order = ConnectionQueue(), []
    release = asyncio.Event()

    async def hold() -> None:
        async with queue.held(urgent=False):
            await release.wait()

    async def use(name: str) -> None:
        async with queue.held(urgent=False):
            order.append(name)

    holder = asyncio.create_task(hold())
    await asyncio.sleep(0)
    gone, later = asyncio.create_task(use("gone")), asyncio.create_task(use("later"))
    await asyncio.sleep(0)
    gone.cancel()
    release.set()
    await asyncio.wait_for(asyncio.gather(holder, later), timeout=2)
    with pytest.raises(asyncio.CancelledError):
        await gone
    assert order == ["later"]
    async with queue.held(urgent=True):  # and it is free again
        pass
