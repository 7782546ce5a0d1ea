"""Merging exported records into a store, matched by UUID: the engine behind `import`.

Records arrive as plain dicts shaped like the JSON export (see `jsonio`): columns by name, links
to other records by UUID (`"mentor": "<uuid>"`), link sets as lists (`"arenas": [...]`).

Rules:
- A record matches a local one by UUID; arenas and groups also by name, goals by arena, the
  profile as the single profile, and a mentor by `names.name_key` of the name when no email or
  profile URL tells them apart (domain/identity.py) (the rule of `mentors --duplicates`; each person in the store matches one record
  of the file at most). A mentor matched by name keeps its own values (and UUID): the file's
  record only fills the fields the store has empty, and its links and records join it.
- A matched record is replaced by the file's version only when the file's `updated_at` is newer,
  or when it was matched by name and the local record was never edited (so the default arenas
  of a fresh store yield to imported ones). Otherwise the local version is kept. Records without
  `updated_at` (stage history) are only ever added.
- Links (a mentor's arenas and tags, a group's members) are merged: an import adds, never removes.
- A new record keeps its id from the file when its table was empty and the ids rise (as an export
  writes them), so `#12` is the same meeting after a move; otherwise it gets the next free id.
- Importing the same records twice changes nothing.

It runs inside the caller's one transaction, table by table in `SPECS` order (parents before the
records that link to them), in batches of `BATCH` records taken from an iterable that is read
once (a JSON export streams them from the file): a batch is validated column by column, matched
against the store by UUID (a few queries, not a load of the whole table), and written with
`executemany`. Memory holds one batch and, per table, the map from the file's UUIDs to store ids
that later tables resolve their links with (tens of MB for 200,000 records); the tables matched
by name (profile, arenas, goals, groups) are small and loaded whole. An error in any batch rolls
back the batches before it with the transaction. Once a big import has made `BULK_INDEX_ROWS`
writes to tables watched by the full-text index or the review counts, their triggers are dropped
and they are refilled once at the end (per-row FTS5 updates cost ~10x more); in the same
transaction, so a failure restores the triggers with everything else.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from operator import itemgetter
from typing import Any

from mentorkit.dates import FIRST_DAY, LAST_DAY, in_range
from mentorkit.domain.common import MAX_NAME, MAX_TEXT, clean_name, is_email
from mentorkit.errors import InvalidInput
from mentorkit.exchange import Progress, no_progress
from mentorkit.exchange.changes import ImportResult, Match, TableChanges
from mentorkit.exchange.tables import INSTANT_RE, SPECS, UUID_RE, Column, LinkSet, Spec, columns_of

BATCH = 2000
LINE = "_line"  # metadata a CSV importer sets on a record: the file line it came from
CACHE_KIB = -16384  # KiB. 256 MiB made the reference import no faster, only 130 MB bigger
BULK_INDEX_ROWS = 1000  # from this many writes to indexed tables, rebuild the index once instead
LOOKUP = 500  # UUIDs per query (SQLite's limit on parameters can be as low as 999)
MAX_ROWID = 2**53 - 1  # the highest id kept: exact in every JSON reader, with room above for new records


@dataclass
class _Table:
    """One table's merge as it goes from batch to batch."""

    spec: Spec
    cols: list[Column]
    changes: TableChanges
    local: bool  # the store had rows in the table when the merge reached it
    last_id: int  # the highest id so far
    by_natural: dict[Any, tuple[Any, ...]]  # local rows (id first) by name etc. (small tables only)
    have: dict[str, set[tuple[int, Any]]]  # per link table: the links the store holds
    ids: dict[str, int] = field(default_factory=dict)  # the file's UUIDs -> ids in the store
    matched: list[Match] = field(default_factory=list)  # people matched by name (natural "person")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.cols]


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
        in_range(datetime.fromisoformat(value[:-1]).date(), "")
    except (ValueError, InvalidInput):
        return False
    return True


def _date_ok(value: str) -> bool:
    if len(value) != 10:
        return False
    try:
        in_range(date.fromisoformat(value), "")
    except (ValueError, InvalidInput):
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
    "at": f"must be a UTC instant like 2026-03-01T14:00:00Z, in the years {FIRST_DAY.year} to {LAST_DAY.year}",
    "on": f"must be a date like 2026-03-01, in the years {FIRST_DAY.year} to {LAST_DAY.year}",
    "uuid": "must be a UUID",
    "zone": "must be an IANA time zone such as Europe/London",
    "name": f"must be one line of plain text, not blank, without control characters, at most {MAX_NAME} characters",
    "email": "must be an email address like name@example.org",
    "cadence": "must be a cadence rule as mentorkit stores it, e.g. FREQ=MONTHLY;BYDAY=1TU",
    "clock": "must be a time of day like 09:00",
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


