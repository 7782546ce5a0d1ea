"""The JSON export: every record of the store, with its UUID, in a versioned envelope.

Shape (format_version 1)::

    {"format": "mentorkit", "format_version": 1, "exported_at": "...Z", "generator": "...",
     "schema_version": 2,
     "tables": {"profile": [...], "arenas": [...], "goals": [...], "mentors": [...], ...}}

One record per line, in id order, so two exports diff well. A record holds the row's columns;
a link to another record is its UUID under the link's name (`"mentor": "<uuid>"` instead of
`mentor_id`), and a mentor carries its `arenas` (UUIDs) and `tags`, a group its `members`.
`id` is kept for reference: it is reused only when the target table is empty (a move to a new
machine keeps `#12` meaning the same meeting); otherwise the store assigns new ids.

Importing: `read_json` reads the file once to check it (syntax, envelope, a newer format version
refused) and notes where each table starts; `merge.merge` then reads the tables again, in the order
it needs them and one record at a time (`jsonstream`), matching records by UUID (rules in `merge`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, TextIO

from mentorkit import __version__
from mentorkit.clock import to_db
from mentorkit.errors import InvalidInput
from mentorkit.exchange import Progress, no_progress
from mentorkit.exchange.jsonstream import Malformed, Mark, NotUtf8, Reader, TooLarge
from mentorkit.exchange.tables import SPECS, Spec, columns_of

FORMAT = "mentorkit"
FORMAT_VERSION = 1
BATCH = 2000


# --- export ----------------------------------------------------------------------------------


def _uuid_by_id(conn: sqlite3.Connection, table: str) -> dict[int, str]:
    return dict(conn.execute(f"SELECT id, uuid FROM {table}").fetchall())


def iter_records(conn: sqlite3.Connection, spec: Spec, maps: dict[str, dict[int, str]]) -> Iterator[dict[str, Any]]:
    """The table's records as the file holds them, in id order."""
    cols = columns_of(conn, spec)
    sets: dict[str, dict[int, list[Any]]] = {}
    for link in spec.sets:
        grouped: dict[int, list[Any]] = {}
        target = maps[link.ref] if link.ref else None
        for own, other in conn.execute(f"SELECT {link.own}, {link.other} FROM {link.table}"):
            grouped.setdefault(own, []).append(target[other] if target is not None else other)
        for values in grouped.values():
            values.sort(key=lambda v: (v.casefold(), v))
        sets[link.key] = grouped
    names = ", ".join(["id", *(c.name for c in cols)])
    cursor = conn.execute(f"SELECT {names} FROM {spec.table} ORDER BY id")
    cursor.row_factory = None  # plain tuples: faster than sqlite3.Row for 100k rows
    for row in cursor:
        record: dict[str, Any] = {"id": row[0]}
        for col, value in zip(cols, row[1:], strict=True):
            record[col.key] = maps[col.ref][value] if (col.ref and value is not None) else value
        for link in spec.sets:
            record[link.key] = sets[link.key].get(row[0], [])
        yield record


def export_json(
    conn: sqlite3.Connection, out: TextIO, *, now: datetime, schema_version: int, progress: Progress = no_progress
) -> dict[str, int]:
    """Write the whole store as JSON to `out`; return the number of records per table key."""
    maps = {spec.table: _uuid_by_id(conn, spec.table) for spec in SPECS}
    head = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": to_db(now),
        "generator": f"mentorkit {__version__}",
        "schema_version": schema_version,
    }
    out.write("{\n")
    for key, value in head.items():
        out.write(f" {json.dumps(key)}: {json.dumps(value)},\n")
    out.write(' "tables": {')
    counts: dict[str, int] = {}
    for n, spec in enumerate(SPECS):
        out.write(("," if n else "") + f"\n  {json.dumps(spec.key)}: [")
        count = 0
        for record in iter_records(conn, spec, maps):
            out.write(("," if count else "") + "\n   " + json.dumps(record, ensure_ascii=False))
            count += 1
            if count % BATCH == 0:
                progress(BATCH)
        progress(count % BATCH)
        out.write("\n  ]" if count else "]")
        counts[spec.key] = count
    out.write("\n }\n}\n")
    return counts


def count_records(conn: sqlite3.Connection) -> int:
    return sum(conn.execute(f"SELECT count(*) FROM {spec.table}").fetchone()[0] for spec in SPECS)


# --- import: reading ------------------------------------------------------------------------

MAX_RECORD = 1 << 24  # characters in one record; mentorkit's are far smaller (texts stop at 100,000)


@dataclass(frozen=True)
class _Table:
    start: Mark  # its "["
    count: int


