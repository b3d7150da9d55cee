"""Private text (reflections, notes on practices) is sealed (Fernet) before it is stored, opened only for its author."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class SealError(Exception):
    """A sealed text could not be opened (the secret changed, or the text was tampered with)."""


class Sealer:
    """Seals and opens private text with a key derived from the operator's secret.

    Args:
        secret: LEADWELL_SECRET_KEY (or the generated local secret); at least 16 characters.
    """

    def __init__(self, secret: str) -> None:
        if len(secret) < 16:
            raise ValueError("the secret for private text must be at least 16 characters")
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"leadwell", info=b"reflections v1").derive(
            secret.encode()
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(key))
        self._reference_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=b"leadwell", info=b"references v1"
        ).derive(secret.encode())

    def seal(self, text: str) -> str:
        return self._fernet.encrypt(text.encode()).decode()

    def reference(self, text: str) -> str:
        """A keyed, non-reversible reference to `text` (an erased person's identity in the audit log)."""
        return hmac.new(self._reference_key, text.encode(), hashlib.sha256).hexdigest()[:24]

    def opens(self, sealed: str) -> bool:
        """Whether `sealed` was sealed with this secret."""
        try:
            self._fernet.decrypt(sealed.encode())
        except InvalidToken:
            return False
        return True

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise SealError("this text was sealed with another secret") from None


def seal_payload(sealer: Sealer | None, payload: dict[str, Any]) -> dict[str, Any]:
    """A JSON payload (an inbox event, an outbox reply) as `{"sealed": …}`; unchanged without a sealer."""
    if sealer is None:
        return payload
    return {"sealed": sealer.seal(json.dumps(payload, separators=(",", ":")))}


def open_payload(sealer: Sealer | None, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload `seal_payload` sealed (one kept in the clear, from before sealing, comes back as it is)."""
    sealed = payload.get("sealed")
    if not (isinstance(sealed, str) and len(payload) == 1):
        return dict(payload)
    if sealer is None:
        raise SealError("this payload is sealed, and no secret is configured to open it")
    opened: dict[str, Any] = json.loads(sealer.open(sealed))
    return opened
