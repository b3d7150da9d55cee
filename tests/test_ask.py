"""Questions in chat and on the command line: short answers with their sources, honest when unsure."""

from __future__ import annotations

import json
import subprocess

import pytest
from sqlmodel import select

from handlers.conversation import Conversation
from handlers.names import ActionId
from storage import Database
from storage.models import Nudge
from tests.support.chat import ChatDriver
from tests.support.processes import LEADWELL, leadwell_env


async def asking(conversation: Conversation) -> ChatDriver:
    chat = ChatDriver(conversation)
    await chat.say("hello")
    return chat


async def test_free_text_is_answered_with_its_source_as_a_link(conversation: Conversation) -> None:
    chat = await asking(conversation)
    await chat.say("what is the code of practice for managers?")
    (reply,) = chat.last
    assert "Code of Practice" in reply.text
    assert reply.links and all(link.url and link.url.startswith("https://") for link in reply.links)


async def test_ask_works_as_an_explicit_command_too(conversation: Conversation) -> None:
    chat = await asking(conversation)
    await chat.say("ask what did the Messenger review recommend")
    assert "recommendations" in chat.text and chat.last[0].links


async def test_an_out_of_scope_question_gets_an_honest_i_can_help_with(conversation: Conversation) -> None:
    chat = await asking(conversation)
    await chat.say("can you book my annual leave")
    assert "I can help with" in chat.text
    assert not chat.last[0].links


async def test_topics_are_listed_and_choosing_one_shows_its_summary(conversation: Conversation) -> None:
    chat = await asking(conversation)
    await chat.say("topics")
    assert chat.text.startswith("These are the topics I can tell you about.")
    labels = [button.label for button in chat.last[0].buttons]
    assert len(labels) >= 20
    await chat.press(labels[0])
    assert chat.text.startswith(labels[0]) and "Choose a part to read" in chat.text
    assert chat.last[0].links
    # its parts open one tap each (walks A and B, 2026-12-07: the page had been a title and a summary only)
    parts = [button.label for button in chat.last[0].buttons]
    assert parts
    await chat.press(parts[0])
    assert chat.text.startswith(parts[0]) and len(chat.text) > len(parts[0]) + 100


async def test_a_vague_question_offers_related_topics_as_buttons(conversation: Conversation) -> None:
    chat = await asking(conversation)
    await chat.say("leadership")
    reply = chat.last[0]
    assert "I may have misread your question" in reply.text or reply.links
    topics = [button for button in reply.buttons if button.action == ActionId.TOPIC_SHOW]
    assert 1 <= len(topics) <= 3  # and "More", when the section has more to say


def test_leadwell_ask_json_returns_an_answer_with_a_source() -> None:
    result = subprocess.run(
        [LEADWELL, "ask", "--json", "what is the code of practice for managers"],
        capture_output=True, text=True, timeout=60, env=leadwell_env(), check=True,
    )  # fmt: skip
    answer = json.loads(result.stdout)
    assert set(answer) == {"question", "answer", "sources", "confidence"}
    assert answer["sources"][0]["url"].startswith("https://") and answer["sources"][0]["section"]
    assert 0 <= answer["confidence"] <= 1
    assert result.stderr == ""


def test_leadwell_ask_dash_reads_one_question_a_line_and_writes_json_lines() -> None:
    result = subprocess.run(
        [LEADWELL, "ask", "-"],
        input="what is the CoP\nwhat's the weather in Leeds\n\n'; DROP TABLE person;--\n",
        capture_output=True, text=True, timeout=60, env=leadwell_env(), check=True,
    )  # fmt: skip
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == [
        "what is the CoP",
        "what's the weather in Leeds",
        "'; DROP TABLE person;--",
    ]
    assert lines[0]["sources"] and not lines[1]["sources"]


async def test_more_shows_the_rest_of_the_section_an_answer_came_from(conversation: Conversation) -> None:
    chat = await asking(conversation)
    await chat.say("what reviews led to the management and leadership programme")
    short = chat.text
    await chat.say("more")  # typed, as the "More" button's word
    rest = [line for line in chat.text.split(". ") if line and line not in short]
    assert rest and chat.last[0].links  # what the short answer left out
    await chat.say("what reviews led to the management and leadership programme")
    await chat.press("More")
    assert "Kark (2019)" in chat.text and "Kark (2019)" not in short


async def test_a_number_when_nothing_waits_for_a_choice_is_not_read_as_a_question(conversation: Conversation) -> None:
    # "1" had been answered with the one-to-ones section, "3" with the programme's three workstreams
    chat = await asking(conversation)
    for typed in ("1", "3.", " 2 "):
        await chat.say(typed)
        assert chat.text.startswith("That number doesn't match a choice") and not chat.last[0].links
    await chat.say("how do i run a good one to one")
    await chat.say("1")  # the More of the answer just given
    assert chat.last[0].text.startswith("Running good one-to-ones with your staff")


async def test_acknowledgements_a_request_for_more_and_a_missed_answer_get_a_reply_of_their_own(
    conversation: Conversation,
) -> None:
    # walked 2026-12-07: "ok" had been answered with the feedback section, "thanks that helps" asked "Did you mean",
    # "more" after a comparison (no More offered) declined, "that is not what i asked" answered with flexible working
    chat = await asking(conversation)
    for typed, starts in (
        ("ok", "OK. I'm here whenever you need me"),
        ("thanks that helps", "You're welcome"),
        ("ok i will try, thank u", "You're welcome"),
        ("thank you ma", "You're welcome"),
        ("that is not what i asked", "Sorry, I got that wrong"),
        ("no thats wrong", "Sorry, I got that wrong"),
    ):
        await chat.say(typed)
        assert chat.text.startswith(starts), typed
        assert not chat.last[0].links
    await chat.say("wres vs wdes")
    assert not any(button.label == "More" for reply in chat.last for button in reply.buttons)
    await chat.say("more")
    assert chat.text.startswith("That's all I have on that one")


