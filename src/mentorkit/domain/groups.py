"""Mastermind groups: near-peers (and mentors) who meet to mentor each other.

The model: every member is a row of `mentor`. Near-peers are mentors of kind `peer` (added with
`add-mentor NAME --peer`, or created by `group add` for a member name that matches nobody in the
store, as kind peer in the active stage). A mentor of kind `mentor` can sit in a group too. So a
member can be named in `log`, `followup add`, `search` and `show` like anyone else, one person is
one row however many groups they join, and the board keeps peers out of the arena cover while
listing the groups as near-peer support.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from mentorkit.cadences import cadence_words
from mentorkit.clock import from_db, to_db
from mentorkit.dates import next_occurrence, parse_cadence
from mentorkit.domain.common import clean_name, clean_text, new_uuid
from mentorkit.domain.mentors import MentorFields, add_mentor, resolve_mentor
from mentorkit.errors import InvalidInput, NotFound


@dataclass
class GroupRef:
    id: int
    uuid: str
    name: str
    cadence: str | None
    cadence_label: str | None


@dataclass
class Member:
    id: int
    name: str
    kind: str
    stage: str


@dataclass
class Group:
    id: int
    uuid: str
    name: str
    cadence: str | None
    cadence_label: str | None
    notes: str | None
    members: list[Member] = field(default_factory=list)
    meetings_held: int = 0
    last_meeting: datetime | None = None
    next_meeting: datetime | None = None  # the next planned one
    checkin_due_on: date | None = None  # by the cadence, from the last held meeting (or forming)
    open_followups: int = 0
    created_members: list[str] = field(default_factory=list)  # peers `group add` created


def resolve_group(conn: sqlite3.Connection, name: str) -> GroupRef:
    """A group by id or by its name (case-insensitive)."""
    text = name.strip()
    if text.isdecimal():
        row = conn.execute("SELECT * FROM mgroup WHERE id = ?", (int(text),)).fetchone()
    else:
        row = conn.execute("SELECT * FROM mgroup WHERE name = ? COLLATE NOCASE", (text,)).fetchone()
    if row is None:
        known = ", ".join(r[0] for r in conn.execute("SELECT name FROM mgroup ORDER BY name"))
        hint = f"known groups: {known}" if known else "there are no groups yet"
        raise NotFound(f"no group named {text!r}; {hint}. Add one with `mentorkit group add NAME`")
    return GroupRef(
        row["id"], row["uuid"], row["name"], row["cadence"], cadence_words(row["cadence"], row["cadence_label"])
    )


def resolve_member(conn: sqlite3.Connection, group: GroupRef, ref: str) -> Member:
    """A member of `group` by id or part of a name (as MENTOR arguments are), or a clear error
    listing the members."""
    person = resolve_mentor(conn, ref)
    row = conn.execute(
        "SELECT m.id, m.name, m.kind, m.stage FROM group_member gm JOIN mentor m ON m.id = gm.mentor_id "
        "WHERE gm.group_id = ? AND gm.mentor_id = ?",
        (group.id, person.id),
    ).fetchone()
    if row is None:
        names = ", ".join(
            r[0]
            for r in conn.execute(
                "SELECT m.name FROM group_member gm JOIN mentor m ON m.id = gm.mentor_id "
                "WHERE gm.group_id = ? ORDER BY m.name COLLATE NOCASE",
                (group.id,),
            )
        )
        raise InvalidInput(
            f"{person.name} is not a member of {group.name} (members: {names}); "
            f"add them with `mentorkit group add-member {group.id} NAME`"
        )
    return Member(row["id"], row["name"], row["kind"], row["stage"])


def _member_id(conn: sqlite3.Connection, now: datetime, zone: tzinfo, ref: str, created: list[str]) -> int:
    """The mentor a member name resolves to; a name that matches nobody becomes a new peer."""
    text = ref.strip()
    try:
        return resolve_mentor(conn, text).id
    except NotFound:
        if text.lstrip("#").isdecimal():
            raise
    # resolve_mentor found nobody by this name, so this is a new person even when name_key (which
    # drops initials) calls the name alike: no duplicate refusal here
    peer = add_mentor(conn, now, zone, MentorFields(name=text, kind="peer", stage="active"), again=True)
    created.append(peer.name)
    return peer.id


def _cadence(text: str | None) -> tuple[str | None, str | None]:
    if text is None or text.strip().lower() in ("", "none"):
        return None, None
    cadence = parse_cadence(text)
    return cadence.rule, cadence.label


def add_group(
    conn: sqlite3.Connection,
    now: datetime,
    zone: tzinfo,
    name: str,
    members: list[str],
    *,
    cadence: str | None = None,
    notes: str | None = None,
) -> Group:
    """A new group with its members (see the module docstring for how member names resolve)."""
    clean = clean_name(name, "the group name")
    assert clean is not None
    if clean.isdigit():
        raise InvalidInput("a group name cannot be only digits (ids are numbers); add a word")
    if conn.execute("SELECT 1 FROM mgroup WHERE name = ? COLLATE NOCASE", (clean,)).fetchone():
        raise InvalidInput(f"the group {clean!r} already exists; change it with `mentorkit group edit`")
    if not members:
        raise InvalidInput("a group needs members: add --member NAME for each")
    rule, label = _cadence(cadence)
    stamp = to_db(now)
    cursor = conn.execute(
        "INSERT INTO mgroup (uuid, name, cadence, cadence_label, notes, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (new_uuid(), clean, rule, label, clean_text(notes, "the notes"), stamp, stamp),
    )
    group_id = cursor.lastrowid
    assert group_id is not None
    created: list[str] = []
    for ref in members:
        conn.execute(
            "INSERT OR IGNORE INTO group_member VALUES (?, ?)",
            (group_id, _member_id(conn, now, zone, ref, created)),
        )
    group = get_group(conn, now, zone, group_id)
    group.created_members = created
    return group


def edit_group(
    conn: sqlite3.Connection,
    now: datetime,
    zone: tzinfo,
    group: GroupRef,
    *,
    add: list[str] | None = None,
    remove: list[str] | None = None,
    cadence: str | None = None,
    name: str | None = None,
) -> Group:
    """Add or remove members, change the cadence or the name."""
    created: list[str] = []
    for ref in add or []:
        conn.execute(
            "INSERT OR IGNORE INTO group_member VALUES (?, ?)",
            (group.id, _member_id(conn, now, zone, ref, created)),
        )
    for ref in remove or []:
        member = resolve_mentor(conn, ref)
        gone = conn.execute(
            "DELETE FROM group_member WHERE group_id = ? AND mentor_id = ?", (group.id, member.id)
        ).rowcount
        if not gone:
            raise InvalidInput(f"{member.name} is not a member of {group.name}")
    values: dict[str, object] = {}
    if cadence is not None:
        values["cadence"], values["cadence_label"] = _cadence(cadence)
    if name is not None:
        clean = clean_name(name, "the group name")
        assert clean is not None
        other = conn.execute(
            "SELECT id FROM mgroup WHERE name = ? COLLATE NOCASE AND id != ?", (clean, group.id)
        ).fetchone()
        if other or clean.isdigit():
            raise InvalidInput(f"cannot rename the group to {clean!r}: the name is taken or only digits")
        values["name"] = clean
    values["updated_at"] = to_db(now)
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn.execute(f"UPDATE mgroup SET {assignments} WHERE id = ?", [*values.values(), group.id])
    result = get_group(conn, now, zone, group.id)
    result.created_members = created
    return result


def _group(conn: sqlite3.Connection, now: datetime, zone: tzinfo, row: sqlite3.Row) -> Group:
    group = Group(
        row["id"],
        row["uuid"],
        row["name"],
        row["cadence"],
        cadence_words(row["cadence"], row["cadence_label"]),
        row["notes"],
    )
    group.members = [
        Member(r["id"], r["name"], r["kind"], r["stage"])
        for r in conn.execute(
            "SELECT m.id, m.name, m.kind, m.stage FROM group_member gm "
            "JOIN mentor m ON m.id = gm.mentor_id "
            "WHERE gm.group_id = ? ORDER BY m.name COLLATE NOCASE",
            (group.id,),
        )
    ]
    stamp = to_db(now)
    held = conn.execute(
        "SELECT count(*), max(starts_at) FROM meeting WHERE group_id = ? AND status = 'held'",
        (group.id,),
    ).fetchone()
    group.meetings_held, group.last_meeting = held[0], from_db(held[1])
    group.next_meeting = from_db(
        conn.execute(
            "SELECT min(starts_at) FROM meeting WHERE group_id = ? AND status = 'planned' AND starts_at >= ?",
            (group.id, stamp),
        ).fetchone()[0]
    )
    if group.cadence:
        # as `followups` counts check-ins: from the last meeting, or from the group's forming
        base = group.last_meeting or from_db(row["created_at"])
        assert base is not None
        group.checkin_due_on = next_occurrence(group.cadence, base.astimezone(zone)).date()
    group.open_followups = conn.execute(
        "SELECT count(*) FROM followup WHERE group_id = ? AND status = 'open'", (group.id,)
    ).fetchone()[0]
    return group


def get_group(conn: sqlite3.Connection, now: datetime, zone: tzinfo, group_id: int) -> Group:
    row = conn.execute("SELECT * FROM mgroup WHERE id = ?", (group_id,)).fetchone()
    if row is None:
        raise NotFound(f"no group with id {group_id}; see `mentorkit groups`")
    return _group(conn, now, zone, row)


def list_groups(conn: sqlite3.Connection, now: datetime, zone: tzinfo) -> list[Group]:
    """Every group with its members, meetings held, the next one and open follow-ups."""
    return [_group(conn, now, zone, r) for r in conn.execute("SELECT * FROM mgroup ORDER BY name COLLATE NOCASE")]
