"""The shared send pace: reserve send slots per platform so replicas together keep the rate."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import SendPace
from storage.repositories.conflicts import insert_if_absent


class PaceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _row(self, platform: str, now: datetime) -> SendPace:
        await insert_if_absent(
            self.session, SendPace, {"platform": platform, "next_slot_at": now, "updated_at": now}, ["platform"]
        )
        result = await self.session.exec(select(SendPace).where(SendPace.platform == platform).with_for_update())
        return result.one()

    async def paused_until(self, platform: str, now: datetime) -> datetime | None:
        """When a Retry-After pause on `platform` ends, if one is still running."""
        row = await self.session.get(SendPace, platform)
        if row is None or row.paused_until is None or row.paused_until <= now:
            return None
        return row.paused_until

    async def reserve(self, platform: str, *, count: int, rate: float, now: datetime) -> datetime:
        """Reserve `count` consecutive slots at `rate` per second; returns when the first one starts.

        Slot i starts at `first + i / rate`. A Retry-After pause pushes every slot past it.
        """
        row = await self._row(platform, now)
        first = max(row.next_slot_at, now, row.paused_until or now)
        row.next_slot_at = first + timedelta(seconds=count / rate)
        row.updated_at = now
        self.session.add(row)
        return first

    async def pause(self, platform: str, *, until: datetime, now: datetime) -> None:
        """A platform said Retry-After: nobody sends to it before `until`."""
        row = await self._row(platform, now)
        if row.paused_until is None or row.paused_until < until:
            row.paused_until = until
        row.next_slot_at = max(row.next_slot_at, until)
        row.updated_at = now
        self.session.add(row)

    async def give_back(self, platform: str, *, reserved_until: datetime, seconds: float, now: datetime) -> bool:
        """Return the last `seconds` of a reservation that ended at `reserved_until` and went unused (its rows
        were handed back: a stop, a Retry-After), if nobody has reserved after it; never to before `now` or
        the end of a pause. Whether it was given back."""
        row = await self._row(platform, now)
        if row.next_slot_at != reserved_until:
            return False  # someone reserved after us: those slots are theirs to follow
        row.next_slot_at = max(reserved_until - timedelta(seconds=seconds), now, row.paused_until or now)
        row.updated_at = now
        self.session.add(row)
        return True
