"""Relationships over time, with a fixed clock: six months of history, then the review.

The board (profile zone UTC, review day 2026-06-30, default period 2026-04-01..2026-06-30):
- Teresa Alvarez: monthly, in touch every month, helpful advice      -> nothing to reconsider
- Bob Smith: monthly, last contact in January, advice mostly bad     -> stale, low-value
- Priya Patel: biweekly, three of four meetings cancelled or missed  -> one-sided, stale
- Dana Jones: quarterly, in touch, an open red flag                  -> flagged
- Kim Lee: monthly pilot since May 1 (6 weeks, review June 12)       -> pilot-due
- Lee Chen: a prospect tagged `personal`, the arena nobody covers    -> fills the gap
- Writing circle: a monthly mastermind group of near-peers (and Priya) since May 20
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

START = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
REVIEW_DAY = datetime(2026, 6, 30, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def at(clock, when: str) -> None:
    clock.move_to(datetime.fromisoformat(when).replace(tzinfo=UTC))


def log(ok, clock, who: str, when: str, *args: str) -> dict:
    """Log a meeting at `when`, with the clock an hour after it (so it is in the past)."""
    at(clock, when.replace(" ", "T") + ":00")
    clock.shift(3600)
    target = (who,) if who else ()
    return ok("log", *target, "--when", when, *args, "--json").json()


def plan_and_mark(ok, clock, who: str, when: str, status: str) -> int:
    """Plan a meeting a week ahead of `when`, then mark it after the fact."""
    moment = datetime.fromisoformat(when).replace(tzinfo=UTC)
    clock.move_to(moment.replace(day=1) if moment.day > 7 else moment.replace(hour=0))
    meeting = int(ok("plan", who, "--when", when).stdout)
    clock.move_to(moment.replace(hour=23))
    ok("meetings", "mark", str(meeting), status)
    return meeting


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    os.chmod(target, 0o600)


@pytest.fixture
def history(ok, clock, db_path, tmp_path_factory):
    """The board above, built once through the CLI and copied into each test's store."""
    cached = tmp_path_factory.getbasetemp() / "relationships-history.db"
    if not cached.exists():
        _build(ok, clock)
        _copy(db_path, cached)
    else:
        _copy(cached, db_path)
    clock.move_to(REVIEW_DAY)
    return ok


