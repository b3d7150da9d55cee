"""The content, as a specification: format, sources, review dates, ids, coverage of the facts sheet."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from knowledge import KnowledgeBase, KnowledgeError
from knowledge.content import DEFAULT_CONTENT_DIR, load_topics

FACTS = Path("/work/shared/knowledge/facts.md")
SEEDS = Path("/work/shared/seeds")
REVIEWED = date(2026, 11, 22)
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL = re.compile(r"https?://[^\s)\]>,;]+")

# Each numbered section of the facts sheet (1-24, glossary included) and its gaps (25) -> the topic covering it.
FACTS_TOPICS = {
    1: "programme",
    2: "framework",
    3: "ten-year-plan",
    4: "regulation",
    5: "messenger",
    6: "kark-fppt",
    7: "lcf",
    8: "earlier-reviews",
    9: "hlm",
    10: "inclusion",
    11: "talent",
    12: "academy-programmes",
    13: "dpic",
    14: "system-leadership",
    15: "compassionate-leadership",
    16: "abc-needs",
    17: "our-leadership-way",
    18: "people-promise",
    19: "just-culture",
    20: "culture",
    21: "values",
    22: "vision",
    23: "micro-practices",
    24: "glossary",
    25: "gaps",
}


def all_sections(kb: KnowledgeBase) -> list:  # type: ignore[type-arg]
    return [section for topic in kb.topics() for section in topic.sections]


def test_at_least_40_sections_with_unique_kebab_case_ids(kb: KnowledgeBase) -> None:
    ids = [section.id for section in all_sections(kb)]
    assert len(ids) >= 40
    assert len(ids) == len(set(ids))
    assert all(KEBAB.match(i) for i in ids)


def test_every_section_has_title_source_reviewed_date_and_text(kb: KnowledgeBase) -> None:
    for section in all_sections(kb):
        assert section.title and section.text, section.id
        assert section.source_title, section.id
        assert section.source_url is None or section.source_url.startswith(("https://", "http://")), section.id
        assert section.reviewed == REVIEWED, section.id
        assert section.source_url or "seed document" in section.source_title or "LeadWell" in section.source_title


def test_sections_are_short_and_focused(kb: KnowledgeBase) -> None:
    for section in all_sections(kb):
        words = len(section.text.split())
        assert 25 <= words <= 150, f"{section.id}: {words} words"


def test_every_topic_has_a_summary_and_topics_are_listed(kb: KnowledgeBase) -> None:
    topics = kb.topics()
    assert topics and all(t.summary and t.title and t.sections for t in topics)
    assert kb.topic(topics[0].id) is topics[0]
    assert kb.topic("no-such-topic") is None


def test_every_facts_sheet_section_is_covered(kb: KnowledgeBase) -> None:
    for number, topic_id in FACTS_TOPICS.items():
        topic = kb.topic(topic_id)
        assert topic is not None and topic.sections, f"facts.md section {number} ({topic_id}) has no content"
    if FACTS.exists():
        numbered = re.findall(r"^## (\d+)\. ", FACTS.read_text(encoding="utf-8"), flags=re.M)
        assert {int(n) for n in numbered} == set(FACTS_TOPICS)


def test_what_the_sources_leave_open_is_said_plainly(kb: KnowledgeBase) -> None:
    for section_id in (
        "code-of-practice",
        "trust-model",
        "framework-domains",
        "framework-accreditation",
        "substitution-test",
        "olw-heart-behaviours",
        "hlm-dimensions",
    ):
        section = kb.section(section_id)
        assert section is not None and section.note and "sources do not" in section.note.lower(), section_id


@pytest.mark.skipif(not FACTS.exists(), reason="the facts sheet is not beside the project here")
def test_every_cited_url_is_in_the_facts_sheet_or_seeds(kb: KnowledgeBase) -> None:
    known = FACTS.read_text(encoding="utf-8") + "".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    allowed = {u.rstrip(".") for u in URL.findall(known)}
    cited = [s.source_url for s in all_sections(kb) if s.source_url]
    cited += [u.rstrip(".") for s in all_sections(kb) for u in URL.findall(f"{s.text} {s.note or ''}")]
    for path in (DEFAULT_CONTENT_DIR.parent / "practices.yaml",):
        cited += [u.rstrip(".") for u in URL.findall(path.read_text(encoding="utf-8"))]
    unknown = sorted({u for u in cited if u not in allowed and u.rstrip("/") not in {a.rstrip("/") for a in allowed}})
    assert not unknown, unknown


def write_topic(folder: Path, body: str) -> Path:
    path = folder / "demo.md"
    path.write_text("---\nid: demo\ntitle: Demo\norder: 1\nsummary: A demo topic.\n---\n\n" + body, encoding="utf-8")
    return path


def test_a_section_without_a_source_is_rejected_with_file_and_line(tmp_path: Path) -> None:
    write_topic(tmp_path, "## A title {#a-section}\nReviewed: 2026-11-22\n\nSome text.\n")
    with pytest.raises(KnowledgeError, match=r"demo\.md line 8: section 'a-section' has no 'Source:' line"):
        load_topics(tmp_path)


def test_a_bad_review_date_and_a_bad_heading_are_rejected(tmp_path: Path) -> None:
    write_topic(tmp_path, "## A title {#a-section}\nSource: Somewhere\nReviewed: soon\n\nText.\n")
    with pytest.raises(KnowledgeError, match=r"line 8: .*Reviewed must be a date"):
        load_topics(tmp_path)
    write_topic(tmp_path, "## A title without an id\nSource: Somewhere\nReviewed: 2026-11-22\n\nText.\n")
    with pytest.raises(KnowledgeError, match=r"demo\.md line 8: a section heading must look like"):
        load_topics(tmp_path)


def test_duplicate_section_ids_across_files_are_rejected(tmp_path: Path) -> None:
    section = "## T {#same-id}\nSource: S\nReviewed: 2026-11-22\n\nText here.\n"
    write_topic(tmp_path, section)
    other = tmp_path / "other.md"
    other.write_text("---\nid: other\ntitle: Other\norder: 2\nsummary: Other.\n---\n\n" + section, encoding="utf-8")
    with pytest.raises(KnowledgeError, match="section id 'same-id' is also used"):
        load_topics(tmp_path)


def test_a_content_folder_of_our_own_can_be_loaded(tmp_path: Path) -> None:
    write_topic(tmp_path, "## Listening well {#listening}\nSource: Notes\nReviewed: 2026-11-22\n\nListen first.\n")
    kb = KnowledgeBase.load(tmp_path)
    assert [t.id for t in kb.topics()] == ["demo"]
    assert kb.section("listening") is not None
