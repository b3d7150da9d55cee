"""Bot Framework activities (JSON, as Teams sends them) → `Incoming`: pure translation, no I/O.

Also: the inbox key of an activity, the ConversationReference (as JSON) that
replies and proactive messages go to, and what an installation event means.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from typing import Any

from bot.teams.auth import activity_tenant
from bot.teams.cards import opened_data, submitted_values
from handlers.messages import Action, Form, Incoming
from handlers.names import ActionId
from handlers.tokens import Signer, TokenRefused

MAX_KEY = 190


@dataclass(frozen=True)
class Submission:
    """A card form sent back: the form it was built from and what was typed in it."""

    form: Form
    values: dict[str, str]
    errors: dict[str, str]


def identity(activity: dict[str, Any]) -> str | None:
    """`teams:<aadObjectId>` of the sender (None for bots and senders without an Entra id)."""
    aad = (activity.get("from") or {}).get("aadObjectId")
    return f"teams:{aad}" if aad else None


def inbox_key(activity: dict[str, Any]) -> str | None:
    """Conversation id + activity id (a Bot Framework retry repeats both); hashed when long."""
    conversation = (activity.get("conversation") or {}).get("id")
    activity_id = activity.get("id")
    if not conversation or not activity_id:
        return None
    key = f"{conversation}|{activity_id}"
    return key if len(key) <= MAX_KEY else "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def is_personal(activity: dict[str, Any]) -> bool:
    return bool((activity.get("conversation") or {}).get("conversationType", "personal") == "personal")


def reference(activity: dict[str, Any], *, reply_to: bool = True) -> dict[str, Any]:
    """The ConversationReference (JSON) for this activity's conversation, with tenant and the person's Entra id."""
    conversation = dict(activity.get("conversation") or {})
    tenant = activity_tenant(activity)
    if tenant:
        conversation["tenantId"] = tenant
    sender = activity.get("from") or {}
    found: dict[str, Any] = {
        "user": {k: sender[k] for k in ("id", "name", "aadObjectId") if sender.get(k)},
        "bot": {k: v for k, v in (activity.get("recipient") or {}).items() if k in ("id", "name")},
        "conversation": {
            k: v for k, v in conversation.items() if k in ("id", "conversationType", "tenantId", "isGroup", "name")
        },  # fmt: skip
        "channelId": activity.get("channelId", "msteams"),
        "serviceUrl": activity.get("serviceUrl"),
        "locale": activity.get("locale"),
    }
    if reply_to and activity.get("id"):
        found["activityId"] = activity["id"]
    return {k: v for k, v in found.items() if v is not None}


def personal_address(activity: dict[str, Any]) -> dict[str, Any] | None:
    """Where later messages to the sender go: this conversation, if it is their personal chat with the bot."""
    return reference(activity, reply_to=False) if is_personal(activity) else None


def mention_free_text(activity: dict[str, Any]) -> str:
    """The message text without the @mention of the bot (Teams puts `<at>Name</at>` in the text)."""
    text = str(activity.get("text") or "")
    bot = activity.get("recipient") or {}
    for entity in activity.get("entities") or []:
        if entity.get("type") == "mention" and (entity.get("mentioned") or {}).get("id") == bot.get("id"):
            text = text.replace(str(entity.get("text") or "\0"), " ")
    if bot.get("name"):
        text = re.sub(rf"<at>\s*{re.escape(str(bot['name']))}\s*</at>", " ", text, flags=re.IGNORECASE)
    return " ".join(html.unescape(text).split())


def _incoming(activity: dict[str, Any], who: str, *, text: str = "", action: Action | None = None) -> Incoming:
    return Incoming(
        platform="teams",
        identity=who,
        conversation=str((activity.get("conversation") or {}).get("id", "")),
        text=text,
        action=action,
        private=is_personal(activity),
        name=(activity.get("from") or {}).get("name"),
        event_id=inbox_key(activity),
        address=personal_address(activity),
    )


def target(activity: dict[str, Any]) -> dict[str, Any]:
    """Where replies to this activity go (kept on each outbox row, so a crash loses nothing)."""
    return {"reference": reference(activity), "shared": not is_personal(activity)}


def card_data(activity: dict[str, Any]) -> Any:
    """What a card action sent: `value` of an Action.Submit message, `value.action.data` of an invoke."""
    value = activity.get("value")
    if activity.get("type") == "invoke":
        return ((value or {}).get("action") or {}).get("data") if isinstance(value, dict) else None
    return value


def submission(activity: dict[str, Any], signer: Signer) -> Submission | None:
    """A form sent back whose token opens to a form of ours: the form, the typed values and their errors."""
    data = card_data(activity)
    try:
        opened = opened_data(signer, data)
    except TokenRefused:
        return None  # refused by `from_activity`
    if opened is None or opened.form is None or not isinstance(data, dict):
        return None
    values = submitted_values(opened.form, data)
    return Submission(opened.form, values, opened.form.validate(values))


def from_activity(activity: dict[str, Any], signer: Signer) -> Incoming | None:
    """A message, a button or a form submission as `Incoming`; None for what we don't act on.

    A card action whose token is not ours, or is too old, is a refusal for the core (which audits it).
    """
    who = identity(activity)
    if who is None or activity.get("type") not in ("message", "invoke"):
        return None
    data = card_data(activity)
    if data is not None:
        try:
            opened = opened_data(signer, data)
        except TokenRefused as error:
            return _incoming(activity, who, action=Action(ActionId.BUTTON_REFUSED, {"reason": error.reason}))
        if opened is None:
            return None
        sub = submission(activity, signer)
        if sub is not None:
            return _incoming(activity, who, action=Action(sub.form.submit_action, {**sub.values, **sub.form.context}))
        return _incoming(activity, who, action=opened.action)
    if activity.get("type") != "message":
        return None
    text = mention_free_text(activity)
    return _incoming(activity, who, text=text) if text else None


def installed(activity: dict[str, Any]) -> bool | None:
    """True: the bot was added (installed); False: removed (uninstalled); None: neither."""
    bot_id = (activity.get("recipient") or {}).get("id")
    kind = activity.get("type")
    if kind == "installationUpdate":
        action = str(activity.get("action") or "")
        return True if action.startswith("add") else False if action.startswith("remove") else None
    if kind == "conversationUpdate":
        if any(m.get("id") == bot_id for m in activity.get("membersAdded") or []):
            return True
        if any(m.get("id") == bot_id for m in activity.get("membersRemoved") or []):
            return False
    return None
