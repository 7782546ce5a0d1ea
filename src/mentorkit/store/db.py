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
from contextlib import contextmanager, suppress
from pathlib import Path

from mentorkit.errors import REPORTING, StoreBusy, StoreError, StoreTooNew
from mentorkit.store import check, migrations
from mentorkit.store.files import (
    SIDE_SUFFIXES,
    create_private_file,
    make_empty_file_private,
    make_private_dirs,
    refuse_linked_sides,
    repair_side_files,
    tighten_side_files,
)

APP_NAME = "mentorkit"
DB_FILENAME = "mentorkit.db"
BUSY_TIMEOUT_MS = 5000
SQLITE_MAGIC = b"SQLite format 3\x00"


def default_db_path() -> Path:
    """`mentorkit.db` in the platform user data directory (XDG_DATA_HOME on Linux)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def resolve_db_path(explicit: str | os.PathLike[str] | None) -> Path:
    """--db, else MENTORKIT_DB, else the default. An empty value is refused, never read as
    "the default": `--db "$TYPO"` must not quietly open the real store."""
    if explicit is not None:
        if not os.fspath(explicit):
            raise StoreError("--db is empty; give the path of a store file, or leave --db out for the default store")
        return Path(explicit).expanduser()
    env = os.environ.get("MENTORKIT_DB")
    if env is not None:
        if not env:
            raise StoreError(
                "MENTORKIT_DB is set but empty; set it to the path of a store file, or unset it for the default store"
            )
        return Path(env).expanduser()
    return default_db_path()


def _check_header(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that is not an SQLite database or is too new.

    Reading the 100-byte header needs no connection, so a refused file gets no -wal/-shm side
    files and no checkpoint: its bytes stay exactly as they were. (The version is read again
    through SQLite in `_prepare`, which also sees a version still held in the WAL.)
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {exc.strerror}") from None
    if header and header[: len(SQLITE_MAGIC)] != SQLITE_MAGIC:
        raise StoreError(
            f"{path} is not a mentorkit store (not an SQLite database); it was left untouched. "
            "Check --db/MENTORKIT_DB, or run `mentorkit doctor` and `mentorkit restore BACKUP`"
        )
    if len(header) == 100:
        _refuse_if_too_new(int.from_bytes(header[60:64], "big", signed=True), path)


def _refuse_if_too_new(version: int, path: Path) -> None:
    if version > migrations.head():
        raise StoreTooNew(
            f"the store {path} has schema version {version}, newer than this mentorkit "
            f"understands ({migrations.head()}); it was left unchanged. Upgrade mentorkit"
        )


def describe_sqlite_error(exc: sqlite3.Error, path: Path | str) -> StoreError:
    """Turn an sqlite3 error into the one line a user can act on."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreBusy(
            f"the store {path} is busy: another mentorkit process held it for more than "
            f"{BUSY_TIMEOUT_MS / 1000:g} s; nothing was written, run the command again"
        )
    if "full" in text:
        return StoreError(f"the disk holding {path} is full; nothing was written. Free some space and try again")
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"the store {path} is read-only; nothing was written. Check the permissions of the file and its directory"
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"the store {path} is damaged ({exc}); it was left untouched. Run `mentorkit doctor`, "
            "then `mentorkit restore BACKUP`"
        )
    if "unable to open" in text:
        return StoreError(f"cannot open the store {path}; check that its directory exists and is writable")
    if getattr(exc, "sqlite_errorname", "").startswith("SQLITE_IOERR"):
        # A file-size limit (EFBIG) or a failing disk: SQLite says only "disk I/O error".
        return StoreError(
            f"the disk holding {path} could not be written or read (full, over a size limit, or "
            "failing); nothing was written. Free some space and run the command again, and "
            "run `mentorkit doctor` if it happens again"
        )
    return StoreError(f"the store {path} failed: {exc}")


class Store:
    """An open connection to the store. Reads run in autocommit; writes go through `write()`."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        read_only: bool = False,
        created: bool = False,
        damage: str | None = None,
    ) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only  # opened read-only because the file or directory is
        self.created = created  # this open made the store file
        self.damage = damage  # what `PRAGMA quick_check` found on open (store/check.py), if anything

    @contextmanager
    def write(self, command: str = "write") -> Iterator[sqlite3.Connection]:
        """A write transaction: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK on any error.

        It is one step of the change journal (store/journal.py), named by `command` (the name of
        the command that writes, never its arguments): `undo` reverses it as a whole.
        """
        from mentorkit.store import journal

        if self.damage is not None:
            raise StoreError(
                f"the store {self.path} is damaged (quick check: {self.damage}); nothing was written. "
                "Run `mentorkit doctor`, then `mentorkit restore BACKUP`"
            )
        if self.read_only:
            raise StoreError(
                f"the store {self.path} is read-only (the file or its directory cannot be "
                "written); nothing was written. Reads still work; check the permissions"
            )
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise describe_sqlite_error(exc, self.path) from None
        try:
            step = journal.begin_step(self.conn, command)
            yield self.conn
            journal.end_step(self.conn, step)
        except BaseException:
            # SQLite rolls back by itself after some errors (a full disk, an I/O error); a second
            # ROLLBACK would then fail and hide the error that matters.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise describe_sqlite_error(exc, self.path) from None
        tighten_side_files(self.path)

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
        self.conn.close()  # the last connection to close checkpoints the WAL into the file
        if self.damage is None and not self.read_only:
            check.remember(self.path, checked=False)  # our own writes do not call for a new check

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _uri(path: Path, readonly: bool, immutable: bool = False) -> str:
    """A `file:` URI for the path, percent-encoded: a `#`, `?` or `%` in a file name would
    otherwise be read as URI syntax and open (or create) a different file."""
    if immutable:
        return Path(path).absolute().as_uri() + "?mode=ro&immutable=1"
    return Path(path).absolute().as_uri() + ("?mode=ro" if readonly else "")


def connect(path: Path, *, readonly: bool = False, immutable: bool = False) -> sqlite3.Connection:
    """A connection with the pragmas every connection needs. Callers own closing it."""
    conn = sqlite3.connect(
        _uri(path, readonly, immutable),
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    # A REPLACE that removes a conflicting row fires its DELETE triggers only with this on; the
    # search index and the review counts (store/schema_v4_tally.py) are kept by triggers.
    conn.execute("PRAGMA recursive_triggers = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def backup_copy(conn: sqlite3.Connection, target: Path) -> Path:
    """A consistent, verified, private copy of the store (SQLite's online backup API).

    The copy and the schema version it is checked against come from one read snapshot, so a
    process that writes or upgrades the store meanwhile cannot make them disagree. (`conn` must
    not hold uncommitted writes: SQLite cannot back up from a connection that is writing.)
    """
    create_private_file(target)
    own_snapshot = not conn.in_transaction
    if own_snapshot:
        conn.execute("BEGIN")
    try:
        version = migrations.current_version(conn)
        dest = sqlite3.connect(target)
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            result = dest.execute("PRAGMA integrity_check").fetchone()[0]
            copied_version = migrations.current_version(dest)
        finally:
            dest.close()
    finally:
        if own_snapshot and conn.in_transaction:
            conn.execute("COMMIT")
    os.chmod(target, 0o600)
    if result != "ok":
        raise StoreError(f"the backup {target} failed its integrity check ({result})")
    if copied_version != version:
        raise StoreError(f"the backup {target} does not hold the store's schema version {version}")
    return target


def _pre_migration_backup(path: Path, version: int) -> Path:
    """`mentorkit.db.v1-20261125T154500Z.bak` beside the store, verified, or a StoreError.

    Called by `apply_pending` with the write lock held (see `_migrate`), it copies through a
    second, read-only connection into a private temporary file, and only a verified copy is
    renamed to the `.bak` name: a kill part-way leaves no half backup under that name (the
    temporary file is swept by the next run). A backup that fails is removed, and the
    migration does not start.
    """
    from mentorkit.clock import utcnow
    from mentorkit.store.tempfiles import scratch_file

    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    try:
        with scratch_file(path.parent, path.name) as temp:
            source = connect(path, readonly=True)
            try:
                backup_copy(source, temp)
            finally:
                source.close()
            target = _free_backup_name(path, version, stamp)
            os.replace(temp, target)
    except (OSError, sqlite3.Error, StoreError) as exc:
        detail = exc if isinstance(exc, StoreError) else getattr(exc, "strerror", None) or exc
        raise StoreError(
            f"could not back up {path} before upgrading it ({detail}); nothing was changed. "
            "Make its directory writable or free some space"
        ) from None
    return target


def _free_backup_name(path: Path, version: int, stamp: str) -> Path:
    """A backup name not taken yet (only the process holding the write lock makes one)."""
    for n in range(1000):
        suffix = f"-{n}" if n else ""
        target = path.with_name(f"{path.name}.v{version}-{stamp}{suffix}.bak")
        if not os.path.lexists(target):
            return target
    raise StoreError(f"too many backups named {path.name}.v{version}-{stamp}*.bak; tidy them up")


def open_store(explicit: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
    """Open (creating and migrating as needed) the store named by --db, MENTORKIT_DB or default."""
    path = resolve_db_path(explicit)
    try:
        info: os.stat_result | None = path.stat()
    except FileNotFoundError:
        info = None
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte, a file used as a directory
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise StoreError(f"cannot use {str(path)!r} as the store ({reason}); choose another --db PATH") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path} is a directory; --db needs the path of a store file")
    existed = info is not None
    if info is not None and not stat.S_ISREG(info.st_mode):
        # A FIFO would block the header read for ever; a device must never be chmod-ed or written.
        raise StoreError(
            f"{path} is not a regular file (a device, pipe or socket); --db needs the path of a store file"
        )
    if not existed:
        if not create:
            raise StoreError(
                f"there is no store at {path}; check --db and MENTORKIT_DB, or run a command that "
                "writes (add-mentor, profile set, import, demo) to create one there"
            )
        # A dangling link (--db naming a link to a file not made yet): create what it points to.
        real = Path(os.path.realpath(path)) if path.is_symlink() else path
        make_private_dirs(real.parent)
        create_private_file(real)
    else:
        _check_header(path)
        refuse_linked_sides(path)
        make_empty_file_private(path)
        repair_side_files(path)
        if not writable(path):
            return _open_read_only(path)
    try:
        conn = connect(path)
    except sqlite3.Error as exc:
        raise describe_sqlite_error(exc, path) from None
    try:
        damage = _prepare(conn, path)
    except BaseException:
        conn.close()
        raise
    return Store(conn, path, created=not existed, damage=damage)


def writable(path: Path) -> bool:
    """Whether SQLite can write the store: the file, and its directory (or both side files)."""
    if not os.access(path, os.W_OK):
        return False
    if os.access(path.parent, os.W_OK | os.X_OK):
        return True
    return all(os.access(f"{path}{suffix}", os.W_OK) for suffix in SIDE_SUFFIXES)


def _open_read_only(path: Path) -> Store:
    """A read-only store, for a file or directory the user cannot write: reads work, writes
    fail with a clear message.

    A WAL store needs its -shm file even to read. If that file cannot be created (read-only
    directory), the store is opened `immutable` instead, which is safe only when there is no
    -wal holding committed data that the main file lacks; otherwise the store is refused.
    """
    conn: sqlite3.Connection | None = None
    try:
        try:
            conn = connect(path, readonly=True)
            version = _checked_version(conn, path)
        except sqlite3.Error:
            if conn is not None:
                conn.close()
                conn = None
            wal = Path(f"{path}-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise StoreError(
                    f"the store {path} is read-only and its write-ahead log {wal.name} cannot be "
                    "read without writing; make the directory writable and run the command again"
                ) from None
            conn = connect(path, immutable=True)
            version = _checked_version(conn, path)
        if version < migrations.head():
            raise StoreError(
                f"the store {path} needs an upgrade to schema version {migrations.head()}, and it "
                "is read-only; it was left unchanged. Make the file and its directory writable"
            )
        damage = _look_for_damage(conn, path, version)
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise describe_sqlite_error(exc, path) from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    return Store(conn, path, read_only=True, damage=damage)


def _prepare(conn: sqlite3.Connection, path: Path) -> str | None:
    """Refuse what cannot be used, look for damage, upgrade; return the damage found, if any."""
    try:
        version = _checked_version(conn, path)
        damage = _look_for_damage(conn, path, version)
        if damage is not None:
            return damage
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            # A read-only file or directory cannot switch; reads still work in its own mode.
            with suppress(sqlite3.OperationalError):
                conn.execute("PRAGMA journal_mode = WAL")
        if version < migrations.head():
            _migrate(conn, path)
    except sqlite3.Error as exc:
        raise describe_sqlite_error(exc, path) from None
    tighten_side_files(path)
    return None


def _look_for_damage(conn: sqlite3.Connection, path: Path, version: int) -> str | None:
    """`PRAGMA quick_check` when the file is not as mentorkit last saw it (store/check.py)."""
    if version == 0 or check.seen_as_is(path):
        return None
    found = check.problem(conn)
    if found is None:
        check.remember(path, checked=True)
        return None
    if version < migrations.head():
        raise StoreError(
            f"the store {path} is damaged (quick check: {found}) and needs an upgrade, which would "
            "write to it; it was left unchanged. Run `mentorkit doctor`, then `mentorkit restore BACKUP`"
        )
    return found


def _checked_version(conn: sqlite3.Connection, path: Path) -> int:
    """The store's schema version, after refusing a newer store or someone else's database.

    Version and tables are read in one snapshot: read apart, a second process creating the
    store in between would make a brand-new store look like a foreign database.
    """
    conn.execute("BEGIN")
    try:
        version = migrations.current_version(conn)
        names = {
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        }
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")
    _refuse_if_too_new(version, path)
    if (version == 0 and names) or (version > 0 and "schema_migrations" not in names):
        raise StoreError(
            f"{path} is an SQLite database but not a mentorkit store; it was left untouched. "
            "Check --db/MENTORKIT_DB, or run `mentorkit doctor` and `mentorkit restore BACKUP`"
        )
    return version


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Back up a store that holds data, then apply pending migrations; a failed migration is
    rolled back whole and named in the error.

    The backup is made inside the first migration's write transaction, so exactly one process
    backs up an upgrade, and the copy is the store that upgrade starts from.
    """
    backups: list[Path] = []

    def back_up(version: int) -> None:
        if version > 0:  # a new store has nothing to lose
            backups.append(_pre_migration_backup(path, version))

    try:
        migrations.apply_pending(conn, before_upgrade=back_up)
    except StoreError:
        raise  # the backup failed: the upgrade did not start
    except Exception as exc:
        if isinstance(exc, migrations.MigrationFailed):
            failed, name, original = exc.migration.version, exc.migration.name, exc.cause
        else:  # the COMMIT itself failed (a full disk, say)
            failed, name, original = migrations.head(), migrations.MIGRATIONS[-1].name, exc
        cause = str(original) if isinstance(original, sqlite3.Error) else type(original).__name__
        kept = f"; a backup from before the upgrade is at {backups[0]}" if backups else ""
        raise StoreError(
            f"upgrading the store {path} to schema version {failed} ({name}) failed ({cause}); "
            f"the store was left as it was{kept}. Run the command again; if it fails again, "
            f"report it ({REPORTING})"
        ) from exc
