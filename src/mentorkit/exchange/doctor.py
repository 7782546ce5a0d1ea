"""`doctor`: a health check of the store that works even when the store does not.

Every check runs on its own read-only connection (or on the file itself) and reports `ok`,
`warn` or `fail` with one line of detail; a check that cannot run is a `fail` naming why,
never a traceback. Nothing here opens the store through `open_store`, so a damaged or newer
store is examined, not refused, and nothing is migrated or written.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass
class Check:
    name: str
    status: str  # ok, warn, fail
    detail: str


@dataclass
class Report:
    store: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.status != "fail" for c in self.checks)

    @property
    def problems(self) -> int:
        return sum(c.status == "fail" for c in self.checks)

    def add(self, name: str, status: str, detail: str) -> None:
        self.checks.append(Check(name, status, detail))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _permissions(report: Report, path: Path) -> None:
    problems = []
    mode = _mode(path)
    if mode & 0o077:
        problems.append(f"the store is {mode:04o} (others can read it); run: chmod 600 {path}")
    if path.stat().st_uid != os.getuid():
        problems.append("the store belongs to another user")
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        try:  # SQLite removes both when the last connection closes: another command may do so now
            side_mode = _mode(side)
        except FileNotFoundError:
            continue
        if side_mode & 0o077:
            problems.append(f"{side.name} is {side_mode:04o}")
    directory = path.parent
    dir_mode = _mode(directory)
    if dir_mode & 0o022:
        problems.append(f"its directory {directory} is {dir_mode:04o} (others can replace files in it)")
    if problems:
        report.add("permissions", "warn", "; ".join(problems))
    else:
        note = "" if not dir_mode & 0o077 else f"; directory {dir_mode:04o}"
        report.add("permissions", "ok", f"store {mode:04o}{note}, owned by you")


def _backups(report: Report, path: Path, now: datetime) -> None:
    found: list[tuple[float, Path]] = []
    for candidate in [*path.parent.glob(f"{path.stem}-*backup-*.db"), *path.parent.glob(f"{path.name}.v*.bak")]:
        try:  # another command may remove an old backup meanwhile
            found.append((candidate.stat().st_mtime, candidate))
        except FileNotFoundError:
            continue
    if not found:
        report.add("backups", "warn", "no backup beside the store yet; run `mentorkit backup`")
        return
    mtime, latest = max(found)
    age = now.timestamp() - mtime
    days = max(0, int(age // 86400))  # a file written this second may look a little in the future
    when = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
    status = "ok" if days <= 30 else "warn"
    report.add("backups", status, f"latest {latest.name} ({when}); {len(found)} in all")


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection that can read the store even in a read-only directory.

    There SQLite cannot make the -shm a WAL store needs, so the store is opened `immutable`,
    which is safe only when no -wal holds data the main file lacks (then it raises instead).
    """
    from mentorkit.store.db import connect

    conn: sqlite3.Connection | None = None
    try:
        conn = connect(path, readonly=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error:
        if conn is not None:
            conn.close()
        try:
            holds_data = Path(f"{path}-wal").stat().st_size > 0
        except FileNotFoundError:  # none, or removed as the last connection closed
            holds_data = False
        if holds_data:
            raise
    return connect(path, immutable=True)


def _sqlite_checks(report: Report, path: Path) -> None:
    from mentorkit.store.migrations import head

    try:
        conn = _open_read_only(path)
    except sqlite3.Error as exc:
        report.add("open", "fail", f"SQLite cannot open it ({exc}); restore a backup with `mentorkit restore`")
        return
    try:
        # One read snapshot for every check, so a process writing meanwhile cannot make the
        # records and what is derived from them look out of step.
        conn.execute("BEGIN")
        _run(report, "integrity", lambda: _integrity(conn))
        _run(report, "foreign keys", lambda: _foreign_keys(conn))
        _run(report, "schema", lambda: _schema(conn, head()))
        _run(report, "journal", lambda: _journal(conn))
        _run(report, "change journal", lambda: _change_journal(conn))
        _run(report, "review counts", lambda: _tallies(conn))
    finally:
        conn.close()
    _run(report, "search index", lambda: _search_index(path))


def _run(report: Report, name: str, check: object) -> None:
    try:
        status, detail = check()  # type: ignore[operator]
    except sqlite3.Error as exc:
        status, detail = "fail", f"could not run the check ({exc})"
    report.add(name, status, detail)


def _integrity(conn: sqlite3.Connection) -> tuple[str, str]:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if rows == ["ok"]:
        return "ok", "integrity_check passed"
    return "fail", f"{len(rows)} problem(s), first: {rows[0]}; restore a backup with `mentorkit restore`"


def _foreign_keys(conn: sqlite3.Connection) -> tuple[str, str]:
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    if not rows:
        return "ok", "every link points to an existing record"
    tables = sorted({r[0] for r in rows})
    return "fail", f"{len(rows)} broken link(s) in {', '.join(tables)}"


def _schema(conn: sqlite3.Connection, newest: int) -> tuple[str, str]:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version == newest:
        return "ok", f"version {version} (current)"
    if version > newest:
        return "fail", f"version {version} is newer than this mentorkit ({newest}); upgrade mentorkit"
    return "warn", f"version {version}; upgraded to {newest} by the next command (after a backup)"


def _journal(conn: sqlite3.Connection) -> tuple[str, str]:
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0].lower()
    if mode == "wal":
        return "ok", "WAL"
    return "warn", f"{mode}; the next command that writes switches it to WAL"


