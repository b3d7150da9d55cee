"""The safeguarding check, as a specification: what it notices, what it leaves alone, and its content file."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeBase, KnowledgeError, load_practices, load_prompts
from knowledge.safeguarding import Assessment, Safeguarding
from knowledge.safeguarding_meaning import MEANING_FILE, load_meaning_model
from knowledge.signposts import DEFAULT_PATH, load_signposts

FACTS = Path(__file__).resolve().parents[2].parent / "shared" / "knowledge" / "safeguarding-sources.md"
# Sources whose fact is not (yet) an entry of the shared facts file, and why.
FACTS_TO_ADD = {
    "staff-support": "occupational health and EAP: recorded here with its page, to add to the facts",
    "domestic-abuse": "the helpline: in docs/sources/situations-facts.md (NHS England, Refuge), to add to the facts",
    "rethink-helping": "helping someone at risk: in docs/sources/situations-facts.md 52 (Rethink), to add to the facts",
    "safeguarding": "a child or patient at risk: in docs/sources/situations-facts.md 53 (NHS England, NSPCC), to add",
    "sexual-violence": "in docs/sources/situations-facts.md 53 (Rape Crisis, NHS England SARCs), to add to the facts",
    "bereavement": "Cruse's helpline and bereavement leave: in docs/sources/situations-facts.md 35b and 56, to add",
}


@pytest.fixture(scope="module")
def check() -> Safeguarding:
    return load_signposts().detector


def level(check: Safeguarding, text: str) -> str | None:
    """The level of full support a text gets ("gentle" for the gentle line, None for nothing)."""
    found = check.assess(text)
    return None if found is None else "gentle" if found.gentle else found.level


@pytest.mark.parametrize(
    "text",
    ["I CAN'T COPE", "i cant cope", "i cannot cope", "i can’t cope!!", "I can not cope."],
)
def test_case_apostrophes_and_punctuation_do_not_matter(check: Safeguarding, text: str) -> None:
    assert level(check, text) == "distress"


@pytest.mark.parametrize(
    ("british", "american", "expected"),
    [
        ("i feel traumatised", "i feel traumatized", "distress"),
        ("im being victimised for speaking up", "im being victimized for speaking up", "concern"),
    ],
)
def test_british_and_american_spellings_match_alike(
    check: Safeguarding, british: str, american: str, expected: str
) -> None:
    assert level(check, british) == level(check, american) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("im suicdal", "risk_to_life"), ("i want to kil myself", "risk_to_life"), ("being harrased at work", "concern"),
     ("so overwhelemed", "distress"), ("wnat to die", "risk_to_life")],
)  # fmt: skip
def test_common_misspellings_are_recognised(check: Safeguarding, typed: str, expected: str) -> None:
    assert level(check, typed) == expected


def test_real_words_are_never_taken_for_misspellings(check: Safeguarding) -> None:
    # "homeless" is one letter from "hopeless", "overdone" from "overdose": both are words, so left alone.
    assert check.assess("we look after homeless patients, is there guidance on discharge") is None
    assert check.assess("the presentation was overdone, how do I keep it short") is None


@pytest.mark.parametrize("text", ["he is bullying me", "i was bullied", "they bully me every shift", "she bullies me"])
def test_inflections_match(check: Safeguarding, text: str) -> None:
    assert level(check, text) == "concern"


@pytest.mark.parametrize(
    "text",
    ["suicide prevention training for managers", "how do I reduce bullying in my team",
     "what counts as harassment under our policy", "signs of burnout in staff"],
)  # fmt: skip
def test_a_topic_asked_about_gets_the_gentle_line_not_the_list(check: Safeguarding, text: str) -> None:
    assert level(check, text) == "gentle"


def test_a_phrase_counts_even_inside_a_question(check: Safeguarding) -> None:
    assert level(check, "how do I get through tonight, I want to kill myself") == "risk_to_life"
    assert level(check, "what should I do, I'm being bullied by my manager") == "concern"


@pytest.mark.parametrize(
    "text",
    ["this rota is killing me, how do I plan it better?", "I could murder a coffee", "dying to know the results",
     "I cut myself on the kettle this morning", "we smashed it, absolutely killed it",
     "whats the point of the code of practice if its not mandatory"],
)  # fmt: skip
def test_idioms_and_accidents_are_left_alone(check: Safeguarding, text: str) -> None:
    assert check.assess(text) is None


def test_the_point_of_a_thing_is_not_the_point_of_living(check: Safeguarding) -> None:
    assert level(check, "whats the point of the code of practice if its not mandatory") is None
    assert level(check, "whats the point of me") == level(check, "what is the point of living") == "risk_to_life"


def test_the_same_words_on_purpose_are_not(check: Safeguarding) -> None:
    assert level(check, "I cut myself on purpose after shifts") == "risk_to_life"


@pytest.mark.parametrize(
    ("text", "third_person"),
    [("a colleague told me she wants to end it all", True), ("I want to end it all", False),
     ("my colleague keeps saying everyone would be better off without him", True),
     ("everyone would be better off without me", False), ("one of my team is completely burnt out", True),
     ("my colleague is being bullied by our manager", True), ("I saw a colleague abusing a patient", False),
     ("a colleague is coming to work drunk", False), ("my team seem burnt out, and nothing i do helps", True),
     ("the whole ward is exhausted and nobody cares", True), ("im burnt out and my team dont notice", False),
     # "them" and "him" as objects are often things or others acted on; the subject says who it is about
     ("i gave away my stethoscope and my insulin, wont be needing them", False),
     ("my colleague said she wont be needing them anymore and gave away her stuff", True),
     # someone named ("my friend", "one of my hcas"), not friends in general; harassed, not harassing
     ("my friend on the ward is being sexually harassed by a registrar and is scared to report it", True),
     ("one of my hcas hasnt slept since the cardiac arrest and keeps shaking", True),
     ("everything feels too much, stopped seeing friends, stopped eating", False),
     ("a colleague keeps shouting at me in front of patients", False)],
)  # fmt: skip
def test_a_message_about_someone_else_is_told_apart(check: Safeguarding, text: str, third_person: bool) -> None:
    found = check.assess(text)
    assert found is not None and not found.gentle and found.third_person is third_person


@pytest.mark.parametrize(
    "text",
    [
        # a risk to life said without any of the phrases: two cues met in one message
        "been stockpiling my zopiclone for a while now",
        "gave away my stethoscope and all my books today. wont be needing them",
        "ive written letters for my kids just in case",
        "keep thinking about just swerving into the central reservation on the m6 after a long day",
        "i dont know how to go on",
        "my registrar keeps joking about topping himself but i dont think its a joke anymore",
    ],
)
def test_a_risk_to_life_said_indirectly_is_found(check: Safeguarding, text: str) -> None:
    assert level(check, text) == "risk_to_life"


@pytest.mark.parametrize(
    "text",
    [
        "where do we store the insulin pens once the patient is discharged",  # one cue, about a patient
        "the patient took an overdose of paracetamol, what is the plan for the night",  # a patient's care
        "need a difficult convo with one of my team, any tips on how to do it without it blowing up",
        "dying to hear what the board decided",  # a cue inside an idiom
        "whats the naloxone dose for opioid overdose IM",  # two medicines named are one cue
        "when is the 2026 afc pay rise getting backdated",  # backdated pay, not backdated notes
    ],
)
def test_cues_about_a_patient_or_everyday_words_are_not_a_risk(check: Safeguarding, text: str) -> None:
    assert level(check, text) != "risk_to_life" and level(check, text) != "concern"


def test_one_strong_cue_in_a_statement_of_ones_own_gets_the_unsure_line(check: Safeguarding) -> None:
    found = check.assess("i keep a little bag of blades in my locker")
    assert found is not None and found.unsure and found.level == "risk_to_life"
    # not a question, not about a patient, not someone else's plain work
    assert check.assess("where do we keep the blades for the suture packs?") is None
    assert check.assess("my patient keeps a bag of blades in his locker") is None
    assert "116 123" in load_signposts().unsure and "999" in load_signposts().unsure
    # a medicine given as part of care is the patient's, named or not: a drug error, not a means of the writer's own
    assert check.assess("i gave the wrong dose of insulin, what dose should i give now") is None
    assert check.assess("drug error on the morning round, i gave the insulin twice") is None
    assert level(check, "been thinking about the insulin in my fridge and how much it would take") == "risk_to_life"
    assert level(check, "i gave myself an extra dose of insulin last night on purpose") == "risk_to_life"
    assert level(check, "gave away my stethoscope and my insulin, wont be needing them") == "risk_to_life"


def test_a_drug_error_that_haunts_someone_is_distress_not_a_risk_to_life(check: Safeguarding) -> None:
    # walked 2026-12-07: "wrong meds", "think about it" and "properly" had read as three cues of a plan, and the nurse
    # was given 999 first and no answer to how to own the mistake
    assert level(
        check,
        "gave the wrong pt the wrong meds on nights last week, caught it quick, no harm, did a datix. now i cant stop "
        "thinking about it and dont know how to face the team. how do i own a mistake properly",
    ) == "distress"
    assert level(check, "i gave the insulin twice by mistake, cant stop thinking about it") == "distress"
    assert check.assess("i gave the insulin twice by mistake") is None
    # the writer's own dose stays a risk to life, whatever words it shares with a drug error
    assert level(check, "i took the wrong meds on purpose last night") == "risk_to_life"
    assert level(check, "gave myself the wrong dose on purpose") == "risk_to_life"


def test_oversleeping_for_a_shift_is_not_a_wish_not_to_wake(check: Safeguarding) -> None:
    assert check.assess("nearly didnt wake up for my next shift") is None
    assert check.assess("so tired after 4 nights i nearly didnt wake up for my alarm, how do people cope") is None
    assert level(check, "i hope i dont wake up for my shift tomorrow") == "risk_to_life"
    assert level(check, "i took all my meds last night and nearly didnt wake up") == "risk_to_life"
    assert level(check, "i wish i didnt wake up") == "risk_to_life"


def test_the_risk_model_reads_what_no_phrase_lists_and_leaves_work_questions_alone(check: Safeguarding) -> None:
    said = "looked up how long it takes for someone to be found in a flat when they live alone. asking for me"
    assert check.risk_chance(check.wording.words(said)) >= 0.7 and level(check, said) == "risk_to_life"
    for question in ("how do i run a good one to one with my band 5s", "what is the code of practice for managers"):
        assert check.risk_chance(check.wording.words(question)) < 0.5 and level(check, question) is None
    assert level(check, "I cut myself on the kettle this morning") is None  # an accident: the model does not read it


def test_each_level_has_a_model_of_its_words(check: Safeguarding) -> None:
    for level, said in (
        ("distress", "cant sleep, keep replaying the arrest from tuesday"),
        ("concern", "was told not to datix the fall because it would make the ward look bad"),
    ):
        assert check.chance(level, check.wording.words(said)) >= 0.7
    question = check.wording.words("how do i make appraisals useful for my team")
    assert all(check.chance(level, question) < 0.5 for level in ("risk_to_life", "distress", "concern"))


def test_every_level_found_is_kept_most_urgent_first(check: Safeguarding) -> None:
    assert check.assess("im being bullied and i want to end it all") == Assessment(
        "risk_to_life", levels=("risk_to_life", "concern")
    )


@pytest.mark.parametrize("text", ["", "   ", "hello", "checkin every friday at 16:00", "1234", "?!"])
def test_ordinary_messages_get_nothing(check: Safeguarding, text: str) -> None:
    assert check.assess(text) is None


def test_no_value_the_bot_puts_on_a_button_sets_it_off(check: Safeguarding, kb: KnowledgeBase) -> None:
    # Buttons come back as Action values, which are checked like what people type.
    ids = [t.id for t in kb.topics()] + [p.id for p in load_practices()]
    prompts = load_prompts()
    ids += [p.id for p in prompts.reflection + prompts.manager]
    assert [i for i in ids if check.assess(i) is not None] == []


def test_every_route_rests_on_a_source_of_the_safeguarding_facts() -> None:
    signposts = load_signposts()
    assert {route.source for route in signposts.routes} <= set(signposts.sources)
    if not FACTS.exists():
        pytest.skip(f"the shared facts file is not beside this checkout ({FACTS})")
    facts = FACTS.read_text(encoding="utf-8")
    missing = [s.id for s in signposts.sources.values() if f"- {s.fact}" not in facts and s.id not in FACTS_TO_ADD]
    assert missing == []


def test_risk_to_life_puts_999_and_samaritans_first() -> None:
    signposts = load_signposts()
    for colleague in (False, True):
        assert [r.id for r in signposts.routes_for("risk_to_life", colleague=colleague)][:2] == [
            "emergency",
            "samaritans",
        ]
    assert signposts.routes_for("concern")[0].id == "speak-up-guardian"
    assert signposts.routes_for("distress")[0].id == "staff-support"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "signposts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


LOCAL = """\
local_contacts:
  - name: "Sam Rivers, our Guardian"
    detail: "extension 4321"
    levels: [concern]
    after: speak-up-guardian
