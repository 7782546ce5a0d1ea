"""Cadences in words both ways (mentorkit.cadences): what a person types, what they read back."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.cadences import DAY_CODES, cadence_words, describe_rule, parse_cadence
from mentorkit.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "rule", "words"),
    [
        ("first tuesday", "FREQ=MONTHLY;BYDAY=1TU", "first Tuesday of each month"),
        ("every first tuesday of the month", "FREQ=MONTHLY;BYDAY=1TU", "first Tuesday of each month"),
        ("First Tuesday of each month", "FREQ=MONTHLY;BYDAY=1TU", "first Tuesday of each month"),
        ("the 1st tue every month", "FREQ=MONTHLY;BYDAY=1TU", "first Tuesday of each month"),
        ("last friday", "FREQ=MONTHLY;BYDAY=-1FR", "last Friday of each month"),
        ("second monday", "FREQ=MONTHLY;BYDAY=2MO", "second Monday of each month"),
        ("first and third tuesday", "FREQ=MONTHLY;BYDAY=1TU,3TU", "first and third Tuesday of each month"),
        ("last friday of every 3 months", "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR", "last Friday of every 3 months"),
        (
            "second wednesday of every other month",
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=2WE",
            "second Wednesday of every other month",
        ),
        ("every tuesday", "FREQ=WEEKLY;BYDAY=TU", "every Tuesday"),
        ("every other thursday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "every other Thursday"),
        ("every tuesday and thursday", "FREQ=WEEKLY;BYDAY=TU,TH", "every Tuesday and Thursday"),
        ("every 3 weeks on monday", "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO", "every 3 weeks on Monday"),
        ("the 15th of each month", "FREQ=MONTHLY;BYMONTHDAY=15", "the 15th of each month"),
        ("the last day of each month", "FREQ=MONTHLY;BYMONTHDAY=-1", "the last day of each month"),
        ("every other week", "FREQ=WEEKLY;INTERVAL=2", "every other week"),
        ("every 2 years", "FREQ=YEARLY;INTERVAL=2", "every 2 years"),
        ("every year", "FREQ=YEARLY", "every year"),
        ("every week on monday", "FREQ=WEEKLY;BYDAY=MO", "every Monday"),
        ("every second tuesday of the month", "FREQ=MONTHLY;BYDAY=2TU", "second Tuesday of each month"),
        ("RRULE:FREQ=MONTHLY;BYDAY=1TU", "FREQ=MONTHLY;BYDAY=1TU", "first Tuesday of each month"),
    ],
)
def test_words_become_rules_and_rules_become_words(text: str, rule: str, words: str) -> None:
    cadence = parse_cadence(text)
    assert (cadence.rule, cadence.label) == (rule, words)
    assert parse_cadence(words).rule == rule


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("every tue", "FREQ=WEEKLY;BYDAY=TU"),
        ("every tues", "FREQ=WEEKLY;BYDAY=TU"),
        ("every thu", "FREQ=WEEKLY;BYDAY=TH"),
        ("every thur", "FREQ=WEEKLY;BYDAY=TH"),
        ("every thurs", "FREQ=WEEKLY;BYDAY=TH"),
        ("every mondays and fridays", "FREQ=WEEKLY;BYDAY=MO,FR"),
        ("1st tue", "FREQ=MONTHLY;BYDAY=1TU"),
        ("2nd monday", "FREQ=MONTHLY;BYDAY=2MO"),
        ("3rd wed", "FREQ=MONTHLY;BYDAY=3WE"),
        ("4th fri", "FREQ=MONTHLY;BYDAY=4FR"),
        ("5th sat", "FREQ=MONTHLY;BYDAY=5SA"),
    ],
)
def test_weekdays_may_be_abbreviated_and_ordinals_written_as_numbers(text: str, rule: str) -> None:
    """docs/dates.md: `the 1st tue every month`; each short form names its own day or ordinal."""
    assert parse_cadence(text).rule == rule


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=1TU", "first Tuesday of each month"),
        ("FREQ=MONTHLY;BYDAY=3TH,1TU", "first Tuesday and third Thursday of each month"),
        ("FREQ=WEEKLY;INTERVAL=2", "every other week"),
        ("FREQ=MONTHLY;INTERVAL=3", "every 3 months"),
        ("FREQ=DAILY", "daily"),
        ("FREQ=MONTHLY;BYMONTHDAY=2", "the 2nd of each month"),
        ("FREQ=MONTHLY;BYMONTHDAY=11", "the 11th of each month"),
        ("FREQ=MONTHLY;BYMONTHDAY=12", "the 12th of each month"),
        ("FREQ=MONTHLY;BYMONTHDAY=21", "the 21st of each month"),
        ("FREQ=MONTHLY;BYMONTHDAY=22", "the 22nd of each month"),
        ("FREQ=MONTHLY;BYMONTHDAY=23", "the 23rd of each month"),
        ("FREQ=MONTHLY;BYMONTHDAY=31", "the 31st of each month"),
        ("FREQ=YEARLY;BYMONTH=9;BYDAY=1TU", "custom repeat (RRULE FREQ=YEARLY;BYMONTH=9;BYDAY=1TU)"),
    ],
)
def test_every_rule_is_shown_in_words(rule: str, words: str) -> None:
    assert describe_rule(rule) == words
    assert parse_cadence(words).rule.split(";")[0] == rule.split(";")[0]


@pytest.mark.parametrize(
    "text",
    [
        "tuesday",
        "first",
        "second holiday",
        "every second tuesday",
        "the 32nd of each month",
        "every 0 weeks on monday",
        "every 0 days",
        "FREQ=WEEKLY)",
        "sometime",
        "the last day",  # of the week? of the month?
        "the 15th",
        "every tuesday of each month",
        "first tuesday and second",
    ],
)
def test_words_outside_the_grammar_are_refused_never_guessed(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_cadence(text)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=HOURLY",  # kept by a store from before cadences had to be at least daily
        "FREQ=WEEKLY;INTERVAL=0",  # likewise, from before INTERVAL had to be 1 to 1000
        "FREQ=YEARLY;BYMONTHDAY=15",
        "FREQ=MONTHLY;BYMONTHDAY=0",
        "FREQ=MONTHLY;BYDAY=TU",
        "FREQ=WEEKLY;FREQ=MONTHLY",
    ],
)
def test_a_rule_the_words_cannot_say_is_shown_as_a_custom_repeat(rule: str) -> None:
    """docs/dates.md: a rule outside the grammar is shown as `custom repeat (RRULE ...)`, never guessed."""
    assert describe_rule(rule) == f"custom repeat (RRULE {rule})"


def test_a_stored_raw_rule_label_is_shown_in_words() -> None:
    """Stores made before cadences had words kept the RRULE as the label."""
    assert cadence_words("FREQ=MONTHLY;BYDAY=1TU", "FREQ=MONTHLY;BYDAY=1TU") == "first Tuesday of each month"
    assert cadence_words("FREQ=WEEKLY;INTERVAL=2", "biweekly") == "biweekly"
    assert cadence_words("FREQ=MONTHLY", None) == "monthly"
    assert cadence_words(None, None) is None


_ORDINALS = st.sets(st.sampled_from([1, 2, 3, 4, 5, -1]), min_size=1, max_size=3)


@st.composite
def rules(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["simple", "weekdays", "ordinals", "monthday"]))
    interval = draw(st.integers(1, 12))
    every = f";INTERVAL={interval}" if interval > 1 else ""
    if kind == "simple":
        return f"FREQ={draw(st.sampled_from(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']))}{every}"
    if kind == "weekdays":
        days = sorted(draw(st.sets(st.integers(0, 6), min_size=1, max_size=4)))
        return f"FREQ=WEEKLY{every};BYDAY=" + ",".join(DAY_CODES[d] for d in days)
    if kind == "monthday":
        return f"FREQ=MONTHLY{every};BYMONTHDAY={draw(st.sampled_from([*range(1, 29), -1]))}"
    items = set()
    for day in draw(st.sets(st.integers(0, 6), min_size=1, max_size=2)):
        items.update((day, n) for n in draw(_ORDINALS))
    ordered = sorted(items, key=lambda p: (p[0], p[1] < 0, abs(p[1])))
    return f"FREQ=MONTHLY{every};BYDAY=" + ",".join(f"{n}{DAY_CODES[d]}" for d, n in ordered)


@settings(max_examples=150, deadline=None)
@given(rules())
def test_words_to_rule_to_words_is_stable(rule: str) -> None:
    words = describe_rule(rule)
    assert not words.startswith("custom")
    again = parse_cadence(words)
    assert again.rule == rule
    assert again.label == words


def test_groups_board_followups_and_review_show_words_not_rules(cli, empty_store) -> None:
    assert cli("profile", "set", "--name", "Me", "--timezone", "America/New_York").exit_code == 0
    made = cli("group", "add", "Mastermind", "--member", "Ana Ruiz", "--cadence", "FREQ=MONTHLY;BYDAY=1TU")
    assert made.exit_code == 0, made.stderr
    # a store made before cadences had words kept the raw rule as the label
    conn = sqlite3.connect(empty_store)
    conn.execute("UPDATE mgroup SET cadence_label = cadence")
    conn.commit()
    conn.close()
    for args in (("groups",), ("board",), ("followups", "--all"), ("export", "--format", "md")):
        out = cli(*args)
        assert out.exit_code == 0, out.stderr
        assert "FREQ=" not in out.stdout, args
        assert "first Tuesday of each month" in out.stdout, args


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL from 1 to 1000"),  # dateutil's `.after` never returned: a hang
        ("FREQ=MONTHLY;BYDAY=1TU;INTERVAL=0", "INTERVAL from 1 to 1000"),
        ("FREQ=WEEKLY;INTERVAL=-2", "INTERVAL from 1 to 1000"),
        ("FREQ=WEEKLY;INTERVAL=x", "INTERVAL from 1 to 1000"),
        ("FREQ=MINUTELY", "more often than daily"),
        ("FREQ=HOURLY;INTERVAL=5", "more often than daily"),
        ("FREQ=SECONDLY", "more often than daily"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never comes round"),
        ("FREQ=WEEKLY;COUNT=3", "without end"),
        ("FREQ=WEEKLY;UNTIL=20270101T000000Z", "without end"),
        ("FREQ=MONTHLY;BYDAY=1TU;UNTIL=20301231T000000Z", "without end"),
    ],
)
def test_a_cadence_that_cannot_pace_meetings_is_refused_at_once(rule: str, says: str) -> None:
    """RFC 5545's INTERVAL is a positive integer, and a cadence of contact is days apart at least;
    `plan --repeat` had planned three meetings at the same minute, or a minute apart."""
    with pytest.raises(InvalidInput) as caught:
        parse_cadence(rule)
    assert says in str(caught.value)


def test_a_bad_interval_is_one_line_from_the_command(ok, cli) -> None:
    ok("add-mentor", "Wang Test", "--stage", "active", "--cadence", "weekly")
    result = cli("edit", "Wang", "--cadence", "FREQ=DAILY;INTERVAL=0")
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert ok("show", "Wang", "--json").json()["mentor"]["cadence"] == "FREQ=WEEKLY"


@pytest.mark.parametrize(
    ("rule", "kept"),
    [("FREQ=WEEKLY;INTERVAL=1", True), ("FREQ=MONTHLY;INTERVAL=1000", True), ("FREQ=MONTHLY;INTERVAL=1001", False)],
)
def test_an_interval_from_1_to_1000_is_kept(rule: str, kept: bool) -> None:
    """docs/dates.md: an RRULE's INTERVAL is 1 to 1000; outside that it is refused."""
    if kept:
        assert parse_cadence(rule).rule == rule
    else:
        with pytest.raises(InvalidInput, match="INTERVAL from 1 to 1000"):
            parse_cadence(rule)


