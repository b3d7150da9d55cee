"""`KnowledgeBase`: the loaded content, its search index, and questions answered from it."""

from __future__ import annotations

from pathlib import Path

from knowledge.answers import compose
from knowledge.content import load_topics
from knowledge.index import SearchIndex, SearchResult, content_hits
from knowledge.models import Answer, Hit, Section, Topic
from knowledge.questions import Side
from knowledge.scope import OUT_OF_SCOPE_PROFILES


class KnowledgeBase:
    """Load once (building the index is start-up work); answering is then fast and never raises."""

    def __init__(self, topics: list[Topic]) -> None:
        self._topics = list(topics)
        self._topics_by_id = {topic.id: topic for topic in self._topics}
        self._sections = {section.id: section for topic in self._topics for section in topic.sections}
        self._index = SearchIndex(self._topics)

    @classmethod
    def load(cls, content_dir: Path | None = None) -> KnowledgeBase:
        """Read the Markdown content (default: the package's `content/`) and build the index."""
        return cls(load_topics(content_dir))

    def answer(self, question: str, *, side: Side | None = None) -> Answer:
        """The answer to `question`; `side` is whose side it is asked from when its words do not say (a manager's
        question is asked as the one handling it: `knowledge.questions.side_asked_from`)."""
        question = question if isinstance(question, str) else str(question)
        result = self._index.search(question)
        return compose(question, result, self._sections, self._topics_by_id, self._index.search, side=side)

    def search(self, question: str, k: int = 3) -> list[Hit]:
        """The best `k` content sections for a question (for evaluation and debugging)."""
        return content_hits(self._index.search(question, k=k + len(OUT_OF_SCOPE_PROFILES)))[:k]

    def explain(self, question: str) -> SearchResult:
        """The raw search result, out-of-scope profiles included."""
        return self._index.search(question)

    def topics(self) -> list[Topic]:
        return list(self._topics)

    def topic(self, topic_id: str) -> Topic | None:
        return self._topics_by_id.get(topic_id)

    def section(self, section_id: str) -> Section | None:
        return self._sections.get(section_id)

    def sections(self) -> list[Section]:
        return list(self._sections.values())
