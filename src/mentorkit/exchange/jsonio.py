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

Importing: `parse_json` checks the envelope (and refuses a newer format version) and returns the
tables; `merge.merge` applies them, matching records by UUID (rules in `merge`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO

from mentorkit import __version__
from mentorkit.clock import to_db
from mentorkit.errors import InvalidInput
from mentorkit.exchange import Progress, no_progress
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


def export_json(conn: sqlite3.Connection, out: TextIO, *, now: datetime, schema_version: int,
                progress: Progress = no_progress) -> dict[str, int]:  # fmt: skip
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


# --- import: parsing -------------------------------------------------------------------------


def _where(exc: UnicodeDecodeError | json.JSONDecodeError, data: bytes) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"line {exc.lineno}, column {exc.colno}"
    line = data[: exc.start].count(b"\n") + 1
    return f"line {line}"


def parse_json(data: bytes, source: str) -> dict[str, list[dict[str, Any]]]:
    """The tables of a mentorkit JSON export. Refuses broken JSON and newer format versions."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{source} is not valid UTF-8 at {_where(exc, data)}; a mentorkit JSON export is "
            "always UTF-8, so the file is damaged"
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        what = "ends early (truncated?)" if cut else "is not valid JSON"
        raise InvalidInput(f"{source} {what} at {_where(exc, data)}: {exc.msg}; nothing was imported") from None
    except RecursionError:  # {"a": {"a": ... nested thousands deep: no export looks like that
        raise InvalidInput(f"{source} nests JSON too deeply to be a mentorkit export; nothing was imported") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput(
            f'{source} is JSON but not a mentorkit export (no "format": "mentorkit"); '
            "export one with `mentorkit export --format json`"
        )
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(f"{source} has no valid format_version; it is not a mentorkit export")
    if version > FORMAT_VERSION:
        raise InvalidInput(
            f"{source} was written by a newer mentorkit (format version {version}; this one "
            f"reads up to {FORMAT_VERSION}); upgrade mentorkit to import it. Nothing was imported"
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise InvalidInput(f'{source} has no "tables" object; it is not a complete mentorkit export')
    known = {spec.key for spec in SPECS}
    for key, records in tables.items():
        if key not in known:
            raise InvalidInput(f"{source} has an unknown table {key!r}; it was not written by this format version")
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise InvalidInput(f'{source}: "{key}" must be a list of records')
    return tables
