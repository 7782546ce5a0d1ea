"""Everything about one mentor, for `show`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from mentorkit.domain.advice import Advice, list_advice
from mentorkit.domain.flags import Flag, flags_for
from mentorkit.domain.followups import Followup, followups_for
from mentorkit.domain.meetings import Meeting, list_meetings
from mentorkit.domain.mentors import Mentor, StageChange, stage_history


@dataclass
class MentorDetail:
    mentor: Mentor
    stages: list[StageChange]
    upcoming: list[Meeting]
    meetings: list[Meeting]
    meetings_total: int
    followups: list[Followup]
    advice: list[Advice] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
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
    detail.advice = list_advice(conn, mentor_id=mentor.id)
    detail.flags = flags_for(conn, mentor.id)
    if mentor.cadence and mentor.stage in ("active", "pilot"):
        base = mentor.last_contact or mentor.stage_changed_at
        detail.next_check_in = next_occurrence(mentor.cadence, base.astimezone(zone)).date()
    return detail
