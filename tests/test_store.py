"""The store: pragmas on every connection, private files, refusing what is not a store, foreign keys,
and transactions that write all or nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from mentorkit.errors import StoreBusy, StoreError
from mentorkit.store import migrations
from mentorkit.store.db import (
    BUSY_TIMEOUT_MS,
    Store,
    backup_copy,
    connect,
    describe_sqlite_error,
    open_store,
    resolve_db_path,
)

FIXTURE_V1 = Path(__file__).parent / "fixtures" / "stores" / "v1.db"
STAMP = "2026-01-01T00:00:00Z"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pragmas(conn: sqlite3.Connection) -> tuple[int, int, int]:
    return (
        conn.execute("PRAGMA foreign_keys").fetchone()[0],
        conn.execute("PRAGMA busy_timeout").fetchone()[0],
        conn.execute("PRAGMA synchronous").fetchone()[0],
    )


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = open_store(db_path)
    yield opened
    opened.close()


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    old = os.umask(0o022)
    os.umask(old)

    def set_umask(value: int) -> None:
        os.umask(value)

    yield set_umask
    os.umask(old)


def add_group(conn: sqlite3.Connection, name: str) -> None:
    conn.execute(
        "INSERT INTO mgroup (uuid, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
        (f"uuid-{name}", name, STAMP, STAMP),
    )


# --- pragmas on every connection --------------------------------------------------------------


def test_every_connection_gets_the_pragmas(store: Store, db_path: Path) -> None:
    expected = (1, BUSY_TIMEOUT_MS, 2)  # foreign_keys ON, busy timeout, synchronous FULL
    assert pragmas(store.conn) == expected
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    for readonly in (False, True):
        with closing(connect(db_path, readonly=readonly)) as conn:
            assert pragmas(conn) == expected
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    second = open_store(db_path)  # an existing store
    try:
        assert pragmas(second.conn) == expected
    finally:
        second.close()


def test_the_cli_store_has_the_pragmas(db_path: Path) -> None:
    from mentorkit.cli.common import State

    state = State(db=str(db_path))
    try:
        assert pragmas(state.store(create=True).conn) == (1, BUSY_TIMEOUT_MS, 2)
    finally:
        state.close()


def test_sqlmodel_engine_connections_get_the_pragmas(store: Store, db_path: Path) -> None:
    from mentorkit.store.models import engine

    with engine(db_path).connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        assert pragmas(raw) == (1, BUSY_TIMEOUT_MS, 2)  # type: ignore[arg-type]


def test_a_read_only_connection_cannot_write(store: Store, db_path: Path) -> None:
    with closing(connect(db_path, readonly=True)) as conn, pytest.raises(sqlite3.OperationalError):
        add_group(conn, "nope")


# --- private files ------------------------------------------------------------------------------


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o000])
def test_new_store_directory_and_files_are_private_whatever_the_umask(
    tmp_path: Path, umask: Callable[[int], None], mask: int
) -> None:
    umask(mask)
    top = tmp_path / "data"
    path = top / "mentorkit" / "mentorkit.db"
    opened = open_store(path)
    try:
        with opened.write() as conn:
            add_group(conn, "Writing circle")  # the WAL and its index now exist
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        assert mode(top) == mode(top / "mentorkit") == 0o700
        assert mode(path) == mode(wal) == mode(shm) == 0o600
        backup = backup_copy(opened.conn, tmp_path / "data" / "copy.db")
        assert mode(backup) == 0o600
    finally:
        opened.close()


def test_an_existing_directory_given_with_db_is_left_as_it_is(
    tmp_path: Path, umask: Callable[[int], None], ok: Callable[..., Any]
) -> None:
    umask(0o022)
    mine = tmp_path / "Documents"
    mine.mkdir(mode=0o755)
    os.chmod(mine, 0o755)
    ok("--db", str(mine / "mentors.db"), "add-mentor", "Rosa Martínez")
    assert mode(mine) == 0o755
    assert mode(mine / "mentors.db") == 0o600


def test_an_empty_file_becomes_a_private_store(
    tmp_path: Path, umask: Callable[[int], None], ok: Callable[..., Any]
) -> None:
    umask(0o022)
    path = tmp_path / "touched.db"
    path.touch()
    assert mode(path) == 0o644
    ok("--db", str(path), "add-mentor", "Rosa")
    assert mode(path) == 0o600
    assert [m["name"] for m in ok("--db", str(path), "mentors", "--json").json()] == ["Rosa"]


@pytest.mark.parametrize("name", ["my#store.db", "store?mode=ro.db", "100%25.db", "space d.db"])
def test_odd_file_names_open_exactly_that_file(tmp_path: Path, ok: Callable[..., Any], name: str) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    ok("--db", str(folder / name), "add-mentor", "Rosa")
    assert sorted(p.name for p in folder.iterdir()) == [name]
    assert mode(folder / name) == 0o600
    assert len(ok("--db", str(folder / name), "mentors", "--json").json()) == 1


def test_the_store_path_comes_from_db_then_env_then_the_user_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_db_path(str(tmp_path / "a.db")) == tmp_path / "a.db"
    monkeypatch.setenv("MENTORKIT_DB", str(tmp_path / "env.db"))
    assert resolve_db_path(None) == tmp_path / "env.db"
    monkeypatch.delenv("MENTORKIT_DB")
    data_home = Path(os.environ["XDG_DATA_HOME"])
    assert resolve_db_path(None) == data_home / "mentorkit" / "mentorkit.db"


# --- what is not a store is refused and left alone -------------------------------------------


def _not_sqlite(path: Path) -> None:
    path.write_text("name,email\nRosa,rosa@example.org\n")


def _truncated(path: Path) -> None:
    whole = FIXTURE_V1.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])


def _header_only(path: Path) -> None:
    path.write_bytes(FIXTURE_V1.read_bytes()[:100])


def _corrupt(path: Path) -> None:
    data = bytearray(FIXTURE_V1.read_bytes())
    data[100:4096] = b"\xde\xad\xbe\xef" * ((4096 - 100) // 4)  # the schema page
    path.write_bytes(bytes(data))


def _someone_elses(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('Rosa', '+1 206 555 0100')")
        conn.commit()


def _someone_elses_with_user_version(path: Path) -> None:
    _someone_elses(path)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version = 1")


BAD_FILES = {
    "not-sqlite": _not_sqlite,
    "truncated": _truncated,
    "header-only": _header_only,
    "corrupt": _corrupt,
    "other-app": _someone_elses,
    "other-app-v1": _someone_elses_with_user_version,
}


@pytest.mark.parametrize("kind", BAD_FILES)
@pytest.mark.parametrize("args", [("mentors", "--json"), ("add-mentor", "Someone"), ("board",)], ids=lambda a: a[0])
def test_a_file_that_is_not_a_good_store_is_refused_and_untouched(
    db_path: Path, cli: Callable[..., Any], kind: str, args: tuple[str, ...]
) -> None:
    db_path.parent.mkdir(mode=0o700)
    BAD_FILES[kind](db_path)
    before = sha256(db_path)
    listing = sorted(p.name for p in db_path.parent.iterdir())

    result = cli(*args)

    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert str(db_path) in lines[0]
    assert "left untouched" in lines[0]
    if kind.startswith("other-app"):
        assert "not a mentorkit store" in lines[0]
    assert "mentorkit doctor" in lines[0] and "mentorkit restore" in lines[0]
    assert "Traceback" not in result.stderr
    assert sha256(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == listing


def test_a_directory_at_the_store_path_is_refused(tmp_path: Path, cli: Callable[..., Any]) -> None:
    result = cli("--db", str(tmp_path), "mentors")
    assert result.exit_code == 1
    assert "is a directory" in result.stderr


def test_open_store_without_create_does_not_make_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="there is no store"):
        open_store(tmp_path / "missing" / "mentorkit.db", create=False)
    assert not (tmp_path / "missing").exists()


# --- foreign keys -----------------------------------------------------------------------------


def test_a_meeting_for_a_missing_mentor_is_refused(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"), store.write() as conn:
        conn.execute(
            "INSERT INTO meeting (uuid, mentor_id, starts_at, created_at, updated_at) VALUES ('m-1', 4242, ?, ?, ?)",
            (STAMP, STAMP, STAMP),
        )
    assert store.conn.execute("SELECT count(*) FROM meeting").fetchone()[0] == 0


def test_ending_a_mentor_keeps_the_meetings(ok: Callable[..., Any]) -> None:
    ok("add-mentor", "Ada Lovelace", "--arena", "research", "--stage", "active")
    ok("log", "Ada", "--notes", "Talked about the analytical engine", "--followup", "Send notes")
    ok("end", "Ada", "--reason", "moved abroad")
    shown = ok("show", "Ada", "--json").json()
    assert shown["mentor"]["stage"] == "ended"
    assert shown["mentor"]["end_reason"] == "moved abroad"
    assert [m["notes"] for m in shown["meetings"]] == ["Talked about the analytical engine"]
    assert [s["stage"] for s in shown["stages"]] == ["active", "ended"]
    board = ok("board", "--json").json()
    assert "Ada Lovelace" not in str(board)


def test_deleting_a_mentor_with_meetings_is_refused(store: Store, ok: Callable[..., Any]) -> None:
    ok("add-mentor", "Ada Lovelace", "--arena", "research", "--tag", "math")
    ok("add-mentor", "Charles Babbage", "--arena", "research", "--tag", "engines")
    ok("log", "Ada", "--notes", "first meeting")
    conn = store.conn
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"), store.write():
        conn.execute("DELETE FROM mentor WHERE name = 'Ada Lovelace'")
    assert conn.execute("SELECT count(*) FROM mentor").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM meeting").fetchone()[0] == 1
    # A mentor with no meetings, follow-ups or advice can go; links and history go too.
    with store.write():
        conn.execute("DELETE FROM mentor WHERE name = 'Charles Babbage'")
    for table in ("mentor_arena", "mentor_tag", "stage_change"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 1, table
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


# --- write() commits wholly or not at all -----------------------------------------------------


def test_write_rolls_back_everything_on_an_exception(store: Store) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), store.write() as conn:
        add_group(conn, "first")
        add_group(conn, "second")
        raise Boom()
    assert not store.conn.in_transaction
    assert store.conn.execute("SELECT count(*) FROM mgroup").fetchone()[0] == 0
    with store.write() as conn:  # the store is usable afterwards
        add_group(conn, "third")
    with closing(connect(store.path)) as other:
        assert [r[0] for r in other.execute("SELECT name FROM mgroup")] == ["third"]


def test_write_keeps_the_real_error_when_sqlite_already_rolled_back(store: Store) -> None:
    with pytest.raises(ValueError, match="the real problem"), store.write() as conn:
        add_group(conn, "first")
        conn.execute("ROLLBACK")  # as SQLite does by itself after some I/O errors
        raise ValueError("the real problem")
    assert store.conn.execute("SELECT count(*) FROM mgroup").fetchone()[0] == 0


def test_a_failed_command_writes_nothing(ok: Callable[..., Any], cli: Callable[..., Any]) -> None:
    ok("add-mentor", "Ada Lovelace")
    before = ok("show", "Ada", "--json").json()
    result = cli("edit", "Ada", "--tag", "math", "--arena", "no-such-arena")
    assert result.exit_code == 1
    assert ok("show", "Ada", "--json").json() == before


def test_a_full_disk_is_a_clear_error_and_writes_nothing(store: Store, db_path: Path, cli: Callable[..., Any]) -> None:
    with store.write() as conn:
        add_group(conn, "kept")
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    with pytest.raises(sqlite3.OperationalError, match="full"), store.write() as conn:
        conn.execute(f"PRAGMA max_page_count = {pages}")
        conn.execute("CREATE TABLE filler (blob BLOB)")
        conn.execute("INSERT INTO filler VALUES (zeroblob(1000000))")
    described = describe_sqlite_error(sqlite3.OperationalError("database or disk is full"), db_path)
    assert "full" in str(described) and "nothing was written" in str(described)
    assert [r[0] for r in store.conn.execute("SELECT name FROM mgroup")] == ["kept"]
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize(
    ("message", "kind", "words"),
    [
        ("database is locked", StoreBusy, "run the command again"),
        ("attempt to write a readonly database", StoreError, "read-only"),
        ("database disk image is malformed", StoreError, "mentorkit doctor"),
        ("file is not a database", StoreError, "mentorkit restore"),
    ],
)
def test_sqlite_errors_become_one_actionable_line(
    message: str, kind: type[StoreError], words: str, db_path: Path
) -> None:
    error = describe_sqlite_error(sqlite3.OperationalError(message), db_path)
    assert type(error) is kind
    assert words in str(error) and "\n" not in str(error)


def test_backup_copy_is_a_verified_private_copy(store: Store, tmp_path: Path) -> None:
    with store.write() as conn:
        add_group(conn, "Writing circle")
    target = backup_copy(store.conn, tmp_path / "backup.db")
    assert mode(target) == 0o600
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("PRAGMA user_version").fetchone()[0] == migrations.head()
        assert [r[0] for r in copy.execute("SELECT name FROM mgroup")] == ["Writing circle"]


def test_a_store_copied_elsewhere_still_opens(store: Store, tmp_path: Path) -> None:
    with store.write() as conn:
        add_group(conn, "moved")
    store.close()
    moved = tmp_path / "elsewhere" / "mentorkit.db"
    moved.parent.mkdir()
    shutil.copyfile(store.path, moved)
    again = open_store(moved)
    try:
        assert [r[0] for r in again.conn.execute("SELECT name FROM mgroup")] == ["moved"]
    finally:
        again.close()


def test_instants_are_stored_as_text_that_sorts_as_time_does() -> None:
    """Four-digit years even before 1000 (strftime's %Y does not pad them): `review --since 0999-12-01`
    compares store text with such an instant."""
    from datetime import UTC, datetime, timedelta, timezone

    from mentorkit.clock import from_db, to_db

    early = datetime(999, 12, 1, 5, 6, 7, tzinfo=UTC)
    assert to_db(early) == "0999-12-01T05:06:07Z" and from_db(to_db(early)) == early
    moments = [
        early,
        datetime(1000, 1, 1, tzinfo=UTC),
        datetime(2026, 11, 25, 23, 0, tzinfo=timezone(timedelta(hours=-5))),
    ]
    assert sorted(to_db(m) for m in moments) == [to_db(m) for m in sorted(moments)]
    assert to_db(moments[2]) == "2026-11-26T04:00:00Z"
