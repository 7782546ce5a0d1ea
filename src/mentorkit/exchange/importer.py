"""`import` in two steps: read the whole file (no store needed), then apply it in one transaction.

Reading decides the format (from the content unless given), decodes and parses everything, so a
malformed file fails here, naming its line or record, before the store is touched. Applying runs
inside the caller's single write transaction: any error rolls back the whole import.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from mentorkit.errors import InvalidInput
from mentorkit.exchange import Progress, no_progress
from mentorkit.exchange.changes import ImportResult
from mentorkit.exchange.contacts import Contact

FORMATS = ("json", "csv", "vcard")
MAX_BYTES = 1_000_000_000  # 1 GB: far beyond any real export; refuses reading /dev/zero and such


@dataclass
class Parsed:
    format: str
    tables: dict[str, list[dict[str, Any]]] | None = None  # json and mentorkit's own CSVs
    csv: Any = None  # a csvio.CsvFile of mentorkit's own kind
    contacts: list[Contact] | None = None  # LinkedIn, generic CSV, vCard
    notes: list[str] = field(default_factory=list)
    kind: str = ""  # what the file was recognised as, for the summary
    records: int = 0


def guess_format(data: bytes) -> str:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "json"
    if head[:11].upper() == b"BEGIN:VCARD":
        return "vcard"
    return "csv"


def read_import(data: bytes, *, source: str, fmt: str | None = None, encoding: str = "utf-8",
                mapping: list[str] | None = None, today: date) -> Parsed:  # fmt: skip
    """Parse a whole file; raise InvalidInput naming the line or record of anything malformed."""
    if not data.strip():
        raise InvalidInput(f"{source} is empty; nothing was imported")
    if fmt is None and data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper() == b"BEGIN:VCALENDAR":
        raise InvalidInput(
            f"{source} is an iCalendar file; import reads mentorkit JSON or CSV exports, CSVs of "
            "people and vCards (calendars are for export only); nothing was imported"
        )
    chosen = (fmt or guess_format(data)).lower()
    if chosen not in FORMATS:
        raise InvalidInput(f"unknown import format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if mapping and chosen != "csv":
        raise InvalidInput("--map applies to CSV files only")
    if chosen == "json":
        from mentorkit.exchange.jsonio import parse_json

        tables = parse_json(data, source)
        return Parsed("json", tables=tables, kind="mentorkit JSON export",
                      records=sum(len(v) for v in tables.values()))  # fmt: skip
    if chosen == "vcard":
        from mentorkit.exchange.csvio import decode_text
        from mentorkit.exchange.vcard import contacts_from_vcard

        contacts, notes = contacts_from_vcard(decode_text(data, source, encoding), source)
        return Parsed("vcard", contacts=contacts, notes=notes, kind="vCard", records=len(contacts))
    from mentorkit.exchange import csvio

    csvfile = csvio.read_csv(data, source, encoding)
    if csvfile.kind in csvio.OWN_COLUMNS:
        if mapping:
            raise InvalidInput("--map is for other tools' CSVs; this is a mentorkit CSV and maps itself")
        return Parsed("csv", csv=csvfile, kind=f"mentorkit {csvfile.kind} CSV", records=len(csvfile.rows))
    contacts, notes = csvio.contacts_from_csv(csvfile, csvio.parse_mapping(mapping or []), source, today)
    kind = "LinkedIn connections" if csvfile.kind == "linkedin" else "CSV of people"
    return Parsed("csv", contacts=contacts, notes=notes, kind=kind, records=len(contacts))


def apply_import(conn: sqlite3.Connection, parsed: Parsed, *, now: datetime, zone: tzinfo, source: str,
                 progress: Progress = no_progress) -> ImportResult:  # fmt: skip
    """Write what `read_import` found (inside the caller's one write transaction)."""
    from mentorkit.exchange.merge import merge

    result = ImportResult(parsed.format, notes=list(parsed.notes))
    if parsed.tables is not None or parsed.csv is not None:
        try:
            if parsed.tables is not None:
                merge(conn, parsed.tables, result, progress)
            else:
                from mentorkit.exchange.contacts import ensure_arenas
                from mentorkit.exchange.csvio import arena_names, own_records

                ensure_arenas(conn, now, arena_names(parsed.csv), result)
                merge(conn, own_records(conn, parsed.csv, source), result, progress)
        except InvalidInput as exc:
            text = str(exc)
            raise InvalidInput(text if text.startswith(source) else f"{source}: {text}") from None
    else:
        from mentorkit.exchange.contacts import add_contacts

        add_contacts(conn, now, zone, parsed.contacts or [], result, progress)
    return result
