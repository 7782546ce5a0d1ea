"""Elevator pitches: drafting one from the profile, saving it, and the outreach pipeline.

A pitch is one or two paragraphs that open a relationship in one arena: who I am, my story,
my goal in that arena, and a directed request. It is measured the way it will be used: spoken
at 150 words a minute it should take no more than 30 seconds.

The pipeline: a saved pitch is marked sent, then gets a reply (accepted, declined, no-answer).
An accepted pitch to a prospect starts a pilot relationship (`mentors.set_stage`).
"""

from __future__ import annotations

import re
import shlex
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from mentorkit.clock import date_from_db, from_db, to_db
from mentorkit.domain.arenas import Arena, resolve_arena
from mentorkit.domain.common import choice, clean_text, new_uuid
from mentorkit.domain.mentors import Mentor, get_mentor, resolve_mentor, set_stage
from mentorkit.domain.profile import Profile
from mentorkit.errors import InvalidInput, NotFound
from mentorkit.names import first_name, salutation

WORDS_PER_MINUTE = 150
MAX_SECONDS = 30
MAX_PARAGRAPHS = 2
SHORT_BLOCK_WORDS = 8  # a block this short is a greeting or a sign-off, not a paragraph
RESPONSES = ("accepted", "declined", "no-answer")
DEFAULT_TEMPLATE = "pitch"

_ASK = "Could we have a 20-minute video call in the next few weeks about"
DEFAULT_REQUESTS = {
    "research": f"{_ASK} moving my research forward?",
    "career": f"{_ASK} promotion and my next career steps?",
    "personal": "Could we have a 15-minute phone call or a coffee in the next few weeks about "
    "balancing work and the rest of life?",
}


def default_request(arena: Arena) -> str:
    """A directed request that fits the arena: a short, specific, easy-to-grant ask."""
    known = DEFAULT_REQUESTS.get(arena.name.casefold())
    if known:
        return known
    return f"{_ASK} {arena.name}?"


# ---- names, as a letter uses them ---------------------------------------------------------


def natural_join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


# ---- the context a pitch template receives ------------------------------------------------


def mentor_context(mentor: Mentor) -> dict[str, Any]:
    return {
        "id": mentor.id,
        "name": mentor.name,
        "first_name": first_name(mentor.name),
        "salutation": salutation(mentor.name),
        "email": mentor.email,
        "institution": mentor.institution,
        "location": mentor.location,
        "timezone": mentor.timezone,
        "local": mentor.local,
        "stage": mentor.stage,
        "source": mentor.source,
        "tags": list(mentor.tags),
        "tags_text": natural_join(list(mentor.tags)),
        "arenas": list(mentor.arenas),
    }


def profile_context(me: Profile) -> dict[str, Any]:
    return {
        "name": me.name,
        "role": me.role,
        "institution": me.institution,
        "timezone": me.timezone,
        "story": me.story,
        "goals": dict(me.goals),
    }


def _require_profile(me: Profile, arena: Arena) -> str:
    """The goal in the arena; a clear error naming every missing field and its option."""
    goal = next((text for name, text in me.goals.items() if name.casefold() == arena.name.casefold()), None)
    missing: list[tuple[str, str]] = []
    for label, value, option in (
        ("name", me.name, "--name TEXT"),
        ("role", me.role, "--role TEXT"),
        ("institution", me.institution, "--institution TEXT"),
        ("career story", me.story, "--story TEXT"),
        (f"goal in {arena.name}", goal, f"--goal {shlex.quote(arena.name + '=TEXT')}"),
    ):
        if not value:
            missing.append((label, option))
    if missing:
        labels = ", ".join(label for label, _ in missing)
        options = " ".join(option for _, option in missing)
        them = "them" if len(missing) > 1 else "it"
        raise InvalidInput(f"a pitch needs your {labels}; set {them} with `mentorkit profile set {options}`")
    assert goal is not None
    return goal


