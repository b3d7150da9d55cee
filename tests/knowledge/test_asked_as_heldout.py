"""No `Asked as:` line may be a near-copy of a held-out question: the held-out sets must stay unseen.

The held-out files are read here and nowhere else in the content work; a failure names only the
Asked-as line, never the question, so it can be rewritten in staff language without looking.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from rapidfuzz import fuzz

from knowledge import KnowledgeBase

HERE = Path(__file__).resolve().parent
# The dev2, dev3, dev5 and dev6 sets are read in aggregate only, like the held-out sets, so no Asked-as line may copy
# them either; dev4 and dev11 are read question by question, but an Asked-as line copied from them would make their
# figures say nothing. dev12 is blind.
HELDOUT_FILES = (
    HERE / "persona_questions_heldout.yaml",
    HERE / "questions_heldout.yaml",
    HERE / "persona_questions_dev2.yaml",
    HERE / "persona_questions_dev3.yaml",
    HERE / "persona_questions_dev4.yaml",
    HERE / "persona_questions_dev5.yaml",
    HERE / "persona_questions_dev6.yaml",
    HERE / "persona_questions_dev11.yaml",
    HERE / "persona_questions_dev12.yaml",
)
NEAR_DUPLICATE = 85  # rapidfuzz fuzz.ratio, case-insensitive


def heldout_questions() -> list[str]:
    questions: list[str] = []
    for path in HELDOUT_FILES:
        if path.exists():
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            questions += [str(item["q"]).lower() for item in data["questions"]]
    return questions


def test_no_asked_as_line_is_a_near_duplicate_of_a_heldout_question(kb: KnowledgeBase) -> None:
    questions = heldout_questions()
    assert questions, "the held-out question files are missing"
    too_close = sorted(
        {
            f"{section.id}: '{line}'"
            for section in kb.sections()
            for line in section.asked_as
            if any(fuzz.ratio(line.lower(), question) >= NEAR_DUPLICATE for question in questions)
        }
    )
    assert not too_close, "rewrite these Asked-as lines in other words: " + "; ".join(too_close)
