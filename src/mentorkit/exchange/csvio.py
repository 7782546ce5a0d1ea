"""CSV cells, columns and import: mentorkit's own CSVs read back, and the checked reading of any CSV.

Cells: a cell a spreadsheet would run as a formula — one starting with `=`, `+`, `-`, `@`, a tab
or a carriage return — gets a leading apostrophe on export (the OWASP advice); so does a cell that
already starts with an apostrophe followed by one of those or by another apostrophe, which makes
the change reversible: the importer removes exactly one leading apostrophe from such cells. Lists
(arenas, tags) are joined with "; ", with `\\;` and `\\\\` escaping a semicolon or backslash inside a
value. The export itself is `csvexport`.

Import recognises three kinds of file by their header:
- mentorkit's own CSVs (a `uuid` column and the export's columns): merged by UUID like JSON;
- LinkedIn's `Connections.csv` (a UTF-8 BOM, a "Notes:" preamble, then `First Name,Last Name,
  URL,Email Address,Company,Position,Connected On`): each row becomes a prospect, source LinkedIn;
- any other CSV of people: its header is mapped to mentor fields (`csvpeople`).
`read_csv` checks a file in one pass as it is read; `CsvFile.rows()` reads its rows again.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, TextIO

from mentorkit.errors import InvalidInput

WHAT = ("mentors", "meetings", "followups")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
STAGE_NAMESPACE = uuid.UUID("6f1c1c52-3b8e-4a53-9d0e-6d1f7c0b2a41")  # stage history of CSV imports

MENTOR_COLUMNS = (
    "uuid",
    "name",
    "kind",
    "email",
    "institution",
    "title",
    "profile_url",
    "location",
    "timezone",
    "local",
    "stage",
    "stage_changed_at",
    "pilot_review_on",
    "end_reason",
    "source",
    "channels",
    "cadence",
    "cadence_label",
    "arenas",
    "tags",
    "notes",
    "created_at",
    "updated_at",
)
MEETING_COLUMNS = (
    "uuid",
    "starts_at",
    "local_start",
    "timezone",
    "minutes",
    "mode",
    "status",
    "mentor",
    "mentor_uuid",
    "group",
    "group_uuid",
    "agenda",
    "notes",
    "summary_sent_at",
    "created_at",
    "updated_at",
)
FOLLOWUP_COLUMNS = (
    "uuid",
    "text",
    "owner",
    "due_on",
    "status",
    "mentor",
    "mentor_uuid",
    "group",
    "group_uuid",
    "meeting_uuid",
    "created_at",
    "done_at",
    "updated_at",
)
NEWER_COLUMNS = frozenset({"title", "profile_url"})
"""Columns of mentorkit's own CSVs that older exports lack (schema 12); such a file still reads."""
OWN_COLUMNS = {"mentors": MENTOR_COLUMNS, "meetings": MEETING_COLUMNS, "followups": FOLLOWUP_COLUMNS}
LINKEDIN_HEADER = ("first name", "last name", "url", "email address", "company", "position", "connected on")


# --- cells -----------------------------------------------------------------------------------


def neutralise(value: str) -> str:
    """The cell as a spreadsheet will show it, never run it (see the module docstring)."""
    if value[:1] in TRIGGERS or (value[:1] == "'" and value[1:2] in (*TRIGGERS, "'")):
        return "'" + value
    return value


def restore(value: str) -> str:
    """Undo `neutralise`."""
    if value[:1] == "'" and value[1:2] in (*TRIGGERS, "'"):
        return value[1:]
    return value


def join_list(values: list[str]) -> str:
    return "; ".join(v.replace("\\", "\\\\").replace(";", "\\;") for v in values)


def split_list(text: str) -> list[str]:
    items, current, escaped = [], [], False
    for ch in text:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ";":
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return [i.strip() for i in items if i.strip()]


# --- import: reading -------------------------------------------------------------------------


def text_codec(encoding: str) -> str:
    """The codec that reads text in `encoding` (a byte-order mark skipped for UTF-8). Refuses, as
    one line, a name Python does not know and codecs that do not turn bytes into text (`base64`,
    `rot13`, `undefined`...)."""
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        b"a".decode(codec)  # b"" would not do: several codecs return "" without looking
    except UnicodeDecodeError:
        pass  # a real text codec (UTF-16 wants two bytes)
    except (LookupError, UnicodeError, TypeError, ValueError):
        raise InvalidInput(
            f"--encoding {encoding!r} is not a text encoding Python knows; try utf-8, cp1252 or latin-1"
        ) from None
    return codec


def normal_header(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.casefold()).strip()


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


MAX_PEOPLE = 100_000
"""Rows of a CSV of people (LinkedIn, any other tool, a mentorkit mentors CSV) read in one import:
far more than anyone's contacts (LinkedIn and Google stop at 30,000 and 25,000), and enough to
keep an import's memory bounded. mentorkit's own meetings and follow-ups CSVs have no such limit:
their rows are read again, a few thousand at a time, while they are merged."""