async def test_more_after_an_answer_with_no_more_never_opens_an_earlier_answers(conversation: Conversation) -> None:
    # a walk, 2026-12-07: "DPIC??", then "HLM vs the new framework", then "more" opened DP:IC's five conditions
    chat = await asking(conversation)
    await chat.say("how do i run a good one to one")
    assert any(button.label == "More" for reply in chat.last for button in reply.buttons)
    await chat.say("wres vs wdes")
    for typed in ("more", "1"):
        await chat.say(typed)
        assert "one-to-one" not in chat.text.lower(), typed
    assert chat.text.startswith("That number doesn't match a choice")


async def test_a_nudges_done_still_counts_after_a_question_in_between(conversation: Conversation, db: Database) -> None:
    chat = await asking(conversation)
    await chat.say("nudge")
    await chat.say("wres vs wdes")
    await chat.say("done")
    async with db.transaction() as session:
        nudges = (await session.exec(select(Nudge))).all()
    assert [nudge.state for nudge in nudges] == ["done"], chat.text


async def test_a_message_that_tells_of_the_day_is_thanked_before_what_may_help(conversation: Conversation) -> None:
    # a walk, 2026-12-07: "Escalate now …" with no word to the person, after a hard shift already over
    chat = await asking(conversation)
    await chat.say(
        "rough shift. 2 sick, had 14 pts with a student and an agency hca who didnt know the ward. felt like i was "
        "just firefighting all day and snapped at the student at handover. not proud of it"
    )
    assert chat.text.startswith("Thanks for telling me. If you'd like to keep it, type “checkin now”"), chat.text
    assert chat.last[0].links  # and what may help, with its source


@pytest.mark.parametrize(
    "question",
    [
        "first time doing appraisals (PDR) next week, how do i do a good one",
        "just got my b6 and now im in charge of people i trained with. one of them keeps undermining me in handover, "
        "what do i say",
        "I lead a physio team of 12 spread over 3 sites. any tips for keeping us together",
        "I think one of my nurses is drinking before shifts. smelt it twice. what now",
    ],
)
async def test_a_question_after_the_story_is_answered_not_thanked_for_telling(
    conversation: Conversation, question: str
) -> None:
    # a walk, 2026-12-07: 22 managers' questions asked without a question mark, after the story, had been thanked
    # "for telling me" and offered a private reflection before the answer
    chat = await asking(conversation)
    await chat.say(question)
    assert "Thanks for telling me" not in chat.text, chat.text



async def test_a_greeting_that_introduces_the_writer_is_greeted_not_answered(conversation: Conversation) -> None:
    # walk C, 2026-12-07: "hi im a band 5 on nights" had had a pregnancy risk assessment and "Thanks for telling me"
    chat = await asking(conversation)
    await chat.say("hi im a band 5 on nights")
    assert chat.text.startswith("Hello! What can I help with?") and not chat.last[0].links


def test_a_mistake_made_by_someone_the_writer_leads_is_answered_not_declined_as_clinical() -> None:
    from knowledge import KnowledgeBase

    answer = KnowledgeBase.load().answer("one of my nurses gave the wrong dose of paracetamol, no harm done")
    assert answer.in_scope and answer.section == "error-handle-fairly"


async def test_a_leader_telling_of_someone_they_lead_gets_the_answer_without_support_or_thanks(
    conversation: Conversation,
) -> None:
    # a walk, 2026-12-07: "one of my hcas keeps turning up smelling of alcohol" had had "it isn't your fault" (read as
    # being stalked: "keeps turning up"), then "I'm still here" for "what do i say to her"
    chat = await asking(conversation)
    await chat.say("one of my hcas keeps turning up smelling of alcohol")
    assert "isn't your fault" not in chat.text and "Thanks for telling me" not in chat.text
    assert chat.last[0].links  # the section on a colleague who may be unsafe
    await chat.say("what do i say to her")
    assert chat.text.startswith("_Read with your last question") and chat.last[0].links


async def test_a_question_about_it_goes_on_from_the_error_before_when_it_stays_on_its_section(
    conversation: Conversation,
) -> None:
    # the eleventh session's walk: "will it go on my record", after a wrong dose of enoxaparin, had had the board's
    # fit and proper person records; read with the error it stays on the section about one's own error
    chat = await asking(conversation)
    await chat.say("i gave the wrong dose of enoxaparin last night, pt fine but im so scared")
    assert "NMC may not need to act" in chat.text
    await chat.say("will it go on my record")
    assert chat.text.startswith("_Read with your last question") and "Fit and Proper" not in chat.text
    assert "FPPT" not in chat.text


async def test_whether_a_manager_can_say_no_goes_on_from_the_request_before(conversation: Conversation) -> None:
    # walk K, 2026-12-08: "can i just say no", after a band 5's flexible working request, had been declined, read alone
    chat = await asking(conversation)
    await chat.say("one of my band 5s has put in a flexible working request to only do days, rota is already a "
                   "nightmare")
    assert "Flexible working is a lever" in chat.text
    await chat.say("can i just say no")
    assert chat.text.startswith("_Read with your last question") and "I can't help with that" not in chat.text