def _column(
    conn: sqlite3.Connection,
    col: Column,
    records: list[dict[str, Any]],
    start: int,
    spec: Spec,
    maps: dict[str, dict[str, int]],
) -> list[Any]:
    """One column of a batch, validated column-wise: fast paths over whole lists (distinct values
    only), and a per-record scan only to name the first bad record (`start` is the batch's place)."""
    values = _values(col, records)
    kind = col.kind
    bad: int | None = None
    if kind == "int":
        if not set(map(type, values)) <= {int, type(None)}:
            bad = _first_bad(values, lambda v: type(v) is int)
    elif (
        not set(map(type, values)) <= {str, type(None)}
        or "\x00" in "".join(filter(None, values))
        or max(map(len, filter(None, values)), default=0) > MAX_TEXT
    ):
        bad = _first_bad(values, _text_ok)
    elif kind == "link":
        values = _link_ids(conn, maps, col.ref, values)  # type: ignore[arg-type]
        if -1 in values:
            index = values.index(-1)
            raise InvalidInput(
                f"{_where(spec, start + index, records[index])} links to a {col.key} that is neither "
                "in the file nor in the store"
            )
    elif kind in _CHECKS:
        check = _CHECKS[kind]
        distinct = set(values)
        distinct.discard(None)
        if not all(map(check, distinct)):
            bad = _first_bad(values, check)
    if bad is not None:
        raise InvalidInput(f"{_where(spec, start + bad, records[bad])}: {col.key} {_PROBLEMS[kind]}")
    if col.notnull and None in values:
        bad = values.index(None)
        raise InvalidInput(f"{_where(spec, start + bad, records[bad])} has no {col.key}, which is required")
    return values


def _name_ok(value: str) -> bool:
    """What `add-mentor`, `group add` and the rest accept as a name (domain.common.clean_name)."""
    try:
        return clean_name(value, "name") is not None
    except InvalidInput:
        return False


def _clock_ok(value: str) -> bool:
    """A working-hours bound as the store keeps it: HH:MM, 00:00 to 23:59."""
    if len(value) != 5 or value[2] != ":":
        return False
    try:
        time.fromisoformat(value)
    except ValueError:
        return False
    return True


def _cadence_ok(value: str) -> bool:
    from mentorkit.cadences import is_stored_rule

    return is_stored_rule(value)


_CHECKS = {
    "at": _instant_ok,
    "on": _date_ok,
    "zone": _zone_ok,
    "uuid": lambda v: bool(UUID_RE.match(v)),
    "name": _name_ok,
    "email": is_email,
    "cadence": _cadence_ok,
    "clock": _clock_ok,
}


def _natural(spec: Spec, names: list[str], row: list[Any] | tuple[Any, ...]) -> Any:
    if spec.natural == "singleton":
        return 1
    if spec.natural == "person":
        from mentorkit.names import name_key

        return name_key(row[names.index("name")])
    value = row[names.index(spec.natural)] if spec.natural else None
    return value.casefold() if isinstance(value, str) else value


def _by_uuid(conn: sqlite3.Connection, table: str, columns: str, uuids: list[str]) -> list[tuple[Any, ...]]:
    """The store's rows of `table` with these UUIDs, as tuples of `columns`."""
    rows: list[tuple[Any, ...]] = []
    for n in range(0, len(uuids), LOOKUP):
        chunk = uuids[n : n + LOOKUP]
        cursor = conn.execute(f"SELECT {columns} FROM {table} WHERE uuid IN ({','.join(['?'] * len(chunk))})", chunk)
        cursor.row_factory = None  # plain tuples, to compare with the file's values
        rows += cursor.fetchall()
    return rows


def _link_ids(conn: sqlite3.Connection, maps: dict[str, dict[str, int]], table: str, uuids: list[Any]) -> list[Any]:
    """The store ids of records of `table` named by UUID (None stays None; -1 for one neither in
    the file nor in the store). The file's records are in `maps`; others are looked up in the
    store once and remembered there."""
    known = maps[table]
    missing = list({u for u in uuids if u is not None and u not in known})
    if missing:
        known.update(_by_uuid(conn, table, "uuid, id", missing))
    return [None if u is None else known.get(u, -1) for u in uuids]


