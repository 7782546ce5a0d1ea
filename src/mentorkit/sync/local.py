"""The local side of a sync: what to push (read from the change journal), and applying what
was pulled (one journaled step, so `history` shows it and `undo` can reverse it).

A pushed record carries the current values of all its columns (links by uuid) and a clock for
each field this device changed since its last push: `[instant, device, n]`, the instant of the
journal step that changed it, this device's id, and the change's number (so two changes of one
second keep their order). The first sync of a store with a hub pushes every record, each field
clocked with the record's `updated_at` (so, as in `import`, the newer record wins field by field).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from mentorkit.sync.schema import NATURAL, HubTable

Clock = list[Any]  # [instant, device, n]


@dataclass
class Outgoing:
    """One record to push: its identity on the hub, its values, the clocks of changed fields."""

    identity: tuple[Any, ...]
    values: dict[str, Any] = field(default_factory=dict)  # hub column -> value (live records)
    clocks: dict[str, Clock] = field(default_factory=dict)  # hub column -> clock (the changed fields)
    deleted: bool = False
    first_clock: Clock | None = None


class Uuids:
    """Local ids of records to their uuids and back, cached; an id whose record is gone is found
    in the journal's tombstones."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.by_id: dict[tuple[str, int], str | None] = {}
        self.by_uuid: dict[tuple[str, str], int | None] = {}

    def uuid(self, table: str, rowid: Any) -> str | None:
        if rowid is None:
            return None
        key = (table, int(rowid))
        if key not in self.by_id:
            row = self.conn.execute(f'SELECT uuid FROM "{table}" WHERE id = ?', (rowid,)).fetchone()
            if row is None:
                row = self.conn.execute(
                    "SELECT record_uuid FROM change WHERE tbl = ? AND row_key = json_object('id', ?) "
                    "AND record_uuid IS NOT NULL ORDER BY id DESC LIMIT 1",
                    (table, int(rowid)),
                ).fetchone()
            self.by_id[key] = None if row is None else row[0]
        return self.by_id[key]

    def id(self, table: str, uid: Any) -> int | None:
        if uid is None:
            return None
        key = (table, str(uid))
        if key not in self.by_uuid:
            row = self.conn.execute(f'SELECT id FROM "{table}" WHERE uuid = ?', (uid,)).fetchone()
            self.by_uuid[key] = None if row is None else int(row[0])
        return self.by_uuid[key]

    def forget(self, table: str, uid: str) -> None:
        self.by_uuid.pop((table, uid), None)


def _hub_values(table: HubTable, row: sqlite3.Row | dict[str, Any], uuids: Uuids) -> dict[str, Any]:
    return {c.hub: (uuids.uuid(c.ref, row[c.local]) if c.ref else row[c.local]) for c in table.columns}


