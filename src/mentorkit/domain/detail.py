"""Everything about one mentor, for `show`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from mentorkit.domain.advice import Advice, list_advice
from mentorkit.domain.agreements import Agreement, get_agreement
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
    meetings_total: int  # held, cancelled and missed
    followups: list[Followup]  # the open ones due soonest, at most `recent` (followups_total: all)
    followups_total: int = 0
    advice: list[Advice] = field(default_factory=list)  # the latest, at most `recent`
    advice_total: int = 0
    flags: list[Flag] = field(default_factory=list)
    next_check_in: date | None = None
    check_in_days_late: int | None = None  # today minus next_check_in, in the profile's zone
    # The planned meeting that stands for the check-in (as `followups` has it): not late then.
    check_in_planned: int | None = None
    held_total: int = 0  # contacts
    called_off_total: int = 0  # cancelled or missed
    agreement: Agreement | None = None
    goals: list[str] = field(default_factory=list)  # "#3 Submit the R01": the open goals they help with
    groups: list[str] = field(default_factory=list)  # the groups they are a member of


def mentor_detail(
    conn: sqlite3.Connection, now: datetime, zone: tzinfo, mentor: Mentor, recent: int = 10
) -> MentorDetail:
    """One mentor's page. A long history is summarised: the `recent` latest meetings and advice
    and the `recent` open follow-ups due soonest, with the totals (`meetings_total`,
    `followups_total`, `advice_total`), so the page (and its cost) keeps its size as the history
    grows; `followups --all --mentor` and `advice --mentor` list everything."""
    from mentorkit.domain.followups import mentor_check_in

    by_status = dict(
        conn.execute(
            "SELECT status, count(*) FROM meeting WHERE mentor_id = ? GROUP BY status", (mentor.id,)
        ).fetchall()
    )
    total = sum(n for status, n in by_status.items() if status != "planned")
    detail = MentorDetail(
        mentor=mentor,
        stages=stage_history(conn, mentor.id),
        upcoming=list_meetings(conn, now, upcoming=True, mentor_id=mentor.id, limit=None),
        meetings=list_meetings(conn, now, upcoming=False, mentor_id=mentor.id, limit=recent),
        meetings_total=total,
        followups=followups_for(conn, mentor_id=mentor.id, limit=recent),
        followups_total=conn.execute(
            "SELECT count(*) FROM followup WHERE mentor_id = ? AND status = 'open'", (mentor.id,)
        ).fetchone()[0],
        advice_total=conn.execute("SELECT count(*) FROM advice WHERE mentor_id = ?", (mentor.id,)).fetchone()[0],
    )
    detail.held_total = by_status.get("held", 0)
    detail.called_off_total = by_status.get("cancelled", 0) + by_status.get("missed", 0)
    detail.advice = list_advice(conn, mentor_id=mentor.id, limit=recent)
    detail.flags = flags_for(conn, mentor.id)
    detail.agreement = get_agreement(conn, mentor.id)
    detail.goals = [
        f"#{r['id']} {r['text']}"
        for r in conn.execute(
            "SELECT goal.id, goal.text FROM goal JOIN goal_mentor ON goal_mentor.goal_id = goal.id "
            "WHERE goal_mentor.mentor_id = ? AND goal.status = 'open' ORDER BY goal.id",
            (mentor.id,),
        )
    ]
    detail.groups = [
        r[0]
        for r in conn.execute(
            "SELECT g.name FROM group_member gm JOIN mgroup g ON g.id = gm.group_id "
            "WHERE gm.mentor_id = ? ORDER BY g.name COLLATE NOCASE",
            (mentor.id,),
        )
    ]
    check_in = mentor_check_in(conn, now, zone, mentor.id)
    if check_in is not None:
        detail.next_check_in = check_in.due
        if check_in.answered:
            detail.check_in_planned = check_in.planned_id
        else:
            detail.check_in_days_late = (now.astimezone(zone).date() - check_in.due).days
    return detail
