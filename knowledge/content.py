"""Loading the Markdown content: one file per topic, split into sections with stable ids.

File format (`content/<topic>.md`)::

    ---
    id: compassionate-leadership
    title: Compassionate leadership
    order: 15
    summary: One paragraph saying what the topic covers.
    ---

    ## Attending: being present and listening {#attending}
    Source: Title of the page or document
    URL: https://...            (optional: omitted for documents without an address)
    Read: 2026-12-05
    Reviewed by:                (optional; empty until a named person has reviewed the section)
    Open: What the sources leave open (optional; always shown with answers from here).
    Audience: you               (optional: 'you', written to the person it happens to, or 'leader', to the one
                                handling it; with 'Other side:', the section written for the other side)
    Other side: error-handle-fairly
    Only when asked about: died, death, suicid   (optional: word beginnings, one of which a question must hold to be
                                answered from here)
    Asked as: how do i actually listen properly when the ward is mad busy
    Asked as: ways to show my team im paying attention

    Plain-text body, one or more paragraphs, no markup.

`Read:` is when the source was read (the snapshot date), never a claim that anyone reviewed
the section: a day (`2026-12-05`) or, when only the month of a snapshot is known, a month
(`2025-12`). `Reviewed by:` names the person who checked the section against its source, and
stays empty (or is left out) until someone has. Each `Asked as:` line is one way staff ask
for the section, in their words rather than the content's (a band 5 nurse, an HCA, a ward
manager, a consultant, an HR business partner, a board member); they are indexed as a field
of their own. A section whose advice is LeadWell's own says so in its source
(`Source: LeadWell (our own suggestion, drawing on ...)`), and `Section.ours` is then true so
an answer can label it. A time-sensitive statement carries "as of <month year>" in its text.
`Audience: you` marks a section written to the person a situation happens to (their own error, being bullied, their
own sickness meeting), `Audience: leader` one written to the leader handling it (a team member's error), and
`Other side:` names the section written for the other side of the same situation: a question asked from that side
is answered from it when it is close enough behind. `Only when asked about:` keeps a sensitive section (a colleague's
death by suicide, a bereavement) from answering a question that does not name its subject ("pause before reacting
when a colleague snaps" had been answered, unsure, with how to tell a team of a suicide, for "react").

Every problem raises `KnowledgeError` naming the file and the line.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml

from knowledge.errors import PACKAGE_DIR, located
from knowledge.models import Section, Topic
from knowledge.yamlnodes import KEBAB_CASE

DEFAULT_CONTENT_DIR = PACKAGE_DIR / "content"
HEADING = re.compile(r"^## (?P<title>.+?)\s+\{#(?P<id>[^}\s]+)\}\s*$")
META = re.compile(
    r"^(?P<key>Source|URL|Read|Reviewed by|Reviewed|Open|Audience|Other side|Only when asked about|Asked as):\s*"
    r"(?P<value>.*?)\s*$"
)
REQUIRED_META = ("Source", "Read")
READ_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
READ_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")
OURS = re.compile(r"^LeadWell \(our own\b")


def load_topics(content_dir: Path | None = None) -> list[Topic]:
    """All topics in `content_dir`, in their `order`; section ids are unique across files."""
    folder = content_dir or DEFAULT_CONTENT_DIR
    paths = sorted(folder.glob("*.md"))
    if not paths:
        raise located(folder, None, "no content files (*.md) found")
    ranked = [_load_topic(path) for path in paths]
    seen_topics: dict[str, Path] = {}
    seen_sections: dict[str, Path] = {}
    for _order, topic, path in ranked:
        if topic.id in seen_topics:
            raise located(path, 2, f"topic id {topic.id!r} is also used by {seen_topics[topic.id].name}")
        seen_topics[topic.id] = path
        for section in topic.sections:
            if section.id in seen_sections:
                raise located(path, None, f"section id {section.id!r} is also used in {seen_sections[section.id].name}")
            seen_sections[section.id] = path
    return [topic for _order, topic, _path in sorted(ranked, key=lambda item: (item[0], item[1].id))]


def _load_topic(path: Path) -> tuple[int, Topic, Path]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header, body_start = _front_matter(path, lines)
    topic_id = header["id"]
    sections = _sections(path, lines, body_start, topic_id)
    if not sections:
        raise located(path, body_start + 1, "a topic needs at least one '## Title {#section-id}' section")
    topic = Topic(id=topic_id, title=header["title"], summary=header["summary"], sections=sections)
    return int(header["order"]), topic, path


def _front_matter(path: Path, lines: list[str]) -> tuple[dict[str, str], int]:
    if not lines or lines[0].strip() != "---":
        raise located(path, 1, "expected front matter starting with '---'")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise located(path, 1, "front matter is not closed with '---'") from None
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 2 if exc.problem_mark else 2
        raise located(path, line, f"front matter is not valid YAML ({exc.problem})") from None
    except yaml.YAMLError as exc:
        raise located(path, 2, f"front matter is not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise located(path, 2, "front matter must be a mapping with id, title, order and summary")
    for key in ("id", "title", "order", "summary"):
        if key not in data or data[key] in (None, ""):
            raise located(path, 2, f"front matter is missing {key!r}")
    if not isinstance(data["order"], int):
        raise located(path, 2, "front matter 'order' must be a whole number")
    if not KEBAB_CASE.match(str(data["id"])):
        raise located(path, 2, f"topic id {data['id']!r} must be kebab-case")
    header = {key: " ".join(str(data[key]).split()) for key in ("id", "title", "summary")}
    header["order"] = str(data["order"])
    return header, end + 1


def _sections(path: Path, lines: list[str], start: int, topic_id: str) -> list[Section]:
    heads = [i for i in range(start, len(lines)) if lines[i].startswith("## ")]
    stray = [i for i in range(start, heads[0] if heads else len(lines)) if lines[i].strip()]
    if stray:
        raise located(path, stray[0] + 1, "text before the first '## ' section heading")
    sections = []
    for n, head in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        sections.append(_section(path, lines, head, end, topic_id))
    return sections


def _section(path: Path, lines: list[str], head: int, end: int, topic_id: str) -> Section:
    match = HEADING.match(lines[head])
    if not match:
        raise located(path, head + 1, "a section heading must look like '## Title {#section-id}'")
    section_id = match["id"]
    if not KEBAB_CASE.match(section_id):
        raise located(path, head + 1, f"section id {section_id!r} must be kebab-case")
    meta: dict[str, str] = {}
    asked_as: list[str] = []
    i = head + 1
    while i < end and (meta_match := META.match(lines[i])):
        key, value = meta_match["key"], meta_match["value"]
        if key == "Reviewed":
            raise located(path, i + 1, "'Reviewed:' is no longer used: say when the source was read ('Read:')")
        if key == "Asked as":
            if not value:
                raise located(path, i + 1, "an 'Asked as:' line needs a phrasing")
            asked_as.append(" ".join(value.split()))
        elif key in meta:
            raise located(path, i + 1, f"{key} is given twice")
        else:
            meta[key] = value
        i += 1
    for key in REQUIRED_META:
        if not meta.get(key):
            raise located(path, head + 1, f"section {section_id!r} has no '{key}:' line")
    read, read_month_only = _read_date(path, head, section_id, meta["Read"])
    url = meta.get("URL") or None
    audience = meta.get("Audience") or None
    if audience not in (None, "you", "leader"):
        raise located(path, head + 1, f"section {section_id!r}: Audience is 'you' (the person affected) or 'leader'")
    if url is not None and not url.startswith(("https://", "http://")):
        raise located(path, head + 1, f"section {section_id!r}: URL must start with https:// or http://")
    paragraphs = "\n".join(lines[i:end]).strip().split("\n\n")
    text = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
    if not text:
        raise located(path, head + 1, f"section {section_id!r} has no text")
    return Section(
        id=section_id,
        title=match["title"].strip(),
        text=text,
        source_title=meta["Source"],
        source_url=url,
        read=read,
        read_month_only=read_month_only,
        topic_id=topic_id,
        note=meta.get("Open") or None,
        reviewed_by=meta.get("Reviewed by") or None,
        asked_as=tuple(asked_as),
        ours=bool(OURS.match(meta["Source"])),
        audience=audience,
        other_side=meta.get("Other side") or None,
        only_when=tuple(w.strip().lower() for w in meta.get("Only when asked about", "").split(",") if w.strip()),
    )


def _read_date(path: Path, head: int, section_id: str, value: str) -> tuple[date, bool]:
    """A day, or the first of the month when only the month of the snapshot is known."""
    try:
        if READ_DAY.match(value):
            return date.fromisoformat(value), False
        if month := READ_MONTH.match(value):
            return date(int(month["year"]), int(month["month"]), 1), True
    except ValueError:
        pass
    message = f"section {section_id!r}: Read must be a date like 2026-12-05 or a month like 2025-12"
    raise located(path, head + 1, message)
