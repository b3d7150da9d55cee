"""The terminal's adapter and renderer: a typed line (as a payload) → a turn; a reply → terminal text."""

from __future__ import annotations

from typing import Any

from bot.protocols import Turn
from handlers.messages import Action, Incoming, Reply
from knowledge.markdown import to_plain

PLATFORM = "console"


def render(reply: Reply) -> str:
    """A reply as terminal text; buttons become numbered choices, a Markdown reply plain text (bullets "• ")."""
    lines = [to_plain(reply.text) if reply.markdown else reply.text]
    if reply.links:
        lines.append("Sources:")
        lines.extend(f"  - {link.title}" + (f" <{link.url}>" if link.url else "") for link in reply.links)
    if reply.buttons:
        lines.append("")
        lines.extend(f"  {n}) {button.label}" for n, button in enumerate(reply.buttons, start=1))
        lines.append("(answer with a number)")
    if reply.form is not None:
        lines.append(f"[{reply.form.title}] — fill it in one field a line; type “cancel” to stop.")
    return "\n".join(lines)


class ConsoleAdapter:
    """A terminal line (as a payload) → a turn; replies are printed by the chat, not sent."""

    platform = PLATFORM

    def translate(self, payload: dict[str, Any]) -> Turn:
        action = payload.get("action")
        user = str(payload["user"])
        return Turn(
            Incoming(
                platform=PLATFORM,
                identity=f"{PLATFORM}:{user}",
                conversation=f"{PLATFORM}:{user}",
                text=str(payload.get("text", "")),
                action=Action(str(action["name"]), dict(action.get("value") or {})) if action else None,
                name=user,
            )
        )
