"""JSON export and import: round trips, idempotence, merge rules, refusals that write nothing."""

from __future__ import annotations

import io
import json
import sqlite3
import stat
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchange_helpers import NOW, TABLES, counts, dump, seed, storable_name
from mentorkit.exchange import jsonio
from mentorkit.exchange.changes import ImportResult
from mentorkit.exchange.merge import merge
from mentorkit.exchange.tables import LINK_TABLES, SPECS, data_tables
from mentorkit.store.db import open_store


def _body(text: str) -> list[str]:
    """An export without its timestamp line."""
    return [line for line in text.splitlines() if '"exported_at"' not in line]


def test_export_import_into_empty_store_exports_the_same_file(ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    first = tmp_path / "first.json"
    ok("export", "--format", "json", "-o", str(first))
    other = tmp_path / "other.db"
    ok("--db", str(other), "import", str(first))
    again = ok("--db", str(other), "export", "--format", "json").stdout
    assert _body(again) == _body(first.read_text(encoding="utf-8"))
    assert counts(other) == counts(db_path)
    assert stat.S_IMODE(first.stat().st_mode) == 0o600


def test_export_carries_uuids_links_by_uuid_and_a_format_version(ok, db_path: Path) -> None:
    ids = seed(db_path)
    doc = json.loads(ok("export", "--format", "json").stdout)
    assert doc["format"] == "mentorkit" and doc["format_version"] == jsonio.FORMAT_VERSION
    tables = doc["tables"]
    mentors = {m["uuid"]: m for m in tables["mentors"]}
    alvarez = next(m for m in tables["mentors"] if m["id"] == ids["alvarez"])
    arena_names = {a["uuid"]: a["name"] for a in tables["arenas"]}
    assert sorted(arena_names[u] for u in alvarez["arenas"]) == ["career", "research"]
    assert alvarez["tags"] == ["K-award", "R01"]
    meeting = next(m for m in tables["meetings"] if m["id"] == ids["meeting"])
    assert meeting["mentor"] == alvarez["uuid"] and "mentor_id" not in meeting
    group = tables["groups"][0]
    assert sorted(mentors[u]["name"] for u in group["members"]) == ["Jo Peer", "Kim Peer"]
    for records in tables.values():
        for record in records:
            uuid.UUID(record["uuid"])


def test_every_data_table_is_exported(db_path: Path) -> None:
    """A table added by a later migration must be added to SPECS (or be a link table)."""
    with open_store(db_path) as store:
        tables = data_tables(store.conn)
    covered = {s.table for s in SPECS} | LINK_TABLES
    assert tables == covered, tables ^ covered
    assert not tables & {"search_index", "schema_migrations", "mentor_tally"}


def test_importing_twice_changes_nothing(ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    export = tmp_path / "all.json"
    ok("export", "-f", "json", "-o", str(export))
    other = tmp_path / "other.db"
    first = ok("--db", str(other), "import", str(export), "--json").json()
    assert first["changed"] is True and first["tables"]["meetings"]["added"] == 3
    before = dump(other)
    second = ok("--db", str(other), "import", str(export), "--json").json()
    assert second["changed"] is False
    assert all(t["added"] == t["updated"] == t["links"] == 0 for t in second["tables"].values())
    assert dump(other) == before


def test_importing_into_the_same_store_changes_nothing(ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    export = tmp_path / "all.json"
    ok("export", "-f", "json", "-o", str(export))
    before = dump(db_path)
    result = ok("import", str(export), "--json").json()
    assert result["changed"] is False
    assert dump(db_path) == before


def test_ids_are_kept_when_moving_to_an_empty_store(ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM flag")  # gaps in ids must survive too
    export = tmp_path / "all.json"
    ok("export", "-f", "json", "-o", str(export))
    other = tmp_path / "other.db"
    ok("--db", str(other), "import", str(export))
    for table in ("mentor", "meeting", "followup", "advice"):
        assert dump(other)[table] == dump(db_path)[table]


@pytest.mark.parametrize(("top", "kept"), [(2**53 - 1, True), (2**53, False), (2**63, False)])
def test_an_id_is_kept_up_to_what_the_store_can_hold(ok, db_path: Path, tmp_path: Path, top: int, kept: bool) -> None:
    """docs/data.md: moving to an empty store keeps ids; a record whose id is above 2**53 - 1 gets
    the next free one, and the store takes new records after it."""
    seed(db_path)
    doc = json.loads(ok("export", "-f", "json").stdout)
    mentors = sorted(doc["tables"]["mentors"], key=lambda m: m["id"])
    mentors[-1]["id"] = top
    path = tmp_path / "big-ids.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    other = tmp_path / "other.db"
    ok("--db", str(other), "import", str(path))
    with sqlite3.connect(other) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM mentor ORDER BY id")]
    assert ids == [*range(1, len(mentors)), top if kept else len(mentors)]
    ok("--db", str(other), "add-mentor", "Ann Later")  # the store takes new records after it
    assert "Ann Later" in ok("--db", str(other), "search", "Later").stdout


def test_newer_record_in_file_wins_and_older_one_is_kept(ok, db_path: Path, tmp_path: Path) -> None:
    ids = seed(db_path)
    doc = json.loads(ok("export", "-f", "json").stdout)
    mentors = doc["tables"]["mentors"]
    newer = next(m for m in mentors if m["id"] == ids["alvarez"])
    newer.update(email="new@example.edu", updated_at="2030-01-01T00:00:00Z")
    older = next(m for m in mentors if m["id"] == ids["okafor"])
    older.update(email="old@example.edu", updated_at="2000-01-01T00:00:00Z")
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = ok("import", str(path), "--json").json()
    assert result["tables"]["mentors"]["updated"] == 1 and result["tables"]["mentors"]["kept"] == 1
    shown = {m["id"]: m for m in ok("mentors", "--json").json()}
    assert shown[ids["alvarez"]]["email"] == "new@example.edu"
    assert shown[ids["okafor"]]["email"] == "c.okafor@example.ac.uk"


def test_dry_run_reports_and_writes_nothing(ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    export = tmp_path / "all.json"
    ok("export", "-f", "json", "-o", str(export))
    other = tmp_path / "other.db"
    open_store(other).close()
    before = counts(other)
    result = ok("--db", str(other), "import", str(export), "--dry-run", "--json").json()
    assert result["dry_run"] is True and result["tables"]["mentors"]["added"] == 5
    assert counts(other) == before


def _store_with_data(ok, db_path: Path, tmp_path: Path) -> tuple[dict, Path, dict[str, int]]:
    seed(db_path)
    doc = json.loads(ok("export", "-f", "json").stdout)
    target = tmp_path / "target.db"
    ok("--db", str(target), "add-mentor", "Someone Else")
    return doc, target, counts(target)


def test_truncated_json_fails_naming_the_line_and_writes_nothing(cli, ok, db_path: Path, tmp_path: Path) -> None:
    doc, target, before = _store_with_data(ok, db_path, tmp_path)
    text = jsonio_text(doc)
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    result = cli("--db", str(target), "import", str(path))
    assert result.exit_code == 1
    assert "ends early" in result.stderr and "line " in result.stderr
    assert counts(target) == before


def jsonio_text(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1)


def test_bad_encoding_fails_naming_the_line(cli, ok, db_path: Path, tmp_path: Path) -> None:
    doc, target, before = _store_with_data(ok, db_path, tmp_path)
    data = jsonio_text(doc).encode("utf-8").replace(b"Teresa", b"Ter\xe9sa", 1)
    path = tmp_path / "latin.json"
    path.write_bytes(data)
    line = data[: data.index(b"\xe9")].count(b"\n") + 1
    result = cli("--db", str(target), "import", str(path))
    assert result.exit_code == 1 and f"line {line}" in result.stderr and "UTF-8" in result.stderr
    assert counts(target) == before


@pytest.mark.parametrize(
    ("table", "change", "message"),
    [
        ("mentors", {"stage": "famous"}, "CHECK constraint failed"),
        ("meetings", {"starts_at": "yesterday"}, "starts_at must be a UTC instant"),
        ("meetings", {"starts_at": "2026-02-30T10:00:00Z"}, "starts_at must be a UTC instant"),
        ("meetings", {"starts_at": "0999-12-31T23:00:00Z"}, "starts_at must be a UTC instant"),
        ("meetings", {"mentor": "00000000-0000-4000-8000-000000000000"}, "neither in the file nor in the store"),
        ("followups", {"due_on": "2026-02-30"}, "due_on must be a date"),
        ("mentors", {"timezone": "Mars/Olympus"}, "timezone must be an IANA time zone"),
        ("advice", {"secret": 1}, "unknown field(s): secret"),
        ("followups", {"text": None}, "has no text"),
        ("mentors", {"is_local": "yes"}, "is_local must be a whole number"),
        ("meetings", {"notes": "x" * 100_001}, "at most 100,000 characters"),
        ("advice", {"text": "a\x00b"}, "without NUL bytes"),
        # names and emails follow the rules of add-mentor, group add and profile set
        ("mentors", {"name": "Rosa \x1b[31mMartinez"}, "name must be one line of plain text"),
        ("mentors", {"name": "Rosa\nMartinez"}, "name must be one line of plain text"),
        ("mentors", {"name": "   "}, "name must be one line of plain text, not blank"),
        ("groups", {"name": "Master\tmind"}, "name must be one line of plain text"),
        ("arenas", {"name": "x" * 201}, "at most 200 characters"),
        ("mentors", {"email": "not an address"}, "email must be an email address"),
        ("mentors", {"email": "rosa@example.org\r\nBcc: all@example.org"}, "email must be an email address"),
        # cadences and working hours follow --cadence and --hours (found by a hostile test: exit 70 later)
        ("mentors", {"cadence": "not a rule at all"}, "cadence must be a cadence rule"),
        ("groups", {"cadence": "FREQ=SECONDLY"}, "cadence must be a cadence rule"),
        ("mentors", {"cadence": "FREQ=DAILY;INTERVAL=0"}, "cadence must be a cadence rule"),
        ("mentors", {"hours_start": "25:00", "hours_end": "26:00"}, "hours_start must be a time of day"),
        ("mentors", {"hours_start": "nine", "hours_end": "17:00"}, "hours_start must be a time of day"),
        ("mentors", {"hours_start": "09:00:00", "hours_end": "17:00"}, "hours_start must be a time of day"),
        ("mentors", {"hours_start": "17:00", "hours_end": "09:00"}, "the end after the start"),
        ("mentors", {"hours_start": "09:00", "hours_end": "09:00"}, "the end after the start"),
        ("mentors", {"hours_start": "09:00", "hours_end": None}, "must both be given"),
    ],
)
def test_a_broken_record_fails_naming_it_and_writes_nothing(
    cli, ok, db_path: Path, tmp_path: Path, table: str, change: dict, message: str
) -> None:
    doc, target, before = _store_with_data(ok, db_path, tmp_path)
    records = doc["tables"][table]
    records[-1].update(change)
    path = tmp_path / "broken.json"
    path.write_text(jsonio_text(doc), encoding="utf-8")
    result = cli("--db", str(target), "import", str(path))
    assert result.exit_code == 1, result.stdout
    assert message in result.stderr
    assert f"{table}[{len(records) - 1}]" in result.stderr
    assert "Traceback" not in result.stderr
    assert counts(target) == before


def test_a_newer_format_version_is_refused(cli, ok, db_path: Path, tmp_path: Path) -> None:
    doc, target, before = _store_with_data(ok, db_path, tmp_path)
    doc["format_version"] = jsonio.FORMAT_VERSION + 1
    path = tmp_path / "future.json"
    path.write_text(jsonio_text(doc), encoding="utf-8")
    result = cli("--db", str(target), "import", str(path))
    assert result.exit_code == 1 and "newer mentorkit" in result.stderr and "upgrade" in result.stderr
    assert counts(target) == before


def test_json_that_is_not_an_export_is_refused(cli, tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"name": "x"}', encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 1 and "not a mentorkit export" in result.stderr


def _store_with_meetings(path: Path, mentor: str, notes: list[str]) -> None:
    """A store holding one mentor and a meeting with them for each text of `notes`, written in one
    transaction (faster than as many `log` commands)."""
    with open_store(path) as store, store.write() as conn:
        conn.execute(
            "INSERT INTO mentor (uuid, name, stage, stage_changed_at, created_at, updated_at) "
            "VALUES (?, ?, 'active', ?, ?, ?)",
            (str(uuid.uuid4()), mentor, *["2026-01-01T00:00:00Z"] * 3),
        )
        conn.executemany(
            "INSERT INTO meeting (uuid, mentor_id, starts_at, notes, created_at, updated_at) "
            "VALUES (?, 1, '2026-01-02T10:00:00Z', ?, '2026-01-02T10:00:00Z', '2026-01-02T10:00:00Z')",
            [(str(uuid.uuid4()), text) for text in notes],
        )


def test_imported_notes_are_searchable_small_and_bulk(ok, tmp_path: Path) -> None:
    """The full-text index stays in step: per-row triggers for small imports, one rebuild for big ones
    (docs/data.md), also when a big table comes in more than one batch (2,500 meetings)."""
    for n in (3, 2500):
        source, target = tmp_path / f"s{n}.db", tmp_path / f"t{n}.db"
        _store_with_meetings(source, "Dr. Index", [f"talked about zebrafish number {k}" for k in range(n)])
        export = tmp_path / f"e{n}.json"
        ok("--db", str(source), "export", "-f", "json", "-o", str(export))
        ok("--db", str(target), "import", str(export))
        hits = ok("--db", str(target), "search", "zebrafish", "--json").json()
        assert len(hits) >= min(n, 3)
        with sqlite3.connect(target) as conn:
            indexed = conn.execute("SELECT count(*) FROM search_index WHERE kind = 'meeting'").fetchone()[0]
            triggers = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0]
        assert indexed == n
        with sqlite3.connect(source) as conn:
            assert triggers == conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0]


def test_a_big_import_is_one_undo_that_leaves_what_was_there(ok, tmp_path: Path) -> None:
    """docs/daily-loop.md: an import goes in one undo, also a big one (its journal is written in
    bulk); the undo removes what the import added and nothing that was there before."""
    source, target = tmp_path / "laptop.db", tmp_path / "desk.db"
    _store_with_meetings(source, "Dr. Bulk", ["bulk"] * 1500)
    ok("--db", str(target), "add-mentor", "Ann Before", "--stage", "active")
    ok("--db", str(target), "log", "Ann", "--when", "2026-01-05 10:00", "--notes", "here before")
    ok("--db", str(target), "log", "Ann", "--when", "2026-01-12 10:00", "--notes", "also before")
    export = tmp_path / "laptop.json"
    ok("--db", str(source), "export", "-f", "json", "-o", str(export))
    ok("--db", str(target), "import", str(export))
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM meeting").fetchone()[0] == 1502
    ok("--db", str(target), "undo")
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT notes FROM meeting ORDER BY id").fetchall() == [("here before",), ("also before",)]
    assert [m["name"] for m in ok("--db", str(target), "mentors", "--json").json()] == ["Ann Before"]


# --- property: arbitrary text survives a JSON round trip --------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=60)
TRICKY = st.one_of(
    TEXT,
    st.sampled_from(
        ["=1+1", "+44 20", "-x", "@sum", "\tlead", "\rcr", 'quote "q"', "a\nb", "'=already", "é\u2028ü", "🌱"]
    ),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(TRICKY.filter(storable_name), min_size=1, max_size=4),
    notes=TRICKY,
    tag=TRICKY.filter(lambda s: s.strip() == s and s.strip()),
)
def test_json_round_trip_keeps_any_text(
    tmp_path_factory: pytest.TempPathFactory, names: list[str], notes: str, tag: str
) -> None:
    base = tmp_path_factory.mktemp("rt")
    stamp = "2026-01-01T00:00:00Z"
    with open_store(base / "a.db") as store, store.write() as conn:
        for name in names:
            conn.execute(
                "INSERT INTO mentor (uuid, name, stage, stage_changed_at, notes, created_at, updated_at) "
                "VALUES (?, ?, 'prospect', ?, ?, ?, ?)",
                (str(uuid.uuid4()), name, stamp, notes, stamp, stamp),
            )
            conn.execute("INSERT INTO mentor_tag VALUES (last_insert_rowid(), ?)", (tag,))
            conn.execute(
                "INSERT INTO meeting (uuid, mentor_id, starts_at, agenda, notes, created_at, updated_at) VALUES "
                "(?, (SELECT max(id) FROM mentor), ?, ?, ?, ?, ?)",
                (str(uuid.uuid4()), stamp, name, notes, stamp, stamp),
            )
    first = io.StringIO()
    with open_store(base / "a.db") as store, store.read() as conn:
        jsonio.export_json(conn, first, now=NOW, schema_version=2)
    with open_store(base / "b.db") as store, store.write() as conn:
        merge(conn, jsonio.read_json(io.BytesIO(first.getvalue().encode("utf-8")), "x"), ImportResult("json"))
    second = io.StringIO()
    with open_store(base / "b.db") as store, store.read() as conn:
        jsonio.export_json(conn, second, now=NOW, schema_version=2)
    assert second.getvalue() == first.getvalue()
    assert dump(base / "b.db")["mentor"] == dump(base / "a.db")["mentor"]


def test_tables_constant_matches_helpers() -> None:
    assert set(TABLES) == {s.table for s in SPECS} | LINK_TABLES


def test_a_refused_import_into_a_new_path_leaves_no_store_behind(cli, tmp_path: Path) -> None:
    """Found by a hostile test: the import was refused (exit 1) but an empty store stayed."""
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps({"format": "mentorkit", "format_version": jsonio.FORMAT_VERSION, "tables": {"mentors": [{}]}}),
        encoding="utf-8",
    )
    target = tmp_path / "new" / "store.db"
    result = cli("--db", str(target), "import", str(path))
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Created a new store" not in result.stderr + result.stdout
    assert list(target.parent.iterdir()) == []
    refused = cli("--db", str(target), "add-mentor", "Rosa\x1b[2J")
    assert refused.exit_code == 1 and list(target.parent.iterdir()) == []
    made = cli("--db", str(target), "add-mentor", "Rosa Martinez")
    assert made.exit_code == 0 and f"Created a new store at {target}." in made.stderr
