"""practices.yaml and prompts.yaml, as a specification: shipped files are valid, errors name file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge import KnowledgeError, load_practices, load_prompts
from knowledge.practices import AUDIENCES, BEHAVIOURS, CORE_NEEDS, PROMISE_ELEMENTS, SERVES

GOOD_PRACTICE = """\
practices:
  - id: listen-with-fascination
    title: Listen
    how_to: Listen for two minutes.
    behaviour: attending
    audience: anyone
    serves: [belonging, a-voice-that-counts]
    source: https://example.org/listening
"""
SHARED_RUN = 5  # this many words in a row, shared with a practice, is restating it


def test_shipped_practices_are_valid_and_plenty() -> None:
    practices = load_practices()
    assert len(practices) >= 30
    assert len({p.id for p in practices}) == len(practices)
    assert {p.behaviour for p in practices} == set(BEHAVIOURS)
    assert {p.audience for p in practices} <= set(AUDIENCES)
    assert all(p.how_to and p.source and p.title for p in practices)


def test_practices_say_what_they_serve_and_cover_every_need_and_promise_element() -> None:
    practices = load_practices()
    assert all(p.serves for p in practices)
    assert {name for p in practices for name in p.serves} == set(CORE_NEEDS + PROMISE_ELEMENTS) == set(SERVES)
    inclusive = [p for p in practices if "compassionate-and-inclusive" in p.serves and p.audience == "managers"]
    assert len(inclusive) >= 3


def test_no_two_practices_ask_for_the_same_thing() -> None:
    practices = load_practices()
    titles = [p.title.lower() for p in practices]
    assert len(set(titles)) == len(titles)
    for n, first in enumerate(practices):
        for second in practices[n + 1 :]:
            shared = runs(first.how_to) & runs(second.how_to)
            assert not shared, f"{first.id} and {second.id} share '{sorted(shared)[0]}'"


def runs(text: str) -> set[str]:
    words = re.findall(r"[a-z']+", text.lower())
    return {" ".join(words[i : i + SHARED_RUN]) for i in range(len(words) - SHARED_RUN + 1)}


def test_manager_prompts_do_not_restate_a_practice_word_for_word() -> None:
    practice_runs = {p.id: runs(f"{p.title}. {p.how_to}") for p in load_practices()}
    for prompt in load_prompts().manager:
        mine = runs(prompt.text)
        for practice_id, theirs in practice_runs.items():
            shared = mine & theirs
            assert not shared, f"manager prompt {prompt.id} restates practice {practice_id}: '{sorted(shared)[0]}'"


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


def test_a_wrong_or_missing_serves_names_file_and_line(tmp_path: Path) -> None:
    serves = "serves: [belonging, a-voice-that-counts]"
    cases = {
        GOOD_PRACTICE.replace(serves, "serves: [belonging, happiness]"): (
            r"line 7: serves: 'happiness' must be one of autonomy, belonging, contribution"
        ),
        GOOD_PRACTICE.replace(serves, "serves: []"): (r"line 7: serves must name at least one"),
        GOOD_PRACTICE.replace(serves, "serves: [belonging, belonging]"): (r"line 7: serves names the same thing twice"),
        GOOD_PRACTICE.replace(serves, "serves: belonging"): r"line 7: serves must be a list",
        GOOD_PRACTICE.replace(f"    {serves}\n", ""): r"line 2: a practice is missing the field 'serves'",
    }
    for text, message in cases.items():
        with pytest.raises(KnowledgeError, match=message):
            load_practices(write(tmp_path, "practices.yaml", text))


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
        GOOD_PRACTICE + "    colour: blue\n": r"line 9: a practice has an unknown field 'colour'",
        GOOD_PRACTICE.replace("id: listen-with-fascination", "id: Listen With Fascination"): r"line 2: .*kebab-case",
        GOOD_PRACTICE.replace("how_to: Listen for two minutes.", "how_to:"): r"line 4: how_to must be non-empty",
    }
    for text, message in cases.items():
        with pytest.raises(KnowledgeError, match=message):
            load_practices(write(tmp_path, "practices.yaml", text))


def test_duplicate_practice_ids_are_rejected(tmp_path: Path) -> None:
    twice = GOOD_PRACTICE + GOOD_PRACTICE.removeprefix("practices:\n")
    with pytest.raises(KnowledgeError, match=r"practices\.yaml line 9: duplicate id 'listen-with-fascination'"):
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