@pytest.mark.parametrize(
    ("cadence", "days"),
    [
        ("daily", 1),
        ("every 10 days", 10),
        ("weekly", 7),
        ("every 3 weeks", 21),
        ("monthly", 30),
        ("quarterly", 90),
        ("first tuesday", 30),
        ("yearly", 365),
        ("every 2 years", 730),
    ],
)
def test_one_period_of_a_cadence_in_days(ok, cadence: str, days: int) -> None:
    """docs/dates.md: a period is a day, 7, 30 or 365 days by FREQ, times INTERVAL (review's
    `window_days`)."""
    ok("add-mentor", "Ann Period", "--stage", "active", "--cadence", cadence)
    (mentor,) = ok("review", "--json").json()["mentors"]
    assert mentor["cadence_kept"]["window_days"] == days


@pytest.mark.parametrize(
    ("stored", "usable"),
    [
        ("FREQ=WEEKLY", True),
        ("FREQ=MONTHLY;BYDAY=1TU", True),
        ("INTERVAL=2;FREQ=WEEKLY", True),
        ("FREQ=YEARLY;BYMONTH=9", True),
        ("freq=monthly", False),  # not as --cadence keeps it
        (" FREQ=WEEKLY", False),
        ("FREQ=WEEKLY ", False),
        ("FREQ=weekly", False),
        ("monthly", False),
        ("every tuesday", False),
        ("BYDAY=TU", False),
        ("FREQ=DAILY;INTERVAL=0", False),
        ("FREQ=WEEKLY;COUNT=3", False),
    ],
)
def test_an_imported_cadence_must_be_a_rule_as_cadence_keeps_it(stored: str, usable: bool) -> None:
    """docs/data.md: an import takes a cadence only as `--cadence` keeps it (an RRULE in capitals,
    within the limits of docs/dates.md)."""
    from mentorkit.cadences import is_stored_rule

    assert is_stored_rule(stored) is usable


