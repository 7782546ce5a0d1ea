"""The measures and reasons of `review` (docs/review.md), each at its boundary.

The review is taken on Tuesday 30 June 2026 at noon in Chicago over the default period: the 91
days from 1 April to 30 June.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from rules_helpers import ZONE, Day

REVIEW_DAY = "2026-06-30 12:00"


@pytest.fixture
def day(ok):
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC), tick=False) as traveller:
        d = Day(ok, traveller)
        d.at("2026-01-05 09:00")
        ok("profile", "set", "--name", "Maya Okafor", "--timezone", ZONE)
        yield d


def review(day: Day) -> dict:
    day.at(REVIEW_DAY)
    return day.json("review")


def mentor(report: dict, name: str) -> dict:
    return next(m for m in report["mentors"] if m["name"] == name)


def reasons(report: dict, reason: str) -> dict[str, str]:
    return {r["mentor"]: r["detail"] for r in report["reconsider"] if r["reason"] == reason}


# ---- cadence kept --------------------------------------------------------------------------


def test_a_contact_at_local_midnight_opens_the_window(day) -> None:
    """Weekly since 17 June: the next contact is expected on 24 June, give or take 3 days, so its
    window opens at local midnight on 21 June: 00:00 that day keeps it, 23:59 the day before not."""
    day.mentor("Wendy Weekly", "--stage", "active", "--cadence", "weekly", on="2026-06-17 09:00")
    day.mentor("Walt Weekly", "--stage", "active", "--cadence", "weekly", on="2026-06-17 09:00")
    day.contact("wendy", "2026-06-21 00:00")
    day.contact("walt", "2026-06-20 23:59")
    report = review(day)
    wendy, walt = (mentor(report, name)["cadence_kept"] for name in ("Wendy Weekly", "Walt Weekly"))
    assert (wendy["windows"], wendy["kept"], wendy["percent"]) == (1, 1, 100)
    assert (walt["windows"], walt["kept"], walt["percent"]) == (1, 0, 0)


def test_a_calendar_days_window_reaches_half_the_gap_to_the_next_expected_day(day) -> None:
    """docs/review.md: a calendar cadence's day owns the days nearer to it than to the expected
    days either side. First Tuesdays: 2 June's neighbours are 5 May (28 days before) and 7 July
    (35 days after, beyond the span), so 2 June owns the days to 19 June: a contact on 18 June is
    16 days after it and 19 before 7 July, and keeps it."""
    day.mentor("Fay First", "--stage", "active", "--cadence", "first tuesday", on="2026-01-05 09:00")
    for when in ("2026-04-07 10:00", "2026-05-05 10:00", "2026-06-18 10:00"):
        day.contact("fay", when)
    kept = mentor(review(day), "Fay First")["cadence_kept"]
    assert (kept["windows"], kept["kept"], kept["percent"]) == (3, 3, 100)


def test_a_simple_cadence_chains_from_the_last_contact_before_the_span(day) -> None:
    """docs/review.md: the chain starts from the last contact before the span. Monthly, with
    contacts on 10 January and 28 March and none since: the next was expected on 28 April (give or
    take 15 days), then 28 May, both missed; 28 June's window is still open. The January contact
    plays no part (a chain from it would expect 10 April, kept by 28 March)."""
    day.mentor("Mo Monthly", "--stage", "active", "--cadence", "monthly", on="2026-01-05 09:00")
    day.contact("mo", "2026-01-10 10:00")
    day.contact("mo", "2026-03-28 10:00")
    kept = mentor(review(day), "Mo Monthly")["cadence_kept"]
    assert (kept["windows"], kept["kept"], kept["percent"]) == (2, 0, 0)


def test_a_contact_the_day_after_the_chain_starts_moves_the_next_expected_day(day) -> None:
    """docs/review.md: a contact before the window moves the next expected day. Weekly since
    Monday 1 June: a contact the next day, 2 June, is before the window of 8 June (5 to 11 June),
    so the next is expected on 9 June, kept by 12 June; then 19 and 26 June, kept on their days."""
    day.mentor("Web Weekly", "--stage", "active", "--cadence", "weekly", on="2026-06-01 09:00")
    for when in ("2026-06-02 10:00", "2026-06-12 10:00", "2026-06-19 10:00", "2026-06-26 10:00"):
        day.contact("web", when)
    kept = mentor(review(day), "Web Weekly")["cadence_kept"]
    assert (kept["windows"], kept["kept"], kept["percent"]) == (3, 3, 100)


# ---- reasons to reconsider -----------------------------------------------------------------


def test_stale_means_more_than_twice_the_cadence(day) -> None:
    """Monthly is 30 days, so twice it is 60: silent for 60 days is not stale, 61 is."""
    for name in ("Mia Sixty", "Nat Sixtyone"):
        day.mentor(name, "--stage", "active", "--cadence", "monthly", on="2026-01-05 09:00")
    day.contact("mia", "2026-05-01 10:00")  # 60 days before 30 June
    day.contact("nat", "2026-04-30 10:00")  # 61
    day.mentor("Olga Quiet", "--stage", "active", "--cadence", "monthly", on="2026-05-01 09:00")
    day.mentor("Pat Quiet", "--stage", "active", "--cadence", "monthly", on="2026-04-30 09:00")
    stale = reasons(review(day), "stale")
    assert set(stale) == {"Nat Sixtyone", "Pat Quiet"}
    assert "no contact for 61 days" in stale["Nat Sixtyone"]
    assert "no contact for 61 days (none since it started)" in stale["Pat Quiet"]


def test_a_pilot_review_is_due_on_its_day(day) -> None:
    day.mentor("Kim Lee", "--stage", "pilot", "--pilot-weeks", "4", on="2026-06-02 09:00")  # review 30 June
    day.mentor("Lou Park", "--stage", "pilot", "--pilot-weeks", "4", on="2026-06-03 09:00")  # review 1 July
    due = reasons(review(day), "pilot-due")
    assert set(due) == {"Kim Lee"}
    assert "due on Tue 30 Jun 2026 (today)" in due["Kim Lee"]


def test_one_sided_needs_more_failed_meetings_than_held_ones(day) -> None:
    for name in ("Quinn Even", "Rae Uneven", "Sol Once"):
        day.mentor(name, "--stage", "active", on="2026-01-05 09:00")
    day.contact("quinn", "2026-04-10 10:00")
    day.contact("quinn", "2026-05-10 10:00")
    day.planned_then("quinn", "2026-05-20 10:00", "cancelled")
    day.planned_then("quinn", "2026-06-01 10:00", "missed")
    day.contact("rae", "2026-04-10 10:00")
    day.planned_then("rae", "2026-05-20 10:00", "cancelled")
    day.planned_then("rae", "2026-06-01 10:00", "missed")
    day.planned_then("sol", "2026-06-01 10:00", "cancelled")
    one_sided = reasons(review(day), "one-sided")
    assert set(one_sided) == {"Rae Uneven"}
    assert "2 of 3 meetings in the period were cancelled or missed (1 cancelled, 1 missed)" in one_sided["Rae Uneven"]


def test_low_value_needs_more_than_half_of_the_rated_advice_unhelpful(day) -> None:
    ratings = {"Uma Half": ["helpful", "unhelpful"], "Vic Most": ["helpful", "unhelpful", "unhelpful"]}
    ratings["Wes Once"] = ["unhelpful"]
    for name, outcomes in ratings.items():
        day.mentor(name, "--stage", "active", on="2026-01-05 09:00")
        for n, outcome in enumerate(outcomes):
            advice = day.ok("advice", "add", name.split()[0], f"Advice {n}").stdout.strip()
            day.ok("advice", "rate", advice, outcome)
    low = reasons(review(day), "low-value")
    assert set(low) == {"Vic Most"}
    assert "2 of 3 rated pieces of advice were unhelpful" in low["Vic Most"]


# ---- flags, follow-ups, ended relationships ------------------------------------------------


def test_a_flag_raised_and_resolved_in_the_period_is_listed(day) -> None:
    day.mentor("Xena Flagged", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-03-20 12:00")
    before = day.json("flag", "xena", "Missed the deadline", "--on", "2026-03-01")["id"]
    day.ok("unflag", str(before), "--on", "2026-03-15")
    during = day.json("flag", "xena", "Took credit", "--kind", "competition", "--on", "2026-03-19")["id"]
    day.at("2026-05-02 12:00")
    inside = day.json("flag", "xena", "Cancelled twice", "--kind", "commitment", "--on", "2026-04-10")["id"]
    day.ok("unflag", str(inside), "--on", "2026-05-01")
    day.ok("unflag", str(during), "--on", "2026-05-01")
    report = review(day)
    listed = {f["id"] for f in mentor(report, "Xena Flagged")["flags"]}
    assert listed == {inside}
    assert reasons(report, "flagged") == {}


def test_a_follow_up_due_today_is_open_but_not_late(day) -> None:
    day.mentor("Yara Due", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-06-20 12:00")
    day.ok("followup", "add", "yara", "Due today", "--due", "2026-06-30")
    day.ok("followup", "add", "yara", "Due yesterday", "--due", "2026-06-29")
    day.ok("followup", "add", "yara", "Theirs, due today", "--owner", "mentor", "--due", "2026-06-30")
    m = mentor(review(day), "Yara Due")
    assert (m["mine"]["open"], m["mine"]["late"]) == (2, 1)
    assert (m["theirs"]["open"], m["theirs"]["late"]) == (1, 0)


def test_follow_ups_done_in_the_period_count_wherever_they_were_created(day) -> None:
    day.mentor("Bea Done", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-01-10 12:00")
    early = day.ok("followup", "add", "bea", "Created and done before the period").stdout.strip()
    day.at("2026-03-01 12:00")
    spanning = day.ok("followup", "add", "bea", "Created before, done inside").stdout.strip()
    day.at("2026-03-20 12:00")
    day.ok("followup", "done", early)
    day.at("2026-06-01 12:00")
    day.ok("followup", "add", "bea", "Created inside, still open")
    day.at("2026-06-10 12:00")
    day.ok("followup", "done", spanning)
    dropped = day.ok("followup", "add", "bea", "Dropped inside the period").stdout.strip()
    day.ok("followup", "drop", dropped)
    mine = mentor(review(day), "Bea Done")["mine"]
    assert (mine["open"], mine["done"]) == (1, 1)


def test_a_mentor_ended_then_taken_back_is_not_listed_as_ended(day) -> None:
    day.mentor("Zed Back", "--stage", "active", on="2026-01-05 09:00")
    day.mentor("Abe Gone", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-05-01 12:00")
    day.ok("end", "zed", "--reason", "No time this spring")
    day.ok("end", "abe", "--reason", "Moved on")
    day.at("2026-06-01 12:00")
    day.ok("stage", "zed", "active")
    report = review(day)
    assert [(e["mentor"], e["on"], e["reason"]) for e in report["ended"]] == [("Abe Gone", "2026-05-01", "Moved on")]
    assert "Zed Back" in {m["name"] for m in report["mentors"]}


def test_a_relationship_starts_at_its_first_contact_when_that_came_first(day) -> None:
    """docs/review.md: a mentor added today with contacts logged for last year started last year."""
    day.mentor("Cal Early", on="2026-01-05 09:00")  # a prospect: no stage change to active yet
    day.contact("cal", "2026-02-01 10:00")
    day.contact("cal", "2026-03-01 10:00")
    day.at("2026-06-01 12:00")
    day.ok("stage", "cal", "active")
    day.ok("edit", "cal", "--cadence", "monthly")
    m = mentor(review(day), "Cal Early")
    assert m["started_on"] == "2026-02-01"
    assert m["cadence"] == "monthly"  # as typed, not the stored RRULE


def test_no_cadence_gives_no_figure_and_no_windows(day) -> None:
    day.mentor("Dee None", "--stage", "active", on="2026-01-05 09:00")
    kept = mentor(review(day), "Dee None")["cadence_kept"]
    assert kept == {"percent": None, "windows": 0, "kept": 0, "window_days": None}


# ---- found by mutation testing (docs/testing.md) ---------------------------------------------


def test_a_review_since_today_is_one_day_and_tomorrow_is_refused(day, cli) -> None:
    """docs/review.md: a date in the future is refused; today is not in the future."""
    day.mentor("Dee Today", "--stage", "active", on="2026-01-05 09:00")
    day.at(REVIEW_DAY)
    assert day.json("review", "--since", "2026-06-30")["since"] == "2026-06-30"
    refused = cli("review", "--since", "2026-07-01")
    assert refused.exit_code == 1 and "in the future" in refused.stderr


def test_an_item_done_at_the_first_instant_of_the_period_was_done_in_it(day) -> None:
    """The period starts at local midnight of its first day (1 April): done then counts, a second
    before does not."""
    day.mentor("Flo Midnight", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-03-20 12:00")
    inside = day.ok("followup", "add", "flo", "Done at midnight").stdout.strip()
    outside = day.ok("followup", "add", "flo", "Done just before").stdout.strip()
    day.at("2026-03-31 23:59:59")
    day.ok("followup", "done", outside)
    day.at("2026-04-01 00:00")
    day.ok("followup", "done", inside)
    assert mentor(review(day), "Flo Midnight")["mine"]["done"] == 1


def test_days_to_done_count_from_the_meeting_or_from_when_the_item_was_added_if_earlier(day) -> None:
    """docs/review.md: an item typed in after its meeting counts from the meeting; one added
    before its meeting took place counts from when it was added."""
    day.mentor("Gus Late", "--stage", "active", on="2026-01-05 09:00")
    held = day.contact("gus", "2026-05-01 10:00")
    day.at("2026-06-10 10:00")  # typed in 40 days after the meeting, done 2 days later
    typed = day.ok("followup", "add", "gus", "Typed in late", "--meeting", str(held)).stdout.strip()
    day.at("2026-06-12 10:00")
    day.ok("followup", "done", typed)
    assert mentor(review(day), "Gus Late")["mine"]["median_days_to_done"] == 42.0

    day.mentor("Hal Early", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-06-01 10:00")
    planned = day.ok("plan", "hal", "--when", "2026-06-05 10:00").stdout.strip()
    ahead = day.ok("followup", "add", "hal", "Read the draft first", "--meeting", planned).stdout.strip()
    day.at("2026-06-05 11:00")
    day.ok("meetings", "mark", planned, "held")
    day.at("2026-06-06 10:00")
    day.ok("followup", "done", ahead)
    assert mentor(review(day), "Hal Early")["mine"]["median_days_to_done"] == 5.0


def test_a_paused_mentors_cadence_is_kept_until_the_pause(day) -> None:
    """Weekly, contacts every week until paused on Tuesday 2 June: the span ends that day, so the
    four quiet weeks since do not count against the cadence."""
    day.mentor("Ivy Paused", "--stage", "active", "--cadence", "weekly", on="2026-04-01 09:00")
    for when in ("2026-04-28", "2026-05-05", "2026-05-12", "2026-05-19", "2026-05-26", "2026-06-02"):
        day.contact("ivy", f"{when} 09:00")
    day.at("2026-06-02 12:00")
    day.ok("stage", "ivy", "paused")
    kept = mentor(review(day), "Ivy Paused")["cadence_kept"]
    # 1 April to 2 June is 9 whole weeks, 6 with a contact (counted to today: 13 weeks, 46%)
    assert (kept["windows"], kept["kept"], kept["percent"]) == (9, 6, 67)


def test_a_relationship_with_no_start_and_no_contact_starts_when_the_mentor_was_added(day) -> None:
    """docs/review.md: neither a pilot or active stage nor a contact yet (added as paused)."""
    day.mentor("Jo Waiting", "--stage", "paused", on="2026-05-10 09:00")
    assert mentor(review(day), "Jo Waiting")["started_on"] == "2026-05-10"


def test_flagged_says_since_the_first_open_flag(day) -> None:
    day.mentor("Kit Flags", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-06-01 12:00")
    day.ok("flag", "kit", "Took credit", "--kind", "competition", "--on", "2026-05-20")
    day.ok("flag", "kit", "Missed two calls", "--kind", "commitment", "--on", "2026-04-10")
    assert "(since 2026-04-10)" in reasons(review(day), "flagged")["Kit Flags"]


def test_a_relationship_ended_at_the_first_instant_of_the_period_ended_in_it(day) -> None:
    day.mentor("Lou Midnight", "--stage", "active", on="2026-01-05 09:00")
    day.mentor("Max Before", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-03-31 23:59:59")
    day.ok("end", "max", "--reason", "A second too early")
    day.at("2026-04-01 00:00")
    day.ok("end", "lou", "--reason", "Right at midnight")
    assert [e["mentor"] for e in review(day)["ended"]] == ["Lou Midnight"]


def test_low_value_counts_from_two_rated_pieces(day) -> None:
    """docs/review.md: at least 2 pieces rated, more than half unhelpful: two of two is enough."""
    day.mentor("Ned Two", "--stage", "active", on="2026-01-05 09:00")
    for n in range(2):
        advice = day.ok("advice", "add", "ned", f"Advice {n}").stdout.strip()
        day.ok("advice", "rate", advice, "unhelpful")
    assert "2 of 2 rated pieces of advice were unhelpful" in reasons(review(day), "low-value")["Ned Two"]


def test_a_group_started_at_its_first_meeting_when_that_came_before_it_was_added(day) -> None:
    """As for a mentor, the tracked span starts at the earlier of the group's creation and its
    first meeting: a group added on 1 June with fortnightly meetings logged since 1 April."""
    day.mentor("Ola Member", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-06-01 09:00")
    day.ok("group", "add", "Writers", "--member", "ola", "--cadence", "biweekly")
    for when in ("2026-04-02", "2026-04-16", "2026-04-30", "2026-05-14", "2026-05-28", "2026-06-11", "2026-06-25"):
        day.at(f"{when} 18:00")
        day.ok("log", "--group", "Writers", "--when", f"{when} 10:00")
    group = next(g for g in review(day)["groups"] if g["name"] == "Writers")
    # 2 April (the first meeting) to 30 June: 6 whole fortnights, each with a meeting
    assert (group["cadence_kept"]["windows"], group["cadence_kept"]["percent"]) == (6, 100)


def test_an_ended_relationship_is_listed_once_at_its_end(day) -> None:
    """A mentor made active and then ended inside the period is listed once, on the day it ended."""
    day.mentor("Pia Short", on="2026-01-05 09:00")
    day.at("2026-04-20 12:00")
    day.ok("stage", "pia", "active")
    day.at("2026-05-20 12:00")
    day.ok("end", "pia", "--reason", "It did not fit")
    assert [(e["mentor"], e["on"]) for e in review(day)["ended"]] == [("Pia Short", "2026-05-20")]


def test_a_flag_raised_on_the_first_day_of_the_period_and_resolved_is_listed(day) -> None:
    day.mentor("Quin First", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-04-02 12:00")
    flag = day.json("flag", "quin", "Late again", "--on", "2026-04-01")["id"]
    day.ok("unflag", str(flag), "--on", "2026-04-02")
    assert {f["id"] for f in mentor(review(day), "Quin First")["flags"]} == {flag}


def test_pilot_due_counts_contacts_in_words(day) -> None:
    day.mentor("Ray Pilot", "--stage", "pilot", "--pilot-weeks", "8", on="2026-05-05 09:00")
    day.contact("ray", "2026-06-01 10:00")
    assert "; 1 contact in the period," in reasons(review(day), "pilot-due")["Ray Pilot"]


def test_contacts_at_the_first_instant_of_the_period_and_at_this_instant_both_count(day) -> None:
    """The period runs from local midnight of its first day (1 April) to now, both included."""
    day.mentor("Sue Edges", "--stage", "active", on="2026-01-05 09:00")
    day.contact("sue", "2026-03-31 23:59")
    day.contact("sue", "2026-04-01 00:00")
    day.at(REVIEW_DAY)
    day.ok("log", "sue", "--when", "2026-06-30 12:00")
    m = mentor(day.json("review"), "Sue Edges")
    assert (m["held"], m["last_contact"], m["days_since_contact"]) == (2, "2026-06-30", 0)


def test_a_meeting_that_did_not_happen_is_not_the_last_contact(day) -> None:
    day.mentor("Tom Cancels", "--stage", "active", on="2026-01-05 09:00")
    day.contact("tom", "2026-04-10 10:00")
    day.planned_then("tom", "2026-06-01 10:00", "cancelled")
    day.planned_then("tom", "2026-06-08 10:00", "missed")
    m = mentor(review(day), "Tom Cancels")
    assert (m["held"], m["cancelled"], m["missed"], m["last_contact"]) == (1, 1, 1, "2026-04-10")


def test_a_relationship_starts_at_the_first_contact_that_happened(day) -> None:
    """A cancelled meeting before the first contact does not start the relationship; a first
    contact at this very instant does."""
    day.mentor("Una Start", on="2026-01-05 09:00")  # a prospect: no stage change to active yet
    day.mentor("Vera Now", "--stage", "paused", on="2026-01-05 09:00")
    day.planned_then("una", "2026-02-01 10:00", "cancelled")
    day.contact("una", "2026-03-01 10:00")
    day.at("2026-06-01 12:00")
    day.ok("stage", "una", "active")
    day.at(REVIEW_DAY)
    day.ok("log", "vera", "--when", "2026-06-30 12:00")
    report = day.json("review")
    assert mentor(report, "Una Start")["started_on"] == "2026-03-01"
    assert mentor(report, "Vera Now")["started_on"] == "2026-06-30"


def test_advice_is_counted_by_outcome_with_none_of_the_others(day) -> None:
    day.mentor("Wim Advice", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-05-01 12:00")
    advice = day.ok("advice", "add", "wim", "Say no more often").stdout.strip()
    day.ok("advice", "rate", advice, "unhelpful")
    m = mentor(review(day), "Wim Advice")
    expected = {"total": 1, "helpful": 0, "mixed": 0, "unhelpful": 1, "untested": 0}
    assert {k: m["advice"][k] for k in expected} == expected
    assert {k: m["advice_record"][k] for k in expected} == expected


def test_local_remote_or_unknown_is_said_as_given(day) -> None:
    day.mentor("Xia Local", "--stage", "active", "--local", on="2026-01-05 09:00")
    day.mentor("Yan Remote", "--stage", "active", "--remote", on="2026-01-05 09:00")
    day.mentor("Zoe Unknown", "--stage", "active", on="2026-01-05 09:00")
    report = review(day)
    assert [mentor(report, n)["local"] for n in ("Xia Local", "Yan Remote", "Zoe Unknown")] == [True, False, None]


def test_advice_given_on_the_first_day_of_the_period_is_in_it(day) -> None:
    day.mentor("Abe Advice", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-04-02 12:00")
    day.ok("advice", "add", "abe", "On the first day", "--on", "2026-04-01")
    day.ok("advice", "add", "abe", "The day before", "--on", "2026-03-31")
    assert mentor(review(day), "Abe Advice")["advice"]["total"] == 1


def test_items_done_against_their_due_date_are_counted_late_or_early_in_days(day) -> None:
    """docs/review.md "Against the due date": done after the due day is late; the median is of
    (done day - due day), positive late, negative early."""
    day.mentor("Bo Dates", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-05-01 12:00")
    late = day.ok("followup", "add", "bo", "Late one", "--due", "2026-05-10").stdout.strip()
    early = day.ok("followup", "add", "bo", "Early one", "--due", "2026-05-20").stdout.strip()
    day.ok("followup", "add", "bo", "No due date")
    day.at("2026-05-13 12:00")
    day.ok("followup", "done", late)  # 3 days late
    day.ok("followup", "done", early)  # 7 days early
    mine = mentor(review(day), "Bo Dates")["mine"]
    assert (mine["done"], mine["done_with_due"], mine["done_late"], mine["median_days_late"]) == (2, 2, 1, -2)


def test_a_mentor_without_follow_ups_has_none_open_either_way(day) -> None:
    day.mentor("Cy Clear", "--stage", "active", on="2026-01-05 09:00")
    m = mentor(review(day), "Cy Clear")
    assert (m["mine"]["open"], m["theirs"]["open"], m["mine"]["late"], m["theirs"]["late"]) == (0, 0, 0, 0)


# ---- found by the full mutation run of domain/review.py (7 December, afternoon) ----------------


def test_only_items_marked_done_count_as_done(day, tmp_path: Path) -> None:
    """docs/review.md: items *done* in the period give the median days to done. A dropped or open
    item carrying a done time (a file from elsewhere, or an edited export) was not done."""
    day.mentor("Ida Import", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-05-01 12:00")
    done = day.ok("followup", "add", "ida", "Done").stdout.strip()
    dropped = day.ok("followup", "add", "ida", "Dropped").stdout.strip()
    day.ok("followup", "add", "ida", "Still open")
    day.at("2026-05-03 12:00")
    day.ok("followup", "done", done)
    day.ok("followup", "drop", dropped)
    export = tmp_path / "board.json"
    day.ok("export", "--format", "json", "-o", str(export))
    data = json.loads(export.read_text())
    for item in data["tables"]["followups"]:
        item["done_at"] = item["done_at"] or "2026-05-02T17:00:00Z"
    export.write_text(json.dumps(data))
    other = str(tmp_path / "moved" / "mentorkit.db")
    day.ok("--db", other, "import", str(export))
    day.at(REVIEW_DAY)
    mine = mentor(day.json("--db", other, "review"), "Ida Import")["mine"]
    assert (mine["open"], mine["done"], mine["median_days_to_done"]) == (1, 1, 2.0)


def test_an_expected_day_on_the_first_day_of_the_period_is_in_it(day) -> None:
    """docs/review.md: the tracked span runs from the period's start (1 April); a monthly contact
    on 1 March expects the next on 1 April, the span's first day, which counts with the others."""
    day.mentor("Jo Monthly", "--stage", "active", "--cadence", "monthly", on="2026-01-05 09:00")
    for when in ("2026-03-01 10:00", "2026-04-01 10:00", "2026-05-01 10:00", "2026-06-01 10:00"):
        day.contact("jo", when)
    kept = mentor(review(day), "Jo Monthly")["cadence_kept"]
    assert (kept["windows"], kept["kept"], kept["percent"]) == (3, 3, 100)


