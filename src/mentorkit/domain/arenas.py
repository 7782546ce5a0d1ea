"""Arenas of a career (research, career, personal, and the user's own)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from mentorkit.clock import to_db
from mentorkit.domain.common import clean_name, clean_text, new_uuid
from mentorkit.errors import InvalidInput, NotFound


@dataclass
class Arena:
    id: int
    uuid: str
    name: str
    description: str | None
    mentors: int = 0


def list_arenas(conn: sqlite3.Connection) -> list[Arena]:
    rows = conn.execute(
        "SELECT arena.*, (SELECT count(*) FROM mentor_arena ma JOIN mentor m ON m.id = ma.mentor_id "
        " WHERE ma.arena_id = arena.id AND m.stage IN ('pilot', 'active', 'paused')) AS mentors "
        "FROM arena ORDER BY arena.id"
    )
    return [Arena(r["id"], r["uuid"], r["name"], r["description"], r["mentors"]) for r in rows]


def resolve_arena(conn: sqlite3.Connection, name: str) -> Arena:
    row = conn.execute("SELECT * FROM arena WHERE name = ? COLLATE NOCASE", (name.strip(),)).fetchone()
    if row is None:
        known = ", ".join(r["name"] for r in conn.execute("SELECT name FROM arena ORDER BY id"))
        raise NotFound(
            f"no arena named {name!r}; known arenas: {known}. Add it with `mentorkit arena add {name.strip()!r}`"
        )
    return Arena(row["id"], row["uuid"], row["name"], row["description"])


def add_arena(conn: sqlite3.Connection, now: datetime, name: str, description: str | None = None) -> Arena:
    clean = clean_name(name, "the arena name", limit=60)
    assert clean is not None
    clean = clean.lower() if clean.isascii() else clean
    if conn.execute("SELECT 1 FROM arena WHERE name = ? COLLATE NOCASE", (clean,)).fetchone():
        raise InvalidInput(f"the arena {clean!r} already exists; see `mentorkit arenas`")
    stamp, uid = to_db(now), new_uuid()
    text = clean_text(description, "the description", limit=2_000)
    cursor = conn.execute(
        "INSERT INTO arena (uuid, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        (uid, clean, text, stamp, stamp),
    )
    assert cursor.lastrowid is not None
    return Arena(cursor.lastrowid, uid, clean, text)
