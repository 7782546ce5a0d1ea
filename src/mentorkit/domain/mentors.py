"""Mentors (and near-peers): adding, finding by name, editing, stages and their history."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from mentorkit.cadences import cadence_words
from mentorkit.clock import date_from_db, from_db, to_db
from mentorkit.dates import get_zone, parse_cadence
from mentorkit.domain.arenas import resolve_arena
from mentorkit.domain.common import (
    LAST_CONTACT_SQL,
    ROLES,
    STAGES,
    check_email,
    choice,
    clean_name,
    clean_text,
    new_uuid,
)
from mentorkit.errors import Ambiguous, InvalidInput, NotFound

KINDS = ("mentor", "peer")
DEFAULT_PILOT_WEEKS = 8
STAGE_ORDER = {stage: n for n, stage in enumerate(("active", "pilot", "paused", "prospect", "ended"))}


@dataclass
class Mentor:
    id: int
    uuid: str
    name: str
    kind: str
    stage: str
    stage_changed_at: datetime
    email: str | None = None
    institution: str | None = None
    title: str | None = None
    profile_url: str | None = None
    location: str | None = None
    timezone: str | None = None
    local: bool | None = None
    pilot_review_on: date | None = None
    end_reason: str | None = None
    source: str | None = None
    hook: str | None = None
    channels: list[str] = field(default_factory=list)
    cadence: str | None = None
    cadence_label: str | None = None
    notes: str | None = None
    arenas: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # sponsor, coach... (common.ROLES)
    last_contact: datetime | None = None
    hours: str | None = None  # their own working hours, '09:00–17:00'; None: the config's
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def zone(self) -> tzinfo | None:
        return get_zone(self.timezone) if self.timezone else None


@dataclass
class MentorFields:
    """What `add-mentor` and `edit` may set. None means 'leave as it is'."""

    name: str | None = None
    email: str | None = None
    institution: str | None = None
    title: str | None = None
    profile_url: str | None = None
    location: str | None = None
    timezone: str | None = None
    local: bool | None = None
    stage: str | None = None
    cadence: str | None = None
    source: str | None = None
    hook: str | None = None
    notes: str | None = None
    kind: str | None = None
    pilot_weeks: int | None = None
    channels: list[str] | None = None
    hours: str | None = None  # '09:00-17:00'; 'none' or '' clears (the config's hours apply)
    arenas: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    remove_arenas: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    remove_roles: list[str] = field(default_factory=list)


def _row_to_mentor(row: sqlite3.Row) -> Mentor:
    keys = row.keys()
    return Mentor(
        id=row["id"],
        uuid=row["uuid"],
        name=row["name"],
        kind=row["kind"],
        stage=row["stage"],
        stage_changed_at=from_db(row["stage_changed_at"]),  # type: ignore[arg-type]
        email=row["email"],
        institution=row["institution"],
        title=row["title"],
        profile_url=row["profile_url"],
        location=row["location"],
        timezone=row["timezone"],
        local=None if row["is_local"] is None else bool(row["is_local"]),
        pilot_review_on=date_from_db(row["pilot_review_on"]),
        end_reason=row["end_reason"],
        source=row["source"],
        hook=row["hook"],
        channels=[c for c in (row["channels"] or "").split(",") if c],
        cadence=row["cadence"],
        cadence_label=cadence_words(row["cadence"], row["cadence_label"]),
        notes=row["notes"],
        last_contact=from_db(row["last_contact"]) if "last_contact" in keys else None,
        hours=f"{row['hours_start']}–{row['hours_end']}" if "hours_start" in keys and row["hours_start"] else None,
        created_at=from_db(row["created_at"]),
        updated_at=from_db(row["updated_at"]),
    )


_LAST_CONTACT = f"{LAST_CONTACT_SQL} AS last_contact"


def _attach_links(conn: sqlite3.Connection, mentors: list[Mentor]) -> list[Mentor]:
    if not mentors:
        return mentors
    by_id = {m.id: m for m in mentors}
    ids = ",".join(str(i) for i in by_id)
    for row in conn.execute(
        "SELECT ma.mentor_id, arena.name FROM mentor_arena ma JOIN arena ON arena.id = ma.arena_id "
        f"WHERE ma.mentor_id IN ({ids}) ORDER BY arena.id"
    ):
        by_id[row[0]].arenas.append(row[1])
    for row in conn.execute(f"SELECT mentor_id, tag FROM mentor_tag WHERE mentor_id IN ({ids}) ORDER BY tag"):
        by_id[row[0]].tags.append(row[1])
    for row in conn.execute(f"SELECT mentor_id, role FROM mentor_role WHERE mentor_id IN ({ids}) ORDER BY role"):
        by_id[row[0]].roles.append(row[1])
    return mentors


def get_mentor(conn: sqlite3.Connection, mentor_id: int) -> Mentor:
    row = conn.execute(f"SELECT mentor.*, {_LAST_CONTACT} FROM mentor WHERE id = ?", (mentor_id,)).fetchone()
    if row is None:
        raise NotFound(f"no mentor with id {mentor_id}; see `mentorkit mentors`")
    return _attach_links(conn, [_row_to_mentor(row)])[0]


def list_mentors(
    conn: sqlite3.Connection,
    *,
    arena: str | None = None,
    stage: str | None = None,
    tag: str | None = None,
    include_ended: bool = True,
    stages: Sequence[str] | None = None,
    source: str | None = None,
) -> list[Mentor]:
    """Mentors, active first; `stages` (or one `stage`) limits the stages, `source` keeps those
    whose source contains it (case ignored)."""
    where: list[str] = []
    params: list[object] = []
    if arena:
        where.append("id IN (SELECT mentor_id FROM mentor_arena WHERE arena_id = ?)")
        params.append(resolve_arena(conn, arena).id)
    wanted = [choice(s, STAGES, "stage") for s in ([stage] if stage else stages or [])]
    if wanted:
        where.append(f"stage IN ({', '.join('?' for _ in wanted)})")
        params.extend(wanted)
    elif not include_ended:
        where.append("stage != 'ended'")
    if source and source.strip():
        where.append("instr(lower(source), lower(?)) > 0")
        params.append(source.strip())
    if tag:
        where.append("id IN (SELECT mentor_id FROM mentor_tag WHERE tag = ? COLLATE NOCASE)")
        params.append(tag.strip())
    sql = f"SELECT mentor.*, {_LAST_CONTACT} FROM mentor"
    if where:
        sql += " WHERE " + " AND ".join(where)
    mentors = [_row_to_mentor(r) for r in conn.execute(sql, params)]
    mentors.sort(key=lambda m: (STAGE_ORDER[m.stage], m.name.casefold()))
    return _attach_links(conn, mentors)


def resolve_mentor(conn: sqlite3.Connection, ref: str) -> Mentor:
    """A mentor by id, by whole name, or by the starts of the words of a name.

    `#12` always means the id 12. A bare number is an id too, unless a mentor is named exactly
    that: then it is that mentor if no other has the id, and ambiguous (naming both ids) if one
    does. Otherwise, in order: a whole name (case ignored) wins; else every word typed must
    start a word of the name (`chen` finds Wei Chen and Chen Li, never Tschentscher; `ter alv`
    finds Teresa Alvarez; accents are ignored). Among several, the one active or pilot person wins
    over prospects, paused and ended people; otherwise the error lists a few, with their stage and
    institution (docs/mentors.md)."""
    text = ref.strip()
    if not text:
        raise InvalidInput("a MENTOR is needed: an id or part of a name; see `mentorkit mentors`")
    if text.startswith("#") and text[1:].isdecimal():
        return get_mentor(conn, int(text[1:]))
    if text.isdecimal():
        named = conn.execute("SELECT id, name FROM mentor WHERE name = ? COLLATE NOCASE", (text,)).fetchall()
        by_id = (
            conn.execute("SELECT id, name FROM mentor WHERE id = ?", (int(text),)).fetchone()
            if len(text) < 19
            else None
        )
        if not named:
            return get_mentor(conn, int(text))
        if len(named) == 1 and (by_id is None or by_id["id"] == named[0]["id"]):
            return get_mentor(conn, named[0]["id"])
        listing = ", ".join(f"{r['name']} (#{r['id']})" for r in [*([by_id] if by_id else []), *named][:12])
        what = "is both an id and a name" if by_id else "matches several mentors"
        raise Ambiguous(f"{text!r} {what}: {listing}; write the id with # (e.g. #{named[0]['id']})")
    typed = _words(text)
    rows = _candidates(conn, text, typed)
    words = [_words(r[1]) for r in rows]
    exact = [r for r in rows if r[1].casefold() == text.casefold()] or [
        r for r, w in zip(rows, words, strict=True) if typed and w == typed
    ]
    matches = exact or [r for r, w in zip(rows, words, strict=True) if typed and _starts_words(typed, w)]
    if len(matches) > 1:
        on_board = [r for r in matches if r[2] in ("active", "pilot")]
        if len(on_board) == 1:
            matches = on_board
    if len(matches) == 1:
        return get_mentor(conn, matches[0][0])
    if not matches:
        known = conn.execute("SELECT id, name FROM mentor ORDER BY id LIMIT 12").fetchall()
        total = conn.execute("SELECT count(*) FROM mentor").fetchone()[0] if len(known) == 12 else len(known)
        listing = ", ".join(f"{r[1]} (#{r[0]})" for r in known)
        more = f" and {total - 12} more" if total > 12 else ""
        hint = f"known mentors: {listing}{more}" if known else "the store has no mentors yet"
        raise NotFound(f"no mentor matches {text!r}; {hint}. Add one with `mentorkit add-mentor NAME`")
    matches.sort(key=lambda r: (STAGE_ORDER[r[2]], r[1].casefold(), r[0]))
    shown = matches[:CANDIDATES_SHOWN]
    listing = ", ".join(f"{r[1]} (#{r[0]}, {r[2]}{', ' + r[3] if r[3] else ''})" for r in shown)
    more = f" and {len(matches) - len(shown)} more" if len(matches) > len(shown) else ""
    raise Ambiguous(
        f"{text!r} matches several mentors: {listing}{more}; give the id (e.g. #{shown[0][0]}) or more of the name"
    )


CANDIDATES_SHOWN = 5
"""People an ambiguous MENTOR error lists (the rest are counted)."""

_WORD = re.compile(r"\w+")
_ACCENTS = re.compile("[\u0300-\u036f]")  # the combining marks NFKD splits off Latin, Greek, Cyrillic


def _candidates(conn: sqlite3.Connection, text: str, typed: list[str]) -> list[tuple[int, str, str, str | None]]:
    """The people whose name may match: SQL keeps names holding every typed word (ASCII case
    ignored) and every name with other letters (accents are compared in Python), so thousands of
    imported prospects are not all read and split for every MENTOR argument."""
    likes = [f"%{w.replace('!', '!!').replace('%', '!%').replace('_', '!_')}%" for w in typed]
    where = " AND ".join("name LIKE ? ESCAPE '!'" for _ in likes) or "0"
    cursor = conn.execute(
        f"SELECT id, name, stage, institution FROM mentor WHERE name = ? COLLATE NOCASE OR ({where}) "
        "OR name GLOB '*[^ -~]*' ORDER BY id",
        [text, *likes],
    )
    cursor.row_factory = None
    return cursor.fetchall()


def _words(name: str) -> list[str]:
    """The words of a name, case and accents ignored: 'Dr. José Núñez-García' -> dr jose nunez garcia."""
    if not name.isascii():
        name = _ACCENTS.sub("", unicodedata.normalize("NFKD", name))
    return _WORD.findall(name.casefold())


def _starts_words(typed: list[str], words: list[str]) -> bool:
    """Whether each typed word starts a different word of the name, in any order."""
    free = list(words)
    for part in sorted(typed, key=len, reverse=True):
        found = next((w for w in free if w.startswith(part)), None)
        if found is None:
            return False
        free.remove(found)
    return True


def _validated(fields: MentorFields) -> dict[str, object]:
    """Column values from the fields that were given."""
    values: dict[str, object] = {}
    if fields.name is not None:
        values["name"] = clean_name(fields.name, "the name")
    if fields.email is not None:
        values["email"] = check_email(fields.email)
    for column, value, limit in (
        ("institution", fields.institution, 300),
        ("title", fields.title, 300),
        ("profile_url", fields.profile_url, 2_000),
        ("location", fields.location, 300),
        ("source", fields.source, 500),
        ("hook", fields.hook, 1_000),
        ("notes", fields.notes, 100_000),
    ):
        if value is not None:
            values[column] = clean_text(value, column, limit=limit)
    if fields.timezone is not None:
        values["timezone"] = get_zone(fields.timezone).key if fields.timezone.strip() else None
    if fields.local is not None:
        values["is_local"] = int(fields.local)
    if fields.kind is not None:
        values["kind"] = choice(fields.kind, KINDS, "kind")
    if fields.cadence is not None:
        if fields.cadence.strip().lower() in ("", "none"):
            values["cadence"] = values["cadence_label"] = None
        else:
            cadence = parse_cadence(fields.cadence)
            values["cadence"], values["cadence_label"] = cadence.rule, cadence.label
    if fields.hours is not None:
        if fields.hours.strip().lower() in ("", "none"):
            values["hours_start"] = values["hours_end"] = None
        else:
            from mentorkit.domain.zones import parse_hours

            start, end = parse_hours(fields.hours)
            values["hours_start"], values["hours_end"] = f"{start:%H:%M}", f"{end:%H:%M}"
    if fields.channels is not None:
        channels = [clean_text(c, "a channel", limit=40) for c in fields.channels]
        values["channels"] = ",".join(c.replace(",", " ") for c in channels if c) or None
    return values


def _today(now: datetime, zone: tzinfo) -> date:
    return now.astimezone(zone).date()


def same_name(conn: sqlite3.Connection, name: str) -> list[int]:
    """The ids of the mentors whose name is `name` as import matches names (`names.name_key`)."""
    from mentorkit.names import name_key

    key = name_key(name)
    return [mentor_id for mentor_id, other in conn.execute("SELECT id, name FROM mentor") if name_key(other) == key]


def _alike(conn: sqlite3.Connection, fields: MentorFields) -> list[int]:
    """The people of the same name who may be this one: not those whose email or profile URL
    differs from the one given (domain/identity.py: different keys, different people)."""
    from mentorkit.domain.identity import Keys

    found = same_name(conn, fields.name or "")
    keys = Keys.of(fields.email, fields.profile_url)
    if not found or not keys:
        return found
    rows = conn.execute(f"SELECT id, email, profile_url FROM mentor WHERE id IN ({','.join('?' * len(found))})", found)
    return [r[0] for r in rows if not Keys.of(r[1], r[2]).conflict(keys)]


def add_mentor(
    conn: sqlite3.Connection, now: datetime, zone: tzinfo, fields: MentorFields, *, again: bool = False
) -> Mentor:
    """Add a mentor. A name already in the store (case and honorifics ignored) is refused unless
    `again`: a second person of the same name is rare, a second record of the same person common."""
    return get_mentor(conn, insert_mentor(conn, now, zone, fields, again=again))


def insert_mentor(
    conn: sqlite3.Connection, now: datetime, zone: tzinfo, fields: MentorFields, *, again: bool = False
) -> int:
    """`add_mentor` without reading the new mentor back (an import of thousands): the new id."""
    if not fields.name:
        raise InvalidInput("a mentor needs a name")
    if not again and (found := _alike(conn, fields)):
        raise InvalidInput(
            f"mentor #{found[0]} already has that name; see `mentorkit show {found[0]}`, or add "
            "--again to add a different person of the same name"
        )
    values = _validated(fields)
    # a near-peer is a colleague already, not someone to prospect: active, as `group add` makes them
    stage = choice(fields.stage or ("active" if fields.kind == "peer" else "prospect"), STAGES, "stage")
    if stage == "ended":
        raise InvalidInput("a new mentor cannot start as ended; add them, then `mentorkit end`")
    stamp = to_db(now)
    values.update(uuid=new_uuid(), stage=stage, stage_changed_at=stamp, created_at=stamp, updated_at=stamp)
    if stage == "pilot":
        values["pilot_review_on"] = _pilot_review(now, zone, fields.pilot_weeks)
    elif fields.pilot_weeks is not None:
        raise InvalidInput("--pilot-weeks only applies with --stage pilot")
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(f"INSERT INTO mentor ({columns}) VALUES ({marks})", list(values.values()))
    mentor_id = cursor.lastrowid
    assert mentor_id is not None
    _record_stage(conn, mentor_id, stage, stamp, None)
    _link(conn, mentor_id, fields)
    return mentor_id


def _pilot_review(now: datetime, zone: tzinfo, weeks: int | None) -> str:
    span = DEFAULT_PILOT_WEEKS if weeks is None else weeks
    if not 1 <= span <= 104:
        raise InvalidInput(f"--pilot-weeks must be between 1 and 104, not {span}")
    return (_today(now, zone) + timedelta(weeks=span)).isoformat()


def _link(conn: sqlite3.Connection, mentor_id: int, fields: MentorFields) -> None:
    for name in fields.arenas:
        arena = resolve_arena(conn, name)
        conn.execute("INSERT OR IGNORE INTO mentor_arena VALUES (?, ?)", (mentor_id, arena.id))
    for name in fields.remove_arenas:
        arena = resolve_arena(conn, name)
        conn.execute("DELETE FROM mentor_arena WHERE mentor_id = ? AND arena_id = ?", (mentor_id, arena.id))
    for raw in fields.tags:
        tag = clean_text(raw, "a tag", limit=60)
        if tag:
            conn.execute("INSERT OR IGNORE INTO mentor_tag VALUES (?, ?)", (mentor_id, tag))
    for raw in fields.remove_tags:
        conn.execute("DELETE FROM mentor_tag WHERE mentor_id = ? AND tag = ? COLLATE NOCASE", (mentor_id, raw.strip()))
    for raw in fields.roles:
        conn.execute("INSERT OR IGNORE INTO mentor_role VALUES (?, ?)", (mentor_id, choice(raw, ROLES, "role")))
    for raw in fields.remove_roles:
        conn.execute(
            "DELETE FROM mentor_role WHERE mentor_id = ? AND role = ?", (mentor_id, choice(raw, ROLES, "role"))
        )


def edit_mentor(conn: sqlite3.Connection, now: datetime, zone: tzinfo, mentor: Mentor, fields: MentorFields) -> Mentor:
    values = _validated(fields)
    if values:
        values["updated_at"] = to_db(now)
        assignments = ", ".join(f"{column} = ?" for column in values)
        conn.execute(f"UPDATE mentor SET {assignments} WHERE id = ?", [*values.values(), mentor.id])
    _link(conn, mentor.id, fields)
    if fields.stage is not None:
        set_stage(conn, now, zone, mentor, fields.stage, pilot_weeks=fields.pilot_weeks)
    elif fields.pilot_weeks is not None:
        if mentor.stage != "pilot":
            raise InvalidInput("--pilot-weeks only applies to a mentor in the pilot stage")
        conn.execute(
            "UPDATE mentor SET pilot_review_on = ? WHERE id = ?",
            (_pilot_review(now, zone, fields.pilot_weeks), mentor.id),
        )
    return get_mentor(conn, mentor.id)


def _record_stage(conn: sqlite3.Connection, mentor_id: int, stage: str, stamp: str, reason: str | None) -> None:
    conn.execute(
        "INSERT INTO stage_change (uuid, mentor_id, stage, changed_at, reason) VALUES (?, ?, ?, ?, ?)",
        (new_uuid(), mentor_id, stage, stamp, reason),
    )


def set_stage(
    conn: sqlite3.Connection,
    now: datetime,
    zone: tzinfo,
    mentor: Mentor,
    stage: str,
    *,
    reason: str | None = None,
    pilot_weeks: int | None = None,
) -> Mentor:
    """Move a mentor to a stage, keeping the history. Ending needs a reason."""
    new = choice(stage, STAGES, "stage")
    why = clean_text(reason, "the reason", limit=2_000)
    if new == "ended" and not why:
        raise InvalidInput("ending a relationship needs a reason: `mentorkit end MENTOR --reason TEXT`")
    if new == mentor.stage and not (new == "pilot" and pilot_weeks is not None):
        raise InvalidInput(f"{mentor.name} is already in the {new} stage")
    stamp = to_db(now)
    review = _pilot_review(now, zone, pilot_weeks) if new == "pilot" else None
    conn.execute(
        "UPDATE mentor SET stage = ?, stage_changed_at = ?, pilot_review_on = ?, end_reason = ?, "
        "updated_at = ? WHERE id = ?",
        (new, stamp, review, why if new == "ended" else None, stamp, mentor.id),
    )
    _record_stage(conn, mentor.id, new, stamp, why)
    return get_mentor(conn, mentor.id)


@dataclass
class StageChange:
    stage: str
    changed_at: datetime
    reason: str | None


def stage_history(conn: sqlite3.Connection, mentor_id: int) -> list[StageChange]:
    return [
        StageChange(r["stage"], from_db(r["changed_at"]), r["reason"])  # type: ignore[arg-type]
        for r in conn.execute(
            "SELECT stage, changed_at, reason FROM stage_change WHERE mentor_id = ? ORDER BY changed_at, id",
            (mentor_id,),
        )
    ]