# ---- found by the full mutation run of cadences.py (docs/testing.md) ---------------------------


@pytest.mark.parametrize(
    ("text", "rule", "words"),
    [
        ("every 1 week", "FREQ=WEEKLY", "every week"),
        ("every 1 day", "FREQ=DAILY", "every day"),
        ("every 1 week on monday", "FREQ=WEEKLY;BYDAY=MO", "every Monday"),
    ],
)
def test_every_1_unit_is_the_smallest_interval_and_is_kept(text: str, rule: str, words: str) -> None:
    cadence = parse_cadence(text)
    assert (cadence.rule, cadence.label) == (rule, words)  # the rule kept, the words shown


@pytest.mark.parametrize("text", ["first tuesday and second", "first and third", "second and last"])
def test_an_ordinal_without_its_weekday_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_cadence(text)


def test_a_series_on_an_rrule_starting_on_one_of_its_days_has_each_date_once() -> None:
    """docs/daily-loop.md, `plan --repeat`: the first at --when, the next ones on the cadence."""
    from datetime import UTC, datetime, timedelta
    from itertools import islice

    from mentorkit.cadences import cadence_dates

    tuesday = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # a first Tuesday, on the rule
    assert list(islice(cadence_dates("FREQ=WEEKLY;BYDAY=TU", tuesday), 3)) == [
        tuesday,
        tuesday + timedelta(weeks=1),
        tuesday + timedelta(weeks=2),
    ]
    assert list(islice(cadence_dates("FREQ=MONTHLY;BYDAY=1TU", tuesday), 2)) == [
        tuesday,
        datetime(2027, 1, 5, 15, 0, tzinfo=UTC),
    ]
