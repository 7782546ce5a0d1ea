"""The advice ledger: what each mentor advised, in which arena, and what came of it."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from mentorkit.clock import to_db
from mentorkit.domain.common import clean_text, new_uuid

OUTCOMES = ("helpful", "mixed", "unhelpful", "untested")


def add_advice(conn: sqlite3.Connection, now: datetime, *, mentor_id: int, text: str, given_on: date,
               arena_id: int | None = None, meeting_id: int | None = None) -> int:  # fmt: skip
    """Record one piece of advice; returns its id."""
    body = clean_text(text, "the advice", required=True)
    stamp = to_db(now)
    cursor = conn.execute(
        "INSERT INTO advice (uuid, text, mentor_id, arena_id, meeting_id, given_on, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (new_uuid(), body, mentor_id, arena_id, meeting_id, given_on.isoformat(), stamp, stamp),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid
