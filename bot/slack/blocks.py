"""Render a neutral `Reply` as Slack Block Kit, with user text made safe.

Slack's mrkdwn treats `&`, `<` and `>` as control characters (links, mentions,
`<!channel>`); escaping them means text from people is shown, never obeyed.
Buttons carry the action name and value as JSON in the button's `value`.
"""

from __future__ import annotations

import json
from typing import Any

from handlers.messages import Action, Form, Reply

SECTION_LIMIT = 3000
BUTTON_VALUE_LIMIT = 2000
ACTION_PREFIX = "lw"
FORM_OPEN = "form.open"


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


def button_value(action: str, value: dict[str, Any]) -> str:
    return json.dumps({"a": action, "v": value}, separators=(",", ":"))[:BUTTON_VALUE_LIMIT]


def action_from_value(raw: str) -> Action | None:
    """The `Action` a clicked button stands for, or None if it is not one of ours."""
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), str) or not isinstance(data.get("v", {}), dict):
        return None
    return Action(data["a"], data.get("v", {}))


def render_blocks(reply: Reply, *, form_button: bool = True) -> list[dict[str, Any]]:
    blocks = _sections(reply.text)
    if reply.links:
        links = [f"<{link.url}|{escape(link.title)}>" if link.url else escape(link.title) for link in reply.links[:10]]
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "Source: " + " · ".join(links)}]})
    elements: list[dict[str, Any]] = []
    for n, button in enumerate(reply.buttons[:24]):
        element: dict[str, Any] = {
            "type": "button",
            "text": {"type": "plain_text", "text": button.label[:75], "emoji": True},
            "action_id": f"{ACTION_PREFIX}:{n}",
            "value": button_value(button.action, button.value),
        }
        if button.style:
            element["style"] = button.style
        elements.append(element)
    if reply.form is not None and form_button:
        elements.append(
            {
                "type": "button",
                "text": {"type": "plain_text", "text": f"Open: {reply.form.title}"[:75]},
                "action_id": f"{ACTION_PREFIX}:form",
                "value": button_value(FORM_OPEN, {"form": reply.form.to_dict()}),
            }
        )
    for start in range(0, len(elements), 25):
        blocks.append({"type": "actions", "elements": elements[start : start + 25]})
    return blocks[:50]


def fallback_text(reply: Reply) -> str:
    """The plain text Slack shows in notifications (required beside blocks)."""
    return escape(reply.text)[:SECTION_LIMIT] or "LeadWell"


def form_from_value(value: dict[str, Any]) -> Form | None:
    """The form a "form.open" button (or a modal's metadata) carries; None if it is not a valid form."""
    return Form.from_dict(value.get("form"))


def modal_view(form: Form) -> dict[str, Any]:
    """A form as a Slack modal; `private_metadata` says what submitting it does."""
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
        "private_metadata": json.dumps({"form": form.to_dict()}),
        "blocks": blocks,
    }


def form_values(view: dict[str, Any]) -> dict[str, str]:
    """What was typed or chosen in a submitted modal, by field name."""
    values: dict[str, str] = {}
    for block_id, inputs in ((view.get("state") or {}).get("values") or {}).items():
        for action in inputs.values():
            if not isinstance(action, dict):
                continue
            chosen = action.get("selected_option") or {}
            value = action.get("value") if action.get("value") is not None else chosen.get("value")
            values[str(block_id)] = str(value or "")
    return values


def home_view(reply: Reply) -> dict[str, Any]:
    """A reply as the App Home tab."""
    return {"type": "home", "blocks": render_blocks(reply, form_button=False)}
