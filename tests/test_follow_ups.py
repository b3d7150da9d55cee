"""Follow-ups: a short message that goes on from the question before is read with it, says so, and is forgotten
after a while or after safeguarding support."""

from __future__ import annotations

from sqlmodel import select

from handlers.clock import ManualClock
from handlers.conversation import Conversation
from handlers.follow_ups import read_with
from storage import Database
from storage.models import RecentQuestion
from tests.support.chat import ChatDriver

READ_WITH = "Read with your last question"


async def manager(conversation: Conversation) -> ChatDriver:
    await conversation.ensure_person("console:mo", "console", role="manager")
    chat = ChatDriver(conversation, "console:mo")
    await chat.say("hello")
    return chat


def cites(chat: ChatDriver, words: str) -> bool:
    return any(words in link.title.lower() or words in link.url.lower() for reply in chat.last for link in reply.links)


async def test_a_short_follow_up_is_answered_with_the_question_before(conversation: Conversation) -> None:
    # walked 2026-12-07: "and for band 6s? same rules?" had been answered with protected management hours, and
    # "so is it mandatory or not" with the WRES indicators
    chat = await manager(conversation)
    await chat.say("how do i handle flexible working requests as a manager")
    assert READ_WITH not in chat.text and cites(chat, "flexible")
    await chat.say("and for band 6s? same rules?")
    assert chat.text.startswith(f"_{READ_WITH}, “how do i handle flexible working requests as a manager”:_")
    assert cites(chat, "flexible"), chat.text
    await chat.say("what is the code of practice for managers")
    assert READ_WITH not in chat.text  # a question of its own
    await chat.say("so is it mandatory or not")
    assert chat.text.startswith(f"_{READ_WITH}, “what is the code of practice for managers”:_"), chat.text


async def test_a_follow_up_that_points_back_is_read_with_the_question_it_points_at(conversation: Conversation) -> None:
    chat = await manager(conversation)
    await chat.say("whats the kark review")
    await chat.say("who wrote it")  # alone, it had been answered with being told one is too quiet
    assert chat.text.startswith(f"_{READ_WITH}") and cites(chat, "kark"), chat.text
    await chat.say("how do i run a good one to one")
    await chat.say("how often should i do them")
    assert chat.text.startswith(f"_{READ_WITH}, “how do i run a good one to one”:_"), chat.text


async def test_asked_another_way_the_answer_is_shorter_and_the_next_follow_up_is_not(
    conversation: Conversation,
) -> None:
    chat = await manager(conversation)
    await chat.say("how do i manage former peers now im their band 7")
    full = chat.text
    await chat.say("shorter pls")
    assert chat.text.startswith(f"_{READ_WITH}, “how do i manage former peers now im their band 7”:_")
    short = chat.text.split(":_\n\n", 1)[1]
    assert len(short) < len(full)
    await chat.say("what if she just refuses to do what i ask")
    # "shorter" was for that answer only; read with the question before, this would be the first answer again, so it
    # gets the rest of its section (walks A and B, 2026-12-07: follow-ups had had the answer before word for word)
    rest = chat.text.split(":_\n\n", 1)[1]
    assert rest.startswith("More on that: ") and rest[len("More on that: ") :] not in full
    await chat.say("what do i say to the family")
    await chat.say("shorter pls")  # an HTTP walk: "shorter pls" had made it a stray match, declined
    assert chat.text.startswith(f"_{READ_WITH}, “what do i say to the family”:_"), chat.text


async def test_a_bare_question_of_a_few_words_is_a_follow_up(conversation: Conversation) -> None:
    # a third walk, 2026-12-07: "who decides" after a question about leave had been answered with passing on bad news
    chat = await manager(conversation)
    await chat.say("how do i handle annual leave requests fairly in my team")
    await chat.say("who decides")
    assert chat.text.startswith(f"_{READ_WITH}, “how do i handle annual leave requests fairly in my team”:_")


