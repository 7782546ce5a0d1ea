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
from hypothesis import given, settings
from hypothesis import strategies as st

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
    for args in (["mentors", "--all"], ["followups"], ["export", "-f", "csv"], ["show", "1"], ["search", "draft"]):
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


# --- items 6, 9: user templates are bounded in wall-clock time and never quote stored text ----

SLOW_TEMPLATES = {
    "nested comparison": "{% set ns = namespace(a=1, b=1) %}{% for i in range(60) %}{% set ns.a = [ns.a, ns.a] %}"
    "{% set ns.b = [ns.b, ns.b] %}{% endfor %}{{ ns.a == ns.b }}",
    "one slow filter, many times": "{% for i in range(250) %}{{ ('a' * 1000000)|wordwrap(1)|length }}{% endfor %}",
}


@pytest.fixture
def drafting_board(board: None, ok: Run) -> None:
    ok(
        "profile",
        "set",
        "--role",
        "Researcher",
        "--institution",
        "Uni",
        "--story",
        "I study.",
        "--goal",
        "research=A grant",
    )


@pytest.mark.parametrize("case", sorted(SLOW_TEMPLATES))
def test_a_user_template_is_stopped_at_the_time_limit(drafting_board: None, tmp_path: Path, case: str) -> None:
    path = tmp_path / "slow.j2"
    path.write_text("Dear {{ profile.name }},\n" + SLOW_TEMPLATES[case] + "\n")
    # The limit is lowered to 1 s in this process so the test is quick; before the fix these
    # renders ran for minutes (the nested comparison doubles its time with each level).
    code = (
        "import mentorkit.drafting.engine as e; e.MAX_SECONDS = 1.0; "
        "import sys; from mentorkit.cli import main; sys.argv[0] = 'mentorkit'; main()"
    )
    args = [sys.executable, "-c", code, "pitch", "--arena", "research", "--template", str(path)]
    run = subprocess.run(args, capture_output=True, env=os.environ.copy(), timeout=60)
    assert run.returncode == 1
    assert run.stderr.decode().strip().splitlines() == [
        f"Error: template {path}: not allowed in a template: it ran longer than 1 seconds and was stopped "
        "(a loop or a comparison that grows too fast?)"
    ]


def test_a_user_template_still_renders_and_reports_its_errors(
    drafting_board: None, ok: Run, cli: Run, tmp_path: Path
) -> None:
    path = tmp_path / "mine.j2"
    path.write_text("Dear {{ mentor.name if mentor else 'colleague' }},\n{{ profile.story }}\n")
    assert ok("pitch", "--arena", "research", "--template", str(path)).stdout.startswith("Dear colleague,\nI study.")
    path.write_text("Hello\n{{ 1 // 0 }}\n")
    assert "line 2: ZeroDivisionError" in _one_line(cli("pitch", "--arena", "research", "--template", str(path)))


@pytest.mark.parametrize(
    "expression",
    [
        "{{ meeting[meeting.notes] }}",
        "{{ meeting.mentor[meeting.notes] }}",
        "{{ meeting.notes | attr(meeting.notes) | upper }}",
        "{{ range(meeting.notes) }}",
    ],
)
def test_a_template_error_never_quotes_stored_text(
    board: None, ok: Run, cli: Run, tmp_path: Path, expression: str
) -> None:
    canary = "CANARY-SECRET-NOTE private " + "x" * 300  # longer than an error line's 200 characters
    ok("log", "1", "--when", "yesterday 10:00", "--notes", canary)
    path = tmp_path / "leak.j2"
    path.write_text("Notes:\n" + expression + "\n")
    line = _one_line(cli("summary", "1", "--template", str(path)))
    assert line.startswith(f"Error: template {path}, line 2: ")
    assert "CANARY" not in line and "xxxxx" not in line


# --- item 7: the Markdown report shows stored text as text --------------------------------


def test_markdown_in_stored_text_is_escaped_in_the_report(board: None, ok: Run) -> None:
    ok("edit", "1", "--note", "![p](https://evil.example/track.png)\n# Heading?\n> quote\n1. list")
    ok(
        "log",
        "1",
        "--when",
        "yesterday 10:00",
        "--notes",
        "[Reset password](https://evil.example/phish) *bold* `code` | a | b |",
    )
    ok("followup", "add", "--due", "tomorrow", "--", "1", "- [x] done already <b>x</b>")
    text = ok("export", "-f", "md").stdout
    assert "![p]" not in text and "[Reset password](" not in text
    assert r"\!\[p\](https://evil.example/track.png)" in text
    assert r"\[Reset password\](https://evil.example/phish) \*bold\* \`code\` \| a \| b \|" in text
    assert r"> \# Heading?" in text and r"> \> quote" in text and r"> 1\. list" in text
    assert r"- [ ] \- \[x\] done already &lt;b>x&lt;/b>" in text
    assert "# Mentoring report" in text and "## People" in text  # the template's own Markdown is kept


