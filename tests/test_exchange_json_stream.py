"""Importing JSON in bounded memory: the incremental reader, the two passes over an export, and
everything `import` refused or guaranteed before (names the place, writes nothing) kept."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import threading
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exchange_helpers import NOW, big_store, counts, dump, seed
from mentorkit.exchange import jsonio
from mentorkit.exchange.changes import ImportResult
from mentorkit.exchange.jsonstream import Malformed, NotUtf8, Reader, TooLarge
from mentorkit.exchange.merge import BATCH, merge
from mentorkit.store.db import open_store
from mentorkit.store.migrations import current_version
from reliability_helpers import fingerprint


def _walk(reader: Reader) -> Any:
    """The whole document through the reader: objects by member, arrays element by element."""
    if reader.peek() == "{":
        return {key: _walk(reader) for key in reader.members()}
    if reader.peek() == "[":
        return list(reader.elements())
    return reader.value()


def _read(data: bytes, chunk: int) -> Any:
    reader = Reader(io.BytesIO(data), chunk=chunk)
    document = _walk(reader)
    reader.end()
    return document


# --- the reader ------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    document=st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=5) | st.lists(JSON_VALUES, max_size=5),
    indent=st.sampled_from([None, 0, 1, "\t"]),
    ascii_only=st.booleans(),
    bom=st.booleans(),
    chunk=st.integers(1, 40),
)
def test_the_reader_reads_what_json_loads_reads(
    document: Any, indent: Any, ascii_only: bool, bom: bool, chunk: int
) -> None:
    text = json.dumps(document, indent=indent, ensure_ascii=ascii_only)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    assert _read(data, chunk) == json.loads(text)


TRICKY = [
    'a "quoted" word',
    "brackets ]}[{, and a colon:",
    "back\\slash\\",
    "é, ß and 🌱 raw",
    "\u2028\t\n",
    "\\u00e9 written out",
    "",
    "x" * 100,
]


@pytest.mark.parametrize("ascii_only", [True, False])
def test_strings_that_straddle_the_window_come_through_whole(ascii_only: bool) -> None:
    """Escapes (\\", \\uXXXX, surrogate pairs), brackets and multi-byte characters cut by every
    possible window boundary."""
    document = {"tables": {"t": [{"text": t, "n": 12.5e3, "more": [t, {"k": t}]} for t in TRICKY]}}
    data = json.dumps(document, ensure_ascii=ascii_only, indent=1).encode("utf-8")
    for chunk in range(1, 24):
        assert _read(data, chunk) == document


@pytest.mark.parametrize(
    "text",
    [
        '{"a" 1}',
        '{"a":1 "b":2}',
        "{,}",
        "[1 2]",
        '{"a":1}x',
        "",
        "[1,]",
        '{"a":1,}',
        '{"a":\n [1,\n  tru]}',
        '[\n"abc',
        '{"a": [1, 2',
        "[1.",
        '{"a":"x\ny"}',
        "{1:2}",
        "[-]",
        '  \n  {"k": nul',
        '"\\u12"',
        '{"é": "ü",\n "b": [1,\n  2 3]}',
    ],
)
def test_syntax_errors_are_named_as_json_loads_names_them(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    for chunk in (1, 2, 3, 7, 64):
        with pytest.raises(Malformed) as found:
            _read(text.encode("utf-8"), chunk)
        assert (found.value.problem, found.value.line, found.value.column) == (
            expected.value.msg,
            expected.value.lineno,
            expected.value.colno,
        )


@pytest.mark.parametrize(
    ("text", "truncated"),
    [('{"a": [1, 2', True), ('[\n"abc', True), ('{"a":', True), ("[1 2]", False), ('{"a":1}x', False)],
)
def test_a_text_that_stops_early_is_told_from_a_broken_one(text: str, truncated: bool) -> None:
    with pytest.raises(Malformed) as found:
        _read(text.encode(), 4)
    assert found.value.truncated is truncated


def test_bytes_that_are_not_utf8_are_named_by_line() -> None:
    data = '{\n "a": "é",\n "b": [1,\n  "caf'.encode() + b"\xe9" + b'"]}'
    for chunk in (1, 2, 5, 100):
        with pytest.raises(NotUtf8) as found:
            _read(data, chunk)
        assert found.value.line == 4
    with pytest.raises(NotUtf8):  # a multi-byte character cut by the end of the file
        _read('["é'.encode()[:-1], 3)


def test_a_mark_restarts_reading_with_the_right_lines_and_columns() -> None:
    good = '\ufeff{"é": "🌱ü",\n "a": [1, 2],\n  "b": [{"x": "ß"},\n   3]}'.encode()
    reader = Reader(io.BytesIO(good), chunk=3)
    marks = {}
    for key in reader.members():
        marks[key] = reader.mark()
        _walk(reader)
    assert list(Reader(io.BytesIO(good), at=marks["b"]).elements()) == [{"x": "ß"}, 3]
    bad = good.replace(b"3]", b"3 4]")  # the same up to there: a second pass over a changed file
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(bad.decode("utf-8-sig"))
    with pytest.raises(Malformed) as found:
        list(Reader(io.BytesIO(bad), at=marks["b"], chunk=2).elements())
    assert (found.value.line, found.value.column) == (expected.value.lineno, expected.value.colno)


def test_a_value_longer_than_the_limit_is_refused_not_read_into_memory() -> None:
    data = json.dumps(["short", "x" * 5000, "never reached"]).encode()
    reader = Reader(io.BytesIO(data), max_value=1000, chunk=64)
    items = reader.elements()
    assert next(items) == "short"
    with pytest.raises(TooLarge):
        next(items)


class _CountingFile(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.reads.append(len(data))
        return data


def test_the_reader_reads_lazily_in_a_bounded_window() -> None:
    records = [{"uuid": str(uuid.UUID(int=k)), "text": f"record {k}"} for k in range(20_000)]
    data = json.dumps({"tables": {"meetings": records}}, indent=1).encode()
    chunk = 4096
    handle = _CountingFile(data)
    reader = Reader(handle, chunk=chunk)
    next(reader.members())
    next(reader.members())
    first = next(reader.elements())
    assert first == records[0]
    assert sum(handle.reads) <= 2 * chunk < len(data) // 100  # one record needed one chunk, not the file
    assert max(handle.reads) <= chunk


# --- the export: checked in one pass, read again table by table ------------------------------


def _synthetic_export(records: int) -> bytes:
    def meeting(k: int) -> str:
        return json.dumps(
            {
                "id": k,
                "uuid": str(uuid.UUID(int=k)),
                "starts_at": "2026-01-01T10:00:00Z",
                "notes": f'Meeting {k}: "aims" [and] {{budget}} — é 🌱 ' * 3,
            },
            ensure_ascii=False,
        )

    body = ",".join("\n   " + meeting(k) for k in range(1, records + 1))
    return (
        '{\n "format": "mentorkit",\n "format_version": 1,\n "tables": {\n  "meetings": ['
        + body
        + '\n  ],\n  "flags": []\n }\n}\n'
    ).encode()


def _peak_reading(data: bytes) -> int:
    tracemalloc.start()
    try:
        export = jsonio.read_json(io.BytesIO(data), "big.json")
        seen = sum(1 for key in export for _ in export[key])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert export.records == seen
    return peak


def test_reading_an_export_takes_memory_that_does_not_grow_with_the_file() -> None:
    small, big = _synthetic_export(4000), _synthetic_export(24_000)  # 1 MB and 6.4 MB
    peak_small, peak_big = _peak_reading(small), _peak_reading(big)
    assert peak_big < 1.25 * peak_small, (peak_small, peak_big)  # json.loads: 6x the objects for 6x the file
    assert peak_big < len(big) / 2, (peak_big, len(big))


def _export(ok: Any, db: Path) -> dict[str, Any]:
    return json.loads(ok("--db", str(db), "export", "-f", "json").stdout)


def test_tables_in_any_order_import_as_the_export_does(ok: Any, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    doc = _export(ok, db_path)
    doc = {"tables": dict(reversed(doc["tables"].items())), **{k: v for k, v in doc.items() if k != "tables"}}
    path = tmp_path / "reversed.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    ok("--db", str(tmp_path / "b.db"), "import", str(path))
    assert dump(tmp_path / "b.db") == dump(db_path)


@pytest.mark.parametrize("layout", ["bom", "one line", "crlf", "empty tables"])
def test_any_layout_of_a_valid_export_imports(ok: Any, db_path: Path, tmp_path: Path, layout: str) -> None:
    seed(db_path)
    doc = _export(ok, db_path)
    if layout == "empty tables":
        doc["tables"].update(pitches=[], flags=[])
        doc["tables"]["meetings"] = []
        doc["tables"]["followups"] = [f for f in doc["tables"]["followups"] if not f.get("meeting")]
        doc["tables"]["advice"] = [a for a in doc["tables"]["advice"] if not a.get("meeting")]
    text = json.dumps(doc, indent=None if layout == "one line" else 3, ensure_ascii=False)
    variants = {"bom": b"\xef\xbb\xbf" + text.encode(), "crlf": text.replace("\n", "\r\n").encode()}
    data = variants.get(layout, text.encode())
    path = tmp_path / "layout.json"
    path.write_bytes(data)
    result = ok("--db", str(tmp_path / "b.db"), "import", str(path), "--json").json()
    assert result["tables"]["mentors"]["added"] == 5
    assert counts(tmp_path / "b.db")["meeting"] == len(doc["tables"]["meetings"])


def _edit(doc: dict[str, Any], change: str) -> str:
    """An export text with one thing wrong with it."""
    text = json.dumps(doc, indent=1)
    tables = doc["tables"]
    head = {k: v for k, v in doc.items() if k != "tables"}
    edits = {
        "duplicate table": lambda: text.replace('"tables": {', '"tables": {"flags": [], ', 1),
        "duplicate tables": lambda: text[: text.rindex("}")] + ', "tables": {}}',
        "unknown table": lambda: json.dumps({**doc, "tables": {**tables, "secrets": []}}),
        "table not a list": lambda: json.dumps({**doc, "tables": {**tables, "flags": {}}}),
        "record not an object": lambda: json.dumps({**doc, "tables": {**tables, "meetings": [7]}}),
        "no format_version": lambda: json.dumps({k: v for k, v in doc.items() if k != "format_version"}),
        "format_version true": lambda: json.dumps({**doc, "format_version": True}),
        "format_version text": lambda: json.dumps({**doc, "format_version": "1"}),
        "no tables": lambda: json.dumps(head),
        "tables not an object": lambda: json.dumps({**head, "tables": [1]}),
        "trailing garbage": lambda: text + "\n{}",
        "top level array": lambda: json.dumps([doc]),
    }
    return edits[change]()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("duplicate table", 'has the table "flags" twice'),
        ("duplicate tables", 'has the key "tables" twice'),
        ("unknown table", "has an unknown table 'secrets'"),
        ("table not a list", '"flags" must be a list of records'),
        ("record not an object", '"meetings" must be a list of records'),
        ("no format_version", "has no valid format_version"),
        ("format_version true", "has no valid format_version"),
        ("format_version text", "has no valid format_version"),
        ("no tables", 'has no "tables" object'),
        ("tables not an object", 'has no "tables" object'),
        ("trailing garbage", "is not valid JSON at line"),
        ("top level array", "not a mentorkit export"),
    ],
)
def test_what_is_not_an_export_is_refused_and_nothing_written(
    cli: Any, ok: Any, db_path: Path, tmp_path: Path, change: str, message: str
) -> None:
    seed(db_path)
    doc = _export(ok, db_path)
    target = tmp_path / "target.db"
    ok("--db", str(target), "add-mentor", "Someone Else")
    before = fingerprint(target)
    path = tmp_path / "edited.json"
    path.write_text(_edit(doc, change), encoding="utf-8")
    result = cli("--db", str(target), "import", str(path), "--format", "json")
    assert result.exit_code == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}") and message in lines[0], lines
    assert fingerprint(target) == before


def test_a_record_over_the_size_limit_is_refused(
    cli: Any, ok: Any, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(db_path)
    path = tmp_path / "all.json"
    ok("export", "-f", "json", "-o", str(path))
    monkeypatch.setattr(jsonio, "MAX_RECORD", 200)
    result = cli("--db", str(tmp_path / "b.db"), "import", str(path))
    assert result.exit_code == 1 and "has a value of more than 200 characters at line" in result.stderr


# --- a big-ish file: a bad last record writes nothing -----------------------------------------


@pytest.fixture(scope="module")
def big_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An export of 6,050 records: 50 mentors, 5,000 meetings (three batches), 1,000 follow-ups."""
    base = tmp_path_factory.mktemp("big")
    big_store(base / "source.db", mentors=50, meetings_each=100, followups_each=20)
    with open_store(base / "source.db") as store, store.read() as conn, (base / "big.json").open("w") as out:
        jsonio.export_json(conn, out, now=NOW, schema_version=current_version(conn))
    return base / "big.json"


def _target_with_data(ok: Any, tmp_path: Path) -> Path:
    target = tmp_path / "target.db"
    ok("--db", str(target), "add-mentor", "Someone Else", "--note", "zebrafish")
    ok("--db", str(target), "log", "1", "--notes", "zebrafish again", "--when", "yesterday 10:00")
    return target


def _triggers(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")]


def test_a_syntax_error_in_the_last_record_of_a_big_file_writes_nothing(
    cli: Any, ok: Any, tmp_path: Path, big_export: Path
) -> None:
    target = _target_with_data(ok, tmp_path)
    before = fingerprint(target)
    text = big_export.read_text(encoding="utf-8")
    last = text.rindex('"updated_at"')
    broken = tmp_path / "broken.json"
    broken.write_text(text[:last] + '"updated_at" "x"' + text[last + len('"updated_at":') :], encoding="utf-8")
    line = text[:last].count("\n") + 1
    result = cli("--db", str(target), "import", str(broken))
    assert result.exit_code == 1
    assert f"is not valid JSON at line {line}, column" in result.stderr and "Expecting ':' delimiter" in result.stderr
    assert fingerprint(target) == before


def test_a_bad_last_record_after_batches_were_written_rolls_them_all_back(
    cli: Any, ok: Any, tmp_path: Path, big_export: Path
) -> None:
    target = _target_with_data(ok, tmp_path)
    before, triggers = fingerprint(target), _triggers(target)
    found = ok("--db", str(target), "search", "zebrafish", "--json").stdout
    doc = json.loads(big_export.read_text(encoding="utf-8"))
    meetings = doc["tables"]["meetings"]
    assert len(meetings) > 2 * BATCH  # earlier batches were written (and the index's triggers dropped)
    meetings[-1]["starts_at"] = "not a time"
    path = tmp_path / "bad-last.json"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    result = cli("--db", str(target), "import", str(path))
    assert result.exit_code == 1 and f"meetings[{len(meetings) - 1}]" in result.stderr
    assert fingerprint(target) == before
    assert _triggers(target) == triggers
    assert ok("--db", str(target), "search", "zebrafish", "--json").stdout == found


def test_stdin_and_pipes_are_read_from_a_private_copy_that_is_removed(
    ok: Any, tmp_path: Path, big_export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    modes: list[int] = []
    real = tempfile.TemporaryFile

    def recording(*args: Any, **kwargs: Any) -> Any:
        handle = real(*args, **kwargs)
        modes.append(os.fstat(handle.fileno()).st_mode & 0o777)
        return handle

    monkeypatch.setattr(tempfile, "TemporaryFile", recording)
    text = big_export.read_text(encoding="utf-8")
    first = ok("--db", str(tmp_path / "a.db"), "import", "-", "--json", input=text).json()
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_bytes, args=(text.encode(),))
    writer.start()
    second = ok("--db", str(tmp_path / "b.db"), "import", str(fifo), "--json").json()
    writer.join()
    assert first["tables"] == second["tables"] and first["tables"]["meetings"]["added"] == 5000
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")
    assert modes == [0o600, 0o600] and list(spool.iterdir()) == []


def test_stdin_over_the_size_limit_is_refused(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mentorkit.exchange import importer

    monkeypatch.setattr(importer, "MAX_BYTES", 10_000)
    result = cli("--db", str(tmp_path / "a.db"), "import", "-", input='{"format": "mentorkit", "x": "' + "y" * 20_000)
    assert result.exit_code == 1 and "stdin is larger than 0 MB" in result.stderr


# --- merging streamed records ---------------------------------------------------------------


def test_an_empty_table_keeps_the_file_ids_while_they_rise(tmp_path: Path) -> None:
    stamp = "2026-01-01T00:00:00Z"

    def mentor(file_id: Any) -> dict[str, Any]:
        return {
            "id": file_id,
            "uuid": str(uuid.uuid4()),
            "name": f"M {file_id}",
            "stage": "active",
            "stage_changed_at": stamp,
            "created_at": stamp,
            "updated_at": stamp,
        }

    records = [mentor(i) for i in (5, 3, 9, "x", 12)]
    with open_store(tmp_path / "a.db") as store, store.write() as conn:
        merge(conn, {"mentors": iter(records)}, ImportResult("json"))  # read once, as a stream is
        ids = dict(conn.execute("SELECT name, id FROM mentor").fetchall())
    assert ids == {"M 5": 5, "M 3": 6, "M 9": 9, "M x": 10, "M 12": 12}
