"""Search over people (name, title, institution, tags, notes) and red flags, with the stage shown;
the index kept in step by triggers (tags included), by undo, and made again by migration 13."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mentorkit.store import migrations
from mentorkit.store.db import open_store


def hits(ok: Callable[..., Any], *args: str) -> list[dict[str, Any]]:
    return ok("search", *args, "--json").json()


def people(ok: Callable[..., Any]) -> None:
    ok("add-mentor", "Dr. Wei Chen", "--title", "Dean of Medicine", "--institution", "UCSF", "--stage", "active")
    ok("add-mentor", "David Kim", "--title", "Associate Dean", "--institution", "Seoul National University")
    ok("add-mentor", "Mei Lin", "--institution", "Deanery Hospital", "--note", "Ran the dean's retreat in 2024")
    ok("add-mentor", "Ana Souza", "--peer", "--tag", "leadership")


def test_people_are_found_by_title_institution_notes_and_tags(ok: Callable[..., Any]) -> None:
    people(ok)
    found = hits(ok, "dean")
    assert {(h["kind"], h["mentor"], h["stage"]) for h in found} == {
        ("mentor", "Dr. Wei Chen", "active"),
        ("mentor", "David Kim", "prospect"),
        ("mentor", "Mei Lin", "prospect"),  # "dean's" in the notes
    }
    assert found[0]["mentor"] in ("Dr. Wei Chen", "David Kim")  # a short head with the word ranks first
    assert [h["mentor"] for h in hits(ok, "seoul")] == ["David Kim"]
    assert [h["mentor"] for h in hits(ok, "leadership")] == ["Ana Souza"]
    assert [h["mentor"] for h in hits(ok, "dean", "--kind", "mentor", "--mentor", "wei")] == ["Dr. Wei Chen"]
    table = ok("search", "seoul").stdout
    assert "stage" in table.splitlines()[0] and "prospect" in table


def test_tags_names_and_flags_stay_in_step(ok: Callable[..., Any]) -> None:
    people(ok)
    ok("edit", "Wei", "--tag", "grant panel")
    assert [h["mentor"] for h in hits(ok, "panel")] == ["Dr. Wei Chen"]
    ok("undo")
    assert hits(ok, "panel") == []
    ok("edit", "Souza", "--remove-tag", "leadership")
    assert hits(ok, "leadership") == []
    ok("edit", "Kim", "--title", "Professor")
    assert "David Kim" not in {h["mentor"] for h in hits(ok, "dean")}
    ok("flag", "Kim", "sits on the study section", "--kind", "conflict-of-interest")
    [flag] = hits(ok, "conflict")
    assert (flag["kind"], flag["mentor"], flag["stage"]) == ("flag", "David Kim", "prospect")
    assert [h["kind"] for h in hits(ok, "study section")] == ["flag"]
    ok("delete", "Kim", "--yes")
    assert hits(ok, "conflict") == [] and hits(ok, "seoul") == []
    assert ok("doctor", "--json").json()["ok"] is True


def test_an_ended_relationship_shows_its_stage(ok: Callable[..., Any]) -> None:
    people(ok)
    ok("end", "Kim", "--reason", "moved on")
    assert [h["stage"] for h in hits(ok, "seoul")] == ["ended"]


def test_migration_13_indexes_people_of_an_older_store(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply_pending(conn, upto=12)
    stamp = "2026-01-10T15:00:00Z"
    conn.execute(
        "INSERT INTO mentor (uuid, name, title, stage, stage_changed_at, created_at, updated_at) "
        "VALUES ('m1', 'Teresa Alvarez', 'Dean', 'active', ?, ?, ?)",
        (stamp, stamp, stamp),
    )
    conn.execute("INSERT INTO mentor_tag VALUES (1, 'sepsis')")
    conn.execute(
        "INSERT INTO flag (uuid, mentor_id, kind, note, raised_on, created_at, updated_at) "
        "VALUES ('f1', 1, 'competition', 'same grant call', '2026-01-10', ?, ?)",
        (stamp, stamp),
    )
    conn.execute(
        "INSERT INTO meeting (uuid, mentor_id, starts_at, status, notes, created_at, updated_at) "
        "VALUES ('g1', 1, ?, 'held', 'sepsis bundle', ?, ?)",
        (stamp, stamp, stamp),
    )
    conn.close()
    from zoneinfo import ZoneInfo

    from mentorkit.domain.search import rebuild_index, search

    with open_store(path) as store:
        utc = ZoneInfo("UTC")
        assert {h.kind for h in search(store.conn, "sepsis", utc)} == {"mentor", "meeting"}
        assert [h.kind for h in search(store.conn, "grant", utc)] == ["flag"]
        assert [h.stage for h in search(store.conn, "dean", utc)] == ["active"]
        rows = "SELECT rowid, kind, ref_id, head, body FROM search_index ORDER BY rowid"
        before = store.conn.execute(rows).fetchall()
        with store.write() as conn2:
            rebuild_index(conn2)
        assert [tuple(r) for r in store.conn.execute(rows)] == [tuple(r) for r in before]