def test_a_groups_open_follow_ups_each_way_and_the_late_ones(day) -> None:
    """docs/review.md: each group's open follow-ups each way, the late ones (past their due date)
    counted; a done or dropped item is not open, and another group's items are its own."""
    day.mentor("Kai Member", "--stage", "active", on="2026-01-05 09:00")
    day.ok("group", "add", "Writers", "--member", "kai")
    day.ok("group", "add", "Grant club", "--member", "Lu Peer")
    day.ok("group", "add", "Quiet circle", "--member", "Lu Peer")
    day.at("2026-06-20 12:00")
    day.ok("followup", "add", "--group", "Writers", "Late", "--due", "2026-06-29")
    day.ok("followup", "add", "--group", "Writers", "Due today", "--due", "2026-06-30")
    day.ok("followup", "add", "--group", "Writers", "Theirs", "--owner", "group")
    for close in ("done", "drop"):
        item = day.ok("followup", "add", "--group", "Writers", f"Closed: {close}", "--due", "2026-06-01").stdout.strip()
        day.ok("followup", close, item)
    day.ok("followup", "add", "--group", "Grant club", "Not the Writers'", "--due", "2026-06-01")
    groups = {g["name"]: g for g in review(day)["groups"]}

    def each_way(name: str) -> tuple[int, ...]:
        g = groups[name]
        return (g["mine"]["open"], g["mine"]["late"], g["theirs"]["open"], g["theirs"]["late"])

    assert each_way("Writers") == (2, 1, 1, 0)
    assert each_way("Grant club") == (1, 1, 0, 0)
    assert each_way("Quiet circle") == (0, 0, 0, 0)


