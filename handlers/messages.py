"""The platform-neutral messages: what a person sent (`Incoming`) and what the bot says (`Reply`).

Adapters turn Slack events, Bot Framework activities, console lines and web-chat
posts into `Incoming`, and render `Reply` as Block Kit, Adaptive Cards or text.
Nothing here knows a platform.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FieldKind = Literal["text", "multiline", "select"]
FIELD_KINDS: tuple[FieldKind, ...] = ("text", "multiline", "select")


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
    kind: FieldKind = "text"
    required: bool = True
    max_length: int | None = None
    options: tuple[str, ...] = ()
    placeholder: str | None = None
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types (a list of options, not a tuple)."""
        return {**asdict(self), "options": list(self.options)}

    @classmethod
    def from_dict(cls, data: object) -> FormField | None:
        """The field `to_dict` gave, from untrusted data: None if a key is unknown, missing or of the wrong type."""
        if not isinstance(data, dict) or not _FIELD_REQUIRED <= data.keys() <= _FIELD_KEYS:
            return None
        name, label, kind = data["name"], data["label"], data.get("kind", "text")
        required, max_length, options = data.get("required", True), data.get("max_length"), data.get("options", [])
        well_formed = (
            _text(name, empty=False)
            and _text(label)
            and kind in FIELD_KINDS
            and isinstance(required, bool)
            and (max_length is None or (type(max_length) is int and max_length > 0))
            and isinstance(options, list | tuple)
            and all(_text(option) for option in options)
            and all(value is None or _text(value) for value in (data.get("placeholder"), data.get("hint")))
        )
        if not well_formed:
            return None
        return cls(name, label, kind, required, max_length, tuple(options), data.get("placeholder"), data.get("hint"))


@dataclass(frozen=True)
class Form:
    """A form (Slack modal, Adaptive Card inputs); submitting it sends `Action(submit_action, context | values)`."""

    title: str
    fields: tuple[FormField, ...]
    submit_action: str
    submit_label: str = "Submit"
    context: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types, for a renderer to carry the form in a button value, modal metadata or card data."""
        return {**asdict(self), "fields": [f.to_dict() for f in self.fields], "context": dict(self.context)}

    @classmethod
    def from_dict(cls, data: object) -> Form | None:
        """The form `to_dict` gave, read back from untrusted data (what a platform returned).

        None, never an exception, if anything is unknown, missing or of the wrong type,
        including any of its fields, or two fields with one name.
        """
        if not isinstance(data, dict) or not _FORM_REQUIRED <= data.keys() <= _FORM_KEYS:
            return None
        raw_fields, context = data["fields"], data.get("context", {})
        if not isinstance(raw_fields, list | tuple) or not isinstance(context, dict):
            return None
        fields = tuple(FormField.from_dict(f) for f in raw_fields)
        title, submit_action, submit_label = data["title"], data["submit_action"], data.get("submit_label", "Submit")
        well_formed = (
            _text(title)
            and _text(submit_action, empty=False)
            and _text(submit_label)
            and all(isinstance(key, str) for key in context)
            and None not in fields
            and len({f.name for f in fields if f is not None}) == len(fields)
        )
        if not well_formed:
            return None
        return cls(title, tuple(f for f in fields if f is not None), submit_action, submit_label, dict(context))

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
    ephemeral message) even when they wrote in a channel. `markdown` says the text is the
    bot's own Markdown subset (`knowledge.markdown`), rendered as each platform's formatting;
    leave it False for any text that carries what a person wrote, which is then shown
    exactly as typed.
    """

    text: str
    buttons: tuple[Button, ...] = ()
    links: tuple[Link, ...] = ()
    form: Form | None = None
    private: bool = False
    markdown: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the reply (what the outbox stores)."""
        return {**asdict(self), "form": self.form.to_dict() if self.form is not None else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        """The reply `to_dict` gave (from our own outbox: trusted, unlike what a platform sends back)."""
        form = data.get("form")
        return cls(
            text=data.get("text", ""),
            buttons=tuple(Button(**b) for b in data.get("buttons", ())),
            links=tuple(Link(**link) for link in data.get("links", ())),
            form=Form.from_dict(form) if form else None,
            private=bool(data.get("private", False)),
            markdown=data.get("markdown") is True,
        )


_FIELD_KEYS = frozenset(f.name for f in dataclasses.fields(FormField))
_FIELD_REQUIRED = frozenset({"name", "label"})
_FORM_KEYS = frozenset(f.name for f in dataclasses.fields(Form))
_FORM_REQUIRED = frozenset({"title", "fields", "submit_action"})


def _text(value: object, *, empty: bool = True) -> bool:
    return isinstance(value, str) and (empty or bool(value))
