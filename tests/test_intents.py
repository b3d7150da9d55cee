"""The intent layer's reading of words: what it mends, what it leaves alone, what counts as a question."""

from __future__ import annotations

import pytest

from handlers import build_router
from handlers.intents import Intents, Phrasing, is_question
from handlers.router import Router
from knowledge.wording import english_words


@pytest.fixture(scope="module")
def router() -> Router:
    return build_router()


@pytest.fixture(scope="module")
def intents(router: Router) -> Intents:
    declared = [(c.name, c.runs or c.examples[0], c.says) for c in router.commands if c.says]
    return Intents(declared, english=english_words()[1])


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("chekin", ["checkin"]),
        ("nudg", ["nudge"]),
        ("hepl", ["help"]),
        ("helo", ["hello"]),  # a missed letter of "hello" beats a changed letter of "help"
        ("managr", ["manager"]),
        ("myprogress", ["progress"]),
        ("checkinnow", ["checkin", "now"]),
        ("check-in", ["checkin"]),
        ("time zone", ["timezone"]),
    ],
)
def test_typos_of_the_bots_words_are_mended(intents: Intents, typed: str, read: list[str]) -> None:
    assert intents.words(typed) == read


@pytest.mark.parametrize(
    "word", ["sun", "mon", "cancel", "nudge", "team", "shift", "rota", "matron", "nurse", "dont", "cant", "wont"]
)
def test_real_words_are_never_corrected(intents: Intents, word: str) -> None:
    assert intents.words(word) == [word]


def test_someone_who_does_not_know_what_to_do_is_not_recording_a_practice(intents: Intents, router: Router) -> None:
    # "dont" is "don't" without its apostrophe, not a typo of "done" (the start of "done <practice>")
    said = "i dont know what to do anymore i cant cope"
    understood = intents.understand(said, lambda line: router.match(line) is not None)
    assert understood.run is None and not understood.suggest


def test_emails_identities_and_times_are_left_as_typed(intents: Intents) -> None:
    assert intents.words("role jo.bloggs@nhs.net managr") == ["role", "jo.bloggs@nhs.net", "manager"]
    assert intents.words("checkin fri 16:00") == ["checkin", "fri", "16:00"]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("what is a nudge?", True),
        ("remind me what the People Promise is", True),
        ("how do I check in with my team", True),
        ("can you explain just culture", True),
        ("whens my pay day", True),
        ("wats the code of practice", True),
        ("can I have a nudge?", False),
        ("could you remind me every friday at 4pm", False),
        ("remind me every friday at 4pm", False),
        ("please stop the nudges", False),
    ],
)
def test_questions_are_told_from_requests(intents: Intents, text: str, question: bool) -> None:
    assert is_question(text, intents.words(text)) is question


def test_a_suggest_only_phrasing_is_offered_never_run(router: Router) -> None:
    understood = router.understand("cancel all")
    assert understood.run is None and "checkins" in understood.suggest


def test_a_schedule_with_words_it_cannot_place_goes_to_the_parser_which_says_so(router: Router) -> None:
    understood = router.understand("remind me every friday except christmas at 4pm")
    assert understood.run is not None and understood.run.startswith("checkin ")
    assert "christmas" in understood.run  # the parser sees the word and refuses, rather than dropping it


def test_a_sentence_that_mentions_times_is_no_schedule_command(router: Router) -> None:
    understood = router.understand("my team seem totaly burnt out, what small things can i do this week")
    assert understood.run is None and not understood.suggest


@pytest.mark.parametrize(
    "said", ["im done with this job", "honestly think im done with nursing, what should i try before i hand it in"]
)
def test_being_done_with_a_job_is_not_recording_a_practice(router: Router, said: str) -> None:
    # "done <practice>" records a practice: "im done with this job" had recorded "job" as done
    understood = router.understand(said)
    assert understood.run is None and not understood.suggest


@pytest.mark.parametrize("said", ["list the wdes metrics", "list the wres indicators"])
def test_an_acronym_of_the_knowledge_base_is_no_typo_of_a_day(router: Router, said: str) -> None:
    # "wdes" is one letter from "weds": read as a day, it had offered to schedule a check-in "the weds"
    understood = router.understand(said)
    assert understood.run is None and not understood.suggest


def test_a_phrasing_must_use_its_slot() -> None:
    with pytest.raises(ValueError, match="does not use"):
        Phrasing.parse("checkin", "checkin now", "remind {schedule}")
    with pytest.raises(ValueError, match="unknown slot"):
        Phrasing.parse("checkin", "checkin {when}", "remind {when}")


def test_the_example_help_shows_for_each_command_runs_that_command(router: Router) -> None:
    for command in router.commands:
        if command.examples and command.name != "ask":  # "just type your question": it is free text
            found = router.match(command.examples[0])
            assert found is not None and found[0].name == command.name, (command.name, command.examples[0])
