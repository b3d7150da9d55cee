"""Who wrote: the sender's email, filled into `Incoming` when the platform can tell it (after the ack).

Admins listed by email in LEADWELL_ADMINS and roster rows imported by email
match a person only once their email is known, and Slack events and Teams
activities do not carry it. So, between `translate` and the turn, the engine
asks `Whois.fill`, which knows per process (a bounded LRU) whose email is
known, and on a miss:

1. asks the core first: an indexed read of the person, grouped with the reads of
   everyone else arriving at that moment (one query). An email already
   stored (from an earlier contact, or a roster) is used as is, and the
   platform is not asked. This is cheaper than asking the platform on every
   miss: after a restart 50,000 people would otherwise mean 50,000
   `users.info` calls (Slack allows about 100 a minute) and as many delayed
   first replies; a database read costs well under a millisecond.
2. only when no email is stored (a newcomer, or a person the platform gave none
   before), asks the platform's `Directory`, bounded in time (`timeout`). What
   it says is remembered: an email for good, "none" for a while (a guest, a
   bot). A failure or a timeout leaves the email unknown, is logged at info
   without any personal data, and is not asked again for a minute, so a
   platform outage costs each person at most one slow reply a minute.

Two events of one person arriving together share one question.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.grouping import GroupCommit
from bot.protocols import Directory
from handlers.clock import Clock
from handlers.messages import Incoming
from storage import Database
from storage.repositories import Repositories

log = logging.getLogger(__name__)
WHOIS_TIMEOUT = 1.5  # seconds a turn waits for the platform's directory
CACHE_SIZE = 50_000  # people remembered per process (about 100 bytes each)
NONE_FOR = 6 * 3600.0  # seconds "the platform has no email for them" is believed
FAILED_FOR = 60.0  # seconds before a person whose lookup failed is asked about again
_MISS = object()


class EmailCache:
    """identity → email, or None for "none known"; least recently used entries go first.

    Args:
        size: at most this many entries.
        clock: monotonic seconds (tests move it).
    """

    def __init__(self, size: int = CACHE_SIZE, clock: Callable[[], float] = time.monotonic) -> None:
        self.size = size
        self.clock = clock
        self._entries: OrderedDict[str, tuple[str | None, float | None]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, identity: str) -> object:
        """The email, None ("none known", still believed), or `_MISS`."""
        found = self._entries.get(identity)
        if found is None:
            return _MISS
        email, until = found
        if until is not None and self.clock() >= until:
            del self._entries[identity]
            return _MISS
        self._entries.move_to_end(identity)
        return email

    def put(self, identity: str, email: str | None, *, believed_for: float | None = None) -> None:
        """Remember `email` (None: none known) for `believed_for` seconds (None: until evicted)."""
        self._entries[identity] = (email, None if believed_for is None else self.clock() + believed_for)
        self._entries.move_to_end(identity)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


def _clean(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    return email if "@" in email and len(email) <= 254 else None


class Whois:
    """Fills in the sender's email for the platforms that have a directory.

    Args:
        db: the database (the core's record of who has an email).
        timeout: seconds to wait for a platform's directory.
        cache: what this process knows already.
    """

    def __init__(
        self, db: Database, clock: Clock, *, timeout: float = WHOIS_TIMEOUT, cache: EmailCache | None = None
    ) -> None:
        self.db = db
        self.timeout = timeout
        # Many newcomers at once (launch day) share one read of what is stored, not one transaction each.
        self._reads: GroupCommit[str, str | None] = GroupCommit(self._stored_many, clock=clock, size=500)
        self.cache = cache or EmailCache()
        self.directories: dict[str, Directory] = {}
        self._asking: dict[str, asyncio.Future[str | None]] = {}

    def attach(self, directory: Directory) -> None:
        self.directories[directory.platform] = directory

    async def fill(self, payload: dict[str, Any], incoming: Incoming) -> Incoming:
        """`incoming` with its sender's email, when it is known or the platform tells it; never raises."""
        directory = self.directories.get(incoming.platform)
        if directory is None or incoming.email:
            return incoming
        email = self.cache.get(incoming.identity)
        if email is _MISS:
            asking = self._asking.get(incoming.identity)
            if asking is None:
                asking = asyncio.ensure_future(self._find(directory, payload, incoming))
                self._asking[incoming.identity] = asking
                asking.add_done_callback(lambda _: self._asking.pop(incoming.identity, None))
            email = await asyncio.shield(asking)
        return replace(incoming, email=email) if isinstance(email, str) else incoming

    async def _find(self, directory: Directory, payload: dict[str, Any], incoming: Incoming) -> str | None:
        identity = incoming.identity
        stored = await self._stored(identity)
        if stored:
            self.cache.put(identity, stored)
            return stored
        try:
            email = _clean(await asyncio.wait_for(directory.email(payload, incoming), self.timeout))
        except Exception as error:  # noqa: BLE001 - best effort: the turn goes on without an email
            log.info("%s: could not look up a sender's email (%s); going on without it", incoming.platform,
                     type(error).__name__)  # fmt: skip
            self.cache.put(identity, None, believed_for=FAILED_FOR)
            return None
        self.cache.put(identity, email, believed_for=None if email else NONE_FOR)
        return email

    async def _stored(self, identity: str) -> str | None:
        try:
            return await self._reads.submit(identity)
        except Exception as error:  # noqa: BLE001 - then the platform is asked
            log.info("could not read whether a sender's email is known (%s)", type(error).__name__)
            return None

    async def _stored_many(self, identities: list[str]) -> list[str | None]:
        async with self.db.transaction() as session:
            known = await Repositories(session).people.emails_of(identities)
        return [known.get(identity) for identity in identities]
