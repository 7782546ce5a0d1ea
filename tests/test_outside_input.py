"""Issue 13, the input side: each case an outside test found, kept as a test (docs/reliability.md,
"Found by an outside test"). Every refusal is exit 1 with one line naming the real input and the
real problem, and writes nothing; nothing exits 70."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reliability_helpers import fingerprint

Run = Callable[..., Any]


def _one_line(result: Any) -> str:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "internal error" not in lines[0]
    return lines[0]


@pytest.fixture
def board(ok: Run) -> None:
    ok("profile", "set", "--name", "Me", "--tz", "America/New_York")
    ok("add-mentor", "Ann Lee", "--tz", "Asia/Tokyo")


# --- items 11, 12, 16: one range check for dates typed and imported ---------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "1", "--when", "9999-12-30 12:00", "--tz", "America/New_York"),  # year 10000 in UTC
        ("plan", "1", "--when", "9998-12-31 22:00", "--tz", "America/New_York"),
        ("log", "1", "--when", "0001-01-02 12:00"),  # year 0 in UTC
        ("log", "1", "--when", "0999-12-31 12:00"),
        ("followup", "add", "1", "x", "--due", "9999-12-31"),
    ],
)
def test_dates_outside_the_kept_range_are_refused_at_entry(board: None, cli: Run, db_path: Path, args: tuple) -> None:
    before = fingerprint(db_path)
    line = _one_line(cli(*args))
    assert "outside the dates mentorkit keeps (the years 1000 to 9998)" in line
    assert fingerprint(db_path) == before


def test_the_edges_of_the_range_are_kept_and_export_everywhere(board: None, ok: Run, tmp_path: Path) -> None:
    ok("plan", "1", "--when", "9998-12-31 12:00", "--tz", "America/New_York")
    ok("log", "1", "--when", "1000-01-01 12:00", "--tz", "America/New_York")
    ok("followup", "add", "1", "last one", "--due", "9998-12-31")
    for args in (["meetings"], ["review"], ["followups", "--all"], ["show", "1"], ["board"]):
        ok(*args)
    for fmt, extra in (("ics", ["--todos-as-events"]), ("ics", []), ("md", []), ("json", []), ("csv", [])):
        ok("export", "-f", fmt, *extra, "-o", str(tmp_path / f"x{len(extra)}.{fmt}"))
    text = (tmp_path / "x1.ics").read_text()
    assert "DTSTART;VALUE=DATE:99981231" in text


def test_import_applies_the_same_range_check(board: None, ok: Run, cli: Run, tmp_path: Path, db_path: Path) -> None:
    ok("log", "1", "--when", "2026-11-01 12:00")
    ok("export", "-f", "json", "-o", str(tmp_path / "e.json"))
    data = json.loads((tmp_path / "e.json").read_text())
    meeting = data["tables"]["meetings"][0]
    meeting["uuid"], meeting["starts_at"] = "11111111-1111-1111-1111-111111111111", "0001-01-01T00:00:00Z"
    (tmp_path / "bad.json").write_text(json.dumps(data))
    before = fingerprint(db_path)
    line = _one_line(cli("import", str(tmp_path / "bad.json")))
    assert "meetings[0]" in line and "starts_at" in line and "1000 to 9998" in line
    assert fingerprint(db_path) == before
    for args in (["meetings"], ["review"], ["export", "-f", "ics", "-o", str(tmp_path / "c.ics")]):
        ok(*args)


# --- items 13, 14, 24: import messages ---------------------------------------------------------


def test_a_json_number_of_5000_digits_is_one_line(board: None, ok: Run, cli: Run, tmp_path: Path) -> None:
    ok("export", "-f", "json", "-o", str(tmp_path / "e.json"))
    text = (tmp_path / "e.json").read_text().replace('"exported_at"', '"n": ' + "1" * 5000 + ', "exported_at"', 1)
    (tmp_path / "big.json").write_text(text)
    line = _one_line(cli("import", str(tmp_path / "big.json")))
    assert "big.json is not valid JSON at line" in line and "too many digits" in line


@pytest.mark.parametrize("encoding", ["undefined", "rot13", "base64", "no-such-codec"])
def test_import_refuses_an_encoding_that_is_not_one(
    board: None, ok: Run, cli: Run, tmp_path: Path, encoding: str
) -> None:
    (tmp_path / "p.csv").write_text("name,email\nBo,bo@example.org\n")
    line = _one_line(cli("import", str(tmp_path / "p.csv"), "--encoding", encoding))
    assert f"--encoding {encoding!r} is not a text encoding" in line


def test_import_names_what_the_file_really_is(board: None, ok: Run, cli: Run, tmp_path: Path, db_path: Path) -> None:
    (tmp_path / "a.json").write_text("[[[" * 10)
    assert "a.json ends early (truncated?)" in _one_line(cli("import", str(tmp_path / "a.json")))
    (tmp_path / "b.json").write_text("[1, 2]")
    assert "b.json is JSON but not a mentorkit export" in _one_line(cli("import", str(tmp_path / "b.json")))
    assert "is an SQLite database" in _one_line(cli("import", str(db_path)))
    (tmp_path / "c.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)))
    assert "c.xlsx is a ZIP archive" in _one_line(cli("import", str(tmp_path / "c.xlsx")))


def test_notes_on_stdin_that_are_not_utf8_name_stdin(board: None, db_path: Path) -> None:
    before = fingerprint(db_path)
    run = subprocess.run(
        [sys.executable, "-m", "mentorkit", "log", "1", "--notes", "-"],
        input=b"fine\n\xff\xfe broken",
        capture_output=True,
        env=os.environ.copy(),
    )
    assert run.returncode == 1
    assert run.stderr.decode().strip().splitlines() == [
        "Error: the text on stdin is not valid UTF-8 (line 2); convert it (e.g. `iconv -f cp1252 -t utf-8`) "
        "and try again; nothing was written"
    ]
    assert fingerprint(db_path) == before


# --- item 15: output to a stream that is not UTF-8 ------------------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_output_that_is_not_utf8_replaces_what_it_cannot_show(ok: Run, encoding: str) -> None:
    ok("add-mentor", "José Ñú 日本 — Ω", "--tz", "Asia/Tokyo")
    ok("followup", "add", "1", "Send the 日本 draft", "--due", "today")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    for args in (["mentors"], ["followups"], ["export", "-f", "csv"], ["show", "1"], ["search", "draft"]):
        run = subprocess.run([sys.executable, "-m", "mentorkit", *args], capture_output=True, env=env)
        assert run.returncode == 0, (args, run.stderr)
        out = run.stdout.decode(encoding)
        assert "Jos" in out or "draft" in out
        assert "?" in out, args  # what the encoding lacks is replaced, not dropped
    run = subprocess.run([sys.executable, "-m", "mentorkit", "mentors", "--json"], capture_output=True, env=env)
    assert run.returncode == 0 and json.loads(run.stdout)[0]["name"] == "José Ñú 日本 — Ω"  # escaped, whole


# --- item 19: plan's working hours are the profile's ------------------------------------------


def test_plan_in_the_mentors_zone_warns_about_the_right_side(board: None, ok: Run) -> None:
    result = ok("plan", "1", "--when", "2027-05-05 23:00", "--tz", "Asia/Tokyo")
    assert "(23:00 JST for Ann)" in result.stderr and "10:00 EDT" in result.stderr
    assert "outside 08:00–18:00 for you" not in result.stderr
    assert "23:00 is outside 08:00–18:00 for Ann Lee" in result.stderr
    assert "do not overlap that day" in result.stderr  # 13 hours apart: no shared office hours
    ok("add-mentor", "Bo Ng", "--tz", "Europe/London")
    result = ok("plan", "2", "--when", "2027-05-05 19:00", "--tz", "Europe/London")
    assert "for you" not in result.stderr
    assert "Working hours overlap 08:00–13:00 EDT (13:00–18:00 BST) that day." in result.stderr


# --- item 27: one rule for --limit -----------------------------------------------------------


@pytest.mark.parametrize("command", [["meetings"], ["search", "x"]])
@pytest.mark.parametrize("limit", ["-3", "0"])
def test_a_limit_below_one_is_refused_everywhere(board: None, cli: Run, command: list[str], limit: str) -> None:
    line = _one_line(cli(*command, "--limit", limit))
    assert line == f"Error: --limit must be from 1 to 1,000,000,000, not {limit}"
