"""CSV export and import: formula neutralisation, round trips, LinkedIn, header mapping, broken files."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchange_helpers import counts, dump, seed, storable_name
from mentorkit.exchange.csvio import TRIGGERS, join_list, neutralise, restore, split_list
from mentorkit.store.db import open_store

FIXTURES = Path(__file__).parent / "fixtures"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@given(st.text())
def test_neutralise_is_undone_exactly(value: str) -> None:
    cell = neutralise(value)
    assert restore(cell) == value
    assert cell[:1] not in TRIGGERS


@given(st.lists(st.text().filter(lambda s: s.strip() == s and s)))
def test_lists_split_back(values: list[str]) -> None:
    assert split_list(join_list(values)) == values


def test_mentor_csv_neutralises_formulas(ok, db_path: Path) -> None:
    seed(db_path)
    rows = {r["name"]: r for r in _rows(ok("export", "-f", "csv").stdout)}
    assert rows["Dr. Teresa Alvarez"]["notes"].startswith("'=HYPERLINK")
    assert rows["Prof. Chidi Okafor"]["notes"].startswith("'+44")
    assert rows["Dr. Teresa Alvarez"]["arenas"] == "career; research"
    assert rows["Dr. Teresa Alvarez"]["local"] == "no" and rows["Prof. Chidi Okafor"]["local"] == "yes"
    for row in rows.values():
        assert all(not v or v[0] not in TRIGGERS for v in row.values())


def test_meetings_and_followups_csv(ok, db_path: Path) -> None:
    seed(db_path)
    meetings = _rows(ok("export", "-f", "csv", "--what", "meetings").stdout)
    assert len(meetings) == 3
    planned = next(m for m in meetings if m["status"] == "planned")
    assert planned["timezone"] == "America/New_York" and planned["local_start"] == "2026-03-10T13:00:00-04:00"
    assert planned["mentor"] == "Prof. Chidi Okafor"
    followups = _rows(ok("export", "-f", "csv", "--what", "followups").stdout)
    assert {f["text"] for f in followups} == {"Send revised aims", "Share the protocol", "Draft intro"}
    assert next(f for f in followups if f["text"] == "Draft intro")["group"] == "Writing circle"


def test_own_csvs_round_trip_into_a_new_store(ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    other = tmp_path / "other.db"
    doc = json.loads(ok("export", "-f", "json").stdout)
    keep = {"arenas", "mentors", "stage_changes", "groups"}  # the people; meetings come by CSV
    doc["tables"] = {k: v for k, v in doc["tables"].items() if k in keep}
    people = tmp_path / "people.json"
    people.write_text(json.dumps(doc), encoding="utf-8")
    ok("--db", str(other), "import", str(people))
    for what in ("mentors", "meetings", "followups"):
        path = tmp_path / f"{what}.csv"
        ok("export", "-f", "csv", "--what", what, "-o", str(path))
        ok("--db", str(other), "import", str(path))
        again = ok("--db", str(other), "export", "-f", "csv", "--what", what).stdout
        assert again == path.read_text(encoding="utf-8")
    for table in ("meeting", "followup"):
        # The CSVs are a spreadsheet of people, meetings and follow-ups: the goal a meeting or
        # follow-up serves (the last column, goal_id) travels in JSON exports only.
        assert [r[:-1] for r in dump(other)[table]] == [r[:-1] for r in dump(db_path)[table]]
        assert {r[-1] for r in dump(other)[table]} == {None}


def test_own_csv_import_twice_changes_nothing(ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    path = tmp_path / "mentors.csv"
    ok("export", "-f", "csv", "-o", str(path))
    other = tmp_path / "other.db"
    ok("--db", str(other), "import", str(path))
    before = dump(other)
    assert ok("--db", str(other), "import", str(path), "--json").json()["changed"] is False
    assert dump(other) == before
    assert before["stage_change"], "new mentors from a CSV start with a stage history"


def test_meeting_csv_with_unknown_mentor_fails_naming_the_line(cli, ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    path = tmp_path / "meetings.csv"
    ok("export", "-f", "csv", "--what", "meetings", "-o", str(path))
    other = tmp_path / "other.db"
    open_store(other).close()
    before = counts(other)
    result = cli("--db", str(other), "import", str(path))
    assert (
        result.exit_code == 1 and "line 2" in result.stderr and "neither in the file nor in the store" in result.stderr
    )
    assert counts(other) == before


# --- LinkedIn ---------------------------------------------------------------------------------


def test_linkedin_connections_become_prospects(ok) -> None:
    result = ok("import", str(FIXTURES / "linkedin_Connections.csv"), "--json").json()
    assert result["kind"] == "LinkedIn connections"
    assert result["tables"]["mentors"]["added"] == 5
    assert any("without a name" in n for n in result["notes"])
    people = {m["name"]: m for m in ok("mentors", "--json").json()}
    assert set(people) == {"Teresa Alvarez", "Samuel Osei", "José Núñez-García", "Priya Raman", "Mei Chen"}
    teresa = people["Teresa Alvarez"]
    assert teresa["stage"] == "prospect" and teresa["source"] == "LinkedIn" and teresa["email"] is None
    assert teresa["institution"] == "UCSF"
    assert "Connected on LinkedIn: 2024-03-15" in teresa["notes"]
    assert teresa["profile_url"] == "https://www.linkedin.com/in/teresa-alvarez-md"
    assert "linkedin.com" not in teresa["notes"]  # a field of its own, not a line of the notes
    assert people["Samuel Osei"]["email"] == "s.osei@example.org"
    assert people["José Núñez-García"]["title"] == 'Investigador "Ramón y Cajal"'
    assert people["Mei Chen"]["institution"] == '=HYPERLINK("http://evil.example","click")'


def test_linkedin_import_twice_changes_nothing(ok) -> None:
    ok("import", str(FIXTURES / "linkedin_Connections.csv"))
    again = ok("import", str(FIXTURES / "linkedin_Connections.csv"), "--json").json()
    assert again["changed"] is False and again["tables"]["mentors"]["unchanged"] == 5


def test_linkedin_then_export_neutralises_the_formula(ok) -> None:
    ok("import", str(FIXTURES / "linkedin_Connections.csv"))
    rows = {r["name"]: r for r in _rows(ok("export", "-f", "csv").stdout)}
    assert rows["Mei Chen"]["institution"].startswith("'=HYPERLINK")


# --- generic CSVs -----------------------------------------------------------------------------


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_generic_csv_header_mapping(ok, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "people.csv",
        "Full Name,E-mail Address,Organization,Job Title,Time Zone,Tags,Arena,"
        "Favourite colour\nAda Byron,ada@example.org,Analytical Society,Professor,Europe/London,"
        '"maths, engines",research,blue\n',
    )
    result = ok("import", str(path), "--json").json()
    assert result["kind"] == "CSV of people" and result["tables"]["mentors"]["added"] == 1
    assert any("Favourite colour" in n for n in result["notes"])
    ada = ok("mentors", "--json").json()[0]
    assert (ada["name"], ada["email"], ada["institution"], ada["timezone"]) == (
        "Ada Byron",
        "ada@example.org",
        "Analytical Society",
        "Europe/London",
    )
    assert ada["tags"] == ["engines", "maths"] and ada["arenas"] == ["research"]
    assert ada["title"] == "Professor"


def test_generic_csv_with_map_option_and_semicolons(ok, tmp_path: Path) -> None:
    path = _write(tmp_path / "x.csv", "Wer;Wo;Mail\nGrace Hopper;Navy;grace@example.mil\n")
    result = ok(
        "import", str(path), "--map", "Wer=name", "--map", "Wo=institution", "--map", "Mail=email", "--json"
    ).json()
    assert result["tables"]["mentors"]["added"] == 1
    grace = ok("mentors", "--json").json()[0]
    assert (grace["name"], grace["institution"], grace["email"]) == ("Grace Hopper", "Navy", "grace@example.mil")


def test_generic_csv_without_a_name_column_says_how_to_map(cli, tmp_path: Path) -> None:
    path = _write(tmp_path / "x.csv", "who,where\nA,B\n")
    result = cli("import", str(path))
    assert result.exit_code == 1 and '--map "HEADER=name"' in result.stderr


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("name,email\nAda,ada@example.org\nBob,bob@example.org,extra\n", 3, "has 3 fields but the header has 2"),
        ('name,notes\nAda,fine\nBob,"never closed\nCarl,x\n', 3, "not valid CSV"),
        ("name,email\nAda,ada@example.org\nBob,not-an-email\n", 3, "not an email address"),
        ("name,timezone\nAda,Mars/Base\n", 2, "time zone"),
    ],
)
def test_a_broken_row_fails_naming_its_line_and_writes_nothing(
    cli, ok, db_path: Path, tmp_path: Path, text: str, line: int, message: str
) -> None:
    ok("add-mentor", "Already Here")
    before = counts(db_path)
    result = cli("import", str(_write(tmp_path / "bad.csv", text)))
    assert result.exit_code == 1, result.stdout
    assert f"line {line}" in result.stderr and message in result.stderr
    assert counts(db_path) == before


def test_bad_encoding_names_the_line_and_encoding_option_reads_it(cli, ok, tmp_path: Path, db_path: Path) -> None:
    path = _write(tmp_path / "win.csv", "name,institution\nAda,Oxford\nJosé Núñez,Clínic\n", "cp1252")
    result = cli("import", str(path))
    assert result.exit_code == 1 and "line 3" in result.stderr and "--encoding" in result.stderr
    assert not db_path.exists()  # refused before anything was written, the store included
    ok("import", str(path), "--encoding", "cp1252")
    assert {m["name"] for m in ok("mentors", "--json").json()} == {"Ada", "José Núñez"}


def test_format_is_guessed_from_content_not_name(ok, tmp_path: Path) -> None:
    path = _write(tmp_path / "contacts.txt", (FIXTURES / "linkedin_Connections.csv").read_text(encoding="utf-8"))
    assert ok("import", str(path), "--json").json()["kind"] == "LinkedIn connections"


def test_import_from_stdin(ok) -> None:
    result = ok("import", "-", "--json", input="name,email\nAda,ada@example.org\n").json()
    assert result["tables"]["mentors"]["added"] == 1


# --- property: mentors survive export and import through CSV ---------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"), min_size=1, max_size=40)
TRICKY = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "=SUM(A1:A9)",
            "+1 555",
            "-3",
            "@me",
            "\tx",
            "\ry",
            "'=z",
            "''",
            "'",
            'say "hi", ok',
            "line\nbreak",
            "crlf\r\nx",
            "; semi; colon \\ back",
        ]
    ),
)
CLEAN = TRICKY.filter(lambda s: s.strip() == s and s != "")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(
        st.tuples(CLEAN.filter(storable_name), TRICKY, st.lists(CLEAN, max_size=3), st.one_of(st.none(), CLEAN)),
        min_size=1,
        max_size=4,
    )
)
def test_csv_round_trip_keeps_any_text(
    ok, tmp_path_factory: pytest.TempPathFactory, people: list[tuple[str, str, list[str], str | None]]
) -> None:
    base = tmp_path_factory.mktemp("csv")
    first_db, second_db = base / "a.db", base / "b.db"
    stamp = "2026-01-01T00:00:00Z"
    with open_store(first_db) as store, store.write() as conn:
        for name, notes, tags, institution in people:
            mentor_id = conn.execute(
                "INSERT INTO mentor (uuid, name, stage, stage_changed_at, institution, notes, created_at, updated_at) "
                "VALUES (?, ?, 'prospect', ?, ?, ?, ?, ?)",
                (str(uuid.uuid4()), name, stamp, institution, notes, stamp, stamp),
            ).lastrowid
            for tag in tags:
                conn.execute("INSERT OR IGNORE INTO mentor_tag VALUES (?, ?)", (mentor_id, tag))
    path, again = base / "m.csv", base / "again.csv"  # files: CliRunner's stdout turns CRLF into LF
    ok("--db", str(first_db), "export", "-f", "csv", "-o", str(path))
    ok("--db", str(second_db), "import", str(path))
    ok("--db", str(second_db), "export", "-f", "csv", "-o", str(again))
    assert again.read_bytes() == path.read_bytes()
    assert dump(second_db)["mentor"] == dump(first_db)["mentor"]