"""


def test_an_organisation_adds_its_own_contacts_without_code(tmp_path: Path) -> None:
    shipped = DEFAULT_PATH.read_text(encoding="utf-8")
    signposts = load_signposts(write(tmp_path, shipped.replace("local_contacts: []\n", LOCAL)))
    assert [r.name for r in signposts.routes_for("concern")][:2] == [
        "Your Freedom to Speak Up Guardian",
        "Sam Rivers, our Guardian",
    ]
    assert "Sam Rivers, our Guardian" not in [r.name for r in signposts.routes_for("distress")]
    assert "Sam Rivers, our Guardian" in [r.name for r in signposts.every_route()]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("    source: samaritans\n", "    source: nowhere\n"), "source 'nowhere' is not listed under sources"),
        (("    routes: [emergency, samaritans,", "    routes: [emergency, samaritan,"),
         "routes must name listed routes (unknown: samaritan)"),
        (("      - kill <self>\n", "      - kill <yourself>\n"), "'kill <yourself>': unknown slot <yourself>"),
        (("      - end it all\n", "      - end it / all\n"), "has no word in it"),
        (("local_contacts: []\n", LOCAL.replace("after: speak-up-guardian", "after: nobody")),
         "after must name a listed route, not 'nobody'"),
        (("local_contacts: []\n", LOCAL.replace("[concern]", "[worry]")), "levels must be some of"),
    ],
)  # fmt: skip
def test_a_mistake_in_the_content_names_file_and_line(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    shipped = DEFAULT_PATH.read_text(encoding="utf-8")
    assert change[0] in shipped
    path = write(tmp_path, shipped.replace(change[0], change[1], 1))
    with pytest.raises(KnowledgeError, match=r"signposts\.yaml line \d+: ") as caught:
        load_signposts(path).detector  # noqa: B018 - building the detector compiles the phrases
    assert message in str(caught.value)


def test_a_concern_raised_about_the_writer_is_not_one_they_raise(check: Safeguarding) -> None:
    # no "it isn't your fault" support list: the question is answered (the section on a concern raised about you)
    assert check.assess("someone raised a concern about me to the freedom to speak up guardian, gutted") is None
    assert level(check, "my manager keeps making complaints about me to HR to get rid of me, its bullying") == "concern"
    assert level(check, "she reported me to my manager for no reason and everyone is ganging up on me") == "concern"
    # two everyday words are not two cues of a plan ("about me", "ignoring me")
    assert check.assess("a patient's relative made a complaint about me and now my manager is ignoring me") is None


@pytest.mark.parametrize(
    "text",
    [
        "sorted who gets my dog, feel strangely calm now",  # affairs put in order, then calm
        "whats the quickest way. asking for me not a patient",  # "not a patient": the writer's own
        "took some oramorph wastage home. havent used it. yet",
        "my family would be worth more dead, the life insurance would sort them",
    ],
)
def test_a_plan_put_in_work_or_family_words_gets_the_full_support(check: Safeguarding, text: str) -> None:
    assert level(check, text) == "risk_to_life"


@pytest.mark.parametrize(
    "text",
    [
        "insulin given twice to bed 6 by mistake, how do i report it",  # a drug error in care
        "ideas for a wobble room for my team",  # a room to take a moment in, not a wobble
        "pt with a paracetamol overdose on the ward, when do we restart the acetylcysteine",
    ],
)
def test_care_and_wellbeing_work_get_no_support_list(check: Safeguarding, text: str) -> None:
    assert level(check, text) in (None, "gentle")


def test_an_idiom_does_not_get_the_unsure_line_but_a_bed_number_is_not_a_patient(check: Safeguarding) -> None:
    assert check.assess("im dying for a brew") is None  # "dying for" is an idiom: no "are you thinking of ending…"
    assert check.assess("I'm dying for a holiday") is None
    # how long something takes (the eleventh session's walk: "i have dyslexia and the notes take me forever, can i ask
    # for anything" had had the unsure line, then 999 for every question after it); going for ever still counts
    assert check.assess("i have dyslexia and the notes take me forever, can i ask for anything") is None
    assert check.assess("writing up my notes takes forever") is None
    gone = check.assess("i wrote notes to my kids, ill be gone forever")
    assert gone is not None and gone.level == "risk_to_life" and not gone.unsure
    # whether an error counts as a never event asks about the subject (the gentle line), but telling of one, or asking
    # whether being picked on counts as bullying, still gets the speaking-up list
    counts = check.assess("does it count as a never event")
    assert counts is not None and counts.gentle
    for told in ("we had a never event in theatre", "does it count as bullying if she only does it to me"):
        found = check.assess(told)
        assert found is not None and found.level == "concern" and not found.gentle, told
    assert check.assess("the printer on ward 4 is dead again who do i call") is None  # a thing that died
    found = check.assess("my phone died and i couldnt ring for help, i took all my tablets")  # still full support
    assert found is not None and found.level == "risk_to_life" and not found.unsure
    found = check.assess("went to bed 2 hours ago, still awake, got my pills lined up")  # not "bed 2" on a ward
    assert found is not None and found.level == "risk_to_life"


def test_harm_a_colleague_came_in_with_is_support_for_helping_her(check: Safeguarding) -> None:
    found = check.assess("one of my hcas came in with a black eye again and said she walked into a door")
    assert found is not None and found.level == "concern" and found.third_person
    assert found.first_routes == ("domestic-abuse",)
    mine = check.assess("partner threw a plate at me last night, got a bruise ive covered with my sleeve")
    assert mine is not None and not mine.third_person and mine.first_routes == ("domestic-abuse",)


def test_distress_said_without_its_usual_words_is_read_by_its_meaning(check: Safeguarding) -> None:
    # Written for this test (2026-12-07), in no table: no phrase, cue or word model of the words alone finds it
    lying = "every night after the ward i just lie on the floor and stare at the ceiling"
    assert Safeguarding(load_signposts(), meaning=False).assess(lying) is None
    found = check.assess(lying)
    assert found is not None and found.level == "distress" and not found.gentle and not found.unsure
    assert not found.third_person


def test_the_meaning_leaves_everyday_messages_alone(check: Safeguarding) -> None:
    for text in (
        "our team won the quality award today, so proud",
        "tired but ok",
        "Today went better than I feared",
        "how do i book annual leave over christmas",
        "i keep forgetting my smartcard, any tips",
        "can you remind me to do my reflection on friday",
    ):
        assert check.assess(text) is None, text
    # the sentence model is not even asked when the words give no level more than a small chance
    signposts = load_signposts()
    model = load_meaning_model(signposts.path.with_name(MEANING_FILE))
    assert model is not None
    for text in ("hello", "how do i book annual leave", "checkin", "yes", "more"):
        assert check.meaning_gate(text) < model.gate, text


def test_fear_at_a_partners_call_is_abuse_at_home(check: Safeguarding) -> None:
    # A ward manager's words on a walk (2026-12-07): it had been answered with a talent-management section
    found = check.assess(
        "one of my band 5s has gone really quiet, eats lunch in her car and flinches when her partner rings, "
        "what do i do"
    )
    assert found is not None and found.level == "concern" and found.third_person
    assert found.first_routes == ("domestic-abuse",)
    mine = check.assess("i jump every time my husband texts, is that normal")
    assert mine is not None and not mine.third_person and mine.first_routes == ("domestic-abuse",)
    assert check.assess("my husband rings when hes on his way home so i can put the tea on") is None


@pytest.mark.parametrize(
    "message",
    [
        "my partner takes my wages and i have to ask for money for lunch",
        "i have to ask my husband for money for petrol",
        "my boyfriend keeps my bank card so i cant buy anything",
    ],
)
def test_money_kept_by_a_partner_is_abuse_at_home(check: Safeguarding, message: str) -> None:
    # Economic abuse told as what happens (probes written on 2026-12-07; the first had got nothing, the third a crisis
    # list for a risk to life from the meaning alone)
    found = check.assess(message)
    assert found is not None and found.level == "concern" and not found.third_person
    assert found.first_routes == ("domestic-abuse",)


def test_a_partner_doing_everyday_things_with_money_or_cards_is_not_abuse(check: Safeguarding) -> None:
    for message in (
        "my partner takes the kids to school so i can do earlies",
        "my wife keeps my spare card in her purse",
        "had to ask my partner for a lift because the car broke",
        "my husband takes all the bins out on a sunday",
    ):
        assert check.assess(message) is None, message


@pytest.mark.parametrize(
    ("message", "level", "at_home"),
    [
        # set P (written blind, then read): control at home, detriment and cover-ups told as what happened
        ("husband goes through my phone every night when i get in, wants to know who every name is", "concern", True),
        ("found a tracker on my car when the garage did the mot. only he could have put it there", "concern", True),
        ("sleep with my work bag by the front door in case i need to get out quick in the night", "concern", True),
        ("got told the unexpected death doesnt need a datix because we dont want another investigation", "concern",
         False),
        ("raised concerns about staffing in maternity and now im suddenly on a performance plan", "concern", False),
        ("smiling at pts all day and completely dead inside", "distress", False),
        ("stood right on the edge of the platform for ages this morning. only stepped back because the train was late",
         "risk_to_life", False),
    ],
)  # fmt: skip
def test_what_happened_is_read_without_the_usual_words(
    check: Safeguarding, message: str, level: str, at_home: bool
) -> None:
    found = check.assess(message)
    assert found is not None and found.level == level and not found.gentle and not found.unsure
    assert ("domestic-abuse" in found.first_routes) == at_home


def test_look_alikes_of_those_are_left_alone(check: Safeguarding) -> None:
    for message in (
        "i went through my emails on the train this morning",
        "we had jokes made about the christmas jumpers all day",
        "the baby shower was lovely, i ended up crying at the speeches",
        "i keep replaying the match in my head, what a goal",
        "he hasnt been the same since he got his new car lol",
        "the new datix form is so slow, does it need a datix number for near misses",
        "we dont want another investigation to take a year like the last one, how do we keep psirf reviews short",
    ):
        found = check.assess(message)
        assert found is None or found.gentle or found.unsure, message


def test_banter_about_being_finished_off_is_an_idiom_but_wanting_it_is_not(check: Safeguarding) -> None:
    for message in (
        "i will murder whoever keeps nicking my pens",
        "my team are brilliant but the tea orders alone will finish me off",
        "my pt said ill be the death of him if i keep making him walk, he was laughing",
    ):
        assert check.assess(message) is None, message
    found = check.assess("this job will be the death of me and honestly i want it to be")
    assert found is not None and found.level == "risk_to_life"


def test_going_out_and_a_bad_day_laughed_off_are_not_an_ending(check: Safeguarding) -> None:
    # "before they go out" had got the unsure line that names suicide (the cue "before <i> go"), and "so done with
    # this job today lol" the distress list; the same words said in earnest still get their support
    for message in (
        "my manager reads all my emails before they go out",
        "before she goes home she always checks the rota",
        "so done with this job today lol",
    ):
        assert check.assess(message) is None, message
    for message, level in (
        ("before i go i wanted to say thanks for everything", "risk_to_life"),
        ("im so done with this job", "distress"),
        ("im so done with this job today", "distress"),
        ("my husband reads all my emails before they go out", "concern"),
    ):
        found = check.assess(message)
        assert found is not None and found.level == level, message


def test_text_speak_spellings_are_read_as_the_words(check: Safeguarding) -> None:
    # walked 2026-12-07: with "thru" and "nite" this had got the distress list, not abuse at home
    found = check.assess("husband goes thru my phone every nite when i get in, is that normal")
    assert found is not None and found.level == "concern" and found.first_routes == ("domestic-abuse",)


def test_being_done_with_the_job_is_distress_but_done_with_a_shift_is_not(check: Safeguarding) -> None:
    # walked 2026-12-07: "im so done with this place" had been thanked for telling and offered a check-in
    for message in ("im so done with this place", "i am done with nursing", "i am done with the nhs"):
        found = check.assess(message)
        assert found is not None and found.level == "distress", message
    assert check.assess("im done with my shift, off home now") is None
    # a phrase's alternatives are single words: "postmortem" and "autopsy" are their own phrase
    found = check.assess("would insulin show up on an autopsy, asking for me")
    assert found is not None and found.level == "risk_to_life"


def test_a_death_by_suicide_told_is_grief_and_wanting_to_follow_or_nearly_dying_is_a_risk_to_life(
    check: Safeguarding,
) -> None:
    for message in (
        "one of my hcas killed herself last week",
        "my colleague took his own life and i cant stop thinking about it",
        "we lost a colleague to suicide",
    ):
        found = check.assess(message)
        assert found is not None and found.bereaved and found.level == "distress", message
    for message, someone_else in (
        ("my friend killed herself and i want to join her", False),
        ("my colleague killed himself, i keep thinking about doing it too", False),
        ("my colleague killed himself last month and now his mate says hes going to do the same", True),
        ("my friend killed herself and my mate says hes going to do the same", True),
        ("my colleague said she wants to kill herself", True),
        ("i nearly took my own life last year", False),
        ("she almost took her own life last month", False),
    ):
        found = check.assess(message)
        assert found is not None and found.level == "risk_to_life" and not found.bereaved, message
        if someone_else:
            assert found.third_person, message
    # a nurse who found a patient is bereaved too (the sentence model had read the rest as a risk to life now)
    found = check.assess("my patient killed himself last night, i found him")
    assert found is not None and found.bereaved
    # idioms of laughter and effort are neither
    for message in ("she killed herself laughing at my joke", "he killed himself working double shifts all month"):
        assert check.assess(message) is None, message
    # asked as a question about leading, it gets its answer and the gentle line, as before
    found = check.assess("how do i support my team after a colleague died by suicide last month, any resources")
    assert found is not None and found.gentle and not found.bereaved


@pytest.mark.parametrize(
    "text",
    [
        # a persona walk of 2026-12-07: each had the urgent numbers or the full support list
        "and if she wants to stay anonymous",
        "she wants to stay on nights",
        "I want to remain anonymous",
        "receptionist keeps turning up late and being short with patients, how do i handle it fairly",
        "thanks. is there anything my team lead could do about the lone working side",
        "which bits should i focus on if i want to be a team leader in dispensary",
        "tried to listen properly to my hca when she was upset about the rota, didnt rush her",  # a reflection
        "im preceptor for a new nurse and i want her to feel she belongs, any tips",  # asks, with no "?"
        # an admin's walk, 2026-12-07: editing a webinar announcement had the concern support
        'actually can i change the time to 13:00-14:00 and add "book via the Academy hub"',
        "can we change the time of the webinar",
        # a manager's reflection, walked 2026-12-07: it had the distress support for "she cried"
        "hard week. had to tell K her secondment is ending, she cried, I think I handled it ok but rushed it bc of bed "
        "meeting. next time block 30 mins",
        # walked 2026-12-07: the urgent numbers, to someone saying they did not need them
        "i dont need a helpline im fine just needed to get it down. is there a way to save that as a reflection",
        # a second walk that day (written blind): the crisis card, and the one line
        "i'm going to end it with my boyfriend tonight, wish me luck",
        "we said goodbye to our retiring sister today, gave her flowers and a card",
        "Listened properly to my student on tuesday, she told me about her dyslexia and I hadnt known.",
        "thinking about opting out of the pension for a year to clear my credit card, is that daft",
        "what about if she wants to quit",  # an HTTP walk, 2026-12-07: the crisis card
        "i want to quit nursing",
        # a third walk that day: the crisis card
        "one of my team told me shes thinking of leaving",
        "im going to end it with my gym membership",
    ],
)
def test_everyday_management_talk_gets_no_support(check: Safeguarding, text: str) -> None:
    assert check.assess(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "my team got the worst staff survey scores in the directorate for bullying. where do i start",
        "what if the bullying is coming from one of my own band 6s",
        "what if one of them goes off sick with stress now?",
    ],
)
def test_a_leader_asking_about_bullying_or_stress_in_the_team_gets_the_gentle_line(
    check: Safeguarding, text: str
) -> None:
    assert level(check, text) == "gentle"


def test_what_the_walk_fixes_leave_as_they_were(check: Safeguarding) -> None:
    assert level(check, "i dont want to stay alive") == "risk_to_life"
    assert level(check, "i dont want to stay here anymore") == "risk_to_life"
    assert level(check, "my ex keeps turning up at my house") == "concern"
    assert level(check, "she told me to change the times on the obs chart") == "concern"  # a record altered
    assert level(check, "i dont need a helpline, i just want to die") == "risk_to_life"
    # the same walk: affairs settled and a plan in other words had the one line only; two concerns were not read
    for message in (
        "cancelled my direct debits and paid off my debts so my family wont have to deal with it when im gone",
        "worked out how much morphine is in the ward stock, it'd be more than enough for me",
        "sorting out who gets my things, so it's easy for everyone after",
        "after this last night shift i'm going to drive to beachy head and that'll be that",
    ):
        found = check.assess(message)
        assert found is not None and found.level == "risk_to_life" and not found.unsure, message  # full support
    assert level(check, "i saw a colleague filling in obs charts for checks that never happened") == "concern"
    assert level(check, "someone on my team is taking controlled drugs home, the counts never add up") == "concern"
    assert level(check, "i want to end it all tonight") == "risk_to_life"
    assert level(check, "im thinking of leaving this world") == "risk_to_life"
    assert level(check, "im going to end it with my pills tonight") == "risk_to_life"
    # a colleague named by role is someone else: the support is for helping them, and a question about it is gentle
    found = check.assess("how do i give feedback to a b5 whos strugglin")
    assert found is not None and found.third_person
    found = check.assess("how shd i do a RTW chat with my HCA after 3 wks off with stress")
    assert found is not None and found.gentle
    assert level(check, "what if my manager is bullying me") == "concern"
    assert level(check, "what if im too stressed to go in tomorrow") == "distress"
    assert level(check, "as a lone worker i feel so isolated and lonely i cant cope") == "distress"
    assert level(check, "i dont want to be a burden anymore") == "risk_to_life"
    assert level(check, "ive tried to keep going but i just cant do it anymore") == "risk_to_life"
    found = check.assess("one of my hcas killed herself last week, any tips for getting through the funeral")
    assert found is not None and found.bereaved


def test_walk_e_of_2026_12_07(check: Safeguarding) -> None:
    # a patient's overdose is clinical talk, and giving up on a rota system a moan about IT
    assert check.assess(
        "pt in bay 3 took an overdose of sertraline last night, whats the escalation pathway for a mental health review"
    ) is None
    assert check.assess("feel like giving up on this rota system, it crashes every time i log in") is None
    assert level(check, "i feel like giving up on everything") == "distress"
    # a cover-up and a drink-driving crewmate are concerns (the Guardian first), not a clinical ask or one's own coping
    assert level(check, "the controlled drugs count has been wrong for weeks and weve been told to just sign it") == (
        "concern"
    )
    assert level(check, "paramedic - my crewmate has been drinking before shifts and then driving the ambulance") == (
        "concern"
    )
    assert level(check, "ive been drinking before my shifts to cope") == "distress"
    # someone else at risk gets the support for helping them
    found = check.assess("one of our f1s said hes thinking about jumping off the multi storey, what do i do")
    assert found is not None and found.level == "risk_to_life" and found.third_person
    found = check.assess("my mate on the ward lost her baby and came straight back to work, shes clearly not ok")
    assert found is not None and found.third_person


def test_a_death_in_the_family_is_a_loss_with_bereavement_support_first(check: Safeguarding) -> None:
    # walked 2026-12-07: "my dad passed away on tuesday" had been thanked for telling, "my mum died and i have to go
    # back on monday" read as a risk to life, "nan died on sunday, funeral is friday" given 999 (two cues)
    for text in (
        "my dad passed away on tuesday",
        "my mum died and i have to go back on monday",
        "nan died on sunday, funeral is friday, can i get the day off",
        "hca here. my husband passed 3 wks ago. funerals thurs",
        "lost my husband to cancer in june",
        "miscarried last week at 10 weeks, do i get paid leave",
    ):
        found = check.assess(text)
        assert found is not None and found.level == "distress" and found.first_routes == ("bereavement",), text
        assert not found.third_person
    found = check.assess("one of my staff nurses dad died, shes not coping")
    assert found is not None and found.third_person and found.first_routes == ("bereavement",)
    # a leader asking how to lead them gets the answer and the gentle line (two managers' walks, 2026-12-07)
    found = check.assess("one of my staff nurses dad died last night, how much compassionate leave can she have")
    assert found is not None and found.gentle and found.third_person
    # a risk to life with a loss is a risk to life, with no bereavement route before 999
    found = check.assess("my dad died last week and i keep thinking id be better off dead")
    assert found is not None and found.level == "risk_to_life" and found.first_routes == ()
    # not a death: a test passed, a phone, a threat about a death that has not happened, a funeral with a day off
    for text in ("my son passed his driving test", "my phone died", "lost my nans ring at work",
                 "funeral is friday, can i get the day off"):
        assert check.assess(text) is None, text
    assert level(check, "patients daughter said shed kill me if her mum dies") != "distress"


def test_walk_e_of_the_eighth_session(check: Safeguarding) -> None:
    # tablets taken and their effects now is a risk to life; a medicine's side effect is not
    assert level(check, "had a few of the tabs i nicked from work an hour ago. feel really sleepy") == "risk_to_life"
    assert check.assess("my new tablets make me feel really sleepy on nights, can i swap to days") is None
    fy1 = "fy1 here. made a drug error today pt is ok but i keep thinking maybe i shouldnt be here at all"
    assert level(check, fy1) == "risk_to_life"
    assert level(check, "whats the point tbh") == "distress"
    # a brother's suicide is a bereavement, whatever a word model reads in the rest
    found = check.assess("hi. just wanted to say my brother killed himself on saturday. im meant to be on nights wed")
    assert found is not None and found.bereaved and found.levels == ()
    # a child left home alone, and a patient slapped: the safeguarding team first; staff punched by a relative is not
    found = check.assess("my colleague leaves her 6 yr old home alone when shes on nights. she told me like its normal")
    assert found is not None and found.first_routes == ("safeguarding-team",) and found.level == "concern"
    found = check.assess("hca on a dementia ward. saw one of the night staff slap a pt and tell him to shut up")
    assert found is not None and found.first_routes == ("safeguarding-team",)
    found = check.assess("paramedic. got punched by a pt's son last night on a job, split lip")
    assert found is None or "safeguarding-team" not in found.first_routes


def test_a_managers_question_is_not_read_as_a_risk_to_life(check: Safeguarding) -> None:
    # a managers' walk, 2026-12-07: the unsure line (and no answer) for these, and the meaning model's risk to life for
    # "and if she denies it" after an answer about weekend sickness
    for text in (
        "b5 just told me shes dyslexic and struggles with the e-obs and handover sheets. what reasonable adjustments "
        "should i think about",
        "a b5 told me in confidence shes worried a colleague is writing obs that werent done. she doesnt want to be "
        "named. what do i do",
        "and if she denies it",
        "and if he denies it all",
    ):
        assert check.assess(text) is None, text
    assert level(check, "and if i just dont come back") == "risk_to_life"
    # the team, not the writer, is burnt out, and a leader asking what to do gets the answer and the gentle line
    found = check.assess("band 7 ward mgr. team is absolutely burnt out after winter. what can i do this week to help")
    assert found is not None and found.third_person and found.gentle
    assert level(check, "my team seem burnt out, what can i do this week") == "gentle"
    # the writer's own role is not someone else ("im a band 5, really burnt out": a managers' walk)
    found = check.assess("im a band 5, really burnt out, doing extra shifts and my manager keeps asking more")
    assert found is not None and not found.third_person and not found.gentle


def test_walk_g_of_the_eighth_session(check: Safeguarding) -> None:
    # a child or a patient at risk: the safeguarding team first, never the writer's own crisis list
    for text in ("girl on the ward said she stays with her mums bf and he comes in her room at night. shes 14",
                 "think one of the care staff is rough with an elderly pt on our ward, bruises on her arms"):
        found = check.assess(text)
        assert found is not None and found.first_routes == ("safeguarding-team",) and found.level == "concern", text
    # abuse at home told as what happens: the domestic abuse helpline first
    for text in ("my partner grabbed me by the neck last night", "he checks my phone and takes my wages",
                 "a woman i'm caring for said her husband doesnt let her go anywhere without him"):
        found = check.assess(text)
        assert found is not None and found.first_routes == ("domestic-abuse",), text
    assert level(check, "had a few of my zopiclone with wine, feel a bit weird") == "risk_to_life"
    # someone dying is not yet a loss; a colleague's death is the writer's; a tech found dead by suicide is grief
    found = check.assess("my dad's dying, hospice said days")
    assert found is not None and found.first_routes == ()
    found = check.assess("my colleague died at the weekend. she was 34")
    assert found is not None and found.first_routes == ("bereavement",) and not found.third_person
    found = check.assess("pharmacist here, one of our techs was found dead at home. they're saying it was suicide")
    assert found is not None and found.bereaved and found.level == "distress"
    # asking who reads this, or accused of bullying, or tired: no support list
    for text in ("will my manager see what i type in here", "who else reads this", "im dead after that shift",
                 "that ward round nearly finished me off", "we look after homeless patients, is there guidance"):
        assert check.assess(text) is None, text
    found = check.assess("i'm a matron and someone's reported me for bullying")
    assert found is None or found.gentle


def test_walk_i_of_the_eighth_session(check: Safeguarding) -> None:
    found = check.assess("something happened at the staff xmas do, i said no but he didnt stop")
    assert found is not None and found.first_routes == ("sexual-violence",)
    found = check.assess("he took my phone and keys again last nite, said i cant go to work unless he says so")
    assert found is not None and "domestic-abuse" in found.first_routes
    # a child hurt at home: the safeguarding team's opening and route first, then the helpline
    found = check.assess("think a kid on our ward is being hurt at home, bruises dont match the story mum gives")
    assert found is not None and found.first_routes[0] == "safeguarding-team"
    # a death from an overdose is a loss; wanting to join them is a risk to life now
    found = check.assess("my brother died of an overdose at the wknd")
    assert found is not None and found.level == "distress" and found.first_routes == ("bereavement",)
    assert level(check, "my brother died of an overdose and i want to join him") == "risk_to_life"
    assert level(check, "i took an overdose last night") == "risk_to_life"
    # someone dying in a hospice is no cue of the writer's own ending; payday loans are distress
    assert check.assess("my dad is dying in hospice and i cant get time off, manager says rota is full") is None
    assert level(check, "cant pay rent this month, been using payday loans n now gambling to try n win it back") == (
        "distress"
    )
    assert check.assess("asked my deputy to take on the audit and she said no, shes already stretched") is None


@pytest.mark.parametrize(
    "message",
    ["shes been here way longer than me", "ive been here longer than her", "hes worked here for years"],
)
def test_how_long_someone_has_worked_here_is_not_whether_they_will_be_here(message: str) -> None:
    # walk B, 2026-12-07: tenure had been read as a risk to life ("won't be here much longer")
    assert load_signposts().detector.assess(message) is None
    assert load_signposts().detector.assess("i wont be here much longer") is not None


def test_saying_what_the_question_before_meant_gets_no_unsure_line() -> None:
    # walk C, 2026-12-07: a pharmacist explaining a colleague's lateness had had "If you are thinking about ending your
    # life …", and "what do i actually say" next the urgent numbers
    detector = load_signposts().detector
    clarified = "no i meant shes been late repeatedly and ive already had one informal chat, nothing changed"
    assert detector.assess(clarified) is None
    assert detector.assess("i mean nothing will ever change, whats the point anymore") is not None


@pytest.mark.parametrize(
    "message",
    [
        "my team are literally dying on their feet, 3 off sick and the rest covering",
        "im dying on my feet",
        "its not that deep lol just want to fit in",
    ],
)
def test_walk_d_of_the_ninth_session_ordinary_words_are_no_risk_to_life(message: str) -> None:
    # walk D, 2026-12-07: each had had the unsure line for suicide, and what followed the urgent numbers
    assert load_signposts().detector.assess(message) is None


def test_a_patients_partner_is_no_partner_at_home() -> None:
    # walk D, 2026-12-07: a midwife groped by a patient's partner had had the domestic abuse helpline first
    detector = load_signposts().detector
    groped = detector.assess("a patients partner grabbed my bum on the ward last night while i was doing obs")
    assert groped is not None and groped.first_routes == ("sexual-violence",)
    at_home = detector.assess("my mums partner hits me")
    assert at_home is not None and at_home.first_routes[:1] == ("domestic-abuse",)


def test_walk_e_an_ex_who_keeps_turning_up_is_abuse_and_a_drowning_ward_is_no_distress() -> None:
    # walk E, 2026-12-07: the ex in the car park had had the speaking-up list with no domestic abuse helpline; "we're
    # drowning on the ward" the distress list and then "I'm still here" for "any ideas to keep the team going"
    detector = load_signposts().detector
    stalked = (
        "my ex keeps turning up in the hospital car park after my shifts",
        "my ex partner is stalking me at work",
    )
    for told in stalked:
        found = detector.assess(told)
        assert found is not None and found.first_routes[:1] == ("domestic-abuse",), told
    assert detector.assess("we're drowning on the ward atm, 4 off sick and constant agency") is None
    drowning = detector.assess("im drowning and cant cope")
    assert drowning is not None and drowning.level == "distress"
