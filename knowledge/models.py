"""The value types the knowledge package hands out: sections, topics, sources and answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Section:
    """One question-sized passage of content, with the source it came from."""

    id: str
    title: str
    text: str
    source_title: str
    source_url: str | None
    read: date  # when the source was read (the snapshot), not a review
    topic_id: str = ""
    note: str | None = None  # what the sources leave open; always shown with an answer from this section
    read_month_only: bool = False  # only the month of the snapshot is known (`read` is its first day)
    reviewed_by: str | None = None  # a named person who checked it against its source; None until then
    asked_as: tuple[str, ...] = ()  # how staff ask for it, in their words (indexed as a field of its own)
    ours: bool = False  # LeadWell's own suggestion, not an official source's: the answer says so
    audience: str | None = None  # "you" (the person it happens to) or "leader" (the one handling it), if either
    other_side: str | None = None  # the section written for the other side of the same situation (`Other side:`)
    only_when: tuple[str, ...] = ()  # word beginnings one of which a question must hold to be answered from here

    @property
    def read_label(self) -> str:
        """When the source was read, in words: "5 December 2026", or "December 2025" for a month."""
        return f"{self.read:%B %Y}" if self.read_month_only else f"{self.read.day} {self.read:%B %Y}"


@dataclass(frozen=True)
class Topic:
    """A Markdown file of content: an id, a title, a one-paragraph summary and its sections."""

    id: str
    title: str
    summary: str
    sections: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """One cited source of an answer."""

    title: str
    url: str | None
    section: str


@dataclass(frozen=True)
class TopicRef:
    """A pointer to a topic, offered as a related starting point."""

    id: str
    title: str


@dataclass(frozen=True)
class Answer:
    """A short, plain-text reply with its sources and a confidence in 0..1."""

    question: str
    answer: str
    sources: list[Source]
    confidence: float
    in_scope: bool
    related: list[TopicRef] = field(default_factory=list)
    more: str | None = None  # the rest of the best section, shown on request ("More")
    section: str | None = None  # the best section's id (what "More" shows)
    # how strongly the content matched (answers.confidence_of), on which declining, "not sure" and answering after
    # safeguarding support are decided; `confidence` is the chance of being right (knowledge.calibration)
    retrieval_confidence: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "sources": [{"title": s.title, "url": s.url, "section": s.section} for s in self.sources],
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Hit:
    """A retrieved section and its BM25 score."""

    section_id: str
    score: float