def pitch_context(me: Profile, arena: Arena, mentor: Mentor | None, request: str | None, today: date) -> dict[str, Any]:
    goal = _require_profile(me, arena)
    ask = clean_text(request, "the request", limit=2_000) or default_request(arena)
    return {
        "profile": profile_context(me),
        "arena": {"name": arena.name, "description": arena.description},
        "goal": goal,
        "mentor": mentor_context(mentor) if mentor else None,
        "request": ask,
        "today": today.isoformat(),
    }


# ---- measuring ----------------------------------------------------------------------------


@dataclass
class Measure:
    words: int
    seconds: int
    paragraphs: int
    warnings: list[str] = field(default_factory=list)


def count_words(text: str) -> int:
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def measure(text: str) -> Measure:
    """Words, spoken seconds at 150 words a minute, paragraphs, and what is too long."""
    words = count_words(text)
    seconds = round(words * 60 / WORDS_PER_MINUTE)
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    paragraphs = sum(1 for b in blocks if count_words(b) > SHORT_BLOCK_WORDS)
    result = Measure(words, seconds, paragraphs)
    if seconds > MAX_SECONDS:
        limit = MAX_SECONDS * WORDS_PER_MINUTE // 60
        result.warnings.append(
            f"spoken at {WORDS_PER_MINUTE} words a minute this takes about "
            f"{seconds} seconds; a pitch fits in {MAX_SECONDS} "
            f"(about {limit} words)"
        )
    if paragraphs > MAX_PARAGRAPHS:
        result.warnings.append(f"{paragraphs} paragraphs; a pitch is one or two")
    return result


# ---- drafting and saving ------------------------------------------------------------------


@dataclass
class PitchDraft:
    text: str
    words: int
    seconds: int
    paragraphs: int
    warnings: list[str]
    arena: str
    mentor_id: int | None
    mentor: str | None
    request: str
    template: str
    id: int | None = None
    uuid: str | None = None


def draft_pitch(
    conn: sqlite3.Connection,
    now: datetime,
    me: Profile,
    *,
    arena: str,
    mentor: str | None = None,
    request: str | None = None,
    template: str | None = None,
    save: bool = False,
) -> PitchDraft:
    """Render a pitch; with `save`, store it (the caller holds a write transaction)."""
    from mentorkit import drafting

    target_arena = resolve_arena(conn, arena)
    target = resolve_mentor(conn, mentor) if mentor else None
    context = pitch_context(me, target_arena, target, request, now.astimezone(me.zone).date())
    found = drafting.find(template) if template else drafting.find_named(DEFAULT_TEMPLATE)
    text = drafting.render_file(found, context)
    size = measure(text)
    draft = PitchDraft(
        text=text,
        words=size.words,
        seconds=size.seconds,
        paragraphs=size.paragraphs,
        warnings=size.warnings,
        arena=target_arena.name,
        mentor_id=target.id if target else None,
        mentor=target.name if target else None,
        request=context["request"],
        template=str(found.path) if found.source == "path" else found.name,
    )
    if save:
        stamp, draft.uuid = to_db(now), new_uuid()
        cursor = conn.execute(
            "INSERT INTO pitch (uuid, arena_id, mentor_id, request, body, template, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (draft.uuid, target_arena.id, draft.mentor_id, draft.request, text, draft.template, stamp, stamp),
        )
        draft.id = cursor.lastrowid
    return draft


# ---- the pipeline -------------------------------------------------------------------------


@dataclass
class Pitch:
    id: int
    uuid: str
    arena: str | None
    mentor_id: int | None
    mentor: str | None
    request: str | None
    body: str
    template: str | None
    created_at: datetime
    sent_on: date | None
    response: str | None
    responded_on: date | None
    words: int = 0
    seconds: int = 0

    @property
    def state(self) -> str:
        """draft, sent, or the reply."""
        return self.response or ("sent" if self.sent_on else "draft")


_SELECT = (
    "SELECT pitch.*, arena.name AS arena_name, mentor.name AS mentor_name FROM pitch "
    "LEFT JOIN arena ON arena.id = pitch.arena_id LEFT JOIN mentor ON mentor.id = pitch.mentor_id"
)


