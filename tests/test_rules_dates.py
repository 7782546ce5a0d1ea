"""The date rules of docs/dates.md at their boundaries: today itself, the day a cadence starts from."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentorkit.dates import describe_lateness, local_zone_name, next_occurrence, parse_date, parse_datetime, parse_time
from mentorkit.errors import InvalidInput

DEC_3 = date(2026, 12, 3)


@pytest.mark.parametrize("said", ["Dec 3", "3 Dec", "December 3rd", "3rd december"])
def test_a_month_day_said_on_that_day_is_today_looking_back_or_ahead(said) -> None:
    """Logging (past=True) looks back, today included; planning looks ahead, today included."""
    assert parse_date(said, today=DEC_3, past=True) == DEC_3
    assert parse_date(said, today=DEC_3) == DEC_3


def test_a_month_day_a_day_away_crosses_the_year_the_right_way() -> None:
    assert parse_date("Dec 4", today=DEC_3, past=True) == date(2025, 12, 4)
    assert parse_date("Dec 4", today=DEC_3) == date(2026, 12, 4)
    assert parse_date("Dec 2", today=DEC_3, past=True) == date(2026, 12, 2)
    assert parse_date("Dec 2", today=DEC_3) == date(2027, 12, 2)
    assert parse_date("Dec 2 2026", today=DEC_3) == date(2026, 12, 2)  # a year given is kept


@pytest.mark.parametrize(
    ("rule", "last", "expected"),
    [
        # the last contact falls on a day of the rule: the next date is a whole period later
        ("FREQ=WEEKLY;BYDAY=MO", datetime(2026, 11, 23, 10, 0), datetime(2026, 11, 30, 10, 0)),
        ("FREQ=MONTHLY;BYMONTHDAY=3", datetime(2026, 12, 3, 9, 30), datetime(2027, 1, 3, 9, 30)),
        ("FREQ=MONTHLY;BYDAY=1TU", datetime(2026, 12, 1, 15, 0), datetime(2027, 1, 5, 15, 0)),
        # not on a day of the rule: the next day of the rule
        ("FREQ=WEEKLY;BYDAY=MO", datetime(2026, 11, 25, 10, 0), datetime(2026, 11, 30, 10, 0)),
        # the simple rules count whole periods from the contact
        ("FREQ=WEEKLY", datetime(2026, 11, 23, 10, 0), datetime(2026, 11, 30, 10, 0)),
        ("FREQ=WEEKLY;INTERVAL=2", datetime(2026, 11, 23, 10, 0), datetime(2026, 12, 7, 10, 0)),
        ("FREQ=MONTHLY", datetime(2026, 1, 31, 10, 0), datetime(2026, 2, 28, 10, 0)),
        ("FREQ=DAILY;INTERVAL=10", datetime(2026, 12, 25, 10, 0), datetime(2027, 1, 4, 10, 0)),
        ("FREQ=YEARLY", datetime(2028, 2, 29, 10, 0), datetime(2029, 2, 28, 10, 0)),
    ],
)
def test_the_next_cadence_date_is_after_the_last_contact(rule, last, expected) -> None:
    zone = ZoneInfo("America/Chicago")
    following = next_occurrence(rule, last.replace(tzinfo=zone))
    assert following == expected.replace(tzinfo=zone)
    assert following > last.replace(tzinfo=zone)


def test_the_next_cadence_date_of_a_contact_in_utc_is_a_utc_instant() -> None:
    last = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert next_occurrence("FREQ=WEEKLY;BYDAY=MO", last) == datetime(2026, 11, 30, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due", "said"),
    [
        (date(2026, 12, 3), "due today"),
        (date(2026, 12, 2), "1 day late"),
        (date(2026, 11, 30), "3 days late"),
        (date(2026, 12, 4), "in 1 day"),
        (date(2026, 12, 10), "in 7 days"),
    ],
)
def test_lateness_is_said_in_days_and_today_is_not_late(due, said) -> None:
    assert describe_lateness(due, DEC_3) == said


WED = date(2026, 11, 25)  # the Wednesday of docs/dates.md


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("mon", date(2026, 11, 30)),
        ("tues", date(2026, 12, 1)),
        ("wed", WED),
        ("thur", date(2026, 11, 26)),
        ("fri", date(2026, 11, 27)),
        ("saturday", date(2026, 11, 28)),
        ("sun", date(2026, 11, 29)),
        ("3 sept", date(2027, 9, 3)),
        ("september 3", date(2027, 9, 3)),
        ("jan 5", date(2027, 1, 5)),
        ("12/13/2026", date(2026, 12, 13)),  # 13 cannot be a month
        ("13/12/2026", date(2026, 12, 13)),
        ("12/12/2026", date(2026, 12, 12)),
    ],
)
def test_every_name_and_unambiguous_number_means_its_day(said, expected) -> None:
    assert parse_date(said, today=WED) == expected


@pytest.mark.parametrize("said", ["", "   ", "x" * 41, "12/11/2026"])
def test_empty_overlong_and_ambiguous_dates_are_refused(said) -> None:
    with pytest.raises(InvalidInput):
        parse_date(said, today=WED)


@pytest.mark.parametrize(
    ("said", "expected"),
    [("1pm", time(13, 0)), ("1am", time(1, 0)), ("12pm", time(12, 0)), ("12am", time(0, 0)), ("9h", time(9, 0))],
)
def test_times_of_day(said, expected) -> None:
    assert parse_time(said) == expected


@pytest.mark.parametrize("said", ["0am", "13pm", "15", "24:00", "9:60"])
def test_impossible_or_ambiguous_times_are_refused(said) -> None:
    with pytest.raises(InvalidInput):
        parse_time(said)


@pytest.mark.parametrize(("said", "hour"), [("friday noon", 12), ("tomorrow midnight", 0), ("friday at 3pm", 15)])
def test_a_day_and_a_named_time(said, hour) -> None:
    zone = ZoneInfo("America/Chicago")
    moment = parse_datetime(said, now=datetime(2026, 11, 25, 18, 0, tzinfo=UTC), zone=zone)
    assert moment.hour == hour and moment.tzinfo is zone


def test_the_machines_zone_is_read_from_etc_localtime(monkeypatch) -> None:
    import os

    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(os.path, "realpath", lambda path: "/usr/share/zoneinfo/Europe/Paris")
    assert local_zone_name() == "Europe/Paris"


MONTH_WORDS = [
    ("jan", 1),
    ("january", 1),
    ("feb", 2),
    ("february", 2),
    ("mar", 3),
    ("march", 3),
    ("apr", 4),
    ("april", 4),
    ("may", 5),
    ("jun", 6),
    ("june", 6),
    ("jul", 7),
    ("july", 7),
    ("aug", 8),
    ("august", 8),
    ("sep", 9),
    ("sept", 9),
    ("september", 9),
    ("oct", 10),
    ("october", 10),
    ("nov", 11),
    ("november", 11),
    ("dec", 12),
    ("december", 12),
]


@pytest.mark.parametrize(("word", "month"), MONTH_WORDS)
def test_every_month_name_and_short_form_names_its_month(word, month) -> None:
    """docs/dates.md: `Dec 3`, `3 December`: a month by its name or its first three letters."""
    assert parse_date(f"{word} 5", today=DEC_3).month == month


@pytest.mark.parametrize(
    ("word", "weekday"),
    [
        ("monday", 0),
        ("mon", 0),
        ("tuesday", 1),
        ("tue", 1),
        ("tues", 1),
        ("wednesday", 2),
        ("wed", 2),
        ("thursday", 3),
        ("thu", 3),
        ("thur", 3),
        ("thurs", 3),
        ("friday", 4),
        ("fri", 4),
        ("saturday", 5),
        ("sat", 5),
        ("sunday", 6),
        ("sun", 6),
    ],
)
def test_every_weekday_name_and_short_form_names_its_day(word, weekday) -> None:
    assert parse_date(word, today=DEC_3).weekday() == weekday


def test_the_last_minute_of_a_day_is_a_time() -> None:
    assert parse_time("23:30") == time(23, 30) and parse_time("23:59") == time(23, 59)
    with pytest.raises(InvalidInput):
        parse_time("24:00")


# ---- found by the full mutation run of dates.py (docs/testing.md) ------------------------------

NOV_25 = date(2026, 11, 25)  # a Wednesday: the "today" of docs/dates.md's table


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("today", NOV_25),
        ("tomorrow", date(2026, 11, 26)),
        ("yesterday", date(2026, 11, 24)),
        ("friday", date(2026, 11, 27)),
        ("fri", date(2026, 11, 27)),
        ("this friday", date(2026, 11, 27)),
        ("next friday", date(2026, 11, 27)),
        ("next wednesday", date(2026, 12, 2)),
        ("wednesday", NOV_25),
        ("last friday", date(2026, 11, 20)),
        ("last wednesday", date(2026, 11, 18)),
        ("in 3 days", date(2026, 11, 28)),
        ("in 2 weeks", date(2026, 12, 9)),
        ("in 1 month", date(2026, 12, 25)),
        ("in a week", date(2026, 12, 2)),
        ("2026-12-03", DEC_3),
        ("2026/12/03", DEC_3),
        ("3 Dec 2026", DEC_3),
        ("March 15, 2027", date(2027, 3, 15)),
        ("25/12/2026", date(2026, 12, 25)),
        ("13/05/2026", date(2026, 5, 13)),
    ],
)
def test_the_dates_table_of_the_docs_reads_as_it_says(said, meant) -> None:
    assert parse_date(said, today=NOV_25) == meant


@pytest.mark.parametrize("said", ["03/04/2026", "12/05/2026", "05/12/2026"])
def test_a_numeric_date_either_of_whose_numbers_could_be_the_month_is_refused(said) -> None:
    with pytest.raises(InvalidInput):
        parse_date(said, today=NOV_25)
    assert parse_date(said, today=NOV_25, date_order="DMY").day == int(said[:2])


@pytest.mark.parametrize("kept", ["1000-01-01", "9998-12-31"])
def test_the_first_and_last_days_mentorkit_keeps_are_kept(kept) -> None:
    assert parse_date(kept, today=DEC_3).isoformat() == kept


@pytest.mark.parametrize("outside", ["0999-12-31", "9999-01-01", "9999-12-31"])
def test_a_day_outside_the_range_is_refused(outside) -> None:
    with pytest.raises(InvalidInput, match="years 1000 to 9998"):
        parse_date(outside, today=DEC_3)


def test_a_relative_date_goes_at_most_1200_units_away() -> None:
    assert parse_date("in 1200 days", today=DEC_3) == date(2030, 3, 17)
    assert parse_date("1200 weeks ago", today=DEC_3) == DEC_3 - timedelta(weeks=1200)
    for typo in ("in 1201 days", "1201 weeks ago", "+1201d"):
        with pytest.raises(InvalidInput, match="too far away"):
            parse_date(typo, today=DEC_3)


@pytest.mark.parametrize(
    ("said", "meant"),
    [("3pm", time(15, 0)), ("3 pm", time(15, 0)), ("3:30 pm", time(15, 30)), ("9h", time(9, 0)), ("9:30", time(9, 30))],
)
def test_the_times_of_the_docs_read_as_they_say(said, meant) -> None:
    assert parse_time(said) == meant


def test_a_bare_number_after_a_day_is_not_a_time() -> None:
    moment = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    with pytest.raises(InvalidInput):
        parse_datetime("tomorrow 15", now=moment, zone=UTC)
    assert parse_datetime("tomorrow 15h", now=moment, zone=UTC) == datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("said", "has_time"),
    [
        ("yesterday 15:00", True),
        ("friday at 3pm", True),
        ("now", True),
        ("2026-12-03T15:00-05:00", True),
        ("yesterday", False),
        ("3 days ago", False),
        ("monday", False),
        ("in 1 month", False),
        ("next month", False),
        ("Dec 3", False),
    ],
)
def test_a_contact_given_by_its_day_has_no_time_of_day(said, has_time) -> None:
    """`log --when yesterday` keeps a day and shows a day, never a time nobody gave."""
    from mentorkit.dates import has_time_of_day

    assert has_time_of_day(said) is has_time


def test_a_wall_time_that_happens_twice_under_one_abbreviation_shows_its_offset() -> None:
    """docs/dates.md: Moscow on 26 Oct 2014, 01:30 MSK at +04 and then at +03."""
    from mentorkit.dates import format_moment

    moscow = ZoneInfo("Europe/Moscow")
    assert format_moment(datetime(2014, 10, 25, 21, 30, tzinfo=UTC), moscow) == "Sun 26 Oct 2014 01:30 UTC+04:00"
    assert format_moment(datetime(2014, 10, 25, 22, 30, tzinfo=UTC), moscow) == "Sun 26 Oct 2014 01:30 UTC+03:00"
    # the autumn fold in New York has two names, so the names say which 01:30 it is
    new_york = ZoneInfo("America/New_York")
    assert format_moment(datetime(2026, 11, 1, 5, 30, tzinfo=UTC), new_york) == "Sun 1 Nov 2026 01:30 EDT"
    assert format_moment(datetime(2026, 11, 1, 6, 30, tzinfo=UTC), new_york) == "Sun 1 Nov 2026 01:30 EST"


def test_a_mentor_whose_zone_has_my_abbreviation_but_another_clock_gets_their_time_shown() -> None:
    """Chicago's CST and Shanghai's CST are 14 hours apart: the mentor's time must show."""
    from mentorkit.dates import format_meeting_time

    moment = datetime(2026, 12, 3, 21, 0, tzinfo=UTC)
    chicago, shanghai = ZoneInfo("America/Chicago"), ZoneInfo("Asia/Shanghai")
    assert format_meeting_time(moment, chicago, shanghai, "Wei Zhang") == (
        "Thu 3 Dec 2026 15:00 CST (Fri 4 Dec 2026 05:00 CST for Wei)"
    )
    assert format_meeting_time(moment, chicago, ZoneInfo("America/Chicago"), "Ann") == "Thu 3 Dec 2026 15:00 CST"


