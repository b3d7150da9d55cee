"""The content, as a specification: format, sources, read dates, ids, asked-as lines, coverage of the facts sheets."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from knowledge import KnowledgeBase, KnowledgeError
from knowledge.content import DEFAULT_CONTENT_DIR, load_topics

FACTS = Path("/work/shared/knowledge/facts.md")
SEEDS = Path("/work/shared/seeds")
SITUATION_FACTS = Path(__file__).resolve().parents[2] / "docs" / "sources" / "situations-facts.md"
SNAPSHOT = date(2025, 12, 1)  # facts.md: a snapshot of public material up to late 2025
# docs/sources/situations-facts.md: the days its pages were read (sections 1-15, then 16-35, then 36 on)
SITUATIONS_READ = (date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7))
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


def test_every_section_has_title_source_read_date_and_text(kb: KnowledgeBase) -> None:
    for section in all_sections(kb):
        assert section.title and section.text, section.id
        assert section.source_title, section.id
        assert section.source_url is None or section.source_url.startswith(("https://", "http://")), section.id
        assert section.read in (SNAPSHOT, *SITUATIONS_READ), section.id
        assert section.read_month_only == (section.read == SNAPSHOT), section.id
        assert section.reviewed_by is None, f"{section.id}: nobody has reviewed the content yet"
        # a source without a public link says so in what the sources leave open
        assert section.source_url or section.note or "LeadWell" in section.source_title, section.id


def test_each_other_side_names_a_section_written_for_the_other_side(kb: KnowledgeBase) -> None:
    paired = [s for s in kb.sections() if s.other_side]
    assert len(paired) >= 10
    for section in paired:
        other = kb.section(section.other_side or "")
        assert other is not None, section.id
        assert {section.audience, other.audience} == {"you", "leader"}, section.id


def test_no_source_shown_to_staff_is_a_mirror_a_staging_site_wikipedia_or_a_seed() -> None:
    weak = re.compile(r"wikipedia|uatfoundation|seed document|docslib|vdocument|123docz|scribd|paperzz", re.I)
    for path in [*DEFAULT_CONTENT_DIR.glob("*.md"), DEFAULT_CONTENT_DIR.parent / "practices.yaml"]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith(("Source:", "URL:", "    source:")):
                assert not weak.search(line), f"{path.name} line {number}: {line}"


def test_our_own_suggestions_are_labelled_as_ours(kb: KnowledgeBase) -> None:
    ours = [section for section in all_sections(kb) if section.ours]
    assert len(ours) >= 3
    for section in all_sections(kb):
        assert section.ours == section.source_title.startswith("LeadWell (our own"), section.id


def test_time_sensitive_statements_say_as_of_when(kb: KnowledgeBase) -> None:
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    dated = re.compile(rf"\bas of (?:{months}) \d{{4}}\b", re.I)
    # prices, paused intakes, plans for a coming year, "current" holders of a post
    time_sensitive = re.compile(
        r"£\s?[\d,]+\s+(?:per|a|for|each)\b|\bprice of\b|\bon hold\b|\bfrom 20\d\d/\d\d\b"
        r"|\bcurrently\b|\bcurrent (?:version|holder)\b|\bInterim Director\b|\bheld back\b",
        re.I,
    )
    for section in all_sections(kb):
        for sentence in re.split(r"(?<=[.!?])\s+", section.text):
            if time_sensitive.search(sentence):
                assert dated.search(sentence), f"{section.id}: {sentence}"


def test_asked_as_lines_are_staff_questions_not_the_content_wording(kb: KnowledgeBase) -> None:
    sections = all_sections(kb)
    situations = [s for topic in kb.topics() if topic.id.startswith("situations-") for s in topic.sections]
    assert len(situations) >= 20 and all(3 <= len(s.asked_as) <= 12 for s in situations)
    asked = [line for section in sections for line in section.asked_as]
    assert len(asked) >= 100
    assert len({line.lower() for line in asked}) == len(asked), "an Asked-as line is used twice"
    for section in sections:
        for line in section.asked_as:
            assert 3 <= len(line.split()) <= 30 and "\n" not in line, f"{section.id}: {line}"
            assert line.lower() not in section.text.lower(), f"{section.id}: '{line}' copies the content"


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
    known += SITUATION_FACTS.read_text(encoding="utf-8")
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
    write_topic(tmp_path, "## A title {#a-section}\nRead: 2026-12-05\n\nSome text.\n")
    with pytest.raises(KnowledgeError, match=r"demo\.md line 8: section 'a-section' has no 'Source:' line"):
        load_topics(tmp_path)


def test_a_bad_read_date_and_a_bad_heading_are_rejected(tmp_path: Path) -> None:
    for bad in ("soon", "2026-13", "2026-02-30"):
        write_topic(tmp_path, f"## A title {{#a-section}}\nSource: Somewhere\nRead: {bad}\n\nText.\n")
        with pytest.raises(KnowledgeError, match=r"line 8: .*Read must be a date like 2026-12-05 or a month"):
            load_topics(tmp_path)
    write_topic(tmp_path, "## A title without an id\nSource: Somewhere\nRead: 2026-12-05\n\nText.\n")
    with pytest.raises(KnowledgeError, match=r"demo\.md line 8: a section heading must look like"):
        load_topics(tmp_path)


def test_a_review_date_is_no_longer_accepted_and_read_is_required(tmp_path: Path) -> None:
    write_topic(tmp_path, "## T {#a-section}\nSource: S\nReviewed: 2026-11-22\n\nText.\n")
    with pytest.raises(KnowledgeError, match=r"line 10: 'Reviewed:' is no longer used"):
        load_topics(tmp_path)
    write_topic(tmp_path, "## T {#a-section}\nSource: S\n\nText.\n")
    with pytest.raises(KnowledgeError, match=r"line 8: section 'a-section' has no 'Read:' line"):
        load_topics(tmp_path)


def test_read_reviewed_by_asked_as_and_ours_are_loaded(tmp_path: Path) -> None:
    write_topic(
        tmp_path,
        "## Ours {#ours}\nSource: LeadWell (our own suggestion, drawing on a guide)\nRead: 2026-12-05\n"
        "Reviewed by: Sam Patel\nAsked as: how do i   keep my team going\nAsked as: tips for a rough shift\n\nText.\n\n"
        "## Theirs {#theirs}\nSource: NHS England, A page\nURL: https://example.org\nRead: 2025-12\n"
        "Reviewed by:\n\nText.\n",
    )
    ours, theirs = load_topics(tmp_path)[0].sections
    assert ours.asked_as == ("how do i keep my team going", "tips for a rough shift")
    assert ours.ours and ours.reviewed_by == "Sam Patel" and ours.read == date(2026, 12, 5)
    assert ours.read_label == "5 December 2026" and not ours.read_month_only
    assert not theirs.ours and theirs.reviewed_by is None and theirs.asked_as == ()
    assert theirs.read == date(2025, 12, 1) and theirs.read_month_only and theirs.read_label == "December 2025"


def test_an_empty_asked_as_line_names_its_line(tmp_path: Path) -> None:
    write_topic(tmp_path, "## T {#a-section}\nSource: S\nRead: 2026-12-05\nAsked as:\n\nText.\n")
    with pytest.raises(KnowledgeError, match=r"line 11: an 'Asked as:' line needs a phrasing"):
        load_topics(tmp_path)


def test_duplicate_section_ids_across_files_are_rejected(tmp_path: Path) -> None:
    section = "## T {#same-id}\nSource: S\nRead: 2026-12-05\n\nText here.\n"
    write_topic(tmp_path, section)
    other = tmp_path / "other.md"
    other.write_text("---\nid: other\ntitle: Other\norder: 2\nsummary: Other.\n---\n\n" + section, encoding="utf-8")
    with pytest.raises(KnowledgeError, match="section id 'same-id' is also used"):
        load_topics(tmp_path)


def test_a_content_folder_of_our_own_can_be_loaded(tmp_path: Path) -> None:
    write_topic(tmp_path, "## Listening well {#listening}\nSource: Notes\nRead: 2026-12-05\n\nListen first.\n")
    kb = KnowledgeBase.load(tmp_path)
    assert [t.id for t in kb.topics()] == ["demo"]
    assert kb.section("listening") is not None