async def test_after_support_for_helping_a_colleague_the_answered_question_is_kept(conversation: Conversation) -> None:
    # a third walk: "and for nights?" after the question about a struggling b5 had been declined
    chat = await manager(conversation)
    await chat.say("how do i give feedback to a b5 whos strugglin")
    assert chat.last[0].text.startswith("It's kind of you to notice")
    await chat.say("and for nights?")
    assert chat.text.startswith(f"_{READ_WITH}, “how do i give feedback to a b5 whos strugglin”:_"), chat.text


async def test_a_question_of_its_own_is_not_read_with_the_one_before(conversation: Conversation) -> None:
    chat = await manager(conversation)
    await chat.say("how do i support a nurse who made a drug error")
    await chat.say("and what is WRES")
    assert READ_WITH not in chat.text and "Workforce Race Equality Standard" in chat.text


async def test_a_follow_up_is_not_read_with_a_question_from_long_ago(
    conversation: Conversation, clock: ManualClock
) -> None:
    chat = await manager(conversation)
    await chat.say("how do i handle flexible working requests as a manager")
    clock.advance(minutes=31)
    await chat.say("and for band 6s? same rules?")
    assert READ_WITH not in chat.text


async def test_after_support_a_follow_up_is_never_read_with_an_older_question(conversation: Conversation) -> None:
    chat = await manager(conversation)
    await chat.say("how do i handle flexible working requests as a manager")
    await chat.say("my colleague has given his dog away and sorted his will, said we wont have him around much longer")
    assert "999" in chat.text
    await chat.say("and what should i do next")
    assert READ_WITH not in chat.text and "call 999" in chat.text


async def test_the_question_kept_is_sealed_and_goes_with_forget_me(conversation: Conversation, db: Database) -> None:
    chat = await manager(conversation)
    await chat.say("how do i handle flexible working requests as a manager")
    async with db.transaction() as session:
        (kept,) = (await session.exec(select(RecentQuestion))).all()
    assert "flexible" not in str(kept.question) and set(kept.question) == {"sealed"}
    await chat.say("forget me")
    await chat.press("Yes")
    async with db.transaction() as session:
        assert (await session.exec(select(RecentQuestion))).all() == []


async def test_a_managers_question_that_shows_no_side_is_answered_for_the_one_handling_it(
    conversation: Conversation,
) -> None:
    # a walk, 2026-12-07: managers and an HR partner had been answered as the employee
    chat = await manager(conversation)
    await chat.say("thinking of leaving")
    assert chat.text.startswith("Find out why people go and why the rest stay"), chat.text
    await conversation.ensure_person("console:sam", "console")
    staff = ChatDriver(conversation, "console:sam")
    await staff.say("hello")
    await staff.say("thinking of leaving")  # the person it happens to gets the section written to them
    assert staff.text.startswith("Your trust may offer an unpaid career break"), staff.text


def test_the_question_quoted_cannot_carry_markup() -> None:
    quoted = read_with("see [this](http://x.y) *now* _ok_")
    assert quoted == "_Read with your last question, “see this http://x.y now ok”:_"


async def test_asked_for_the_source_the_answer_before_gives_its_sources(conversation: Conversation) -> None:
    # a managers' walk, 2026-12-07: "what's the source" had had the note on what our sources leave open
    chat = await manager(conversation)
    await chat.say("how do I run a sickness absence meeting with a b5 who has had 3 episodes in 6 months?")
    before = [link for reply in chat.last for link in reply.links]
    for asked in ("what's the source", "where is that from?", "references pls"):
        await chat.say(asked)
        assert chat.text.startswith("That answer came from these sources"), asked
        assert [link for reply in chat.last for link in reply.links] == before


async def test_asked_for_a_list_the_answer_before_comes_as_bullets(conversation: Conversation) -> None:
    # a managers' walk, 2026-12-07: "list pls" had been declined as out of scope
    chat = await manager(conversation)
    await chat.say("how do I run a sickness absence meeting with a b5 who has had 3 episodes in 6 months?")
    await chat.say("list pls")
    assert chat.text.startswith(f"_{READ_WITH}")
    body = chat.text.split("\n\n", 1)[1]
    assert sum(line.startswith("• ") for line in body.splitlines()) >= 3, body
    assert "can't help" not in chat.text