def _start(conn: sqlite3.Connection, spec: Spec, changes: TableChanges) -> _Table:
    cols = columns_of(conn, spec)
    last = conn.execute(f"SELECT max(id) FROM {spec.table}").fetchone()[0]
    by_natural: dict[Any, tuple[Any, ...]] = {}
    if spec.natural and last is not None:
        names = [c.name for c in cols]
        cursor = conn.execute(f"SELECT id, {', '.join(names)} FROM {spec.table}")
        cursor.row_factory = None
        if spec.natural == "person":  # one name may be several people: keep them all
            people: dict[Any, Any] = {}
            for r in cursor:
                people.setdefault(_natural(spec, names, r[1:]), []).append(r)
            by_natural = people
        else:
            by_natural = {_natural(spec, names, r[1:]): r for r in cursor}
    have = {
        link.table: {
            (a, b.casefold() if isinstance(b, str) else b)
            for a, b in conn.execute(f"SELECT {link.own}, {link.other} FROM {link.table}")
        }
        for link in spec.sets
    }
    return _Table(spec, cols, changes, last is not None, last or 0, by_natural, have)


def _check_hours(
    spec: Spec, records: list[dict[str, Any]], start: int, rows: list[tuple[Any, ...]], first: int, last: int
) -> None:
    """Working hours come as a pair, the end after the start (as `--hours` requires)."""
    for i, row in enumerate(rows):
        begin, end = row[first], row[last]
        if (begin is None) != (end is None) or (begin is not None and end <= begin):
            raise InvalidInput(
                f"{_where(spec, start + i, records[i])}: hours_start and hours_end must both be given, "
                "the end after the start (09:00 and 17:00), or both be null"
            )


def _new_id(t: _Table, file_id: Any) -> int:
    if not t.local and type(file_id) is int and t.last_id < file_id <= MAX_ROWID:
        t.last_id = file_id
    else:
        t.last_id += 1
    return t.last_id


def _merge_batch(
    conn: sqlite3.Connection,
    t: _Table,
    records: list[dict[str, Any]],
    start: int,
    maps: dict[str, dict[str, int]],
    index: _AllDerived,
) -> None:
    """Validate, match and write one batch of a table's records; `start` is its first record's place."""
    spec, names = t.spec, t.names
    allowed = {"id", LINE, *(c.key for c in t.cols), *(s.key for s in spec.sets)}
    for i, record in enumerate(records):
        if not allowed.issuperset(record):
            extra = ", ".join(sorted(set(record) - allowed))
            raise InvalidInput(f"{_where(spec, start + i, record)} has unknown field(s): {extra}")
    rows = list(zip(*(_column(conn, c, records, start, spec, maps) for c in t.cols), strict=True))
    if "hours_start" in names and "hours_end" in names:
        _check_hours(spec, records, start, rows, names.index("hours_start"), names.index("hours_end"))
    u = names.index("uuid")
    at = names.index("updated_at") if "updated_at" in names else None
    local = (
        {r[u + 1]: r for r in _by_uuid(conn, spec.table, f"id, {', '.join(names)}", [r[u] for r in rows])}
        if t.local
        else {}
    )
    inserts: list[list[Any]] = []
    insert_at: list[int] = []
    updates: list[list[Any]] = []
    update_at: list[int] = []
    for i, values in enumerate(rows):
        uid = values[u]
        if uid in t.ids:
            raise InvalidInput(f"{_where(spec, start + i, records[i])} appears twice in the file")
        match = local.get(uid)
        by_name = False
        if match is None and spec.natural == "person":
            person = _person(t, names, values)
            if person is not None:
                t.ids[uid] = person[0]
                t.matched.append(
                    Match(
                        _where(spec, start + i, records[i]),
                        values[names.index("name")],
                        person[0],
                        person[1 + names.index("name")],
                    )
                )
                filled = _filled(names, values, person[1:])
                if filled is None:
                    t.changes.unchanged += 1
                else:
                    updates.append([*filled, person[0]])
                    update_at.append(i)
                continue
        elif match is None and spec.natural:
            match = t.by_natural.get(_natural(spec, names, values))
            by_name = match is not None
        if match is None:
            t.ids[uid] = _new_id(t, records[i].get("id"))
            inserts.append([t.ids[uid], *values])
            insert_at.append(i)
            continue
        t.ids[uid] = match[0]
        current = match[1:]
        if current == values:
            t.changes.unchanged += 1
        elif at is not None and (
            values[at] > current[at] or (by_name and current[names.index("created_at")] == current[at])
        ):
            updates.append([*values, match[0]])
            update_at.append(i)
        else:
            t.changes.kept += 1
    t.changes.added += len(inserts)
    t.changes.updated += len(updates)
    links = [(link, _plan_links(conn, t, link, records, start, maps)) for link in spec.sets]
    index.writing(spec.table, len(inserts) + len(updates))
    insert = f"INSERT INTO {spec.table} (id, {', '.join(names)}) VALUES ({', '.join(['?'] * (len(names) + 1))})"
    update = f"UPDATE {spec.table} SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?"
    _run(conn, t, insert, inserts, insert_at, records, start, False)
    _run(conn, t, update, updates, update_at, records, start, True)
    for link, pairs in links:
        conn.executemany(f"INSERT OR IGNORE INTO {link.table} ({link.own}, {link.other}) VALUES (?, ?)", pairs)
        t.changes.links += len(pairs)


