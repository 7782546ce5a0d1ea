"""The one place that opens the store.

`open_store` resolves the path, creates a private directory and file when needed, refuses files
that are not mentorkit stores or come from a newer mentorkit, backs up before migrating, sets
the pragmas on the connection and applies pending migrations. `Store.write()` is the only way to
write: a `BEGIN IMMEDIATE` transaction that commits wholly or not at all.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mentorkit.errors import StoreBusy, StoreError, StoreTooNew
from mentorkit.store import migrations

APP_NAME = "mentorkit"
DB_FILENAME = "mentorkit.db"
BUSY_TIMEOUT_MS = 5000
SQLITE_MAGIC = b"SQLite format 3\x00"
SIDE_SUFFIXES = ("-wal", "-shm")


def default_db_path() -> Path:
    """`mentorkit.db` in the platform user data directory (XDG_DATA_HOME on Linux)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def resolve_db_path(explicit: str | os.PathLike[str] | None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("MENTORKIT_DB")
    if env:
        return Path(env).expanduser()
    return default_db_path()


def _make_private_dirs(directory: Path) -> None:
    """Create missing directories 0700. Existing directories are the user's: leave them be."""
    missing: list[Path] = []
    probe = directory
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue
        except OSError as exc:
            raise StoreError(
                f"cannot create the store directory {path}: {exc.strerror}; "
                "choose another place with --db PATH"
            ) from None
        os.chmod(path, 0o700)


def _create_private_file(path: Path) -> None:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(
            f"cannot create the store {path}: {exc.strerror}; choose another place with --db PATH"
        ) from None
    os.fchmod(fd, 0o600)
    os.close(fd)


def _check_is_sqlite(path: Path) -> None:
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {exc.strerror}") from None
    if header and header != SQLITE_MAGIC:
        raise StoreError(
            f"{path} is not a mentorkit store (not an SQLite database); it was left untouched. "
            "Check --db/MENTORKIT_DB, or run `mentorkit doctor` and `mentorkit restore BACKUP`"
        )


def describe_sqlite_error(exc: sqlite3.Error, path: Path | str) -> StoreError:
    """Turn an sqlite3 error into the one line a user can act on."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreBusy(
            f"the store {path} is busy: another mentorkit process held it for more than "
            f"{BUSY_TIMEOUT_MS // 1000} s; nothing was written, run the command again"
        )
    if "full" in text:
        return StoreError(
            f"the disk holding {path} is full; nothing was written. Free some space and try again"
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"the store {path} is read-only; nothing was written. Check the permissions "
            "of the file and its directory"
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"the store {path} is damaged ({exc}); it was left untouched. Run `mentorkit doctor`, "
            "then `mentorkit restore BACKUP`"
        )
    if "unable to open" in text:
        return StoreError(
            f"cannot open the store {path}; check that its directory exists and is writable"
        )
    return StoreError(f"the store {path} failed: {exc}")


def _tighten_side_files(path: Path) -> None:
    for suffix in SIDE_SUFFIXES:
        side = Path(str(path) + suffix)
        try:
            if side.exists() and stat.S_IMODE(side.stat().st_mode) & 0o077:
                os.chmod(side, 0o600)
        except OSError:
            pass


class Store:
    """An open connection to the store. Reads run in autocommit; writes go through `write()`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK on any error."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise describe_sqlite_error(exc, self.path) from None
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise describe_sqlite_error(exc, self.path) from None
        _tighten_side_files(self.path)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: one consistent snapshot for several queries."""
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection with the pragmas every connection needs. Callers own closing it."""
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    conn = sqlite3.connect(
        uri,
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def backup_copy(conn: sqlite3.Connection, target: Path) -> Path:
    """A consistent, verified, private copy of the store (SQLite's online backup API)."""
    _create_private_file(target)
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
        result = dest.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dest.close()
    os.chmod(target, 0o600)
    if result != "ok":
        raise StoreError(f"the backup {target} failed its integrity check ({result})")
    return target


def _pre_migration_backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    from mentorkit.clock import utcnow

    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.v{version}-{stamp}-{n}.bak")
        n += 1
    return backup_copy(conn, target)


def open_store(explicit: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
    """Open (creating and migrating as needed) the store named by --db, MENTORKIT_DB or default."""
    path = resolve_db_path(explicit)
    if path.is_dir():
        raise StoreError(f"{path} is a directory; --db needs the path of a store file")
    existed = path.exists()
    if not existed:
        if not create:
            raise StoreError(f"there is no store at {path}; run a command that writes to create it")
        _make_private_dirs(path.parent)
        _create_private_file(path)
    else:
        _check_is_sqlite(path)
    try:
        conn = connect(path)
    except sqlite3.Error as exc:
        raise describe_sqlite_error(exc, path) from None
    try:
        _prepare(conn, path)
    except BaseException:
        conn.close()
        raise
    return Store(conn, path)


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
    try:
        version = migrations.current_version(conn)
        if version > migrations.head():
            raise StoreTooNew(
                f"the store {path} has schema version {version}, newer than this mentorkit "
                f"understands ({migrations.head()}); it was left unchanged. Upgrade mentorkit"
            )
        if version == 0:
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]
            if tables:
                raise StoreError(
                    f"{path} is an SQLite database but not a mentorkit store; it was left "
                    "untouched. Check --db/MENTORKIT_DB"
                )
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                pass  # a read-only file or directory: reads still work in its own journal mode
        if version < migrations.head():
            if version > 0:
                _pre_migration_backup(conn, path, version)
            migrations.apply_pending(conn)
    except sqlite3.Error as exc:
        raise describe_sqlite_error(exc, path) from None
    _tighten_side_files(path)
