"""The fields of Bot Framework activities that LeadWell reads, as pydantic models: an authentic
activity whose fields have the wrong shape gets a 400, never a crash after the ack.

Only what we read is checked (extra fields pass untouched). Validation errors never carry the
input, so no message text can reach a log through them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class _Fields(BaseModel):
    model_config = ConfigDict(extra="allow", hide_input_in_errors=True, populate_by_name=True)


class _Account(_Fields):
    id: str | None = None
    name: str | None = None
    aadObjectId: str | None = None


class _Conversation(_Fields):
    id: str | None = None
    conversationType: str | None = None
    tenantId: str | None = None
    isGroup: bool | None = None


class _Tenant(_Fields):
    id: str | None = None


class _ChannelData(_Fields):
    tenant: _Tenant | None = None


class _Entity(_Fields):
    type: str | None = None
    mentioned: _Account | None = None
    text: str | None = None


class _Activity(_Fields):
    type: str = Field(min_length=1)
    id: str | None = None
    name: str | None = None
    action: str | None = None
    text: str | None = None
    serviceUrl: str | None = None
    channelId: str | None = None
    locale: str | None = None
    conversation: _Conversation | None = None
    sender: _Account | None = Field(default=None, alias="from")
    recipient: _Account | None = None
    channelData: _ChannelData | None = None
    entities: list[_Entity] | None = None
    membersAdded: list[_Account] | None = None
    membersRemoved: list[_Account] | None = None
    value: Any = None

    @field_validator("value")
    @classmethod
    def _card_action(cls, value: Any) -> Any:
        """An invoke's `value.action` (and its `data`) must be objects when present."""
        if isinstance(value, dict) and value.get("action") is not None:
            action = value["action"]
            if not isinstance(action, dict) or not isinstance(action.get("data", {}), dict | None):
                raise ValueError("value.action must be an object with object data")
        return value


class UnexpectedShape(ValueError):
    """An activity whose fields are not the shapes Bot Framework documents."""


def check(activity: Any) -> dict[str, Any]:
    """The activity (as sent) when every field LeadWell reads has the right type; else `UnexpectedShape`."""
    if not isinstance(activity, dict):
        raise UnexpectedShape("not a Bot Framework activity")
    try:
        _Activity.model_validate(activity)
    except ValidationError as error:
        fields = sorted({".".join(str(part) for part in e["loc"]) for e in error.errors()})
        raise UnexpectedShape(f"unexpected activity fields: {', '.join(fields)}") from None
    return activity