_OWN = frozenset({"uuid", "name", "created_at", "updated_at", "stage", "stage_changed_at", "kind"})
"""A mentor matched by name keeps these whatever the file says; its empty fields take the file's."""


def _person(t: _Table, names: list[str], values: list[Any] | tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The store's mentor this file record is, by name, unless an email or profile URL tells them
    apart (domain/identity.py); each store mentor is matched once per import."""
    from mentorkit.domain.identity import Keys

    def keys(row: list[Any] | tuple[Any, ...]) -> Keys:
        url = row[names.index("profile_url")] if "profile_url" in names else None
        return Keys.of(row[names.index("email")], url)

    theirs = keys(values)
    used = {m.mentor_id for m in t.matched}
    for row in t.by_natural.get(_natural(t.spec, names, values), []):
        if row[0] not in used and not keys(row[1:]).conflict(theirs):
            return tuple(row)
    return None


def _filled(names: list[str], values: list[Any] | tuple[Any, ...], current: tuple[Any, ...]) -> list[Any] | None:
    """A stored person with their empty fields taken from the file (None: nothing to fill)."""
    filled = [c if k in _OWN or c not in (None, "") else v for k, v, c in zip(names, values, current, strict=True)]
    return None if filled == list(current) else filled


def _plan_links(
    conn: sqlite3.Connection,
    t: _Table,
    link: LinkSet,
    records: list[dict[str, Any]],
    start: int,
    maps: dict[str, dict[str, int]],
) -> list[tuple[int, Any]]:
    """The links a batch adds (those the store lacks)."""
    have = t.have[link.table]
    rows: list[tuple[int, Any]] = []
    for i, record in enumerate(records):
        values = record.get(link.key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and "\x00" not in v for v in values):
            raise InvalidInput(f"{_where(t.spec, start + i, record)}: {link.key} must be a list of text")
        owner = t.ids[record["uuid"]]
        others = _link_ids(conn, maps, link.ref, values) if link.ref else [v.strip() for v in values]
        for other in others:
            if other == -1:
                raise InvalidInput(
                    f"{_where(t.spec, start + i, record)} lists in {link.key} a record that is "
                    "neither in the file nor in the store"
                )
            if other == "":
                raise InvalidInput(f"{_where(t.spec, start + i, record)}: an empty value in {link.key}")
            key = (owner, other.casefold() if isinstance(other, str) else other)
            if key not in have:
                have.add(key)
                rows.append((owner, other))
    return rows


def _locate(
    conn: sqlite3.Connection,
    t: _Table,
    rows: list[list[Any]],
    at: list[int],
    records: list[dict[str, Any]],
    start: int,
    exc: sqlite3.IntegrityError,
    update: bool,
) -> InvalidInput:
    """Name the row of a failed batch: executemany stops at it, the rows before it were applied."""
    select = f"SELECT {', '.join(t.names)} FROM {t.spec.table} WHERE id = ?"
    for row, i in zip(rows, at, strict=True):
        name = _where(t.spec, start + i, records[i])
        if update:
            found = conn.execute(select, (row[-1],)).fetchone()
            applied = found is not None and list(found) == row[:-1]
        else:
            applied = conn.execute(select, (row[0],)).fetchone() is not None
        if not applied:
            return InvalidInput(f"{name} breaks a rule of the store ({exc}); nothing was imported")
    return InvalidInput(f"the import breaks a rule of the store ({exc}); nothing was imported")


def _run(
    conn: sqlite3.Connection,
    t: _Table,
    sql: str,
    rows: list[list[Any]],
    at: list[int],
    records: list[dict[str, Any]],
    start: int,
    update: bool,
) -> None:
    try:
        conn.executemany(sql, rows)
    except sqlite3.IntegrityError as exc:
        raise _locate(conn, t, rows, at, records, start, exc, update) from None


class _Derived:
    """Keeps something the triggers derive from the records in step with a merge: through the
    triggers whose SQL names `target`, row by row, until the merge has made `BULK_INDEX_ROWS`
    writes to the tables they watch; then the triggers are dropped, and `finish` restores them
    and `refill`s the target once from all the records (rows written before included)."""

    def __init__(self, conn: sqlite3.Connection, target: str, refill: Callable[[sqlite3.Connection], object]) -> None:
        self._conn = conn
        self._refill = refill
        self._triggers: list[tuple[str, str, str]] = conn.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE ? ORDER BY rowid",
            (f"%{target}%",),
        ).fetchall()
        self._watched = {t[1] for t in self._triggers}
        self._writes = 0
        self._dropped = False

    def writing(self, table: str, rows: int) -> None:
        """Say that `rows` writes to `table` come next."""
        if self._dropped or table not in self._watched:
            return
        self._writes += rows
        if self._writes >= BULK_INDEX_ROWS:
            for name, _, _ in self._triggers:
                self._conn.execute(f'DROP TRIGGER "{name}"')
            self._dropped = True

    def finish(self) -> None:
        if self._dropped:
            for _, _, sql in self._triggers:
                self._conn.execute(sql)
            self._refill(self._conn)


class _BulkJournal:
    """The change journal's inserts of a big merge, written once per table at the end.

    From `BULK_INDEX_ROWS` writes on, a table's `<table>_journal_insert` trigger is dropped before
    its rows go in (one trigger run per row cost a reference import about as much as the rest of
    it), and `finish` restores it and journals, in one statement per table, every row above the
    highest id the table had when the trigger went: new rows always get higher ids (`_new_id`).
    Tables finish in `SPECS` order, parents first, so `undo` (newest change first) removes
    children before their parents."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._writes = 0
        self._dropped: dict[str, tuple[int, str]] = {}  # table -> (its highest id then, trigger SQL)

    def writing(self, table: str, rows: int) -> None:
        self._writes += rows
        if table in self._dropped or self._writes < BULK_INDEX_ROWS:
            return
        name = f"{table}_journal_insert"
        found = self._conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,))
        sql = found.fetchone()
        if sql is None:
            return
        top = self._conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        self._conn.execute(f'DROP TRIGGER "{name}"')
        self._dropped[table] = (top, sql[0])

    def finish(self) -> None:
        for table, (top, sql) in self._dropped.items():
            self._conn.execute(sql)
            self._conn.execute(
                "INSERT INTO change (step_id, tbl, row_key, record_uuid, op) "
                f"SELECT (SELECT step_id FROM journal_cursor WHERE id = 1), ?, json_object('id', id), uuid, 'insert' "
                f"FROM {table} WHERE id > ? ORDER BY id",
                (table, top),
            )