class JsonExport(Mapping[str, Iterable[dict[str, Any]]]):
    """A checked export file, its tables by key. A table is read from the file again each time it
    is asked for, one record at a time, so an import never holds all of a table's records."""

    def __init__(self, handle: BinaryIO, source: str, tables: dict[str, _Table]) -> None:
        self._handle, self._source, self._tables = handle, source, tables

    def __getitem__(self, key: str) -> Iterator[dict[str, Any]]:
        return self._read(key, self._tables[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    @property
    def records(self) -> int:
        return sum(table.count for table in self._tables.values())

    def _read(self, key: str, table: _Table) -> Iterator[dict[str, Any]]:
        with _reading(self._source):
            for record in Reader(self._handle, at=table.start, max_value=MAX_RECORD).elements():
                if not isinstance(record, dict):  # the file changed since it was checked
                    raise InvalidInput(_not_records(self._source, key))
                yield record


def read_json(handle: BinaryIO, source: str) -> JsonExport:
    """Check a whole mentorkit JSON export in one pass (its syntax, envelope and tables), keeping
    only where each table starts and how many records it has. Refuses broken JSON, files that are
    not exports and newer format versions, in that order (as parsing it whole and then checking)."""
    with _reading(source):
        head, tables, problem = _scan(Reader(handle, max_value=MAX_RECORD), source)
    if head.get("format") != FORMAT:
        raise InvalidInput(
            f'{source} is JSON but not a mentorkit export (no "format": "mentorkit"); '
            "export one with `mentorkit export --format json`"
        )
    version = head.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(f"{source} has no valid format_version; it is not a mentorkit export")
    if version > FORMAT_VERSION:
        raise InvalidInput(
            f"{source} was written by a newer mentorkit (format version {version}; this one "
            f"reads up to {FORMAT_VERSION}); upgrade mentorkit to import it. Nothing was imported"
        )
    if tables is None:
        raise InvalidInput(f'{source} has no "tables" object; it is not a complete mentorkit export')
    if problem:
        raise InvalidInput(problem)
    return JsonExport(handle, source, tables)


def _scan(reader: Reader, source: str) -> tuple[dict[str, Any], dict[str, _Table] | None, str | None]:
    """The document's top-level values except "tables", its tables, and the first problem found in
    them. A key given twice is a problem (json.loads would silently keep the last)."""
    head: dict[str, Any] = {}
    tables: dict[str, _Table] | None = None
    problem: str | None = None
    if reader.peek() != "{":
        reader.value()  # any other JSON value is not an export, but broken JSON is broken first
    else:
        for key in reader.members():
            if key in head or (key == "tables" and tables is not None):
                problem = problem or f'{source} has the key "{key}" twice; an export has each once'
            if key == "tables" and reader.peek() == "{":
                tables, found = _scan_tables(reader, source)
                problem = problem or found
            else:
                head[key] = reader.value()
    reader.end()
    return head, tables, problem


def _scan_tables(reader: Reader, source: str) -> tuple[dict[str, _Table], str | None]:
    known = {spec.key for spec in SPECS}
    tables: dict[str, _Table] = {}
    problem: str | None = None
    for key in reader.members():
        if key in tables:
            problem = problem or f'{source} has the table "{key}" twice; an export lists each table once'
        elif key not in known:
            problem = problem or f"{source} has an unknown table {key!r}; it was not written by this format version"
        if reader.peek() != "[":
            reader.value()
            problem = problem or _not_records(source, key)
            continue
        start, count = reader.mark(), 0
        for record in reader.elements():
            if not isinstance(record, dict):
                problem = problem or _not_records(source, key)
            count += 1
        tables[key] = _Table(start, count)
    return tables, problem


def _not_records(source: str, key: str) -> str:
    return f'{source}: "{key}" must be a list of records'


@contextmanager
def _reading(source: str) -> Iterator[None]:
    """What the reader finds wrong with the file, as one line naming where."""
    try:
        yield
    except NotUtf8 as exc:
        raise InvalidInput(
            f"{source} is not valid UTF-8 at line {exc.line}; a mentorkit JSON export is "
            "always UTF-8, so the file is damaged"
        ) from None
    except Malformed as exc:
        what = "ends early (truncated?)" if exc.truncated else "is not valid JSON"
        raise InvalidInput(
            f"{source} {what} at line {exc.line}, column {exc.column}: {exc.problem}; nothing was imported"
        ) from None
    except TooLarge as exc:
        raise InvalidInput(
            f"{source} has a value of more than {MAX_RECORD:,} characters at line {exc.line}, far more "
            "than any record of a mentorkit export; nothing was imported"
        ) from None
    except RecursionError:  # {"a": {"a": ... nested thousands deep: no export looks like that
        raise InvalidInput(f"{source} nests JSON too deeply to be a mentorkit export; nothing was imported") from None
