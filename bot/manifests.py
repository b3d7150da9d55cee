"""The Slack and Teams app manifests, filled in with the address the platforms reach the bot at.

The templates live in the top-level `manifest` package (package data, so they
ship in the wheel); they are found through importlib.resources, not beside
the source tree.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml


def _manifest_dir() -> Path:
    """The installed `manifest` package's folder (a pip install always unpacks it onto disk)."""
    folder = files("manifest")
    if not isinstance(folder, Path):
        raise RuntimeError(f"the manifest templates are not on disk ({folder!r}); install LeadWell unzipped")
    return folder


MANIFEST_DIR = _manifest_dir()


def slack_manifest(url: str, *, socket_mode: bool = False) -> dict[str, Any]:
    """`manifest/slack.yaml` with `{{URL}}` replaced (no trailing slash)."""
    text = (MANIFEST_DIR / "slack.yaml").read_text(encoding="utf-8").replace("{{URL}}", url.rstrip("/"))
    manifest: dict[str, Any] = yaml.safe_load(text)
    manifest["settings"]["socket_mode_enabled"] = socket_mode
    return manifest


TEAMS_DIR = MANIFEST_DIR / "teams"
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


def teams_manifest(settings: Any) -> dict[str, Any]:
    """`manifest/teams/manifest.json` filled in: the bot's app id, its domain and the operator's links.

    Without MicrosoftAppId the id is all zeros (fine for a look; Teams needs the real one).
    """
    from urllib.parse import urlsplit

    base = settings.base_url
    values = {
        "{{APP_ID}}": settings.microsoft_app_id or PLACEHOLDER_ID,
        "{{DOMAIN}}": urlsplit(base).hostname or "localhost",
        "{{WEBSITE_URL}}": settings.website_url or base,
        "{{PRIVACY_URL}}": settings.privacy_url or f"{base}/privacy",
        "{{TERMS_URL}}": settings.terms_url or f"{base}/terms",
    }
    text = (TEAMS_DIR / "manifest.json").read_text(encoding="utf-8")
    for placeholder, value in values.items():
        text = text.replace(placeholder, json.dumps(value)[1:-1])
    manifest: dict[str, Any] = json.loads(text)
    return manifest


def teams_package(settings: Any, out: Path) -> Path:
    """The upload package: manifest.json plus the two icons, zipped."""
    import zipfile

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(teams_manifest(settings), indent=2, ensure_ascii=False))
        for icon in ("color.png", "outline.png"):
            package.write(TEAMS_DIR / icon, icon)
    return out
