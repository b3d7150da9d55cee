"""Safeguarding first, as a person experiences it: support before anything else, then the usual answer."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from handlers.context import Services
from handlers.conversation import Conversation, ReplyQueue
from handlers.messages import Action, Reply
from handlers.names import ActionId
from handlers.sealing import open_reply
from knowledge.signposts import load_signposts
from storage import Database
from storage.models import AuditEntry, CheckIn, OutboxMessage, Reflection, Schedule
from storage.repositories import Repositories
from tests.support.chat import ChatDriver


async def met(conversation: Conversation, *, private: bool = True) -> ChatDriver:
    """Alice, who has said hello already (so no welcome comes between the replies)."""
    chat = ChatDriver(conversation, private=private)
    await chat.say("hello")
    return chat


# How the line that says the bot is still there starts, in either of its wordings (they take turns)
STILL_THERE = ("I'm still here", "I'm here")


def lines(reply: Reply) -> list[str]:
    return reply.text.splitlines()


async def test_a_risk_to_life_message_gets_999_and_samaritans_first_then_the_usual_answer(
    conversation: Conversation,
) -> None:
    chat = ChatDriver(conversation)
    replies = await chat.say("I want to kill myself")
    support = replies[0]
    assert support.private
    assert "999" in lines(support)[1] and "Samaritans, 116 123" in lines(support)[2]
    assert "NHS 111" in support.text and "Occupational health" in support.text
    # then the message is handled as usual: the first-contact welcome; the answerer, having no answer,
    # does not follow support with a decline
    assert replies[1].text.startswith("Hello Alice! I'm LeadWell")
    assert len(replies) == 2


async def test_a_risk_phrase_typed_as_the_reflection_gets_support_and_the_reflection_is_saved(
    conversation: Conversation, db: Database
) -> None:
    chat = await met(conversation)
    await chat.say("checkin now")
    await chat.press("Reflect now")
    replies = await chat.say("honestly everyone would be better off without me")
    assert "999" in lines(replies[0])[1] and replies[0].private
    assert replies[1].text.startswith("Thank you. Your reflection (8 words) is saved")
    assert len(replies) == 2  # one support message, not two
    async with db.transaction() as session:
        assert len((await session.exec(select(Reflection))).all()) == 1


async def test_a_reflection_sent_with_the_form_is_checked_too(conversation: Conversation, db: Database) -> None:
    chat = await met(conversation)
    await chat.say("checkin now")
    async with db.transaction() as session:
        checkin = (await session.exec(select(CheckIn))).one()
    values = {"checkin": checkin.id, "reflection": "ive been cutting again and i dont know who to tell"}
    replies = await conversation.handle(chat.incoming(action=Action(ActionId.REFLECTION_SUBMIT, values)))
    assert "999" in lines(replies[0])[1]
    assert replies[1].text.startswith("Thank you. Your reflection")


async def test_bullying_in_a_question_gets_the_guardian_first_and_the_question_is_still_answered(
    conversation: Conversation,
) -> None:
    chat = await met(conversation)
    [reply] = await chat.say("I'm being bullied by my manager. What does the Freedom to Speak Up guardian do?")
    assert lines(reply)[1].startswith("• Your Freedom to Speak Up Guardian")  # support first …
    assert "999" not in reply.text
    support, _, answer = reply.text.partition("\n\n" + load_signposts().closing + "\n\n")
    assert "Freedom to Speak Up" in answer and reply.links and reply.private  # … then the answer, in one message


@pytest.mark.parametrize(
    "said",
    [
        "partner threw a plate at me last nite, got a bruise ive covered with my sleeve",
        "husband controls the car, my bank card and who i see. work is the only freedom i get",
        "terrified to go home tonight, he was kicking off this morning before i left",
    ],
)
async def test_abuse_at_home_gets_the_domestic_abuse_helpline_first(conversation: Conversation, said: str) -> None:
    chat = await met(conversation)
    [reply] = await chat.say(said)
    assert lines(reply)[1].startswith("• National Domestic Abuse Helpline, 0808 2000 247")
    assert "call 999" in lines(reply)[1] and "Freedom to Speak Up Guardian" in reply.text and reply.private


async def test_bullying_at_work_does_not_get_the_domestic_abuse_helpline(conversation: Conversation) -> None:
    chat = await met(conversation)
    [reply] = await chat.say("my band 7 keeps shouting at me in front of everyone")
    assert lines(reply)[1].startswith("• Your Freedom to Speak Up Guardian")
    assert "Domestic Abuse" not in reply.text


@pytest.mark.parametrize(
    "said",
    [
        "nobody cares about me",
        "i keep crying in the toilets at work",
        "i feel so alone at work",
        "im so stressed and cant sleep",  # "and can't" opens no question
    ],
)
async def test_distress_that_asks_nothing_gets_the_support_and_no_guessed_answer(
    conversation: Conversation, said: str
) -> None:
    # each had matched some section at 0.35 or more (menopause support, the regulation of managers, concerns)
    chat = await met(conversation)
    [reply] = await chat.say(said)
    assert reply.private and not reply.links and "Occupational health" in reply.text


async def test_a_question_typed_without_punctuation_after_distress_is_still_answered(
    conversation: Conversation,
) -> None:
    # "what shud i do" mid-sentence, no comma: support for the colleague first, then the answer, in one message
    chat = await met(conversation)
    [reply] = await chat.say("my colleage cries every shift what shud i do")
    assert "Occupational health" in reply.text and "tearful" in reply.text and reply.links


@pytest.mark.parametrize("said", ["i dont know what to do anymore i cant cope", "i dont know how to go on"])
async def test_not_knowing_what_to_do_is_support_never_a_command(conversation: Conversation, said: str) -> None:
    # "dont" had been read as "done", the start of recording a practice ("Which practice did you do?")
    chat = await met(conversation)
    replies = await chat.say(said)
    assert replies[0].private and "practice" not in " ".join(r.text for r in replies).lower()


async def test_a_risk_read_in_the_whole_message_gets_support_and_no_answer_to_its_question(
    conversation: Conversation,
) -> None:
    # the question is the cover ("a pension question"); no clause of it says the risk alone
    chat = await met(conversation)
    replies = await chat.say("does the nhs pension pay out to next of kin if its... you know. asking for reasons")
    assert len(replies) == 1 and "116 123" in replies[0].text and not replies[0].links


async def test_a_statement_that_may_be_a_risk_gets_one_line_asking_and_nothing_guessed(
    conversation: Conversation,
) -> None:
    chat = await met(conversation)
    [reply] = await chat.say("i keep a little bag of blades in my locker")
    assert reply.private and reply.text == load_signposts().unsure  # no decline, no answer guessed after it


async def test_a_message_about_a_colleague_gets_support_for_helping_them(conversation: Conversation) -> None:
    chat = await met(conversation)
    replies = await chat.say("a colleague told me she wants to end it all, what do I do")
    opening = load_signposts().levels["risk_to_life"].colleague_opening
    assert lines(replies[0])[0] == opening
    assert "999" in lines(replies[0])[1] and "Samaritans" in lines(replies[0])[2]


async def test_someone_told_of_a_colleagues_suicide_gets_support_for_their_grief_not_a_watch_over_them(
    conversation: Conversation,
) -> None:
    # walked 2026-12-07: "one of my hcas killed herself last week" had got "If they may be in danger now, stay with
    # them if you can", and a question about supporting the team after a patient's death the suicide guidance
    chat = await met(conversation)
    bereaved = load_signposts().bereaved
    assert bereaved is not None
    replies = await chat.say("one of my hcas killed herself last week")
    assert len(replies) == 1 and replies[0].private
    assert lines(replies[0])[0] == bereaved.opening and "stay with them" not in replies[0].text
    assert "Occupational health" in lines(replies[0])[1] and "Samaritans, 116 123" in lines(replies[0])[2]
    assert bereaved.after in replies[0].text  # what helps a team, offered, as the message asked nothing
    chat = ChatDriver(conversation, "console:bob")  # (the same support is not given twice in a row)
    await chat.say("hello")
    asked = await chat.say("a colleague took her own life and the whole unit is devastated, what do i do as manager")
    assert lines(asked[0])[0] == bereaved.opening and bereaved.after not in asked[0].text
    assert "never how" in asked[-1].text  # the answer follows (with the support, in one message): how to tell the team
    # wanting to follow them is a risk to life now, whoever says it
    own = await chat.say("my friend killed herself and i want to join her")
    assert "999" in lines(own[0])[1] and lines(own[0])[0] == load_signposts().levels["risk_to_life"].opening
    theirs = await chat.say("my colleague killed himself last month and now his mate says hes going to do the same")
    assert lines(theirs[0])[0] == load_signposts().levels["risk_to_life"].colleague_opening


async def test_support_goes_only_to_the_person_even_from_a_channel(conversation: Conversation) -> None:
    chat = await met(conversation, private=False)
    replies = await chat.say("I feel so burnt out and I can't cope")
    assert replies[0].private and "Occupational health" in lines(replies[0])[1]


async def test_a_topic_asked_about_gets_the_answer_and_one_gentle_line_after(conversation: Conversation) -> None:
    chat = await met(conversation)
    replies = await chat.say("how do I reduce bullying in my team")
    assert len(replies) == 2 and "Freedom to Speak Up" not in replies[0].text
    assert replies[-1] == Reply(load_signposts().gentle, private=True)


async def test_without_support_a_question_out_of_scope_is_still_declined(conversation: Conversation) -> None:
    chat = await met(conversation)
    [reply] = await chat.say("what's the weather in Leeds")
    assert reply.text.startswith("I can't help with that here")


async def test_an_ordinary_message_gets_no_support(conversation: Conversation) -> None:
    chat = await met(conversation)
    replies = await chat.say("this rota is killing me, how do I plan it better?")
    assert not any(reply.private for reply in replies)


async def test_a_command_is_checked_and_still_runs(conversation: Conversation) -> None:
    chat = await met(conversation)
    [reply] = await chat.say("ask I want to end my life, what is the civility and respect toolkit")
    assert "999" in lines(reply)[1]
    assert reply.text.index("999") < reply.text.index("Civility and Respect")


async def test_support_lists_every_route_at_any_time(conversation: Conversation, services: Services) -> None:
    chat = await met(conversation)
    [reply] = await chat.say("support")
    signposts = load_signposts()
    assert reply.private and lines(reply)[0] == signposts.support_intro
    assert [line.split(":")[0] for line in lines(reply)[1:]] == [f"• {r.name}" for r in signposts.routes]
    assert not services.support_given  # no check found anything: it is a listing


async def test_support_is_in_help(conversation: Conversation) -> None:
    chat = await met(conversation)
    await chat.say("help")
    assert "See who can help, in confidence, any time" in chat.text


async def test_a_match_leaves_only_a_count(
    conversation: Conversation, services: Services, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    chat = await met(conversation)
    await chat.say("i took too many tablets last night")
    await chat.say("suicide prevention training for managers")
    assert services.support_given == {"risk_to_life": 1, "gentle": 1}
    assert "tablets" not in caplog.text and "risk_to_life" not in caplog.text
    async with db.transaction() as session:
        assert [e.action for e in (await session.exec(select(AuditEntry))).all()] == []


async def test_without_content_loaded_nothing_is_checked_and_support_still_answers(
    db: Database, services: Services
) -> None:
    from handlers import build_router

    services.signposts = None
    chat = ChatDriver(Conversation(db, build_router(), services))
    await chat.say("hello")
    [reply] = await chat.say("support")
    assert "999" in reply.text and "116 123" in reply.text and reply.private


async def test_the_support_reply_waits_sealed_in_the_outbox_and_is_dropped_once_sent(
    conversation: Conversation, services: Services, db: Database
) -> None:
    chat = await met(conversation)
    queue = ReplyQueue(key="slack:Ev1", target={"channel": "D1"}, owner="engine-1")
    # support only, nothing for the answerer: the one outbox row is the support reply
    replies = await conversation.handle(chat.incoming("i want to kill myself"), queue=queue)
    async with db.transaction() as session:
        rows = (await session.exec(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert [row.payload.keys() for row in rows] == [{"sealed"}]
    # words of the support text, long enough that random ciphertext never holds them ("999" once did, by chance)
    assert "116 123" not in str(rows[0].payload) and "Samaritans" not in str(rows[0].payload)
    assert open_reply(rows[0].payload, services.sealer) == replies[0]  # what the sender worker would send
    async with db.transaction() as session:
        outbox = Repositories(session).outbox
        await outbox.mark_many_sent([(rows[0].id or 0, None)], owner="engine-1", now=services.clock.now())
    async with db.transaction() as session:
        sent = (await session.exec(select(OutboxMessage))).one()
    assert sent.state == "sent" and sent.payload == {}  # nothing left that says what was sent


@pytest.mark.parametrize(
    "said",
    [
        "i want to end my life",
        "i cant cope anymore",
        "I want to kill myself",
        # each matched some section at 0.5 or more (handling errors, support-worker routes, the People Promise)
        "i want to hang myself",
        "im suicdal",
        "whats the point in living",
    ],
)
async def test_a_cry_for_help_gets_support_and_no_guessed_answer(conversation: Conversation, said: str) -> None:
    chat = await met(conversation)
    [reply] = await chat.say(said)
    assert reply.private and ("Samaritans" in reply.text or "116 123" in reply.text)
    assert not reply.links  # no answer from the knowledge base was joined to it


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("how can I tell if my team are burning out and what can I do as a manager?", "burnt-out-team"),
        ("how do i support my ward team after one of our doctors died by suicide", "colleague-death-by-suicide"),
    ],
)
async def test_pressing_more_is_not_read_as_something_the_person_said(
    conversation: Conversation, question: str, section: str
) -> None:
    # "More" carries the id of the section it opens ("burnt-out-team", "colleague-death-by-suicide"): read as the
    # person's words, it had put the distress support, or 999 first, before the rest of a manager's answer
    chat = await met(conversation)
    await chat.say(question)
    replies = await chat.press("More")
    assert len(replies) == 1 and not replies[0].private  # no support before it, nor merged into it
    assert replies[0].text.startswith(conversation.services.knowledge.section(section).title)  # type: ignore[union-attr]


async def test_a_leader_asking_how_to_help_someone_struggling_gets_the_answer_and_the_gentle_line(
    conversation: Conversation,
) -> None:
    # walked 2026-12-07: the support for helping her came alone, the answer held back as if a guess at a cry for help
    chat = await met(conversation)
    replies = await chat.say(
        "One of my band 5s has been really flat since her mum died, keeps coming in but clearly not coping. as her WM "
        "how do i support her without overstepping?"
    )
    # a leader asking how to lead someone grieving gets the answer (Cruse's number is in its "More"), then the gentle
    # line: the support list for helping a colleague had come first (two managers' walks, 2026-12-07)
    assert not replies[0].private and "Say you are sorry, listen" in replies[0].text
    assert load_signposts().gentle in chat.text


async def test_what_to_do_next_after_telling_of_someone_at_risk_is_not_answered_with_a_guess(
    conversation: Conversation,
) -> None:
    # walked 2026-12-07: "what should i do next" had been answered with how to have a difficult conversation, "check
    # in the next day", straight after the support for a colleague who had given his dog away and sorted his will
    chat = await met(conversation)
    await chat.say(
        "tbh im more worried about him, he's given his dog away and sorted his will, said we wont have to put up "
        "with him much longer"
    )
    assert "999" in chat.text
    for follow_up in ("what should i do next", "ok what now?", "what am i supposed to do"):
        replies = await chat.say(follow_up)
        assert "call 999" in replies[-1].text and "“support”" in replies[-1].text
        assert "next day" not in chat.text and not replies[-1].links


@pytest.mark.parametrize(
    "message",
    [
        "gave my locker key back, said bye to everyone and sorted the cat. wont need anything after tonight. how do i "
        "cancel my checkins",
        "this is goodbye i think. thank u for the nudges they were nice, i wont be needing them after tonight",
    ],
)
async def test_no_command_is_read_into_a_goodbye(conversation: Conversation, db: Database, message: str) -> None:
    # walked 2026-12-07: after the support, each had set a check-in or a nudge "today at 18:00"
    chat = await met(conversation)
    replies = await chat.say(message)
    assert "999" in lines(replies[0])[1]
    assert not any("Done:" in reply.text for reply in replies)
    async with db.transaction() as session:
        assert (await session.exec(select(Schedule))).all() == []


async def test_a_risk_read_by_meaning_alone_says_it_may_be_wrong_and_answers_a_question_it_is_sure_of(
    conversation: Conversation,
) -> None:
    # walked 2026-12-07: an HCA asking whether a senior nurse's comments were bullying had the crisis card, "I'm really
    # sorry you're feeling like this", and no answer; the meaning model, not any phrase, had read a risk to life
    chat = await met(conversation)
    replies = await chat.say(
        "its like every shift now. today she said i was useless in front of a pts family. is that bullying or am i "
        "being soft"
    )
    (reply,) = replies  # the support and the answer as one reply, support first
    assert reply.text.startswith("I may be reading too much into your message") and "999" in reply.text
    assert "can be bullying" in reply.text.split("Type “support”")[1] and reply.links
    # a risk to life said in words keeps the full opening, and no guess follows it
    (reply,) = await chat.say("i want to end my life, is that bullying or am i being soft")
    assert reply.text.startswith("I'm really sorry you're feeling like this") and not reply.links


async def test_after_telling_of_a_colleague_at_risk_short_questions_get_what_to_do_next_for_them(
    conversation: Conversation,
) -> None:
    # walked 2026-12-07: "should i tell the nic" had been answered with rostering, "shes gone home now, what do i do"
    # with the IT decline, "what do i actually say to her" with "I can't tell what 'her' refers to"
    chat = await met(conversation)
    await chat.say(
        "my colleague said she doesnt see the point anymore and everyone would be better off without her. im really "
        "worried"
    )
    assert chat.last[0].text.startswith("Thank you for looking out for them")
    for question in ("should i tell the nic", "shes gone home now, what do i do", "what do i actually say to her"):
        (reply,) = await chat.say(question)
        assert reply.text.startswith("About the colleague you told me about: if they may act on it now, call 999")
        assert "NHS 111" in reply.text and "ask plainly whether they are thinking about suicide" in reply.text
        assert reply.private, question
    # read by meaning alone, a worried follow-up is about the colleague, not the writer: what to do next, not the same
    # support a second time ("she asked me not to tell anyone" had had the whole block again: walk E, 2026-12-07)
    replies = await chat.say("what do i actually say to her? i dont want to make it worse by asking")
    assert len(replies) == 1 and replies[0].text.startswith("About the colleague you told me about")
    # a question of its own is answered
    await chat.say("what is wres")
    assert "Workforce Race Equality Standard" in chat.text


@pytest.mark.parametrize(
    ("said", "route", "opening"),
    [
        ("a kid on the paeds ward told me her dad hurts her", "Your organisation's safeguarding team",
         "Thank you for speaking up for them: keeping them safe comes first"),
        ("saw a carer slap a patient on the ward today", "Your organisation's safeguarding team",
         "Thank you for speaking up for them"),
        ("i think a nurse on my ward is harming babies on purpose", "Your organisation's safeguarding team",
         "Thank you for speaking up for them"),
        ("he wouldnt stop when i said no", "Rape Crisis 24/7 Support Line",
         "I'm so sorry. What happened is not your fault"),
        ("partner said if i keep it he'll kill me", "National Domestic Abuse Helpline",
         "I'm so sorry. What you describe is abuse"),
    ],
)  # fmt: skip
async def test_abuse_of_a_child_a_patient_or_the_writer_gets_the_route_for_it_first_and_words_for_it(
    conversation: Conversation, said: str, route: str, opening: str
) -> None:
    # walked 2026-12-07: a child's disclosure had had an answer about bank staff, a threat to kill from a partner one
    # about negative team members, sexual violence the support for suicidal feelings
    chat = await met(conversation)
    reply = (await chat.say(said))[0]
    assert reply.text.startswith(opening) and reply.private, reply.text
    routes = [line for line in lines(reply) if line.startswith("• ")]
    if routes[0].startswith("• 999"):  # read as a risk to life ("kill me"): 999 before the route, then it
        assert routes[1].startswith(f"• {route}")
    else:
        assert routes[0].startswith(f"• {route}")
    assert "kill me" not in said or routes[0].startswith("• 999")
    assert "feeling like this" not in reply.text


async def test_after_telling_of_someone_harmed_a_short_question_gets_what_to_do_next_then_answers_read_with_it(
    conversation: Conversation,
) -> None:
    # walked 2026-12-07: "she asked me not to tell anyone" had had the support for the writer's own dark thoughts, "what
    # should i do as her manager" the new managers' section
    chat = await met(conversation)
    await chat.say("one of my physios told me her husband beats her")
    assert chat.last[0].text.startswith("Thank you for telling me. What you describe is abuse")
    (reply,) = await chat.say("she asked me not to tell anyone")
    assert reply.text.startswith("About what you told me: if anyone is in danger now, call 999") and reply.private
    assert "you're feeling" not in reply.text and "very dark" not in reply.text
    (reply,) = await chat.say("what should i do as her manager")
    assert "0808 2000 247" in reply.text and reply.links  # the section on a colleague experiencing abuse


async def test_a_child_at_risk_is_not_kept_to_a_note_in_the_records(conversation: Conversation) -> None:
    chat = await met(conversation)
    await chat.say("a kid on the paeds ward told me her dad hurts her")
    (reply,) = await chat.say("i wrote it in the notes is that enough")
    assert "safeguarding team today" in reply.text and "a note in the records is not enough" in reply.text


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("stood on the multistorey roof after shift last night",
         ["didnt do anything obvs", "but i think about it a lot"]),
        ("took a few extra of my sertraline", ["like 20", "feel a bit weird"]),
        ("wanna kms", ["srsly"]),
    ],
)  # fmt: skip
async def test_after_support_for_a_risk_to_life_what_follows_gets_the_bot_still_there_never_a_decline(
    conversation: Conversation, first: str, then: list[str]
) -> None:
    # walked 2026-12-07: the politics decline, a payroll decline, the Freedom to Speak Up review's "20 principles"
    chat = await met(conversation)
    reply = (await chat.say(first))[0]
    assert reply.text.startswith("I'm really sorry you're feeling like this"), reply.text
    for said in then:
        (reply,) = await chat.say(said)
        assert reply.text.startswith(STILL_THERE) and "call 999" in reply.text and reply.private, said
        assert "can't help" not in reply.text and not reply.links
    # a question in scope is answered as the person moves on
    await chat.say("what is the people promise")
    assert "seven elements" in chat.text


async def test_a_worried_follow_up_about_a_colleague_is_not_read_as_the_writers_own_crisis(
    conversation: Conversation,
) -> None:
    # walked 2026-12-07: "i dont want to get her in trouble" had had "if things feel very dark right now, you matter"
    chat = await met(conversation)
    await chat.say("i think my colleague is drinking before shifts")
    assert chat.last[0].text.startswith("It's kind of you to notice")
    (reply,) = await chat.say("i dont want to get her in trouble")
    assert reply.text.startswith("It's kind of you to think about how this lands for them"), reply.text
    assert "very dark" not in chat.text and "Thanks for telling me" not in chat.text


@pytest.mark.parametrize(
    ("said", "route"),
    [
        ("took 20 co-codamol about an hour ago", "• 999 or A&E"),
        ("he said hell kill me if i ever leave", "• 999 or A&E"),
        ("one of the regs cornered me in the sluice and put his hands down my top", "• Rape Crisis 24/7 Support Line"),
        ("student midwife. a woman in labour disclosed FGM and has a baby girl at home",
         "• Your organisation's safeguarding team"),
        ("my partner hurts my son when im on nights", "• National Domestic Abuse Helpline"),
    ],
)  # fmt: skip
async def test_a_second_walks_disclosures_get_their_route_first(
    conversation: Conversation, said: str, route: str
) -> None:
    # walk C, 2026-12-07: an overdose taken had had "I can't help with that here", a sexual assault at work the offer to
    # keep it as a reflection, an FGM disclosure "I don't give clinical advice"
    chat = await met(conversation)
    reply = (await chat.say(said))[0]
    assert reply.private and [line for line in lines(reply) if line.startswith("• ")][0].startswith(route), reply.text
    assert "can't help" not in chat.text and "checkin now" not in chat.text


async def test_after_a_disclosure_asking_to_keep_it_quiet_or_who_to_tell_is_answered_for_what_it_is(
    conversation: Conversation,
) -> None:
    # walk C, 2026-12-07: "can you not tell anyone" after a suicide plan had had the Edward Jenner programme, "is that
    # normal" after self-harm an answer about making compassion normal in a team, "forget it" "There was nothing to
    # cancel", "who do i tell" "type support"
    chat = await met(conversation)
    await chat.say("been cutting again after shifts. just my thighs so no one sees")
    (reply,) = await chat.say("can you not tell anyone")
    assert reply.text.startswith("I haven't told anyone, and I don't pass on what you write") and reply.private
    (reply,) = await chat.say("is that normal")
    assert reply.text.startswith(STILL_THERE) and not reply.links
    (reply,) = await chat.say("who do i tell")
    assert reply.text.startswith("These people can help, in confidence:")
    assert any(line.startswith("• Samaritans") for line in lines(reply))
    (reply,) = await chat.say("forget it")
    assert reply.text.startswith(STILL_THERE) and "nothing to cancel" not in reply.text


async def test_after_the_unsure_line_what_follows_gets_the_urgent_numbers_again(conversation: Conversation) -> None:
    # walk C, 2026-12-07: "i mean it" after "i have the insulin at work" had had the line with no numbers
    chat = await met(conversation)
    await chat.say("i keep thinking about overdosing")
    await chat.say("i have the insulin at work")
    assert "I may have read this wrong" not in chat.text  # after telling of it, no hedge
    (reply,) = await chat.say("i mean it")
    assert reply.text.startswith(STILL_THERE) and "call 999" in reply.text


async def test_a_colleague_who_died_suddenly_is_grief_not_the_urgent_line(conversation: Conversation) -> None:
    chat = await met(conversation)
    reply = (await chat.say("my colleague collapsed and died in the staffroom yesterday"))[0]
    # the writer is bereaved: condolence and the bereavement line first (walk G, 2026-12-07)
    assert reply.text.startswith("I'm so sorry for your loss") and "ending your life" not in reply.text


async def test_after_a_colleagues_suicide_a_leaders_next_question_is_read_with_it(conversation: Conversation) -> None:
    # walk C, 2026-12-07: "how do i tell the team" had had tips for a team meeting
    await conversation.ensure_person("console:mo", "console", role="manager")
    chat = ChatDriver(conversation, "console:mo")
    await chat.say("hello")
    await chat.say("one of my nurses died by suicide over the weekend")
    (reply,) = await chat.say("how do i tell the team")
    assert "died by suicide" in reply.text and reply.links


async def test_a_third_walks_harm_to_others_and_to_the_writer_stays_about_them(conversation: Conversation) -> None:
    # walk D, 2026-12-07: "she's my friend tho" after a patient was slapped had had the script for a colleague at risk,
    # "i dont want to go to police" after a rape the support for suicidal feelings, and a leader asking how to get the
    # team to speak up about safety "it isn't your fault"
    chat = await met(conversation)
    await chat.say("saw an hca slap a patient on nights")
    (reply,) = await chat.say("she's my friend tho")
    assert reply.text.startswith("About what you told me") and "suicide" not in reply.text
    await conversation.ensure_person("console:bea", "console")
    chat = ChatDriver(conversation, "console:bea")
    await chat.say("hello")
    await chat.say("i was raped at the staff christmas do")
    (reply,) = await chat.say("i dont want to go to police")
    assert reply.text.startswith("These people can help") and "Rape Crisis" in reply.text
    assert "feeling like this" not in reply.text


async def test_after_abuse_the_routes_come_again_once_unasked_then_the_short_line(conversation: Conversation) -> None:
    # walk E, 2026-12-07: "its fine ill ask hr", after an ex turning up at work and "im scared to walk out after
    # nights", had had the whole list a third time; "who do i tell" still gets every route, whenever asked
    chat = await met(conversation)
    await chat.say("my ex keeps turning up in the hospital car park")
    (again,) = await chat.say("im scared to walk out after nights")
    assert again.text.startswith("These people can help") and "0808 2000 247" in again.text
    (short,) = await chat.say("its fine ill ask hr")
    assert short.private and "0808 2000 247" not in short.text and "“support”" in short.text
    (who,) = await chat.say("who do i tell")
    assert who.text.startswith("These people can help") and "0808 2000 247" in who.text


@pytest.mark.parametrize(
    "message",
    [
        # walk F, 2026-12-08: a hint of abuse at home, and a partner who checks the phone, had had burnout advice and
        # the workplace speaking-up list, with no domestic abuse helpline
        "does the trust get told if staff use the EAP? asking for reasons. things at home arent great and i dont feel "
        "safe there",
        "he checks my phone so i cant really ring anyone",
        "i dont feel safe in my own house anymore",
    ],
)
def test_not_feeling_safe_at_home_or_a_partner_checking_the_phone_puts_the_domestic_abuse_helpline_first(
    message: str,
) -> None:
    found = load_signposts().detector.assess(message)
    assert found is not None and found.first_routes == ("domestic-abuse",)


def test_not_wanting_to_make_it_worse_is_reluctance_not_a_risk_to_life() -> None:
    # walk H, 2026-12-08: a porter bullied by his supervisor had had the crisis list for this, then 999 again for "how
    # do i report it properly"; "i dont want to make it worse, i just want to die" keeps the urgent support
    detector = load_signposts().detector
    assert detector.assess("i dont want to make it worse, he does the rota") is None
    found = detector.assess("i dont want to make it worse, i just want to die")
    assert found is not None and found.level == "risk_to_life"


async def test_asked_how_to_report_it_after_bullying_the_routes_for_raising_it_come(conversation: Conversation) -> None:
    # walk H, 2026-12-08: after racist bullying (read as distress and a concern), "how do i report it properly" had had
    # "I'm still here", then with the routes again only the GP and Samaritans, no Guardian
    chat = await met(conversation)
    await chat.say("my supervisor keeps making comments about my accent and calls me names in front of the other "
                   "porters, been going on months. i dread coming in")
    (reply,) = await chat.say("how do i report it properly")
    assert reply.text.startswith("These people can help") and "Freedom to Speak Up Guardian" in reply.text


async def test_after_support_for_an_error_of_ones_own_what_happens_now_is_answered(conversation: Conversation) -> None:
    # walk J, 2026-12-08: "gave the wrong insulin dose last night … im terrified ill lose my pin" had had the distress
    # list, then "I'm still here" for "what happens now": the support opens for an error, staff support first, and the
    # question is read with the error
    chat = await met(conversation)
    (support,) = await chat.say("gave the wrong insulin dose last night, pt is ok now but im terrified ill lose my pin "
                                "and i cant stop shaking")
    assert support.text.startswith("That sounds frightening") and support.private
    assert [line for line in lines(support) if line.startswith("• ")][0].startswith("• Occupational health")
    await chat.say("what happens now")
    assert "just culture" in chat.text and "I'm still here" not in chat.text


async def test_after_distress_that_tells_how_someone_at_work_treats_them_their_questions_are_answered(
    conversation: Conversation,
) -> None:
    # walk J, 2026-12-08, and the eleventh session's walk: after "i cant cope anymore … my manager shouts at me" (the
    # distress list, the Guardian among it), "how do i raise it with her" had had "I'm still here", "can i move to
    # another ward" the other wording of it. Each is read with being treated badly at work, in words of ours; the same
    # section again gives the rest of it, then the line that the bot is still there
    chat = await met(conversation)
    (support,) = await chat.say("honestly i cant cope anymore, the ward is a nightmare and my manager shouts at me")
    assert "Freedom to Speak Up Guardian" in support.text and support.private
    await chat.say("how do i raise it with her")
    assert chat.text.startswith("It is not your fault or part of the job") and "dated record" in chat.text
    await chat.say("can i move to another ward")
    assert chat.text.startswith("More on that:") and "dated record" not in chat.text
    await chat.say("what if she finds out")
    assert chat.text.startswith(STILL_THERE) and "999" not in chat.text


async def test_a_risk_to_life_ruled_out_in_so_many_words_gets_support_and_the_answer_not_999(
    conversation: Conversation,
) -> None:
    # walks J and K, 2026-12-08: "im not going to hurt myself or anything im just knackered. how do i tell my manager im
    # not coping" had had "Please reach out now: 999 or A&E" and no answer, then 999 again for every question after
    chat = await met(conversation)
    replies = await chat.say("im not going to hurt myself or anything im just knackered. how do i tell my manager im "
                             "not coping without looking weak")
    assert "999" not in chat.text and "Samaritans" in replies[0].text  # the distress list, support first
    assert chat.text.index("Samaritans") < chat.text.index("HSE")  # … then how to tell the manager (stress at work)
    # more than what is ruled out still counts
    other = ChatDriver(conversation, "console:more-said")
    await other.say("hello")
    await other.say("im not going to hurt myself but ive got the pills ready")
    assert "999" in other.text


async def test_after_being_picked_on_what_they_say_of_her_and_ask_next_stays_with_them(
    conversation: Conversation,
) -> None:
    # walk K, 2026-12-08: after support for an HCA called useless by her sister, "how do i raise it with her, shes a b7
    # and everyone is scared of her" had had "You can support them to raise it" and the Ockenden report; "can i move
    # wards without it looking like im running away" the hedged list again and team away days
    chat = await met(conversation)
    await chat.say("the sister on my ward keeps having a go at me in front of pts and relatives, today she called me "
                   "useless at handover. ive been an hca 6 yrs and im dreading going in")
    await chat.say("how do i raise it with her, shes a b7 and everyone is scared of her")
    assert "support them to raise it" not in chat.text and "Ockenden" not in chat.text
    assert chat.text.startswith("It is not your fault or part of the job")
    await chat.say("should i go to hr or the freedom to speak up guardian")
    assert "Freedom to Speak Up Guardian" in chat.text
    await chat.say("can i move wards without it looking like im running away")
    assert "reading too much" not in chat.text and "away day" not in chat.text.lower()
    # an error of one's own told next is a new matter: answered, and what they ask about it is read with it (a walk
    # over HTTP, 2026-12-08: "I'm still here", then the line again for "will it go on my record")
    await chat.say("i gave the wrong dose of enoxaparin last night, pt fine")
    assert "NMC may not need to act" in chat.text
    await chat.say("will it go on my record")
    assert chat.text.startswith("_Read with your last question") and not chat.text.startswith(STILL_THERE)


async def test_after_an_error_of_ones_own_the_same_paragraph_is_not_given_again_and_again(
    conversation: Conversation,
) -> None:
    # walk K, 2026-12-08: after a wrong dose of enoxaparin, "do i have to do the datix myself", "what do i say at the
    # meeting with my matron tmrw" and "am i going to get struck off" had had the same paragraph word for word
    chat = await met(conversation)
    await chat.say("gave the wrong dose of enoxaparin tonight, 80 instead of 40. pt is ok, dr reviewed. i feel sick, "
                   "ive never made a mistake like this")
    said = []
    for question in ("will it go on my record", "do i have to do the datix myself",
                     "what do i say at the meeting with my matron tmrw"):
        await chat.say(question)
        said.append(chat.text)
    assert len(set(said)) == len(said)
    assert said[1].startswith("More on that:") and said[2].startswith(STILL_THERE)


async def test_asked_who_to_go_to_when_it_is_the_line_manager_the_routes_for_raising_it_come(
    conversation: Conversation,
) -> None:
    # walk K, 2026-12-08: after support for being shouted at by her manager, "shes my line manager so who do i even go
    # to" had had the rest of the section on being bullied ("lean on occupational health"), no Guardian
    chat = await met(conversation)
    await chat.say("my manager shouted at me in the office today in front of the students cos the off duty had a "
                   "gap. i just stood there shaking")
    await chat.say("what do i actually say to her next time")
    replies = await chat.say("shes my line manager so who do i even go to")
    assert replies[0].text.startswith("These people can help") and "Freedom to Speak Up Guardian" in replies[0].text
    assert "another senior person you trust" in replies[0].text and replies[0].private


def test_walk_j_a_student_and_a_band_5_afraid_to_report_find_the_protection_for_speaking_up() -> None:
    # walk J, 2026-12-08: a student told she would fail if she spoke had had advice for assessors, "will i get in
    # trouble if i report a doctor im only band 5" the section on witnessing poor care
    from knowledge import KnowledgeBase

    kb = KnowledgeBase.load()
    assert kb.answer("how do i raise it without failing my placement").section == "student-unsupported-on-placement"
    trouble = kb.answer("will i get in trouble if i report a doctor im only band 5")
    assert trouble.section in {"treated-badly-after-speaking-up", "speaking-up-how"}


def test_someone_elses_question_passed_on_is_no_statement_of_the_writers_own() -> None:
    # walk F, 2026-12-08: "shes asking if itll go on her record", after a question about a drug error, had had the
    # unsure line with the urgent numbers, which stayed for the next message
    assert load_signposts().detector.assess("shes asking if itll go on her record") is None


async def test_asked_who_to_report_it_to_after_harassment_the_routes_come_again(conversation: Conversation) -> None:
    # walk F, 2026-12-08: "who do i actually report it to if my manager is mates with him" had had the section on
    # managing friends
    chat = await met(conversation)
    await chat.say("theres a reg who keeps making comments about my body and stood really close to me in the sluice")
    (reply,) = await chat.say("who do i actually report it to if my manager is mates with him")
    assert reply.text.startswith("These people can help") and "Freedom to Speak Up Guardian" in reply.text


def test_a_leader_asking_how_to_get_the_team_to_speak_up_about_safety_gets_one_gentle_line() -> None:
    found = load_signposts().detector.assess("how do i get my team to speak up about safety concerns")
    assert found is not None and found.gentle


async def test_a_colleague_being_hit_at_home_gets_the_domestic_abuse_helpline_first(conversation: Conversation) -> None:
    # an admin's walk, 2026-12-07: "i think one of my team is being hit at home", typed while the announcement form
    # waited for a time, had had "I didn't understand that time"
    chat = await met(conversation)
    reply = (await chat.say("i think one of my team is being hit at home"))[0]
    assert reply.text.startswith("Thank you for telling me. What you describe is abuse") and reply.private
    assert [line for line in lines(reply) if line.startswith("• ")][0].startswith("• National Domestic Abuse Helpline")


async def test_a_bereaved_person_gets_condolence_and_their_questions_are_read_with_the_loss(
    conversation: Conversation,
) -> None:
    # walked 2026-12-07: "my dad passed away on tuesday" had been thanked for telling and answered about a falling-out;
    # "can i get more time off" next had had "I'm still here", "what do i say to my manager" the new managers' section
    chat = await met(conversation)
    replies = await chat.say("my dad passed away on tuesday")
    assert replies[0].private and replies[0].text.startswith("I'm so sorry for your loss")
    assert lines(replies[0])[1].startswith("• Cruse Bereavement Support, 0808 808 1677")
    assert "999" not in replies[0].text
    await chat.say("can i get more time off")
    assert "Agenda for Change sets no fixed number of bereavement days" in chat.text
    assert "still here" not in chat.text and "999" not in chat.text
    await chat.say("what do i say to my manager")
    assert "tell your manager what you need" in chat.text
    # leave for the funeral is the bereaved's own answer, not an everyday leave request declined
    await chat.say("do i have to use annual leave for the funeral")
    assert "I can't help with that" not in chat.text


async def test_waving_it_away_after_support_gets_the_bot_still_there(conversation: Conversation) -> None:
    # walk E, 2026-12-07: "its fine" after "i want to kill myself" had had "OK. I'm here whenever you need me", "its
    # fine forget it" after diazepam taken to sleep a menu asking whether "cancel" was meant
    for dismissal in ("its fine", "its fine forget it", "nvm"):
        chat = ChatDriver(conversation, f"console:u-{len(dismissal)}")
        await chat.say("hello")
        await chat.say("i want to kill myself")
        await chat.say(dismissal)
        assert chat.text.startswith(STILL_THERE) and "999" in chat.text, dismissal


async def test_a_weak_match_after_support_is_not_answered_with_something_unrelated(conversation: Conversation) -> None:
    # walk E, 2026-12-07: after self-harm, "what do i say if someone sees my arm" had had Kark's recommendations; after
    # a rape, "what if people at work find out" DP:IC
    chat = await met(conversation)
    await chat.say("cut myself again in the staff toilet on my break")
    await chat.say("what do i say if someone sees my arm")
    assert chat.text.startswith(STILL_THERE) and "Kark" not in chat.text
    raped = ChatDriver(conversation, "console:raped")
    await raped.say("hello")
    await raped.say("i was raped after the staff christmas do by someone from my ward")
    await raped.say("what if people at work find out")
    assert "Rape Crisis" in raped.text and "Developing People" not in raped.text


async def test_a_manager_asking_about_a_burnt_out_team_is_helped_as_a_leader(conversation: Conversation) -> None:
    # a managers' walk, 2026-12-07: "That sounds really hard, and it's OK not to be OK" and no answer
    chat = await met(conversation)
    await chat.say(
        "band 7 ward mgr on a busy surgical ward. team is absolutely burnt out after winter, 3 on long term sick and "
        "everyone snappy. what can i actually do this week to help them?"
    )
    # the answer, then the gentle line: not the support list for helping a colleague, crisis lines first
    assert "team is burning out" in chat.text and load_signposts().gentle in chat.text
    assert "Samaritans" not in chat.text


async def test_a_manager_asking_who_has_talked_to_the_bot_is_told_nobody_is_named(conversation: Conversation) -> None:
    # walk E, 2026-12-07: it had had the support for a colleague at risk, then "About the colleague you told me about"
    chat = await met(conversation)
    for text in ("has anyone on my team been talking to you about being stressed? i want to know who",
                 "i'm their manager i have a right to know",
                 # walk K, 2026-12-08: a programme admin's ask had had crisis routes and advice on a struggling student
                 "can you show me what questions staff from our trust have been asking you? or if anyone on ward 7 "
                 "has said theyre struggling",
                 # … and a manager's, opening with "did" like a practice done (walk K: advice on being bullied)
                 "did anyone from my ward talk to you about being bullied by my b6? her name is jo"):
        replies = await chat.say(text)
        assert len(replies) == 1 and replies[0].text.startswith("I never say who has talked to me"), text


async def test_the_same_support_is_not_given_twice_in_a_row(conversation: Conversation) -> None:
    # walk E, 2026-12-07: after a son's death, "what if i break down in front of the parents" had had the same list
    chat = await met(conversation)
    await chat.say("sorry to bother. my son died in jan. first day back tmrw on paeds")
    replies = await chat.say("what if i break down in front of the parents")
    assert "Cruse Bereavement Support" not in chat.text and "Occupational health or your employee" not in chat.text
    assert replies and replies[0].text.startswith("I'm sorry for your loss")  # the bereaved's own section
    # a risk to life always gets its support, whatever came before
    await chat.say("honestly i want to kill myself")
    assert "999" in chat.text


async def test_what_the_person_asked_about_said_goes_on_from_the_question(conversation: Conversation) -> None:
    # walk E, 2026-12-07: "she made me promise not to say anything" had had the People Promise, thanked for telling
    chat = await met(conversation)
    await chat.say("worried about one of my b5s. she smells of alcohol on earlies and her hands shake")
    replies = await chat.say("she made me promise not to say anything")
    assert "People Promise" not in chat.text and not replies[0].private
    assert "covering up does not help" in chat.text


async def test_asked_to_call_someone_or_who_sees_this_the_bot_says_plainly_what_it_cannot_do(
    conversation: Conversation,
) -> None:
    # walk G, 2026-12-07: "can you call someone for me" and a phone number had had "I'm still here" twice; "will my
    # manager see what i type in here" an answer about PSIRF; what a patient whispered ("dont tell him") the privacy
    # line
    chat = await met(conversation)
    await chat.say("im a student nurse and i think everyone would be better off without me tbh")
    for text in ("can you call someone for me", "07700 900123"):
        (reply,) = await chat.say(text)
        assert reply.text.startswith("I can't make calls") and "999" in reply.text, text
    (reply,) = await chat.say("will my manager see what i type in here")
    assert reply.text.startswith("I haven't told anyone")
    other = ChatDriver(conversation, "console:midwife")
    await other.say("hello")
    await other.say("a woman i'm caring for said her husband doesnt let her go anywhere without him")
    await other.say("she whispered dont tell him")
    assert not other.text.startswith("I haven't told anyone")


async def test_a_child_hurt_at_home_puts_the_safeguarding_team_before_the_helpline(conversation: Conversation) -> None:
    # walk I, 2026-12-07: "being hurt at home" had put the domestic abuse helpline and its opening ("What you describe
    # is abuse, and it isn't your fault") first, as if the HCA were the victim
    chat = await met(conversation)
    said = "think a kid on our ward is being hurt at home, bruises dont match the story mum gives"
    (support, *_) = await chat.say(said)
    assert support.text.startswith("Thank you for speaking up for them")
    assert lines(support)[1].startswith("• Your organisation's safeguarding team")


async def test_the_line_that_says_the_bot_is_still_there_is_never_the_same_twice_in_a_row(
    conversation: Conversation,
) -> None:
    # walks E, G and I, 2026-12-07: "its fine", "why do you care" and "ok" after "i want to kill myself" had had the
    # identical line each time, which read like a machine; each wording still gives 999 and Samaritans
    chat = await met(conversation)
    await chat.say("i want to kill myself")
    said = []
    for text in ("its fine", "why do you care", "ok", "lol"):
        (reply,) = await chat.say(text)
        assert "999" in reply.text and "116 123" in reply.text, text
        said.append(reply.text)
    assert all(a != b for a, b in zip(said, said[1:], strict=False))


async def test_a_new_starter_who_feels_left_out_and_asks_for_tips_gets_the_answer_after_the_support(
    conversation: Conversation,
) -> None:
    # walk A, 2026-12-07: a new HCA asking for tips had had the distress list alone, then, for "what can i do to fit
    # in", the fit and proper person test
    chat = await met(conversation)
    replies = await chat.say(
        "hiya im a new hca started 3 wks ago on a surgical ward, everyone has there little groups and i feel a bit "
        "left out at break, any tips"
    )
    support = load_signposts().levels["distress"].opening
    assert replies[0].private and chat.text.startswith(support)  # the support first, as the words were read
    assert "sit with people at break" in chat.text  # then the answer
    await chat.say("lol im not in crisis its just a bit awkward. what can i actually do to fit in")
    assert "Fit and Proper" not in chat.text and "belong" in chat.text


async def test_how_long_a_colleague_has_worked_here_is_no_risk_to_life(conversation: Conversation) -> None:
    # walk B, 2026-12-07: "shes been here way longer than me" had had 999 and Samaritans for a colleague at risk, and
    # "what do i actually say to her" next the script for asking about suicide
    chat = await met(conversation)
    replies = await chat.say(
        "one of the team keeps missing deadlines for her notes and discharge letters, and shes been here way longer "
        "than me. how do i raise it"
    )
    assert "999" not in chat.text and "Samaritans" not in chat.text
    assert replies and not replies[0].private


async def test_who_to_talk_to_after_a_risk_to_life_gets_the_routes_whatever_was_answered_between(
    conversation: Conversation,
) -> None:
    # walk D, 2026-12-07: "who do i even talk to", after "everyone would be better off without me" and a question about
    # just culture answered between, had had the return-to-work section
    chat = await met(conversation)
    await chat.say("made a drug error on nights, patient ok but could of been bad")
    await chat.say("everyones going to know. honestly everyone would be better off without me")
    await chat.say("what happens now, is there a just culture thing or am i getting struck off")
    await chat.say("who do i even talk to")
    assert "Samaritans" in chat.text and "return-to-work" not in chat.text


async def test_after_support_a_model_read_mildly_what_follows_is_answered_as_any_message(
    conversation: Conversation,
) -> None:
    # walk D, 2026-12-07: "bit of a silly one but i feel a bit left out on my ward" then had "I'm still here" for
    # "any tips" and for "its not that deep lol just want to fit in"
    chat = await met(conversation)
    await chat.say("bit of a silly one but i feel a bit left out on my ward")
    replies = await chat.say("its not that deep lol just want to fit in, any tips")
    assert not chat.text.startswith(STILL_THERE) and "999" not in chat.text
    assert "belong" in chat.text and not replies[0].private


async def test_a_how_to_question_about_a_concern_at_work_gets_the_support_and_the_answer(
    conversation: Conversation,
) -> None:
    # the issue's own example (and a final walk, 2026-12-07): "how do i raise a concern about unsafe staffing" had had
    # the speaking-up list alone; the support and the answer come as one reply, support first
    chat = await met(conversation)
    replies = await chat.say("how do i raise a concern about unsafe staffing")
    assert replies[0].private and "Freedom to Speak Up Guardian" in replies[0].text
    assert chat.text.index("Freedom to Speak Up Guardian") < chat.text.index("raise a concern straight away")
    assert any(reply.links for reply in replies)  # the answer's source


async def test_a_leader_telling_of_rudeness_in_their_team_gets_the_answer_after_the_support(
    conversation: Conversation,
) -> None:
    # issue 16's own example, on a final walk (2026-12-07): the speaking-up list for helping a colleague had come alone,
    # and "im a band 5 nurse and want to get into leadership" next had had "It's kind of you to think about how this
    # lands for them"
    chat = await met(conversation)
    await chat.say("a nurse on my ward is being rude to the juniors")
    assert "Freedom to Speak Up Guardian" in chat.text and "civility" in chat.text
    await chat.say("im a band 5 nurse and want to get into leadership")
    assert "Edward Jenner" in chat.text and "lands for them" not in chat.text
    # … while a statement still about her gets that line, not an answer guessed from its words ("i dont want to get
    # her in trouble tho" had had swarm huddles: a review walk, 2026-12-07)
    await chat.say("a nurse on my ward is being rude to the juniors")
    await chat.say("i dont want to get her in trouble tho")
    assert "lands for them" in chat.text and "swarm" not in chat.text
