"""The date rules of docs/dates.md at their boundaries: today itself, the day a cadence starts from."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from mentorkit.dates import describe_lateness, next_occurrence, parse_date

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
