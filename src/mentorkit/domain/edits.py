"""Editing and deleting the records a person writes: meetings, follow-ups, advice, pitches, flags,
groups and arenas. (Mentors: `edit_mentor` in mentors.py; deleting and merging them: people.py.)

Each function changes one record inside the caller's write transaction, checks its input before
writing anything, and returns what the command reports. The change journal records every change,
so `undo` reverses any of them.

A text given as an empty string clears the field; `None` leaves it as it is.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from mentorkit.clock import from_db, to_db
from mentorkit.dates import format_day
from mentorkit.domain.common import MODES, choice, clean_name, clean_text
from mentorkit.errors import InvalidInput, NotFound


@dataclass(frozen=True)
class Deleted:
    """What a delete removed, and what it left behind (for the command's message)."""

    kind: str
    id: int
    label: str
    went_with: list[str]  # "2 follow-ups", ... removed along with it
    kept: list[str]  # "3 pieces of advice (no longer linked to a meeting)", ...


def _id(value: int | str, what: str, hint: str) -> int:
    text = str(value).strip().lstrip("#")
    if not text.isdecimal():
        raise InvalidInput(f"{value!r} is not {what} id; {hint}")
    return int(text)


def _one(conn: sqlite3.Connection, table: str, record_id: int, what: str, hint: str) -> sqlite3.Row:
    row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        raise NotFound(f"no {what} with id {record_id}; {hint}")
    return row


def _update(conn: sqlite3.Connection, table: str, record_id: int, values: dict[str, object], now: datetime) -> bool:
    """Write the values that differ from the stored row; False when nothing would change."""
    row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (record_id,)).fetchone()
    changed = {k: v for k, v in values.items() if row[k] != v}
    if not changed:
        return False
    changed["updated_at"] = to_db(now)
    sets = ", ".join(f"{k} = ?" for k in changed)
    conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*changed.values(), record_id])
    return True


def _nothing(what: str) -> InvalidInput:
    return InvalidInput(f"nothing to change: give at least one option for the {what} (see --help)")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# ---- meetings ------------------------------------------------------------------------------

MEETING_HINT = "see `mentorkit meetings --past` for ids"


def meeting_id(value: int | str) -> int:
    return _id(value, "a meeting", MEETING_HINT)


def edit_meeting(
    conn: sqlite3.Connection,
    now: datetime,
    record: int,
    *,
    starts_at: datetime | None = None,
    timezone: str | None = None,
    mode: str | None = None,
    minutes: int | None = None,
    agenda: str | None = None,
    notes: str | None = None,
) -> bool:
    """Change a meeting's time, zone, mode, length, agenda or notes; False if all were the same.
    A held meeting cannot move into the future (as `meetings mark` cannot hold one there)."""
    from mentorkit.domain.meetings import FUTURE_SLACK

    row = _one(conn, "meeting", record, "meeting", MEETING_HINT)
    values: dict[str, object] = {}
    if starts_at is not None:
        if row["status"] == "held" and starts_at > now + FUTURE_SLACK:
            raise InvalidInput(
                f"meeting {record} was held; it cannot move into the future (plan a new one: `mentorkit plan`)"
            )
        values["starts_at"] = to_db(starts_at)
    if timezone is not None:
        values["timezone"] = timezone
    if mode is not None:
        values["mode"] = choice(mode, MODES, "mode")
    if minutes is not None:
        if not 0 <= minutes <= 24 * 60:
            raise InvalidInput(f"--minutes must be between 0 and 1440, not {minutes}")
        values["minutes"] = minutes
    if agenda is not None:
        values["agenda"] = clean_text(agenda, "the agenda")
    if notes is not None:
        values["notes"] = clean_text(notes, "the notes")
    if not values:
        raise _nothing("meeting")
    return _update(conn, "meeting", record, values, now)


def delete_meeting(conn: sqlite3.Connection, record: int, zone: tzinfo) -> Deleted:
    """Delete a meeting. Its advice and follow-ups stay, no longer linked to it. The message names
    the meeting's day where the person is (`zone`, the profile's)."""
    row = _one(conn, "meeting", record, "meeting", MEETING_HINT)
    start = from_db(row["starts_at"])
    assert start is not None  # NOT NULL
    advice = conn.execute("SELECT count(*) FROM advice WHERE meeting_id = ?", (record,)).fetchone()[0]
    items = conn.execute("SELECT count(*) FROM followup WHERE meeting_id = ?", (record,)).fetchone()[0]
    conn.execute("DELETE FROM meeting WHERE id = ?", (record,))
    kept = []
    if advice:
        kept.append(_count(advice, "piece of advice", "pieces of advice"))
    if items:
        kept.append(_count(items, "follow-up", "follow-ups"))
    return Deleted("meeting", record, f"meeting #{record} of {format_day(start.astimezone(zone).date())}", [], kept)


