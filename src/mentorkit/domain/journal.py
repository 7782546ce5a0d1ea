"""`undo` and `history`: reading the change journal and reversing its last step.

The journal itself (tables, triggers, steps) is store/journal.py. A step is one write command.
`undo` reverses the newest step that is neither an undo nor already undone, as a new step of its
own (so the reversal is journaled too, and a later sync can replay it); `undo` again goes further
back. Reversing a step applies the inverse of each change, newest first: an insert is deleted, an
update gets its old values back, a deleted row comes back whole, with its id and uuid.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mentorkit.clock import from_db
from mentorkit.errors import InvalidInput, StoreError
from mentorkit.store.journal import journaled_tables, table_columns

RECORDS_SHOWN = 100
"""Records listed per step by `history --json`; a bigger step (an import) says how many more."""

WORDS = {"insert": "added", "update": "changed", "delete": "deleted"}
NAMES = {
    "mentor": "mentor",
    "meeting": "meeting",
    "followup": "follow-up",
    "advice": "advice",
    "pitch": "pitch",
    "flag": "flag",
    "arena": "arena",
    "goal": "goal",
    "mgroup": "group",
    "group_member": "group member",
    "mentor_arena": "mentor arena",
    "mentor_tag": "tag",
    "stage_change": "stage change",
    "profile": "profile",
    "milestone": "milestone",
    "goal_mentor": "goal mentor",
    "mentor_role": "role",
    "agreement": "agreement",
}


@dataclass(frozen=True)
class Tally:
    table: str
    op: str
    count: int
    ids: list[int] = field(default_factory=list)  # the record ids, when the table has them (a few)

    def describe(self) -> str:
        name = NAMES.get(self.table, self.table)
        shown = ", ".join(f"#{i}" for i in self.ids[:5])
        if self.ids and self.count <= 5:
            return f"{WORDS[self.op]} {name} {shown}"
        return f"{WORDS[self.op]} {self.count} {name}{'' if name.endswith('s') else 's'}"


@dataclass(frozen=True)
class Record:
    table: str
    op: str
    key: dict[str, Any]
    uuid: str | None
    fields: list[str]  # the fields an update changed (none for an insert or a delete)


@dataclass(frozen=True)
class Step:
    id: int
    uuid: str
    at: datetime
    command: str
    undoes: int | None  # the step this one reversed
    undone_by: int | None  # the step that reversed this one
    changes: list[Tally]
    records: list[Record]
    more_records: int

    def summary(self) -> str:
        return "; ".join(t.describe() for t in self.changes) or "no changes"


def _tallies(conn: sqlite3.Connection, step: int) -> list[Tally]:
    rows = conn.execute(
        "SELECT tbl, op, count(*), min(id) FROM change WHERE step_id = ? GROUP BY tbl, op ORDER BY min(id)",
        (step,),
    ).fetchall()
    tallies = []
    for table, op, count, _ in rows:
        ids: list[int] = []
        if count <= 5:
            keys = conn.execute(
                "SELECT row_key FROM change WHERE step_id = ? AND tbl = ? AND op = ? ORDER BY id", (step, table, op)
            )
            ids = [k["id"] for (text,) in keys if "id" in (k := json.loads(text))]
        tallies.append(Tally(table, op, count, ids))
    return tallies


def _records(conn: sqlite3.Connection, step: int) -> tuple[list[Record], int]:
    rows = conn.execute(
        "SELECT tbl, op, row_key, record_uuid, old, new FROM change WHERE step_id = ? ORDER BY id LIMIT ?",
        (step, RECORDS_SHOWN + 1),
    ).fetchall()
    records = [
        Record(table, op, json.loads(key), uid, list(json.loads(new)) if op == "update" else [])
        for table, op, key, uid, old, new in rows[:RECORDS_SHOWN]
    ]
    more = 0
    if len(rows) > RECORDS_SHOWN:
        total = conn.execute("SELECT count(*) FROM change WHERE step_id = ?", (step,)).fetchone()[0]
        more = total - RECORDS_SHOWN
    return records, more


def _step(conn: sqlite3.Connection, row: sqlite3.Row | tuple[Any, ...]) -> Step:
    step_id, uid, made_at, command, undoes = row[0], row[1], row[2], row[3], row[4]
    target = None
    if undoes is not None:
        found = conn.execute("SELECT id FROM change_step WHERE uuid = ?", (undoes,)).fetchone()
        target = found[0] if found else None
    by = conn.execute("SELECT id FROM change_step WHERE undoes = ?", (uid,)).fetchone()
    records, more = _records(conn, step_id)
    at = from_db(made_at)
    assert at is not None
    return Step(step_id, uid, at, command, target, by[0] if by else None, _tallies(conn, step_id), records, more)


def history(conn: sqlite3.Connection, limit: int) -> list[Step]:
    """The newest `limit` steps, newest first."""
    if limit < 1:
        raise InvalidInput(f"--limit must be at least 1 (got {limit})")
    rows = conn.execute(
        "SELECT id, uuid, made_at, command, undoes FROM change_step ORDER BY id DESC LIMIT ?", (limit,)
    ).fetchall()
    return [_step(conn, row) for row in rows]


def _current_step(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT step_id FROM journal_cursor WHERE id = 1").fetchone()
    if row is None or row[0] is None:
        raise StoreError("undo must run inside a write command's step (Store.write)")
    return int(row[0])


def _where(key: dict[str, Any], columns: list[str]) -> tuple[str, list[Any]]:
    if not key or any(k not in columns for k in key):
        raise StoreError("the change journal names a column the store lacks; run `mentorkit doctor`")
    return " AND ".join(f'"{k}" = ?' for k in key), list(key.values())


def _reverse(conn: sqlite3.Connection, tables: dict[str, list[str]], row: sqlite3.Row | tuple[Any, ...]) -> None:
    table, op, key_text, old_text, new_text = row
    if table not in tables:
        raise StoreError(f"the change journal names a table the store lacks ({table}); run `mentorkit doctor`")
    columns = tables[table]
    key = json.loads(key_text)
    if op == "insert":
        where, args = _where(key, columns)
        conn.execute(f'DELETE FROM "{table}" WHERE {where}', args)
        done = 1  # a row gone already (a link its mentor's removal took along) is as the undo wants
    elif op == "update":
        old = json.loads(old_text)
        new = json.loads(new_text)
        at = {k: new.get(k, v) for k, v in key.items()}  # the key as the update left it
        where, args = _where(at, columns)
        if any(c not in columns for c in old):
            raise StoreError("the change journal names a column the store lacks; run `mentorkit doctor`")
        sets = ", ".join(f'"{c}" = ?' for c in old)
        done = conn.execute(f'UPDATE "{table}" SET {sets} WHERE {where}', [*old.values(), *args]).rowcount
    else:
        old = json.loads(old_text)
        if any(c not in columns for c in old):
            raise StoreError("the change journal names a column the store lacks; run `mentorkit doctor`")
        names = ", ".join(f'"{c}"' for c in old)
        try:
            conn.execute(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(old))})', list(old.values()))
        except sqlite3.IntegrityError:
            done = 0
        else:
            done = 1
    if done != 1:
        raise InvalidInput(
            f"cannot undo: a {NAMES.get(table, table)} it would restore was changed outside mentorkit "
            "since; nothing was changed"
        )


def undo(conn: sqlite3.Connection) -> Step:
    """Reverse the newest step not yet undone (inside the caller's write transaction, which is
    itself the undo's step) and return the step that was reversed."""
    current = _current_step(conn)
    row = conn.execute(
        "SELECT id, uuid, made_at, command, undoes FROM change_step AS s WHERE id != ? AND undoes IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM change_step AS u WHERE u.undoes = s.uuid) ORDER BY id DESC LIMIT 1",
        (current,),
    ).fetchone()
    if row is None:
        raise InvalidInput("nothing to undo: every change in the journal is undone already (see `mentorkit history`)")
    target = _step(conn, row)
    # Rows come back in the reverse of the order they went, so a child may return before its
    # parent: the foreign keys are checked once, when the undo commits.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    tables = {table: table_columns(conn, table)[0] for table in journaled_tables(conn)}
    below = None  # read the changes a part at a time, newest first: an import may hold 200,000
    while part := conn.execute(
        "SELECT id, tbl, op, row_key, old, new FROM change WHERE step_id = ? AND id < coalesce(?, 1 << 62) "
        "ORDER BY id DESC LIMIT 1000",
        (target.id, below),
    ).fetchall():
        for change in part:
            _reverse(conn, tables, tuple(change)[1:])
        below = part[-1][0]
    conn.execute("UPDATE change_step SET undoes = ? WHERE id = ?", (target.uuid, current))
    return target
