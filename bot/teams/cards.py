"""Render a neutral `Reply` as an Adaptive Card (1.5), with user text made safe; read card actions back.

Text goes in wrapped TextBlocks, escaped so that text from people is shown,
never obeyed: no markdown, no `<at>` mentions, no links. Sources are a FactSet
of links.

Only a reply marked `markdown` (the bot's own words, in the subset of `knowledge.markdown`)
is formatted. TextBlocks render a CommonMark subset natively: bold `**…**`, italic `_…_`,
bullet lists ("- " items, one a line) and links `[title](url)`; no headers, tables,
images or anything else (https://learn.microsoft.com/adaptive-cards/authoring-cards/text-features;
for Teams: https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format,
"Format cards with Markdown", which also says list items may be separated by a CR or LF).
The text is written again from the parsed subset, so only what was parsed becomes markup:
every other character is escaped as in plain text. One TextBlock per paragraph line (as
for plain text) and one per list, its items separated by CR as in the Adaptive Cards example.

Each button is an `Action.Execute` (Universal Actions) whose `data` carries
one signed, expiring token (`handlers.tokens`) for our action and value; a
form's fields are card inputs, and its submit action's token seals the form's
definition, so a submission (by `Action.Execute` invoke or by `Action.Submit`
message) can be validated and routed without anything kept in memory, and
nothing in the card data but the typed values of the sealed form's fields is
read back.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

from handlers.messages import Form, FormField, Reply
from handlers.tokens import Opened, Signer, TokenRefused
from knowledge.markdown import Line, Paragraph, parse, to_plain

CARD_VERSION = "1.5"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_CONTENT_TYPE = "application/vnd.microsoft.activity.message"
ACTION_KEY = "lw"
VERB = "lw"
FORM_SUBMIT = "form.submit"
FIELD_PREFIX = "field."
MAX_TEXT_BLOCKS = 80
MAX_ACTIONS = 6  # what Teams shows on a card
MARKDOWN = re.compile(r"([\\`*_\[\]~])")
LINE_START = re.compile(r"^(\s*)([#+\-]|\d+\.)(?=\s)")
STYLES = {"primary": "positive", "danger": "destructive"}


def escape(text: str) -> str:
    """Shown as typed: HTML-ish characters as entities, markdown punctuation escaped, @here/@channel broken."""
    return _line_start(_escape_inline(text))


def _escape_inline(text: str) -> str:
    text = MARKDOWN.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    for word in ("here", "channel", "everyone", "team"):
        text = re.sub(rf"@({word})\b", "@\u200b\\1", text, flags=re.IGNORECASE)
    return text


def _line_start(text: str) -> str:
    """A line that would start a heading or a list does not."""
    return LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _text_blocks(text: str) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    gap = False
    for line in text.split("\n"):
        if not line.strip():
            gap = True
            continue
        block: dict[str, Any] = {"type": "TextBlock", "text": escape(line), "wrap": True}
        if blocks:
            block["spacing"] = "Medium" if gap else "None"
        blocks.append(block)
        gap = False
    return blocks[:MAX_TEXT_BLOCKS] or [{"type": "TextBlock", "text": " ", "wrap": True}]


def _markdown_blocks(text: str) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for part in parse(text):
        if isinstance(part, Paragraph):
            texts = [_inline(line) for line in part.lines]
        else:
            texts = ["\r".join("- " + _inline(item) for item in part.items)]
        for n, shown in enumerate(texts):
            block: dict[str, Any] = {"type": "TextBlock", "text": shown, "wrap": True}
            if blocks:
                block["spacing"] = "Medium" if part.gap and n == 0 else "None"
            blocks.append(block)
    return blocks[:MAX_TEXT_BLOCKS]


def _inline(line: Line) -> str:
    """Spans as TextBlock markdown: markers opened and closed where the style changes, hugging the text."""
    out: list[str] = []
    opened: list[str] = []
    pending = ""  # whitespace held back so that no marker sits next to a space
    for span in line:
        core = span.text.strip()
        if not core:
            pending += span.text
            continue
        wanted = [marker for marker, on in (("**", span.bold), ("_", span.italic)) if on]
        keep = 0
        while keep < len(opened) and opened[keep] in wanted:
            keep += 1
        out.append("".join(reversed(opened[keep:])))
        opened = opened[:keep]
        opening = [marker for marker in wanted if marker not in opened]
        opened += opening
        url = _safe_url(span.url)
        shown = f"[{_escape_inline(core)}]({url})" if url else _escape_inline(core)
        out.append(pending + span.text[: len(span.text) - len(span.text.lstrip())] + "".join(opening) + shown)
        pending = span.text[len(span.text.rstrip()) :]
    return _line_start("".join(out) + "".join(reversed(opened)))


def _safe_url(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=":/?#[]@!$&'*+,;=%~")  # spaces and parentheses cannot end the markdown link early


def _sources(reply: Reply) -> dict[str, Any] | None:
    facts = []
    for link in reply.links[:10]:
        url = _safe_url(link.url)
        title = escape(link.title)
        facts.append({"title": "Source", "value": f"[{title}]({url})" if url else title})
    return {"type": "FactSet", "facts": facts, "spacing": "Medium"} if facts else None


def _button(label: str, data: dict[str, Any], style: str | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "Action.Execute", "title": label[:80], "verb": VERB, "data": data}
    if style in STYLES:
        action["style"] = STYLES[style]
    return action


def _input(field: FormField, value: str | None) -> dict[str, Any]:
    element: dict[str, Any]
    if field.kind == "select":
        element = {
            "type": "Input.ChoiceSet",
            "choices": [{"title": option[:200], "value": option} for option in field.options[:100]],
            "style": "compact",
        }
    else:
        element = {"type": "Input.Text", "isMultiline": field.kind == "multiline"}
        if field.max_length:
            element["maxLength"] = field.max_length
        if field.placeholder:
            element["placeholder"] = field.placeholder[:150]
    element.update(id=FIELD_PREFIX + field.name, label=field.label[:200], isRequired=field.required)
    if field.required:
        element["errorMessage"] = f"Please fill in {field.label.lower()}."
    if value:
        element["value"] = value
    return element


def form_elements(form: Form, values: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> list[Any]:
    """The form's inputs, each followed by its hint and, after a refused submission, its error message."""
    values, errors = values or {}, errors or {}
    body: list[dict[str, Any]] = [{"type": "TextBlock", "text": escape(form.title), "weight": "Bolder", "wrap": True}]
    for field in form.fields:
        body.append(_input(field, values.get(field.name)))
        if field.hint:
            body.append({"type": "TextBlock", "text": escape(field.hint), "isSubtle": True, "size": "Small",
                         "wrap": True, "spacing": "None"})  # fmt: skip
        if field.name in errors:
            body.append({"type": "TextBlock", "text": escape(errors[field.name]), "color": "Attention",
                         "wrap": True, "spacing": "None"})  # fmt: skip
    return body


