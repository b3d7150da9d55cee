"""The schedule language: what people type, what they get, and what is refused (with the accepted forms)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from handlers.recurrence import next_after
from handlers.schedule_language import ScheduleError, parse_schedule

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 2 March 2026, 09:00 GMT


def first(phrase: str) -> tuple[str, str]:
    spec = parse_schedule(phrase, now=NOW, zone=LONDON)
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
    ("every 3 weeks on tuesday at 10", "every 3 weeks on Tuesday at 10:00", "Tue 03 Mar 10:00"),
    ("monthly on the 1st at 10:00", "monthly on the 1st at 10:00", "Wed 01 Apr 10:00"),
    ("monthly on the 2nd at 10:00", "monthly on the 2nd at 10:00", "Mon 02 Mar 10:00"),
    ("every month on the 15th at 9am", "monthly on the 15th at 09:00", "Sun 15 Mar 09:00"),
    ("monthly on the 28th at 16:00", "monthly on the 28th at 16:00", "Sat 28 Mar 16:00"),
    ("monthly on the last day at 16:00", "on the last day of each month at 16:00", "Tue 31 Mar 16:00"),
    ("tomorrow at 15:00", "tomorrow at 15:00 (Tue 03 Mar)", "Tue 03 Mar 15:00"),
    ("tomorrow 7am", "tomorrow at 07:00 (Tue 03 Mar)", "Tue 03 Mar 07:00"),
    ("today at 17:30", "today at 17:30 (Mon 02 Mar)", "Mon 02 Mar 17:30"),
    ("today at 9:30am", "today at 09:30 (Mon 02 Mar)", "Mon 02 Mar 09:30"),
    ("every sunday at midday", "every Sunday at 12:00", "Sun 08 Mar 12:00"),
    ("every saturday at 12am", "every Saturday at 00:00", "Sat 07 Mar 00:00"),
    ("every friday at 12pm", "every Friday at 12:00", "Fri 06 Mar 12:00"),
]


@pytest.mark.parametrize(("phrase", "description", "next_time"), ACCEPTED)
def test_accepted_phrasings(phrase: str, description: str, next_time: str) -> None:
    assert first(phrase) == (description, next_time)


REFUSED = [
    ("", "When would you like it?"),
    ("every friday", "I couldn't find a time of day"),
    ("sometime soon", "I couldn't find a time of day"),
    ("every funday at 3pm", "“funday” is not a day I know"),
    ("every friday at 25:00", "25:00 is not a time of day"),
    ("every friday at 16:75", "is not a time of day"),
    ("every friday at 13pm", "13pm is not a time"),
    ("monthly on the 31st at 10:00", "from the 1st to the 28th"),
    ("monthly on the 0th at 10:00", "from the 1st to the 28th"),
    ("today at 08:00", "08:00 today has already passed"),
    ("yesterday at 15:00", "“yesterday” is not a day I know"),
    ("every blue moon at 10:00", "is not a day I know"),
    ("at 10", "Please say when"),
]


@pytest.mark.parametrize(("phrase", "message"), REFUSED)
def test_refused_phrasings_say_what_is_accepted(phrase: str, message: str) -> None:
    with pytest.raises(ScheduleError) as refused:
        parse_schedule(phrase, now=NOW, zone=LONDON)
    assert message in str(refused.value)


def test_the_table_covers_at_least_forty_phrasings() -> None:
    assert len(ACCEPTED) + len(REFUSED) >= 40


def test_errors_about_the_day_list_the_accepted_forms() -> None:
    with pytest.raises(ScheduleError) as refused:
        parse_schedule("every funday at 3pm", now=NOW, zone=LONDON)
    assert "“every friday at 16:00”" in str(refused.value)
    assert "“tomorrow at 15:00”" in str(refused.value)
