"""The bot's Markdown subset: parsed once (`knowledge.markdown`), rendered natively by each platform.

The golden sample (tests/golden/markdown/sample.md) has a lead sentence in bold, an italic word, a
link, a nine-item bullet list and a second paragraph; each platform's exact rendering sits beside it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft6Validator, Draft202012Validator

from bot.console.adapter import render
from bot.slack import blocks as slack
from bot.slack.rich_text import TEXT_LIMIT, rich_text_blocks
from bot.teams import cards as teams
from handlers.messages import Button, Link, Reply
from handlers.tokens import Signer
from knowledge.markdown import BulletList, Paragraph, Span, parse, to_plain

GOLDEN = Path(__file__).parent / "golden" / "markdown"
SCHEMAS = Path(__file__).resolve().parents[1].parent / "shared" / "schemas"
BLOCK_KIT = Draft202012Validator(json.loads((SCHEMAS / "slack-block-kit.schema.json").read_text()))
ADAPTIVE_CARD = Draft6Validator(json.loads((SCHEMAS / "adaptive-card.schema.json").read_text()))
SIGNER = Signer("markdown-tests-secret-0123456789")
SAMPLE = (GOLDEN / "sample.md").read_text().rstrip("\n")


def golden(name: str) -> Any:
    return json.loads((GOLDEN / name).read_text())


def assert_valid_blocks(blocks: list[dict[str, Any]]) -> None:
    errors = sorted(BLOCK_KIT.iter_errors(blocks), key=str)
    assert errors == [], [e.message for e in errors][:3]


def assert_valid_card(card: dict[str, Any]) -> None:
    errors = sorted(ADAPTIVE_CARD.iter_errors(card), key=str)
    assert errors == [], [e.message for e in errors][:3]


def slack_text(block: dict[str, Any]) -> str:
    """All the text a rich_text block shows, in order."""
    shown = []
    for container in block["elements"]:
        sections = container["elements"] if container["type"] == "rich_text_list" else [container]
        shown.extend(element["text"] for section in sections for element in section["elements"])
    return "".join(shown)


# ---- the golden sample on each platform -----------------------------------------------------------


def test_slack_renders_the_sample_as_rich_text_with_a_bullet_list_exactly() -> None:
    reply = Reply(SAMPLE, markdown=True)
    blocks = slack.render_blocks(reply, SIGNER)
    assert blocks == golden("slack.json")
    assert_valid_blocks(blocks)
    assert slack.fallback_text(reply) == slack.escape((GOLDEN / "terminal.txt").read_text().rstrip("\n"))


def test_teams_renders_the_sample_as_text_block_markdown_exactly() -> None:
    reply = Reply(SAMPLE, markdown=True)
    card = teams.render_card(reply, SIGNER)
    assert card["body"] == golden("teams.json")
    assert_valid_card(card)
    assert teams.fallback_text(reply) == (
        "The Healthcare Leadership Model has nine dimensions. Each describes behaviour, not a job title; see the "
        "NHS Leadership Academy ‹https://www.leadershipacademy.nhs.uk/resources/healthcare-leadership-mod"
    )


def test_the_terminal_shows_the_sample_as_plain_text_with_bullets_exactly() -> None:
    assert render(Reply(SAMPLE, markdown=True)) + "\n" == (GOLDEN / "terminal.txt").read_text()


def test_sources_and_buttons_still_follow_formatted_text_and_the_whole_stays_valid() -> None:
    reply = Reply(SAMPLE, markdown=True, links=(Link("HLM", "https://example.org"),), buttons=(Button("More", "a"),))
    blocks = slack.render_blocks(reply, SIGNER)
    assert [b["type"] for b in blocks] == ["rich_text", "rich_text", "context", "actions"]
    assert_valid_blocks(blocks)
    card = teams.render_card(reply, SIGNER)
    assert [b["type"] for b in card["body"]] == ["TextBlock", "TextBlock", "TextBlock", "FactSet"]
    assert_valid_card(card)


# ---- what people wrote is never formatted ---------------------------------------------------------

WORDS = "**x** [a](http://evil) _y_\n- item"


def test_a_reply_not_marked_markdown_is_shown_literally_on_every_platform() -> None:
    reply = Reply(WORDS)
    assert slack.render_blocks(reply, SIGNER) == [{"type": "section", "text": {"type": "mrkdwn", "text": WORDS}}]
    assert slack.fallback_text(reply) == WORDS
    body = teams.render_card(reply, SIGNER)["body"]
    assert [b["text"] for b in body] == ["\\*\\*x\\*\\* \\[a\\](http://evil) \\_y\\_", "\\- item"]
    assert render(reply) == WORDS


def test_a_payload_stored_without_the_flag_reads_as_plain_and_the_flag_survives_the_outbox() -> None:
    stored = Reply("**x**").to_dict()
    del stored["markdown"]
    assert Reply.from_dict(stored).markdown is False
    marked = Reply("**x**", markdown=True)
    assert Reply.from_dict(json.loads(json.dumps(marked.to_dict()))) == marked
    assert Reply.from_dict({**marked.to_dict(), "markdown": "yes"}).markdown is False


# ---- the parser ----------------------------------------------------------------------------------


def test_bold_italic_and_links_become_spans() -> None:
    (paragraph,) = parse("**Lead.** an _italic_ word, [NHS](https://www.nhs.uk/) and **[both](https://a.b) _in_**")
    assert paragraph == Paragraph(
        (
            (
                Span("Lead.", bold=True),
                Span(" an "),
                Span("italic", italic=True),
                Span(" word, "),
                Span("NHS", url="https://www.nhs.uk/"),
                Span(" and "),
                Span("both", bold=True, url="https://a.b"),
                Span(" ", bold=True),
                Span("in", bold=True, italic=True),
            ),
        )
    )


@pytest.mark.parametrize(
    "text",
    [
        "**not closed",
        "closed** only",
        "****",
        "** spaced **",
        "snake_case_name and console:nurse_amy",
        "_a_b_ and _ spaced _",
        "a single *star* stays",
        "[x](javascript:alert(1))",
        "[x](ftp://files.example)",
        "[x](https://)",
        "[x] (https://a.b)",
    ],
)
def test_what_is_not_the_subset_stays_literal(text: str) -> None:
    assert parse(text) == (Paragraph(((Span(text),),)),)
    assert to_plain(text) == text


def test_consecutive_bullet_lines_form_one_list_and_a_blank_line_separates_blocks() -> None:
    blocks = parse("Lead:\n- one\n• two\n* three\n\n\nAfter.\nSecond line.\n\n- again")
    assert blocks == (
        Paragraph(((Span("Lead:"),),)),
        BulletList(((Span("one"),), (Span("two"),), (Span("three"),))),
        Paragraph(((Span("After."),), (Span("Second line."),)), gap=True),
        BulletList(((Span("again"),),), gap=True),
    )
    assert to_plain("Lead:\n- one\n• two\n* three\n\n\nAfter.\nSecond line.\n\n- again") == (
        "Lead:\n• one\n• two\n• three\n\nAfter.\nSecond line.\n\n• again"
    )


def test_a_bullet_needs_its_space_and_some_text() -> None:
    assert parse("-not a bullet\n- \n*not either*") == (
        Paragraph(((Span("-not a bullet"),), (Span("-"),), (Span("*not either*"),))),
    )


# ---- the edges, on every platform ----------------------------------------------------------------


def test_a_javascript_link_is_literal_text_everywhere() -> None:
    reply = Reply("see [x](javascript:alert(1)) now", markdown=True)
    (block,) = slack.render_blocks(reply, SIGNER)
    assert block["elements"] == [
        {"type": "rich_text_section", "elements": [{"type": "text", "text": "see [x](javascript:alert(1)) now"}]}
    ]
    (text_block,) = teams.render_card(reply, SIGNER)["body"]
    assert text_block["text"] == "see \\[x\\](javascript:alert(1)) now"
    assert render(reply) == "see [x](javascript:alert(1)) now"


def test_teams_keeps_markers_against_the_text_and_nests_them() -> None:
    reply = Reply("**bold _both_ bold** and _it **b** it_ then **[l](https://a.b) x** end", markdown=True)
    (block,) = teams.render_card(reply, SIGNER)["body"]
    assert block["text"] == "**bold _both_ bold** and _it **b** it_ then **[l](https://a.b) x** end"
    escaped = Reply("**a*b & <at>c</at>** 1. [x_y](https://a.b/p?q=a b)", markdown=True)
    (block,) = teams.render_card(escaped, SIGNER)["body"]
    assert block["text"] == "**a\\*b &amp; &lt;at&gt;c&lt;/at&gt;** 1. \\[x\\_y\\](https://a.b/p?q=a b)"


def test_a_long_answer_is_split_into_blocks_within_slacks_limits() -> None:
    words = " ".join(f"word{n:03d}" for n in range(400))  # 3,199 characters, one paragraph
    text = f"**{words[:300]}** {words[301:]}\n- {'x' * 3500}\n- short"
    assert len(text) > 3500
    blocks = rich_text_blocks(text)
    assert len(blocks) >= 3 and all(len(slack_text(b)) <= TEXT_LIMIT for b in blocks)
    assert "".join(slack_text(b) for b in blocks[:2]).startswith(words[:300] + " " + words[301:400])
    assert_valid_blocks(slack.render_blocks(Reply(text, markdown=True), SIGNER))
    card = teams.render_card(Reply(text, markdown=True), SIGNER)
    assert_valid_card(card)
    assert [b["text"][:6] for b in card["body"]] == ["**word", "- xxxx"]


def test_a_long_paragraph_is_cut_at_a_space_and_nothing_is_lost() -> None:
    text = " ".join(["nurse"] * 700)  # 4,199 characters
    blocks = rich_text_blocks(text)
    assert [len(slack_text(b)) for b in blocks] == [3000, 1199]
    assert slack_text(blocks[0]).endswith("nurse ") and "".join(map(slack_text, blocks)) == text


def test_empty_markdown_still_renders_something_valid() -> None:
    reply = Reply("", markdown=True)
    assert slack.render_blocks(reply, SIGNER) == [{"type": "section", "text": {"type": "mrkdwn", "text": " "}}]
    assert teams.render_card(reply, SIGNER)["body"] == [{"type": "TextBlock", "text": " ", "wrap": True}]
    assert slack.fallback_text(reply) == "LeadWell" and render(reply) == ""