@dataclass
class CsvFile:
    """A checked CSV file: its kind, header and number of rows. `rows()` reads the rows again
    from the file each time (the file is not held in memory)."""

    kind: str  # mentors, meetings, followups (mentorkit's own), linkedin, generic
    header: list[str]
    count: int = 0
    _handle: BinaryIO | None = field(default=None, repr=False)
    _codec: str = "utf-8-sig"
    _delimiter: str = ","
    _skipped: int = 0  # lines of a preamble above the header

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(first line, cells) of each row that is not blank, read again from the file."""
        assert self._handle is not None
        self._handle.seek(0)
        stream = io.TextIOWrapper(self._handle, encoding=self._codec, newline="")
        try:
            lines = iter(stream)
            for _ in range(self._skipped):
                next(lines)
            reader = csv.reader(lines, delimiter=self._delimiter, strict=True)
            next(reader)  # the header
            previous = reader.line_num
            for cells in reader:
                start = self._skipped + previous + 1
                previous = reader.line_num
                if cells and (len(cells) > 1 or cells[0].strip()):
                    yield start, [restore(c) for c in cells]
        finally:
            stream.detach()  # the caller owns the file


def not_decodable(handle: BinaryIO, codec: str, source: str, encoding: str) -> InvalidInput:
    """The error for a file that is not in `encoding`, naming the first line that is not: found
    by decoding the file again line by line (a text stream decodes ahead, in chunks)."""
    handle.seek(0)
    decoder = codecs.getincrementaldecoder(codec)()
    line = 1
    try:
        for raw in iter(lambda: handle.read(1 << 16), b""):
            for part in raw.splitlines(keepends=True):
                decoder.decode(part)
                line += part.endswith((b"\n", b"\r"))
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        pass
    return InvalidInput(
        f"{source} is not valid {encoding} at line {line}; save it as UTF-8, or give its "
        "encoding with --encoding (e.g. cp1252); nothing was imported"
    )


def _checked_lines(stream: TextIO, source: str) -> Iterator[str]:
    """The file's lines, refusing a NUL byte (the caller names text that is not in its encoding)."""
    for number, line in enumerate(stream, 1):
        if "\x00" in line:
            raise InvalidInput(f"{source} line {number} contains a NUL byte; it is not a text CSV file")
        yield line


def read_csv(handle: BinaryIO, source: str, encoding: str = "utf-8") -> CsvFile:
    """Check a whole CSV file in one pass, naming the line of anything malformed, without holding
    its rows (`CsvFile.rows` reads them again)."""
    codec = text_codec(encoding)
    handle.seek(0)
    stream = io.TextIOWrapper(handle, encoding=codec, newline="")
    try:
        return _check_csv(stream, handle, codec, source)
    except UnicodeDecodeError:
        raise not_decodable(handle, codec, source, encoding) from None
    finally:
        stream.detach()


def _check_csv(stream: TextIO, handle: BinaryIO, codec: str, source: str) -> CsvFile:
    lines = _checked_lines(stream, source)
    skipped = 0
    header_line = next(lines, "")
    if header_line.strip().lower().startswith("notes:"):  # LinkedIn puts a note above the header
        while not normal_header(header_line).startswith("first name last name"):
            skipped += 1
            following = next(lines, None)
            if following is None:
                raise InvalidInput(f"{source} starts with a Notes: preamble but has no header row after it")
            header_line = following
    delimiter = _delimiter(header_line.split("\n", 1)[0])
    reader = csv.reader(itertools.chain([header_line], lines), delimiter=delimiter, strict=True)
    previous = 0
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise InvalidInput(f"{source} is empty or has no header row; the first line must name the columns")
        header = [h.strip() for h in header]
        result = CsvFile(_kind(header), header, 0, handle, codec, delimiter, skipped)
        limited = result.kind not in ("meetings", "followups")
        previous = reader.line_num
        for cells in reader:
            start = skipped + previous + 1
            previous = reader.line_num
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if len(cells) != len(header):
                raise InvalidInput(
                    f"{source} line {start} has {len(cells)} fields but the header has {len(header)}; "
                    "fix that row (a stray comma or quote?); nothing was imported"
                )
            result.count += 1
            if limited and result.count > MAX_PEOPLE:
                raise InvalidInput(
                    f"{source} holds more than {MAX_PEOPLE:,} people (line {start}); import it in parts "
                    "of at most that many rows; nothing was imported"
                )
    except csv.Error as exc:
        begin = skipped + previous + 1  # the first line of the record being read
        why = "a quote opened there is never closed" if "end of data" in str(exc) else str(exc)
        raise InvalidInput(
            f"{source} line {begin} is not valid CSV ({why}); fix that row; nothing was imported"
        ) from None
    return result


def _kind(header: list[str]) -> str:
    names = [h.casefold() for h in header]
    for what, columns in OWN_COLUMNS.items():
        if set(columns) - NEWER_COLUMNS <= set(names):
            return what
    if tuple(normal_header(h) for h in header[:7]) == LINKEDIN_HEADER:
        return "linkedin"
    return "generic"


