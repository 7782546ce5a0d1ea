"""Merging exported records into a store, matched by UUID: the engine behind `import`.

Records arrive as plain dicts shaped like the JSON export (see `jsonio`): columns by name, links
to other records by UUID (`"mentor": "<uuid>"`), link sets as lists (`"arenas": [...]`).

Rules:
- A record matches a local one by UUID; arenas and groups also by name, goals by arena, the
  profile as the single profile.
- A matched record is replaced by the file's version only when the file's `updated_at` is newer,
  or when it was matched by name and the local record was never edited (so the default arenas
  of a fresh store yield to imported ones). Otherwise the local version is kept. Records without
  `updated_at` (stage history) are only ever added.
- Links (a mentor's arenas and tags, a group's members) are merged: an import adds, never removes.
- Importing the same records twice changes nothing.

It works in two phases inside the caller's one transaction. *Planning* validates every record
and decides, for the whole file, what to insert and update (new rows get their ids up front, so
links resolve without a query per record). *Writing* then runs batched `executemany`. A large
import into tables watched by the full-text index drops the index's triggers for the duration
and rebuilds the index once at the end (per-row FTS5 updates cost ~10x more); that happens in
the same transaction, so a failure restores the triggers with everything else.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from mentorkit.domain.common import MAX_TEXT
from mentorkit.errors import InvalidInput
from mentorkit.exchange import Progress, no_progress
from mentorkit.exchange.changes import ImportResult, TableChanges
from mentorkit.exchange.tables import INSTANT_RE, SPECS, UUID_RE, Column, LinkSet, Spec, columns_of

BATCH = 2000
LINE = "_line"  # metadata a CSV importer sets on a record: the file line it came from
CACHE_KIB = -262144  # negative: KiB; SQLite allocates only what the import touches
BULK_INDEX_ROWS = 1000  # from this many writes to indexed tables, rebuild the index once instead


@dataclass
class _Plan:
    spec: Spec
    names: list[str]
    changes: TableChanges
    inserts: list[list[Any]] = field(default_factory=list)  # id first
    insert_at: list[int] = field(default_factory=list)  # record indexes, to name a failing row
    updates: list[list[Any]] = field(default_factory=list)  # id last
    update_at: list[int] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    links: dict[str, list[tuple[int, Any]]] = field(default_factory=dict)


def _where(spec: Spec, index: int, record: dict[str, Any]) -> str:
    """How an error names a record: its line in a CSV file, else its place in the JSON file."""
    uid = record.get("uuid")
    named = f" (uuid {uid})" if isinstance(uid, str) and len(uid) < 60 else ""
    if isinstance(record.get(LINE), int):
        return f"line {record[LINE]}{named}"
    return f"{spec.key}[{index}]{named}"


def _instant_ok(value: str) -> bool:
    if not INSTANT_RE.match(value):
        return False
    try:
        datetime.fromisoformat(value[:-1])
    except ValueError:
        return False
    return True


def _date_ok(value: str) -> bool:
    if len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


_ZONES: dict[str, bool] = {}


def _zone_ok(value: str) -> bool:
    if value not in _ZONES:
        from mentorkit.dates import get_zone

        try:
            get_zone(value)
            _ZONES[value] = True
        except InvalidInput:
            _ZONES[value] = False
    return _ZONES[value]


_PROBLEMS = {
    "int": "must be a whole number",
    "text": f"must be text without NUL bytes, at most {MAX_TEXT:,} characters",
    "at": "must be a UTC instant like 2026-03-01T14:00:00Z",
    "on": "must be a date like 2026-03-01",
    "uuid": "must be a UUID",
    "zone": "must be an IANA time zone such as Europe/London",
    "link": "must be the UUID of a record in the file or the store",
}


def _first_bad(values: list[Any], ok: Any) -> int | None:
    return next((i for i, v in enumerate(values) if v is not None and not ok(v)), None)


def _text_ok(value: Any) -> bool:
    return type(value) is str and "\x00" not in value and len(value) <= MAX_TEXT


def _values(col: Column, records: list[dict[str, Any]]) -> list[Any]:
    try:
        return list(map(itemgetter(col.key), records))  # C speed when every record has the key
    except KeyError:
        return [r.get(col.key, col.default) for r in records]


def _column(col: Column, records: list[dict[str, Any]], maps: dict[str, dict[str, int]],
            spec: Spec) -> list[Any]:  # fmt: skip
    """One column of every record, validated column-wise: fast paths over whole lists (distinct
    values only), and a per-record scan only to name the first bad record."""
    values = _values(col, records)
    kind = col.kind
    bad: int | None = None
    if kind == "int":
        if not set(map(type, values)) <= {int, type(None)}:
            bad = _first_bad(values, lambda v: type(v) is int)
    elif (not set(map(type, values)) <= {str, type(None)} or "\x00" in "".join(filter(None, values))
          or max(map(len, filter(None, values)), default=0) > MAX_TEXT):  # fmt: skip
        bad = _first_bad(values, _text_ok)
    elif kind == "link":
        target = maps[col.ref]  # type: ignore[index]
        values = [None if v is None else target.get(v, -1) for v in values]
        if -1 in values:
            index = values.index(-1)
            raise InvalidInput(
                f"{_where(spec, index, records[index])} links to a {col.key} that is neither "
                "in the file nor in the store"
            )
    elif kind in _CHECKS:
        check = _CHECKS[kind]
        distinct = set(values)
        distinct.discard(None)
        if not all(map(check, distinct)):
            bad = _first_bad(values, check)
    if bad is not None:
        raise InvalidInput(f"{_where(spec, bad, records[bad])}: {col.key} {_PROBLEMS[kind]}")
    if col.notnull and None in values:
        bad = values.index(None)
        raise InvalidInput(f"{_where(spec, bad, records[bad])} has no {col.key}, which is required")
    return values


_CHECKS = {"at": _instant_ok, "on": _date_ok, "zone": _zone_ok, "uuid": lambda v: bool(UUID_RE.match(v))}


def _natural(spec: Spec, names: list[str], row: list[Any] | tuple[Any, ...]) -> Any:
    if spec.natural == "singleton":
        return 1
    value = row[names.index(spec.natural)] if spec.natural else None
    return value.casefold() if isinstance(value, str) else value


def _plan_table(conn: sqlite3.Connection, spec: Spec, records: list[dict[str, Any]],
                maps: dict[str, dict[str, int]], changes: TableChanges) -> _Plan:  # fmt: skip
    cols = columns_of(conn, spec)
    names = [c.name for c in cols]
    plan = _Plan(spec, names, changes, records=records)
    allowed = {"id", LINE, *(c.key for c in cols), *(s.key for s in spec.sets)}
    for index, record in enumerate(records):
        if not allowed.issuperset(record):
            extra = ", ".join(sorted(set(record) - allowed))
            raise InvalidInput(f"{_where(spec, index, record)} has unknown field(s): {extra}")
    rows = list(zip(*(_column(c, records, maps, spec) for c in cols), strict=True)) if records else []
    cursor = conn.execute(f"SELECT id, {', '.join(names)} FROM {spec.table}")
    cursor.row_factory = None
    local = cursor.fetchall()
    u, at = names.index("uuid"), names.index("updated_at") if "updated_at" in names else None
    by_uuid = {r[u + 1]: r for r in local}
    by_natural = {_natural(spec, names, r[1:]): r for r in local} if spec.natural else {}
    file_ids = [r.get("id") for r in records]
    keep_ids = not local and all(type(i) is int and i > 0 for i in file_ids) and len(set(file_ids)) == len(file_ids)
    next_id = max((r[0] for r in local), default=0) + 1
    table_map = {r[u + 1]: r[0] for r in local}
    seen: set[str] = set()
    for index, values in enumerate(rows):
        uid = values[u]
        if uid in seen:
            raise InvalidInput(f"{_where(spec, index, records[index])} appears twice in the file")
        seen.add(uid)
        match = by_uuid.get(uid)
        by_name = False
        if match is None and spec.natural:
            match = by_natural.get(_natural(spec, names, values))
            by_name = match is not None
        if match is None:
            if keep_ids:
                new_id = file_ids[index]
            else:
                new_id, next_id = next_id, next_id + 1
            plan.inserts.append([new_id, *values])
            plan.insert_at.append(index)
            table_map[uid] = new_id
            continue
        table_map[uid] = match[0]
        current = match[1:]
        if current == values:
            changes.unchanged += 1
        elif at is not None and (
            values[at] > current[at] or (by_name and match[names.index("created_at") + 1] == current[at])
        ):
            plan.updates.append([*values, match[0]])
            plan.update_at.append(index)
        else:
            changes.kept += 1
    changes.added += len(plan.inserts)
    changes.updated += len(plan.updates)
    maps[spec.table] = table_map
    for link in spec.sets:
        plan.links[link.table] = _plan_links(conn, spec, link, records, maps)
        changes.links += len(plan.links[link.table])
    return plan


def _plan_links(conn: sqlite3.Connection, spec: Spec, link: LinkSet, records: list[dict[str, Any]],
                maps: dict[str, dict[str, int]]) -> list[tuple[int, Any]]:  # fmt: skip
    """The links the file adds (those the store lacks)."""
    have = {(a, b.casefold() if isinstance(b, str) else b)
            for a, b in conn.execute(f"SELECT {link.own}, {link.other} FROM {link.table}")}  # fmt: skip
    own_map = maps[spec.table]
    target = maps[link.ref] if link.ref else None
    rows: list[tuple[int, Any]] = []
    for index, record in enumerate(records):
        values = record.get(link.key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and "\x00" not in v for v in values):
            raise InvalidInput(f"{_where(spec, index, record)}: {link.key} must be a list of text")
        owner = own_map[record["uuid"]]
        for value in values:
            if target is None:
                other: Any = value.strip()
                if not other:
                    raise InvalidInput(f"{_where(spec, index, record)}: an empty value in {link.key}")
            else:
                other = target.get(value)
                if other is None:
                    raise InvalidInput(
                        f"{_where(spec, index, record)} lists in {link.key} a record that is "
                        "neither in the file nor in the store"
                    )
            key = (owner, other.casefold() if isinstance(other, str) else other)
            if key not in have:
                have.add(key)
                rows.append((owner, other))
    return rows


def plan(conn: sqlite3.Connection, tables: dict[str, list[dict[str, Any]]],
         result: ImportResult) -> list[_Plan]:  # fmt: skip
    """Validate every record and decide every change, writing nothing."""
    maps: dict[str, dict[str, int]] = {}
    return [_plan_table(conn, spec, tables.get(spec.key, []), maps, result.table(spec.key))
            for spec in SPECS]  # fmt: skip


def _locate(conn: sqlite3.Connection, p: _Plan, batch: list[list[Any]], at: list[int],
            exc: sqlite3.IntegrityError, update: bool) -> InvalidInput:  # fmt: skip
    """Name the row of a failed batch: executemany stops at it, the rows before it were applied."""
    select = f"SELECT {', '.join(p.names)} FROM {p.spec.table} WHERE id = ?"
    for row, index in zip(batch, at, strict=True):
        name = _where(p.spec, index, p.records[index])
        if update:
            found = conn.execute(select, (row[-1],)).fetchone()
            applied = found is not None and list(found) == row[:-1]
        else:
            applied = conn.execute(select, (row[0],)).fetchone() is not None
        if not applied:
            return InvalidInput(f"{name} breaks a rule of the store ({exc}); nothing was imported")
    return InvalidInput(f"the import breaks a rule of the store ({exc}); nothing was imported")


def _run(conn: sqlite3.Connection, p: _Plan, sql: str, rows: list[list[Any]], at: list[int],
         update: bool, progress: Progress) -> None:  # fmt: skip
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        try:
            conn.executemany(sql, batch)
        except sqlite3.IntegrityError as exc:
            raise _locate(conn, p, batch, at[start : start + BATCH], exc, update) from None
        progress(len(batch))


def _index_triggers(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(name, table, sql) of the triggers that keep the full-text index in step."""
    return conn.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND sql LIKE '%search_index%' ORDER BY rowid"
    ).fetchall()


