"""Backups of the whole store, and putting one back.

`backup_store` copies the store with SQLite's online backup API (a consistent snapshot even while
another process writes), into a private temporary file beside the target, checks it with
`integrity_check`, and only then renames it into place.

`restore_store` first checks the file offered (an SQLite database, intact, a mentorkit store, a
schema version this mentorkit understands), then copies it *into* the live store through the
backup API. That is one write transaction on the store: other mentorkit processes see the old
store or the new one, never a mix, and a crash part-way leaves the old one (SQLite's journal).
Replacing the file by a rename instead would be unsafe with WAL: a stale -wal file beside it
could be replayed onto the new file. When there is no store yet, the copy is renamed into place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mentorkit.errors import InvalidInput, StoreBusy, StoreError
from mentorkit.exchange.atomic import private_temp

SQLITE_MAGIC = b"SQLite format 3\x00"
COUNTED = ("mentor", "meeting", "followup", "advice")


@dataclass
class StoreFile:
    """What a store file holds, from a read-only look at it."""

    path: Path
    schema_version: int
    integrity: str
    counts: dict[str, int]
    bytes: int


def default_backup_path(store: Path, now: datetime, label: str = "backup") -> Path:
    """`mentorkit-backup-20261125T154500Z.db` beside the store, never an existing name."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    for n in range(1000):
        suffix = f"-{n}" if n else ""
        candidate = store.with_name(f"{store.stem}-{label}-{stamp}{suffix}.db")
        if not candidate.exists():
            return candidate
    raise StoreError(f"too many backups named {store.stem}-{label}-{stamp}*.db beside the store; tidy them up")


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED if t in names}


def backup_store(conn: sqlite3.Connection, store: Path, target: Path) -> StoreFile:
    """Copy the open store to `target` (replacing it atomically if the user named a file)."""
    from mentorkit.store.db import backup_copy
    from mentorkit.store.migrations import current_version

    if target.is_dir():
        raise InvalidInput(f"{target} is a directory; give a file name, or leave PATH out")
    with private_temp(target, protect=[store]) as temp:
        try:
            backup_copy(conn, temp)
        except sqlite3.Error as exc:
            raise _copy_failed(exc, store, target) from None
    counts = _counts(conn)
    return StoreFile(target, current_version(conn), "ok", counts, target.stat().st_size)


def keep_current(store: Path, target: Path) -> Path:
    """The safety copy `restore` makes of the store it replaces, through a connection of its
    own: the restoring connection is mid-copy and holds the pages being replaced."""
    from mentorkit.store.db import connect

    conn = connect(store, readonly=True)
    try:
        return backup_store(conn, store, target).path
    finally:
        conn.close()


def _copy_failed(exc: sqlite3.Error, store: Path, target: Path) -> StoreError:
    """A backup reads the store and writes the target: a full disk or a write error is the
    target's (SQLite reports both as errors of the copy), anything else is the store's."""
    from mentorkit.store.db import describe_sqlite_error

    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_FULL" or name.startswith(("SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_TRUNCATE")):
        return StoreError(
            f"cannot write the backup {target}: its disk is full or failing; nothing was written there "
            "and the store was not changed. Free some space or choose another place"
        )
    return describe_sqlite_error(exc, store)


def inspect(path: Path) -> StoreFile:
    """Check a file offered to `restore`; raise InvalidInput naming what is wrong with it."""
    from mentorkit.store.migrations import current_version, head

    if not path.is_file():
        raise InvalidInput(f"there is no file at {path}; give the path of a backup (see `mentorkit backup`)")
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        raise InvalidInput(f"{path} is not an SQLite database, so not a mentorkit backup; nothing was changed")
    try:
        conn = open_backup(path)
    except sqlite3.Error as exc:
        raise InvalidInput(f"cannot open {path} ({exc}); nothing was changed") from None
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            raise InvalidInput(f"{path} is damaged (integrity check: {integrity}); nothing was changed")
        version = current_version(conn)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version < 1 or "schema_migrations" not in tables:
            raise InvalidInput(f"{path} is an SQLite database but not a mentorkit store; nothing was changed")
        if version > head():
            raise InvalidInput(
                f"{path} comes from a newer mentorkit (schema version {version}; this one knows up to "
                f"{head()}); upgrade mentorkit to restore it. Nothing was changed"
            )
        counts = _counts(conn)
    except sqlite3.Error as exc:
        text = str(exc).lower()
        what = (
            "is damaged" if ("malformed" in text or "corrupt" in text or "not a database" in text) else "cannot be read"
        )
        raise InvalidInput(f"{path} {what} ({exc}); nothing was changed") from None
    finally:
        conn.close()
    return StoreFile(path, version, integrity, counts, path.stat().st_size)


