"""Triage of many people: which mentors a filter selects, how many the board view hides, and one
action (tags, an arena, a stage) applied to every person selected, as one change."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from mentorkit.domain.common import STAGES, choice, clean_text
from mentorkit.errors import InvalidInput

if TYPE_CHECKING:
    from mentorkit.domain.mentors import Mentor

BOARD = ("active", "pilot", "paused")
"""The stages `mentors` lists unless told otherwise: the people you are working with."""
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Filter:
    """Who a listing or a bulk action is about. `stages` None: every stage."""

    stages: tuple[str, ...] | None = None
    arena: str | None = None
    tag: str | None = None
    text: str | None = None  # every word in the name, title, institution or notes
    source: str | None = None  # a part of where you found them

    @property
    def narrowed(self) -> bool:
        return bool(
            self.arena or self.tag or (self.text and self.text.strip()) or (self.source and self.source.strip())
        )


def _haystack(m: Mentor) -> str:
    return " ".join(t for t in (m.name, m.title, m.institution, m.notes) if t).casefold()


def select(conn: sqlite3.Connection, f: Filter) -> list[Mentor]:
    """The mentors a filter selects, active first (as `list_mentors` orders them)."""
    from mentorkit.domain import mentors

    rows = mentors.list_mentors(conn, arena=f.arena, tag=f.tag, stages=f.stages, source=f.source)
    words = _WORD.findall((f.text or "").casefold())
    if f.text is not None and f.text.strip() and not words:
        raise InvalidInput("--match needs a word to look for, e.g. --match dean")
    if words:
        rows = [m for m in rows if all(w in _haystack(m) for w in words)]
    return rows


def stage_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many people are in each stage (every stage named, 0 included)."""
    found = dict(conn.execute("SELECT stage, count(*) FROM mentor GROUP BY stage").fetchall())
    return {stage: found.get(stage, 0) for stage in STAGES}


@dataclass
class BulkAction:
    """What to do to every person selected. Empty: nothing (a listing)."""

    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    add_arenas: list[str] = field(default_factory=list)
    remove_arenas: list[str] = field(default_factory=list)
    stage: str | None = None
    reason: str | None = None

    def __bool__(self) -> bool:
        return bool(self.add_tags or self.remove_tags or self.add_arenas or self.remove_arenas or self.stage)

    def describe(self) -> str:
        """'add the tag leadership, set the stage to pilot' (for the question and the report)."""

        def listed(what: str, names: list[str]) -> str:
            return f"the {what}{'s' if len(names) > 1 else ''} {', '.join(names)}"

        parts = []
        if self.add_tags:
            parts.append(f"add {listed('tag', self.add_tags)}")
        if self.remove_tags:
            parts.append(f"remove {listed('tag', self.remove_tags)}")
        if self.add_arenas:
            parts.append(f"add {listed('arena', self.add_arenas)}")
        if self.remove_arenas:
            parts.append(f"remove {listed('arena', self.remove_arenas)}")
        if self.stage:
            parts.append(f"set the stage to {self.stage}")
        return ", ".join(parts)

    def check(self, conn: sqlite3.Connection) -> None:
        """Refuse a bad action before anything is written (or asked)."""
        from mentorkit.domain.arenas import resolve_arena

        for tag in (*self.add_tags, *self.remove_tags):
            if not clean_text(tag, "a tag", limit=60):
                raise InvalidInput("a tag cannot be empty")
        for arena in (*self.add_arenas, *self.remove_arenas):
            resolve_arena(conn, arena)
        if self.stage is not None:
            self.stage = choice(self.stage, STAGES, "stage")
            if self.stage == "ended" and not (self.reason and self.reason.strip()):
                raise InvalidInput("ending relationships needs a reason: add --reason TEXT")
        elif self.reason:
            raise InvalidInput("--reason goes with --set-stage")


@dataclass
class BulkResult:
    action: str
    changed: list[int]  # ids of the people the action changed
    unchanged: list[int]  # ids of those it found as asked already


def apply_bulk(conn: sqlite3.Connection, now: datetime, zone: tzinfo, ids: list[int], action: BulkAction) -> BulkResult:
    """Apply the action to each person (inside the caller's one write transaction, so it is one
    step of the change journal: one `undo` takes it all back)."""
    from mentorkit.domain.mentors import MentorFields, edit_mentor, get_mentor, set_stage

    action.check(conn)
    result = BulkResult(action.describe(), [], [])
    links = MentorFields(
        tags=action.add_tags,
        remove_tags=action.remove_tags,
        arenas=action.add_arenas,
        remove_arenas=action.remove_arenas,
    )
    for mentor_id in ids:
        before = conn.total_changes
        mentor = get_mentor(conn, mentor_id)
        if links.tags or links.remove_tags or links.arenas or links.remove_arenas:
            mentor = edit_mentor(conn, now, zone, mentor, links)
        if action.stage and mentor.stage != action.stage:
            set_stage(conn, now, zone, mentor, action.stage, reason=action.reason)
        (result.changed if conn.total_changes > before else result.unchanged).append(mentor_id)
    return result