class _AllDerived:
    """The full-text index (per-row FTS5 updates cost ~10x more than one rebuild), the review
    counts (their triggers cost a big import ~2.5 s of 15) and the change journal's inserts."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        from mentorkit.domain.review import refill_tallies
        from mentorkit.domain.search import rebuild_index

        self._parts: list[_Derived | _BulkJournal] = [
            _Derived(conn, "search_index", rebuild_index),
            _Derived(conn, "mentor_tally", refill_tallies),
            _BulkJournal(conn),
        ]

    def writing(self, table: str, rows: int) -> None:
        for part in self._parts:
            part.writing(table, rows)

    def finish(self) -> None:
        for part in self._parts:
            part.finish()


def bulk_derived(conn: sqlite3.Connection) -> _AllDerived:
    """What a big write of records keeps in step in bulk (see `_AllDerived`): call `writing(table,
    rows)` before writing rows of a record table with an id, and `finish()` at the end."""
    return _AllDerived(conn)


def merge(
    conn: sqlite3.Connection,
    tables: Mapping[str, Iterable[dict[str, Any]]],
    result: ImportResult,
    progress: Progress = no_progress,
) -> ImportResult:
    """Merge each table's records (an iterable, read once, in `SPECS` order) inside the caller's
    transaction; `result` receives the counts, `progress` the records done."""
    conn.execute(f"PRAGMA cache_size = {CACHE_KIB}")
    index = _AllDerived(conn)
    maps: dict[str, dict[str, int]] = {}
    for spec in SPECS:
        table = _start(conn, spec, result.table(spec.key))
        records: Iterator[dict[str, Any]] = iter(tables.get(spec.key, ()))
        done = 0
        while batch := list(islice(records, BATCH)):
            _merge_batch(conn, table, batch, done, maps, index)
            done += len(batch)
            progress(len(batch))
        maps[spec.table] = table.ids
        result.matched += table.matched
    index.finish()
    return result