def test_a_groups_cadence_is_kept_over_the_period_only(day) -> None:
    """docs/review.md: the tracked span runs from the later of the period's start and the start of
    the relationship: a group formed in January and met monthly since is judged on April to June."""
    day.ok("group", "add", "Writers", "--member", "Mo Peer", "--cadence", "monthly")
    for when in ("2026-02-05 10:00", "2026-03-05 10:00", "2026-04-05 10:00", "2026-05-05 10:00", "2026-06-05 10:00"):
        day.at(when.replace("10:00", "11:00"))
        day.ok("log", "--group", "Writers", "--when", when)
    writers = next(g for g in review(day)["groups"] if g["name"] == "Writers")
    kept = writers["cadence_kept"]
    assert (kept["windows"], kept["kept"], kept["percent"]) == (3, 3, 100)


def test_a_held_meeting_dated_after_now_is_not_a_contact_yet(day, tmp_path: Path) -> None:
    """docs/daily-loop.md: a held meeting in the future would be a contact not yet made (commands
    refuse to make one; a file from a device whose clock ran ahead may hold one). It is neither
    the last contact (docs/review.md) nor the start of a relationship that has had no contact."""
    day.mentor("Nia Ahead", "--stage", "active", on="2026-01-05 09:00")
    day.mentor("Pat Paused", "--stage", "paused", on="2026-01-05 09:00")
    day.contact("nia", "2026-05-01 10:00")
    day.contact("nia", "2026-06-01 10:00")
    day.contact("pat", "2026-06-01 10:00")
    day.ok("group", "add", "Writers", "--member", "Mo Peer")
    day.ok("log", "--group", "Writers", "--when", "2026-05-01 10:00")
    day.ok("log", "--group", "Writers", "--when", "2026-06-01 10:00")
    export = tmp_path / "board.json"
    day.ok("export", "--format", "json", "-o", str(export))
    data = json.loads(export.read_text())
    for meeting in data["tables"]["meetings"]:
        if meeting["starts_at"] == "2026-06-01T15:00:00Z":
            meeting["starts_at"] = "2026-07-10T15:00:00Z"
    export.write_text(json.dumps(data))
    other = str(tmp_path / "moved" / "mentorkit.db")
    day.ok("--db", other, "import", str(export))
    day.at(REVIEW_DAY)
    report = day.json("--db", other, "review")
    nia, pat = mentor(report, "Nia Ahead"), mentor(report, "Pat Paused")
    assert (nia["last_contact"], nia["days_since_contact"]) == ("2026-05-01", 60)
    assert (pat["last_contact"], pat["started_on"]) == (None, "2026-01-05")
    writers = next(g for g in report["groups"] if g["name"] == "Writers")
    assert (writers["held"], writers["last_meeting"]) == (1, "2026-05-01")


