"""Slack payloads → `Incoming`: pure translation, no I/O (tested on Slack's own payload shapes).

Also: the inbox key of each request (Slack's `event_id` for events; the
`trigger_id` for slash commands and interactions), and where replies go.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs

from bot.http import BadBody, parse_json
from bot.slack.blocks import FORM_SUBMIT, form_values
from handlers.messages import Action, Form, Incoming
from handlers.names import ActionId
from handlers.tokens import Opened, Signer, TokenRefused

MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
IGNORED_SUBTYPES = {"message_changed", "message_deleted", "bot_message", "channel_join", "channel_leave"}


class MalformedBody(ValueError):
    """The (correctly signed) body is not a Slack request we can read."""


def parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    """Events come as JSON; slash commands and interactions as a form (`payload=` holds JSON)."""
    try:
        text = raw.decode("utf-8")
        if content_type.startswith("application/json"):
            body = parse_json(raw)
        elif content_type.startswith("application/x-www-form-urlencoded"):
            form = {key: values[-1] for key, values in parse_qs(text, keep_blank_values=True).items()}
            body = parse_json(form["payload"].encode()) if "payload" in form else form
        else:
            raise MalformedBody(f"unexpected content type {content_type or '(none)'}")
    except (UnicodeDecodeError, BadBody, KeyError) as error:
        raise MalformedBody(type(error).__name__) from None
    if not isinstance(body, dict) or not (body.get("type") or body.get("command")):
        raise MalformedBody("not a Slack event, command or interaction")
    return body


def team_of(body: dict[str, Any]) -> str:
    team = body.get("team_id") or (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    return str(team or "T0")


def identity(team: str, user: str) -> str:
    return f"slack:{team}:{user}"


def inbox_key(body: dict[str, Any]) -> str | None:
    """Slack's id for this request: retries of an event carry the same `event_id`."""
    if body.get("type") == "event_callback":
        return body.get("event_id")
    if body.get("command"):
        return f"command:{body.get('trigger_id')}"
    if body.get("type") in ("block_actions", "view_submission"):
        return f"{body['type']}:{body.get('trigger_id') or body.get('view', {}).get('id')}"
    return None


def from_event(body: dict[str, Any]) -> tuple[Incoming, dict[str, Any]] | None:
    """A DM or an @mention as `Incoming` plus where to reply; None for events we don't act on."""
    event = body.get("event") or {}
    kind = event.get("type")
    if event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES or not event.get("user"):
        return None
    if kind == "message" and event.get("channel_type") == "im":
        private = True
    elif kind == "app_mention":
        private = False
    else:
        return None
    channel = str(event.get("channel", ""))
    incoming = Incoming(
        platform="slack",
        identity=identity(team_of(body), event["user"]),
        conversation=channel,
        text=MENTION.sub("", event.get("text", "")).strip(),
        private=private,
        event_id=body.get("event_id"),
    )
    target = {"channel": channel, "shared": not private}
    if not private or event.get("thread_ts"):
        target["thread_ts"] = event.get("thread_ts") or event.get("ts")
    return incoming, target


def from_command(body: dict[str, Any]) -> tuple[Incoming, dict[str, Any]]:
    channel = str(body.get("channel_id", ""))
    private = channel.startswith("D") or body.get("channel_name") == "directmessage"
    incoming = Incoming(
        platform="slack",
        identity=identity(team_of(body), str(body.get("user_id"))),
        conversation=channel,
        text=str(body.get("text", "")).strip() or "help",
        private=private,
        name=body.get("user_name"),
        event_id=inbox_key(body),
    )
    # A command in a channel is answered to the person, not to the whole channel.
    return incoming, {"channel": str(body.get("user_id")) if not private else channel, "shared": False}


def refused(reason: str) -> Action:
    """What a button or form whose token could not be opened means for the core: a refusal, audited there."""
    return Action(ActionId.BUTTON_REFUSED, {"reason": reason})


def pressed(body: dict[str, Any], signer: Signer) -> Opened | None:
    """What the clicked button stands for (its value opened); a refusal for a value that is not a token of
    ours or too old; None for an element with no value (nothing of ours)."""
    actions = body.get("actions") or []
    raw = actions[0].get("value") if actions else None
    if not raw:
        return None
    try:
        return signer.open(raw)
    except TokenRefused as error:
        return Opened(refused(error.reason))


def from_block_action(body: dict[str, Any], action: Action) -> tuple[Incoming, dict[str, Any]]:
    user = body.get("user") or {}
    channel = str(
        (body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get("id") or user.get("id")
    )
    private = channel.startswith("D") or (body.get("container") or {}).get("type") == "view"
    incoming = Incoming(
        platform="slack",
        identity=identity(team_of(body), str(user.get("id"))),
        conversation=channel,
        action=action,
        private=private,
        name=user.get("name") or user.get("username"),
        event_id=inbox_key(body),
    )
    if (body.get("container") or {}).get("type") == "view":
        channel = str(user.get("id"))
    return incoming, {"channel": channel, "shared": not private}


def submitted_form(body: dict[str, Any], signer: Signer) -> tuple[Form, dict[str, str]]:
    """The form a modal was built from (its `private_metadata` token opened) and the values typed in its fields.

    Raises `TokenRefused` when the metadata is not a form token of ours, or is too old.
    """
    view = body.get("view") or {}
    opened = signer.open(view.get("private_metadata"))
    if opened.form is None or opened.action.name != FORM_SUBMIT:
        raise TokenRefused("invalid")
    return opened.form, form_values(view, opened.form)


def from_view_submission(body: dict[str, Any], action: Action) -> tuple[Incoming, dict[str, Any]]:
    """A submitted modal as `Incoming`: `action` is the form's (typed values, then its sealed context) or a refusal."""
    user = body.get("user") or {}
    incoming = Incoming(
        platform="slack",
        identity=identity(team_of(body), str(user.get("id"))),
        conversation=str(user.get("id")),
        action=action,
        private=True,
        event_id=inbox_key(body),
    )
    return incoming, {"channel": str(user.get("id")), "shared": False}
