"""The Slack app manifest, filled in with the address the platforms reach the bot at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MANIFEST_DIR = Path(__file__).resolve().parent.parent / "manifest"


def slack_manifest(url: str, *, socket_mode: bool = False) -> dict[str, Any]:
    """`manifest/slack.yaml` with `{{URL}}` replaced (no trailing slash)."""
    text = (MANIFEST_DIR / "slack.yaml").read_text(encoding="utf-8").replace("{{URL}}", url.rstrip("/"))
    manifest: dict[str, Any] = yaml.safe_load(text)
    manifest["settings"]["socket_mode_enabled"] = socket_mode
    return manifest
