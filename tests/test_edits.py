"""Editing and deleting every kind of record, deleting and merging mentors, `mentors
--duplicates`: each command does its job, `undo` reverses it exactly, and bad input exits 1 with
one line and writes nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from journal_helpers import content, steps


@pytest.fixture
def board(ok: Callable[..., Any], db_path: Path) -> Path:
    """Two mentors, a meeting with advice and a follow-up, a flag, a group with a meeting."""
    ok("add-mentor", "Ada Lovelace", "--email", "ada@example.org", "--arena", "research", "--tag", "math")
    ok("add-mentor", "Grace Hopper", "--arena", "career")
    ok("log", "1", "--notes", "engines", "--advice", "Publish the notes", "--followup", "Send the notes")
    ok("flag", "1", "Cancelled twice", "--kind", "commitment")
    ok("group", "add", "Writers", "--member", "1", "--member", "2")
    ok("log", "--group", "Writers", "--notes", "first circle", "--followup", "Book a room")
    return db_path


def refused(cli: Callable[..., Any], db: Path, *args: str, says: str) -> None:
    """The command exits 1 with one line naming the problem, and writes nothing."""
    before, made = content(db), steps(db)
    result = cli(*args)
    assert result.exit_code == 1, (args, result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
    assert says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert content(db) == before and steps(db) == made


def undone_exactly(ok: Callable[..., Any], db: Path, *args: str) -> Any:
    """Run a write, check that `undo` restores every table, then run it again; its result."""
    before = content(db)
    ok(*args)
    after = content(db)
    assert after != before, args
    ok("undo")
    assert content(db) == before, args
    return ok(*args)


# ---- meetings ------------------------------------------------------------------------------


def test_meetings_edit_changes_the_fields_given(ok: Callable[..., Any], board: Path) -> None:
    undone_exactly(
        ok, board, "meetings", "edit", "1", "--notes", "new notes", "--mode", "phone", "--minutes", "45", "--agenda", ""
    )
    (meeting,) = [m for m in ok("meetings", "--past", "--json").json() if m["id"] == 1]
    assert (meeting["notes"], meeting["mode"], meeting["minutes"], meeting["agenda"]) == (
        "new notes",
        "phone",
        45,
        None,
    )
    assert ok("search", "notes", "--json").json()  # the search index follows the edit
    again = ok("meetings", "edit", "1", "--notes", "new notes")
    assert "nothing changed" in again.stderr


def test_meetings_edit_takes_the_lengths_log_takes(
    ok: Callable[..., Any], cli: Callable[..., Any], board: Path
) -> None:
    """A length is 0 to 1440 minutes, as `log --minutes` takes it (an exchange may take none)."""
    ok("log", "2", "--mode", "email", "--minutes", "0")
    for minutes in (0, 1440):
        ok("meetings", "edit", "1", "--minutes", str(minutes))
        (meeting,) = [m for m in ok("meetings", "--past", "--limit", "50", "--json").json() if m["id"] == 1]
        assert meeting["minutes"] == minutes
    for minutes in ("-1", "1441"):
        refused(cli, board, "meetings", "edit", "1", "--minutes", minutes, says="--minutes")


def test_meetings_edit_moves_the_time(ok: Callable[..., Any], board: Path) -> None:
    ok("meetings", "edit", "1", "--when", "2026-01-05 09:30", "--tz", "Europe/Paris")
    (meeting,) = [m for m in ok("meetings", "--past", "--limit", "50", "--json").json() if m["id"] == 1]
    assert meeting["starts_at"] == "2026-01-05T08:30:00Z" and meeting["timezone"] == "Europe/Paris"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("meetings", "edit", "99", "--notes", "x"), "no meeting with id 99"),
        (("meetings", "edit", "abc", "--notes", "x"), "not a meeting id"),
        (("meetings", "edit", "1"), "nothing to change"),
        (("meetings", "edit", "1", "--mode", "telepathy"), "unknown mode"),
        (("meetings", "edit", "1", "--minutes", "5000"), "--minutes"),
        (("meetings", "edit", "1", "--when", "garbage"), "cannot read"),
        (("meetings", "edit", "1", "--when", "in 3 days 10:00"), "was held; it cannot move into the future"),
        (("meetings", "delete", "99"), "no meeting with id 99"),
    ],
)
def test_meetings_edit_and_delete_refuse_bad_input(
    cli: Callable[..., Any], board: Path, args: tuple[str, ...], says: str
) -> None:
    refused(cli, board, *args, says=says)


def test_a_planned_meeting_may_move_anywhere_ahead(ok: Callable[..., Any], board: Path) -> None:
    planned = ok("plan", "ada", "--when", "in 2 days 10:00").stdout.strip()
    ok("meetings", "edit", planned, "--when", "in 9 days 10:00")


def test_meetings_delete_keeps_advice_and_followups_and_undo_relinks_them(ok: Callable[..., Any], board: Path) -> None:
    result = undone_exactly(ok, board, "meetings", "delete", "1")
    assert "kept 1 piece of advice, 1 follow-up" in result.stderr
    assert [a["meeting_id"] for a in ok("advice", "--json").json()] == [None]
    assert 1 not in [m["id"] for m in ok("meetings", "--past", "--json").json()]


def test_meetings_delete_counts_the_follow_ups_of_that_meeting(ok: Callable[..., Any], board: Path) -> None:
    meeting = ok("log", "2", "--notes", "compilers", "--json").json()["meeting"]["id"]
    for text in ("Read the manual", "Try COBOL", "Write to Grace"):
        ok("followup", "add", "2", text, "--meeting", str(meeting))
    assert "kept 3 follow-ups" in ok("meetings", "delete", str(meeting)).stderr


def test_meetings_delete_names_the_day_the_meeting_was_held_where_you_are(ok: Callable[..., Any], board: Path) -> None:
    """docs/daily-loop.md: days are shown in your profile's zone. A meeting at 20:00 in Chicago
    on 3 December is on the 4th in UTC, where the store keeps it: the message names the 3rd."""
    ok("profile", "set", "--tz", "America/Chicago")
    meeting = ok("log", "2", "--when", "2026-12-03 20:00", "--json").json()["meeting"]["id"]
    said = ok("meetings", "delete", str(meeting)).stderr
    assert f"Deleted meeting #{meeting} of Thu 3 Dec 2026." in said, said


# ---- follow-ups ----------------------------------------------------------------------------


def test_followup_edit_snooze_reopen_delete(ok: Callable[..., Any], board: Path) -> None:
    undone_exactly(ok, board, "followup", "edit", "1", "--text", "Send the slides", "--owner", "mentor")
    undone_exactly(ok, board, "followup", "snooze", "1", "2030-01-07")
    with closing(sqlite3.connect(board)) as conn:
        row = conn.execute("SELECT text, owner, due_on FROM followup WHERE id = 1").fetchone()
    assert row == ("Send the slides", "mentor", "2030-01-07")
    ok("followup", "edit", "1", "--no-due")
    ok("followup", "done", "1")
    undone_exactly(ok, board, "followup", "reopen", "1")
    with closing(sqlite3.connect(board)) as conn:
        assert conn.execute("SELECT status, done_at, due_on FROM followup WHERE id = 1").fetchone() == (
            "open",
            None,
            None,
        )
    undone_exactly(ok, board, "followup", "delete", "1")
    with closing(sqlite3.connect(board)) as conn:
        assert conn.execute("SELECT count(*) FROM followup WHERE id = 1").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("followup", "edit", "99", "--text", "x"), "no follow-up with id 99"),
        (("followup", "edit", "1"), "nothing to change"),
        (("followup", "edit", "1", "--text", ""), "cannot be empty"),
        (("followup", "edit", "1", "--owner", "boss"), "unknown owner"),
        (("followup", "edit", "1", "--due", "friday", "--no-due"), "not both"),
        (("followup", "snooze", "1", "someday"), "cannot read"),
        (("followup", "reopen", "1"), "open already"),
        (("followup", "delete", "#x"), "not a follow-up id"),
    ],
)
def test_followup_commands_refuse_bad_input(
    cli: Callable[..., Any], board: Path, args: tuple[str, ...], says: str
) -> None:
    refused(cli, board, *args, says=says)


# ---- advice, pitches, flags ----------------------------------------------------------------


def test_advice_edit_and_delete(ok: Callable[..., Any], cli: Callable[..., Any], board: Path) -> None:
    undone_exactly(
        ok, board, "advice", "edit", "1", "--text", "Publish early", "--arena", "career", "--on", "2026-01-02"
    )
    (advice,) = ok("advice", "--json").json()
    assert (advice["text"], advice["arena"], advice["given_on"]) == ("Publish early", "career", "2026-01-02")
    refused(cli, board, "advice", "edit", "1", "--arena", "nowhere", says="no arena named")
    refused(cli, board, "advice", "edit", "1", "--text", "  ", says="cannot be empty")  # advice is its text
    refused(cli, board, "advice", "delete", "7", says="no advice with id 7")
    undone_exactly(ok, board, "advice", "delete", "1")
    assert ok("advice", "--json").json() == []


def test_pitches_delete(ok: Callable[..., Any], cli: Callable[..., Any], board: Path) -> None:
    with closing(sqlite3.connect(board)) as conn:  # a saved pitch, as `pitch --save` leaves one
        conn.execute(
            "INSERT INTO pitch (uuid, arena_id, mentor_id, body, created_at, updated_at) "
            "VALUES ('00000000-0000-4000-8000-000000000001', 1, 2, 'Dear Grace', '2026-01-01T00:00:00Z', "
            "'2026-01-01T00:00:00Z')"
        )
        conn.commit()
    refused(cli, board, "pitches", "delete", "2", says="no pitch with id 2")
    undone_exactly(ok, board, "pitches", "delete", "1")
    assert ok("pitches", "--json").json() == []


def test_flags_edit_and_delete_and_the_list_still_works(
    ok: Callable[..., Any], cli: Callable[..., Any], board: Path
) -> None:
    undone_exactly(ok, board, "flags", "edit", "1", "--kind", "competition", "--note", "")
    (flag,) = ok("flags", "--json").json()
    assert (flag["kind"], flag["note"]) == ("competition", None)
    assert ok("flags", "--mentor", "ada", "--all", "--json").json()[0]["id"] == 1
    refused(cli, board, "flags", "edit", "1", "--kind", "grumpy", says="unknown flag kind")
    refused(cli, board, "flags", "delete", "5", says="no flag with id 5")
    undone_exactly(ok, board, "flags", "delete", "1")
    assert ok("flags", "--all", "--json").json() == []


# ---- groups and arenas ---------------------------------------------------------------------


def test_group_rename_members_and_delete(ok: Callable[..., Any], cli: Callable[..., Any], board: Path) -> None:
    undone_exactly(ok, board, "group", "rename", "Writers", "Writing circle")
    ok("add-mentor", "Hedy Lamarr")
    undone_exactly(ok, board, "group", "add-member", "Writing circle", "hedy")
    undone_exactly(ok, board, "group", "remove-member", "Writing circle", "grace")
    (group,) = ok("groups", "--json").json()
    assert sorted(m["name"] for m in group["members"]) == ["Ada Lovelace", "Hedy Lamarr"]
    refused(cli, board, "group", "remove-member", "Writing circle", "grace", says="not a member")
    refused(cli, board, "group", "rename", "Nobody", "X", says="Nobody")
    refused(cli, board, "group", "delete", "Writing circle", says="--yes")  # not a terminal: must confirm
    result = undone_exactly(ok, board, "group", "delete", "Writing circle", "--yes")
    assert "with 1 meeting, 1 follow-up" in result.stderr
    assert "2 members (still on the board)" in result.stderr
    assert ok("groups", "--json").json() == []
    assert len(ok("mentors", "--json").json()) == 3  # the members stay


def test_arena_rename_and_delete(ok: Callable[..., Any], cli: Callable[..., Any], board: Path) -> None:
    undone_exactly(ok, board, "arena", "rename", "research", "science")
    assert ok("show", "1", "--json").json()["mentor"]["arenas"] == ["science"]
    refused(cli, board, "arena", "rename", "science", "career", says="already")
    refused(cli, board, "arena", "delete", "science", says="still covered by 1 mentor")
    refused(cli, board, "arena", "delete", "nowhere", says="no arena named")
    ok("profile", "set", "--goal", "personal=Leave by six")
    result = undone_exactly(ok, board, "arena", "delete", "personal")
    assert "with your goal in it" in result.stderr
    assert "personal" not in [a["name"] for a in ok("arenas", "--json").json()]


# ---- mentors: delete, merge, duplicates -----------------------------------------------------


def test_delete_mentor_needs_yes_off_a_terminal_and_takes_what_is_theirs(
    ok: Callable[..., Any], cli: Callable[..., Any], board: Path
) -> None:
    refused(cli, board, "delete", "ada", says="Add --yes")
    refused(cli, board, "delete", "nobody", "--yes", says="no mentor matches")
    result = undone_exactly(ok, board, "delete", "ada", "--yes")
    assert "with 1 follow-up, 1 piece of advice, 1 meeting, 1 flag, 1 group membership" in result.stderr
    assert [m["name"] for m in ok("mentors", "--json").json()] == ["Grace Hopper"]
    with closing(sqlite3.connect(board)) as conn:  # the group and its meeting stay
        assert conn.execute("SELECT count(*) FROM meeting WHERE group_id IS NOT NULL").fetchone()[0] == 1


def test_merge_moves_everything_and_undo_splits_them_again(
    ok: Callable[..., Any], cli: Callable[..., Any], board: Path
) -> None:
    ok("add-mentor", "Dr. Ada Lovelace", "--institution", "Analytical Society", "--tag", "poetry", "--again")
    refused(cli, board, "merge", "3", "--into", "3", says="into itself")
    refused(cli, board, "merge", "3", "--into", "99", says="no mentor with id 99")
    result = undone_exactly(ok, board, "merge", "1", "--into", "3")
    assert "Merged Ada Lovelace (#1) into Dr. Ada Lovelace (#3)" in result.stderr
    kept = ok("show", "3", "--json").json()["mentor"]
    assert kept["email"] == "ada@example.org" and kept["institution"] == "Analytical Society"
    assert sorted(kept["tags"]) == ["math", "poetry"] and kept["arenas"] == ["research"]
    assert [a["mentor"] for a in ok("advice", "--json").json()] == ["Dr. Ada Lovelace"]
    assert ok("flags", "--json").json()[0]["mentor_id"] == 3
    assert sorted(m["id"] for m in ok("mentors", "--json").json()) == [2, 3]
    assert ok("mentors", "--duplicates", "--json").json() == []
    report = ok("doctor", "--json").json()
    assert all(c["status"] != "fail" for c in report["checks"]), report


def test_mentors_duplicates_finds_the_kenji_pairs(ok: Callable[..., Any]) -> None:
    ok("add-mentor", "Dr. Kenji Watanabe", "--email", "kenji@u.example.jp")
    extra = ["--again"] if "--again" in ok("add-mentor", "--help").stdout else []  # insist on a known name
    ok("add-mentor", "watanabe, kenji", *extra)
    ok("add-mentor", "Someone Else", "--email", "KENJI@u.example.jp")
    pairs = ok("mentors", "--duplicates", "--json").json()
    assert {(p["first_id"], p["second_id"], p["reason"]) for p in pairs} == {
        (1, 2, "same name"),
        (1, 3, "same email"),
    }
    human = ok("mentors", "--duplicates")
    assert "watanabe, kenji" in human.stdout and "merge" in human.stderr


def test_meetings_edit_in_the_editor_starts_from_the_notes(
    ok: Callable[..., Any], board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    script = tmp_path / "editor.py"
    script.write_text("import sys\np = sys.argv[-1]\ntext = open(p).read()\nopen(p, 'w').write(text + ' and more')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    ok("meetings", "edit", "1", "--edit")
    with closing(sqlite3.connect(board)) as conn:
        assert conn.execute("SELECT notes FROM meeting WHERE id = 1").fetchone()[0] == "engines and more"


def test_an_edit_says_whether_it_changed_anything(ok: Callable[..., Any], board: Path) -> None:
    first = ok("followup", "edit", "1", "--text", "Send the slides")
    assert "Changed follow-up #1." in first.stdout + first.stderr
    again = ok("followup", "edit", "1", "--text", "Send the slides")
    assert "nothing changed" in again.stdout + again.stderr and "Changed" not in again.stdout + again.stderr


def test_arena_delete_refuses_an_arena_still_covered_and_counts_who_covers_it(
    ok: Callable[..., Any], cli: Callable[..., Any], board: Path
) -> None:
    """docs/mentors.md: `arena delete` removes an arena nobody covers. Of three people, one covers
    research: the refusal counts that one."""
    ok("add-mentor", "Katherine Johnson")  # a third person, covering nothing
    refused(cli, board, "arena", "delete", "research", says="still covered by 1 mentor;")
    ok("edit", "1", "--arena", "career")
    refused(cli, board, "arena", "delete", "career", says="still covered by 2 mentors;")


def test_arena_delete_counts_only_the_advice_and_pitches_filed_under_that_arena(
    ok: Callable[..., Any], board: Path
) -> None:
    """docs/mentors.md: advice and pitches filed under a deleted arena stay, without an arena; the
    message counts those, not the ones filed under other arenas."""
    ok("profile", "set", "--name", "Mary Somerville", "--story", "I study the physical sciences.")
    ok("log", "1", "--advice", "Write every morning", "--advice", "Read widely")  # research: 3 in all
    ok("log", "2", "--advice", "Keep a diary")
    diary = ok("advice", "--mentor", "grace", "--json").json()[0]["id"]
    ok("advice", "edit", str(diary), "--arena", "personal")
    for arena, times in (("research", 2), ("personal", 1)):
        for _ in range(times):
            ok("pitch", "--arena", arena, "--to", "ada", "--save")
    said = ok("arena", "delete", "personal").stderr
    assert "kept 1 piece of advice (now without an arena), 1 pitch (now without an arena)." in said, said
    ok("undo")
    ok("edit", "2", "--remove-arena", "career")
    said = ok("arena", "delete", "career").stderr  # no advice and no pitch of its own
    assert "kept" not in said and "Deleted the arena career." in said, said
