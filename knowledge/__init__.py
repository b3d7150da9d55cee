"""LeadWell's knowledge: content written in our own words, retrieval over it, and answers with sources.

Public API: `KnowledgeBase` (load, answer, topics, topic, section), the value
types `Answer`, `Source`, `TopicRef`, `Topic`, `Section`, the micro-practices
(`Practice`, `load_practices`), the prompts (`Prompt`, `Prompts`,
`load_prompts`) and `KnowledgeError`. This package never imports `bot`,
`handlers`, `storage` or any platform SDK.
"""

from knowledge.base import KnowledgeBase
from knowledge.errors import KnowledgeError
from knowledge.models import Answer, Hit, Section, Source, Topic, TopicRef
from knowledge.practices import Practice, load_practices
from knowledge.prompts import Prompt, Prompts, load_prompts

__all__ = [
    "Answer",
    "Hit",
    "KnowledgeBase",
    "KnowledgeError",
    "Practice",
    "Prompt",
    "Prompts",
    "Section",
    "Source",
    "Topic",
    "TopicRef",
    "load_practices",
    "load_prompts",
]