def _change_journal(conn: sqlite3.Connection) -> tuple[str, str]:
    """The change journal behind `undo` (store/journal.py): a trigger on every record table
    covering every column, readable entries, no step left open."""
    from mentorkit.store.journal import KEEP_STEPS, stale_tables

    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'change_step'").fetchone():
        return "ok", "no change journal in this schema version"
    uncovered = stale_tables(conn)
    if uncovered:
        return "fail", (
            f"changes to {', '.join(sorted(set(uncovered)))} are not journaled; run `mentorkit doctor --rebuild-index`"
        )
    bad = conn.execute(
        "SELECT count(*) FROM change WHERE NOT json_valid(row_key) OR op NOT IN ('insert', 'update', 'delete') "
        "OR NOT json_valid(coalesce(old, '{}')) OR NOT json_valid(coalesce(new, '{}'))"
    ).fetchone()[0]
    if bad:
        return "fail", f"{bad} journal entries cannot be read; `undo` may stop at them"
    open_step = conn.execute("SELECT step_id FROM journal_cursor").fetchall()
    if [tuple(r) for r in open_step] != [(None,)]:
        return "warn", "a step was left open by a tool other than mentorkit; the next write closes it"
    steps, oldest = conn.execute("SELECT count(*), min(made_at) FROM change_step").fetchone()
    outside = conn.execute("SELECT count(*) FROM change WHERE step_id IS NULL").fetchone()[0]
    detail = f"{steps} step{'' if steps == 1 else 's'}" + (f" since {oldest}" if oldest else "")
    if steps > KEEP_STEPS:
        return "warn", f"{detail}: more than the {KEEP_STEPS:,} kept; the next write prunes them"
    if outside:
        return "warn", f"{detail}; {outside} changes made outside mentorkit, which `undo` cannot reverse"
    return "ok", detail


def _tallies(conn: sqlite3.Connection) -> tuple[str, str]:
    """The counts `review` trusts (kept by triggers) against a recount of the rows."""
    from mentorkit.store.schema_v4_tally import RECOUNT

    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'mentor_tally'").fetchone():
        return "ok", "no review counts in this schema version"
    kept = set(conn.execute("SELECT mentor_id, measure, n FROM mentor_tally WHERE n != 0").fetchall())
    counted = set(conn.execute(RECOUNT).fetchall())
    if kept == counted:
        return "ok", f"{len(counted)} counts match the records"
    wrong = len({row[:2] for row in kept ^ counted})
    return "fail", f"{wrong} count(s) out of step with the records; run `mentorkit doctor --rebuild-index`"


def _search_index(path: Path) -> tuple[str, str]:
    """FTS5's own integrity check is an INSERT: it runs under the write lock (so no writer can
    change the index while it is read), in a transaction that is rolled back."""
    from mentorkit.store.db import BUSY_TIMEOUT_MS, connect, writable

    if not writable(path):
        return "warn", "not checked: the store or its directory is read-only"
    conn = connect(path)
    try:
        has = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_index'").fetchone()
        if not has:
            return "ok", "no search index in this schema version"
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return "warn", f"not checked: another process held the store for more than {BUSY_TIMEOUT_MS / 1000:g} s"
        try:
            conn.execute("INSERT INTO search_index (search_index) VALUES ('integrity-check')")
            rows = conn.execute("SELECT count(*) FROM search_index").fetchone()[0]
        except sqlite3.DatabaseError:
            return "fail", "the search index is out of step; run `mentorkit doctor --rebuild-index`"
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        return "ok", f"{rows} entries"
    finally:
        conn.close()


def diagnose(path: Path, now: datetime) -> Report:
    """Examine the store at `path` without changing it."""
    report = Report(str(path))
    if not path.exists():
        report.add(
            "store",
            "fail",
            f"there is no store at {path}; check --db and MENTORKIT_DB (a command that writes creates one)",
        )
        return report
    if path.is_dir():
        report.add("store", "fail", f"{path} is a directory, not a store file")
        return report
    report.add("store", "ok", f"{path} ({path.stat().st_size:,} bytes)")
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        report.add("file", "fail", f"cannot read it ({exc.strerror})")
        return report
    if header and header != SQLITE_MAGIC:
        report.add("file", "fail", "not an SQLite database; restore a backup with `mentorkit restore`")
        return report
    _permissions(report, path)
    _sqlite_checks(report, path)
    _backups(report, path, now)
    return report


def rebuild_derived(conn: sqlite3.Connection) -> int:
    """Refill the full-text index and the review counts from the records and re-make the change
    journal's triggers (inside the caller's write transaction); return the number of index entries."""
    from mentorkit.domain.review import refill_tallies
    from mentorkit.domain.search import rebuild_index
    from mentorkit.store.journal import install_triggers

    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'change_step'").fetchone():
        install_triggers(conn)
    refill_tallies(conn)
    return rebuild_index(conn)
