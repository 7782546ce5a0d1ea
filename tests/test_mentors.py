"""Profile, mentors and arenas end to end through the CLI."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest


def counts(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("mentor", "mentor_arena", "mentor_tag", "stage_change", "profile", "goal", "arena")
        }
    finally:
        conn.close()


@pytest.fixture
def board(ok):
    ok("profile", "set", "--name", "Maya Okafor", "--timezone", "America/Chicago")
    ok(
        "add-mentor",
        "Dr. Teresa Alvarez",
        "--arena",
        "research",
        "--remote",
        "--timezone",
        "America/New_York",
        "--stage",
        "active",
        "--cadence",
        "monthly",
        "--tag",
        "grants",
        "--email",
        "t@example.org",
    )
    ok("add-mentor", "James Whitfield", "--arena", "career", "--local", "--stage", "active")
    ok("add-mentor", "Teresa Brown", "--stage", "prospect", "--tag", "personal")
    return ok


def test_add_mentor_prints_its_id_and_stores_every_field(ok) -> None:
    result = ok(
        "add-mentor",
        "Dr. Teresa Alvarez",
        "--arena",
        "research",
        "--arena",
        "career",
        "--remote",
        "--timezone",
        "America/New_York",
        "--stage",
        "pilot",
        "--pilot-weeks",
        "6",
        "--cadence",
        "every 3 weeks",
        "--source",
        "SAEM conference",
        "--tag",
        "grants",
        "--tag",
        "K awards",
        "--channel",
        "video",
        "--note",
        "Prefers mornings",
        "--institution",
        "Johns Hopkins",
        "--location",
        "Baltimore",
    )
    mentor_id = int(result.stdout.strip())
    data = ok("show", str(mentor_id), "--json").json()["mentor"]
    assert data["arenas"] == ["research", "career"]
    assert data["local"] is False
    assert data["timezone"] == "America/New_York"
    assert data["stage"] == "pilot" and data["pilot_review_on"] is not None
    assert data["cadence"] == "FREQ=WEEKLY;INTERVAL=3" and data["cadence_label"] == "every 3 weeks"
    assert data["tags"] == ["grants", "K awards"]  # case-insensitive order
    assert data["channels"] == ["video"] and data["notes"] == "Prefers mornings"
    assert len(data["uuid"]) == 36


def test_mentor_resolution_by_id_part_and_case(board) -> None:
    assert board("show", "whit", "--json").json()["mentor"]["name"] == "James Whitfield"
    assert board("show", "ALVAREZ", "--json").json()["mentor"]["name"] == "Dr. Teresa Alvarez"
    assert board("show", "2", "--json").json()["mentor"]["name"] == "James Whitfield"


def test_ambiguous_and_unknown_mentors_list_the_candidates(board, cli) -> None:
    assert board("show", "teresa", "--json").json()["mentor"]["id"] == 1  # the active one beats a prospect
    board("stage", "3", "pilot")
    result = cli("show", "teresa")
    assert result.exit_code == 1
    assert "Dr. Teresa Alvarez (#1, active)" in result.stderr and "Teresa Brown (#3, pilot)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    result = cli("show", "nobody")
    assert result.exit_code == 1
    assert "no mentor matches 'nobody'" in result.stderr and "James Whitfield (#2)" in result.stderr
    assert cli("show", "99").exit_code == 1


def test_list_filters(board) -> None:
    names = lambda *a: [m["name"] for m in board("mentors", "--json", *a).json()]  # noqa: E731
    assert names("--arena", "research") == ["Dr. Teresa Alvarez"]
    assert names("--stage", "prospect") == ["Teresa Brown"]
    assert names("--tag", "GRANTS") == ["Dr. Teresa Alvarez"]
    assert names() == ["Dr. Teresa Alvarez", "James Whitfield", "Teresa Brown"]  # active first


def test_edit_adds_and_removes_links(board) -> None:
    board(
        "edit",
        "whit",
        "--arena",
        "research",
        "--remove-arena",
        "career",
        "--tag",
        "promotion",
        "--cadence",
        "quarterly",
    )
    data = board("show", "whit", "--json").json()["mentor"]
    assert data["arenas"] == ["research"] and data["tags"] == ["promotion"]
    assert data["cadence_label"] == "quarterly"
    board("edit", "whit", "--cadence", "none")
    assert board("show", "whit", "--json").json()["mentor"]["cadence"] is None


def test_stages_keep_their_history_and_ending_keeps_the_record(board, cli) -> None:
    board("stage", "Brown", "pilot")
    board("stage", "Brown", "active")
    assert cli("end", "Brown").exit_code == 2  # --reason is required
    board("end", "Brown", "--reason", "No time on either side")
    detail = board("show", "Brown", "--json").json()
    assert [s["stage"] for s in detail["stages"]] == ["prospect", "pilot", "active", "ended"]
    assert detail["stages"][-1]["reason"] == "No time on either side"
    assert detail["mentor"]["end_reason"] == "No time on either side"
    assert "Teresa Brown" not in str(board("board", "--json").json())


def test_bad_input_writes_nothing(board, cli, db_path) -> None:
    before = counts(db_path)
    for args in (
        ("add-mentor", "Bob", "--timezone", "Mars/Phobos"),
        ("add-mentor", "Bob", "--arena", "astrology"),
        ("add-mentor", "Bob", "--cadence", "sometimes"),
        ("add-mentor", "Bob", "--email", "not-an-email"),
        ("add-mentor", "Bob", "--stage", "ended"),
        ("add-mentor", "Bob\x00"),
        ("edit", "whit", "--arena", "research", "--timezone", "Nowhere/Land"),
        ("profile", "set", "--timezone", "EST5EDT-ish"),
        ("profile", "set", "--name", "New", "--goal", "astrology=stars"),
        ("stage", "whit", "retired"),
    ):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1, args
    assert counts(db_path) == before
    assert cli("profile", "show", "--json").json()["name"] == "Maya Okafor"


def test_profile_round_trip_and_goals(ok) -> None:
    ok(
        "profile",
        "set",
        "--name",
        "Maya",
        "--role",
        "Assistant Professor",
        "--institution",
        "Bayview",
        "--timezone",
        "Europe/Berlin",
        "--story",
        "I run a clinic.",
        "--date-order",
        "dmy",
        "--goal",
        "research=First R01",
        "--goal",
        "Career=Promotion by 2029",
    )
    data = ok("profile", "show", "--json").json()
    assert data["timezone"] == "Europe/Berlin" and data["date_order"] == "DMY"
    assert data["goals"] == {"career": "Promotion by 2029", "research": "First R01"}
    ok("profile", "set", "--goal", "research=")
    assert ok("profile", "show", "--json").json()["goals"] == {"career": "Promotion by 2029"}


def test_arenas_defaults_and_add(ok, cli, empty_store: Path) -> None:
    assert [a["name"] for a in ok("arenas", "--json").json()] == ["research", "career", "personal"]
    ok("arena", "add", "Teaching", "--description", "Curriculum and learners")
    assert cli("arena", "add", "TEACHING").exit_code == 1
    ok("add-mentor", "Sam Osei", "--arena", "teaching", "--stage", "active")
    arenas = {a["name"]: a["mentors"] for a in ok("arenas", "--json").json()}
    assert arenas["teaching"] == 1


def test_human_tables_render(board) -> None:
    out = board("mentors").stdout
    assert "Dr. Teresa Alvarez" in out and "monthly" in out
    out = board("board").stdout
    assert "GAP" in out and "personal" in out and "Teresa Brown" in out
