"""The change journal: what every write command changed, recorded in the same transaction.

Two tables (schema 6):
- `change_step`: one row per write command (`id`, `uuid`, `made_at`, `command` — the command's
  name such as `meetings edit`, never its arguments, so no note text — and `undoes`, the uuid of
  the step an `undo` step reverses).
- `change`: one row per record a step inserted, updated or deleted: the table, the record's key
  as JSON (`{"id": 12}`, or both ids of a link row), its uuid, the operation, and the values as
  JSON: the old and new values of the fields an update changed, and the whole old row of a
  delete (a tombstone). An insert records no values: the record holds them, and any later
  change to it is a step of its own holding the values it replaced. (Keeping whole new rows
  doubled the size of an imported store and cost an import of the reference export 60-75% more
  time; see docs/performance.md.)

SQLite triggers on every record table write the `change` rows, so no write path can forget
(imports, merges and cascades included). They read the step from the one-row table
`journal_cursor`, which `Store.write()` sets when a write transaction begins (`begin_step`) and
clears before it commits (`end_step`). A write made outside mentorkit (the `sqlite3` shell, say)
finds no step there and is journaled with `step_id` NULL: history shows it, `undo` never reverses
it. Derived tables (the search index, `mentor_tally`) and the journal itself are not journaled.

Pruning: the newest `KEEP_STEPS` steps are kept; `end_step` deletes older ones (and their
changes) when a write commits, except, once the store syncs with a hub (`sync_state.hub` set),
the steps holding changes not pushed yet (`change.id` above `sync_state.pushed`): `mentorkit
sync` reads what to push from the journal, so those stay until a sync has pushed them.
"""

from __future__ import annotations

import sqlite3
import uuid

from mentorkit.clock import db_now

KEEP_STEPS = 10_000
"""Steps kept in the journal; older ones are pruned as new ones are written."""

NOT_JOURNALED = frozenset(
    {"change_step", "change", "journal_cursor", "mentor_tally", "schema_migrations", "sync_state"}
)
"""Tables whose rows are not records: the journal itself, derived data and bookkeeping."""

TABLES: list[str] = [
    """
    CREATE TABLE change_step (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        made_at TEXT NOT NULL,
        command TEXT NOT NULL,
        undoes TEXT
    )""",
    "CREATE INDEX change_step_undoes ON change_step(undoes)",
    """
    CREATE TABLE change (
        id INTEGER PRIMARY KEY,
        step_id INTEGER REFERENCES change_step(id) ON DELETE CASCADE,
        tbl TEXT NOT NULL,
        row_key TEXT NOT NULL,
        record_uuid TEXT,
        op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
        old TEXT,
        new TEXT
    )""",
    "CREATE INDEX change_step_id ON change(step_id)",
    """
    CREATE TABLE journal_cursor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        step_id INTEGER
    )""",
    "INSERT INTO journal_cursor (id, step_id) VALUES (1, NULL)",
]


