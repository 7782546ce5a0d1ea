"""Schema migrations: blank → head, every kept fixture store → head, newer stores, failures, races.

Fixture stores live in `tests/fixtures/stores/vN.db` (built by `tests/fixtures/make_store.py N`)
and are kept for ever: every future schema version must upgrade each of them without losing a row.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from mentorkit.store import db as store_db
from mentorkit.store import migrations, schema_v1
from mentorkit.store.db import open_store
from mentorkit.store.migrations import Migration

FIXTURES = Path(__file__).parent / "fixtures"
STORES = sorted((FIXTURES / "stores").glob("v*.db"), key=lambda p: int(p.stem[1:]))
CANARY = "canary-7f3a: my mentor's private divorce details"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plain(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def user_version(path: Path) -> int:
    with closing(plain(path)) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def dump(path: Path) -> list[str]:
    """Schema and data as SQL text: equal dumps mean equal stores."""
    conn = plain(path)
    try:
        return [*conn.iterdump(), f"-- user_version {user_version(path)}"]
    finally:
        conn.close()


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, with the columns the store has now, in a stable order."""
    conn = plain(path)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        rows = {}
        for table in tables:
            columns = ", ".join(r["name"] for r in conn.execute(f"PRAGMA table_info({table})"))
            rows[table] = [tuple(r) for r in conn.execute(f"SELECT {columns} FROM {table} ORDER BY {columns}")]
        return rows
    finally:
        conn.close()


def columns_of(path: Path, table: str) -> list[str]:
    with closing(plain(path)) as conn:
        return [r["name"] for r in conn.execute(f"PRAGMA table_info({table})")]


def place(fixture: Path, db_path: Path) -> Path:
    """A private copy of a fixture store at the test's store path."""
    db_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copyfile(fixture, db_path)
    os.chmod(db_path, 0o600)
    return db_path


