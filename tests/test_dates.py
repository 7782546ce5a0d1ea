"""The date grammar, zones and cadences (mentorkit.dates)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit.dates import (
    WEEKDAYS,
    format_meeting_time,
    get_zone,
    localize,
    next_occurrence,
    parse_cadence,
    parse_date,
    parse_datetime,
    parse_time,
)
from mentorkit.errors import InvalidInput

WED = date(2026, 11, 25)  # a Wednesday
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
counts = st.integers(min_value=1, max_value=400)
FULL_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("today", WED),
        ("tomorrow", date(2026, 11, 26)),
        ("yesterday", date(2026, 11, 24)),
        ("friday", date(2026, 11, 27)),
        ("Wednesday", WED),
        ("next friday", date(2026, 11, 27)),
        ("next wednesday", date(2026, 12, 2)),
        ("last friday", date(2026, 11, 20)),
        ("in 3 days", date(2026, 11, 28)),
        ("in 2 weeks", date(2026, 12, 9)),
        ("in 1 month", date(2026, 12, 25)),
        ("in a week", date(2026, 12, 2)),
        ("3 days ago", date(2026, 11, 22)),
        ("+3d", date(2026, 11, 28)),
        ("+2w", date(2026, 12, 9)),
        ("-1m", date(2026, 10, 25)),
        ("next month", date(2026, 12, 25)),
        ("2026-12-03", date(2026, 12, 3)),
        ("3 Dec 2026", date(2026, 12, 3)),
        ("Dec 3", date(2026, 12, 3)),
        ("March 15, 2027", date(2027, 3, 15)),
        ("Jan 5", date(2027, 1, 5)),  # the next January 5th, not a past one
        ("25/12/2026", date(2026, 12, 25)),  # unambiguous: 25 cannot be a month
        ("2026/12/03", date(2026, 12, 3)),
    ],
)
def test_phrases(phrase: str, expected: date) -> None:
    assert parse_date(phrase, today=WED) == expected


def test_past_direction_reads_weekdays_and_month_days_backwards() -> None:
    assert parse_date("monday", today=WED, past=True) == date(2026, 11, 23)
    assert parse_date("wednesday", today=WED, past=True) == WED
    assert parse_date("Dec 3", today=WED, past=True) == date(2025, 12, 3)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "someday",
        "in 2 fortnights",
        "2 weeks",
        "tomorrow-ish",
        "next",
        "31/02/2026",
        "2026-13-01",
        "in -3 days",
        "+3x",
        "friday the 13th",
        "32 Dec",
        "in 99999 days",
        "03/04/26",
        "\x00today",
    ],
)
def test_garbage_is_refused_not_guessed(garbage: str) -> None:
    with pytest.raises(InvalidInput):
        parse_date(garbage, today=WED)


def test_ambiguous_numeric_dates_need_a_date_order() -> None:
    with pytest.raises(InvalidInput, match="date-order"):
        parse_date("03/04/2026", today=WED)
    assert parse_date("03/04/2026", today=WED, date_order="DMY") == date(2026, 4, 3)
    assert parse_date("03/04/2026", today=WED, date_order="MDY") == date(2026, 3, 4)
    assert parse_date("04/04/2026", today=WED) == date(2026, 4, 4)


@given(today=days, n=counts)
def test_relative_offsets(today: date, n: int) -> None:
    assert parse_date(f"in {n} days", today=today) == today + timedelta(days=n)
    assert parse_date(f"+{n}d", today=today) == today + timedelta(days=n)
    assert parse_date(f"in {n} weeks", today=today) == today + timedelta(weeks=n)
    assert parse_date(f"+{n}w", today=today) == today + timedelta(weeks=n)
    assert parse_date(f"{n} days ago", today=today) == today - timedelta(days=n)


@given(today=days, name=st.sampled_from(sorted(WEEKDAYS)))
def test_weekdays_land_on_that_weekday_nearby(today: date, name: str) -> None:
    coming = parse_date(name, today=today)
    following = parse_date(f"next {name}", today=today)
    previous = parse_date(f"last {name}", today=today)
    assert coming.weekday() == following.weekday() == previous.weekday() == WEEKDAYS[name]
    assert 0 <= (coming - today).days <= 6
    assert 1 <= (following - today).days <= 7
    assert 1 <= (today - previous).days <= 7


@given(day=days)
def test_iso_dates_round_trip(day: date) -> None:
    assert parse_date(day.isoformat(), today=WED) == day


@given(text=st.text(max_size=30))
def test_any_text_is_a_date_or_a_clean_refusal(text: str) -> None:
    try:
        result = parse_date(text, today=WED)
    except InvalidInput:
        return
    assert isinstance(result, date)


@given(text=st.from_regex(r"\A(in )?[0-9]{1,3} (fortnights?|hours?|minutes?|decades?)( ago)?\Z"))
def test_unknown_units_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_date(text, today=WED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15:00", time(15)),
        ("9:30", time(9, 30)),
        ("3pm", time(15)),
        ("3:30 pm", time(15, 30)),
        ("12am", time(0)),
        ("noon", time(12)),
        ("9h", time(9)),
    ],
)
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["15", "25:00", "13pm", "9:75", "quarter past"])
def test_bad_times(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_time(text)


CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # Wed 12:00 in Chicago


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 3pm", datetime(2026, 11, 26, 15, 0, tzinfo=CHICAGO)),
        ("friday at 09:30", datetime(2026, 11, 27, 9, 30, tzinfo=CHICAGO)),
        ("next thursday 3 pm", datetime(2026, 11, 26, 15, 0, tzinfo=CHICAGO)),
        ("15:00", datetime(2026, 11, 25, 15, 0, tzinfo=CHICAGO)),
        ("2026-12-03 15:00", datetime(2026, 12, 3, 15, 0, tzinfo=CHICAGO)),
        ("2026-12-03T15:00:00-05:00", datetime(2026, 12, 3, 14, 0, tzinfo=CHICAGO)),
        ("in 2 weeks 10:00", datetime(2026, 12, 9, 10, 0, tzinfo=CHICAGO)),
    ],
)
def test_datetimes_are_read_in_the_given_zone(text: str, expected: datetime) -> None:
    assert parse_datetime(text, now=NOW, zone=CHICAGO) == expected


def test_a_date_without_time_needs_one_unless_a_default_is_given() -> None:
    with pytest.raises(InvalidInput, match="no time of day"):
        parse_datetime("friday", now=NOW, zone=CHICAGO)
    assert parse_datetime("friday", now=NOW, zone=CHICAGO, default_time=time(12)).hour == 12


def test_dst_gap_moves_forward_and_fold_takes_the_first() -> None:
    new_york = ZoneInfo("America/New_York")
    gap = parse_datetime("2026-03-08 02:30", now=NOW, zone=new_york)
    assert gap.astimezone(UTC) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert gap.astimezone(new_york).strftime("%H:%M %Z") == "03:30 EDT"
    fold = parse_datetime("2026-11-01 01:30", now=NOW, zone=new_york)
    assert fold.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # EDT, the first 01:30


zones = st.sampled_from(
    [
        "America/New_York",
        "Europe/London",
        "Australia/Sydney",
        "Asia/Kolkata",
        "America/Los_Angeles",
        "Pacific/Chatham",
        "UTC",
        "America/Sao_Paulo",
    ]
)
naive_times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1))


@given(naive=naive_times, name=zones)
def test_localize_always_gives_an_aware_instant_that_shows_the_same_or_a_later_wall_time(
    naive: datetime, name: str
) -> None:
    zone = ZoneInfo(name)
    aware = localize(naive, zone)
    assert aware.utcoffset() is not None
    shown = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    assert naive <= shown <= naive + timedelta(hours=2)  # equal, or moved forward across a gap


def test_zones() -> None:
    assert get_zone("Europe/London").key == "Europe/London"
    for bad in ("Mars/Phobos", "", "../../etc/passwd", "x" * 100):
        with pytest.raises(InvalidInput):
            get_zone(bad)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("weekly", "FREQ=WEEKLY"),
        ("Biweekly", "FREQ=WEEKLY;INTERVAL=2"),
        ("monthly", "FREQ=MONTHLY"),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3"),
        ("every 10 days", "FREQ=DAILY;INTERVAL=10"),
        ("every 3 weeks", "FREQ=WEEKLY;INTERVAL=3"),
        ("every 2 months", "FREQ=MONTHLY;INTERVAL=2"),
        ("every month", "FREQ=MONTHLY"),
        ("RRULE:FREQ=MONTHLY;BYDAY=1TU", "FREQ=MONTHLY;BYDAY=1TU"),
    ],
)
def test_cadences_become_rrules(text: str, rule: str) -> None:
    assert parse_cadence(text).rule == rule


@pytest.mark.parametrize("text", ["sometimes", "every 0 days", "FREQ=SOMETIMES", "FREQ=WEEKLY;COUNT=3", "every"])
def test_bad_cadences(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_cadence(text)


def test_next_occurrence_counts_from_the_last_contact() -> None:
    last = datetime(2026, 1, 31, 10, tzinfo=UTC)
    assert next_occurrence("FREQ=MONTHLY", last) == datetime(2026, 2, 28, 10, tzinfo=UTC)
    assert next_occurrence("FREQ=WEEKLY;INTERVAL=2", last) == datetime(2026, 2, 14, 10, tzinfo=UTC)
    first_tuesday = next_occurrence("FREQ=MONTHLY;BYDAY=1TU", last)
    assert first_tuesday.date() == date(2026, 2, 3)


def test_meeting_time_in_both_zones() -> None:
    moment = datetime(2026, 12, 3, 21, 0, tzinfo=UTC)
    text = format_meeting_time(moment, CHICAGO, ZoneInfo("America/New_York"), "Teresa Alvarez")
    assert text == "Thu 3 Dec 2026 15:00 CST (16:00 EST for Teresa)"
    assert format_meeting_time(moment, CHICAGO, CHICAGO, "Sam") == "Thu 3 Dec 2026 15:00 CST"
    sydney = format_meeting_time(moment, CHICAGO, ZoneInfo("Australia/Sydney"), "Kim")
    assert sydney.endswith("(Fri 4 Dec 2026 08:00 AEDT for Kim)")
    assert format_meeting_time(moment, CHICAGO, ZoneInfo("America/New_York"), "Dr. Teresa Alvarez").endswith(
        "for Teresa)"
    )
