"""Everything about one mentor, for `show`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from mentorkit.domain.followups import Followup, followups_for
from mentorkit.domain.meetings import Meeting, list_meetings
from mentorkit.domain.mentors import Mentor, StageChange, stage_history


@dataclass
class AdviceLine:
    id: int
    text: str
    given_on: date
    arena: str | None
    outcome: str


@dataclass
class FlagLine:
    id: int
    kind: str
    note: str | None
    raised_on: date
    resolved_on: date | None


@dataclass
class MentorDetail:
    mentor: Mentor
    stages: list[StageChange]
    upcoming: list[Meeting]
    meetings: list[Meeting]
    meetings_total: int
    followups: list[Followup]
    advice: list[AdviceLine] = field(default_factory=list)
    flags: list[FlagLine] = field(default_factory=list)
    next_check_in: date | None = None


def mentor_detail(conn: sqlite3.Connection, now: datetime, zone: tzinfo, mentor: Mentor,
                  recent: int = 10) -> MentorDetail:  # fmt: skip
    from mentorkit.dates import next_occurrence

    total = conn.execute(
        "SELECT count(*) FROM meeting WHERE mentor_id = ? AND status != 'planned'", (mentor.id,)
    ).fetchone()[0]
    detail = MentorDetail(
        mentor=mentor,
        stages=stage_history(conn, mentor.id),
        upcoming=list_meetings(conn, now, upcoming=True, mentor_id=mentor.id, limit=None),
        meetings=list_meetings(conn, now, upcoming=False, mentor_id=mentor.id, limit=recent),
        meetings_total=total,
        followups=followups_for(conn, mentor_id=mentor.id),
    )
    detail.advice = [
        AdviceLine(r["id"], r["text"], date.fromisoformat(r["given_on"]), r["arena"], r["outcome"])
        for r in conn.execute(
            "SELECT advice.id, advice.text, advice.given_on, advice.outcome, arena.name AS arena FROM advice "
            "LEFT JOIN arena ON arena.id = advice.arena_id WHERE advice.mentor_id = ? "
            "ORDER BY advice.given_on DESC, advice.id DESC",
            (mentor.id,),
        )
    ]
    detail.flags = [
        FlagLine(
            r["id"],
            r["kind"],
            r["note"],
            date.fromisoformat(r["raised_on"]),
            date.fromisoformat(r["resolved_on"]) if r["resolved_on"] else None,
        )
        for r in conn.execute(
            "SELECT id, kind, note, raised_on, resolved_on FROM flag WHERE mentor_id = ? ORDER BY raised_on",
            (mentor.id,),
        )
    ]
    if mentor.cadence and mentor.stage in ("active", "pilot"):
        base = mentor.last_contact or mentor.stage_changed_at
        detail.next_check_in = next_occurrence(mentor.cadence, base.astimezone(zone)).date()
    return detail