def _row(r: sqlite3.Row) -> Pitch:
    size = measure(r["body"])
    return Pitch(
        id=r["id"],
        uuid=r["uuid"],
        arena=r["arena_name"],
        mentor_id=r["mentor_id"],
        mentor=r["mentor_name"],
        request=r["request"],
        body=r["body"],
        template=r["template"],
        created_at=from_db(r["created_at"]),  # type: ignore[arg-type]
        sent_on=date_from_db(r["sent_on"]),
        response=r["response"],
        responded_on=date_from_db(r["responded_on"]),
        words=size.words,
        seconds=size.seconds,
    )


def get_pitch(conn: sqlite3.Connection, pitch_id: int | str) -> Pitch:
    text = str(pitch_id).strip().lstrip("#")
    if not text.isdecimal():
        raise InvalidInput(f"{pitch_id!r} is not a pitch id; see `mentorkit pitches` for ids")
    row = conn.execute(f"{_SELECT} WHERE pitch.id = ?", (int(text),)).fetchone()
    if row is None:
        raise NotFound(f"no pitch with id {text}; see `mentorkit pitches` (save one with `pitch --save`)")
    return _row(row)


def list_pitches(conn: sqlite3.Connection, *, arena: str | None = None, mentor_id: int | None = None) -> list[Pitch]:
    where, params = [], []
    if arena:
        where.append("pitch.arena_id = ?")
        params.append(resolve_arena(conn, arena).id)
    if mentor_id is not None:
        where.append("pitch.mentor_id = ?")
        params.append(mentor_id)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    return [_row(r) for r in conn.execute(sql + " ORDER BY pitch.created_at DESC, pitch.id DESC", params)]


def mark_sent(conn: sqlite3.Connection, now: datetime, pitch_id: int | str, on: date, today: date) -> Pitch:
    pitch = get_pitch(conn, pitch_id)
    if on > today:
        raise InvalidInput(f"{on} is in the future; mark a pitch sent once it has gone out")
    if pitch.responded_on and on > pitch.responded_on:
        raise InvalidInput(f"pitch {pitch.id} was answered on {pitch.responded_on}; it was sent before that")
    conn.execute("UPDATE pitch SET sent_on = ?, updated_at = ? WHERE id = ?", (on.isoformat(), to_db(now), pitch.id))
    return get_pitch(conn, pitch.id)


@dataclass
class Reply:
    pitch: Pitch
    marked_sent: bool = False  # the pitch had not been marked sent; the reply date was used
    stage: str | None = None  # the stage the mentor moved to, if any


def normalise_response(text: str) -> str:
    return choice(text.replace("_", "-").replace(" ", "-").replace("noanswer", "no-answer"), RESPONSES, "reply")


def record_reply(
    conn: sqlite3.Connection, now: datetime, zone: tzinfo, pitch_id: int | str, response: str, on: date, today: date
) -> Reply:
    """Record the reply. An accepted pitch to a prospect starts a pilot with them."""
    answer = normalise_response(response)
    pitch = get_pitch(conn, pitch_id)
    if on > today:
        raise InvalidInput(f"{on} is in the future; record a reply once it has come")
    result = Reply(pitch)
    if pitch.sent_on is None:
        result.marked_sent = True
        conn.execute("UPDATE pitch SET sent_on = ? WHERE id = ?", (on.isoformat(), pitch.id))
    elif on < pitch.sent_on:
        raise InvalidInput(f"pitch {pitch.id} was sent on {pitch.sent_on}; the reply cannot come before it")
    conn.execute(
        "UPDATE pitch SET response = ?, responded_on = ?, updated_at = ? WHERE id = ?",
        (answer, on.isoformat(), to_db(now), pitch.id),
    )
    if answer == "accepted" and pitch.mentor_id is not None:
        mentor = get_mentor(conn, pitch.mentor_id)
        if mentor.stage == "prospect":
            set_stage(conn, now, zone, mentor, "pilot", reason=f"accepted pitch #{pitch.id}")
            result.stage = "pilot"
    result.pitch = get_pitch(conn, pitch.id)
    return result
