"""Cadence kept against the cadence's own expected dates (docs/review.md), for mentors and groups.

The issue's numbers: first Tuesdays of September to November all held is 100% (30-day windows
said 67%); two years of first Tuesdays, 21 of 24 held, is 88% (they said 71%). A calendar rule
expects its own days; a simple cadence (monthly, quarterly, every N) expects each contact one
period after the last, as check-ins do.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mentorkit.cadences import expected_days
from mentorkit.domain.review import CadenceKept, Midnights, cadence_kept, expected_windows
from rules_helpers import Day


def first_tuesdays(start: date, count: int) -> list[date]:
    found = []
    year, month = start.year, start.month
    while len(found) < count:
        day = date(year, month, 1)
        found.append(day + timedelta(days=(1 - day.weekday()) % 7))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def kept(
    rule: str,
    held_local: list[str],
    anchor: date,
    start: date,
    end: date,
    zone: str = "America/New_York",
    now: str | None = None,
) -> CadenceKept:
    """`cadence_kept` over a bare meeting table holding held meetings at local wall times."""
    tz = ZoneInfo(zone)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE meeting (mentor_id INTEGER, group_id INTEGER, status TEXT, starts_at TEXT)")
    for text in held_local:
        moment = datetime.fromisoformat(text).replace(tzinfo=tz).astimezone(UTC)
        conn.execute("INSERT INTO meeting VALUES (NULL, 3, 'held', ?)", (moment.strftime("%Y-%m-%dT%H:%M:%SZ"),))
    conn.execute("INSERT INTO meeting VALUES (NULL, 3, 'cancelled', '2026-10-06T20:00:00Z')")  # never a contact
    conn.execute("INSERT INTO meeting VALUES (NULL, 4, 'held', '2026-10-06T20:00:00Z')")  # another group's
    now_at = now or (end + timedelta(days=1)).isoformat() + "T12:00:00Z"
    return cadence_kept(conn, ("group_id", 3), rule, anchor, start, end, Midnights(tz), now_at)


def test_first_tuesdays_september_to_november_all_held_is_100() -> None:
    held = [f"{d} 16:00" for d in first_tuesdays(date(2026, 9, 1), 3)]
    result = kept("FREQ=MONTHLY;BYDAY=1TU", held, date(2026, 9, 1), date(2026, 9, 1), date(2026, 11, 30))
    assert (result.windows, result.kept, result.percent) == (3, 3, 100)


def test_two_years_of_first_tuesdays_21_of_24_held_is_88() -> None:
    days = first_tuesdays(date(2024, 12, 1), 24)
    assert days[0] == date(2024, 12, 3) and days[-1] == date(2026, 11, 3)
    skipped = {days[4], days[11], days[19]}
    held = [f"{d} 16:00" for d in days if d not in skipped]
    result = kept("FREQ=MONTHLY;BYDAY=1TU", held, date(2024, 12, 1), date(2024, 12, 1), date(2026, 11, 30))
    assert (result.windows, result.kept, result.percent) == (24, 21, 88)


def test_a_contact_half_a_gap_away_keeps_its_date_and_only_that_one() -> None:
    """First Tuesday of October 2026 is the 6th; September's is the 1st, November's the 3rd. The
    6 October window runs from 19 September (35 days before: 17 back) to 19 October (28 after: 14)."""
    windows = {
        day: (lo, hi)
        for day, lo, hi in expected_windows(
            "FREQ=MONTHLY;BYDAY=1TU", date(2026, 9, 1), date(2026, 9, 1), date(2026, 11, 30)
        )
    }
    assert windows[date(2026, 10, 6)] == (date(2026, 9, 19), date(2026, 10, 20))
    assert windows[date(2026, 11, 3)][0] == date(2026, 10, 20)  # the windows tile the calendar
    late = kept("FREQ=MONTHLY;BYDAY=1TU", ["2026-10-19 23:00"], date(2026, 9, 1), date(2026, 10, 1), date(2026, 10, 31))
    assert (late.windows, late.kept) == (1, 1)
    too_late = kept(
        "FREQ=MONTHLY;BYDAY=1TU", ["2026-10-20 09:00"], date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 30)
    )
    # it keeps 3 November (its window), not 6 October
    assert (too_late.windows, too_late.kept) == (2, 1)


def test_a_date_whose_window_is_still_open_counts_only_once_kept() -> None:
    rule, anchor = "FREQ=MONTHLY;BYDAY=1TU", date(2026, 9, 1)
    waiting = kept(rule, ["2026-09-01 16:00", "2026-10-06 16:00"], anchor, anchor, date(2026, 11, 3))
    assert (waiting.windows, waiting.kept, waiting.percent) == (2, 2, 100)  # 3 Nov: not missed yet
    held = kept(rule, ["2026-09-01 16:00", "2026-10-06 16:00", "2026-11-03 10:00"], anchor, anchor, date(2026, 11, 3))
    assert (held.windows, held.kept) == (3, 3)
    nothing_yet = kept(rule, [], anchor, anchor, date(2026, 9, 5))
    assert (nothing_yet.percent, nothing_yet.windows) == (None, 0)


def test_monthly_floats_with_the_contacts_across_years() -> None:
    """Monthly: each contact is expected a month after the last one, give or take 15 days. Every
    33 days for two years keeps every date (30-day windows counted back from today would not)."""
    anchor = date(2025, 1, 1)
    contacts = [anchor + timedelta(days=33 * k) for k in range(1, 23)]
    assert contacts[-1] == date(2026, 12, 28)
    every = kept("FREQ=MONTHLY", [f"{d} 09:00" for d in contacts], anchor, anchor, date(2026, 12, 31))
    assert (every.windows, every.kept, every.percent) == (22, 22, 100)
    # one month skipped: that date is missed, the next is expected a month later, and is kept
    gap = kept("FREQ=MONTHLY", [f"{d} 09:00" for d in contacts if d != contacts[9]], anchor, anchor, date(2026, 12, 31))
    assert (gap.windows, gap.kept) == (22, 21)


def test_quarterly_over_two_years_with_a_long_silence() -> None:
    """Quarterly, give or take 45 days: contacts 100 and 200 days after the start, then nothing
    until day 550 and 650. The three dates of the silence are missed; 550 keeps the fourth."""
    anchor = date(2024, 12, 15)
    held = [f"{anchor + timedelta(days=n)} 10:00" for n in (100, 200, 550, 650)]
    result = kept("FREQ=MONTHLY;INTERVAL=3", held, anchor, anchor, anchor + timedelta(days=730))
    assert (result.windows, result.kept, result.percent) == (7, 4, 57)
    steady = [f"{anchor + timedelta(days=100 * k)} 10:00" for k in range(1, 8)]
    assert kept("FREQ=MONTHLY;INTERVAL=3", steady, anchor, anchor, date(2026, 12, 31)).percent == 100


def test_every_ten_days_across_the_new_year() -> None:
    """Give or take 5 days: 30 Dec keeps 28 Dec; 7 Jan keeps 9 Jan; 19 Jan is missed (25 Jan is
    6 days late), and 25 Jan keeps the 29th, whose window is still open on 31 Jan."""
    anchor = date(2026, 12, 20)
    held = ["2026-12-28 10:00", "2027-01-09 10:00", "2027-01-25 10:00"]
    result = kept("FREQ=DAILY;INTERVAL=10", held, anchor, anchor, date(2027, 1, 31))
    assert (result.windows, result.kept) == (4, 3)
    days = expected_days("FREQ=DAILY;INTERVAL=10", anchor, anchor, date(2027, 1, 31))
    assert days[:3] == [date(2026, 12, 20), date(2026, 12, 30), date(2027, 1, 9)]  # the calendar rule's own


def test_the_period_counts_only_its_own_dates() -> None:
    """A contact before the period is where the next expected date is counted from."""
    held = ["2026-03-15 10:00", "2026-04-14 10:00", "2026-05-16 10:00", "2026-06-20 10:00"]
    result = kept("FREQ=MONTHLY", held, date(2026, 1, 2), date(2026, 4, 1), date(2026, 6, 30))
    assert (result.windows, result.kept, result.percent) == (3, 3, 100)


@pytest.mark.parametrize(
    ("zone", "when", "counts_for_30_march"),
    [
        ("Europe/London", "2026-03-29 00:30", True),  # the night London springs forward
        ("Europe/London", "2026-04-02 23:30", True),  # BST: still 2 April, 22:30 UTC
        ("Europe/London", "2026-04-03 00:30", False),  # 23:30 UTC on the 2nd, but 3 April in London
        ("Australia/Sydney", "2026-04-05 02:30", False),  # Sydney falls back that night: 6 April's week
        ("Australia/Sydney", "2026-04-02 23:59", True),
    ],
)
def test_weekly_windows_are_local_days_across_dst(zone: str, when: str, counts_for_30_march: bool) -> None:
    """Weekly on Mondays from 23 March 2026: 30 March owns 27 March to 2 April (local days)."""
    result = kept("FREQ=WEEKLY;BYDAY=MO", [when], date(2026, 3, 23), date(2026, 3, 30), date(2026, 4, 5), zone)
    assert (result.windows, result.kept) == (1, 1 if counts_for_30_march else 0)


def test_the_group_review_uses_expected_dates(ok) -> None:
    """The four-zone group of the issue, on the first Tuesday of each month at 16:00 in Boston,
    reviewed on 30 Nov 2026 since 1 Sep: 3 of 3, whatever London or Sydney's clocks did."""
    with time_machine.travel(datetime(2026, 8, 1, tzinfo=UTC), tick=False) as traveller:
        day = Day(ok, traveller, "America/New_York")
        day.at("2026-08-03 09:00")
        ok("profile", "set", "--name", "Maya Okafor", "--timezone", "America/New_York")
        ok("group", "add", "Mastermind", "--member", "Ana Ruiz", "--member", "Ben Ortiz", "--cadence", "first tuesday")
        for held in first_tuesdays(date(2026, 9, 1), 3):
            day.at(f"{held} 17:00")
            ok("log", "--group", "Mastermind", "--when", f"{held} 16:00")
        day.at("2026-11-30 12:00")
        (group,) = day.json("review", "--since", "2026-09-01")["groups"]
        assert group["cadence_kept"]["percent"] == 100
        assert (group["cadence_kept"]["windows"], group["cadence_kept"]["kept"]) == (3, 3)


def test_an_early_contact_moves_the_next_expected_date() -> None:
    """Monthly from 1 Jan: contacts on 10 and 17 January move the next date to 17 February."""
    held = ["2026-01-10 10:00", "2026-01-17 10:00", "2026-02-17 10:00"]
    result = kept("FREQ=MONTHLY", held, date(2026, 1, 1), date(2026, 1, 1), date(2026, 3, 10))
    assert (result.windows, result.kept) == (1, 1)
