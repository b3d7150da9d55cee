"""Private text (reflections, notes on practices, a turn's replies) is sealed (Fernet) before it is stored.

A turn's replies wait in the outbox until they are sent (`handlers.conversation.ReplyQueue`);
they may echo what the person wrote, or show that they were given support, so they wait
sealed (`seal_reply`), and the sender opens them (`open_reply`). Once sent, their payload is
dropped (`storage.repositories.outbox`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from handlers.messages import Reply


class SealError(Exception):
    """A sealed text could not be opened (the secret changed, or the text was tampered with)."""


def derive_key(secret: str, purpose: bytes) -> bytes:
    """A 32-byte key for one `purpose` from the operator's secret (HKDF), so keys for different uses differ."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"leadwell", info=purpose).derive(secret.encode())


class Sealer:
    """Seals and opens private text with a key derived from the operator's secret.

    Args:
        secret: LEADWELL_SECRET_KEY (or the generated local secret); at least 16 characters.
    """

    def __init__(self, secret: str) -> None:
        if len(secret) < 16:
            raise ValueError("the secret for private text must be at least 16 characters")
        self._fernet = Fernet(base64.urlsafe_b64encode(derive_key(secret, b"reflections v1")))
        self._reference_key = derive_key(secret, b"references v1")

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


def sealed_token(payload: Any) -> str | None:
    """The token of a payload `seal_payload` sealed; None for one kept in the clear (or emptied once handled)."""
    sealed = payload.get("sealed") if isinstance(payload, dict) else None
    return sealed if isinstance(sealed, str) and len(payload) == 1 else None


def open_payload(sealer: Sealer | None, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload `seal_payload` sealed (one kept in the clear, from before sealing, comes back as it is)."""
    sealed = sealed_token(payload)
    if sealed is None:
        return dict(payload)
    if sealer is None:
        raise SealError("this message was sealed, and no secret is configured to open it")
    opened: dict[str, Any] = json.loads(sealer.open(sealed))
    return opened


def seal_reply(reply: Reply, target: dict[str, Any], sealer: Sealer | None) -> dict[str, Any]:
    """A turn's reply as an outbox payload: the reply and where it goes, sealed together."""
    return seal_payload(sealer, {**reply.to_dict(), "target": target})


def open_reply(payload: dict[str, Any], sealer: Sealer | None) -> Reply:
    """The reply an outbox payload holds, sealed or not; `SealError` if it is sealed and cannot be opened."""
    return Reply.from_dict(open_payload(sealer, payload))
