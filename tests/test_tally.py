"""`mentor_tally` (store/schema_v4_tally.py): counts kept by triggers must always equal a recount.

`review` trusts them for each mentor's open follow-ups and advice track record, so every kind of
write is exercised here at the SQL level (triggers see every path: commands, imports, merges).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import suppress
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.store import schema_v4_tally
from mentorkit.store.migrations import apply_pending, head

STORES = sorted((Path(__file__).parent / "fixtures" / "stores").glob("v*.db"))
NOW = "2026-06-01T12:00:00Z"


def tallies(conn: sqlite3.Connection) -> set[tuple[int, str, int]]:
    """The non-zero counts (a count that went back to zero may stay as a row of 0)."""
    return {tuple(row) for row in conn.execute("SELECT mentor_id, measure, n FROM mentor_tally WHERE n != 0")}


def recount(conn: sqlite3.Connection) -> set[tuple[int, str, int]]:
    return {tuple(row) for row in conn.execute(schema_v4_tally.RECOUNT)}


def fresh() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    apply_pending(conn)
    for n in (1, 2, 3):
        conn.execute(
            "INSERT INTO mentor (uuid, name, kind, stage, created_at, updated_at, stage_changed_at) "
            "VALUES (?, ?, 'mentor', 'active', ?, ?, ?)",
            (f"m{n}", f"Mentor {n}", NOW, NOW, NOW),
        )
    return conn


MENTOR = st.sampled_from([1, 2, 3, None])
FOLLOWUP_WRITE = st.fixed_dictionaries(
    {
        "mentor_id": MENTOR,
        "owner": st.sampled_from(["me", "mentor"]),
        "status": st.sampled_from(["open", "done", "dropped"]),
        "due_on": st.sampled_from([None, "2026-05-01"]),
    }
)
ADVICE_WRITE = st.fixed_dictionaries(
    {"mentor_id": MENTOR, "outcome": st.sampled_from(["helpful", "mixed", "unhelpful", "untested"])}
)


def some_of(write: st.SearchStrategy[dict]) -> st.SearchStrategy[dict]:
    """An update of some of the columns (a trigger `UPDATE OF` a column fires only when it is set)."""
    return write.flatmap(
        lambda values: st.sets(st.sampled_from(sorted(values)), min_size=1).map(
            lambda keys: {k: values[k] for k in sorted(keys)}
        )
    )


OPERATION = st.one_of(
    st.tuples(st.just("insert followup"), FOLLOWUP_WRITE),
    st.tuples(st.just("update followup"), some_of(FOLLOWUP_WRITE), st.integers(0, 30)),
    st.tuples(st.just("delete followup"), st.integers(0, 30)),
    st.tuples(st.just("insert advice"), ADVICE_WRITE),
    st.tuples(st.just("update advice"), some_of(ADVICE_WRITE), st.integers(0, 30)),
    st.tuples(st.just("delete advice"), st.integers(0, 30)),
    st.tuples(st.just("touch followup"), st.integers(0, 30)),  # an update of a column not counted
)


def _nth(conn: sqlite3.Connection, table: str, n: int) -> int | None:
    """The id of one existing row, picked by `n` (None when the table is empty)."""
    ids = [row[0] for row in conn.execute(f"SELECT id FROM {table} ORDER BY id")]
    return ids[n % len(ids)] if ids else None


def apply(conn: sqlite3.Connection, op: tuple, serial: list[int]) -> None:
    kind, *args = op
    serial[0] += 1
    if kind == "insert followup":
        values = args[0]
        if values["mentor_id"] is None:  # a follow-up needs a mentor or a group: this one is a group's
            conn.execute(
                "INSERT OR IGNORE INTO mgroup (uuid, name, created_at, updated_at) VALUES ('g', 'G', ?, ?)", (NOW, NOW)
            )
        conn.execute(
            "INSERT INTO followup (uuid, text, owner, due_on, status, mentor_id, group_id, created_at, updated_at) "
            "VALUES (?, 'x', ?, ?, ?, ?, (SELECT id FROM mgroup WHERE ? IS NULL), ?, ?)",
            (
                f"f{serial[0]}",
                values["owner"],
                values["due_on"],
                values["status"],
                values["mentor_id"],
                values["mentor_id"],
                NOW,
                NOW,
            ),
        )
    elif kind == "insert advice":
        values = args[0]
        conn.execute(
            "INSERT INTO advice (uuid, text, mentor_id, given_on, outcome, created_at, updated_at) "
            "VALUES (?, 'x', ?, '2026-05-01', ?, ?, ?)",
            (f"a{serial[0]}", values["mentor_id"], values["outcome"], NOW, NOW),
        )
    elif kind in ("update followup", "update advice"):
        table = kind.split()[1]
        values, n = args
        target = _nth(conn, table, n)
        if target is None:
            return
        columns = ", ".join(f"{c} = :{c}" for c in values)
        with suppress(sqlite3.IntegrityError):  # a follow-up with neither mentor nor group: refused, no change
            conn.execute(f"UPDATE {table} SET {columns} WHERE id = :id", {**values, "id": target})
    elif kind == "touch followup":
        conn.execute("UPDATE followup SET text = text || '!' WHERE id = ?", (_nth(conn, "followup", args[0]),))
    else:
        table = kind.split()[1]
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (_nth(conn, table, args[0]),))


@settings(max_examples=150, deadline=None)
@given(st.lists(OPERATION, max_size=40))
def test_tallies_equal_a_recount_after_any_writes(operations: list) -> None:
    conn = fresh()
    serial = [0]
    for op in operations:
        apply(conn, op, serial)
        assert tallies(conn) == recount(conn), op


def test_a_status_change_alone_moves_the_count() -> None:
    conn = fresh()
    apply(conn, ("insert followup", {"mentor_id": 1, "owner": "me", "status": "open", "due_on": None}), [0])
    conn.execute("UPDATE followup SET status = 'done'")
    assert tallies(conn) == recount(conn) == set()
    conn.execute("UPDATE followup SET status = 'open'")
    conn.execute("UPDATE followup SET owner = 'mentor'")
    assert tallies(conn) == recount(conn) == {(1, "open:mentor", 1)}


def test_a_rolled_back_write_leaves_the_tallies_as_they_were() -> None:
    conn = fresh()
    apply(conn, ("insert followup", {"mentor_id": 1, "owner": "me", "status": "open", "due_on": None}), [0])
    before = tallies(conn)
    conn.execute("BEGIN IMMEDIATE")
    apply(conn, ("insert advice", {"mentor_id": 2, "outcome": "helpful"}), [1])
    conn.execute("UPDATE followup SET status = 'done'")
    conn.execute("ROLLBACK")
    assert tallies(conn) == before == {(1, "open:me", 1)}


def test_rows_removed_by_replace_leave_the_counts(tmp_path: Path) -> None:
    """REPLACE deletes the row it conflicts with; `store.db.connect` makes that fire the triggers."""
    from mentorkit.store.db import connect

    conn = connect(tmp_path / "store.db")
    apply_pending(conn)
    conn.execute(
        "INSERT INTO mentor (uuid, name, kind, stage, created_at, updated_at, stage_changed_at) "
        "VALUES ('m1', 'M', 'mentor', 'active', ?, ?, ?)",
        (NOW, NOW, NOW),
    )
    insert = (
        "INSERT INTO followup (uuid, text, owner, status, mentor_id, created_at, updated_at) "
        "VALUES ('same', 'x', ?, 'open', 1, ?, ?)"
    )
    conn.execute(insert, ("me", NOW, NOW))
    conn.execute(insert.replace("INSERT", "INSERT OR REPLACE"), ("mentor", NOW, NOW))
    conn.execute(
        "INSERT INTO advice (uuid, text, mentor_id, given_on, outcome, created_at, updated_at) "
        "VALUES ('a', 'x', 1, '2026-05-01', 'helpful', ?, ?)",
        (NOW, NOW),
    )
    conn.execute(
        "REPLACE INTO advice (id, uuid, text, mentor_id, given_on, outcome, created_at, updated_at) "
        "SELECT id, uuid, text, mentor_id, given_on, 'mixed', created_at, updated_at FROM advice"
    )
    assert tallies(conn) == recount(conn) == {(1, "open:mentor", 1), (1, "advice:mixed", 1)}
    conn.close()


def test_a_store_with_a_broken_mentor_link_still_upgrades_and_rebuilds(tmp_path: Path, ok) -> None:
    """Derived counts have no foreign key: a damaged store (which doctor reports) must upgrade."""
    path = tmp_path / "orphan.db"
    shutil.copyfile(STORES[-1], path)
    with sqlite3.connect(path) as conn:  # foreign keys off, as an outside tool might leave it
        conn.execute("DELETE FROM mentor WHERE id IN (SELECT mentor_id FROM followup WHERE mentor_id IS NOT NULL)")
    ok("--db", str(path), "mentors", "--json")  # upgrades
    ok("--db", str(path), "review", "--json")
    with sqlite3.connect(path) as conn:
        assert tallies(conn) == recount(conn)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == head()


def test_upgrading_each_fixture_store_fills_the_tallies(tmp_path: Path) -> None:
    for fixture in STORES:
        path = tmp_path / fixture.name
        shutil.copyfile(fixture, path)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        apply_pending(conn)
        counted = recount(conn)
        assert counted, fixture.name  # the fixtures hold open follow-ups and advice
        assert tallies(conn) == counted, fixture.name
        conn.close()


def test_doctor_finds_counts_out_of_step_and_rebuild_mends_them(ok, cli, db_path: Path) -> None:
    ok("demo")
    checks = {c["name"]: c for c in ok("doctor", "--json").json()["checks"]}
    assert checks["review counts"]["status"] == "ok"
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE mentor_tally SET n = n + 2 WHERE measure = 'advice:helpful'")
    broken = cli("doctor", "--json")
    assert broken.exit_code == 1
    checks = {c["name"]: c for c in json.loads(broken.stdout)["checks"]}
    assert checks["review counts"]["status"] == "fail" and "--rebuild-index" in checks["review counts"]["detail"]
    ok("doctor", "--rebuild-index")
    with sqlite3.connect(db_path) as conn:
        assert tallies(conn) == recount(conn)


def test_imports_small_and_bulk_leave_the_counts_and_their_triggers(ok, tmp_path: Path) -> None:
    """A big import drops the counting triggers and recounts once at the end (merge._Derived)."""
    from mentorkit.store.db import open_store

    for n in (3, 1500):
        source, target = tmp_path / f"s{n}.db", tmp_path / f"t{n}.db"
        with open_store(source) as store, store.write() as conn:
            conn.execute(
                "INSERT INTO mentor (uuid, name, stage, stage_changed_at, created_at, updated_at) "
                "VALUES ('9b2f0d4e-0000-4000-8000-000000000001', 'Dr. Count', 'active', ?, ?, ?)",
                (NOW, NOW, NOW),
            )
            conn.executemany(
                "INSERT INTO followup (uuid, text, owner, status, mentor_id, created_at, updated_at) "
                "VALUES (?, 'x', ?, ?, 1, ?, ?)",
                [
                    (
                        f"9b2f0d4e-0000-4000-8000-{k:012d}",
                        ("me", "mentor")[k % 2],
                        ("open", "done")[k % 3 == 0],
                        NOW,
                        NOW,
                    )
                    for k in range(2, n + 2)
                ],
            )
            conn.executemany(
                "INSERT INTO advice (uuid, text, mentor_id, given_on, outcome, created_at, updated_at) "
                "VALUES (?, 'x', 1, '2026-05-01', ?, ?, ?)",
                [(f"7c1e0d4e-0000-4000-8000-{k:012d}", ("helpful", "mixed")[k % 2], NOW, NOW) for k in range(n)],
            )
        export = tmp_path / f"e{n}.json"
        ok("--db", str(source), "export", "-f", "json", "-o", str(export))
        ok("--db", str(target), "import", str(export))
        with sqlite3.connect(target) as conn, sqlite3.connect(source) as before:
            assert tallies(conn) == recount(conn) == tallies(before)
            names = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%tally%' ORDER BY name"
            assert conn.execute(names).fetchall() == before.execute(names).fetchall() != []
