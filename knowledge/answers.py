"""Composing an answer from search hits: a short extract, its sources, a calibrated confidence.

Confidence (0..1) is computed from the BM25 scores of the best two content
sections and from how much of the question the best section covers:

    strength   = 1 - exp(-top / SCORE_SCALE)   how strongly the best section matches (BM25 score)
    share      = IDF-weighted share of the question's terms found in the best section
                 (a word the index does not know counts as a rare word not found)
    margin     = (top - second) / top          how clearly it beats the runner-up
    confidence = strength * share * (0.75 + 0.25 * margin)

SCORE_SCALE (3.0) puts a typical correct hit on the tuning questions (BM25
top score 4-8) at strength 0.75-0.93. Below CONFIDENCE_THRESHOLD the answer
stays in scope but says it is not sure and offers related topics; below
OUT_OF_SCOPE_FLOOR, when the best section also covers less than PARTIAL_MATCH
of the question, the match is a stray common word and the question is declined.
"""

from __future__ import annotations

import math
import re

from knowledge.analysis import document_terms
from knowledge.index import SearchResult, content_hits, is_out_of_scope
from knowledge.models import Answer, Hit, Section, Source, Topic, TopicRef
from knowledge.scope import STARTING_TOPICS, decline_text

SCORE_SCALE = 3.0
CONFIDENCE_THRESHOLD = 0.3
OUT_OF_SCOPE_FLOOR = 0.2
PARTIAL_MATCH = 0.6  # the best section covers less than this share of the question
SECOND_SOURCE_RATIO = 0.92  # a runner-up this close to the best section is cited too
MAX_ANSWER_CHARS = 600
MAX_SENTENCES = 4
MAX_ECHO_CHARS = 1000  # the question repeated in the answer is capped too
NOT_SURE = "I'm not sure I have understood your question, but this may help: "
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")


def confidence_of(result: SearchResult) -> float:
    hits = content_hits(result)
    if not hits:
        return 0.0
    top = hits[0].score
    second = hits[1].score if len(hits) > 1 else 0.0
    strength = 1.0 - math.exp(-top / SCORE_SCALE)
    margin = (top - second) / top if top > 0 else 0.0
    return round(strength * result.matched_share * (0.75 + 0.25 * margin), 3)


def declined(result: SearchResult) -> bool:
    """Out of scope: nothing in the question is known, an out-of-scope profile matches best, or the
    best content match is both weak and partial (a stray common word, the rest of the question unknown).

    A short question made only of our own words ("leadership") is weak but complete: it stays in
    scope as an unsure answer with related topics.
    """
    if not result.hits or not content_hits(result) or is_out_of_scope(result.hits[0]):
        return True
    return confidence_of(result) < OUT_OF_SCOPE_FLOOR and result.matched_share < PARTIAL_MATCH


def sentences(text: str) -> list[str]:
    return [s.strip() for paragraph in text.split("\n\n") for s in SENTENCE_END.split(paragraph) if s.strip()]


def condense(section: Section, query_terms: set[str], budget: int) -> str:
    """2-4 sentences of the section, in their order: the first, then those sharing most terms with the question."""
    parts = sentences(section.text)
    room = MAX_SENTENCES - (1 if section.note else 0)
    ranked = sorted(range(1, len(parts)), key=lambda i: (-len(query_terms & set(document_terms(parts[i]))), i))
    chosen = [0]
    used = len(parts[0])
    for i in ranked:
        if len(chosen) >= room:
            break
        if used + 1 + len(parts[i]) <= budget:
            chosen.append(i)
            used += 1 + len(parts[i])
    text = " ".join(parts[i] for i in sorted(chosen))
    return shorten(text, budget)


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def best_sentence(section: Section, query_terms: set[str]) -> str:
    parts = sentences(section.text)
    return max(parts, key=lambda s: (len(query_terms & set(document_terms(s))), -parts.index(s)))


def compose(
    question: str,
    result: SearchResult,
    sections: dict[str, Section],
    topics: dict[str, Topic],
) -> Answer:
    echo = question[:MAX_ECHO_CHARS]
    if declined(result):
        related = [TopicRef(t, topics[t].title) for t in STARTING_TOPICS if t in topics]
        return Answer(echo, decline_text(), [], 0.0, False, related)
    hits = content_hits(result)
    confidence = confidence_of(result)
    sure = confidence >= CONFIDENCE_THRESHOLD
    best = sections[hits[0].section_id]
    query_terms = set(result.known_terms)
    prefix = "" if sure else NOT_SURE
    note = f" {best.note}" if best.note else ""
    body = condense(best, query_terms, MAX_ANSWER_CHARS - len(prefix) - len(note))
    cited = [best]
    runner_up = _runner_up(hits, sections, best)
    if sure and runner_up is not None:
        extra = best_sentence(runner_up, query_terms)
        if len(prefix) + len(body) + len(note) + 1 + len(extra) <= MAX_ANSWER_CHARS:
            body = f"{body} {extra}"
            cited.append(runner_up)
    text = f"{prefix}{body}{note}"
    sources = [Source(s.source_title, s.source_url, s.id) for s in cited]
    related = [] if sure else _related(hits, sections, topics)
    return Answer(echo, text, sources, confidence, True, related)


def _runner_up(hits: list[Hit], sections: dict[str, Section], best: Section) -> Section | None:
    if len(hits) < 2 or hits[1].score < SECOND_SOURCE_RATIO * hits[0].score:
        return None
    second = sections[hits[1].section_id]
    return None if second.note else second


def _related(hits: list[Hit], sections: dict[str, Section], topics: dict[str, Topic]) -> list[TopicRef]:
    refs: list[TopicRef] = []
    for hit in hits:
        topic = topics[sections[hit.section_id].topic_id]
        if all(ref.id != topic.id for ref in refs):
            refs.append(TopicRef(topic.id, topic.title))
        if len(refs) == 3:
            break
    return refs