# ---- follow-ups ----------------------------------------------------------------------------

FOLLOWUP_HINT = "see `mentorkit followups --all` for ids"


def followup_id(value: int | str) -> int:
    return _id(value, "a follow-up", FOLLOWUP_HINT)


def edit_followup(
    conn: sqlite3.Connection,
    now: datetime,
    record: int,
    *,
    text: str | None = None,
    due: date | None = None,
    clear_due: bool = False,
    owner: str | None = None,
) -> bool:
    """Change an action item's text, due date (or clear it) or owner."""
    _one(conn, "followup", record, "follow-up", FOLLOWUP_HINT)
    if due is not None and clear_due:
        raise InvalidInput("use either --due or --no-due, not both")
    values: dict[str, object] = {}
    if text is not None:
        values["text"] = clean_text(text, "the follow-up text", limit=5_000, required=True)
    if due is not None:
        values["due_on"] = due.isoformat()
    if clear_due:
        values["due_on"] = None
    if owner is not None:
        values["owner"] = choice(owner, ("me", "mentor"), "owner")
    if not values:
        raise _nothing("follow-up")
    return _update(conn, "followup", record, values, now)


def reopen_followup(conn: sqlite3.Connection, now: datetime, record: int) -> bool:
    """Open again an item marked done or dropped by mistake."""
    row = _one(conn, "followup", record, "follow-up", FOLLOWUP_HINT)
    if row["status"] == "open":
        raise InvalidInput(f"follow-up {record} is open already")
    return _update(conn, "followup", record, {"status": "open", "done_at": None}, now)


def delete_followup(conn: sqlite3.Connection, record: int) -> Deleted:
    _one(conn, "followup", record, "follow-up", FOLLOWUP_HINT)
    conn.execute("DELETE FROM followup WHERE id = ?", (record,))
    return Deleted("followup", record, f"follow-up #{record}", [], [])


# ---- advice, pitches, flags ----------------------------------------------------------------

ADVICE_HINT = "see `mentorkit advice` for ids"


def advice_id(value: int | str) -> int:
    return _id(value, "an advice", ADVICE_HINT)


def edit_advice(
    conn: sqlite3.Connection,
    now: datetime,
    record: int,
    *,
    text: str | None = None,
    arena_id: int | None = None,
    given_on: date | None = None,
) -> bool:
    _one(conn, "advice", record, "advice", ADVICE_HINT)
    values: dict[str, object] = {}
    if text is not None:
        values["text"] = clean_text(text, "the advice", required=True)
    if arena_id is not None:
        values["arena_id"] = arena_id
    if given_on is not None:
        values["given_on"] = given_on.isoformat()
    if not values:
        raise _nothing("advice")
    return _update(conn, "advice", record, values, now)


def delete_advice(conn: sqlite3.Connection, record: int) -> Deleted:
    _one(conn, "advice", record, "advice", ADVICE_HINT)
    conn.execute("DELETE FROM advice WHERE id = ?", (record,))
    return Deleted("advice", record, f"advice #{record}", [], [])


PITCH_HINT = "see `mentorkit pitches` for ids"


def pitch_id(value: int | str) -> int:
    return _id(value, "a pitch", PITCH_HINT)


def delete_pitch(conn: sqlite3.Connection, record: int) -> Deleted:
    _one(conn, "pitch", record, "pitch", PITCH_HINT)
    conn.execute("DELETE FROM pitch WHERE id = ?", (record,))
    return Deleted("pitch", record, f"pitch #{record}", [], [])


FLAG_HINT = "see `mentorkit flags --all` for ids"


def flag_id(value: int | str) -> int:
    return _id(value, "a flag", FLAG_HINT)


def edit_flag(
    conn: sqlite3.Connection,
    now: datetime,
    record: int,
    *,
    note: str | None = None,
    kind: str | None = None,
    raised_on: date | None = None,
) -> bool:
    from mentorkit.domain.flags import FLAG_KINDS

    _one(conn, "flag", record, "flag", FLAG_HINT)
    values: dict[str, object] = {}
    if note is not None:
        values["note"] = clean_text(note, "the flag note", limit=10_000)
    if kind is not None:
        values["kind"] = choice(kind, FLAG_KINDS, "flag kind")
    if raised_on is not None:
        values["raised_on"] = raised_on.isoformat()
    if not values:
        raise _nothing("flag")
    return _update(conn, "flag", record, values, now)


