"""Elevator pitches: drafting one from the profile, saving it, and the outreach pipeline.

A pitch is one or two paragraphs that open a relationship in one arena: who I am, my story,
my goal in that arena, and a directed request. It is measured the way it will be used: spoken
at 150 words a minute it should take no more than 30 seconds.

The pipeline: a saved pitch is marked sent, then gets a reply (accepted, declined, no-answer).
An accepted pitch to a prospect starts a pilot relationship (`mentors.set_stage`).
"""

from __future__ import annotations

import shlex
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from mentorkit.clock import date_from_db, from_db, to_db
from mentorkit.dates import format_day
from mentorkit.domain.arenas import Arena, resolve_arena
from mentorkit.domain.common import choice, clean_text, new_uuid
from mentorkit.domain.mentors import Mentor, get_mentor, resolve_mentor, set_stage
from mentorkit.domain.profile import Profile
from mentorkit.drafting.wording import (
    clause,
    count_words,
    goal_sentence,
    letter_body,
    natural_join,
    one_line,
    question,
    sentence,
)
from mentorkit.errors import InvalidInput, NotFound
from mentorkit.names import first_name, salutation

if TYPE_CHECKING:
    from mentorkit.domain.goals import Goal

WORDS_PER_MINUTE = 150
MAX_SECONDS = 30
MAX_PARAGRAPHS = 2
SHORT_BLOCK_WORDS = 8  # a block this short is a greeting or a sign-off, not a paragraph
RESPONSES = ("accepted", "declined", "no-answer")
DEFAULT_TEMPLATE = "pitch"

_ASK = "Would you have 20 minutes for a video call"
DEFAULT_REQUESTS = {
    "research": f"{_ASK} about my research plans?",
    "career": f"{_ASK} about my path to promotion?",
    "personal": "Would you have 15 minutes for a phone call or a coffee about balancing work and home?",
}
GENERIC_REQUEST = f"{_ASK}, so that I could ask your advice?"
GOAL_REQUEST = f"{_ASK} to look at my plan for it with me?"
NOT_TOPICS = frozenset({"peer", "near-peer", "mentor", "prospect", "remote", "local"})


def default_request(arena: Arena) -> str:
    """A directed request that fits the arena: a short, specific, easy-to-grant ask. An arena
    of the user's own gets a generic one: its name is a label, not a topic to talk about."""
    return DEFAULT_REQUESTS.get(arena.name.casefold(), GENERIC_REQUEST)


# ---- the context a pitch template receives ------------------------------------------------


def topics(tags: list[str], arena_names: list[str]) -> list[str]:
    """Tags that name someone's expertise: not an arena name ('personal' is my label, not their
    field) and not a word about the relationship ('near-peer')."""
    labels = {name.casefold() for name in arena_names} | NOT_TOPICS
    return [tag for tag in tags if tag.casefold() not in labels]


def mentor_context(mentor: Mentor, arena_names: list[str] | None = None) -> dict[str, Any]:
    """A mentor as templates see them. `arena_names`: every arena of the store, so that a tag
    that names one is never taken for a topic of their work."""
    fields = topics(list(mentor.tags), [*(arena_names or []), *mentor.arenas])
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
        "hook": mentor.hook,
        "tags": list(mentor.tags),
        "tags_text": natural_join(list(mentor.tags)),
        "topics": fields,
        "topics_text": natural_join(fields[:2]),  # a pitch names two, not a list
        "arenas": list(mentor.arenas),
    }


def signature(me: Profile) -> list[str]:
    """The lines under the closing: name; role, institution; email (those that are set)."""
    work = ", ".join(one_line(x) for x in (me.role, me.institution) if x)
    return [one_line(x) for x in (me.name, work, me.email) if x]


def profile_context(me: Profile) -> dict[str, Any]:
    return {
        "name": me.name,
        "role": me.role,
        "institution": me.institution,
        "email": me.email,
        "timezone": me.timezone,
        "story": me.story,
        "goals": dict(me.goals),
        "stories": dict(me.stories),
        "requests": dict(me.requests),
        "signature": signature(me),
    }


def introduction(me: Profile) -> str:
    """'I'm Ann Lee, Assistant Professor of Emergency Medicine at Riverside University.'"""
    name, role, place = (one_line(x) if x else "" for x in (me.name, me.role, me.institution))
    if role and place:
        return sentence(f"I'm {name}, {role} at {place}")
    if role:
        return sentence(f"I'm {name}, {role}")
    if place:
        return sentence(f"I'm {name}, and I work at {place}")
    return sentence(f"I'm {name}")


@dataclass
class Missing:
    """A profile field a pitch cannot do without, and how to set it."""

    field: str  # name or story
    label: str
    option: str  # the `profile set` option, with a placeholder
    prompt: str


def missing_for_pitch(me: Profile, arena: Arena) -> list[Missing]:
    """What the profile lacks for a pitch in the arena: your name (the introduction and the
    sign-off) and a story (the arena's own, or the profile's). Everything else is optional."""
    _goal, story, _request = me.for_arena(arena.name)
    gaps = []
    if not me.name:
        gaps.append(Missing("name", "name", '--name "YOUR NAME"', "Your name, as you sign emails"))
    if not story:
        gaps.append(
            Missing(
                "story",
                "story",
                '--story "TWO SENTENCES ABOUT YOUR PATH"',
                "Your story in one or two sentences (what you do now, and what you want to do next)",
            )
        )
    return gaps


