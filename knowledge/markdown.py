"""The one small Markdown subset the bot writes, as a tiny document model each platform renders natively.

Only text the bot itself composes is read this way (a `Reply` with `markdown=True`); what people
typed is never parsed, so their words cannot become links or formatting.

The subset, and nothing more:

- paragraphs, separated by a blank line (a single line break stays a line break);
- bullet lists: lines starting with "- ", "• " or "* "; consecutive such lines form one list;
- `**bold**`; `_italic_` (underscores only at word boundaries, so `snake_case_name` and
  `console:nurse_amy` stay as they are; a single `*` is always literal);
- links `[text](https://…)`, http and https only (anything else stays literal text).

A marker that is not closed on its own line stays literal. `parse` gives the blocks; `to_plain`
the plain-text form for terminals and notification fallbacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BULLET = re.compile(r"^\s{0,3}[-•*] +(?=\S)")
INLINE = re.compile(
    r"\[(?P<label>[^\[\]\n]+)\]\((?P<url>https?://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][^\s()<>\[\]]*)?)\)"
    r"|\*\*(?P<bold>\S(?:[^\n]*?\S)?)\*\*"
    r"|(?<!\w)_(?P<italic>[^\s_](?:[^\n_]*?[^\s_])?)_(?!\w)"
)


@dataclass(frozen=True)
class Span:
    """A run of text in one style; a link when `url` is set (its `text` is the link's label)."""

    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None


Line = tuple[Span, ...]


@dataclass(frozen=True)
class Paragraph:
    """Lines of inline spans; `gap` when a blank line separates it from the block before."""

    lines: tuple[Line, ...]
    gap: bool = False


@dataclass(frozen=True)
class BulletList:
    """Bullet items, each a line of inline spans; `gap` as for `Paragraph`."""

    items: tuple[Line, ...]
    gap: bool = False


Block = Paragraph | BulletList


def parse(text: str) -> tuple[Block, ...]:
    """The blocks of `text`: paragraphs and bullet lists, in order."""
    blocks: list[Block] = []
    lines: list[Line] = []
    items: list[Line] = []
    gap = False

    def flush() -> None:
        nonlocal gap
        if lines:
            blocks.append(Paragraph(tuple(lines), gap=gap and bool(blocks)))
        elif items:
            blocks.append(BulletList(tuple(items), gap=gap and bool(blocks)))
        else:
            return
        lines.clear()
        items.clear()
        gap = False

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            flush()
            gap = True
            continue
        bullet = BULLET.match(raw)
        if bullet is not None:
            if lines:
                flush()
            items.append(parse_inline(raw[bullet.end() :].rstrip()))
        else:
            if items:
                flush()
            lines.append(parse_inline(raw.rstrip()))
    flush()
    return tuple(blocks)


def parse_inline(text: str, *, bold: bool = False, italic: bool = False) -> Line:
    """The spans of one line: bold, italic and links (which may sit inside bold or italic)."""
    spans: list[Span] = []
    at = 0
    for match in INLINE.finditer(text):
        if match.start() > at:
            spans.append(Span(text[at : match.start()], bold, italic))
        if match.group("url") is not None:
            spans.append(Span(match.group("label"), bold, italic, match.group("url")))
        elif match.group("bold") is not None:
            spans.extend(parse_inline(match.group("bold"), bold=True, italic=italic))
        else:
            spans.extend(parse_inline(match.group("italic"), bold=bold, italic=True))
        at = match.end()
    if at < len(text):
        spans.append(Span(text[at:], bold, italic))
    return merged(spans)


def merged(spans: list[Span]) -> Line:
    """`spans` with neighbours of one style (and not links) joined into one."""
    joined: list[Span] = []
    for span in spans:
        last = joined[-1] if joined else None
        same_style = last is not None and (last.bold, last.italic) == (span.bold, span.italic)
        if last is not None and same_style and last.url is None and span.url is None:
            joined[-1] = Span(last.text + span.text, span.bold, span.italic)
        else:
            joined.append(span)
    return tuple(joined)


def plain_line(line: Line) -> str:
    """One line as plain text: markers dropped, a link as "text <url>"."""
    return "".join(f"{span.text} <{span.url}>" if span.url else span.text for span in line)


def blocks_to_plain(blocks: tuple[Block, ...]) -> str:
    """Blocks as plain text: bullets as "• ", a blank line where the source had one."""
    out: list[str] = []
    for block in blocks:
        if block.gap:
            out.append("")
        if isinstance(block, Paragraph):
            out.extend(plain_line(line) for line in block.lines)
        else:
            out.extend("• " + plain_line(item) for item in block.items)
    return "\n".join(out)


def to_plain(text: str) -> str:
    """The Markdown subset in `text` as plain text (for a terminal, or a notification's fallback)."""
    return blocks_to_plain(parse(text))


def text_length(line: Line) -> int:
    """How many characters a line shows (link labels, not their addresses)."""
    return sum(len(span.text) for span in line)