def _build(ok, clock) -> None:
    ok("profile", "set", "--name", "Maya Okafor", "--timezone", "UTC")
    ok("add-mentor", "Teresa Alvarez", "--stage", "active", "--cadence", "monthly", "--arena", "research", "--remote")
    ok("add-mentor", "Bob Smith", "--stage", "active", "--cadence", "monthly", "--arena", "career", "--local")
    ok("add-mentor", "Priya Patel", "--stage", "active", "--cadence", "biweekly", "--arena", "career")
    ok("add-mentor", "Dana Jones", "--stage", "active", "--cadence", "quarterly", "--arena", "research")
    ok("add-mentor", "Lee Chen", "--tag", "personal")

    first = log(
        ok,
        clock,
        "Teresa",
        "2026-01-10 15:00",
        "--notes",
        "K award grant: aims page first",
        "--advice",
        "Ask the program officer before resubmitting",
    )
    bob = log(
        ok, clock, "Bob", "2026-01-20 15:00", "--notes", "Promotion dossier review", "--advice", "Count every committee"
    )
    log(ok, clock, "Priya", "2026-02-01 15:00", "--mode", "phone")
    log(ok, clock, "Dana", "2026-02-01 16:00")
    at(clock, "2026-02-02T10:00:00")
    ok("flag", "Dana", "Asked to co-author my idea as first author", "--kind", "competition")
    at(clock, "2026-03-01T10:00:00")
    ok("unflag", "1")
    log(ok, clock, "Teresa", "2026-03-15 15:00", "--mode", "email", "--notes", "Aims page feedback")
    at(clock, "2026-03-20T10:00:00")
    bob_more = [
        int(ok("advice", "add", "Bob", "Skip the teaching portfolio").stdout),
        int(ok("advice", "add", "Bob", "Ask the chair for protected time").stdout),
    ]

    # The review period begins on April 1.
    log(ok, clock, "Priya", "2026-04-05 15:00")
    teresa_april = log(
        ok,
        clock,
        "Teresa",
        "2026-04-14 15:00",
        "--notes",
        "Resubmission plan",
        "--advice",
        "Apply to the K23 this cycle",
        "--followup",
        "Send her funded R01 as an example",
        "--owner",
        "mentor",
    )
    at(clock, "2026-04-18T15:00:00")
    ok("followup", "done", str(teresa_april["followup_ids"][0]))
    plan_and_mark(ok, clock, "Priya", "2026-04-19 15:00", "cancelled")
    log(ok, clock, "Dana", "2026-04-20 15:00", "--mode", "in-person")
    at(clock, "2026-05-01T09:00:00")
    ok("add-mentor", "Kim Lee", "--stage", "pilot", "--pilot-weeks", "6", "--cadence", "monthly", "--arena", "career")
    plan_and_mark(ok, clock, "Priya", "2026-05-03 15:00", "missed")
    log(ok, clock, "Kim", "2026-05-10 15:00", "--notes", "First call: fit and expectations")
    teresa_may = log(
        ok,
        clock,
        "Teresa",
        "2026-05-16 15:00",
        "--mode",
        "email",
        "--followup",
        "Introduce me to the study section chair",
        "--owner",
        "mentor",
    )
    at(clock, "2026-05-16T18:00:00")
    ok("advice", "add", "Teresa", "Block Fridays for writing")
    plan_and_mark(ok, clock, "Priya", "2026-05-17 15:00", "cancelled")
    at(clock, "2026-05-20T09:00:00")
    ok(
        "group",
        "add",
        "Writing circle",
        "--member",
        "Ana Ruiz",
        "--member",
        "Ben Ortiz",
        "--member",
        "Priya",
        "--cadence",
        "monthly",
    )
    log(ok, clock, "", "2026-05-20 17:00", "--group", "Writing circle", "--notes", "Shared grant intros")
    at(clock, "2026-05-22T15:00:00")
    ok("followup", "done", str(teresa_may["followup_ids"][0]))
    log(ok, clock, "Dana", "2026-06-01 15:00", "--mode", "phone")
    at(clock, "2026-06-10T12:00:00")
    ok("flag", "Dana", "Cancelled the grant review twice", "--kind", "commitment")
    log(ok, clock, "", "2026-06-17 17:00", "--group", "Writing circle")
    log(
        ok,
        clock,
        "Teresa",
        "2026-06-20 15:00",
        "--advice",
        "Find a co-mentor in biostatistics",
        "--followup",
        "Draft the specific aims",
        "--due",
        "2026-06-25",
    )

    # Ratings, given as results came in.
    at(clock, "2026-06-25T12:00:00")
    ok("advice", "rate", str(first["advice_ids"][0]), "helpful", "--note", "The PO said resubmit")
    ok("advice", "rate", str(teresa_april["advice_ids"][0]), "helpful")
    ok("advice", "rate", "6", "mixed")  # Block Fridays
    ok("advice", "rate", str(bob["advice_ids"][0]), "unhelpful", "--note", "The dossier came back")
    ok("advice", "rate", str(bob_more[0]), "unhelpful")
    ok("advice", "rate", str(bob_more[1]), "helpful")


def by_name(review: dict) -> dict[str, dict]:
    return {m["name"]: m for m in review["mentors"]}


def reasons(review: dict) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for item in review["reconsider"]:
        found.setdefault(item["mentor"], set()).add(item["reason"])
    return found


