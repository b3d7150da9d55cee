"""Settings: sensible defaults, one clear line for anything wrong, secrets never shown."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_run_locally_on_the_embedded_database() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///./leadwell.db"
    assert (settings.host, settings.port, settings.timezone) == ("127.0.0.1", 3978, "Europe/London")
    assert settings.reminder_after == timedelta(hours=2)
    assert settings.microsoft_app_type == "SingleTenant"
    assert not settings.slack_enabled


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"LEADWELL_PORT": "eighty"}, "LEADWELL_PORT"),
        ({"LEADWELL_PORT": "70000"}, "LEADWELL_PORT"),
        ({"LEADWELL_TIMEZONE": "London"}, "LEADWELL_TIMEZONE"),
        ({"LEADWELL_DATABASE_URL": "mysql://x"}, "LEADWELL_DATABASE_URL"),
        ({"LEADWELL_REMINDER_AFTER": "a while"}, "LEADWELL_REMINDER_AFTER"),
        ({"LEADWELL_LOG_FORMAT": "xml"}, "LEADWELL_LOG_FORMAT"),
        ({"MicrosoftAppType": "Anything"}, "MicrosoftAppType"),
        ({"LEADWELL_HOST": "0.0.0.0"}, "LEADWELL_SECRET_KEY"),
        ({"SLACK_BOT_TOKEN": "xoxb-123-secret"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "s3cr3t-value"}, "SLACK_BOT_TOKEN"),
        ({"MicrosoftAppId": "app", "MicrosoftAppPassword": "pw-secret"}, "MicrosoftAppTenantId"),
        ({"MicrosoftAppId": "app", "MicrosoftAppTenantId": "t"}, "MicrosoftAppPassword"),
    ],
)
def test_a_wrong_setting_stops_with_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], named: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert named in message
    assert "\n" not in message
    for secret in ("xoxb-123-secret", "s3cr3t-value", "pw-secret"):
        assert secret not in message


def test_secrets_never_appear_when_settings_are_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing-very-secret")
    monkeypatch.setenv("LEADWELL_SECRET_KEY", "key-very-secret")
    settings = load_settings()
    shown = repr(settings) + str(settings.model_dump())
    assert "very-secret" not in shown
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-very-secret"


def test_settings_are_read_from_a_dot_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("LEADWELL_PORT=4000\nLEADWELL_ADMINS=slack:T1:U1, Boss@NHS.net\n")
    settings = load_settings()
    assert settings.port == 4000
    assert settings.admin_set == frozenset({"slack:T1:U1", "boss@nhs.net"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h", timedelta(hours=2)),
        ("90m", timedelta(minutes=90)),
        ("7200", timedelta(hours=2)),
        ("1 day", timedelta(days=1)),
    ],
)
def test_the_reminder_delay_reads_like_a_person_writes_it(
    monkeypatch: pytest.MonkeyPatch, text: str, expected: timedelta
) -> None:
    monkeypatch.setenv("LEADWELL_REMINDER_AFTER", text)
    assert load_settings().reminder_after == expected


def test_a_public_bind_with_a_secret_key_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADWELL_HOST", "0.0.0.0")
    monkeypatch.setenv("LEADWELL_SECRET_KEY", "k" * 32)
    monkeypatch.setenv("LEADWELL_PUBLIC_URL", "https://leadwell.example.nhs.uk/")
    settings = load_settings()
    assert not settings.on_loopback
    assert settings.base_url == "https://leadwell.example.nhs.uk"
