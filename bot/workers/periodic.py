"""The loop every periodic worker runs: do the work, then wait until it is time or we are stopped."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


async def every(seconds: float, stop: asyncio.Event, work: Callable[[], Awaitable[Any]]) -> None:
    """Run `work` now and every `seconds` until `stop` is set (a stop ends the wait at once)."""
    while not stop.is_set():
        await work()
        try:
            await asyncio.wait_for(stop.wait(), timeout=seconds)
        except TimeoutError:
            pass