def missing_error(gaps: list[Missing], arena: Arena) -> InvalidInput:
    """The one line that says what is missing and the exact command that sets it."""
    labels = natural_join([gap.label for gap in gaps])
    options = " ".join(gap.option for gap in gaps)
    also = (
        f" (or --story-for {shlex.quote(arena.name + '=...')} for {arena.name} pitches only)"
        if any(g.field == "story" for g in gaps)
        else ""
    )
    them = "them" if len(gaps) > 1 else "it"
    return InvalidInput(f"a pitch needs your {labels}; set {them} with: mentorkit profile set {options}{also}")


def pitch_context(
    me: Profile,
    arena: Arena,
    mentor: Mentor | None,
    request: str | None,
    today: date,
    arena_names: list[str] | None = None,
    target_goal: Goal | None = None,
) -> dict[str, Any]:
    """`target_goal` (`pitch --goal`): the pitch states that goal and its next milestone, and
    asks for help with it, instead of the arena's goal and request."""
    gaps = missing_for_pitch(me, arena)
    if gaps:
        raise missing_error(gaps, arena)
    goal, story, own_request = me.for_arena(arena.name)
    ask = clean_text(request, "the request", limit=2_000) or own_request or default_request(arena)
    stated = goal_sentence(goal)
    if target_goal is not None:
        goal = target_goal.text
        stated = goal_sentence(goal)
        step = target_goal.next_milestone()
        if step is not None:
            stated += " " + sentence(f"My next step: {clause(step.text)}, by {format_day(step.due_on)}")
        ask = clean_text(request, "the request", limit=2_000) or GOAL_REQUEST
    hook = mentor.hook if mentor else None
    return {
        "profile": profile_context(me),
        "arena": {"name": arena.name, "description": arena.description},
        "goal": goal,
        "story": story,
        "mentor": mentor_context(mentor, arena_names) if mentor else None,
        "request": ask,
        "today": today.isoformat(),
        "intro": introduction(me),
        "hook_sentence": sentence(hook),
        "story_sentence": sentence(story),
        "goal_sentence": stated,
        "request_sentence": question(ask),
    }


# ---- measuring ----------------------------------------------------------------------------


@dataclass
class Measure:
    words: int
    seconds: int
    paragraphs: int
    warnings: list[str] = field(default_factory=list)


def measure(text: str) -> Measure:
    """Words of the body (greeting and sign-off left out: they are not what is read or said),
    spoken seconds at 150 words a minute, paragraphs, and what to cut when it is too long."""
    body = letter_body(text)
    words = body.words
    seconds = round(words * 60 / WORDS_PER_MINUTE)
    paragraphs = sum(1 for p in body.paragraphs if count_words(p) > SHORT_BLOCK_WORDS)
    result = Measure(words, seconds, paragraphs)
    if seconds > MAX_SECONDS:
        limit = MAX_SECONDS * WORDS_PER_MINUTE // 60
        longest, length = body.longest_sentence()
        opening = " ".join(longest.split()[:6])
        result.warnings.append(
            f"spoken at {WORDS_PER_MINUTE} words a minute this takes about {seconds} seconds, "
            f"{seconds - MAX_SECONDS} over the {MAX_SECONDS}-second limit: cut about {words - limit} words. "
            f'The longest sentence ({length} words) begins "{opening} ..."'
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
    hook: str | None = None  # how you know the mentor, when set
    id: int | None = None
    uuid: str | None = None
    email: str | None = None  # the mentor's address, for `pitch --mail`


def draft_pitch(
    conn: sqlite3.Connection,
    now: datetime,
    me: Profile,
    *,
    arena: str | None,
    mentor: str | None = None,
    request: str | None = None,
    template: str | None = None,
    save: bool = False,
    goal: str | None = None,
) -> PitchDraft:
    """Render a pitch; with `save`, store it (the caller holds a write transaction). `goal`: a
    goal id (`--goal`); its arena is the pitch's, and `arena` may be None."""
    from mentorkit import drafting
    from mentorkit.domain.goals import get_goal

    target_goal = get_goal(conn, goal) if goal is not None else None
    if target_goal is not None:
        if arena is not None and resolve_arena(conn, arena).id != target_goal.arena_id:
            raise InvalidInput(
                f"goal {target_goal.id} is in {target_goal.arena}, not {arena}; drop --arena or name that arena"
            )
        arena = target_goal.arena
    if arena is None:
        raise InvalidInput("name the pitch's --arena, or a --goal it serves")
    target_arena = resolve_arena(conn, arena)
    target = resolve_mentor(conn, mentor) if mentor else None
    arena_names = [r[0] for r in conn.execute("SELECT name FROM arena")]
    context = pitch_context(
        me, target_arena, target, request, now.astimezone(me.zone).date(), arena_names, target_goal=target_goal
    )
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
        hook=target.hook if target else None,
        email=target.email if target else None,
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


def pitch_gaps(conn: sqlite3.Connection, me: Profile, arena: str) -> list[Missing]:
    """What the profile lacks for a pitch in the arena (see `missing_for_pitch`)."""
    return missing_for_pitch(me, resolve_arena(conn, arena))


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


def _not_before_draft(pitch: Pitch, on: date, zone: tzinfo, what: str) -> None:
    drafted = pitch.created_at.astimezone(zone).date()
    if on < drafted:
        raise InvalidInput(
            f"pitch {pitch.id} was drafted on {drafted}; it cannot have been {what} on {on}, before that"
        )


def mark_sent(
    conn: sqlite3.Connection, now: datetime, pitch_id: int | str, on: date, today: date, zone: tzinfo
) -> Pitch:
    pitch = get_pitch(conn, pitch_id)
    if on > today:
        raise InvalidInput(f"{on} is in the future; mark a pitch sent once it has gone out")
    _not_before_draft(pitch, on, zone, "sent")
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
        _not_before_draft(pitch, on, zone, "answered")
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
