"""A platform's rate limit and injected faults, as the fakes apply them to the method that sends messages.

`PlatformLimit.judge()` is asked once per request, when it arrives: it counts the
request in a sliding one-second window (every request counts, refused or not, as
on the real platforms), and answers None (accept) or a refusal:

- during a Retry-After the fake announced earlier: 429 again, with the time left
  (a sender that ignores Retry-After is caught here: `during_pause`);
- over `rate` requests in the last second: 429, Retry-After 1 (`over_limit`);
- a `inject_429` share of requests: 429 with a Retry-After of 1 or 2 s (`pauses`
  records when and how long, so a benchmark can add them to its limit-bound time);
- a `inject_5xx` share: 503.

`accept(recipient, text)` counts what was delivered, so lost and duplicated
messages can be counted at the fake. The faults come from a seeded random
generator, so a run can be repeated.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Refusal:
    status: int
    retry_after: float | None = None  # seconds, sent as a whole number in the Retry-After header
    reason: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(math.ceil(self.retry_after))} if self.retry_after is not None else {}


@dataclass
class PlatformLimit:
    """Attributes:
    rate: at most this many requests in any sliding one-second window (None: no limit).
    inject_429: the share of requests answered 429 with Retry-After 1 or 2 s.
    inject_5xx: the share answered 503.
    seed: for the random faults.
    """

    rate: float | None = None
    inject_429: float = 0.0
    inject_5xx: float = 0.0
    seed: int = 17
    arrivals: int = 0
    peak: int = 0  # most requests seen in any sliding one-second window
    over_limit: int = 0
    during_pause: int = 0
    injected_5xx: int = 0
    pauses: list[tuple[float, float]] = field(default_factory=list)  # each injected Retry-After: (when, seconds)
    accepted: Counter[tuple[str, str]] = field(default_factory=Counter)
    last_accepted_at: float = 0.0
    paused_until: float = 0.0
    over_limit_windows: list[list[float]] = field(default_factory=list)
    _window: deque[float] = field(default_factory=deque)
    _random: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def judge(self, now: float | None = None) -> Refusal | None:
        """Count one arriving request; None to accept it, else how to refuse it."""
        now = time.monotonic() if now is None else now
        self.arrivals += 1
        self._window.append(now)
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        self.peak = max(self.peak, len(self._window))
        if now < self.paused_until:
            self.during_pause += 1
            return Refusal(429, self.paused_until - now, "still paused")
        if self.rate is not None and len(self._window) > self.rate:
            self.over_limit += 1
            if len(self.over_limit_windows) < 5:  # what the window held: gaps between its arrivals, in ms
                times = list(self._window)
                self.over_limit_windows.append(
                    [round((b - a) * 1000, 1) for a, b in zip(times, times[1:], strict=False)]
                )
            return self._pause(now, 1.0, "over the limit")
        if self.inject_429 and self._random.random() < self.inject_429:
            seconds = float(self._random.choice((1, 2)))
            self.pauses.append((now, seconds))
            return self._pause(now, seconds, "injected")
        if self.inject_5xx and self._random.random() < self.inject_5xx:
            self.injected_5xx += 1
            return Refusal(503, None, "injected")
        return None

    def _pause(self, now: float, seconds: float, reason: str) -> Refusal:
        self.paused_until = max(self.paused_until, now + seconds)
        return Refusal(429, seconds, reason)

    def accept(self, recipient: str, text: str) -> None:
        self.accepted[(recipient, text)] += 1
        self.last_accepted_at = time.monotonic()

    def figures(self) -> dict[str, Any]:
        """What a benchmark prints (JSON-ready)."""
        return {
            "arrivals": self.arrivals,
            "peak": self.peak,
            "over_limit": self.over_limit,
            "during_pause": self.during_pause,
            "injected_429": len(self.pauses),
            "injected_5xx": self.injected_5xx,
            "pauses": [list(pause) for pause in self.pauses],
            "last_accepted_at": self.last_accepted_at,
            "over_limit_windows": self.over_limit_windows,
            "accepted": [[recipient, text, count] for (recipient, text), count in self.accepted.items()],
        }
