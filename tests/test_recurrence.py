"""Recurrences keep the person's wall-clock time across daylight-saving changes, and fire once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.recurrence import latest_until, next_after
from handlers.schedule_language import parse_schedule

LONDON = ZoneInfo("Europe/London")


def occurrences(phrase: str, zone: ZoneInfo, start: datetime, count: int) -> list[datetime]:
    rule = parse_schedule(phrase, now=start, zone=zone).rule
    found, after = [], start
    for _ in range(count):
        nxt = next_after(rule, zone, after)
        assert nxt is not None
        found.append(nxt)
        after = nxt
    return found


def test_friday_1600_stays_1600_across_the_march_change() -> None:
    times = occurrences("every friday at 16:00", LONDON, datetime(2026, 3, 16, tzinfo=UTC), 3)
    assert [t.astimezone(LONDON).strftime("%d %b %H:%M %Z") for t in times] == [
        "20 Mar 16:00 GMT",
        "27 Mar 16:00 GMT",
        "03 Apr 16:00 BST",
    ]
    assert [t.strftime("%H:%M") for t in times] == ["16:00", "16:00", "15:00"]  # in UTC


def test_friday_1600_stays_1600_across_the_october_change() -> None:
    times = occurrences("every friday at 16:00", LONDON, datetime(2026, 10, 19, tzinfo=UTC), 2)
    assert [t.astimezone(LONDON).strftime("%d %b %H:%M %Z") for t in times] == ["23 Oct 16:00 BST", "30 Oct 16:00 GMT"]


def test_a_time_that_does_not_exist_on_the_spring_change_fires_once() -> None:
    # 29 March 2026: London clocks jump from 01:00 to 02:00, so 01:30 never happens.
    times = occurrences("every day at 01:30", LONDON, datetime(2026, 3, 27, 12, tzinfo=UTC), 4)
    local = [t.astimezone(LONDON).strftime("%d %H:%M %Z") for t in times]
    assert local == ["28 01:30 GMT", "29 02:30 BST", "30 01:30 BST", "31 01:30 BST"]
    assert len(set(times)) == 4


def test_a_time_that_happens_twice_on_the_autumn_change_fires_once() -> None:
    # 25 October 2026: London clocks go back from 02:00 to 01:00, so 01:30 happens twice.
    times = occurrences("every day at 01:30", LONDON, datetime(2026, 10, 24, 12, tzinfo=UTC), 3)
    assert [t.astimezone(LONDON).strftime("%d %H:%M %Z") for t in times] == [
        "25 01:30 BST",
        "26 01:30 GMT",
        "27 01:30 GMT",
    ]
    window = [t for t in times if t.date() == datetime(2026, 10, 25).date()]
    assert len(window) == 1


def test_a_schedule_set_in_another_zone_follows_that_zone() -> None:
    new_york = ZoneInfo("America/New_York")  # changes on 8 March, three weeks before London
    times = occurrences("weekdays 9am", new_york, datetime(2026, 3, 5, 15, tzinfo=UTC), 3)
    assert [t.astimezone(new_york).strftime("%a %H:%M") for t in times] == ["Fri 09:00", "Mon 09:00", "Tue 09:00"]
    assert [t.astimezone(LONDON).strftime("%H:%M") for t in times] == ["14:00", "13:00", "13:00"]
    kolkata = ZoneInfo("Asia/Kolkata")
    (first,) = occurrences("every friday at 16:00", kolkata, datetime(2026, 3, 2, tzinfo=UTC), 1)
    assert first == datetime(2026, 3, 6, 10, 30, tzinfo=UTC)


def test_after_downtime_only_the_latest_missed_occurrence_is_found() -> None:
    rule = parse_schedule("every day at 08:00", now=datetime(2026, 3, 2, tzinfo=UTC), zone=LONDON).rule
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    assert latest_until(rule, LONDON, now) == datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    assert latest_until(rule, LONDON, datetime(2026, 3, 2, 7, 0, tzinfo=UTC)) is None


def test_a_one_off_happens_once() -> None:
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    rule = parse_schedule("tomorrow at 15:00", now=start, zone=LONDON).rule
    when = next_after(rule, LONDON, start)
    assert when == datetime(2026, 3, 3, 15, tzinfo=UTC)
    assert next_after(rule, LONDON, when + timedelta(seconds=1)) is None
