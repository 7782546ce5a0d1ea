"""The change journal, `undo` and `history`: every write command is one step that `undo`
reverses exactly; read commands never touch the journal."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from journal_helpers import content, steps
from mentorkit.store import journal
from mentorkit.store.journal import journaled_tables, stale_tables, table_columns

WRITES: list[list[str]] = [
    ["add-mentor", "Ada Lovelace", "--email", "ada@example.org", "--arena", "research", "--tag", "math"],
    ["add-mentor", "Grace Hopper", "--stage", "active", "--cadence", "monthly"],
    ["edit", "1", "--institution", "Analytical Engines", "--tag", "poetry", "--remove-tag", "math"],
    ["edit", "2", "--email", "grace@example.org", "--arena", "career", "--note", "Navy; COBOL"],
    ["stage", "1", "pilot"],
    ["end", "2", "--reason", "moved abroad"],
    ["log", "1", "--notes", "Talked about engines", "--advice", "Publish the notes", "--followup", "Send the notes"],
    ["log", "2", "--mode", "phone", "--followup", "Book the room", "--due", "friday", "--owner", "mentor"],
    ["plan", "1", "--when", "in 2 weeks 10:00", "--agenda", "Grant plan"],
    ["meetings", "mark", "2", "cancelled"],
    ["followup", "add", "1", "Read the paper", "--due", "tomorrow"],
    ["followup", "done", "1"],
    ["followup", "drop", "2"],
    ["advice", "add", "2", "Say no more often", "--arena", "career"],
    ["advice", "rate", "1", "helpful", "--note", "It worked"],
    ["flag", "1", "Cancelled twice", "--kind", "commitment"],
    ["unflag", "1"],
    ["group", "add", "Writers", "--member", "1", "--member", "New Peer", "--cadence", "monthly"],
    ["group", "edit", "Writers", "--remove", "New Peer"],
    ["arena", "add", "Teaching", "--description", "Courses"],
    ["profile", "set", "--name", "Maya", "--timezone", "Europe/Paris", "--goal", "research=Tenure by 2028"],
]


def run(db: Path, *args: str) -> Any:
    from mentorkit.cli import app

    return CliRunner().invoke(app, ["--db", str(db), *args], prog_name="mentorkit")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(range(len(WRITES))), min_size=1, max_size=8))
def test_each_write_then_undo_leaves_the_store_as_it_was(picks: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "m.db"
        assert run(db, "add-mentor", "Seed Person").exit_code == 0
        for pick in picks:
            before, made = content(db), steps(db)
            result = run(db, *WRITES[pick])
            if result.exit_code != 0 or steps(db) == made:  # refused (an id not there yet), or no change
                assert content(db) == before
                continue
            undone = run(db, "undo")
            assert undone.exit_code == 0, undone.stderr
            assert content(db) == before, WRITES[pick]
            assert run(db, *WRITES[pick]).exit_code == 0  # write it again, so later writes build on it


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(range(len(WRITES))), min_size=1, max_size=10))
def test_undo_n_times_after_n_writes_returns_to_the_start(picks: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "m.db"
        assert run(db, "add-mentor", "Seed Person").exit_code == 0
        start = content(db)
        for pick in picks:
            run(db, *WRITES[pick])  # a refused write, or one that changes nothing, makes no step
        for _ in range(steps(db) - 1):
            assert run(db, "undo").exit_code == 0
        assert content(db) == start
        assert run(db, "undo").exit_code == 0  # and once more undoes the seed
        assert content(db)["mentor"] == []


def test_one_log_is_one_step_listed_by_history(ok: Callable[..., Any]) -> None:
    ok("add-mentor", "Kenji Watanabe")
    ok("log", "kenji", "--notes", "private words", "--advice", "Write daily", "--followup", "Send draft")
    (last, first) = ok("history", "--json").json()
    assert first["command"] == "add-mentor"
    assert last["command"] == "log"
    assert {(c["table"], c["op"], c["count"]) for c in last["changes"]} == {
        ("meeting", "insert", 1),
        ("advice", "insert", 1),
        ("followup", "insert", 1),
    }
    assert {r["table"] for r in last["records"]} == {"meeting", "advice", "followup"}
    assert last["undone_by"] is None
    human = ok("history").stdout
    assert "log" in human and "added meeting #1" in human
    assert "private words" not in human  # the command's name only, never its text

    undone = ok("undo")
    assert "which added meeting #1" in undone.stderr
    assert [f["text"] for f in ok("followups", "--all", "--json").json()] == []
    steps_now = ok("history", "--json").json()
    assert steps_now[0]["command"] == "undo" and steps_now[0]["undoes"] == last["id"]
    assert steps_now[1]["undone_by"] == steps_now[0]["id"]
    ok("undo")  # goes further back: the mentor
    assert ok("mentors", "--json").json() == []


def new_store(path: Path) -> None:
    from mentorkit.store.db import open_store

    open_store(path).close()


def test_nothing_to_undo_exits_1_and_writes_nothing(cli: Callable[..., Any], db_path: Path) -> None:
    result = cli("undo")  # no store at all: nothing is created
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "no store" in result.stderr
    assert not db_path.exists()
    new_store(db_path)
    result = cli("undo")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: nothing to undo") and result.stderr.count("\n") == 1
    assert steps(db_path) == 0


def test_history_limit_must_be_positive(cli: Callable[..., Any], db_path: Path) -> None:
    new_store(db_path)
    result = cli("history", "--limit", "0")
    assert result.exit_code == 1 and "--limit" in result.stderr


@pytest.mark.parametrize(
    "read",
    [["mentors"], ["followups"], ["board"], ["show", "1"], ["meetings"], ["history"], ["search", "notes"], ["review"]],
)
def test_read_commands_never_touch_the_journal(ok: Callable[..., Any], db_path: Path, read: list[str]) -> None:
    ok("add-mentor", "Ada Lovelace")
    ok("log", "1", "--notes", "notes")
    before = steps(db_path)
    with closing(sqlite3.connect(db_path)) as conn:
        changes = conn.execute("SELECT count(*) FROM change").fetchone()[0]
    ok(*read)
    assert steps(db_path) == before
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM change").fetchone()[0] == changes


def test_a_refused_write_leaves_no_step(cli: Callable[..., Any], db_path: Path) -> None:
    cli("add-mentor", "Ada")
    before = steps(db_path)
    assert cli("log", "999", "--notes", "x").exit_code == 1
    assert steps(db_path) == before


def test_every_record_table_and_column_is_journaled(ok: Callable[..., Any], db_path: Path) -> None:
    """A migration that adds a table or a column must re-run `journal.install_triggers`."""
    new_store(db_path)
    with closing(sqlite3.connect(db_path)) as conn:
        tables = journaled_tables(conn)
        assert "mentor_tally" not in tables and "search_index" not in tables and "change" not in tables
        assert {"mentor", "meeting", "followup", "advice", "pitch", "flag", "mentor_tag", "profile"} <= set(tables)
        assert stale_tables(conn) == []
        update = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'mentor_journal_update'").fetchone()[0]
        for column in table_columns(conn, "mentor")[0]:
            assert f'"{column}"' in update
        conn.execute("ALTER TABLE mentor ADD COLUMN nickname TEXT")  # a migration that forgot
        assert stale_tables(conn) == ["mentor"]


def test_undo_brings_back_deleted_rows_with_their_ids_and_uuids(ok: Callable[..., Any], db_path: Path) -> None:
    ok("add-mentor", "Ada Lovelace", "--arena", "research", "--tag", "math")
    ok("log", "1", "--notes", "engines", "--advice", "Publish", "--followup", "Send")
    before = content(db_path)
    with closing(sqlite3.connect(db_path, isolation_level=None)) as conn:  # one step, deleting by SQL
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN IMMEDIATE")
        step = journal.begin_step(conn, "test delete")
        conn.execute("DELETE FROM followup")
        conn.execute("DELETE FROM advice")
        conn.execute("DELETE FROM meeting")
        conn.execute("DELETE FROM mentor")  # cascades: tags, arenas, stage history
        journal.end_step(conn, step)
        conn.execute("COMMIT")
    assert content(db_path)["mentor_tag"] == []
    ok("undo")
    assert content(db_path) == before


def test_a_write_outside_mentorkit_is_journaled_without_a_step(ok: Callable[..., Any], db_path: Path) -> None:
    ok("add-mentor", "Ada Lovelace")
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE mentor SET email = 'a@example.org'")
        conn.commit()
        assert conn.execute("SELECT step_id, op FROM change ORDER BY id DESC LIMIT 1").fetchone() == (None, "update")
    ok("undo")  # reverses add-mentor only; the outside change is not a step
    assert ok("mentors", "--json").json() == []


def test_old_steps_are_pruned(ok: Callable[..., Any], db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal, "KEEP_STEPS", 3)
    for n in range(6):
        ok("add-mentor", f"Person {n}")
    kept = ok("history", "--json").json()
    assert [s["command"] for s in kept] == ["add-mentor"] * 3
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(DISTINCT step_id) FROM change").fetchone()[0] == 3
    ok("undo")  # an undo is a step too: the journal keeps at most three
    assert len(ok("mentors", "--json").json()) == 5
    assert steps(db_path) == 3


def test_undo_refuses_when_a_record_changed_outside_mentorkit(
    ok: Callable[..., Any], cli: Callable[..., Any], db_path: Path
) -> None:
    ok("add-mentor", "Ada Lovelace")
    ok("edit", "ada", "--email", "ada@example.org")
    with closing(sqlite3.connect(db_path)) as conn:  # the record the edit changed goes behind our back
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM mentor")
        conn.commit()
    before = content(db_path)
    result = cli("undo")
    assert result.exit_code == 1 and "changed outside mentorkit" in result.stderr
    assert result.stderr.count("\n") == 1
    assert content(db_path) == before


def test_undo_of_a_delete_refuses_when_another_record_took_its_place_outside_mentorkit(
    ok: Callable[..., Any], cli: Callable[..., Any], db_path: Path
) -> None:
    """docs/daily-loop.md: undoing a delete brings the records back with their ids. When another
    record has taken that id outside mentorkit, it cannot: undo says so and changes nothing."""
    ok("add-mentor", "Ada Lovelace")
    first = ok("followup", "add", "ada", "Send the notes").stdout.strip()
    second = ok("followup", "add", "ada", "Book a room").stdout.strip()
    ok("followup", "delete", first)
    with closing(sqlite3.connect(db_path)) as conn:  # the other item is renumbered behind our back
        conn.execute("UPDATE followup SET id = ? WHERE id = ?", (int(first), int(second)))
        conn.commit()
    before = content(db_path)
    result = cli("undo")
    assert result.exit_code == 1 and "changed outside mentorkit" in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1
    assert content(db_path) == before


def test_a_big_import_is_one_step_and_undo_removes_all_of_it(
    ok: Callable[..., Any], db_path: Path, tmp_path: Path
) -> None:
    """Past `BULK_INDEX_ROWS` writes the import journals its inserts in one statement per table."""
    from mentorkit.clock import utcnow
    from mentorkit.domain.followups import add_followup
    from mentorkit.exchange.merge import BULK_INDEX_ROWS
    from mentorkit.store.db import open_store

    other = tmp_path / "other.db"
    ok("--db", str(other), "add-mentor", "Ada Lovelace", "--arena", "research", "--tag", "math")
    ok("--db", str(other), "log", "ada", "--notes", "engines", "--advice", "Publish")
    with open_store(other) as store, store.write("seed") as conn:
        for n in range(BULK_INDEX_ROWS + 200):
            add_followup(conn, utcnow(), text=f"item {n}", mentor_id=1)
    export = tmp_path / "other.json"
    ok("--db", str(other), "export", "-f", "json", "-o", str(export))

    ok("add-mentor", "Grace Hopper")
    before = content(db_path)
    ok("import", str(export))
    (step, *_) = ok("history", "--json").json()
    assert step["command"] == "import"
    assert {(c["table"], c["op"]) for c in step["changes"]} >= {("followup", "insert"), ("mentor", "insert")}
    assert sum(c["count"] for c in step["changes"] if c["table"] == "followup") == BULK_INDEX_ROWS + 200
    ok("undo")
    assert content(db_path) == before
    report = ok("doctor", "--json").json()
    assert {c["name"]: c["status"] for c in report["checks"]}["change journal"] == "ok"


def test_doctor_checks_the_journal_and_rebuild_restores_its_triggers(
    ok: Callable[..., Any], cli: Callable[..., Any], db_path: Path
) -> None:
    ok("add-mentor", "Ada Lovelace")

    def check() -> dict[str, Any]:
        report = cli("doctor", "--json").json()
        (found,) = [c for c in report["checks"] if c["name"] == "change journal"]
        return found

    assert check()["status"] == "ok" and check()["detail"].startswith("1 step since")
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("DROP TRIGGER advice_journal_update")
        conn.commit()
    assert check()["status"] == "fail" and "advice" in check()["detail"]
    ok("doctor", "--rebuild-index")
    assert check()["status"] == "ok"
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE change SET new = 'not json' WHERE id = 1")
        conn.commit()
    assert check()["status"] == "fail" and "cannot be read" in check()["detail"]


def test_the_journal_keeps_the_newest_ten_thousand_steps(ok: Callable[..., Any], db_path: Path) -> None:
    """docs/daily-loop.md: the journal keeps the newest 10,000 steps; the write that makes a newer
    one prunes the oldest."""
    ok("add-mentor", "Ada Lovelace")
    with closing(sqlite3.connect(db_path)) as conn, conn:
        first = conn.execute("SELECT max(id) FROM change_step").fetchone()[0]
        conn.executemany(  # as if 9,999 more writes had come since, each changing one record
            "INSERT INTO change_step (id, uuid, made_at, command) VALUES (?, ?, '2026-01-01T00:00:00Z', 'edit')",
            [(first + n, f"step-{n}") for n in range(1, 10_000)],
        )
        conn.executemany(
            "INSERT INTO change (step_id, tbl, row_key, op) VALUES (?, 'mentor', '{\"id\": 1}', 'update')",
            [(first + n,) for n in range(1, 10_000)],
        )
    assert steps(db_path) == 10_000
    ok("add-mentor", "Grace Hopper")
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*), min(id) FROM change_step").fetchone() == (10_000, first + 1)
        assert conn.execute("SELECT count(*) FROM change WHERE step_id = ?", (first,)).fetchone()[0] == 0


def test_the_journal_holds_only_the_three_operations_undo_knows(ok: Callable[..., Any], db_path: Path) -> None:
    """Undo reverses an insert, an update or a delete; the store refuses any other operation,
    so a row written from outside cannot be taken for a delete."""
    ok("add-mentor", "Ada Lovelace")
    with closing(sqlite3.connect(db_path)) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO change (tbl, row_key, op) VALUES ('mentor', '{\"id\": 1}', 'upsert')")


def _fake_step(db_path: Path, changes: list[tuple[str, str, str]]) -> int:
    """A newest step as a write command would leave it, made directly: (table, row key, op)."""
    with closing(sqlite3.connect(db_path)) as conn, conn:
        step = conn.execute(
            "INSERT INTO change_step (uuid, made_at, command) VALUES ('fake', '2026-01-01T00:00:00Z', 'import')"
        ).lastrowid
        conn.executemany(
            "INSERT INTO change (step_id, tbl, row_key, op) VALUES (?, ?, ?, ?)",
            [(step, table, key, op) for table, key, op in changes],
        )
    assert step is not None
    return step


def test_history_lists_a_hundred_records_of_a_step_and_counts_the_rest(ok: Callable[..., Any], db_path: Path) -> None:
    """docs/daily-loop.md: up to 100 `records` per step, with `more_records` for a bigger one."""
    ok("add-mentor", "Ada Lovelace")
    _fake_step(db_path, [("mentor_tag", f'{{"mentor_id": 1, "tag": "t{n}"}}', "insert") for n in range(105)])
    (big,) = ok("history", "--json", "--limit", "1").json()
    assert (len(big["records"]), big["more_records"]) == (100, 5)
    small = ok("history", "--json").json()[1]
    assert (small["command"], small["more_records"]) == ("add-mentor", 0) and small["records"]


def test_undo_refuses_a_journal_naming_a_column_the_store_lacks(
    ok: Callable[..., Any], cli: Callable[..., Any], db_path: Path
) -> None:
    ok("add-mentor", "Ada Lovelace")
    _fake_step(db_path, [("mentor", '{"nope": 1}', "insert")])
    result = cli("undo")
    assert result.exit_code == 1
    assert "names a column the store lacks" in result.stderr and "Traceback" not in result.stderr
    assert [m["name"] for m in ok("mentors", "--json").json()] == ["Ada Lovelace"]


def test_history_names_up_to_five_records_of_a_kind_and_counts_more(ok: Callable[..., Any]) -> None:
    """docs/daily-loop.md: each kind of change of a step names its records by id up to five,
    and is counted beyond; records without an id of their own (tags) are counted."""
    ok("add-mentor", "Ada Lovelace")
    ok("log", "ada", *[a for n in range(5) for a in ("--followup", f"Item {n}")])
    ok("log", "ada", *[a for n in range(6) for a in ("--followup", f"More {n}")])
    ok("edit", "ada", "--tag", "math", "--tag", "poetry")
    human = ok("history").stdout
    assert "added follow-up #1, #2, #3, #4, #5" in human
    assert "added 6 follow-ups" in human
    assert "added 2 tags" in human


def test_pruning_keeps_the_steps_sync_has_not_pushed(
    ok: Callable[..., Any], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once a store syncs with a hub, `sync` reads what to push from the journal: a step holding
    a change not pushed yet is never pruned, however old; pushed ones are pruned as usual."""
    monkeypatch.setattr(journal, "KEEP_STEPS", 3)
    ok("add-mentor", "Person 0")
    with closing(sqlite3.connect(db_path)) as conn:  # as a sync leaves it: everything so far pushed
        pushed = conn.execute("SELECT max(id) FROM change").fetchone()[0]
        conn.execute("UPDATE sync_state SET hub = 'fingerprint', pushed = ?", (pushed,))
        conn.commit()
    for n in range(1, 7):
        ok("add-mentor", f"Person {n}")
    with closing(sqlite3.connect(db_path)) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT m.name FROM change c JOIN mentor m ON m.uuid = c.record_uuid "
                "WHERE c.tbl = 'mentor' ORDER BY c.id"
            )
        ]
        assert names == [f"Person {n}" for n in range(1, 7)]  # Person 0's pushed step went
        conn.execute("UPDATE sync_state SET pushed = (SELECT max(id) FROM change)")
        conn.commit()
    ok("add-mentor", "Person 7")  # all pushed now: back to the newest three
    assert steps(db_path) == 3


def test_a_write_in_a_synced_store_whose_changes_are_all_pushed_keeps_working(
    ok: Callable[..., Any], db_path: Path
) -> None:
    """Pruning stops below the first change `sync` has not pushed; with none left unpushed (a sync
    that pushed everything, then a write that changes nothing) there is no limit, and the write
    goes through (docs/architecture.md, "Pruning")."""
    ok("add-mentor", "Ada Lovelace", "--email", "ada@example.org")
    ok("followup", "add", "ada", "Send the notes")
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE sync_state SET hub = 'postgresql://hub/db', pushed = (SELECT max(id) FROM change)")
        assert conn.total_changes == 1
        conn.commit()
    result = ok("followup", "edit", "1", "--text", "Send the notes")
    assert "nothing changed" in result.stdout + result.stderr
    ok("edit", "ada", "--email", "ada@example.com")  # and a write with a change, after it
    assert ok("show", "ada", "--json").json()["mentor"]["email"] == "ada@example.com"