def render_card(
    reply: Reply, signer: Signer, *, values: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    """The whole reply as one Adaptive Card (a form's inputs are inline: no extra click to open it)."""
    body = (_markdown_blocks(reply.text) if reply.markdown else []) or _text_blocks(reply.text)
    sources = _sources(reply)
    if sources is not None:
        body.append(sources)
    actions = [_button(b.label, {ACTION_KEY: signer.sign(b.action, b.value)}, b.style) for b in reply.buttons]
    if reply.form is not None:
        body.extend(form_elements(reply.form, values, errors))
        submit = {ACTION_KEY: signer.sign(FORM_SUBMIT, {}, reply.form)}
        actions.insert(0, _button(reply.form.submit_label, submit, "primary"))
    card: dict[str, Any] = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": CARD_VERSION, "body": body}
    if actions:
        card["actions"] = actions[:MAX_ACTIONS]
    return card


def fallback_text(reply: Reply) -> str:
    """The short plain text Teams shows in notifications."""
    first = (to_plain(reply.text) if reply.markdown else reply.text).strip().split("\n", 1)[0]
    return (first[:200] or "LeadWell").replace("<", "‹").replace(">", "›")


def submitted_values(form: Form, data: dict[str, Any]) -> dict[str, str]:
    """What was typed in the form's own fields (nothing else the card data holds is read)."""
    return {f.name: str(data.get(FIELD_PREFIX + f.name) or "") for f in form.fields}


def opened_data(signer: Signer, data: Any) -> Opened | None:
    """What a card action's data stands for (its token opened); None if it is not a card action of ours.

    Raises `TokenRefused` when it claims to be ours but its token is not, or is too old.
    """
    if not isinstance(data, dict) or ACTION_KEY not in data:
        return None
    opened = signer.open(data[ACTION_KEY])
    if (opened.action.name == FORM_SUBMIT) != (opened.form is not None):
        raise TokenRefused("invalid")
    return opened


def invoke_message(text: str) -> dict[str, Any]:
    """An `adaptiveCard/action` answer that shows a short message."""
    return {"statusCode": 200, "type": MESSAGE_CONTENT_TYPE, "value": text}


def invoke_card(card: dict[str, Any]) -> dict[str, Any]:
    """An `adaptiveCard/action` answer that replaces the card (e.g. a form shown again with its errors)."""
    return {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card}