def test_days_to_done_are_rounded_to_one_decimal(day) -> None:
    """docs/review.md: the median days to done, to one decimal. Done 10 days, 1 hour, 12 minutes
    and 5 seconds after the meeting is 10.05006 days: 10.1."""
    day.mentor("Ria Round", "--stage", "active", on="2026-01-05 09:00")
    held = day.contact("ria", "2026-05-01 10:00")
    item = day.ok("followup", "add", "ria", "Send the notes", "--meeting", str(held)).stdout.strip()
    day.at("2026-05-11 11:12:05")
    day.ok("followup", "done", item)
    assert mentor(review(day), "Ria Round")["mine"]["median_days_to_done"] == 10.1


def test_a_groups_meetings_in_the_period_are_the_held_ones_from_its_first_instant(day) -> None:
    """docs/review.md: for each group, the meetings in the period (held: a contact), and the last
    one. One at local midnight on 1 April is in the period, one a second before is not; a cancelled
    meeting is not a contact, not even the last."""
    day.ok("group", "add", "Writers", "--member", "Mo Peer")
    for when in ("2026-03-31 23:59:59", "2026-04-01 00:00", "2026-05-05 10:00"):
        day.at("2026-05-06 09:00")
        day.ok("log", "--group", "Writers", "--when", when)
    day.at("2026-06-09 10:00")
    cancelled = day.ok("plan", "--group", "Writers", "--when", "2026-06-10 10:00").stdout.strip()
    day.at("2026-06-10 11:00")
    day.ok("meetings", "mark", cancelled, "cancelled")
    writers = next(g for g in review(day)["groups"] if g["name"] == "Writers")
    assert (writers["held"], writers["last_meeting"]) == (2, "2026-05-05")
    day.ok("log", "--group", "Writers")  # now, to the second: a contact already
    writers = next(g for g in day.json("review")["groups"] if g["name"] == "Writers")
    assert (writers["held"], writers["last_meeting"]) == (3, "2026-06-30")


