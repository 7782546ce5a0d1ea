"""Issue 12: the daily loop you can trust. One regression test per numbered case (item 12 and the
usage lines of item 14 belong to other work), driven through the CLI with a fixed clock."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # Wednesday, 12:00 in Chicago


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def me(ok, clock):
    ok("profile", "set", "--name", "Maya Okafor", "--timezone", "America/Chicago")
    ok("add-mentor", "Dr. Teresa Alvarez", "--timezone", "America/New_York", "--stage", "active", "--cadence", "weekly")
    ok("add-mentor", "James Whitfield", "--timezone", "America/Chicago", "--stage", "active")
    return ok


def rows(ok, kind: str, *args: str) -> list[dict]:
    return [r for r in ok("followups", "--json", *args).json() if r["kind"] == kind]


def meetings(db_path: Path) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT id, starts_at, status, time_given, notes FROM meeting ORDER BY id").fetchall()
    finally:
        conn.close()


def one_error(result) -> str:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in result.stderr
    return lines[0]


# 1 -----------------------------------------------------------------------------------------------


def test_1_a_far_planned_meeting_does_not_hide_an_overdue_check_in(me) -> None:
    me("log", "teresa", "--when", "10 days ago 10:00")
    assert rows(me, "check-in")[0]["days_late"] == 3
    far = me("plan", "teresa", "--when", "2027-02-01 10:00").stdout.strip()
    [item] = rows(me, "check-in")  # seven weeks out: the weekly check-in stays, naming the plan
    assert (
        item["days_late"] == 3
        and f"bring meeting #{far} forward: it is planned only for Mon 1 Feb 2027" in item["what"]
    )
    me("plan", "teresa", "--when", "monday 10:00")  # within one week: that is the check-in
    assert rows(me, "check-in") == []


# 2 -----------------------------------------------------------------------------------------------


def test_2_a_planned_meeting_whose_time_has_passed_asks_to_be_recorded(me, clock) -> None:
    planned = int(me("plan", "james", "--when", "tomorrow 10:00", "--agenda", "Dossier").stdout)
    assert rows(me, "record") == []
    clock.shift(timedelta(days=3))
    [item] = rows(me, "record")
    assert (item["meeting_id"], item["due"], item["days_late"]) == (planned, "2026-11-26", 2)
    assert f"meetings mark {planned} held" in item["what"]
    assert "record" in me("followups").stdout
    me("meetings", "mark", str(planned), "missed")
    assert rows(me, "record") == []


def test_2_logging_the_planned_meeting_clears_the_record_item(me, clock) -> None:
    planned = int(me("plan", "james", "--when", "tomorrow 10:00").stdout)
    clock.shift(timedelta(days=1, hours=1))
    assert [r["meeting_id"] for r in rows(me, "record")] == [planned]
    me("log", "james", "--notes", "Went well")
    assert rows(me, "record") == []


# 3 -----------------------------------------------------------------------------------------------


def test_3_log_without_when_keeps_the_planned_start(me, clock, db_path) -> None:
    planned = int(me("plan", "teresa", "--when", "today 15:00").stdout)
    clock.move_to(datetime(2026, 11, 25, 22, 10, tzinfo=UTC))  # 16:10 in Chicago
    result = me("log", "teresa", "--notes", "Aims discussed", "--json").json()
    assert result["adopted_plan"] is True and result["meeting"]["id"] == planned
    assert result["meeting"]["starts_at"] == "2026-11-25T21:00:00Z"  # still 15:00 CST
    assert "15:00 CST" in me("summary", str(planned)).stdout


def test_3_a_day_only_when_keeps_the_planned_time_and_a_time_overrides_it(me, clock) -> None:
    first = int(me("plan", "teresa", "--when", "today 13:00").stdout)
    second = int(me("plan", "james", "--when", "today 13:00").stdout)
    clock.move_to(datetime(2026, 11, 25, 22, 10, tzinfo=UTC))
    kept = me("log", "teresa", "--when", "today", "--json").json()["meeting"]
    assert (kept["id"], kept["starts_at"], kept["time_given"]) == (first, "2026-11-25T19:00:00Z", True)
    moved = me("log", "james", "--when", "13:20", "--json").json()["meeting"]
    assert (moved["id"], moved["starts_at"]) == (second, "2026-11-25T19:20:00Z")


# 4 -----------------------------------------------------------------------------------------------


def test_4_logging_a_meeting_already_marked_held_adds_to_it(me, clock, db_path, cli) -> None:
    planned = int(me("plan", "teresa", "--when", "tomorrow 10:00", "--minutes", "45").stdout)
    clock.shift(timedelta(days=1, hours=2))
    me("meetings", "mark", str(planned), "held")
    result = me("log", "teresa", "--when", "today 10:00", "--notes", "Aims 1 and 2", "--followup", "Send aims")
    assert result.stdout.strip() == str(planned)
    assert f"Added to meeting #{planned}" in result.stderr
    inside = me("log", "teresa", "--when", "today 10:30", "--notes", "Budget too", "--json").json()
    assert inside["added_to"] is True and inside["meeting"]["id"] == planned  # inside its 45 minutes
    assert [(m[0], m[2], m[4]) for m in meetings(db_path)] == [(planned, "held", "Aims 1 and 2\n\nBudget too")]
    assert me("review", "--json").json()["mentors"][0]["held"] == 1
    after = me("log", "teresa", "--when", "today 10:45", "--json").json()  # after it ended: a new contact
    assert after["added_to"] is False and after["meeting"]["id"] != planned
    email = me("log", "teresa", "--when", "today 10:20", "--mode", "email", "--json").json()
    assert email["added_to"] is False  # another mode inside the span: a contact of its own


def test_4_marking_a_plan_held_where_a_contact_is_already_logged_is_refused(me, clock, db_path, cli) -> None:
    planned = int(me("plan", "teresa", "--when", "tomorrow 10:00").stdout)
    clock.shift(timedelta(days=1, hours=2))
    me("meetings", "mark", str(planned), "cancelled")  # e.g. rescheduled, then met after all...
    logged = int(me("log", "teresa", "--when", "today 10:00").stdout)
    before = meetings(db_path)
    line = one_error(cli("meetings", "mark", str(planned), "held"))
    assert f"meeting #{logged} already records that contact" in line and "Teresa" not in line
    assert meetings(db_path) == before


# 5 -----------------------------------------------------------------------------------------------


def test_5_a_cancelled_future_meeting_is_neither_upcoming_nor_a_contact(me) -> None:
    cancelled = me("plan", "james", "--when", "friday 10:00").stdout.strip()
    me("meetings", "mark", cancelled, "cancelled")
    assert me("meetings", "--upcoming", "--json").json() == []
    detail = me("show", "james", "--json").json()
    assert detail["upcoming"] == [] and detail["held_total"] == 0 and detail["called_off_total"] == 1
    screen = me("show", "james").stdout
    assert "0 held, 0 planned, 1 cancelled or missed" in screen
    assert me("mentors", "--json").json()[1]["last_contact"] is None


# 6 -----------------------------------------------------------------------------------------------


def test_6_a_contact_given_by_its_day_is_shown_and_drafted_as_a_day(me, db_path) -> None:
    meeting = me("log", "teresa", "--when", "3 days ago", "--mode", "video", "--json").json()["meeting"]
    assert meeting["time_given"] is False
    assert meetings(db_path)[0][3] == 0
    draft = me("summary", str(meeting["id"])).stdout
    assert "Sun 22 Nov 2026" in draft and "12:00" not in draft and "13:00" not in draft
    screen = me("meetings").stdout
    assert "Sun 22 Nov 2026" in screen and "12:00" not in screen
    assert "12:00" not in me("log", "james", "--when", "yesterday", "--mode", "text").stderr


# 7 -----------------------------------------------------------------------------------------------


def test_7_each_followup_gets_its_own_due_and_owner_counted_from_the_meeting(me) -> None:
    result = me(
        "log",
        "teresa",
        "--when",
        "6 days ago 10:00",  # Thursday 19 November
        "--followup",
        "Send the aims page",
        "--due",
        "friday",
        "--owner",
        "me",
        "--followup",
        "Introduce me to the PO",
        "--due",
        "in 2 weeks",
        "--owner",
        "mentor",
        "--json",
    ).json()
    items = {f["text"]: f for f in me("show", "teresa", "--json").json()["followups"]}
    assert (items["Send the aims page"]["due_on"], items["Send the aims page"]["owner"]) == ("2026-11-20", "me")
    assert (items["Introduce me to the PO"]["due_on"], items["Introduce me to the PO"]["owner"]) == (
        "2026-12-03",
        "mentor",
    )
    assert result["dues"] == ["2026-11-20", "2026-12-03"]


def test_7_one_due_for_all_and_mismatched_counts(me, cli, db_path) -> None:
    me("log", "james", "--when", "2 days ago 9:00", "--followup", "A", "--followup", "B", "--due", "in 1 week")
    assert {f["due_on"] for f in me("show", "james", "--json").json()["followups"]} == {"2026-11-30"}
    before = meetings(db_path)
    args = ("log", "james", "--followup", "A", "--followup", "B", "--followup", "C", "--due", "x", "--due", "y")
    line = one_error(cli(*args))
    assert "2 --due values for 3 --followup items" in line
    assert meetings(db_path) == before


# 8 -----------------------------------------------------------------------------------------------


def test_8_review_measures_follow_ups_against_their_due_date(me, clock) -> None:
    me("log", "james", "--when", "today 9:00", "--followup", "Draft the dossier", "--due", "in 3 days")
    item = me("show", "james", "--json").json()["followups"][0]["id"]
    clock.shift(timedelta(days=53))  # done 50 days after it was due
    me("followup", "done", str(item))
    mine = next(m for m in me("review", "--json").json()["mentors"] if m["name"] == "James Whitfield")["mine"]
    assert (mine["done"], mine["done_late"], mine["median_days_late"]) == (1, 1, 50)
    assert mine["median_days_to_done"] == pytest.approx(53, abs=0.5)
    assert "1 of 1 late; median 50 days late" in me("review").stdout


# 9 -----------------------------------------------------------------------------------------------


def test_9_old_summaries_owed_are_counted_and_the_title_fits_overdue_items(me) -> None:
    me("log", "james", "--when", "40 days ago 10:00")
    me("followup", "add", "james", "Send the CV", "--due", "2026-09-25")  # 61 days late
    assert rows(me, "summary") == [] and len(rows(me, "summary", "--all")) == 1
    screen = me("followups")
    assert "Overdue, and due within 7 days" in screen.stdout and "in the next 7 days" not in screen.stdout
    header = next(line for line in screen.stdout.splitlines() if "kind" in line)
    assert header.split() == ["due", "how", "late", "kind", "with", "what"]  # every column has a header
    assert "1 summary owed for meetings over 30 days old: `mentorkit followups --all`" in screen.stderr


# 10 ----------------------------------------------------------------------------------------------


def test_10_show_says_the_next_check_in_is_overdue(me) -> None:
    me("log", "teresa", "--when", "2026-10-01 10:00")
    assert "next check-in  Thu 8 Oct 2026 (48 days late)" in me("show", "teresa").stdout
    assert me("show", "teresa", "--json").json()["check_in_days_late"] == 48


# 11 ----------------------------------------------------------------------------------------------


def test_11_one_date_format_in_the_profile_zone(me, clock) -> None:
    me("profile", "set", "--timezone", "America/New_York")
    clock.move_to(datetime(2026, 11, 30, 1, 19, tzinfo=UTC))  # 20:19 EST on Sunday 29 November
    meeting = me("log", "james", "--when", "2026-11-28 10:00").stdout.strip()
    me("summary", meeting, "--mark-sent")
    again = me("summary", meeting, "--mark-sent")
    assert "already marked sent (Sun 29 Nov 2026)" in again.stderr
    me("followup", "add", "james", "Send slides", "--due", "2026-12-04")
    me("followup", "add", "james", "Book room", "--due", "2026-12-01")
    screen = me("followups").stdout
    assert "Fri 4 Dec 2026" in screen and "Tue 1 Dec 2026" in screen and "Fri 04 Dec" not in screen
    shown = me("show", "james").stdout
    assert "2026-1" not in shown  # no ISO dates among the human ones


def test_11_format_day_is_the_one_day_format() -> None:
    from datetime import date

    from mentorkit.dates import format_day, format_moment

    assert format_day(date(2026, 12, 4)) == "Fri 4 Dec 2026"
    assert format_moment(datetime(2026, 12, 4, 15, 0, tzinfo=UTC), UTC).startswith("Fri 4 Dec 2026 15:00")


# 13 ----------------------------------------------------------------------------------------------


def test_13_a_duplicate_add_mentor_is_refused_unless_again(me, cli, db_path) -> None:
    conn = sqlite3.connect(db_path)
    count = lambda: conn.execute("SELECT count(*) FROM mentor").fetchone()[0]  # noqa: E731
    before = count()
    for spelling in ("Dr. Teresa Alvarez", "teresa  ALVAREZ", "Prof Teresa Alvarez"):
        line = one_error(cli("add-mentor", spelling))
        assert "mentor #1 already has that name" in line and "--again" in line and "Teresa" not in line
    assert count() == before
    me("add-mentor", "Teresa Alvarez", "--again")
    assert count() == before + 1
    conn.close()


def test_13_import_and_add_mentor_share_one_name_key() -> None:
    from mentorkit.names import name_key

    assert name_key("Dr. Hannah  Kim") == name_key("hannah kim") == "hannah kim"
    assert name_key("Dr.") == "dr."  # a name made only of a title is still a name
    assert name_key("Hannah Kimball") != name_key("Hannah Kim")


# 14 ----------------------------------------------------------------------------------------------


def test_14_smaller_messages(me, cli) -> None:
    assert "Planned an in-person meeting" in me("plan", "james", "--when", "friday 10:00", "--mode", "in-person").stderr
    line = one_error(cli("log", "james", "--notes", "x" * 100_001))
    assert "too long: the notes (100001 characters; the limit is 100000)" in line
    assert "prospects" in " ".join(cli("add-mentor", "--help").stdout.split())