def test_until_a_zone_is_set_the_machines_zone_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/mentors.md: the machine's zone, from TZ or else the zone /etc/localtime links to."""
    import os

    monkeypatch.setenv("TZ", ":Europe/Lisbon")
    assert local_zone_name() == "Europe/Lisbon"
    monkeypatch.delenv("TZ")
    monkeypatch.setattr(os.path, "realpath", lambda _path: "/usr/share/zoneinfo/Europe/Paris")
    assert local_zone_name() == "Europe/Paris"
    monkeypatch.setattr(os.path, "realpath", lambda _path: "/etc/some-local-file")
    assert local_zone_name() == "UTC"


def test_noon_and_midnight_are_the_hours_they_name() -> None:
    assert parse_time("noon") == time(12, 0) and parse_time("midnight") == time(0, 0)


@pytest.mark.parametrize("said", ["after next friday", "the friday after", "on some friday"])
def test_a_phrase_mentorkit_does_not_know_is_refused_not_guessed(said) -> None:
    with pytest.raises(InvalidInput):
        parse_date(said, today=NOV_25)


def test_a_month_day_alone_is_a_day_for_a_contact() -> None:
    moment = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)
    assert parse_datetime("Dec 3", now=moment, zone=UTC, past=True, default_time=time(12, 0)).date() == DEC_3
