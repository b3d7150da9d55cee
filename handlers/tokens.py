"""Signed, expiring tokens for what a client sends back: a button's action and value, a form's definition.

A button or a form goes out with its meaning sealed in one token (Fernet: encrypted and
authenticated, with the time it was made); pressing or submitting it sends the token back, and the
adapter opens it. So nothing the client sends back can choose an action, a role, a person or a
target: a forged, tampered or unsigned value opens to nothing, and a token older than the
time to live has expired. Only typed values travel beside a token (a form's inputs), and only the
fields the sealed form names are read.

The key is derived from the operator's secret with its own HKDF `info`, so a token is never a
sealed reflection and the other way round. The payload is compact JSON, zlib-compressed when that
is shorter, so a form definition fits Slack's 2,000-character button value.
"""

from __future__ import annotations

import base64
import json
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from cryptography.fernet import Fernet, InvalidToken

from handlers.messages import Action, Form
from handlers.sealing import derive_key

TOKEN_TTL = timedelta(days=14)  # a check-in or nudge may be answered days after it was sent
Refusal = Literal["expired", "invalid"]
_PLAIN, _DEFLATED = b"j", b"z"


class TokenRefused(Exception):
    """A token that is not ours (unsigned, tampered, another secret) or too old."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason)
        self.reason: Refusal = reason


@dataclass(frozen=True)
class Opened:
    """What a token stood for: the action (with its value) and, for a form, the form."""

    action: Action
    form: Form | None = None


class Signer:
    """Seals and opens the tokens buttons and forms carry.

    Args:
        secret: LEADWELL_SECRET_KEY (or the generated local secret); at least 16 characters.
        ttl: how long a token may be used after it was made.
        now: the time (seconds since the epoch); tests pass their own.
    """

    def __init__(self, secret: str, *, ttl: timedelta = TOKEN_TTL, now: Callable[[], float] = time.time) -> None:
        if len(secret) < 16:
            raise ValueError("the secret for button tokens must be at least 16 characters")
        self._fernet = Fernet(base64.urlsafe_b64encode(derive_key(secret, b"client tokens v1")))
        self.ttl = ttl
        self._now = now

    def sign(self, action: str, value: dict[str, Any] | None = None, form: Form | None = None) -> str:
        """A token for pressing `action` with `value` (and, for a form, the form's definition)."""
        payload: dict[str, Any] = {"a": action, "v": value or {}}
        if form is not None:
            payload["f"] = form.to_dict()
        raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        packed = zlib.compress(raw, 9)
        data = _DEFLATED + packed if len(packed) < len(raw) else _PLAIN + raw
        return self._fernet.encrypt_at_time(data, int(self._now())).decode("ascii")

    def open(self, token: object) -> Opened:
        """What `token` stands for; `TokenRefused` ("invalid" or "expired") when it is not ours or too old."""
        if not isinstance(token, str) or not token or len(token) > 20_000 or not token.isascii():
            raise TokenRefused("invalid")
        now = int(self._now())
        try:
            data = self._fernet.decrypt_at_time(token.encode("ascii"), int(self.ttl.total_seconds()), now)
        except InvalidToken:
            try:  # a genuine token past its time to live (or from the future): expired, not forged
                self._fernet.decrypt_at_time(token.encode("ascii"), 10**10, now)
            except InvalidToken:
                raise TokenRefused("invalid") from None
            raise TokenRefused("expired") from None
        return _payload(data)


def _payload(data: bytes) -> Opened:
    """Our own sealed payload; still checked, since a bug must not become a crash in an adapter."""
    try:
        raw = zlib.decompress(data[1:]) if data[:1] == _DEFLATED else data[1:]
        payload = json.loads(raw)
    except (zlib.error, ValueError):
        raise TokenRefused("invalid") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), str) or not isinstance(payload.get("v"), dict):
        raise TokenRefused("invalid")
    form = None
    if "f" in payload:
        form = Form.from_dict(payload["f"])
        if form is None:
            raise TokenRefused("invalid")
    return Opened(Action(payload["a"], payload["v"]), form)