# --- item 17: the report of a large store is streamed ------------------------------------------


def test_the_report_of_a_large_store_is_not_capped(board: None, ok: Run, tmp_path: Path) -> None:
    ok("followup", "add", "1", "seed", "--due", "tomorrow")
    ok("export", "-f", "json", "-o", str(tmp_path / "e.json"))
    data = json.loads((tmp_path / "e.json").read_text())
    seed = data["tables"]["followups"][0]
    text = "Send the revised specific aims page with the new figure and the budget justification " * 2
    data["tables"]["followups"] = [
        {**seed, "id": n + 1, "uuid": f"00000000-0000-4000-8000-{n:012d}", "text": f"{text}{n}"} for n in range(8000)
    ]
    (tmp_path / "big.json").write_text(json.dumps(data))
    ok("import", str(tmp_path / "big.json"))
    result = ok("export", "-f", "md", "-o", str(tmp_path / "r.md"))
    report = (tmp_path / "r.md").read_text()
    assert len(report) > 2_000_000  # the limit of a user template's output
    assert report.count(" specific aims page ") == 2 * 2 * 8000  # twice in each item; in the list and under Ann
    assert f"Exported a report of {report.count(chr(10))} lines" in result.stderr
    streamed = ok("export", "-f", "md").stdout  # to stdout, the same text (but the minute it was made)
    assert streamed.splitlines()[3:] == report.splitlines()[3:] and len(streamed) == len(report)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(["a", "b", " ", "\t", "\n", "\r", "\x0c", "é"]), max_size=12)))
def test_the_streamed_report_is_tidied_as_the_whole_text_was(pieces: list[str]) -> None:
    from mentorkit.drafting.engine import tidy, tidy_stream

    assert "".join(tidy_stream(pieces)) == tidy("".join(pieces))


# --- item 18: search over a long note that matches throughout -------------------------------


def test_search_in_a_100_kb_note_that_matches_throughout_is_bounded(board: None, ok: Run) -> None:
    import time

    ok("log", "1", "--when", "yesterday 10:00", "--notes", "-", input="grant proposal budget " * 4500)  # 99 KB
    ok("log", "1", "--when", "2 days ago 10:00", "--notes", "a short note about the grant")
    started = time.perf_counter()
    hits = ok("search", "grant", "--json").json()
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0, elapsed  # 9.6 s before (FTS5's snippet() over every window); 0.1 s now
    long_hit = max(hits, key=lambda h: len(h["snippet"]))
    assert long_hit["snippet"].startswith("grant proposal budget grant") and long_hit["snippet"].endswith("…")
    assert len(long_hit["snippet"].rstrip("…").split()) == 24
    assert [long_hit["snippet"][a:b] for a, b in long_hit["matches"]] == ["grant"] * 8
    short = min(hits, key=lambda h: len(h["snippet"]))
    assert short["snippet"] == "a short note about the grant"  # short texts keep FTS5's own snippet
    middle = ok("search", '"budget grant"', "--json").json()[0]
    assert all(middle["snippet"][a:b] == "budget grant" for a, b in middle["matches"])


# --- item 28: `#12` is always an id; a bare number is a name first ---------------------------


def test_a_number_is_an_id_unless_it_is_a_name_and_hash_is_always_an_id(ok: Run, cli: Run, db_path: Path) -> None:
    import sqlite3

    for name in ("Ann Lee", "Bo Ng", "12", "Twin", "Twin Two", "1"):
        ok("add-mentor", name)
    with sqlite3.connect(db_path) as conn:  # two people of one name, as two imported lists can make
        conn.execute("UPDATE mentor SET name = 'Twin' WHERE id = 5")
    show = lambda ref: cli("show", ref, "--json")  # noqa: E731
    name = lambda ref: show(ref).json()["mentor"]["name"]  # noqa: E731
    assert name("12") == "12"  # no mentor #12: the name
    assert name("#3") == "12" and name("3") == "12"
    assert show("#12").exit_code == 1 and "no mentor with id 12" in show("#12").stderr
    assert name("#1") == "Ann Lee" and name("#6") == "1"
    line = _one_line(show("1"))  # both Ann Lee's id and the name of #6
    assert line == "Error: '1' is both an id and a name: Ann Lee (#1), 1 (#6); write the id with # (e.g. #6)"
    line = _one_line(show("Twin"))
    assert (
        line == "Error: 'Twin' matches several mentors: Twin (#4, prospect), Twin (#5, prospect); "
        "give the id (e.g. #4) or more of the name"
    )
    assert name("#5") == "Twin"


# --- item 10: imports in bounded memory -------------------------------------------------------


