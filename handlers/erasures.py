"""The erasure list: a keyed hash of each forgotten person's email, so a roster re-import does not bring them back.

The hash is HMAC-SHA256 of the email (trimmed, lower case) under a random 32-byte key. The key is
kept in the database sealed with the operator's secret (LEADWELL_SECRET_KEY, or the local one), and
so is re-sealed by `leadwell keys rotate` like every sealed value: a key derived from the secret
itself would change with it, and every person on the list would come back at the next import.
Without the secret the list says nothing: an email cannot be tested against it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from datetime import datetime

from handlers.sealing import Sealer, SealError
from storage.repositories import Repositories

log = logging.getLogger(__name__)
KEY_NAME = "erasure_list_key"


class EmailHasher:
    """The keyed hash the erasure list keeps for an email (64 hex digits)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, email: str) -> str:
        return hmac.new(self._key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


async def email_hasher(repos: Repositories, sealer: Sealer, now: datetime) -> EmailHasher:
    """The list's hasher, making its key on first use; `SealError` if the key was sealed with another secret."""
    row = await repos.erasures.kept(KEY_NAME)
    sealed = row.sealed if row is not None else None
    if sealed is None:
        fresh = sealer.seal(base64.b64encode(secrets.token_bytes(32)).decode())
        sealed = await repos.erasures.keep_sealed_once(KEY_NAME, fresh, now)
    return EmailHasher(base64.b64decode(sealer.open(sealed)))


async def remember_erasure(repos: Repositories, sealer: Sealer | None, email: str | None, now: datetime) -> bool:
    """Put `email` on the erasure list (in the erasing transaction); False when it could not be.

    An erasure never fails for this: without an email or a secret there is nothing to keep, and a
    key sealed with another secret is logged (without the email) for the operator.
    """
    if not email or sealer is None:
        return False
    try:
        hasher = await email_hasher(repos, sealer, now)
    except SealError:
        log.warning("the erasure list's key does not open with the current secret: an erased email was not "
                    "added to it; restore the secret it was sealed with")  # fmt: skip
        return False
    await repos.erasures.remember(hasher(email), now)
    return True