def write(conn: sqlite3.Connection, plans: list[_Plan], progress: Progress = no_progress) -> None:
    """Carry out the plans (inside the caller's transaction)."""
    conn.execute(f"PRAGMA cache_size = {CACHE_KIB}")  # a big import's indexes stay in memory
    triggers = _index_triggers(conn)
    watched = {t[1] for t in triggers}
    indexed_writes = sum(len(p.inserts) + len(p.updates) for p in plans if p.spec.table in watched)
    bulk = bool(triggers) and indexed_writes >= BULK_INDEX_ROWS
    if bulk:
        for name, _, _ in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
    for p in plans:
        table, names = p.spec.table, p.names
        insert = (f"INSERT INTO {table} (id, {', '.join(names)}) "
                  f"VALUES ({', '.join('?' for _ in range(len(names) + 1))})")  # fmt: skip
        update = f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?"
        _run(conn, p, insert, p.inserts, p.insert_at, False, progress)
        _run(conn, p, update, p.updates, p.update_at, True, progress)
        for link in p.spec.sets:
            rows = p.links.get(link.table, [])
            if rows:
                conn.executemany(f"INSERT OR IGNORE INTO {link.table} ({link.own}, {link.other}) VALUES (?, ?)", rows)
        progress(p.changes.unchanged + p.changes.kept)
    if bulk:
        from mentorkit.domain.search import rebuild_index

        for _, _, sql in triggers:
            conn.execute(sql)
        rebuild_index(conn)


def merge(conn: sqlite3.Connection, tables: dict[str, list[dict[str, Any]]], result: ImportResult,
          progress: Progress = no_progress) -> ImportResult:  # fmt: skip
    """Plan and write; `result` receives the counts."""
    write(conn, plan(conn, tables, result), progress)
    return result
