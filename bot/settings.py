"""Settings, read once from the environment (and `.env`) with the platforms' conventional names.

A missing or invalid setting stops start-up with one line naming it; secret
values are `SecretStr`, so they never print, even in error messages.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./leadwell.db"
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)?\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _alias(name: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(name))


class SettingsError(Exception):
    """A setting is missing or wrong; the message is one line naming it."""


class Settings(BaseSettings):
    """Everything an operator can set. See the settings table in README.md."""

    model_config = SettingsConfigDict(env_prefix="LEADWELL_", env_file=".env", extra="ignore", populate_by_name=True)

    # Platforms (conventional names, no prefix)
    slack_bot_token: SecretStr | None = _alias("SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = _alias("SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = _alias("SLACK_APP_TOKEN")
    microsoft_app_id: str | None = _alias("MicrosoftAppId")
    microsoft_app_password: SecretStr | None = _alias("MicrosoftAppPassword")
    microsoft_app_type: Literal["SingleTenant", "MultiTenant", "UserAssignedMSI"] = Field(
        default="SingleTenant", validation_alias=AliasChoices("MicrosoftAppType")
    )
    microsoft_app_tenant_id: str | None = _alias("MicrosoftAppTenantId")

    # LeadWell's own (prefix LEADWELL_)
    database_url: str = DEFAULT_DATABASE_URL
    admins: str = ""
    timezone: str = "Europe/London"
    host: str = "127.0.0.1"
    port: int = Field(default=3978, ge=1, le=65535)
    public_url: str | None = None
    secret_key: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    web_chat: bool = True
    admin_token: SecretStr | None = None
    reminder_after: timedelta = timedelta(hours=2)
    outbox_lease: timedelta = timedelta(seconds=60)
    slack_send_rate: float = Field(default=20.0, gt=0, le=1000)
    teams_send_rate: float = Field(default=15.0, gt=0, le=1000)
    # Updates and deletes of sent messages (announcement corrections and recalls) have their own pace:
    # Slack's chat.update and chat.delete are Tier 3, about 50 a minute.
    slack_edit_rate: float = Field(default=50 / 60, gt=0, le=1000)
    teams_edit_rate: float = Field(default=15.0, gt=0, le=1000)
    # LEADWELL_ANNOUNCE_APPROVAL: an announcement to more than LEADWELL_ANNOUNCE_APPROVAL_OVER people
    # needs a second admin's approval before it is sent.
    announce_approval: bool = False
    announce_approval_over: int = Field(default=1000, ge=0)
    retention_days: int = Field(default=365, ge=1)
    log_format: Literal["text", "json"] = "text"
    access_log: bool = False
    max_connections: int = Field(default=1000, ge=16, le=100_000)
    metrics: bool = False
    privacy_url: str | None = None
    terms_url: str | None = None
    website_url: str | None = None

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///path.db or postgresql+asyncpg://user@host/db")
        return value

    @field_validator("timezone")
    @classmethod
    def _iana_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not an IANA time zone name (for example Europe/London)") from None
        return value

    @field_validator("reminder_after", "outbox_lease", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        if isinstance(value, str):
            found = DURATION.match(value)
            if not found:
                raise ValueError("use a duration such as 2h, 90m or 7200")
            amount, unit = float(found.group(1)), (found.group(2) or "s")[0]
            return timedelta(seconds=amount * UNIT_SECONDS[unit])
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.reminder_after <= timedelta(0):
            raise ValueError("LEADWELL_REMINDER_AFTER must be longer than zero")
        if self.outbox_lease < timedelta(seconds=1):
            raise ValueError("LEADWELL_OUTBOX_LEASE must be at least 1 second")
        if not self.on_loopback and self.secret_key is None:
            raise ValueError("LEADWELL_SECRET_KEY is required when LEADWELL_HOST is not a loopback address")
        if self.slack_bot_token and not (self.slack_signing_secret or self.slack_app_token):
            raise ValueError("SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN)")
        if (self.slack_signing_secret or self.slack_app_token) and not self.slack_bot_token:
            raise ValueError("SLACK_BOT_TOKEN is required when Slack is configured")
        if not self.microsoft_app_id and (self.microsoft_app_password or self.microsoft_app_tenant_id):
            raise ValueError(
                "MicrosoftAppId is required when Teams is configured "
                "(without it Teams runs only as an unauthenticated local emulator on a loopback bind)"
            )
        if self.microsoft_app_id:
            if self.microsoft_app_type != "UserAssignedMSI" and not self.microsoft_app_password:
                raise ValueError("MicrosoftAppPassword is required with MicrosoftAppId")
            if self.microsoft_app_type == "SingleTenant" and not self.microsoft_app_tenant_id:
                raise ValueError("MicrosoftAppTenantId is required for a SingleTenant bot")
        return self

    @property
    def on_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    @property
    def admin_set(self) -> frozenset[str]:
        """LEADWELL_ADMINS: comma-separated identities (`slack:T…:U…`) or emails."""
        items = (item.strip() for item in self.admins.split(","))
        return frozenset(item.lower() if "@" in item else item for item in items if item)

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None

    @property
    def teams_app_configured(self) -> bool:
        return bool(self.microsoft_app_id)


ENV_NAMES = {
    "slack_bot_token": "SLACK_BOT_TOKEN",
    "slack_signing_secret": "SLACK_SIGNING_SECRET",
    "slack_app_token": "SLACK_APP_TOKEN",
    "microsoft_app_id": "MicrosoftAppId",
    "microsoft_app_password": "MicrosoftAppPassword",
    "microsoft_app_type": "MicrosoftAppType",
    "microsoft_app_tenant_id": "MicrosoftAppTenantId",
}


def env_name(field: str) -> str:
    if field in ENV_NAMES.values():
        return field
    return ENV_NAMES.get(field, f"LEADWELL_{field.upper()}")


def load_settings(**overrides: Any) -> Settings:
    """Read the settings; raise `SettingsError` with one line naming the first bad setting."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors(include_input=False, include_url=False)[0]
        location = [str(part) for part in error.get("loc", ()) if part]
        message = error.get("msg", "invalid").removeprefix("Value error, ")
        if location:
            raise SettingsError(f"setting {env_name(location[0])} is invalid: {message}") from None
        raise SettingsError(f"settings are inconsistent: {message}") from None
