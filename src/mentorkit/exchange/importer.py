"""`import` in two steps: read and check the whole file (no store needed), then apply it in one
transaction.

Reading decides the format (from the content unless given) and checks everything, so a malformed
file fails here, naming its line or record, before the store is touched. A JSON export is only
checked and indexed here (`jsonio.read_json`) and read again, record by record, while it is
applied, so its size is not held in memory; CSV and vCard files, small by nature, are parsed
whole. Applying runs inside the caller's single write transaction: any error rolls back the whole
import.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, BinaryIO

from mentorkit.errors import InvalidInput
from mentorkit.exchange import Progress, no_progress
from mentorkit.exchange.changes import ImportResult
from mentorkit.exchange.contacts import Contact

FORMATS = ("json", "csv", "vcard")
MAX_BYTES = 1_000_000_000  # 1 GB: far beyond any real export; refuses reading /dev/zero and such
HEAD = 4096  # bytes that decide the format
COPY_CHUNK = 1 << 20


@dataclass
class Parsed:
    format: str
    tables: Mapping[str, Iterable[dict[str, Any]]] | None = None  # json and mentorkit's own CSVs
    csv: Any = None  # a csvio.CsvFile of mentorkit's own kind
    contacts: list[Contact] | None = None  # LinkedIn, generic CSV, vCard
    notes: list[str] = field(default_factory=list)
    kind: str = ""  # what the file was recognised as, for the summary
    records: int = 0


def too_large(source: str) -> InvalidInput:
    return InvalidInput(f"{source} is larger than {MAX_BYTES // 1_000_000} MB; that is not a mentorkit import")


@contextmanager
def spooled(stream: BinaryIO, source: str) -> Iterator[BinaryIO]:
    """A stream that can be read only once (stdin, a pipe) copied into a private temporary file
    (0600, removed when closed; on Linux it never has a name), so a JSON export can be read twice."""
    with tempfile.TemporaryFile() as copy:
        size = 0
        while chunk := stream.read(COPY_CHUNK):
            size += len(chunk)
            if size > MAX_BYTES:
                raise too_large(source)
            copy.write(chunk)
        copy.seek(0)
        yield copy


def _blank(handle: BinaryIO) -> bool:
    """Whether the file holds only whitespace (reads only until it finds something else)."""
    while chunk := handle.read(COPY_CHUNK):
        if chunk.strip():
            return False
    return True


def guess_format(head: bytes) -> str:
    """The format of a file from its first bytes (without a byte-order mark and leading space)."""
    if head.startswith((b"{", b"[")):  # JSON of any shape: read as JSON, it is refused as JSON
        return "json"
    if head[:11].upper() == b"BEGIN:VCARD":
        return "vcard"
    return "csv"


def _refuse_binary(head: bytes, source: str) -> None:
    """A store, a backup or a spreadsheet is named as such, not as a CSV that is not UTF-8."""
    if head.startswith(b"SQLite format 3\x00"):
        raise InvalidInput(
            f"{source} is an SQLite database (a mentorkit store or backup?), not an import file; "
            "to bring back a backup use `mentorkit restore`; nothing was imported"
        )
    if head.startswith(b"PK\x03\x04"):
        raise InvalidInput(
            f"{source} is a ZIP archive (a spreadsheet?), not an import file; save it as CSV "
            "(UTF-8) and import that; nothing was imported"
        )


def read_import(
    handle: BinaryIO,
    *,
    source: str,
    fmt: str | None = None,
    encoding: str = "utf-8",
    mapping: list[str] | None = None,
    today: date,
) -> Parsed:
    """Check a whole file (a seekable one, read from the start); raise InvalidInput naming the
    line or record of anything malformed."""
    if fmt != "json":
        from mentorkit.exchange.csvio import text_codec

        text_codec(encoding)  # an unknown --encoding is refused before the file is read
    if _blank(handle):
        raise InvalidInput(f"{source} is empty; nothing was imported")
    handle.seek(0)
    head = handle.read(HEAD).lstrip(b"\xef\xbb\xbf \t\r\n")
    handle.seek(0)
    _refuse_binary(head, source)
    if fmt is None and head[:15].upper() == b"BEGIN:VCALENDAR":
        raise InvalidInput(
            f"{source} is an iCalendar file; import reads mentorkit JSON or CSV exports, CSVs of "
            "people and vCards (calendars are for export only); nothing was imported"
        )
    chosen = (fmt or guess_format(head)).lower()
    if chosen not in FORMATS:
        raise InvalidInput(f"unknown import format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if mapping and chosen != "csv":
        raise InvalidInput("--map applies to CSV files only")
    if chosen == "json":
        from mentorkit.exchange.jsonio import read_json

        export = read_json(handle, source)
        return Parsed("json", tables=export, kind="mentorkit JSON export", records=export.records)
    if chosen == "vcard":
        import io

        from mentorkit.exchange.csvio import not_decodable, text_codec
        from mentorkit.exchange.vcard import contacts_from_vcard

        codec = text_codec(encoding)
        stream = io.TextIOWrapper(handle, encoding=codec, newline=None)
        try:
            contacts, notes = contacts_from_vcard(stream, source)
        except UnicodeDecodeError:
            raise not_decodable(handle, codec, source, encoding) from None
        finally:
            stream.detach()  # the caller owns the file
        return Parsed("vcard", contacts=contacts, notes=notes, kind="vCard", records=len(contacts))
    from mentorkit.exchange import csvio

    csvfile = csvio.read_csv(handle, source, encoding)
    if csvfile.kind in csvio.OWN_COLUMNS:
        if mapping:
            raise InvalidInput("--map is for other tools' CSVs; this is a mentorkit CSV and maps itself")
        return Parsed("csv", csv=csvfile, kind=f"mentorkit {csvfile.kind} CSV", records=csvfile.count)
    from mentorkit.exchange.csvpeople import contacts_from_csv, parse_mapping

    contacts, notes = contacts_from_csv(csvfile, parse_mapping(mapping or []), source, today)
    kind = "LinkedIn connections" if csvfile.kind == "linkedin" else "CSV of people"
    return Parsed("csv", contacts=contacts, notes=notes, kind=kind, records=len(contacts))


def apply_import(
    conn: sqlite3.Connection,
    parsed: Parsed,
    *,
    now: datetime,
    zone: tzinfo,
    source: str,
    progress: Progress = no_progress,
    accept: Callable[[int], bool] | None = None,
) -> ImportResult:
    """Write what `read_import` found (inside the caller's one write transaction). `accept`
    decides the name-only suggestions of people from other tools (exchange/contacts.py); by
    default none is accepted."""
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

        if accept is None:
            add_contacts(conn, now, zone, parsed.contacts or [], result, progress)
        else:
            add_contacts(conn, now, zone, parsed.contacts or [], result, progress, accept)
    return result