async def test_a_bare_question_naming_nothing_of_its_own_goes_on_from_the_question_before(
    conversation: Conversation,
) -> None:
    # a managers' walk, 2026-12-07: "what are the domains" after a question about the framework had had the board
    # competency framework's six domains
    chat = await manager(conversation)
    await chat.say("what is the nhs leadership and management framework")
    await chat.say("what are the domains")
    assert chat.text.startswith(f"_{READ_WITH}") and "board" not in chat.text.lower(), chat.text
    await chat.say("and what is WRES")
    assert READ_WITH not in chat.text and "Workforce Race Equality Standard" in chat.text


async def test_asked_for_the_words_to_use_the_answer_gives_them_read_with_the_question(
    conversation: Conversation,
) -> None:
    # a managers' walk, 2026-12-07: "give me an example of what to say to her" had had the answer before again, "how
    # do i start that conversation" the wellbeing conversation card, whatever the question was
    chat = await manager(conversation)
    await chat.say("b5 on my ward gave the wrong dose of enoxaparin last night, pt ok. how do i handle it fairly")
    for follow_up in ("give me an example of what to say to her", "how do i start that conversation",
                      "how do i word it", "what do i say to her tho"):  # ("tho": walk F, 2026-12-08)
        await chat.say(follow_up)
        assert chat.text.startswith(f"_{READ_WITH}, “b5 on my ward gave the wrong dose"), follow_up
        assert "I'm not here to tell you off" in chat.text and "Our suggestion" in chat.text, follow_up
    # what is asked about something named is still a question of its own
    await chat.say("what do i say to my manager about flexible working")
    assert "I'm not here to tell you off" not in chat.text


async def test_a_follow_up_that_would_repeat_the_answer_before_gets_the_rest_of_it(conversation: Conversation) -> None:
    # walks A and B, 2026-12-07: "what do i actually say when i bring up the monday pattern" and "all of them pls" had
    # had the answer before word for word
    chat = await manager(conversation)
    await chat.say("how do i manage former peers now im their band 7")
    first = chat.text
    await chat.say("and what if she just refuses to do what i ask")
    assert chat.text.startswith(f"_{READ_WITH}, “how do i manage former peers now im their band 7”:_")
    again = chat.text.split(":_\n\n", 1)[1]
    assert again.startswith("More on that: ") and again.split("\n")[0][len("More on that: ") :] not in first


async def test_the_answer_on_unsafe_staffing_says_who_covers_nights_and_a_follow_up_does_not_repeat_it(
    conversation: Conversation,
) -> None:
    # walk E, 2026-12-07: "and on nights? theres no manager around to go to", after a question about unsafe staffing,
    # had had the same answer again, which named no one to go to at night (read alone, such follow-ups are answered
    # wrongly elsewhere: "and for band 6s? same rules?" gets protected management hours, so it stays read with the
    # question, and the answer itself now names the night route)
    chat = await manager(conversation)
    await chat.say("how do i raise a concern about unsafe staffing")
    first = chat.text
    assert "night manager or senior nurse on call" in first
    await chat.say("and on nights? theres no manager around to go to")
    assert chat.text.startswith(f"_{READ_WITH}") and chat.text.split(":_\n\n", 1)[1] not in first


async def test_a_follow_up_that_points_back_at_the_people_asked_about_is_read_with_the_question(
    conversation: Conversation,
) -> None:
    # walk C, 2026-12-07: "what about the ones who keep saying theyre fine", after a question about a crew after a
    # child's death, had had the guardian of safe working's fines
    chat = await manager(conversation)
    await chat.say("paramedic team leader, one of my crews attended a child death last night, how do i support them")
    await chat.say("what about the ones who keep saying theyre fine")
    assert chat.text.startswith(f"_{READ_WITH}, “paramedic team leader")
    assert "safe working" not in chat.text
