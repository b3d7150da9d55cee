"""Build correctly signed Slack requests from the platform's own payload shapes (shared/fixtures/slack)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
from pathlib import Path
from typing import Any

# shared/ stands beside the repository (as in CI's clean clone).
FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "slack"
SECRET = "test-signing-secret"


def fixture(name: str) -> Any:
    path = FIXTURES / name
    return json.loads(path.read_text()) if name.endswith(".json") else path.read_text()


def signed_headers(
    body: bytes, content_type: str, *, secret: str = SECRET, timestamp: str | None = None
) -> dict[str, str]:
    stamp = timestamp if timestamp is not None else str(int(time.time()))
    # Slack's scheme (what SignatureVerifier checks), on the exact bytes sent.
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    signature = f"v0={digest}"
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


def event_body(payload: dict[str, Any]) -> tuple[bytes, str]:
    return json.dumps(payload).encode(), "application/json"


def form_body(payload: dict[str, Any]) -> tuple[bytes, str]:
    return ("payload=" + urllib.parse.quote(json.dumps(payload))).encode(), "application/x-www-form-urlencoded"


def dm(text: str, *, event_id: str, user: str = "W222") -> dict[str, Any]:
    payload = fixture("message_im.json")
    payload["event_id"] = event_id
    payload["event"].update(text=text, user=user, ts=f"{time.time():.6f}")
    return payload
