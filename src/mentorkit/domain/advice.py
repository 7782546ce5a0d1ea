"""The advice ledger: what each mentor advised, in which arena, and what came of it.

Advice starts `untested`; `advice rate` records what came of it (helpful, mixed, unhelpful, or
back to untested to undo a rating). The review ranks mentors by their helpful advice.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from mentorkit.clock import from_db, to_db
from mentorkit.domain.arenas import resolve_arena
from mentorkit.domain.common import choice, clean_text, new_uuid
from mentorkit.errors import InvalidInput, NotFound

OUTCOMES = ("helpful", "mixed", "unhelpful", "untested")


@dataclass
class Advice:
    id: int
    uuid: str
    text: str
    mentor_id: int | None
    mentor: str | None
    arena: str | None
    meeting_id: int | None
    given_on: date
    outcome: str
    outcome_note: str | None
    rated_at: datetime | None


def add_advice(
    conn: sqlite3.Connection,
    now: datetime,
    *,
    mentor_id: int,
    text: str,
    given_on: date,
    arena_id: int | None = None,
    meeting_id: int | None = None,
) -> int:
    """Record one piece of advice; returns its id."""
    body = clean_text(text, "the advice", required=True)
    stamp = to_db(now)
    cursor = conn.execute(
        "INSERT INTO advice (uuid, text, mentor_id, arena_id, meeting_id, given_on, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (new_uuid(), body, mentor_id, arena_id, meeting_id, given_on.isoformat(), stamp, stamp),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def default_arena_id(conn: sqlite3.Connection, mentor_id: int) -> int | None:
    """The arena advice is filed under when none is named: the mentor's only arena, if one."""
    rows = conn.execute("SELECT arena_id FROM mentor_arena WHERE mentor_id = ?", (mentor_id,)).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def record_advice(
    conn: sqlite3.Connection, now: datetime, *, mentor_id: int, text: str, given_on: date, arena: str | None = None
) -> Advice:
    """`advice add`: like `add_advice`, naming the arena.

    Without an arena, advice from a mentor who covers exactly one arena is filed under it, so the
    ledger can still be filtered by arena; otherwise it has none.
    """
    arena_id = resolve_arena(conn, arena).id if arena else default_arena_id(conn, mentor_id)
    return get_advice(conn, add_advice(conn, now, mentor_id=mentor_id, text=text, given_on=given_on, arena_id=arena_id))


_SELECT = (
    "SELECT advice.*, mentor.name AS mentor_name, arena.name AS arena_name FROM advice "
    "LEFT JOIN mentor ON mentor.id = advice.mentor_id LEFT JOIN arena ON arena.id = advice.arena_id"
)


def _row(row: sqlite3.Row) -> Advice:
    return Advice(
        id=row["id"],
        uuid=row["uuid"],
        text=row["text"],
        mentor_id=row["mentor_id"],
        mentor=row["mentor_name"],
        arena=row["arena_name"],
        meeting_id=row["meeting_id"],
        given_on=date.fromisoformat(row["given_on"]),
        outcome=row["outcome"],
        outcome_note=row["outcome_note"],
        rated_at=from_db(row["rated_at"]),
    )


def get_advice(conn: sqlite3.Connection, advice_id: int) -> Advice:
    row = conn.execute(f"{_SELECT} WHERE advice.id = ?", (advice_id,)).fetchone()
    if row is None:
        raise NotFound(f"no advice with id {advice_id}; see `mentorkit advice`")
    return _row(row)


def list_advice(
    conn: sqlite3.Connection,
    *,
    mentor_id: int | None = None,
    arena: str | None = None,
    outcome: str | None = None,
    meeting_id: int | None = None,
    limit: int | None = None,
) -> list[Advice]:
    """The ledger, newest first, filtered by mentor, arena name, outcome or meeting; at most
    `limit` entries when given."""
    where: list[str] = []
    params: list[object] = []
    if mentor_id is not None:
        where.append("advice.mentor_id = ?")
        params.append(mentor_id)
    if arena:
        where.append("advice.arena_id = ?")
        params.append(resolve_arena(conn, arena).id)
    if outcome:
        where.append("advice.outcome = ?")
        params.append(choice(outcome, OUTCOMES, "outcome"))
    if meeting_id is not None:
        where.append("advice.meeting_id = ?")
        params.append(meeting_id)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY advice.given_on DESC, advice.id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_row(r) for r in conn.execute(sql, params)]


def rate_advice(
    conn: sqlite3.Connection, now: datetime, advice_id: int, outcome: str, note: str | None = None
) -> Advice:
    """Record what came of a piece of advice. `untested` clears an earlier rating."""
    value = choice(outcome, OUTCOMES, "outcome")
    text = clean_text(note, "the note", limit=10_000)
    get_advice(conn, advice_id)  # a clear NotFound before writing
    if value == "untested" and text:
        raise InvalidInput("a note explains a rating; rate the advice helpful, mixed or unhelpful")
    stamp = to_db(now)
    conn.execute(
        "UPDATE advice SET outcome = ?, outcome_note = ?, rated_at = ?, updated_at = ? WHERE id = ?",
        (value, text, None if value == "untested" else stamp, stamp, advice_id),
    )
    return get_advice(conn, advice_id)