def test_each_review_reason_names_the_right_relationship(history) -> None:
    review = history("review", "--json").json()
    assert (review["since"], review["until"], review["days"]) == ("2026-04-01", "2026-06-30", 91)
    assert reasons(review) == {
        "Bob Smith": {"stale", "low-value"},
        "Priya Patel": {"one-sided", "stale"},
        "Dana Jones": {"flagged"},
        "Kim Lee": {"pilot-due"},
    }
    details = {(i["mentor"], i["reason"]): i for i in review["reconsider"]}
    assert "no contact for 161 days" in details["Bob Smith", "stale"]["detail"]
    assert "twice it is 60 days" in details["Bob Smith", "stale"]["detail"]
    assert details["Bob Smith", "low-value"]["detail"].startswith("2 of 3 rated")
    assert details["Priya Patel", "one-sided"]["detail"].startswith("3 of 4 meetings")
    assert "Fri 12 Jun 2026 (18 days ago)" in details["Kim Lee", "pilot-due"]["detail"]
    assert "commitment" in details["Dana Jones", "flagged"]["detail"]
    assert "competition" not in details["Dana Jones", "flagged"]["detail"]  # resolved in March
    assert "mentorkit unflag 2" in details["Dana Jones", "flagged"]["action"]
    assert "mentorkit end 2 --reason" in details["Bob Smith", "low-value"]["action"]


def test_per_mentor_figures(history) -> None:
    mentors = by_name(history("review", "--json").json())
    teresa = mentors["Teresa Alvarez"]
    assert teresa["meetings_by_mode"] == {"email": 1, "video": 2}
    assert (teresa["held"], teresa["last_contact"], teresa["days_since_contact"]) == (3, "2026-06-20", 10)
    assert teresa["cadence_kept"] == {"percent": 100, "windows": 3, "kept": 3, "window_days": 30}
    assert teresa["theirs"] == {
        "open": 0,
        "late": 0,
        "done": 2,
        "median_days_to_done": 5.0,
        "done_with_due": 0,
        "done_late": 0,
        "median_days_late": None,
    }
    assert teresa["mine"] == {
        "open": 1,
        "late": 1,
        "done": 0,
        "median_days_to_done": None,
        "done_with_due": 0,
        "done_late": 0,
        "median_days_late": None,
    }
    # Advice given in the period: K23 (helpful), Fridays (mixed), biostatistics (untested).
    assert teresa["advice"] == {"total": 3, "helpful": 1, "mixed": 1, "unhelpful": 0, "untested": 1}
    assert teresa["advice_record"]["helpful"] == 2
    assert mentors["Bob Smith"]["cadence_kept"]["percent"] == 0
    priya = mentors["Priya Patel"]
    assert (priya["held"], priya["cancelled"], priya["missed"]) == (1, 2, 1)
    # Biweekly from her last contact before the period (1 Feb): 29 March is kept by 5 April (a
    # date before the period); 19 April, 3 May ... 14 June are missed; 28 June is still open.
    assert priya["cadence_kept"] == {"percent": 0, "windows": 5, "kept": 0, "window_days": 14}
    kim = mentors["Kim Lee"]
    assert kim["started_on"] == "2026-05-01"
    # Monthly from her first contact (10 May): 10 June, give or take 15 days, had none.
    assert kim["cadence_kept"] == {"percent": 0, "windows": 1, "kept": 0, "window_days": 30}
    dana = mentors["Dana Jones"]
    assert [(f["kind"], f["resolved_on"]) for f in dana["flags"]] == [("commitment", None)]
    assert "Lee Chen" not in mentors  # prospects are in the gaps, not reviewed


def test_rankings_by_use_and_by_helpful_advice(history) -> None:
    review = history("review", "--json").json()
    assert [(r["rank"], r["mentor"], r["count"]) for r in review["by_use"]] == [
        (1, "Teresa Alvarez", 3),
        (2, "Dana Jones", 2),
        (3, "Kim Lee", 1),  # ties with Priya: the more recent contact ranks first
        (4, "Priya Patel", 1),
        (5, "Bob Smith", 0),
    ]
    assert [r["mentor"] for r in review["by_helpful_advice"]][:2] == ["Teresa Alvarez", "Bob Smith"]
    assert review["by_helpful_advice"][0]["detail"] == "2 helpful of 3 rated, 1 untested"
    assert [m["name"] for m in review["mentors"]] == [r["mentor"] for r in review["by_use"]]


