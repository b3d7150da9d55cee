"""A fix to the Bot Framework SDK's HTTP layer (msrest), applied once when Teams is set up.

botbuilder's CloudAdapter builds two msrest clients (the Bot Connector client and a user-token client)
for every proactive message, and each builds a `ClientRetryPolicy`, whose constructor checks 999 status
codes for membership in a 501-item *list*: about 5 ms of CPU each, 10 ms per Teams message. That capped
one worker near 80 Teams messages a second, however high the pace (benchmarks/broadcast.py found it).
The same codes in a frozenset give the same retry policy in microseconds.
"""

from __future__ import annotations

from msrest.universal_http.requests import ClientRetryPolicy


def speed_up_retry_policy() -> None:
    """Make `ClientRetryPolicy.safe_codes` a frozenset (the same codes; only membership is ever asked of it)."""
    if not isinstance(ClientRetryPolicy.safe_codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]