_REPORT_PEAK = """
import atexit, os, sys

def report():  # VmHWM belongs to this program's memory, not to the test process it was forked from
    with open("/proc/self/status") as status, open(os.environ["PEAK_FILE"], "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM")).split()[1])

atexit.register(report)
sys.argv[0] = "mentorkit"
from mentorkit.cli import main
main()
"""


def _peak_rss_mb(args: list[str], tmp_path: Path) -> tuple[int, str, float]:
    """Run mentorkit in a child process: exit status, stderr, and its peak resident memory in MB."""
    if not Path("/proc/self/status").exists():
        pytest.skip("peak memory is read from /proc")
    peak = tmp_path / "peak.txt"
    run = subprocess.run(
        [sys.executable, "-c", _REPORT_PEAK, *args], capture_output=True, env={**os.environ, "PEAK_FILE": str(peak)}
    )
    return run.returncode, run.stderr.decode(), int(peak.read_text()) / 1024


def test_a_vcard_with_a_huge_photo_imports_in_little_memory(board: None, tmp_path: Path) -> None:
    import base64

    photo = base64.b64encode(os.urandom(6_000_000)).decode()  # 8 MB; main took ~150x the file
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    card = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Photo Person\r\nPHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nNOTE:hi\r\nEND:VCARD\r\n"
    (tmp_path / "photo.vcf").write_text(card)
    code, err, peak = _peak_rss_mb(["import", str(tmp_path / "photo.vcf"), "--json"], tmp_path)
    assert code == 0, err
    assert peak < 150, peak  # 4.5 GB for a 30 MB photo before; about 40 MB now


def test_a_vcard_property_too_long_to_read_is_refused_early(board: None, tmp_path: Path, db_path: Path) -> None:
    (tmp_path / "fn.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN" + ";X=a" * 800_000 + ":Ann\r\nEND:VCARD\r\n")
    before = fingerprint(db_path)
    code, err, peak = _peak_rss_mb(["import", str(tmp_path / "fn.vcf")], tmp_path)
    assert code == 1
    assert err.strip().splitlines() == [
        f"Error: {tmp_path / 'fn.vcf'} line 3: the FN property is longer than 200,000 characters, more than "
        "any contact needs; remove it or shorten it; nothing was imported"
    ]
    assert peak < 150, peak  # 1.7 GB before
    assert fingerprint(db_path) == before


def test_a_csv_of_more_people_than_the_limit_is_refused_while_it_is_read(
    board: None, tmp_path: Path, db_path: Path
) -> None:
    from mentorkit.exchange.csvio import MAX_PEOPLE

    with (tmp_path / "many.csv").open("w") as out:
        out.write("Name,Email\n")
        for n in range(MAX_PEOPLE + 5):
            out.write(f"Person {n},p{n}@example.org\n")
    before = fingerprint(db_path)
    code, err, peak = _peak_rss_mb(["import", str(tmp_path / "many.csv")], tmp_path)
    assert code == 1
    assert err.strip().splitlines() == [
        f"Error: {tmp_path / 'many.csv'} holds more than 100,000 people (line 100002); import it in parts of at "
        "most that many rows; nothing was imported"
    ]
    assert peak < 150, peak  # the file is checked as it is read, never held
    assert fingerprint(db_path) == before


def test_an_own_meetings_csv_is_merged_as_it_is_read_and_a_bad_row_still_writes_nothing(
    board: None, ok: Run, cli: Run, tmp_path: Path, db_path: Path
) -> None:
    from mentorkit.exchange.csvio import CsvFile, own_records, read_csv
    from mentorkit.store.db import open_store

    for day in range(1, 4):
        ok("log", "1", "--when", f"2026-11-0{day} 10:00", "--notes", f"meeting {day}")
    ok("export", "-f", "csv", "--what", "meetings", "-o", str(tmp_path / "m.csv"))
    with (tmp_path / "m.csv").open("rb") as handle:
        csvfile: CsvFile = read_csv(handle, "m.csv")
        store = open_store(str(db_path))
        try:
            with store.read() as conn:
                records = own_records(conn, csvfile, "m.csv")["meetings"]
                assert not isinstance(records, list)  # read from the file as the merge takes them
                assert [r["notes"] for r in records] == ["meeting 1", "meeting 2", "meeting 3"]
        finally:
            store.close()
    text = (tmp_path / "m.csv").read_text().splitlines()
    fields = text[-1].split(",")
    fields[text[0].split(",").index("minutes")] = "lots"
    text[-1] = ",".join(fields).replace("meeting 3", "meeting 3 again")
    (tmp_path / "m.csv").write_text("\n".join(text).replace("meeting 1", "meeting 1 again") + "\n")
    before = fingerprint(db_path)
    line = _one_line(cli("import", str(tmp_path / "m.csv")))
    assert "m.csv line 4: minutes must be a whole number" in line
    assert fingerprint(db_path) == before  # the first row's change was rolled back with the rest
