"""Roles, and goals on the board and in the review (issue 19)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Run = Callable[..., Any]


@pytest.fixture
def board(ok: Run) -> None:
    ok("profile", "set", "--name", "Ana", "--timezone", "UTC")
    ok("add-mentor", "Rosa Diaz", "--arena", "research", "--stage", "active")
    ok("add-mentor", "Henri Dubois", "--arena", "career", "--stage", "active")
    ok("add-mentor", "Priya Raman", "--arena", "career")  # a prospect linked to career
    ok("add-mentor", "Sam Lee", "--tag", "Research")  # a prospect tagged with an arena's name


def test_roles_are_set_shown_and_taken_away(ok: Run, cli: Run, board: None) -> None:
    ok("edit", "Henri", "--role", "sponsor", "--role", "Coach")
    assert ok("show", "Henri", "--json").json()["mentor"]["roles"] == ["coach", "sponsor"]
    assert "coach, sponsor" in ok("show", "Henri").stdout
    ok("edit", "Henri", "--remove-role", "coach")
    assert ok("show", "Henri", "--json").json()["mentor"]["roles"] == ["sponsor"]
    added = ok("add-mentor", "Kim Park", "--role", "connector", "--json").json()
    assert added["roles"] == ["connector"]
    bad = cli("edit", "Henri", "--role", "guru")
    assert bad.exit_code == 1 and "unknown role 'guru'" in bad.stderr and "sponsor" in bad.stderr
    assert ok("show", "Henri", "--json").json()["mentor"]["roles"] == ["sponsor"]


def test_the_board_says_when_no_one_sponsors_you(ok: Run, board: None) -> None:
    assert "No sponsor:" in ok("board").stdout
    assert ok("board", "--json").json()["sponsors"] == []
    ok("edit", "Henri", "--role", "sponsor")
    shown = ok("board").stdout
    assert "No sponsor" not in shown and "Sponsors: Henri Dubois" in shown
    assert [s["name"] for s in ok("board", "--json").json()["sponsors"]] == ["Henri Dubois"]
    ok("end", "Henri", "--reason", "retired")
    assert "No sponsor:" in ok("board").stdout  # an ended relationship sponsors no one


def test_the_board_lists_open_goals_and_their_mentors(ok: Run, board: None) -> None:
    linked = ok("goal", "add", "research", "Resubmit the R01", "--by", "2027-06-30", "--mentor", "Rosa").stdout.strip()
    alone = ok("goal", "add", "career", "Promotion dossier").stdout.strip()
    closed = ok("goal", "add", "career", "Old goal").stdout.strip()
    ok("goal", "done", closed)
    data = {a["name"]: a["goals"] for a in ok("board", "--json").json()["arenas"]}
    assert data["research"] == [
        {"id": int(linked), "text": "Resubmit the R01", "due_on": "2027-06-30", "mentors": ["Rosa Diaz"]}
    ]
    assert [g["text"] for g in data["career"]] == ["Promotion dossier"]
    shown = ok("board").stdout
    assert f"research #{linked}: Resubmit the R01 (by Wed 30 Jun 2027) — Rosa Diaz" in shown
    assert f"career #{alone}: Promotion dossier — no mentor linked" in shown
    assert "Old goal" not in shown


def test_review_reports_progress_and_goal_gaps_with_prospects(ok: Run, board: None) -> None:
    research = ok("goal", "add", "research", "Resubmit the R01", "--mentor", "Rosa").stdout.strip()
    career = ok("goal", "add", "career", "Promotion dossier").stdout.strip()
    ok("goal", "milestone", "add", research, "Aims page", "--by", "yesterday")
    done = ok("goal", "milestone", "add", research, "Biosketch", "--by", "tomorrow").stdout.strip()
    ok("goal", "milestone", "done", done)
    ok("log", "Rosa", "--when", "yesterday", "--advice", "Cut aim 3", "--goal", research)
    ok("log", "Rosa", "--when", "2 days ago")  # serves no goal
    review = ok("review", "--json").json()
    progress = {g["id"]: g for g in review["goals"]}
    r = progress[int(research)]
    assert (r["milestones"], r["milestones_done"], r["done_in_period"], r["late"]) == (2, 1, 1, 1)
    assert (r["meetings"], r["advice"], r["mentors"]) == (1, 1, ["Rosa Diaz"])
    assert progress[int(career)]["meetings"] == 0
    gaps = {g["goal_id"]: [p["name"] for p in g["prospects"]] for g in review["goal_gaps"]}
    assert gaps == {int(career): ["Priya Raman"]}
    text = ok("review").stdout
    assert "Goals no mentor helps with" in text and "prospects who could help: Priya Raman" in text
    assert "milestones 1/2 done (1 in the period), 1 late" in text


def test_a_goal_gap_is_filled_by_tagged_prospects_too(ok: Run, board: None) -> None:
    ok("edit", "Rosa", "--remove-arena", "research")
    goal = ok("goal", "add", "research", "First paper").stdout.strip()
    gaps = {g["goal_id"]: [p["name"] for p in g["prospects"]] for g in ok("review", "--json").json()["goal_gaps"]}
    assert gaps == {int(goal): ["Sam Lee"]}