def open_backup(path: Path) -> sqlite3.Connection:
    """A read-only connection to a file offered to `restore`. Opened `immutable` when no -wal
    lies beside it (the usual backup), so looking at it leaves no -wal/-shm files behind, even
    when it is refused."""
    from mentorkit.store.db import connect

    return connect(path, readonly=True, immutable=not Path(f"{path}-wal").exists())


@contextmanager
def _with_page_size(source: Path, dest: sqlite3.Connection, directory: Path) -> Iterator[Path]:
    """The backup API needs equal page sizes when the store is in WAL mode: a private working
    copy of `source` with the store's page size when they differ, else `source` as it is."""
    from mentorkit.store.tempfiles import scratch_file

    want = dest.execute("PRAGMA page_size").fetchone()[0]
    conn = open_backup(source)
    try:
        have = conn.execute("PRAGMA page_size").fetchone()[0]
        if have == want:
            yield source
            return
        with scratch_file(directory, "restore") as work:
            conn.execute("VACUUM INTO ?", (str(work),))
            fix = sqlite3.connect(work, isolation_level=None)
            try:
                fix.execute(f"PRAGMA page_size = {int(want)}")
                fix.execute("VACUUM")
            finally:
                fix.close()
            yield work
    finally:
        conn.close()


_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_DONE = 5, 6, 101


def restore_into(dest: sqlite3.Connection, source: Path, store: Path, keep: Callable[[], object]) -> None:
    """Copy `source` over the open store `dest`, in one write transaction of the store.

    `keep` (the safety copy of the current store) runs once the copy holds the store's write
    lock and before anything is replaced, so it sees every write committed before the restore,
    and no writer can commit between the copy and the replacement. If `keep` fails, the store
    is left as it was.
    """
    from mentorkit.store.db import BUSY_TIMEOUT_MS

    started = False

    def step(status: int, remaining: int, total: int) -> None:
        nonlocal started
        if status in (_SQLITE_BUSY, _SQLITE_LOCKED):
            raise StoreBusy(
                f"the store {store} is busy: another mentorkit process held it for more than "
                f"{BUSY_TIMEOUT_MS / 1000:g} s; nothing was restored, run the command again"
            )
        if not started:
            started = True
            if status == _SQLITE_DONE:  # cannot happen: a mentorkit store has many pages
                raise StoreError(f"{source} is too small to be a mentorkit store; nothing was restored")
            keep()

    with _with_page_size(source, dest, store.parent) as src_path:
        src = open_backup(src_path)
        try:
            src.backup(dest, pages=1, progress=step)  # one page per step: `keep` runs under the lock
        finally:
            src.close()
    result = dest.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise StoreError(f"the restored store failed its integrity check ({result}); restore the safety backup")


def raw_copy(store: Path, target: Path) -> Path:
    """A byte copy of a store SQLite cannot open (damaged, or from a newer mentorkit), with its
    -wal file, kept before `restore` replaces it."""
    import shutil

    for suffix in ("", "-wal"):
        source = Path(f"{store}{suffix}")
        if source.exists():
            with private_temp(Path(f"{target}{suffix}")) as temp:
                shutil.copyfile(source, temp)
    return target


def replace_file(store: Path, source: Path) -> None:
    """Put a private copy of `source` where there is no store, or one SQLite cannot open,
    dropping its stale -wal/-shm (which would otherwise be replayed onto the new file)."""
    from mentorkit.store.db import backup_copy

    store.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    src = open_backup(source)
    try:
        with private_temp(store) as temp:
            backup_copy(src, temp)
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{store}{suffix}").unlink(missing_ok=True)
    finally:
        src.close()
