"""Time zones in people's own words: “London”, “BST”, “UK time”, “IST”, “UTC+1”, “londn”.

The table is the spec of `find_zone`: what each phrase means, what is asked back (IST), and what
gets a hint. The conversation tests show the read-back: the zone, its offset and the time there today.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.conversation import Conversation
from handlers.zone_names import ALIASES, AMBIGUOUS
from handlers.zones import describe_zone, find_zone, format_offset, zones_at_offset
from tests.support.chat import ChatDriver

LONDON = "Europe/London"

UNDERSTOOD = [
    # The UK, every way NHS staff say it.
    ("GMT", LONDON),
    ("BST", LONDON),
    ("bst", LONDON),
    ("UK", LONDON),
    ("UK time", LONDON),
    ("uk time zone", LONDON),
    ("British time", LONDON),
    ("British Summer Time", LONDON),
    ("Greenwich Mean Time", LONDON),
    ("London", LONDON),
    ("london time", LONDON),
    ("England", LONDON),
    ("Scotland", LONDON),
    ("Wales", LONDON),
    ("Northern Ireland", LONDON),
    ("Belfast", LONDON),
    ("Manchester", LONDON),
    ("Europe/London", LONDON),
    ("europe/london", LONDON),
    ("europe london", LONDON),
    ("Europe/Belfast", LONDON),
    # Misspelt, when one zone is clearly meant.
    ("londn", LONDON),
    ("Lodnon", LONDON),
    ("Europ/London", LONDON),
    ("Edinbrugh", LONDON),
    ("gmt+0", LONDON),
    ("Kolkatta", "Asia/Kolkata"),
    ("Asia/Calcuta", "Asia/Kolkata"),
    ("Sidney", "Australia/Sydney"),
    ("new yrok", "America/New_York"),
    ("aukland", "Pacific/Auckland"),
    # Ireland and Europe.
    ("Ireland", "Europe/Dublin"),
    ("Dublin", "Europe/Dublin"),
    ("CET", "Europe/Paris"),
    ("CEST", "Europe/Paris"),
    ("Paris", "Europe/Paris"),
    ("Berlin", "Europe/Berlin"),
    ("Warsaw", "Europe/Warsaw"),
    ("Bucharest", "Europe/Bucharest"),
    ("Lisbon", "Europe/Lisbon"),
    # The Americas.
    ("EST", "America/New_York"),
    ("EDT", "America/New_York"),
    ("Eastern", "America/New_York"),
    ("New York", "America/New_York"),
    ("PST", "America/Los_Angeles"),
    ("Pacific time", "America/Los_Angeles"),
    ("Los Angeles", "America/Los_Angeles"),
    ("Jamaica", "America/Jamaica"),
    ("Toronto", "America/Toronto"),
    # Asia, Africa, Oceania.
    ("India", "Asia/Kolkata"),
    ("Kolkata", "Asia/Kolkata"),
    ("Mumbai", "Asia/Kolkata"),
    ("Delhi", "Asia/Kolkata"),
    ("Karachi", "Asia/Karachi"),
    ("Dhaka", "Asia/Dhaka"),
    ("Manila", "Asia/Manila"),
    ("Philippines", "Asia/Manila"),
    ("Singapore", "Asia/Singapore"),
    ("Hong Kong", "Asia/Hong_Kong"),
    ("Dubai", "Asia/Dubai"),
    ("Lagos", "Africa/Lagos"),
    ("Nigeria", "Africa/Lagos"),
    ("Accra", "Africa/Accra"),
    ("Nairobi", "Africa/Nairobi"),
    ("Harare", "Africa/Harare"),
    ("Cape Town", "Africa/Johannesburg"),
    ("Johannesburg", "Africa/Johannesburg"),
    ("Sydney", "Australia/Sydney"),
    ("Perth", "Australia/Perth"),
    ("Auckland", "Pacific/Auckland"),
    ("New Zealand", "Pacific/Auckland"),
    # Universal time and fixed offsets.
    ("UTC", "UTC"),
    ("Z", "UTC"),
    ("Zulu", "UTC"),
    ("utc+0", "UTC"),
    ("UTC+1", "Etc/GMT-1"),
    ("utc -3", "Etc/GMT+3"),
    ("GMT+5", "Etc/GMT-5"),
    ("+2", "Etc/GMT-2"),
]

ASKED_WHICH = [
    ("IST", ("Europe/Dublin", "Asia/Kolkata", "Asia/Jerusalem")),
    ("CST", ("America/Chicago", "Asia/Shanghai", "America/Havana")),
    ("Australia", ("Australia/Sydney", "Australia/Brisbane", "Australia/Adelaide", "Australia/Perth")),
    ("USA", ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")),
]

UNKNOWN = ["Mars/Olympus", "my house", "the ward", "xyzzy", "night shift", "abc", "utc+15", "Narnia"]


@pytest.mark.parametrize(("said", "zone"), UNDERSTOOD)
def test_what_people_say_finds_the_zone_they_mean(said: str, zone: str) -> None:
    answer = find_zone(said)
    assert answer is not None and answer.zone == zone, answer


def test_the_table_is_long_enough_to_be_a_spec() -> None:
    assert len(UNDERSTOOD) >= 40


@pytest.mark.parametrize(("said", "choices"), ASKED_WHICH)
def test_a_word_with_several_meanings_is_asked_back_never_guessed(said: str, choices: tuple[str, ...]) -> None:
    answer = find_zone(said)
    assert answer is not None and answer.zone is None and answer.choices == choices


@pytest.mark.parametrize("said", UNKNOWN)
def test_what_is_no_zone_finds_none(said: str) -> None:
    answer = find_zone(said)
    assert answer is not None and answer.zone is None and not answer.choices


def test_nothing_said_is_none() -> None:
    assert find_zone("") is None and find_zone("  ? ") is None


def test_an_abbreviation_is_never_matched_loosely() -> None:
    """The old bug: “BST” suggested MST, HST and EST. Three letters are matched exactly or not at all."""
    answer = find_zone("BXT")
    assert answer is not None and answer.zone is None and answer.suggestions == ()


def test_a_near_miss_that_is_not_clear_is_offered_not_taken() -> None:
    answer = find_zone("londan")
    assert answer is not None and answer.zone is None and answer.suggestions[0] == LONDON


def test_bst_and_pst_say_how_to_get_their_other_reading() -> None:
    bst, pst = find_zone("BST"), find_zone("PST")
    assert bst is not None and "timezone Dhaka" in bst.note
    assert pst is not None and "timezone Manila" in pst.note


def test_an_offset_no_fixed_zone_has_offers_the_places_on_it() -> None:
    answer = find_zone("GMT+5:30")
    assert answer is not None and answer.zone is None
    assert "Asia/Kolkata" in answer.choices and answer.note.startswith("No fixed zone is UTC+5:30")


def test_every_listed_zone_exists() -> None:
    listed = {*ALIASES.values(), *(zone for zones in AMBIGUOUS.values() for zone in zones)}
    assert all(find_zone(zone) is not None and find_zone(zone).zone == zone for zone in listed)  # type: ignore[union-attr]


def test_offsets_and_the_zone_read_back() -> None:
    winter, summer = datetime(2026, 1, 5, 10, 4, tzinfo=UTC), datetime(2026, 7, 6, 10, 4, tzinfo=UTC)
    assert format_offset(timedelta(hours=5, minutes=30)) == "UTC+5:30"
    assert format_offset(timedelta(hours=-3, minutes=-30)) == "UTC-3:30"
    assert describe_zone(LONDON, winter) == "GMT, UTC+0 today; it is 10:04 there"
    assert describe_zone(LONDON, summer) == "BST, UTC+1 today; it is 11:04 there"
    assert describe_zone("Etc/GMT-1", winter) == "UTC+1 today; it is 11:04 there"  # "+01" is no name
    assert describe_zone("UTC", winter) == "UTC+0 today; it is 10:04 there"
    assert zones_at_offset(timedelta(hours=5, minutes=30), winter)[0] == "Asia/Kolkata"


# ---- in the conversation ----------------------------------------------------------------------------


async def alice(conversation: Conversation) -> ChatDriver:
    chat = ChatDriver(conversation)
    await chat.say("hello")
    return chat


@pytest.mark.parametrize(
    "said",
    [
        "timezone BST",
        "timezone uk time",
        "tz gmt",
        "time zone London",
        "my timezone is london",
        "set my time zone to uk",
        "change timezone to GMT",
        "Please change my timezone to Europe/London",
    ],
)
async def test_the_command_takes_the_ways_people_say_it(conversation: Conversation, said: str) -> None:
    chat = await alice(conversation)
    await chat.say("timezone Asia/Manila")
    await chat.say(said)
    assert chat.text.startswith("Done: your time zone is now Europe/London (GMT, UTC+0 today; it is 09:00 there).")


async def test_setting_a_zone_reads_back_its_offset_time_and_schedules(conversation: Conversation) -> None:
    chat = await alice(conversation)
    await chat.say("checkin every friday at 16:00")
    await chat.say("nudges weekly monday 9:00")
    await chat.say("timezone Manila")
    assert chat.text == (
        "Done: your time zone is now Asia/Manila (PST, UTC+8 today; it is 17:00 there). Your 2 schedules now follow it."
    )
    await chat.say("timezone BST")
    assert chat.text.endswith("\nIf you meant Bangladesh Standard Time, say “timezone Dhaka”.")


@pytest.mark.parametrize(
    "asked", ["what time zone am i in", "what's my timezone?", "timezone", "which timezone am I on"]
)
async def test_asking_shows_the_zone_with_its_offset_and_time(conversation: Conversation, asked: str) -> None:
    chat = await alice(conversation)
    await chat.say(asked)
    assert chat.text == (
        "Your time zone is Europe/London (GMT, UTC+0 today; it is 09:00 there). Change it with “timezone London”."
    )


async def test_ist_is_asked_back_with_a_button_for_each_reading(conversation: Conversation) -> None:
    chat = await alice(conversation)
    await chat.say("timezone IST")
    assert chat.text == "“IST” could mean more than one time zone. Which is yours?"
    assert [b.label for b in chat.last[0].buttons] == [
        "Ireland (Irish Standard Time): Europe/Dublin",
        "India (India Standard Time): Asia/Kolkata",
        "Israel (Israel Standard Time): Asia/Jerusalem",
    ]
    await chat.press("India (India Standard Time): Asia/Kolkata")
    assert chat.text == "Done: your time zone is now Asia/Kolkata (IST, UTC+5:30 today; it is 14:30 there)."


async def test_a_near_miss_offers_buttons_and_an_unknown_says_what_is_accepted(conversation: Conversation) -> None:
    chat = await alice(conversation)
    await chat.say("timezone londan")
    assert chat.text == "“londan” is not a time zone I know. Did you mean one of these?"
    await chat.press("Europe/London")
    assert chat.text.startswith("Done: your time zone is now Europe/London")
    await chat.say("timezone the ward")
    assert chat.text == (
        "“the ward” is not a time zone I know. Say a city (“London”, “Manila”, “Lagos”), a country (“UK time”, "
        "“India”), an abbreviation (GMT, BST, CET, EST) or an IANA name such as Europe/London, for example "
        "“timezone London”."
    )


async def test_a_fixed_offset_is_set_with_a_word_about_summer_time(conversation: Conversation) -> None:
    chat = await alice(conversation)
    await chat.say("timezone UTC+1")
    assert chat.text == (
        "Done: your time zone is now Etc/GMT-1 (UTC+1 today; it is 10:00 there).\n"
        "A fixed offset does not change for summer time; name a city (“timezone London”) to follow it."
    )


async def test_a_zone_button_names_a_real_zone_or_is_refused(conversation: Conversation) -> None:
    from handlers.messages import Action

    chat = await alice(conversation)
    replies = await conversation.handle(chat.incoming(action=Action("timezone.set", {"zone": "Mars/Olympus"})))
    assert replies[0].text.startswith("That is not a time zone I know.")


async def test_an_offset_without_a_fixed_zone_offers_the_places_on_it(conversation: Conversation) -> None:
    chat = await alice(conversation)
    await chat.say("tz gmt+5:30")
    assert chat.text == "“gmt+5:30”: No fixed zone is UTC+5:30; these places are on it today. Which is yours?"
    assert [b.label for b in chat.last[0].buttons] == ["India (India Standard Time): Asia/Kolkata", "Asia/Colombo"]
