"""Mastermind groups: near-peers (and mentors) who meet to mentor each other."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from mentorkit.errors import NotFound


@dataclass
class GroupRef:
    id: int
    uuid: str
    name: str
    cadence: str | None
    cadence_label: str | None


def resolve_group(conn: sqlite3.Connection, name: str) -> GroupRef:
    """A group by id or by its name (case-insensitive)."""
    text = name.strip()
    if text.isdigit():
        row = conn.execute("SELECT * FROM mgroup WHERE id = ?", (int(text),)).fetchone()
    else:
        row = conn.execute("SELECT * FROM mgroup WHERE name = ? COLLATE NOCASE", (text,)).fetchone()
    if row is None:
        known = ", ".join(r[0] for r in conn.execute("SELECT name FROM mgroup ORDER BY name"))
        hint = f"known groups: {known}" if known else "there are no groups yet"
        raise NotFound(f"no group named {text!r}; {hint}. Add one with `mentorkit group add NAME`")
    return GroupRef(row["id"], row["uuid"], row["name"], row["cadence"], row["cadence_label"])