LOCAL_WORDS = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "local": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "remote": False,
}


# --- import: mentorkit's own CSVs ------------------------------------------------------------


def _none(text: str) -> str | None:
    return text if text != "" else None


def own_records(conn: sqlite3.Connection, csvfile: CsvFile, source: str) -> dict[str, Iterable[dict[str, Any]]]:
    """mentorkit's own CSV rows as merge records (see `merge`), links by UUID. Mentors (at most
    MAX_PEOPLE) are listed, with the stage history new ones start with; meetings and follow-ups
    are read from the file again as the merge takes them, so none is held."""
    from mentorkit.exchange.merge import LINE

    records = _own_records(conn, csvfile, source)
    if csvfile.kind != "mentors":
        return {csvfile.kind: records}
    known = {r[0] for r in conn.execute("SELECT uuid FROM mentor")}
    mentors = list(records)
    stage_changes = [
        _first_stage(r, r[LINE]) for r in mentors if r.get("uuid") not in known and r.get("stage_changed_at")
    ]
    tables: dict[str, Iterable[dict[str, Any]]] = {"mentors": mentors}
    if stage_changes:
        tables["stage_changes"] = stage_changes
    return tables


def _own_records(conn: sqlite3.Connection, csvfile: CsvFile, source: str) -> Iterator[dict[str, Any]]:
    from mentorkit.exchange.merge import LINE

    index = {h.casefold(): i for i, h in enumerate(csvfile.header)}
    arenas: dict[str, str] = {}
    if csvfile.kind == "mentors":
        arenas = {name.casefold(): uid for uid, name in conn.execute("SELECT uuid, name FROM arena")}
    for line, cells in csvfile.rows():
        row = {name: cells[index[name]] if name in index else "" for name in OWN_COLUMNS[csvfile.kind]}
        where = f"{source} line {line}"
        record: dict[str, Any] = {LINE: line}
        if csvfile.kind == "mentors":
            _mentor_record(row, record, arenas, where)
        elif csvfile.kind == "meetings":
            for key in (
                "uuid",
                "starts_at",
                "timezone",
                "mode",
                "status",
                "agenda",
                "notes",
                "summary_sent_at",
                "created_at",
                "updated_at",
            ):
                record[key] = _none(row[key])
            record["mentor"], record["group"] = _none(row["mentor_uuid"]), _none(row["group_uuid"])
            if row["minutes"]:
                try:
                    record["minutes"] = int(row["minutes"])
                except ValueError:
                    raise InvalidInput(f"{where}: minutes must be a whole number") from None
        else:
            for key in ("uuid", "text", "owner", "due_on", "status", "created_at", "done_at", "updated_at"):
                record[key] = _none(row[key])
            record["mentor"], record["group"] = _none(row["mentor_uuid"]), _none(row["group_uuid"])
            record["meeting"] = _none(row["meeting_uuid"])
        yield {k: v for k, v in record.items() if v is not None}


def _mentor_record(row: dict[str, str], record: dict[str, Any], arenas: dict[str, str], where: str) -> None:
    for key in (
        "uuid",
        "name",
        "kind",
        "email",
        "institution",
        "title",
        "profile_url",
        "location",
        "timezone",
        "stage",
        "stage_changed_at",
        "pilot_review_on",
        "end_reason",
        "source",
        "channels",
        "cadence",
        "cadence_label",
        "notes",
        "created_at",
        "updated_at",
    ):
        record[key] = _none(row[key])
    if row["local"]:
        flag = LOCAL_WORDS.get(row["local"].casefold())
        if flag is None:
            raise InvalidInput(f"{where}: local must be yes, no or empty")
        record["is_local"] = int(flag)
    names = split_list(row["arenas"])
    missing = [n for n in names if n.casefold() not in arenas]
    if missing:
        raise InvalidInput(f"{where}: unknown arena {missing[0]!r}")  # ensure_arenas ran first: a bug if here
    record["arenas"] = [arenas[n.casefold()] for n in names]
    record["tags"] = split_list(row["tags"])


def arena_names(csvfile: CsvFile) -> list[str]:
    """The arenas a mentors CSV names (created before the merge when the store lacks them)."""
    if csvfile.kind != "mentors":
        return []
    column = [h.casefold() for h in csvfile.header].index("arenas")
    return [name for _, cells in csvfile.rows() for name in split_list(cells[column])]


def _first_stage(record: dict[str, Any], line: int) -> dict[str, Any]:
    """The stage history a new mentor from a CSV starts with; its UUID is derived, so a second
    import of the same file finds it again instead of adding another."""
    from mentorkit.exchange.merge import LINE

    stamp = record["stage_changed_at"]
    stage = record.get("stage", "prospect")
    uid = uuid.uuid5(STAGE_NAMESPACE, f"{record['uuid']}/{stage}/{stamp}")
    return {
        LINE: line,
        "uuid": str(uid),
        "mentor": record["uuid"],
        "stage": stage,
        "changed_at": stamp,
        "reason": record.get("end_reason") if stage == "ended" else None,
    }