def test_a_one_day_review_counts_todays_expected_day_once_kept(day) -> None:
    """docs/review.md: `--since` today is a period of one day; a day whose window is still open
    counts only once kept. Every Tuesday, reviewed on Tuesday 30 June after a contact that day."""
    day.mentor("Tess Tuesday", "--stage", "active", "--cadence", "every tuesday", on="2026-01-05 09:00")
    day.contact("tess", "2026-06-30 10:00")
    day.at(REVIEW_DAY)
    kept = mentor(day.json("review", "--since", "today"), "Tess Tuesday")["cadence_kept"]
    assert (kept["windows"], kept["kept"], kept["percent"]) == (1, 1, 100)


def test_a_groups_advice_is_what_was_given_at_its_meetings_in_the_period(day) -> None:
    """docs/review.md: a group's line counts the advice given at its meetings in the period (from
    its first day); advice at another group's meetings, advice given outside a meeting, and advice
    from before the period are not the group's."""
    day.mentor("Kai Member", "--stage", "active", on="2026-01-05 09:00")
    day.ok("group", "add", "Writers", "--member", "kai")
    day.ok("group", "add", "Grant club", "--member", "Lu Peer")
    day.at("2026-03-31 12:00")
    day.ok("log", "--group", "Writers", "--when", "2026-03-31 09:00", "--advice", "Before", "--from", "kai")
    day.at("2026-04-01 12:00")
    day.ok("log", "--group", "Writers", "--when", "2026-04-01 09:00", "--advice", "First day", "--from", "kai")
    day.at("2026-05-10 12:00")
    day.ok(
        "log", "--group", "Grant club", "--when", "2026-05-10 09:00",
        "--advice", "Theirs", "--advice", "Theirs too", "--from", "lu",
    )  # fmt: skip
    direct = day.ok("advice", "add", "kai", "Outside a meeting").stdout.strip()
    day.ok("advice", "rate", direct, "helpful")
    groups = {g["name"]: g["advice"] for g in review(day)["groups"]}
    assert (groups["Writers"]["total"], groups["Writers"]["untested"], groups["Writers"]["helpful"]) == (1, 1, 0)
    assert (groups["Grant club"]["total"], groups["Grant club"]["untested"]) == (2, 2)


