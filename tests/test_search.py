"""Full-text search (FTS5): ranking, highlights, safety of queries, triggers, and migration 2."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NOW = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def notes(ok, clock):
    ok("profile", "set", "--name", "Maya Okafor", "--timezone", "America/Chicago")
    ok("add-mentor", "Teresa Alvarez", "--stage", "active", "--arena", "research")
    ok("add-mentor", "James Whitfield", "--stage", "active", "--arena", "career")
    # 03:00 UTC on March 1 is still February 28 in Chicago.
    ok(
        "log",
        "Teresa",
        "--when",
        "2026-03-01T03:00:00Z",
        "--agenda",
        "Grant strategy",
        "--notes",
        "We went through the grant budget and the biosketch.",
    )
    ok(
        "log",
        "James",
        "--when",
        "2026-03-05 10:00",
        "--notes",
        "Promotion timeline; teaching portfolio.",
        "--followup",
        "Ask HR about the grant-funded salary line",
    )
    ok("advice", "add", "Teresa", "Grant grant grant: write the grant aims before anything else")
    ok("advice", "add", "James", "Keep a teaching portfolio from year one")
    return ok


def hits(ok, *args: str) -> list[dict]:
    return ok("search", *args, "--json").json()


def test_hits_carry_kind_mentor_date_and_highlights(notes) -> None:
    found = hits(notes, "biosketch")
    assert len(found) == 1
    hit = found[0]
    assert (hit["kind"], hit["id"], hit["mentor"], hit["on"]) == ("meeting", 1, "Teresa Alvarez", "2026-02-28")
    assert [hit["snippet"][a:b] for a, b in hit["matches"]] == ["biosketch"]


def test_ranked_best_first_with_stemming(notes) -> None:
    found = hits(notes, "grants")  # stems to grant
    assert found[0]["kind"] == "advice"  # four mentions in a short text rank first
    assert {(h["kind"], h["mentor"]) for h in found} == {
        ("advice", "Teresa Alvarez"),
        ("meeting", "Teresa Alvarez"),
        ("followup", "James Whitfield"),
    }
    scores = [h["score"] for h in found]
    assert scores == sorted(scores, reverse=True)
    for h in found:
        assert all(h["snippet"][a:b].lower().startswith("grant") for a, b in h["matches"])


def test_words_phrases_prefixes_and_filters(notes) -> None:
    assert {h["kind"] for h in hits(notes, "teaching", "portfolio")} == {"meeting", "advice"}
    assert [h["kind"] for h in hits(notes, '"portfolio from year"')] == ["advice"]
    assert hits(notes, '"year from portfolio"') == []
    assert {h["mentor"] for h in hits(notes, "promot*")} == {"James Whitfield"}
    assert {h["kind"] for h in hits(notes, "grant", "--mentor", "James")} == {"followup"}
    assert {h["kind"] for h in hits(notes, "grant", "--kind", "meeting")} == {"meeting"}
    assert len(hits(notes, "grant", "--limit", "1")) == 1


def test_human_output_shows_who_and_when(notes) -> None:
    out = notes("search", "biosketch").stdout
    assert "Teresa Alvarez" in out and "2026-02-28" in out and "biosketch" in out


def test_highlight_is_bold_on_a_terminal(notes, clock) -> None:
    from rich.console import Console
    from rich.text import Text

    from mentorkit.domain.search import search
    from mentorkit.store.db import open_store

    with open_store() as store:
        hit = search(store.conn, "biosketch", ZoneInfo("UTC"))[0]
    text = Text(hit.snippet)
    for a, b in hit.matches:
        text.stylize("bold", a, b)
    console = Console(force_terminal=True, color_system="standard", width=200)
    with console.capture() as captured:
        console.print(text)
    assert "\x1b[1mbiosketch\x1b[0m" in captured.get()


def test_after_an_edit_and_a_delete(notes, db_path) -> None:
    notes("advice", "rate", "2", "helpful", "--note", "The chair loved the portfolio binder")
    assert [(h["kind"], h["id"]) for h in hits(notes, "binder")] == [("advice", 2)]
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE meeting SET notes = 'We discussed mentoring the residents' WHERE id = 1")
    assert [h["kind"] for h in hits(notes, "biosketch")] == []
    assert [(h["kind"], h["id"]) for h in hits(notes, "residents")] == [("meeting", 1)]
    assert [h["id"] for h in hits(notes, "strategy")] == [1]  # the agenda is still indexed
    with conn:
        conn.execute("DELETE FROM followup WHERE id = 1")
        conn.execute("UPDATE meeting SET agenda = NULL, notes = NULL WHERE id = 1")
    conn.close()
    assert hits(notes, "salary") == []
    assert hits(notes, "residents") == [] and hits(notes, "strategy") == []
    assert {h["kind"] for h in hits(notes, "grant")} == {"advice"}


QUERIES = [
    '"',
    "NEAR(",
    "AND",
    "a:b",
    "(grant",
    "grant OR",
    "NOT grant",
    "-grant",
    "^grant",
    "*",
    "grant*)",
    'col:"x',
    "{head body}: grant",
    "'; DROP TABLE meeting; --",
]


def test_no_query_is_a_traceback(notes, cli) -> None:
    for query in QUERIES:
        result = cli("search", "--", query)
        assert result.exit_code in (0, 1), (query, result.stderr)
        if result.exit_code == 1:
            assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
            assert result.stdout == ""
    # Operators are plain words: AND must appear in the text, OR is not a union.
    assert [h["kind"] for h in hits(notes, "grant AND budget")] == ["meeting"]
    assert hits(notes, "biosketch OR portfolio") == []
    assert notes("search", "--json", "--", "'; DROP TABLE meeting; --").json() == []
    assert hits(notes, "biosketch")  # the store is intact


def test_a_query_without_words_is_a_clean_error(notes, cli) -> None:
    result = cli("search", "--", '"" * ---')
    assert result.exit_code == 1
    assert "no words to look for" in result.stderr
    assert cli("search", "grant", "--kind", "email").exit_code == 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=40))
def test_any_text_searches_or_fails_cleanly(tmp_path: Path, text: str) -> None:
    from mentorkit.domain.search import search
    from mentorkit.errors import InvalidInput
    from mentorkit.store.db import open_store

    with open_store(tmp_path / "fuzz.db") as store:
        with store.write() as conn:
            if not conn.execute("SELECT 1 FROM mentor").fetchone():
                conn.execute(
                    "INSERT INTO mentor (uuid, name, stage, stage_changed_at, created_at, updated_at) "
                    "VALUES ('m', 'Ana', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', "
                    "'2026-01-01T00:00:00Z')"
                )
                conn.execute(
                    "INSERT INTO advice (uuid, text, mentor_id, given_on, created_at, updated_at) VALUES "
                    "('a', 'Write every day: \"NEAR\" AND (OR) *', 1, '2026-01-01', "
                    "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
                )
        try:
            result = search(store.conn, text, ZoneInfo("UTC"))
        except InvalidInput:
            return
        assert isinstance(result, list)


def test_migration_2_indexes_a_version_1_store(tmp_path: Path) -> None:
    from mentorkit.domain.search import search
    from mentorkit.store import migrations
    from mentorkit.store.db import connect, open_store

    path = tmp_path / "old.db"
    conn = connect(path)
    migrations.apply_pending(conn, upto=1)
    stamp = "2026-01-10T15:00:00Z"
    conn.executescript(f"""
        INSERT INTO mentor (uuid, name, stage, stage_changed_at, created_at, updated_at)
            VALUES ('m1', 'Teresa Alvarez', 'active', '{stamp}', '{stamp}', '{stamp}');
        INSERT INTO meeting (uuid, mentor_id, starts_at, status, agenda, notes, created_at, updated_at)
            VALUES ('g1', 1, '{stamp}', 'held', 'Budget', 'Talked about the sabbatical', '{stamp}', '{stamp}');
        INSERT INTO meeting (uuid, mentor_id, starts_at, status, created_at, updated_at)
            VALUES ('g2', 1, '{stamp}', 'held', '{stamp}', '{stamp}');
        INSERT INTO advice (uuid, text, mentor_id, given_on, created_at, updated_at)
            VALUES ('a1', 'Take the sabbatical in spring', 1, '2026-01-10', '{stamp}', '{stamp}');
        INSERT INTO followup (uuid, text, mentor_id, created_at, updated_at)
            VALUES ('f1', 'Email the sabbatical committee', 1, '{stamp}', '{stamp}');
        INSERT INTO pitch (uuid, mentor_id, request, body, created_at, updated_at)
            VALUES ('p1', 1, 'Would you advise on my sabbatical?', 'Dear Dr. Alvarez', '{stamp}', '{stamp}');
    """)
    assert migrations.current_version(conn) == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'search_index'").fetchone()[0] == 0
    conn.close()

    with open_store(path) as store:
        assert migrations.current_version(store.conn) == migrations.head() >= 2
        recorded = store.conn.execute("SELECT name FROM schema_migrations WHERE version = 2").fetchone()
        assert recorded[0] == "fts"
        # g2 has no text; the mentor is indexed too (schema 13)
        assert store.conn.execute("SELECT count(*) FROM search_index").fetchone()[0] == 5
        found = search(store.conn, "sabbatical", ZoneInfo("UTC"))
        assert sorted(h.kind for h in found) == ["advice", "followup", "meeting", "pitch"]
        assert {h.mentor for h in found} == {"Teresa Alvarez"}
        # and the triggers keep it in step from now on
        with store.write() as conn2:
            conn2.execute("UPDATE pitch SET request = 'Coffee at the conference?' WHERE id = 1")
        assert sorted(h.kind for h in search(store.conn, "sabbatical", ZoneInfo("UTC"))) == [
            "advice",
            "followup",
            "meeting",
        ]


def test_rebuild_index_matches_the_triggers(notes) -> None:
    from mentorkit.domain.search import rebuild_index
    from mentorkit.store.db import open_store

    with open_store() as store:
        before = store.conn.execute(
            "SELECT rowid, kind, ref_id, head, body FROM search_index ORDER BY rowid"
        ).fetchall()
        with store.write() as conn:
            count = rebuild_index(conn)
        after = store.conn.execute("SELECT rowid, kind, ref_id, head, body FROM search_index ORDER BY rowid").fetchall()
    assert count == len(before) == 7  # 5 texts and the 2 people
    assert [tuple(r) for r in before] == [tuple(r) for r in after]