def backups_of(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.v*.bak"))


def with_broken(version: int, broken: Callable[[sqlite3.Connection], None]) -> list[Migration]:
    return [Migration(m.version, m.name, broken) if m.version == version else m for m in migrations.MIGRATIONS]


# --- blank store ----------------------------------------------------------------------------


def test_a_blank_store_migrates_to_head(db_path: Path) -> None:
    store = open_store(db_path)
    try:
        conn = store.conn
        assert migrations.current_version(conn) == migrations.head() >= 2
        recorded = [tuple(r) for r in conn.execute("SELECT version, name FROM schema_migrations")]
        assert recorded == [(m.version, m.name) for m in migrations.MIGRATIONS]
        arenas = [r[0] for r in conn.execute("SELECT name FROM arena ORDER BY id")]
        assert arenas == [name for name, _ in schema_v1.DEFAULT_ARENAS]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert migrations.apply_pending(conn) == []
    finally:
        store.close()
    assert backups_of(db_path) == []  # nothing to back up in a new store


def test_apply_pending_stops_at_upto_and_resumes(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "steps.db", isolation_level=None)
    try:
        assert migrations.apply_pending(conn, upto=1) == [1]
        assert migrations.current_version(conn) == 1
        assert migrations.apply_pending(conn) == list(range(2, migrations.head() + 1))
        assert migrations.apply_pending(conn) == []
    finally:
        conn.close()


# --- the kept fixture stores ----------------------------------------------------------------


def test_fixture_stores_exist_for_every_earlier_version() -> None:
    assert [int(p.stem[1:]) for p in STORES] == list(range(1, len(STORES) + 1))
    assert STORES, "tests/fixtures/stores/v1.db is missing"


@pytest.mark.parametrize("fixture", STORES, ids=lambda p: p.stem)
def test_each_fixture_is_its_schema_version_with_rows_in_every_table(fixture: Path, tmp_path: Path) -> None:
    """Each fixture matches what the migrations up to its version make today: released schema
    steps are frozen (schema_v1.py, schema_v2_fts.py, migration 3, schema_v4_tally.py...).

    If this fails, a released migration changed after the fixture was made. Released stores were
    made with the old statements: put the change in a new migration instead.
    """
    sys.path.insert(0, str(FIXTURES))
    try:
        import make_store
    finally:
        sys.path.remove(str(FIXTURES))
    version = int(fixture.stem[1:])
    rebuilt = make_store.build(tmp_path / "rebuilt.db", version)
    assert dump(rebuilt) == dump(fixture)
    assert user_version(fixture) == version
    with closing(plain(fixture)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    for table, rows in snapshot(fixture).items():
        assert rows, f"the {fixture.stem} fixture has no rows in {table}"


@pytest.mark.parametrize("fixture", STORES, ids=lambda p: p.stem)
def test_a_fixture_store_upgrades_to_head_keeping_every_row(
    fixture: Path, db_path: Path, ok: Callable[..., Any]
) -> None:
    path = place(fixture, db_path)
    old_version = user_version(path)
    before = snapshot(path)
    old_dump = dump(path)
    assert old_version < migrations.head()

    mentors = ok("mentors", "--json").json()  # any command opens, backs up and migrates

    assert user_version(path) == migrations.head()
    after = snapshot(path)
    for table, rows in before.items():
        if table.startswith("search_index") and old_version < 13:
            continue  # derived data, made again by migration 13 (new rowids): compared by entry below
        old_columns = columns_of(fixture, table)
        keep = [columns_of(path, table).index(c) for c in old_columns]
        kept = [tuple(r[i] for i in keep) for r in after[table]]
        if table == "schema_migrations":  # the upgrade adds its own records
            kept = kept[: len(rows)]
        assert kept == rows, table
    if "search_index" in before:
        entries = "SELECT kind, ref_id, head, body FROM search_index"
        with closing(plain(fixture)) as old, closing(plain(path)) as new:
            assert set(map(tuple, old.execute(entries))) <= set(map(tuple, new.execute(entries)))
    versions = [r[0] for r in after["schema_migrations"]]
    assert versions == list(range(1, migrations.head() + 1))
    assert {m["name"] for m in mentors} >= {"Rosa Martínez-Ibáñez", "Li Wei"}
    with closing(plain(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    (backup,) = backups_of(path)
    assert re.fullmatch(rf"mentorkit\.db\.v{old_version}-\d{{8}}T\d{{6}}Z\.bak", backup.name)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with closing(plain(backup)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert dump(backup) == old_dump  # the store exactly as it was before the upgrade

    ok("mentors", "--json")
    assert len(backups_of(path)) == 1  # a store at head is not backed up again


def test_the_upgraded_fixture_works_for_reads_and_writes(ok: Callable[..., Any], db_path: Path) -> None:
    place(STORES[0], db_path)
    board = ok("board", "--json").json()
    assert board
    ok("add-mentor", "Priyanka Rao", "--arena", "personal")
    names = {m["name"] for m in ok("mentors", "--json").json()}
    assert {"Priyanka Rao", "Henri Dubois", "Aiko Tanaka"} <= names
    ended = [m for m in ok("mentors", "--json").json() if m["stage"] == "ended"]
    assert [m["name"] for m in ended] == ["Li Wei"]


# --- a newer store ----------------------------------------------------------------------------


def _newer_store(db_path: Path) -> Path:
    open_store(db_path).close()
    with closing(plain(db_path)) as conn:
        conn.execute(f"PRAGMA user_version = {migrations.head() + 1}")
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{db_path}{suffix}").exists()
    return db_path


@pytest.mark.parametrize("args", [("mentors",), ("add-mentor", "Someone New"), ("board", "--json")])
def test_a_store_from_a_newer_mentorkit_is_refused_unchanged(
    db_path: Path, cli: Callable[..., Any], args: tuple[str, ...]
) -> None:
    path = _newer_store(db_path)
    before = sha256(path)
    listing = sorted(p.name for p in path.parent.iterdir())

    result = cli(*args)

    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert f"schema version {migrations.head() + 1}" in lines[0]
    assert "newer" in lines[0] and "Upgrade mentorkit" in lines[0]
    assert sha256(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == listing  # no side files, no backup


_CRASHING_WRITER = textwrap.dedent(
    """
    import os, signal, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("INSERT INTO mgroup (uuid, name, created_at, updated_at) "
                 "VALUES ('u', 'written by a newer mentorkit', 'x', 'x')")
    os.kill(os.getpid(), signal.SIGKILL)  # dies with the commit only in the WAL
    """
)


def test_a_newer_store_with_a_pending_wal_is_refused_before_sqlite_opens_it(
    db_path: Path, cli: Callable[..., Any]
) -> None:
    """Opening it through SQLite and closing would checkpoint the WAL into the file."""
    path = _newer_store(db_path)
    subprocess.run([sys.executable, "-c", _CRASHING_WRITER, str(path)], check=False)
    wal = Path(f"{path}-wal")
    assert wal.stat().st_size > 0
    before = {p.name: sha256(p) for p in path.parent.iterdir()}

    result = cli("mentors")

    assert result.exit_code == 1 and "newer than this mentorkit" in result.stderr
    assert {p.name: sha256(p) for p in path.parent.iterdir()} == before


def test_a_newer_version_still_in_the_wal_is_refused(db_path: Path, cli: Callable[..., Any]) -> None:
    """The file header can lag behind the WAL; the check through SQLite sees the real version."""
    open_store(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("PRAGMA wal_autocheckpoint = 0")
        holder.execute(f"PRAGMA user_version = {migrations.head() + 1}")
        before = sha256(db_path)
        result = cli("add-mentor", "Someone New")
        assert result.exit_code == 1
        assert "newer than this mentorkit" in result.stderr
        assert sha256(db_path) == before
        assert holder.execute("SELECT count(*) FROM mentor").fetchone()[0] == 0
    finally:
        holder.close()


# --- a failure in the middle of a migration ----------------------------------------------------


def _breaks_after(real: Migration) -> Callable[[sqlite3.Connection], None]:
    def broken(conn: sqlite3.Connection) -> None:
        real.apply(conn)  # the real DDL of the migration...
        conn.execute("ALTER TABLE mentor ADD COLUMN half_done TEXT")
        conn.execute("UPDATE mentor SET notes = 'overwritten', half_done = 'x'")
        raise RuntimeError(CANARY)  # ...then a crash before it is recorded

    return broken


@pytest.mark.parametrize("fixture", STORES, ids=lambda p: p.stem)
def test_a_failed_migration_leaves_the_store_as_it_was(fixture: Path, db_path: Path, cli: Callable[..., Any]) -> None:
    path = place(fixture, db_path)
    before = dump(path)
    newest = migrations.MIGRATIONS[-1]
    # A private MonkeyPatch: undoing the test's own would also undo the isolated store paths.
    with pytest.MonkeyPatch.context() as patch:
        broken = with_broken(newest.version, _breaks_after(newest))
        patch.setattr(migrations, "MIGRATIONS", broken)
        result = cli("add-mentor", "Someone New")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    message = result.stderr
    assert f"schema version {newest.version} ({newest.name}) failed (RuntimeError)" in message
    assert "the store was left as it was" in message
    (backup,) = backups_of(path)
    assert str(backup) in message
    assert CANARY not in message
    assert dump(path) == before  # schema, user_version and data: all as before
    with closing(plain(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # The fixed mentorkit then upgrades the same store.
    assert cli("add-mentor", "Someone New").exit_code == 0
    assert user_version(path) == migrations.head()


def test_a_failed_first_migration_leaves_a_blank_store_blank(db_path: Path, cli: Callable[..., Any]) -> None:
    def half_of_schema_v1(conn: sqlite3.Connection) -> None:
        for statement in schema_v1.STATEMENTS[: len(schema_v1.STATEMENTS) // 2]:
            conn.execute(statement)
        conn.execute("SELECT * FROM no_such_table")  # an SQL error half way through

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", with_broken(1, half_of_schema_v1))
        result = cli("add-mentor", "Ada Lovelace")  # the first write creates the store
    assert result.exit_code == 1
    assert "schema version 1 (initial) failed (no such table: no_such_table)" in result.stderr
    assert user_version(db_path) == 0
    with closing(plain(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0

    assert cli("mentors", "--json").exit_code == 0
    assert user_version(db_path) == migrations.head()


def test_an_upgrade_that_cannot_back_up_does_not_start(
    db_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = place(STORES[0], db_path)
    before = dump(path)

    def disk_full(conn: sqlite3.Connection, target: Path) -> Path:
        target.write_bytes(b"SQLite format 3\x00 partial")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_db, "backup_copy", disk_full)
    result = cli("mentors")
    assert result.exit_code == 1
    assert "could not back up" in result.stderr and "nothing was changed" in result.stderr
    assert dump(path) == before
    assert backups_of(path) == []  # the partial copy is removed


def test_pre_upgrade_backups_never_share_a_name(db_path: Path) -> None:
    path = place(STORES[0], db_path)
    first = store_db._pre_migration_backup(path, 1)
    second = store_db._pre_migration_backup(path, 1)
    assert first != second
    assert backups_of(path) == sorted([first, second])
    assert dump(first) == dump(second) == dump(path)


def test_only_the_process_that_upgrades_makes_a_backup(db_path: Path) -> None:
    """A process that saw v1 when it opened the store, but finds it upgraded once it holds the
    write lock, neither copies nor migrates."""
    path = place(STORES[0], db_path)
    late = sqlite3.connect(path, isolation_level=None)
    try:
        assert migrations.current_version(late) == 1
        open_store(path).close()  # another process upgrades it, backing it up once
        called: list[int] = []
        assert migrations.apply_pending(late, before_upgrade=called.append) == []
        assert called == []
    finally:
        late.close()
    (backup,) = backups_of(path)
    assert user_version(backup) == 1


def test_the_backup_hook_runs_once_before_the_first_change(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "hook.db", isolation_level=None)
    seen: list[tuple[int, bool, int]] = []

    def hook(version: int) -> None:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        seen.append((version, conn.in_transaction, tables))

    try:
        migrations.apply_pending(conn, upto=1)
        assert migrations.apply_pending(conn, before_upgrade=hook) == list(range(2, migrations.head() + 1))
    finally:
        conn.close()
    with closing(plain(STORES[0])) as v1:  # the hook saw the schema of version 1, unchanged
        objects_at_v1 = v1.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    assert seen == [(1, True, objects_at_v1)]


def test_a_backup_and_its_version_come_from_one_snapshot(db_path: Path, tmp_path: Path) -> None:
    """Another process upgrading the store while it is copied cannot make the check fail.

    The upgrade is run from SQLite's trace hook just before the backup first reads the version:
    had the copy and the version come from two snapshots, they would disagree.
    """
    path = place(STORES[0], db_path)
    source = sqlite3.connect(path, isolation_level=None)
    source.execute("PRAGMA journal_mode = WAL")
    upgraded: list[str] = []

    def upgrade_meanwhile(statement: str) -> None:
        if "user_version" in statement and not upgraded:
            upgraded.append(statement)
            open_store(path).close()  # another process upgrades the store to head

    source.set_trace_callback(upgrade_meanwhile)
    try:
        copy = store_db.backup_copy(source, tmp_path / "copy.db")
    finally:
        source.close()
    assert upgraded
    assert user_version(path) == migrations.head()
    assert user_version(copy) in (1, migrations.head())
    with closing(plain(copy)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- two processes opening a new store at once -----------------------------------------------

_OPENER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from mentorkit.store.db import open_store

    path, gate, name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    Path(f"{gate}.{name}").touch()
    while not gate.exists():
        time.sleep(0.001)
    store = open_store(path)
    with store.write() as conn:
        conn.execute(
            "INSERT INTO mgroup (uuid, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (name, name, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
        )
    store.close()
    print("opened")
    """
)


@pytest.mark.parametrize("start", ["new", "v1"])
def test_processes_opening_a_store_at_once_all_succeed(tmp_path: Path, start: str) -> None:
    """Several processes create (or upgrade) the same store at once: all succeed, each migration
    applies once, every backup is a whole store of the version it names."""
    trials, processes = 5, 3
    for trial in range(trials):
        path = tmp_path / f"race{trial}" / "deep" / "mentorkit.db"
        before: dict[str, list[tuple[Any, ...]]] = {}
        if start == "v1":
            place(STORES[0], path)
            before = snapshot(path)
        gate = tmp_path / f"gate{trial}"
        names = [f"p{n}" for n in range(processes)]
        running = [
            subprocess.Popen(
                [sys.executable, "-c", _OPENER, str(path), str(gate), name],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in names
        ]
        deadline = time.monotonic() + 60
        while not all(Path(f"{gate}.{n}").exists() for n in names):
            assert time.monotonic() < deadline, "the openers did not start"
            time.sleep(0.005)
        gate.touch()  # all at once
        for proc in running:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            assert out.strip() == "opened"
        with closing(plain(path)) as conn:
            versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
            assert versions == list(range(1, migrations.head() + 1))
            arenas = conn.execute("SELECT count(*) FROM arena").fetchone()[0]
            assert arenas == (3 if start == "new" else len(before["arena"]))
            groups = sorted(r[0] for r in conn.execute("SELECT name FROM mgroup"))
            assert groups == sorted(names + [r[2] for r in before.get("mgroup", [])])
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        for backup in backups_of(path):
            version = int(backup.name.split(".v")[1].split("-")[0])
            assert user_version(backup) == version < migrations.head()
            with closing(plain(backup)) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if start == "v1":  # one upgrade, one backup, holding the store as it was
            (backup,) = backups_of(path)
            assert snapshot(backup) == before
        else:  # a new store: at most a copy of v1 if one process upgraded another's v1
            assert len(backups_of(path)) <= 1