def test_an_item_done_on_its_due_date_is_not_late_and_one_done_a_day_after_is(day) -> None:
    """docs/review.md: of the items with a due date, how many were done late (after the due date)
    and the median days late or early against it."""
    day.mentor("Ann Keen", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-06-01 12:00")
    on_time = day.ok("followup", "add", "ann", "On the day", "--due", "2026-06-10").stdout.strip()
    late = day.ok("followup", "add", "ann", "A day late", "--due", "2026-06-10").stdout.strip()
    day.at("2026-06-10 12:00")
    day.ok("followup", "done", on_time)
    day.at("2026-06-11 12:00")
    day.ok("followup", "done", late)
    mine = mentor(review(day), "Ann Keen")["mine"]
    assert (mine["done_with_due"], mine["done_late"], mine["median_days_late"]) == (2, 1, 0.5)


def test_the_flagged_reason_names_each_open_kind_and_counts_one_raised_twice(day) -> None:
    """docs/review.md, `flagged`: the open flags' kinds, a kind raised more than once with its count."""
    day.mentor("Yves Twice", "--stage", "active", on="2026-01-05 09:00")
    day.mentor("Zoe Once", "--stage", "active", on="2026-01-05 09:00")
    day.at("2026-05-02 12:00")
    day.ok("flag", "yves", "Cancelled", "--kind", "commitment", "--on", "2026-04-10")
    day.ok("flag", "yves", "Cancelled again", "--kind", "commitment", "--on", "2026-04-20")
    day.ok("flag", "yves", "Argued", "--kind", "other", "--on", "2026-04-25")
    day.ok("flag", "zoe", "Took credit", "--kind", "competition", "--on", "2026-04-12")
    flagged = reasons(review(day), "flagged")
    assert flagged["Yves Twice"] == "open red flags: commitment ×2, other (since 2026-04-10)"
    assert flagged["Zoe Once"] == "open red flag: competition (since 2026-04-12)"