def delete_flag(conn: sqlite3.Connection, record: int) -> Deleted:
    _one(conn, "flag", record, "flag", FLAG_HINT)
    conn.execute("DELETE FROM flag WHERE id = ?", (record,))
    return Deleted("flag", record, f"flag #{record}", [], [])


# ---- groups and arenas ---------------------------------------------------------------------


def group_meetings(conn: sqlite3.Connection, group_id: int) -> int:
    return int(conn.execute("SELECT count(*) FROM meeting WHERE group_id = ?", (group_id,)).fetchone()[0])


def delete_group(conn: sqlite3.Connection, group_id: int) -> Deleted:
    """Delete a mastermind group with its meetings and their follow-ups; members stay on the board."""
    name = conn.execute("SELECT name FROM mgroup WHERE id = ?", (group_id,)).fetchone()[0]
    meetings = [r[0] for r in conn.execute("SELECT id FROM meeting WHERE group_id = ?", (group_id,))]
    items = conn.execute("SELECT count(*) FROM followup WHERE group_id = ?", (group_id,)).fetchone()[0]
    members = conn.execute("SELECT count(*) FROM group_member WHERE group_id = ?", (group_id,)).fetchone()[0]
    conn.execute("DELETE FROM followup WHERE group_id = ?", (group_id,))
    conn.executemany("DELETE FROM meeting WHERE id = ?", [(m,) for m in meetings])
    conn.execute("DELETE FROM mgroup WHERE id = ?", (group_id,))
    went = [s for n, s in ((len(meetings), "meeting"), (items, "follow-up")) if n for s in [_count(n, s, s + "s")]]
    kept = [f"{_count(members, 'member', 'members')} (still on the board)"] if members else []
    return Deleted("group", group_id, f"the group {name}", went, kept)


def rename_arena(conn: sqlite3.Connection, now: datetime, name: str, new_name: str) -> tuple[str, str]:
    from mentorkit.domain.arenas import resolve_arena

    arena = resolve_arena(conn, name)
    clean = clean_name(new_name, "the new arena name", limit=60)
    assert clean is not None
    clean = clean.lower() if clean.isascii() else clean
    other = conn.execute("SELECT id FROM arena WHERE name = ? COLLATE NOCASE AND id != ?", (clean, arena.id)).fetchone()
    if other:
        raise InvalidInput(f"there is an arena named {clean!r} already; see `mentorkit arenas`")
    _update(conn, "arena", arena.id, {"name": clean}, now)
    return arena.name, clean


def delete_arena(conn: sqlite3.Connection, name: str) -> Deleted:
    """Delete an arena nobody covers; its goal goes with it, advice and pitches lose the arena."""
    from mentorkit.domain.arenas import resolve_arena

    arena = resolve_arena(conn, name)
    covered = conn.execute(
        "SELECT count(*), min(mentor.name) FROM mentor_arena JOIN mentor ON mentor.id = mentor_id WHERE arena_id = ?",
        (arena.id,),
    ).fetchone()
    if covered[0]:
        raise InvalidInput(
            f"the arena {arena.name!r} is still covered by {_count(covered[0], 'mentor', 'mentors')}; remove it "
            f"from each first (`mentorkit edit MENTOR --remove-arena {arena.name}`), see `mentorkit mentors --arena`"
        )
    goals = conn.execute("SELECT count(*) FROM goal WHERE arena_id = ?", (arena.id,)).fetchone()[0]
    advice = conn.execute("SELECT count(*) FROM advice WHERE arena_id = ?", (arena.id,)).fetchone()[0]
    pitches = conn.execute("SELECT count(*) FROM pitch WHERE arena_id = ?", (arena.id,)).fetchone()[0]
    conn.execute("DELETE FROM arena WHERE id = ?", (arena.id,))
    went = ["your goal in it"] if goals else []
    kept = [
        f"{text} (now without an arena)"
        for n, text in (
            (advice, _count(advice, "piece of advice", "pieces of advice")),
            (pitches, _count(pitches, "pitch", "pitches")),
        )
        if n
    ]
    return Deleted("arena", arena.id, f"the arena {arena.name}", went, kept)
