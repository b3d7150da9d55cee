"""Private text (reflections, notes on practices, a turn's replies) is sealed (Fernet) before it is stored.

A turn's replies wait in the outbox until they are sent (`handlers.conversation.ReplyQueue`);
they may echo what the person wrote, or show that they were given support, so they wait
sealed (`seal_reply`), and the sender opens them (`open_reply`). Once sent, their payload is
dropped (`storage.repositories.outbox`).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from handlers.messages import Reply


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

    def seal(self, text: str) -> str:
        return self._fernet.encrypt(text.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise SealError("this text was sealed with another secret") from None


def seal_reply(reply: Reply, target: dict[str, Any], sealer: Sealer | None) -> dict[str, Any]:
    """A turn's reply as an outbox payload: the reply sealed, where it goes (a channel, a thread) in the clear."""
    if sealer is None:
        return {**reply.to_dict(), "target": target}
    return {"sealed": sealer.seal(json.dumps(reply.to_dict(), separators=(",", ":"))), "target": target}


def open_reply(payload: dict[str, Any], sealer: Sealer | None) -> Reply:
    """The reply an outbox payload holds, sealed or not; `SealError` if it is sealed and cannot be opened."""
    sealed = payload.get("sealed")
    if not isinstance(sealed, str):
        return Reply.from_dict(payload)
    if sealer is None:
        raise SealError("this message was sealed, and no secret is configured to open it")
    opened: dict[str, Any] = json.loads(sealer.open(sealed))
    return Reply.from_dict(opened)
