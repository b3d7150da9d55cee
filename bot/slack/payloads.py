"""The fields of Slack's payloads that LeadWell reads, as pydantic models: a signed request whose
fields have the wrong shape is refused before it is kept, never a crash after the ack.

Only what we read is checked (extra fields pass untouched), and only for the requests we act on, so
a new or unusual Slack event is never refused. Validation errors never carry the input, so no
message text can reach a log through them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

ACTED_ON = frozenset({"message", "app_mention", "app_home_opened"})


class _Fields(BaseModel):
    model_config = ConfigDict(extra="allow", hide_input_in_errors=True)


class _Id(_Fields):
    id: str | None = None


class _User(_Fields):
    id: str
    name: str | None = None
    username: str | None = None
    team_id: str | None = None


class _Event(_Fields):
    type: str
    user: str | None = None
    text: str | None = None
    channel: str | None = None
    channel_type: str | None = None
    ts: str | None = None
    thread_ts: str | None = None
    bot_id: str | None = None
    subtype: str | None = None
    tab: str | None = None


class _EventCallback(_Fields):
    event_id: str
    team_id: str | None = None
    event: dict[str, Any]


class _Command(_Fields):
    command: str
    text: str = ""
    user_id: str
    channel_id: str = ""
    channel_name: str | None = None
    user_name: str | None = None
    team_id: str | None = None
    trigger_id: str | None = None


class _Element(_Fields):
    value: str | None = None


class _Container(_Fields):
    type: str | None = None
    channel_id: str | None = None


class _BlockActions(_Fields):
    trigger_id: str | None = None
    user: _User
    actions: list[_Element]
    container: _Container | None = None
    channel: _Id | None = None
    team: _Id | None = None


class _View(_Fields):
    id: str | None = None
    private_metadata: str = ""
    state: dict[str, dict[str, dict[str, dict[str, Any]]]] | None = None


class _ViewSubmission(_Fields):
    trigger_id: str | None = None
    user: _User
    view: _View
    team: _Id | None = None


class UnexpectedShape(ValueError):
    """A signed Slack request whose fields are not the shapes Slack documents."""


def check(body: dict[str, Any]) -> None:
    """Raise `UnexpectedShape` when a field LeadWell reads has the wrong type."""
    try:
        kind = body.get("type")
        if kind == "event_callback":
            _EventCallback.model_validate(body)
            if body["event"].get("type") in ACTED_ON:
                _Event.model_validate(body["event"])
        elif body.get("command") is not None:
            _Command.model_validate(body)
        elif kind == "block_actions":
            _BlockActions.model_validate(body)
        elif kind == "view_submission":
            _ViewSubmission.model_validate(body)
    except ValidationError as error:
        fields = sorted({".".join(str(part) for part in e["loc"]) for e in error.errors()})
        raise UnexpectedShape(f"unexpected {kind or 'command'} fields: {', '.join(fields)}") from None
