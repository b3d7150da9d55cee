"""The Teams app package we hand to operators: valid against Microsoft's v1.30 schema, with proper icons."""

from __future__ import annotations

import json
import struct
import subprocess
import zipfile
from pathlib import Path

from jsonschema import Draft7Validator

from bot.manifests import TEAMS_DIR, teams_manifest
from bot.settings import Settings, load_settings
from tests.support.processes import LEADWELL, leadwell_env

SCHEMAS = Path(__file__).resolve().parents[1].parent / "shared" / "schemas"
APP_ID = "11111111-2222-4333-8444-555555555555"


def settings() -> Settings:
    return load_settings(
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="pw",
        MicrosoftAppTenantId="t",
        public_url="https://leadwell.example.nhs.uk",
        privacy_url="https://example.nhs.uk/privacy",
    )


def png_header(data: bytes) -> tuple[int, int, int]:
    """Width, height and colour type of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


def test_the_teams_manifest_is_valid_against_the_v1_30_schema() -> None:
    schema = json.loads((SCHEMAS / "teams-manifest.schema.json").read_text())
    manifest = teams_manifest(settings())
    assert sorted(Draft7Validator(schema).iter_errors(manifest), key=str) == []
    wrong_version = {**manifest, "manifestVersion": "1.19"}  # Draft7 (not the declared draft-04) sees `const`
    assert list(Draft7Validator(schema).iter_errors(wrong_version)) != []


def test_the_manifest_carries_the_app_id_domain_links_and_useful_commands() -> None:
    manifest = teams_manifest(settings())
    (bot,) = manifest["bots"]
    assert manifest["id"] == bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team"}
    assert manifest["validDomains"] == ["leadwell.example.nhs.uk"]
    assert manifest["developer"]["privacyUrl"] == "https://example.nhs.uk/privacy"
    titles = [c["title"] for c in bot["commandLists"][0]["commands"]]
    for wanted in ("help", "nudge", "checkin every friday at 16:00", "my progress", "topics", "my reflections"):
        assert wanted in titles
    assert "{{" not in json.dumps(manifest)


def test_the_icons_are_the_sizes_teams_asks_for_and_the_outline_is_white_on_transparent() -> None:
    assert png_header((TEAMS_DIR / "color.png").read_bytes()) == (192, 192, 6)
    assert png_header((TEAMS_DIR / "outline.png").read_bytes()) == (32, 32, 6)
    pixels = _rgba(TEAMS_DIR / "outline.png")
    assert {p for p in pixels if p[3] != 0} == {(255, 255, 255, 255)}
    assert any(p[3] == 0 for p in pixels)


def _rgba(path: Path) -> list[tuple[int, ...]]:
    import zlib

    data = path.read_bytes()
    width, height, _ = png_header(data)
    chunks, pos = b"", 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IDAT":
            chunks += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(chunks)
    stride = width * 4 + 1
    assert all(raw[row * stride] == 0 for row in range(height))  # written unfiltered
    return [
        tuple(raw[row * stride + 1 + i : row * stride + 5 + i]) for row in range(height) for i in range(0, width * 4, 4)
    ]


def test_leadwell_manifest_teams_builds_the_upload_package(tmp_path: Path) -> None:
    out = tmp_path / "leadwell-teams.zip"
    env = leadwell_env(MicrosoftAppId=APP_ID, MicrosoftAppPassword="pw", MicrosoftAppTenantId="t",
                       LEADWELL_PUBLIC_URL="https://bot.example.nhs.uk")  # fmt: skip
    subprocess.run([LEADWELL, "manifest", "teams", "--out", str(out)], capture_output=True, text=True, timeout=60,
                   env=env, check=True, cwd=tmp_path)  # fmt: skip
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
    assert manifest["bots"][0]["botId"] == APP_ID and manifest["validDomains"] == ["bot.example.nhs.uk"]