def _identity(table: HubTable, values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(values[c.hub] for c in table.identity)


def everything(conn: sqlite3.Connection, tables: list[HubTable], device: str, now: str) -> dict[str, list[Outgoing]]:
    """Every record of the store, for a first sync."""
    uuids = Uuids(conn)
    out: dict[str, list[Outgoing]] = {}
    for table in tables:
        records = []
        for row in conn.execute(f'SELECT * FROM "{table.name}"'):
            values = _hub_values(table, row, uuids)
            keys = row.keys()
            instant = (row["updated_at"] if "updated_at" in keys else None) or now
            clock: Clock = [instant, device, 0]
            records.append(
                Outgoing(
                    _identity(table, values),
                    values,
                    {c.hub: clock for c in table.data} | {"deleted": clock},
                    False,
                    clock,
                )
            )
        out[table.name] = records
    return out


def changes_since(
    conn: sqlite3.Connection, tables: list[HubTable], device: str, pushed: int, now: str
) -> tuple[dict[str, list[Outgoing]], int]:
    """The records changed since the change numbered `pushed`, one `Outgoing` per record with
    its current values; and how many journal changes that was."""
    by_name = {t.name: t for t in tables}
    uuids = Uuids(conn)
    pending: dict[str, dict[tuple[Any, ...], Outgoing]] = {t.name: {} for t in tables}
    count = 0
    for cid, tbl, row_key, record_uuid, op, new_text, made_at in conn.execute(
        "SELECT c.id, c.tbl, c.row_key, c.record_uuid, c.op, c.new, s.made_at FROM change AS c "
        "LEFT JOIN change_step AS s ON s.id = c.step_id WHERE c.id > ? ORDER BY c.id",
        (pushed,),
    ):
        table = by_name.get(tbl)
        if table is None:
            continue
        count += 1
        clock: Clock = [made_at or now, device, cid]
        if table.has_uuid:
            if record_uuid is None:
                continue
            new = json.loads(new_text) if op == "update" else {}
            if "uuid" in new:  # a record that took another uuid (an undo of a fold): gone and new
                gone = pending[tbl].setdefault((record_uuid,), Outgoing((record_uuid,)))
                gone.deleted = True
                gone.clocks["deleted"] = clock
                gone.first_clock = gone.first_clock or clock
                record_uuid, op = new["uuid"], "insert"
            rec = pending[tbl].setdefault((record_uuid,), Outgoing((record_uuid,)))
            rec.first_clock = rec.first_clock or clock
            if op == "delete":
                rec.deleted = True
                rec.clocks["deleted"] = clock
            else:
                rec.deleted = False
                changed = [c.hub for c in table.data] if op == "insert" else _changed(table, new)
                for name in changed:
                    rec.clocks[name] = clock
                if op == "insert":
                    rec.clocks["deleted"] = clock
        else:
            key = json.loads(row_key)
            keys = [key] if op != "update" else [key, {**key, **json.loads(new_text)}]
            for n, k in enumerate(keys):
                values = {
                    c.hub: (uuids.uuid(c.ref, k.get(c.local)) if c.ref else k.get(c.local)) for c in table.identity
                }
                ident = _identity(table, values)
                if any(v is None for v in ident):
                    continue
                rec = pending[tbl].setdefault(ident, Outgoing(ident, values))
                rec.deleted = op == "delete" or (op == "update" and n == 0)
                rec.clocks["deleted"] = clock
                rec.first_clock = rec.first_clock or clock
    out: dict[str, list[Outgoing]] = {}
    for table in tables:
        records = list(pending[table.name].values())
        if table.has_uuid:
            for rec in records:
                row = conn.execute(f'SELECT * FROM "{table.name}" WHERE uuid = ?', rec.identity).fetchone()
                if row is None:
                    rec.deleted = True
                    rec.clocks.setdefault("deleted", rec.first_clock or [now, device, 0])
                else:
                    rec.deleted = False
                    rec.values = _hub_values(table, row, uuids)
        out[table.name] = records
    return out, count


def _changed(table: HubTable, new: dict[str, Any]) -> list[str]:
    names = {c.local: c.hub for c in table.data}
    return [names[k] for k in new if k in names]


# --- applying what was pulled ------------------------------------------------------------------


@dataclass
class Applied:
    added: int = 0
    changed: int = 0
    deleted: int = 0
    skipped: list[str] = field(default_factory=list)


def apply_rows(
    conn: sqlite3.Connection, tables: list[HubTable], rows: dict[str, list[dict[str, Any]]]
) -> dict[str, Applied]:
    """Make the store's records equal to the hub's rows given: live rows parents first, then
    deleted ones children first, inside the caller's write step (journaled like any change)."""
    uuids = Uuids(conn)
    done = {t.name: Applied() for t in tables}
    conn.execute("PRAGMA defer_foreign_keys = ON")
    for table in tables:
        for row in rows.get(table.name, ()):
            if not row["deleted"]:
                _upsert(conn, table, row, uuids, done[table.name])
    for table in reversed(tables):
        for row in rows.get(table.name, ()):
            if row["deleted"]:
                _delete(conn, table, row, uuids, done[table.name])
    return done


def _local_values(table: HubTable, row: dict[str, Any], uuids: Uuids) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    for c in table.columns:
        value = row[c.hub]
        if c.ref is not None and value is not None:
            value = uuids.id(c.ref, value)
            if value is None:
                return None  # names a record this store does not have
        values[c.local] = value
    return values


def _upsert(conn: sqlite3.Connection, table: HubTable, row: dict[str, Any], uuids: Uuids, done: Applied) -> None:
    values = _local_values(table, row, uuids)
    if values is None:
        done.skipped.append(str(row[table.identity[0].hub]))
        return
    name = table.name
    if not table.has_uuid:
        cols = list(values)
        cursor = conn.execute(
            f'INSERT OR IGNORE INTO "{name}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})',
            [values[c] for c in cols],
        )
        done.added += cursor.rowcount
        return
    local = conn.execute(f'SELECT * FROM "{name}" WHERE uuid = ?', (values["uuid"],)).fetchone()
    if local is None:
        local = _natural_match(conn, table, values)
    if local is None:
        cols = list(values) + (["id"] if NATURAL.get(name) == "singleton" else [])
        args = [values[c] for c in values] + ([1] if NATURAL.get(name) == "singleton" else [])
        conn.execute(f'INSERT INTO "{name}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})', args)
        uuids.forget(name, values["uuid"])
        done.added += 1
        return
    differ = [c for c in values if local[c] != values[c]]
    if differ:
        sets = ", ".join(f'"{c}" = ?' for c in differ)
        conn.execute(f'UPDATE "{name}" SET {sets} WHERE id = ?', [values[c] for c in differ] + [local["id"]])
        if "uuid" in differ:
            uuids.forget(name, local["uuid"])
        done.changed += 1


def _natural_match(conn: sqlite3.Connection, table: HubTable, values: dict[str, Any]) -> sqlite3.Row | None:
    """The local record that is the same record by its natural key (the hub folded the two)."""
    key = NATURAL.get(table.name)
    if key is None:
        return None
    if key == "singleton":
        return conn.execute(f'SELECT * FROM "{table.name}"').fetchone()
    local = next(c.local for c in table.columns if c.hub == key)
    return conn.execute(f'SELECT * FROM "{table.name}" WHERE "{local}" = ?', (values[local],)).fetchone()


def _delete(conn: sqlite3.Connection, table: HubTable, row: dict[str, Any], uuids: Uuids, done: Applied) -> None:
    if table.has_uuid:
        cursor = conn.execute(f'DELETE FROM "{table.name}" WHERE uuid = ?', (row["uuid"],))
    else:
        values = _local_values(table, row, uuids)
        if values is None:
            return
        where = " AND ".join(f'"{c}" = ?' for c in values)
        cursor = conn.execute(f'DELETE FROM "{table.name}" WHERE {where}', list(values.values()))
    done.deleted += cursor.rowcount
