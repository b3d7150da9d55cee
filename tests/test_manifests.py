"""The Slack app manifest we hand to operators is valid against Slack's own schema and asks for least privilege."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml
from jsonschema import Draft7Validator

from bot.manifests import slack_manifest
from tests.support.processes import LEADWELL, leadwell_env

SCHEMAS = Path(__file__).resolve().parents[1].parent / "shared" / "schemas"


def test_the_slack_manifest_is_valid_against_slacks_schema() -> None:
    schema = json.loads((SCHEMAS / "slack-app-manifest.schema.json").read_text())
    errors = sorted(Draft7Validator(schema).iter_errors(slack_manifest("https://leadwell.example.nhs.uk")), key=str)
    assert errors == []


def test_the_slack_manifest_points_every_url_at_the_one_endpoint_and_asks_only_for_what_is_used() -> None:
    manifest = slack_manifest("https://leadwell.example.nhs.uk/")
    endpoint = "https://leadwell.example.nhs.uk/slack/events"
    assert manifest["settings"]["event_subscriptions"]["request_url"] == endpoint
    assert manifest["settings"]["interactivity"]["request_url"] == endpoint
    assert manifest["features"]["slash_commands"][0]["url"] == endpoint
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == [
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "users:read",
        "users:read.email",
    ]
    assert sorted(manifest["settings"]["event_subscriptions"]["bot_events"]) == [
        "app_home_opened",
        "app_mention",
        "message.im",
    ]


def test_leadwell_manifest_slack_prints_it_filled_in() -> None:
    result = subprocess.run(
        [LEADWELL, "manifest", "slack", "--url", "https://bot.example.nhs.uk"],
        capture_output=True, text=True, timeout=60, env=leadwell_env(), check=True,
    )  # fmt: skip
    printed = yaml.safe_load(result.stdout)
    assert printed["settings"]["interactivity"]["request_url"] == "https://bot.example.nhs.uk/slack/events"
