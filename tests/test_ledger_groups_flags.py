"""The advice ledger, mastermind groups and red flags, driven through the CLI with a fixed clock."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
import time_machine

NOW = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def board(ok, clock):
    ok("profile", "set", "--name", "Maya Okafor", "--timezone", "America/Chicago")
    ok("add-mentor", "Teresa Alvarez", "--stage", "active", "--arena", "research")
    ok("add-mentor", "James Whitfield", "--stage", "active", "--arena", "career", "--arena", "personal")
    ok("add-mentor", "James Park", "--stage", "pilot")
    return ok


def counts(db_path) -> tuple[int, ...]:
    conn = sqlite3.connect(db_path)
    try:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("advice", "mgroup", "mentor", "flag")
        )
    finally:
        conn.close()


# ---- advice ---------------------------------------------------------------------------------


def test_advice_add_files_it_under_an_arena(board) -> None:
    one = board("advice", "add", "Teresa", "Write the aims first", "--json").json()
    assert (one["mentor"], one["arena"], one["given_on"], one["outcome"]) == (
        "Teresa Alvarez",
        "research",
        "2026-03-10",
        "untested",
    )
    two = board("advice", "add", "Whitfield", "Say no to a third committee", "--json").json()
    assert two["arena"] is None  # two arenas: no guess
    three = board(
        "advice", "add", "Whitfield", "Protect your evenings", "--arena", "personal", "--on", "yesterday", "--json"
    ).json()
    assert (three["arena"], three["given_on"]) == ("personal", "2026-03-09")
    assert int(board("advice", "add", "Teresa", "Read widely").stdout) == 4


def test_advice_list_filters(board) -> None:
    board("advice", "add", "Teresa", "Write the aims first")
    board("advice", "add", "Whitfield", "Protect your evenings", "--arena", "personal")
    board("advice", "add", "Whitfield", "Say no to a third committee", "--arena", "career")
    board("advice", "rate", "3", "helpful")
    assert [a["id"] for a in board("advice", "--json").json()] == [3, 2, 1]
    assert [a["id"] for a in board("advice", "--mentor", "Whitfield", "--json").json()] == [3, 2]
    assert [a["id"] for a in board("advice", "--arena", "PERSONAL", "--json").json()] == [2]
    assert [a["id"] for a in board("advice", "--outcome", "helpful", "--json").json()] == [3]
    assert [a["id"] for a in board("advice", "--outcome", "untested", "--mentor", "2", "--json").json()] == [2]
    table = board("advice").stdout
    assert "Protect your evenings" in table and "helpful" in table


def test_advice_logged_with_a_meeting_is_in_the_ledger(board) -> None:
    board("log", "Teresa", "--when", "yesterday 10:00", "--advice", "Submit to the spring cycle")
    (entry,) = board("advice", "--json").json()
    assert (entry["text"], entry["meeting_id"], entry["mentor"]) == ("Submit to the spring cycle", 1, "Teresa Alvarez")


def test_advice_rate_records_outcome_and_note(board, clock) -> None:
    board("advice", "add", "Teresa", "Write the aims first")
    rated = board("advice", "rate", "1", "Helpful", "--note", "Study section praised the aims", "--json").json()
    assert (rated["outcome"], rated["outcome_note"], rated["rated_at"]) == (
        "helpful",
        "Study section praised the aims",
        "2026-03-10T18:00:00Z",
    )
    again = board("advice", "rate", "1", "mixed", "--json").json()
    assert (again["outcome"], again["outcome_note"]) == ("mixed", None)
    undone = board("advice", "rate", "1", "untested", "--json").json()
    assert (undone["outcome"], undone["rated_at"]) == ("untested", None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("advice", "rate", "99", "helpful"), "no advice with id 99"),
        (("advice", "rate", "1", "great"), "unknown outcome 'great'"),
        (("advice", "rate", "1", "untested", "--note", "x"), "a note explains a rating"),
        (("advice", "add", "Nobody", "x"), "no mentor matches 'Nobody'"),
        (("advice", "add", "James", "x"), "matches several mentors"),
        (("advice", "add", "Teresa", "x", "--arena", "cooking"), "no arena named 'cooking'"),
        (("advice", "add", "Teresa", "   "), "the advice cannot be empty"),
        (("advice", "add", "Teresa", "x", "--on", "tomorrow"), "in the future"),
        (("advice", "--outcome", "meh"), "unknown outcome 'meh'"),
    ],
)
def test_advice_errors_are_one_line_and_write_nothing(board, cli, db_path, args, message) -> None:
    board("advice", "add", "Teresa", "Write the aims first")
    before = counts(db_path)
    result = cli(*args)
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert counts(db_path) == before
    assert board("advice", "--json").json()[0]["outcome"] == "untested"


# ---- groups ---------------------------------------------------------------------------------


def test_group_add_uses_known_people_and_adds_peers(board) -> None:
    group = board(
        "group",
        "add",
        "Writing circle",
        "--member",
        "Teresa",
        "--member",
        "Ana Ruiz",
        "--member",
        "Ben Ortiz",
        "--cadence",
        "every 3 weeks",
        "--json",
    ).json()
    assert [(m["name"], m["kind"], m["stage"]) for m in group["members"]] == [
        ("Ana Ruiz", "peer", "active"),
        ("Ben Ortiz", "peer", "active"),
        ("Teresa Alvarez", "mentor", "active"),
    ]
    assert group["created_members"] == ["Ana Ruiz", "Ben Ortiz"]
    assert (group["cadence"], group["cadence_label"]) == ("FREQ=WEEKLY;INTERVAL=3", "every 3 weeks")
    peers = [m["name"] for m in board("mentors", "--json").json() if m["kind"] == "peer"]
    assert peers == ["Ana Ruiz", "Ben Ortiz"]
    # Peers are people in the store: a second group finds them rather than adding twins.
    second = board("group", "add", "Grant club", "--member", "ana", "--member", "ruiz", "--json").json()
    assert [m["name"] for m in second["members"]] == ["Ana Ruiz"] and second["created_members"] == []
    board_json = board("board", "--json").json()
    assert [g["name"] for g in board_json["groups"]] == ["Grant club", "Writing circle"]
    covering = {s["name"] for a in board_json["arenas"] for s in a["mentors"]}
    assert "Ana Ruiz" not in covering  # near-peers support you; they do not cover an arena


def test_groups_list_meetings_and_check_ins(board, clock) -> None:
    board("group", "add", "Writing circle", "--member", "Ana Ruiz", "--cadence", "monthly")
    (fresh,) = board("groups", "--json").json()
    assert (fresh["meetings_held"], fresh["checkin_due_on"]) == (0, "2026-04-10")  # a month after forming
    board(
        "log",
        "--group",
        "Writing circle",
        "--when",
        "2026-03-02 12:00",
        "--notes",
        "Drafted intros",
        "--followup",
        "Share the draft",
    )
    (group,) = board("groups", "--json").json()
    assert (group["meetings_held"], group["last_meeting"], group["checkin_due_on"], group["open_followups"]) == (
        1,
        "2026-03-02T18:00:00Z",
        "2026-04-02",
        1,
    )
    board("plan", "--group", "writing CIRCLE", "--when", "2026-03-20 12:00")
    (group,) = board("groups", "--json").json()
    assert group["next_meeting"] == "2026-03-20T17:00:00Z"
    out = board("groups").stdout
    assert "Writing circle" in out and "Ana Ruiz" in out and "monthly" in out


def test_group_edit_members_cadence_and_name(board) -> None:
    board("group", "add", "Writing circle", "--member", "Ana Ruiz", "--member", "Ben Ortiz")
    edited = board(
        "group",
        "edit",
        "writing circle",
        "--add-member",
        "Teresa",
        "--remove-member",
        "Ben",
        "--cadence",
        "biweekly",
        "--name",
        "Writers",
        "--json",
    ).json()
    assert edited["name"] == "Writers" and edited["cadence_label"] == "biweekly"
    assert [m["name"] for m in edited["members"]] == ["Ana Ruiz", "Teresa Alvarez"]
    assert board("groups", "--json").json()[0]["name"] == "Writers"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("group", "add", "Circle", "--member", "James"), "matches several mentors"),
        (("group", "add", "Circle", "--member", "Ana", "--member", "42"), "no mentor with id 42"),
        (("group", "add", "Existing", "--member", "Ana"), "already exists"),
        (("group", "add", "2026", "--member", "Ana"), "only digits"),
        (("group", "add", "Circle", "--member", "Ana", "--cadence", "sometimes"), "cannot read the cadence"),
        (("group", "edit", "Nope", "--cadence", "weekly"), "no group named 'Nope'"),
        (("group", "edit", "Existing", "--remove-member", "Teresa"), "not a member"),
    ],
)
def test_group_errors_write_nothing(board, cli, db_path, args, message) -> None:
    board("group", "add", "Existing", "--member", "Zed Peer")
    before = counts(db_path)
    result = cli(*args)
    assert result.exit_code == 1, result.stdout
    assert message in result.stderr
    assert counts(db_path) == before  # no half-made group, no stray peer


def test_group_add_needs_a_member(cli, board) -> None:
    assert cli("group", "add", "Circle").exit_code == 2  # --member is required: a usage error


# ---- flags ----------------------------------------------------------------------------------


def test_flag_list_resolve_and_show(board, clock) -> None:
    flag = board("flag", "Whitfield", "Took credit for my abstract", "--kind", "competition", "--json").json()
    assert (flag["mentor"], flag["kind"], flag["raised_on"], flag["resolved_on"]) == (
        "James Whitfield",
        "competition",
        "2026-03-10",
        None,
    )
    assert int(board("flag", "Teresa", "Three cancelled calls").stdout) == 2  # kind defaults to other
    assert [f["kind"] for f in board("flags", "--json").json()] == ["other", "competition"]
    board("unflag", "1", "--on", "today")
    assert [f["id"] for f in board("flags", "--json").json()] == [2]
    assert [(f["id"], f["resolved_on"]) for f in board("flags", "--all", "--mentor", "Whitfield", "--json").json()] == [
        (1, "2026-03-10"),
    ]
    shown = board("show", "Whitfield", "--json").json()
    assert [(f["kind"], f["resolved_on"]) for f in shown["flags"]] == [("competition", "2026-03-10")]


def test_flags_for_returns_open_and_resolved(board, clock) -> None:
    from mentorkit.domain.flags import flags_for
    from mentorkit.store.db import open_store

    board("flag", "Teresa", "One", "--kind", "commitment", "--on", "2026-03-01")
    board("flag", "Teresa", "Two", "--kind", "conflict-of-interest")
    board("unflag", "1")
    with open_store() as store:
        found = flags_for(store.conn, 1)
    assert [(f.note, f.open) for f in found] == [("Two", True), ("One", False)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("flag", "Teresa", "x", "--kind", "rudeness"), "unknown flag kind 'rudeness'"),
        (("flag", "Nobody", "x"), "no mentor matches"),
        (("flag", "Teresa", "x", "--on", "next week"), "in the future"),
        (("unflag", "9"), "no flag with id 9"),
    ],
)
def test_flag_errors(board, cli, db_path, args, message) -> None:
    before = counts(db_path)
    result = cli(*args)
    assert result.exit_code == 1 and message in result.stderr
    assert counts(db_path) == before


def test_unflag_twice_or_before_raised(board, cli) -> None:
    board("flag", "Teresa", "x", "--on", "2026-03-05")
    early = cli("unflag", "1", "--on", "2026-03-01")
    assert early.exit_code == 1 and "raised on 2026-03-05" in early.stderr
    board("unflag", "1")
    again = cli("unflag", "1")
    assert again.exit_code == 1 and "already resolved" in again.stderr


def test_member_changes_name_the_members_as_stored_and_braces_are_plain_text(ok) -> None:
    """Found by a hostile test: `remove-member MM ana` echoed the typed text, and a new peer named
    with braces ("Zoe {x}") ended in an internal error after the write (the name went into a
    format string)."""
    ok("add-mentor", "Ana Ruiz", "--peer")
    ok("group", "add", "MM", "--member", "Ana")
    added = ok("group", "add-member", "MM", "Zoe {x}")
    assert "Added to MM: Zoe {x}." in added.stderr
    assert "Removed from MM: Ana Ruiz." in ok("group", "remove-member", "MM", "ana").stderr
    assert "Renamed the group to M{0}M." in ok("group", "rename", "MM", "M{0}M").stderr
