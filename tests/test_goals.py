"""Goals, milestones and their links (issue 19): the commands, bad input, followups, undo."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from mentorkit.domain import goals
from mentorkit.domain.followups import due_items
from mentorkit.store.db import open_store

Run = Callable[..., Any]


@pytest.fixture
def board(ok: Run) -> dict[str, str]:
    """A mentor for research, an ended one, and a prospect."""
    ok("profile", "set", "--name", "Ana", "--timezone", "UTC")
    rosa = ok("add-mentor", "Rosa Diaz", "--arena", "research", "--stage", "active").stdout.strip()
    li = ok("add-mentor", "Li Wei", "--arena", "career", "--stage", "active").stdout.strip()
    ok("end", li, "--reason", "moved on")
    return {"rosa": rosa, "li": li}


def test_add_list_show_link_and_close_a_goal(ok: Run, board: dict[str, str]) -> None:
    gid = ok("goal", "add", "research", "Submit the R01 resubmission", "--by", "2027-06-30", "--measure", "eRA receipt")
    goal_id = gid.stdout.strip()
    ok("goal", "link", goal_id, "Rosa")
    again = ok("goal", "link", goal_id, "Rosa")
    assert "already had" in again.stderr
    listed = ok("goals", "--json").json()
    assert [(g["id"], g["text"], g["due_on"], g["measure"], g["status"]) for g in listed] == [
        (int(goal_id), "Submit the R01 resubmission", "2027-06-30", "eRA receipt", "open")
    ]
    assert [m["name"] for m in listed[0]["mentors"]] == ["Rosa Diaz"]
    shown = ok("goal", "show", goal_id)
    assert "Submit the R01 resubmission" in shown.stdout and "Rosa Diaz" in shown.stdout
    assert "Rosa Diaz" in ok("goals").stdout

    ok("goal", "edit", goal_id, "--by", "none", "--text", "Resubmit the R01")
    edited = ok("goal", "show", goal_id, "--json").json()
    assert (edited["text"], edited["due_on"]) == ("Resubmit the R01", None)

    done = ok("goal", "done", goal_id, "--json").json()
    assert done["status"] == "done" and done["done_at"]
    assert ok("goals", "--json").json() == []
    assert [g["status"] for g in ok("goals", "--all", "--json").json()] == ["done"]
    assert ok("goal", "reopen", goal_id, "--json").json()["status"] == "open"
    ok("goal", "unlink", goal_id, "Rosa")
    assert ok("goal", "show", goal_id, "--json").json()["mentors"] == []
    ok("goal", "drop", goal_id)
    assert ok("goals", "--all", "--json").json()[0]["status"] == "dropped"


def test_several_goals_per_arena_and_filters(ok: Run, board: dict[str, str]) -> None:
    ok("goal", "add", "research", "First paper", "--by", "2027-01-31", "--mentor", "Rosa")
    ok("goal", "add", "research", "Second paper")
    ok("goal", "add", "career", "Promotion dossier", "--by", "2027-09-01")
    assert [g["text"] for g in ok("goals", "--arena", "research", "--json").json()] == ["First paper", "Second paper"]
    assert [g["text"] for g in ok("goals", "--mentor", "Rosa", "--json").json()] == ["First paper"]
    # the profile's goal of an arena is its first open goal
    assert ok("profile", "show", "--json").json()["goals"] == {"career": "Promotion dossier", "research": "First paper"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("goal", "show", "99"), "no goal with id 99"),
        (("goal", "show", "abc"), "is not a goal id"),
        (("goal", "done", "99"), "no goal with id 99"),
        (("goal", "add", "astrology", "Stars"), "no arena named 'astrology'"),
        (("goal", "add", "research", "  "), "the goal cannot be empty"),
        (("goal", "add", "research", "X", "--by", "someday"), "someday"),
        (("goal", "link", "99", "Rosa"), "no goal with id 99"),
        (("goal", "milestone", "add", "99", "Step", "--by", "2027-01-01"), "no goal with id 99"),
        (("goal", "milestone", "done", "42"), "no milestone with id 42"),
        (("log", "Rosa", "--goal", "77"), "no goal with id 77"),
        (("followup", "add", "Rosa", "Send aims", "--goal", "77"), "no goal with id 77"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    cli: Run, ok: Run, board: dict[str, str], db_path: Path, args: tuple[str, ...], needle: str
) -> None:
    before = ok("history", "--json").json()
    result = cli(*args)
    assert result.exit_code == 1, result
    assert needle in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert ok("history", "--json").json() == before


def test_linking_an_ended_mentor_is_refused(cli: Run, ok: Run, board: dict[str, str]) -> None:
    goal_id = ok("goal", "add", "career", "Promotion").stdout.strip()
    result = cli("goal", "link", goal_id, "Li Wei")
    assert result.exit_code == 1
    assert "has ended" in result.stderr and result.stderr.count("\n") == 1
    assert ok("goal", "show", goal_id, "--json").json()["mentors"] == []
    assert cli("goal", "add", "career", "Other", "--mentor", "Li Wei").exit_code == 1
    assert len(ok("goals", "--all", "--json").json()) == 1  # nothing written by the refused add


def test_a_milestone_after_its_goals_date_is_kept_and_flagged(ok: Run, board: dict[str, str]) -> None:
    goal_id = ok("goal", "add", "research", "Paper", "--by", "2027-03-01").stdout.strip()
    early = ok("goal", "milestone", "add", goal_id, "Draft", "--by", "2027-02-01")
    assert "after the goal" not in early.stderr
    late = ok("goal", "milestone", "add", goal_id, "Submit", "--by", "2027-04-01")
    assert "after the goal's own date" in late.stderr
    milestones = ok("goal", "show", goal_id, "--json").json()["milestones"]
    assert [(m["text"], m["after_goal"]) for m in milestones] == [("Draft", False), ("Submit", True)]
    assert "after the goal's date" in ok("goal", "show", goal_id).stdout
    ok("goal", "milestone", "done", early.stdout.strip())
    shown = ok("goal", "show", goal_id, "--json").json()
    assert [m["done_at"] is not None for m in shown["milestones"]] == [True, False]
    assert "1/2" in ok("goals").stdout


def test_log_and_followup_name_the_goal_they_serve(ok: Run, board: dict[str, str], db_path: Path) -> None:
    goal_id = int(ok("goal", "add", "research", "Paper").stdout.strip())
    ok(
        "log",
        "Rosa",
        "--when",
        "yesterday",
        "--advice",
        "Cut aim 3",
        "--followup",
        "Revise aims",
        "--goal",
        str(goal_id),
    )
    added = ok("followup", "add", "Rosa", "Send the draft", "--goal", str(goal_id), "--json").json()
    assert added["goal_id"] == goal_id
    served = ok("goal", "show", str(goal_id), "--json").json()["served"]
    assert served == {"meetings": 1, "advice": 1, "open_followups": 2}
    assert "1 meeting, 1 advice, 2 open follow-ups" in ok("goal", "show", str(goal_id)).stdout
    with sqlite3.connect(db_path) as conn:
        for table, count in (("meeting", 1), ("advice", 1), ("followup", 2)):
            assert conn.execute(f"SELECT count(*) FROM {table} WHERE goal_id = ?", (goal_id,)).fetchone()[0] == count


def test_undo_reverses_goal_commands(ok: Run, board: dict[str, str]) -> None:
    goal_id = ok("goal", "add", "research", "Paper", "--by", "2027-03-01").stdout.strip()
    ok("goal", "milestone", "add", goal_id, "Draft", "--by", "2027-02-01")
    ok("goal", "link", goal_id, "Rosa")
    ok("undo")
    assert ok("goal", "show", goal_id, "--json").json()["mentors"] == []
    ok("undo")
    assert ok("goal", "show", goal_id, "--json").json()["milestones"] == []
    ok("undo")
    assert ok("goals", "--all", "--json").json() == []


# --- followups: the milestone kind at the horizon ------------------------------------------


NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def conn(tmp_path: Path) -> Any:
    store = open_store(tmp_path / "s.db")
    with store.write() as c:
        c.execute(
            "INSERT INTO mentor (uuid, name, stage, stage_changed_at, created_at, updated_at) "
            "VALUES ('u1', 'Rosa', 'active', :at, :at, :at)",
            {"at": "2026-01-01T00:00:00Z"},
        )
        c.execute(
            "INSERT INTO mentor (uuid, name, stage, stage_changed_at, created_at, updated_at) "
            "VALUES ('u2', 'Sam', 'active', :at, :at, :at)",
            {"at": "2026-01-01T00:00:00Z"},
        )
    with store.write() as c:
        yield c
    store.close()


def _kinds(conn: sqlite3.Connection, **kw: Any) -> list[tuple[str, date | None]]:
    return [(i.what.split(" (milestone #")[0], i.due) for i in due_items(conn, NOW, UTC, **kw) if i.kind == "milestone"]


def test_milestones_follow_the_horizon(conn: sqlite3.Connection) -> None:
    goal = goals.add_goal(conn, NOW, arena="research", text="Paper")
    today = NOW.date()
    for name, days in (("overdue", -3), ("today", 0), ("edge", 7), ("beyond", 8)):
        goals.add_milestone(conn, NOW, goal.id, text=name, due=today + timedelta(days=days))
    assert _kinds(conn) == [
        ("overdue", today - timedelta(days=3)),
        ("today", today),
        ("edge", today + timedelta(days=7)),
    ]
    assert [n for n, _ in _kinds(conn, within=6)] == ["overdue", "today"]
    assert [n for n, _ in _kinds(conn, show_all=True)] == ["overdue", "today", "edge", "beyond"]
    late = next(i for i in due_items(conn, NOW, UTC) if i.kind == "milestone")
    assert late.days_late == 3 and late.goal_id == goal.id


def test_done_milestones_and_closed_goals_leave_the_list(conn: sqlite3.Connection) -> None:
    goal = goals.add_goal(conn, NOW, arena="research", text="Paper")
    first = goals.add_milestone(conn, NOW, goal.id, text="one", due=NOW.date())
    goals.add_milestone(conn, NOW, goal.id, text="two", due=NOW.date())
    goals.milestone_done(conn, NOW, first.id)
    assert [n for n, _ in _kinds(conn)] == ["two"]
    goals.set_goal_status(conn, NOW, goal.id, "dropped")
    assert _kinds(conn) == []


def test_milestones_for_a_mentor_are_those_of_goals_they_help_with(conn: sqlite3.Connection) -> None:
    mine = goals.add_goal(conn, NOW, arena="research", text="Paper")
    other = goals.add_goal(conn, NOW, arena="career", text="Dossier")
    goals.add_milestone(conn, NOW, mine.id, text="aims", due=NOW.date())
    goals.add_milestone(conn, NOW, other.id, text="cv", due=NOW.date())
    goals.link_mentor(conn, NOW, mine.id, 1)
    assert [n for n, _ in _kinds(conn, mentor_id=1)] == ["aims"]
    assert [n for n, _ in _kinds(conn, mentor_id=2)] == []
    item = next(i for i in due_items(conn, NOW, ZoneInfo("UTC"), mentor_id=1) if i.kind == "milestone")
    assert item.mentor == "Rosa"


def test_agreement_reviews_follow_the_horizon(conn: sqlite3.Connection) -> None:
    from mentorkit.domain.agreements import set_agreement

    today = NOW.date()
    set_agreement(conn, NOW, today, 1, agreed_on=today - timedelta(days=180), review_on=today + timedelta(days=7))
    set_agreement(conn, NOW, today, 2, agreed_on=today - timedelta(days=180), review_on=today + timedelta(days=8))
    items = [i for i in due_items(conn, NOW, UTC) if i.kind == "agreement"]
    assert [(i.mentor, i.due, i.days_late) for i in items] == [("Rosa", today + timedelta(days=7), -7)]
    assert [i.mentor for i in due_items(conn, NOW, UTC, show_all=True) if i.kind == "agreement"] == ["Rosa", "Sam"]
    assert [i.mentor for i in due_items(conn, NOW, UTC, mentor_id=2, within=8) if i.kind == "agreement"] == ["Sam"]
    conn.execute("UPDATE mentor SET stage = 'ended' WHERE id = 1")
    assert [i for i in due_items(conn, NOW, UTC) if i.kind == "agreement"] == []


# --- the upgrade and the exchange -----------------------------------------------------------


def test_the_upgrade_makes_each_profile_goal_an_open_goal_keeping_its_text(ok: Run, db_path: Path) -> None:
    import shutil

    fixture = Path(__file__).parent / "fixtures" / "stores" / "v1.db"
    with sqlite3.connect(fixture) as old:
        before = old.execute("SELECT id, uuid, arena_id, text, created_at, updated_at FROM goal ORDER BY id").fetchall()
    assert before
    db_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copyfile(fixture, db_path)
    listed = ok("goals", "--json").json()  # opens, backs up and migrates
    with sqlite3.connect(db_path) as new:
        after = new.execute("SELECT id, uuid, arena_id, text, created_at, updated_at FROM goal ORDER BY id").fetchall()
        assert {r[0] for r in new.execute("SELECT DISTINCT status FROM goal")} == {"open"}
    assert after == before  # text byte for byte, uuid, arena and times kept
    assert sorted(g["text"] for g in listed) == sorted(r[3] for r in before)
    research = next(g["arena"] for g in listed)
    ok("goal", "add", research, "A second goal in the same arena")
    assert len(ok("goals", "--arena", research, "--json").json()) == 2


def test_goals_milestones_links_roles_and_agreements_round_trip_through_json(
    ok: Run, board: dict[str, str], db_path: Path, tmp_path: Path
) -> None:
    goal_id = ok("goal", "add", "research", "Paper", "--by", "2027-03-01", "--mentor", "Rosa").stdout.strip()
    ok("goal", "milestone", "add", goal_id, "Draft", "--by", "2027-02-01")
    ok("followup", "add", "Rosa", "Send the draft", "--goal", goal_id)
    ok("edit", "Rosa", "--role", "sponsor", "--role", "coach")
    ok("agreement", "set", "Rosa", "--cadence", "monthly", "--text", "Monthly calls.")
    export = tmp_path / "all.json"
    ok("export", "-f", "json", "-o", str(export))
    other = tmp_path / "other.db"
    ok("--db", str(other), "import", str(export))
    tables = ("goal", "milestone", "goal_mentor", "mentor_role", "agreement")
    with sqlite3.connect(db_path) as a, sqlite3.connect(other) as b:
        for table in tables:
            rows = sorted(a.execute(f"SELECT * FROM {table}").fetchall())
            assert rows and rows == sorted(b.execute(f"SELECT * FROM {table}").fetchall()), table
        query = "SELECT uuid, goal_id FROM followup ORDER BY uuid"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
    again = ok("--db", str(other), "import", str(export), "--json").json()
    assert all(t["added"] == 0 and t["updated"] == 0 for t in again["tables"].values())