def journaled_tables(conn: sqlite3.Connection) -> list[str]:
    """The record tables: every ordinary table but the journal, derived data and bookkeeping."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    virtual = {r[0] for r in rows if r[1].upper().startswith("CREATE VIRTUAL TABLE")}
    return [
        name
        for name, _ in rows
        if name not in NOT_JOURNALED and name not in virtual and not any(name.startswith(f"{v}_") for v in virtual)
    ]


def table_columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    """(all columns, primary-key columns) of a table, in table order."""
    info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    columns = [r[1] for r in info]
    key = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    return columns, key


def _obj(columns: list[str], row: str) -> str:
    return "json_object(" + ", ".join(f"'{c}', {row}.\"{c}\"" for c in columns) + ")"


def _triggers(table: str, columns: list[str], key: list[str]) -> list[str]:
    step = "(SELECT step_id FROM journal_cursor WHERE id = 1)"
    uid = "uuid" in columns
    head = "INSERT INTO change (step_id, tbl, row_key, record_uuid, op, old, new) "
    changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns)
    pairs = " UNION ALL ".join(
        f'SELECT \'{c}\' AS k, OLD."{c}" AS o, NEW."{c}" AS n WHERE OLD."{c}" IS NOT NEW."{c}"' for c in columns
    )
    return [
        f"CREATE TRIGGER {table}_journal_insert AFTER INSERT ON {table} BEGIN {head}"
        f"VALUES ({step}, '{table}', {_obj(key, 'NEW')}, {'NEW.uuid' if uid else 'NULL'}, 'insert', NULL, NULL); END",
        f"CREATE TRIGGER {table}_journal_update AFTER UPDATE ON {table} WHEN {changed} BEGIN {head}"
        f"SELECT {step}, '{table}', {_obj(key, 'OLD')}, {'OLD.uuid' if uid else 'NULL'}, 'update', "
        f"json_group_object(k, o), json_group_object(k, n) FROM ({pairs}); END",
        f"CREATE TRIGGER {table}_journal_delete AFTER DELETE ON {table} BEGIN {head}"
        f"VALUES ({step}, '{table}', {_obj(key, 'OLD')}, {'OLD.uuid' if uid else 'NULL'}, 'delete', "
        f"{_obj(columns, 'OLD')}, NULL); END",
    ]


def install_triggers(conn: sqlite3.Connection) -> None:
    """(Re)create the journal triggers of every record table from its current columns.

    A migration that adds a record table or changes a record table's columns must call this at
    its end, so the journal sees the new columns (tests/test_journal.py checks the coverage).
    """
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_journal\\_%' ESCAPE '\\'"
    ).fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    for table in journaled_tables(conn):
        columns, key = table_columns(conn, table)
        for statement in _triggers(table, columns, key):
            conn.execute(statement)


def stale_tables(conn: sqlite3.Connection) -> list[str]:
    """Record tables whose journal triggers are missing or differ from what `install_triggers`
    makes of their current columns (a column added without re-making them, a trigger dropped)."""
    have = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    stale = []
    for table in journaled_tables(conn):
        columns, key = table_columns(conn, table)
        wanted = _triggers(table, columns, key)
        found = [have.get(f"{table}_journal_{op}") for op in ("insert", "update", "delete")]
        if found != wanted:
            stale.append(table)
    return stale


def begin_step(conn: sqlite3.Connection, command: str) -> int:
    """Open a step for the write transaction `conn` holds; the triggers journal into it."""
    step = conn.execute(
        "INSERT INTO change_step (uuid, made_at, command) VALUES (?, ?, ?)",
        (str(uuid.uuid4()), db_now(), command),
    ).lastrowid
    assert step is not None
    conn.execute("UPDATE journal_cursor SET step_id = ? WHERE id = 1", (step,))
    return step


def end_step(conn: sqlite3.Connection, step: int) -> None:
    """Close the step before COMMIT: forget it if it changed nothing, prune old steps."""
    conn.execute("UPDATE journal_cursor SET step_id = NULL WHERE id = 1")
    if conn.execute("SELECT 1 FROM change WHERE step_id = ? LIMIT 1", (step,)).fetchone() is None:
        conn.execute("DELETE FROM change_step WHERE id = ?", (step,))
    else:
        conn.execute("DELETE FROM change_step WHERE id <= ? AND id < ?", (step - KEEP_STEPS, _first_unpushed(conn)))


def _first_unpushed(conn: sqlite3.Connection) -> int:
    """The oldest step holding a change that `sync` has not pushed, once the store syncs (else
    no limit): pruning stops below it."""
    try:
        row = conn.execute("SELECT hub, pushed FROM sync_state WHERE id = 1").fetchone()
    except sqlite3.OperationalError:  # a store from before sync (only while migrating)
        return 1 << 62
    if row is None or row[0] is None:
        return 1 << 62
    first = conn.execute("SELECT min(step_id) FROM change WHERE id > ?", (row[1],)).fetchone()[0]
    return 1 << 62 if first is None else int(first)
