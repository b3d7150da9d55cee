"""The bot's Markdown subset (`knowledge.markdown`) as Slack `rich_text` blocks.

Slack's mrkdwn has no list syntax, so formatted text goes out as `rich_text`: a paragraph is a
`rich_text_section` of `text` and `link` elements (bold and italic as their `style`), a bullet
list a `rich_text_list` with `style: "bullet"` whose items are sections
(https://docs.slack.dev/reference/block-kit/blocks/rich-text-block and, beside it,
block-elements/rich-text-list-element and block-elements/text-element). Text in these
elements is not read as mrkdwn (mentions, broadcasts and links are elements of their own), so
it is not escaped as section text is; it is only ever the bot's own words.

Slack documents no character limit for a rich_text block; each one here holds at most
`TEXT_LIMIT` characters, the limit of a section's text, and longer content continues in the
next block, cut at a space where one is near. A blank line in the text also starts a new block.
"""

from __future__ import annotations

from typing import Any

from knowledge.markdown import BulletList, Line, Paragraph, Span, merged, parse

TEXT_LIMIT = 3000

Element = dict[str, Any]


def rich_text_blocks(text: str, limit: int = TEXT_LIMIT) -> list[dict[str, Any]]:
    """`text` (the Markdown subset) as rich_text blocks, each within `limit` characters of text."""
    blocks: list[list[Element]] = []
    size = 0
    for block in parse(text):
        containers = _sections(block, limit) if isinstance(block, Paragraph) else _lists(block, limit)
        for n, (container, length) in enumerate(containers):
            if not blocks or (block.gap and n == 0) or size + length > limit:
                blocks.append([])
                size = 0
            blocks[-1].append(container)
            size += length
    return [{"type": "rich_text", "elements": elements} for elements in blocks]


def _sections(paragraph: Paragraph, limit: int) -> list[tuple[Element, int]]:
    spans: list[Span] = []
    for n, line in enumerate(paragraph.lines):
        if n:
            spans.append(Span("\n"))
        spans.extend(line)
    return [(_section(piece), _length(piece)) for piece in _pieces(merged(spans), limit)]


def _lists(bullets: BulletList, limit: int) -> list[tuple[Element, int]]:
    lists: list[tuple[list[Element], int]] = []
    for item in bullets.items:
        for piece in _pieces(item, limit):
            length = _length(piece)
            if not lists or lists[-1][1] + length > limit:
                lists.append(([], 0))
            items, size = lists[-1]
            items.append(_section(piece))
            lists[-1] = (items, size + length)
    return [({"type": "rich_text_list", "style": "bullet", "elements": items}, size) for items, size in lists]


def _section(spans: Line) -> Element:
    return {"type": "rich_text_section", "elements": [_element(span) for span in spans]}


def _element(span: Span) -> Element:
    element: Element = {"type": "link", "url": span.url, "text": span.text} if span.url else {
        "type": "text",
        "text": span.text,
    }
    style = {name: True for name, on in (("bold", span.bold), ("italic", span.italic)) if on}
    if style:
        element["style"] = style
    return element


def _length(spans: Line) -> int:
    return sum(len(span.text) for span in spans)


def _pieces(spans: Line, limit: int) -> list[Line]:
    """`spans` cut into runs of at most `limit` characters, at a space or line break where one is near."""
    pieces: list[list[Span]] = [[]]
    size = 0
    for span in spans:
        rest = span.text
        while size + len(rest) > limit:
            room = limit - size
            space = max(rest.rfind(" ", 0, room), rest.rfind("\n", 0, room))
            cut = space + 1 if space >= 0 else (room if size == 0 else 0)
            if cut:
                pieces[-1].append(Span(rest[:cut], span.bold, span.italic, span.url))
            pieces.append([])
            size = 0
            rest = rest[cut:]
        if rest:
            pieces[-1].append(Span(rest, span.bold, span.italic, span.url))
            size += len(rest)
    return [tuple(piece) for piece in pieces if piece]
