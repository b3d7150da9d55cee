"""Render a neutral `Reply` as Slack Block Kit, with user text made safe.

Slack's mrkdwn treats `&`, `<` and `>` as control characters (links, mentions,
`<!channel>`); escaping them means text from people is shown, never obeyed. Only a reply
marked `markdown` (the bot's own words) is formatted, as `rich_text` blocks (`bot.slack.rich_text`).
A button's `value` is a signed, expiring token (`handlers.tokens`) for its action and
value; a modal's `private_metadata` one for its form. Nothing else in them is read back.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.slack.rich_text import rich_text_blocks
from handlers.messages import Form, Reply
from handlers.tokens import Opened, Signer
from knowledge.markdown import to_plain

log = logging.getLogger(__name__)
SECTION_LIMIT = 3000
BUTTON_VALUE_LIMIT = 2000
METADATA_LIMIT = 3000
ACTION_PREFIX = "lw"
FORM_OPEN = "form.open"
FORM_SUBMIT = "form.submit"


def escape(text: str) -> str:
    """Slack's own escaping: `&` `<` `>`; also breaks bare @here/@channel/@everyone."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for word in ("here", "channel", "everyone"):
        text = text.replace(f"@{word}", f"@\u200b{word}")
    return text


def _sections(text: str) -> list[dict[str, Any]]:
    escaped = escape(text) or " "
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": escaped[i : i + SECTION_LIMIT]}}
        for i in range(0, len(escaped), SECTION_LIMIT)
    ]


def button_value(signer: Signer, action: str, value: dict[str, Any], form: Form | None = None) -> str | None:
    """The signed token a button carries; None (the button is left out) if it would not fit Slack's limit."""
    token = signer.sign(action, value, form)
    if len(token) > BUTTON_VALUE_LIMIT:
        log.warning("Slack: left out a %s button whose token is %d characters", action, len(token))
        return None
    return token


def action_from_value(signer: Signer, raw: object) -> Opened:
    """What a clicked button stands for; `TokenRefused` when its value is not a token of ours, or too old."""
    return signer.open(raw)


def render_blocks(reply: Reply, signer: Signer, *, form_button: bool = True) -> list[dict[str, Any]]:
    blocks = (rich_text_blocks(reply.text) if reply.markdown else []) or _sections(reply.text)
    if reply.links:
        links = [f"<{link.url}|{escape(link.title)}>" if link.url else escape(link.title) for link in reply.links[:10]]
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "Source: " + " · ".join(links)}]})
    elements: list[dict[str, Any]] = []
    for n, button in enumerate(reply.buttons[:24]):
        value = button_value(signer, button.action, button.value)
        if value is None:
            continue
        element: dict[str, Any] = {
            "type": "button",
            "text": {"type": "plain_text", "text": button.label[:75], "emoji": True},
            "action_id": f"{ACTION_PREFIX}:{n}",
            "value": value,
        }
        if button.style:
            element["style"] = button.style
        elements.append(element)
    form_value = button_value(signer, FORM_OPEN, {}, reply.form) if reply.form is not None and form_button else None
    if reply.form is not None and form_value is not None:
        elements.append(
            {
                "type": "button",
                "text": {"type": "plain_text", "text": f"Open: {reply.form.title}"[:75]},
                "action_id": f"{ACTION_PREFIX}:form",
                "value": form_value,
            }
        )
    for start in range(0, len(elements), 25):
        blocks.append({"type": "actions", "elements": elements[start : start + 25]})
    return blocks[:50]


def fallback_text(reply: Reply) -> str:
    """The plain text Slack shows in notifications (required beside blocks)."""
    return escape(to_plain(reply.text) if reply.markdown else reply.text)[:SECTION_LIMIT] or "LeadWell"


def modal_view(form: Form, signer: Signer) -> dict[str, Any]:
    """A form as a Slack modal; `private_metadata` (a signed token for the form) says what submitting it does."""
    blocks: list[dict[str, Any]] = []
    for f in form.fields:
        if f.kind == "select":
            element: dict[str, Any] = {
                "type": "static_select",
                "action_id": f.name,
                "options": [{"text": {"type": "plain_text", "text": o[:75]}, "value": o} for o in f.options[:100]],
            }
        else:
            element = {"type": "plain_text_input", "action_id": f.name, "multiline": f.kind == "multiline"}
            if f.max_length:
                element["max_length"] = f.max_length
        block: dict[str, Any] = {
            "type": "input",
            "block_id": f.name,
            "label": {"type": "plain_text", "text": f.label[:2000]},
            "element": element,
            "optional": not f.required,
        }
        if f.hint:
            block["hint"] = {"type": "plain_text", "text": f.hint[:2000]}
        blocks.append(block)
    return {
        "type": "modal",
        "callback_id": "leadwell-form",
        "title": {"type": "plain_text", "text": form.title[:24]},
        "submit": {"type": "plain_text", "text": form.submit_label[:24]},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": signer.sign(FORM_SUBMIT, {}, form),
        "blocks": blocks,
    }


def form_values(view: dict[str, Any], form: Form) -> dict[str, str]:
    """What was typed or chosen in a submitted modal, for the fields `form` has (nothing else is read)."""
    names = {f.name for f in form.fields}
    values: dict[str, str] = {}
    for block_id, inputs in ((view.get("state") or {}).get("values") or {}).items():
        if block_id not in names or not isinstance(inputs, dict):
            continue
        for action in inputs.values():
            if not isinstance(action, dict):
                continue
            chosen = action.get("selected_option") or {}
            value = action.get("value") if action.get("value") is not None else chosen.get("value")
            values[str(block_id)] = str(value or "")
    return values


def home_view(reply: Reply, signer: Signer) -> dict[str, Any]:
    """A reply as the App Home tab."""
    return {"type": "home", "blocks": render_blocks(reply, signer, form_button=False)}
