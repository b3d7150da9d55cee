"""The platform-neutral messages: what a person sent (`Incoming`) and what the bot says (`Reply`).

Adapters turn Slack events, Bot Framework activities, console lines and web-chat
posts into `Incoming`, and render `Reply` as Block Kit, Adaptive Cards or text.
Nothing here knows a platform.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PLATFORMS = ("slack", "teams", "console", "web")


@dataclass(frozen=True)
class Action:
    """A button the person pressed (or a form they submitted): a name and its values."""

    name: str
    value: dict[str, Any] = field(default_factory=dict)

    def number(self, key: str) -> int | None:
        """`value[key]` as a whole number, or None when it is missing or not one (buttons can be stale or forged)."""
        try:
            return int(self.value[key])
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class Incoming:
    """One thing a person sent the bot.

    Attributes:
        platform: "slack", "teams", "console" or "web".
        identity: the platform identity, e.g. `slack:T111:W222`, `teams:<aadObjectId>`, `console:alice`.
        conversation: the platform's conversation id (a DM, a channel, the terminal).
        text: what they typed (mention of the bot already removed), "" for a button.
        action: the button or form they used, if any.
        private: True in a one-to-one conversation with the bot; False in a channel.
        name, email: what the platform tells us about them (used on first contact).
        event_id: the platform's id for this event, when it has one (inbox dedupe).
        address: where later messages to this person go, for platforms that need one stored (a Teams
            conversation reference, from their personal chat); kept with the person by the turn.
    """

    platform: str
    identity: str
    conversation: str
    text: str = ""
    action: Action | None = None
    private: bool = True
    name: str | None = None
    email: str | None = None
    event_id: str | None = None
    address: dict[str, Any] | None = None


@dataclass(frozen=True)
class Button:
    """A choice the person can press; pressing it comes back as `Action(action, value)`."""

    label: str
    action: str
    value: dict[str, Any] = field(default_factory=dict)
    style: Literal["primary", "danger"] | None = None


@dataclass(frozen=True)
class Link:
    """A link shown with a reply, e.g. the source of an answer."""

    title: str
    url: str | None = None


@dataclass(frozen=True)
class FormField:
    """One input of a form."""

    name: str
    label: str
    kind: Literal["text", "multiline", "select"] = "text"
    required: bool = True
    max_length: int | None = None
    options: tuple[str, ...] = ()
    placeholder: str | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Form:
    """A form (Slack modal, Adaptive Card inputs); submitting it sends `Action(submit_action, values)`."""

    title: str
    fields: tuple[FormField, ...]
    submit_action: str
    submit_label: str = "Submit"
    context: dict[str, Any] = field(default_factory=dict)

    def validate(self, values: dict[str, Any]) -> dict[str, str]:
        """Per-field error messages for submitted `values` (empty when all is well)."""
        errors: dict[str, str] = {}
        for f in self.fields:
            raw = values.get(f.name)
            text = raw.strip() if isinstance(raw, str) else ""
            if f.required and not text:
                errors[f.name] = f"Please fill in {f.label.lower()}."
            elif f.max_length is not None and len(text) > f.max_length:
                errors[f.name] = f"Please keep {f.label.lower()} to {f.max_length} characters (it has {len(text)})."
            elif f.kind == "select" and text and text not in f.options:
                errors[f.name] = f"Please choose one of the options for {f.label.lower()}."
        return errors


@dataclass(frozen=True)
class Reply:
    """What the bot says back: text, optional buttons, links and a form.

    `private` asks the adapter to deliver it only to the person (a DM, or an
    ephemeral message) even when they wrote in a channel.
    """

    text: str
    buttons: tuple[Button, ...] = ()
    links: tuple[Link, ...] = ()
    form: Form | None = None
    private: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (what the outbox stores)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        form = data.get("form")
        return cls(
            text=data.get("text", ""),
            buttons=tuple(Button(**b) for b in data.get("buttons", ())),
            links=tuple(Link(**link) for link in data.get("links", ())),
            form=(
                Form(
                    title=form["title"],
                    fields=tuple(FormField(**{**f, "options": tuple(f.get("options", ()))}) for f in form["fields"]),
                    submit_action=form["submit_action"],
                    submit_label=form.get("submit_label", "Submit"),
                    context=form.get("context", {}),
                )
                if form
                else None
            ),
            private=bool(data.get("private", False)),
        )
