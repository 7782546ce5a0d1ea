"""The tables an export carries, how their links are named, and their columns in this store.

`SPECS` lists the data tables in an order where every table comes after the tables it links to,
so an import can resolve links as it goes. Link tables (mentor_arena, mentor_tag, group_member)
travel inside their owner's record. A test checks that every data table of the migrated schema is
covered here, so a table added by a later migration cannot silently drop out of exports.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LinkSet:
    """A many-to-many link stored in its own table, carried inside the owning record."""

    key: str  # the list's name in the record
    table: str
    own: str  # column holding the owner's id
    other: str  # column holding the linked id (or the value, for tags)
    ref: str | None  # table the linked id points to; None for plain values


@dataclass(frozen=True)
class Spec:
    table: str
    key: str
    links: dict[str, str] = field(default_factory=dict)  # column -> referenced table
    natural: str | None = None  # "name", "singleton", "person" (names.name_key and email), or a unique column
    sets: tuple[LinkSet, ...] = ()


SPECS: tuple[Spec, ...] = (
    Spec("profile", "profile", natural="singleton"),
    Spec("arena", "arenas", natural="name"),
    Spec(
        "mentor",
        "mentors",
        natural="person",
        sets=(
            LinkSet("arenas", "mentor_arena", "mentor_id", "arena_id", "arena"),
            LinkSet("tags", "mentor_tag", "mentor_id", "tag", None),
            LinkSet("roles", "mentor_role", "mentor_id", "role", None),
        ),
    ),
    Spec(
        "goal",
        "goals",
        {"arena_id": "arena"},
        sets=(LinkSet("mentors", "goal_mentor", "goal_id", "mentor_id", "mentor"),),
    ),
    Spec("milestone", "milestones", {"goal_id": "goal"}),
    Spec("stage_change", "stage_changes", {"mentor_id": "mentor"}),
    Spec(
        "mgroup",
        "groups",
        natural="name",
        sets=(LinkSet("members", "group_member", "group_id", "mentor_id", "mentor"),),
    ),
    Spec("meeting", "meetings", {"mentor_id": "mentor", "group_id": "mgroup", "goal_id": "goal"}),
    Spec(
        "followup",
        "followups",
        {"mentor_id": "mentor", "group_id": "mgroup", "meeting_id": "meeting", "goal_id": "goal"},
    ),
    Spec("advice", "advice", {"mentor_id": "mentor", "arena_id": "arena", "meeting_id": "meeting", "goal_id": "goal"}),
    Spec("pitch", "pitches", {"arena_id": "arena", "mentor_id": "mentor"}),
    Spec("flag", "flags", {"mentor_id": "mentor"}),
    Spec("agreement", "agreements", {"mentor_id": "mentor"}, natural="mentor_id"),
)
LINK_TABLES = frozenset(s.table for spec in SPECS for s in spec.sets)

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
INSTANT_RE = re.compile(r"^\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-5]\dZ$")


def _link_key(column: str) -> str:
    return column.removesuffix("_id")


@dataclass
class Column:
    name: str
    key: str  # its name in the file
    kind: str  # text, name, email, cadence, clock, int, at, on, zone, uuid, link
    notnull: bool
    default: Any
    ref: str | None = None


def _default(text: str | None) -> Any:
    if text is None:
        return None
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    try:
        return int(text)
    except ValueError:
        return None


def columns_of(conn: sqlite3.Connection, spec: Spec) -> list[Column]:
    """The table's columns as they are in this store (a later migration may have added some)."""
    result = []
    for row in conn.execute(f"PRAGMA table_info({spec.table})"):
        name, sqltype, notnull, default = row[1], (row[2] or "").upper(), bool(row[3]), row[4]
        if name == "id":
            continue
        ref = spec.links.get(name)
        if ref:
            kind = "link"
        elif name == "uuid":
            kind = "uuid"
        elif name.endswith("_at"):
            kind = "at"
        elif name.endswith("_on"):
            kind = "on"
        elif name == "timezone":
            kind = "zone"
        elif name == "name":
            kind = "name"
        elif name == "email":
            kind = "email"
        elif name == "cadence":
            kind = "cadence"
        elif name in ("hours_start", "hours_end"):
            kind = "clock"
        elif "INT" in sqltype:
            kind = "int"
        else:
            kind = "text"
        key = _link_key(name) if ref else name
        result.append(Column(name, key, kind, notnull, _default(default), ref))
    return result


def data_tables(conn: sqlite3.Connection) -> set[str]:
    """Every ordinary table of the store that holds the user's data: the tables the change
    journal records (neither the journal itself, nor derived data, nor bookkeeping)."""
    from mentorkit.store.journal import journaled_tables

    return set(journaled_tables(conn))