def test_groups_in_the_review(history) -> None:
    (group,) = history("review", "--json").json()["groups"]
    assert (group["name"], group["members"], group["held"], group["last_meeting"]) == (
        "Writing circle",
        3,
        2,
        "2026-06-17",
    )
    # Formed May 20: one whole 30-day window (June 1-30) back from June 30, with a meeting.
    assert group["cadence_kept"] == {"percent": 100, "windows": 1, "kept": 1, "window_days": 30}
    mentors = by_name(history("review", "--json").json())
    assert "Ana Ruiz" not in mentors  # near-peers are not reviewed as mentors


def test_gaps_list_prospects_that_could_fill_them(history) -> None:
    review = history("review", "--json").json()
    assert review["gaps"] == [{"arena": "personal", "prospects": [{"id": 5, "name": "Lee Chen"}]}]


def test_since_narrows_the_period(history) -> None:
    review = history("review", "--since", "2026-06-01", "--json").json()
    teresa = by_name(review)["Teresa Alvarez"]
    assert (review["since"], review["days"], teresa["held"]) == ("2026-06-01", 30, 1)
    assert "one-sided" not in reasons(review).get("Priya Patel", set())
    assert history("review", "--since", "2026-06-01").exit_code == 0


def test_review_acts_on_changes(history, clock) -> None:
    history("stage", "Kim", "active")
    history("unflag", "2")
    history("stage", "Bob", "paused")
    found = reasons(history("review", "--json").json())
    assert "Kim Lee" not in found and "Dana Jones" not in found
    assert "Bob Smith" not in found  # paused: neither stale nor low-value is asked of a pause
    history("end", "Priya", "--reason", "No time on either side")
    review = history("review", "--json").json()
    assert "Priya Patel" not in by_name(review)
    assert [(e["mentor"], e["reason"]) for e in review["ended"]] == [("Priya Patel", "No time on either side")]


def test_human_report_reads_as_a_report(history) -> None:
    out = history("review").stdout
    assert "Review of your board, Wed 1 Apr 2026 to Tue 30 Jun 2026 (91 days)" in out
    assert "kept 100% (3 of 3 expected dates had a contact)" in out
    used, helped = out.split("most used (contacts in the period)")[1].split("most helpful advice (all time)")
    assert "1  Teresa Alvarez: 3 contacts, last Sat 20 Jun 2026" in used and "5  Bob Smith: 0 contacts" in used
    assert "1  Teresa Alvarez: 2 helpful of 3 rated" in helped
    assert "Gaps on the board" in out and "personal: prospects who could fill it: Lee Chen (#5)" in out
    assert "Relationships to reconsider" in out
    for label in ("stale", "low value", "one-sided", "flagged", "pilot due"):
        assert label in out
    assert "theirs: 0 open, 2 done in a median 5 days" in out
    assert out.index("Teresa Alvarez (#1)") < out.index("Bob Smith (#2)")  # most used first


def test_pilot_review_follow_up_appears_when_due(history) -> None:
    items = history("followups", "--json").json()
    pilot = [i for i in items if i["kind"] == "pilot-review"]
    assert [(i["mentor"], i["due"], i["days_late"]) for i in pilot] == [("Kim Lee", "2026-06-12", 18)]


def test_review_of_an_empty_store_and_bad_since(ok, cli, clock, empty_store: Path) -> None:
    review = ok("review", "--json").json()
    assert review["mentors"] == [] and review["reconsider"] == []
    assert [g["arena"] for g in review["gaps"]] == ["research", "career", "personal"]
    assert "No active, pilot or paused mentors" in ok("review").stdout
    bad = cli("review", "--since", "someday")
    assert bad.exit_code == 1 and "cannot read the date" in bad.stderr
    future = cli("review", "--since", "tomorrow")
    assert future.exit_code == 1 and "future" in future.stderr
