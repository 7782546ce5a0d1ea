"""Ordered, named schema migrations, each committed together with its record.

A store's version is `PRAGMA user_version` (read without touching any table) and each applied
migration is also a row of `schema_migrations`. Both change inside the migration's own
`BEGIN IMMEDIATE` transaction, so a migration is either wholly applied and recorded or not at all.
Never edit a released migration: add a new one at the end of `MIGRATIONS`.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from mentorkit.clock import db_now


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def run_statements(conn: sqlite3.Connection, statements: list[str]) -> None:
    """Execute DDL one statement at a time (`executescript` would commit the transaction)."""
    for statement in statements:
        conn.execute(statement)


def _m001_initial(conn: sqlite3.Connection) -> None:
    from mentorkit.store import schema_v1

    run_statements(conn, schema_v1.STATEMENTS)
    now = db_now()
    conn.executemany(
        "INSERT INTO arena (uuid, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        [(str(uuid.uuid4()), name, desc, now, now) for name, desc in schema_v1.DEFAULT_ARENAS],
    )


def _m002_fts(conn: sqlite3.Connection) -> None:
    """The full-text index for `search`, its triggers, and the rows that exist already."""
    from mentorkit.store import schema_v2_fts

    run_statements(conn, schema_v2_fts.STATEMENTS)
    run_statements(conn, schema_v2_fts.POPULATE)


MIGRATIONS: list[Migration] = [
    Migration(1, "initial", _m001_initial),
    Migration(2, "fts", _m002_fts),
]


def head() -> int:
    return MIGRATIONS[-1].version


def current_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def apply_pending(
    conn: sqlite3.Connection,
    *,
    upto: int | None = None,
    before_upgrade: Callable[[int], None] | None = None,
) -> list[int]:
    """Apply every migration newer than the store's version (up to `upto`); return those applied.

    Each migration re-reads the version inside its own write transaction, so two processes that
    open a new store at once cannot both apply the same migration.

    `before_upgrade(version)` runs once, inside the write transaction of the first migration that
    is due, before anything changes. The write lock is held, so no other process can change the
    store meanwhile: a backup made there is exactly the store this upgrade starts from, and only
    the process that upgrades makes one. (Back up through another connection: SQLite cannot
    copy from a connection that holds a write transaction.)
    """
    target = head() if upto is None else upto
    applied: list[int] = []
    for migration in MIGRATIONS:
        if migration.version > target:
            break
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = current_version(conn)
            if version >= migration.version:
                conn.execute("ROLLBACK")
                continue
            if before_upgrade is not None and not applied:
                before_upgrade(version)
            if migration.version == 1:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
            migration.apply(conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, db_now()),
            )
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
            conn.execute("COMMIT")
        except BaseException:
            # After some errors (a full disk, I/O) SQLite has already rolled back; a second
            # ROLLBACK would fail and hide the error that matters.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
