"""practices.yaml and prompts.yaml, as a specification: shipped files are valid, errors name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeError, load_practices, load_prompts
from knowledge.practices import AUDIENCES, BEHAVIOURS

GOOD_PRACTICE = """\
practices:
  - id: listen-with-fascination
    title: Listen
    how_to: Listen for two minutes.
    behaviour: attending
    audience: anyone
    source: https://example.org/listening
"""


def test_shipped_practices_are_valid_and_plenty() -> None:
    practices = load_practices()
    assert len(practices) >= 30
    assert len({p.id for p in practices}) == len(practices)
    assert {p.behaviour for p in practices} == set(BEHAVIOURS)
    assert {p.audience for p in practices} <= set(AUDIENCES)
    assert all(p.how_to and p.source and p.title for p in practices)


def test_shipped_prompts_are_valid_and_plenty() -> None:
    prompts = load_prompts()
    assert len(prompts.reflection) >= 20
    assert len(prompts.manager) >= 20
    ids = [p.id for p in prompts.reflection + prompts.manager]
    assert len(ids) == len(set(ids))
    assert all("Reflect:" in p.text and "Practice:" in p.text for p in prompts.manager)


def write(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_practice_file_loads(tmp_path: Path) -> None:
    [practice] = load_practices(write(tmp_path, "practices.yaml", GOOD_PRACTICE))
    assert practice.id == "listen-with-fascination" and practice.behaviour == "attending"


def test_a_wrong_behaviour_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "practices.yaml", GOOD_PRACTICE.replace("behaviour: attending", "behaviour: shouting"))
    with pytest.raises(KnowledgeError) as caught:
        load_practices(path)
    assert str(caught.value).endswith(
        "practices.yaml line 5: behaviour must be one of attending, understanding, empathising, helping"
    )


def test_a_wrong_audience_a_missing_field_and_an_unknown_field_name_the_line(tmp_path: Path) -> None:
    cases = {
        GOOD_PRACTICE.replace("audience: anyone", "audience: everyone"): r"line 6: audience must be one of",
        GOOD_PRACTICE.replace("    title: Listen\n", ""): r"line 2: a practice is missing the field 'title'",
        GOOD_PRACTICE + "    colour: blue\n": r"line 8: a practice has an unknown field 'colour'",
        GOOD_PRACTICE.replace("id: listen-with-fascination", "id: Listen With Fascination"): r"line 2: .*kebab-case",
        GOOD_PRACTICE.replace("how_to: Listen for two minutes.", "how_to:"): r"line 4: how_to must be non-empty",
    }
    for text, message in cases.items():
        with pytest.raises(KnowledgeError, match=message):
            load_practices(write(tmp_path, "practices.yaml", text))


def test_duplicate_practice_ids_are_rejected(tmp_path: Path) -> None:
    twice = GOOD_PRACTICE + GOOD_PRACTICE.removeprefix("practices:\n")
    with pytest.raises(KnowledgeError, match=r"practices\.yaml line 8: duplicate id 'listen-with-fascination'"):
        load_practices(write(tmp_path, "practices.yaml", twice))


def test_broken_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "practices.yaml", "practices:\n  - id: a\n    title: [unclosed\n")
    with pytest.raises(KnowledgeError, match=r"knowledge/practices\.yaml line \d+: not valid YAML"):
        load_practices(path)


def test_prompt_errors_name_file_and_line(tmp_path: Path) -> None:
    good = (
        "reflection:\n  - id: one\n    text: How was today?\nmanager:\n  - id: two\n    text: Reflect and practise.\n"
    )
    assert [p.id for p in load_prompts(write(tmp_path, "prompts.yaml", good)).manager] == ["two"]
    cases = {
        good.replace("id: two", "id: one"): r"prompts\.yaml line 5: duplicate id 'one' \(first used on line 2\)",
        good.replace("    text: How was today?\n", ""): r"line 2: a reflection prompt is missing the field 'text'",
        good.replace("manager:", "managers:"): r"line 4: the file has an unknown field 'managers'",
        good.replace("text: Reflect and practise.", "text: 42"): r"line 6: text must be non-empty text",
        "reflection: []\nmanager: []\n": r"line 1: reflection must not be empty",
    }
    for text, message in cases.items():
        with pytest.raises(KnowledgeError, match=message):
            load_prompts(write(tmp_path, "prompts.yaml", text))
