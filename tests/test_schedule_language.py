"""The schedule language: what people type, what they get, what is asked back, and what is refused (with a hint).

The phrasing tables in `tests/conversation/schedule_*.yaml` cover many more forms; these are the specifics.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from handlers.recurrence import next_after
from handlers.schedule_language import (
    FILLER,
    ScheduleError,
    ScheduleSpec,
    TimeChoice,
    choose_time,
    parse_schedule,
    read_back,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 2 March 2026, 09:00 GMT


def spec_of(phrase: str, now: datetime = NOW) -> ScheduleSpec:
    spec = parse_schedule(phrase, now=now, zone=LONDON)
    assert isinstance(spec, ScheduleSpec), spec
    return spec


def first(phrase: str) -> tuple[str, str]:
    spec = spec_of(phrase)
    when = next_after(spec.rule, LONDON, NOW)
    assert when is not None
    return spec.description, when.astimezone(LONDON).strftime("%a %d %b %H:%M")


ACCEPTED = [
    ("every friday at 16:00", "every Friday at 16:00", "Fri 06 Mar 16:00"),
    ("Every Friday at 4pm", "every Friday at 16:00", "Fri 06 Mar 16:00"),
    ("fridays 4:30pm", "every Friday at 16:30", "Fri 06 Mar 16:30"),
    ("friday at 16.00", "every Friday at 16:00", "Fri 06 Mar 16:00"),
    ("every fri at 16:00", "every Friday at 16:00", "Fri 06 Mar 16:00"),
    ("16:00 every friday", "every Friday at 16:00", "Fri 06 Mar 16:00"),
    ("each thursday at noon", "every Thursday at 12:00", "Thu 05 Mar 12:00"),
    ("every monday at 09:00", "every Monday at 09:00", "Mon 09 Mar 09:00"),
    ("every monday at 10:00", "every Monday at 10:00", "Mon 02 Mar 10:00"),
    ("weekdays 9am", "weekdays at 09:00", "Tue 03 Mar 09:00"),
    ("weekdays at 17:30", "weekdays at 17:30", "Mon 02 Mar 17:30"),
    ("every weekday at 8:15am", "weekdays at 08:15", "Tue 03 Mar 08:15"),
    ("9am weekdays", "weekdays at 09:00", "Tue 03 Mar 09:00"),
    ("working days at 12:00", "weekdays at 12:00", "Mon 02 Mar 12:00"),
    ("every day at 8:30", "every day at 08:30", "Tue 03 Mar 08:30"),
    ("daily at 18:00", "every day at 18:00", "Mon 02 Mar 18:00"),
    ("daily 7pm", "every day at 19:00", "Mon 02 Mar 19:00"),
    ("mondays and thursdays at 12:30", "every Monday and Thursday at 12:30", "Mon 02 Mar 12:30"),
    ("mon, wed and fri at 12:30", "every Monday, Wednesday and Friday at 12:30", "Mon 02 Mar 12:30"),
    ("tue & thu 13:00", "every Tuesday and Thursday at 13:00", "Tue 03 Mar 13:00"),
    ("every other monday 08:30", "every other Monday at 08:30", "Mon 09 Mar 08:30"),
    ("every other friday at 15:00", "every other Friday at 15:00", "Fri 06 Mar 15:00"),
    ("fortnightly on wednesday at 10:00", "every other Wednesday at 10:00", "Wed 04 Mar 10:00"),
    ("every 3 weeks on tuesday at 10am", "every 3 weeks on Tuesday at 10:00", "Tue 03 Mar 10:00"),
    ("monthly on the 1st at 10:00", "on the 1st of each month at 10:00", "Wed 01 Apr 10:00"),
    ("monthly on the 2nd at 10:00", "on the 2nd of each month at 10:00", "Mon 02 Mar 10:00"),
    ("every month on the 15th at 9am", "on the 15th of each month at 09:00", "Sun 15 Mar 09:00"),
    ("monthly on the 28th at 16:00", "on the 28th of each month at 16:00", "Sat 28 Mar 16:00"),
    ("monthly on the last day at 16:00", "on the last day of each month at 16:00", "Tue 31 Mar 16:00"),
    ("last friday of the month at 4pm", "on the last Friday of each month at 16:00", "Fri 27 Mar 16:00"),
    ("first monday of every month at 9am", "on the first Monday of each month at 09:00", "Mon 06 Apr 09:00"),
    ("tomorrow at 15:00", "tomorrow at 15:00 (Tue 3 Mar)", "Tue 03 Mar 15:00"),
    ("tomorrow 7am", "tomorrow at 07:00 (Tue 3 Mar)", "Tue 03 Mar 07:00"),
    ("today at 17:30", "today at 17:30 (Mon 2 Mar)", "Mon 02 Mar 17:30"),
    ("today at 9:30am", "today at 09:30 (Mon 2 Mar)", "Mon 02 Mar 09:30"),
    ("next monday at 9am", "next Monday at 09:00 (Mon 9 Mar)", "Mon 09 Mar 09:00"),
    ("next friday at 9am", "next Friday at 09:00 (Fri 6 Mar)", "Fri 06 Mar 09:00"),
    ("on 14 march at 2pm", "on Sat 14 Mar at 14:00", "Sat 14 Mar 14:00"),
    ("checkin weekly on friday at 16:00", "every Friday at 16:00", "Fri 06 Mar 16:00"),
    ("fri 16h", "every Friday at 16:00", "Fri 06 Mar 16:00"),
    ("fortnight on thursday at 4pm", "every other Thursday at 16:00", "Thu 05 Mar 16:00"),
    ("weekly monday 9:00", "every Monday at 09:00", "Mon 09 Mar 09:00"),
    ("every sunday at midday", "every Sunday at 12:00", "Sun 08 Mar 12:00"),
    ("every saturday at 12am", "every Saturday at 00:00", "Sat 07 Mar 00:00"),
    ("every friday at 12pm", "every Friday at 12:00", "Fri 06 Mar 12:00"),
    # when in the person's day is their reason; the time they give is when
    ("check in with me every fri after my shift at 17:30", "every Friday at 17:30", "Fri 06 Mar 17:30"),
    ("every day after my long day shift at 8pm", "every day at 20:00", "Mon 02 Mar 20:00"),
    ("weekdays before my shift at 7am", "weekdays at 07:00", "Tue 03 Mar 07:00"),
]


@pytest.mark.parametrize(("phrase", "description", "next_time"), ACCEPTED)
def test_accepted_phrasings(phrase: str, description: str, next_time: str) -> None:
    assert first(phrase) == (description, next_time)


REFUSED = [
    ("", "I couldn't find a day or a time"),
    ("every friday", "What time?"),
    ("sometime soon", "I couldn't find a day or a time"),
    ("every funday at 3pm", "I'm not sure what “funday” means here"),
    ("every friday at 25:00", "“25:00” is not a time of day: hours go from 00 to 23"),
    ("every friday at 16:75", "minutes go from 00 to 59"),
    ("every friday at 13pm", "“13pm” is not a time: with am or pm the hour is 1 to 12"),
    ("monthly on the 32nd at 10:00", "There is no 32nd day in a month"),
    ("monthly on the 0th at 10:00", "There is no 0th day in a month"),
    ("today at 08:00", "08:00 on Mon 2 Mar has already passed; try “tomorrow at 08:00”"),
    ("yesterday at 15:00", "That day has passed"),
    ("every blue moon at 10:00", "I'm not sure what “blue moon” means here"),
    ("at 10", "Which day or days?"),
    ("every hour", "The most often I can set is once a day"),
    ("every 5 minutes", "The most often I can set is once a day"),
    ("every 0 weeks on friday at 4pm", "say every 1 to 8 weeks"),
    ("31st february at 9am", "There is no 31 February"),
    ("every day except friday at 9am", "I'm not sure what “except” means here"),
    ("weekdays at 9am but not on fridays", "I'm not sure what “but not” means here"),
    ("today at 4", "04:00 today has passed. If you mean 16:00, say “today at 16:00”"),
    ("tuesdays after work", "I can't tell when your shift or day ends, so please give me a time"),
    ("every friday at the end of my shift", "I can't tell when your shift or day ends, so please give me a time"),
    ("after my night shift", "I can't tell when your shift or day ends: please give me a day and a time"),
]


@pytest.mark.parametrize(("phrase", "message"), REFUSED)
def test_refused_phrasings_say_what_is_accepted(phrase: str, message: str) -> None:
    with pytest.raises(ScheduleError) as refused:
        parse_schedule(phrase, now=NOW, zone=LONDON)
    assert message in str(refused.value)


def test_the_table_covers_at_least_forty_phrasings() -> None:
    assert len(ACCEPTED) + len(REFUSED) >= 40


def test_errors_about_unknown_words_list_the_accepted_forms() -> None:
    with pytest.raises(ScheduleError) as refused:
        parse_schedule("every funday at 3pm", now=NOW, zone=LONDON)
    assert "“every friday at 16:00”" in str(refused.value)
    assert "“tomorrow at 15:00”" in str(refused.value)


@pytest.mark.parametrize(
    ("phrase", "times"),
    [
        ("every friday at 4", ("04:00", "16:00")),
        ("fridays at 4:30", ("04:30", "16:30")),
        ("half past four on fridays", ("04:30", "16:30")),
        ("quarter past 2 every monday", ("02:15", "14:15")),
        ("quarter to nine weekdays", ("08:45", "20:45")),
        ("tomorrow at 12", ("00:00", "12:00")),
    ],
)
def test_an_hour_that_could_be_morning_or_afternoon_is_asked_back(phrase: str, times: tuple[str, str]) -> None:
    choice = parse_schedule(phrase, now=NOW, zone=LONDON)
    assert isinstance(choice, TimeChoice)
    assert (choice.morning.clock, choice.afternoon.clock) == times
    assert choice.question == f"Do you mean {times[0]} or {times[1]}?"


@pytest.mark.parametrize(
    ("phrase", "clock"),
    [
        ("every friday at 4pm", "16:00"),
        ("every friday at 9:30", "09:30"),
        ("every friday at 09", "09:00"),
        ("every friday at 0400", "04:00"),
        ("every friday at 4 in the afternoon", "16:00"),
        ("friday afternoons at 4", "16:00"),
        ("every friday at 7 at night", "19:00"),
        ("fridays in the morning", "09:00"),
        ("fridays at lunchtime", "12:30"),
        ("friday afternoon", "14:00"),
        ("friday evenings", "18:00"),
        ("fridays at midnight", "00:00"),
    ],
)
def test_a_time_said_in_full_or_with_a_part_of_the_day_is_not_asked_back(phrase: str, clock: str) -> None:
    assert spec_of(phrase).clock == clock


def test_the_read_back_says_what_was_understood_and_the_next_date() -> None:
    monday = datetime(2026, 12, 7, 10, tzinfo=UTC)
    spec = spec_of("every other tuesday at 09:00", monday)
    assert read_back(spec, monday, LONDON) == "every other Tuesday at 09:00, next on Tue 8 Dec"
    once = spec_of("tomorrow at 3pm", monday)
    assert read_back(once, monday, LONDON) == "tomorrow at 15:00 (Tue 8 Dec)"


def test_the_31st_of_each_month_falls_on_the_last_day_of_shorter_months() -> None:
    monday = datetime(2026, 12, 7, 10, tzinfo=UTC)
    spec = spec_of("every month on the 31st at 10:00", monday)
    assert spec.description == "on the 31st of each month at 10:00 (on the last day in shorter months)"
    found, after = [], monday
    for _ in range(5):
        upcoming = next_after(spec.rule, LONDON, after)
        assert upcoming is not None
        found.append(upcoming.astimezone(LONDON).strftime("%d %b %H:%M"))
        after = upcoming
    assert found == ["31 Dec 10:00", "31 Jan 10:00", "28 Feb 10:00", "31 Mar 10:00", "30 Apr 10:00"]


@pytest.mark.parametrize(
    ("typo", "description"),
    [
        ("evry fridya at 4pm", "every Friday at 16:00"),
        ("wednsday at 16:00", "every Wednesday at 16:00"),
        ("fortnighly on friday at 4pm", "every other Friday at 16:00"),
        ("weekdyas at 9am", "weekdays at 09:00"),
        ("tomoz at 3pm", "tomorrow at 15:00 (Tue 3 Mar)"),
        ("sun at 10am", "every Sunday at 10:00"),
        ("mon at 10am", "every Monday at 10:00"),
        ("tue at 10am", "every Tuesday at 10:00"),
        ("thu at 10am", "every Thursday at 10:00"),
    ],
)
def test_typos_are_mended_but_one_real_day_is_never_taken_for_another(typo: str, description: str) -> None:
    assert spec_of(typo).description == description


def test_the_intent_layer_can_add_filler_words() -> None:
    with pytest.raises(ScheduleError, match="“kindly”"):
        parse_schedule("kindly every friday at 4pm", now=NOW, zone=LONDON)
    spec = parse_schedule("kindly every friday at 4pm", now=NOW, zone=LONDON, filler=FILLER | {"kindly"})
    assert isinstance(spec, ScheduleSpec) and spec.description == "every Friday at 16:00"


@pytest.mark.parametrize(
    ("answer", "picked"),
    [("2", "16:00"), ("the second one", "16:00"), ("pm", "16:00"), ("4pm", "16:00"), ("16:00", "16:00"),
     ("afternoon", "16:00"), ("1", "04:00"), ("am", "04:00"), ("4am", "04:00"), ("the first", "04:00"),
     ("4", None), ("5pm", None), ("whatever", None)],
)  # fmt: skip
def test_a_typed_answer_picks_one_of_the_two_times(answer: str, picked: str | None) -> None:
    choice = parse_schedule("every friday at 4", now=NOW, zone=LONDON)
    assert isinstance(choice, TimeChoice)
    chosen = choose_time(answer, choice)
    assert (chosen.clock if chosen else None) == picked
