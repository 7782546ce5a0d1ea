"""Fixing the people on the board: deleting a mentor added by mistake, merging two records of one
person, and finding the likely duplicates.

Two records are likely the same person by the identity rules (domain/identity.py): they share
an email address or a profile URL, or their names share `names.name_key` (honorifics, initials,
case, order and a "Last, First" comma ignored: "Dr. Kenji Watanabe" = "Kenji Watanabe" =
"watanabe, kenji") and no email or profile URL tells them apart. Import recognises people by the
same rules.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from mentorkit.clock import to_db
from mentorkit.errors import InvalidInput
from mentorkit.names import name_key

# What belongs to a mentor, table by table: (table, words). Rows of these tables name the mentor in
# `mentor_id`; a delete removes them (the schema refuses to orphan meetings, follow-ups and advice),
# a merge moves them onto the kept mentor.
OWNED = (
    ("followup", "follow-up", "follow-ups"),
    ("advice", "piece of advice", "pieces of advice"),
    ("meeting", "meeting", "meetings"),
    ("pitch", "pitch", "pitches"),
    ("flag", "flag", "flags"),
    ("stage_change", "stage change", "stage changes"),
)
LINKS = (  # (table, the other column): sets of links, merged as sets
    ("mentor_arena", "arena_id"),
    ("mentor_tag", "tag"),
    ("group_member", "group_id"),
)
FILLED = (
    "email",
    "institution",
    "title",
    "profile_url",
    "location",
    "timezone",
    "is_local",
    "pilot_review_on",
    "source",
    "channels",
    "cadence",
    "cadence_label",
    "hours_start",
    "hours_end",
    "notes",
)
"""Fields a merge copies from the duplicate when the kept mentor's is empty."""


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def belongings(conn: sqlite3.Connection, mentor_id: int) -> list[str]:
    """What a mentor's record holds besides itself ("3 meetings", ...), for a question or a report.
    Group meetings and follow-ups (kept with the group) are not theirs."""
    found = []
    for table, one, many in OWNED:
        n = conn.execute(f"SELECT count(*) FROM {table} WHERE mentor_id = ?", (mentor_id,)).fetchone()[0]
        if n and table != "stage_change":
            found.append(_count(n, one, many))
    groups = conn.execute("SELECT count(*) FROM group_member WHERE mentor_id = ?", (mentor_id,)).fetchone()[0]
    if groups:
        found.append(_count(groups, "group membership", "group memberships"))
    return found


def delete_mentor(conn: sqlite3.Connection, mentor_id: int) -> list[str]:
    """Delete a mentor and everything that is theirs (see `belongings`); returns that list."""
    went = belongings(conn, mentor_id)
    # Follow-ups and advice first: they may point at the mentor's meetings.
    for table, _, _ in OWNED:
        conn.execute(f"DELETE FROM {table} WHERE mentor_id = ?", (mentor_id,))
    conn.execute("DELETE FROM mentor WHERE id = ?", (mentor_id,))
    return went


@dataclass
class Merged:
    kept_id: int
    kept: str
    gone_id: int
    gone: str
    moved: list[str]
    filled: list[str] = field(default_factory=list)


def merge_mentors(conn: sqlite3.Connection, now: datetime, duplicate: int, into: int) -> Merged:
    """Move everything of `duplicate` onto `into`, fill `into`'s empty fields from it, and delete it."""
    if duplicate == into:
        raise InvalidInput("cannot merge a mentor into itself; name two different mentors")
    gone = conn.execute("SELECT * FROM mentor WHERE id = ?", (duplicate,)).fetchone()
    kept = conn.execute("SELECT * FROM mentor WHERE id = ?", (into,)).fetchone()
    assert gone is not None and kept is not None  # resolved by the caller
    moved = belongings(conn, duplicate)
    for table, _, _ in OWNED:
        if table == "stage_change":
            conn.execute("UPDATE stage_change SET mentor_id = ? WHERE mentor_id = ?", (into, duplicate))
        else:
            conn.execute(
                f"UPDATE {table} SET mentor_id = ?, updated_at = ? WHERE mentor_id = ?", (into, to_db(now), duplicate)
            )
    for table, other in LINKS:
        conn.execute(
            f"INSERT OR IGNORE INTO {table} (mentor_id, {other}) SELECT ?, {other} FROM {table} WHERE mentor_id = ?",
            (into, duplicate),
        )
    filled = [c for c in FILLED if kept[c] in (None, "") and gone[c] not in (None, "")]
    if filled:
        sets = ", ".join(f"{c} = ?" for c in filled)
        conn.execute(
            f"UPDATE mentor SET {sets}, updated_at = ? WHERE id = ?",
            [*(gone[c] for c in filled), to_db(now), into],
        )
    conn.execute("DELETE FROM mentor WHERE id = ?", (duplicate,))  # its link rows go with it
    return Merged(into, kept["name"], duplicate, gone["name"], moved, filled)


@dataclass(frozen=True)
class Pair:
    """Two mentors that are likely one person, and why."""

    first_id: int
    first: str
    second_id: int
    second: str
    reason: str  # "same email" or "same name"


def duplicates(conn: sqlite3.Connection) -> list[Pair]:
    """Likely duplicate pairs, each once (lower id first): the same email, the same profile URL,
    or the same name with no email or profile URL telling them apart."""
    from mentorkit.domain.identity import Keys

    rows = conn.execute("SELECT id, name, email, profile_url FROM mentor ORDER BY id").fetchall()
    keys = {r["id"]: Keys.of(r["email"], r["profile_url"]) for r in rows}
    pairs: dict[tuple[int, int], Pair] = {}
    for reason, key in (
        ("same email", lambda r: keys[r["id"]].email),
        ("same profile URL", lambda r: keys[r["id"]].url),
        ("same name", lambda r: name_key(r["name"])),
    ):
        groups: dict[str, list[sqlite3.Row]] = {}
        for row in rows:
            k = key(row)
            if k:
                groups.setdefault(k, []).append(row)
        for members in groups.values():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if reason == "same name" and keys[a["id"]].conflict(keys[b["id"]]):
                        continue  # two people of one name (two emails, two profiles)
                    pairs.setdefault((a["id"], b["id"]), Pair(a["id"], a["name"], b["id"], b["name"], reason))
    return sorted(pairs.values(), key=lambda p: (p.first_id, p.second_id))
