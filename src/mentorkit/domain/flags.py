"""Red flags on a relationship: lack of commitment, perceived competition, conflicts of interest.

A flag stays *open* until it is resolved (`unflag`); open flags put the mentor on the review's
"reconsider" list. Resolved flags are kept as history and still shown by `show`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from mentorkit.clock import date_from_db, to_db
from mentorkit.domain.common import choice, clean_text, new_uuid
from mentorkit.errors import InvalidInput, NotFound

FLAG_KINDS = ("commitment", "competition", "conflict-of-interest", "other")


@dataclass
class Flag:
    id: int
    uuid: str
    mentor_id: int
    mentor: str
    kind: str
    note: str | None
    raised_on: date
    resolved_on: date | None

    @property
    def open(self) -> bool:
        return self.resolved_on is None


_SELECT = "SELECT flag.*, mentor.name AS mentor_name FROM flag JOIN mentor ON mentor.id = flag.mentor_id"


def _row(row: sqlite3.Row) -> Flag:
    return Flag(
        id=row["id"],
        uuid=row["uuid"],
        mentor_id=row["mentor_id"],
        mentor=row["mentor_name"],
        kind=row["kind"],
        note=row["note"],
        raised_on=date.fromisoformat(row["raised_on"]),
        resolved_on=date_from_db(row["resolved_on"]),
    )


def add_flag(
    conn: sqlite3.Connection, now: datetime, *, mentor_id: int, kind: str, note: str | None, raised_on: date
) -> Flag:
    """Record a red flag on a relationship."""
    value = choice(kind, FLAG_KINDS, "flag kind")
    text = clean_text(note, "the flag note", limit=10_000)
    stamp = to_db(now)
    cursor = conn.execute(
        "INSERT INTO flag (uuid, mentor_id, kind, note, raised_on, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (new_uuid(), mentor_id, value, text, raised_on.isoformat(), stamp, stamp),
    )
    assert cursor.lastrowid is not None
    return get_flag(conn, cursor.lastrowid)


def get_flag(conn: sqlite3.Connection, flag_id: int) -> Flag:
    row = conn.execute(f"{_SELECT} WHERE flag.id = ?", (flag_id,)).fetchone()
    if row is None:
        raise NotFound(f"no flag with id {flag_id}; see `mentorkit flags --all`")
    return _row(row)


def resolve_flag(conn: sqlite3.Connection, now: datetime, flag_id: int, on: date) -> Flag:
    """Mark a flag as dealt with; it stays in the history."""
    flag = get_flag(conn, flag_id)
    if flag.resolved_on is not None:
        raise InvalidInput(f"flag {flag_id} was already resolved on {flag.resolved_on}")
    if on < flag.raised_on:
        raise InvalidInput(f"flag {flag_id} was raised on {flag.raised_on}; resolve it on or after that")
    conn.execute(
        "UPDATE flag SET resolved_on = ?, updated_at = ? WHERE id = ?",
        (on.isoformat(), to_db(now), flag_id),
    )
    return get_flag(conn, flag_id)


def list_flags(conn: sqlite3.Connection, *, mentor_id: int | None = None, include_resolved: bool = False) -> list[Flag]:
    """Flags, newest first; open ones only unless `include_resolved`."""
    where, params = [], []
    if mentor_id is not None:
        where.append("flag.mentor_id = ?")
        params.append(mentor_id)
    if not include_resolved:
        where.append("flag.resolved_on IS NULL")
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY flag.raised_on DESC, flag.id DESC"
    return [_row(r) for r in conn.execute(sql, params)]


def flags_for(conn: sqlite3.Connection, mentor_id: int) -> list[Flag]:
    """Every flag of one mentor, open and resolved, newest first (for `show`)."""
    return list_flags(conn, mentor_id=mentor_id, include_resolved=True)
