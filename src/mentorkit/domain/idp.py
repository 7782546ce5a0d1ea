"""The Individual Development Plan (`idp`): the profile, goals by arena with milestones and
status, the mentors and sponsors for each, the agreements and their review dates, and progress
since a date (default a year ago), as data for the `idp` template (Markdown) or `--json`.

Progress since the date counts as `review` does for its period (domain/goal_review.py):
milestones done and late, held meetings and advice that named the goal.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from mentorkit.clock import to_db
from mentorkit.dates import localize
from mentorkit.domain.agreements import Agreement, list_agreements
from mentorkit.domain.goal_review import GoalProgress, goal_progress
from mentorkit.domain.goals import Goal, list_goals
from mentorkit.domain.profile import Profile
from mentorkit.errors import InvalidInput

TEMPLATE = "idp"
DEFAULT_DAYS = 365


@dataclass
class IdpArena:
    name: str
    goals: list[Goal] = field(default_factory=list)


@dataclass
class Idp:
    since: date
    until: date
    profile: Profile
    arenas: list[IdpArena]
    sponsors: list[str]
    agreements: list[Agreement]
    progress: list[GoalProgress]


def build_idp(conn: sqlite3.Connection, now: datetime, me: Profile, since: date | None = None) -> Idp:
    today = now.astimezone(me.zone).date()
    start = since or today - timedelta(days=DEFAULT_DAYS)
    if start > today:
        raise InvalidInput(f"--since {start} is in the future; give a date on or before today")
    start_at = to_db(localize(datetime.combine(start, time()), me.zone))
    arenas = {r["name"]: IdpArena(r["name"]) for r in conn.execute("SELECT name FROM arena ORDER BY id")}
    goals = list_goals(conn, include_closed=True)
    for g in goals:
        if g.status == "open" or (g.done_at or g.updated_at).astimezone(me.zone).date() >= start:
            arenas[g.arena].goals.append(g)
    sponsors = [
        r["name"]
        for r in conn.execute(
            "SELECT mentor.name FROM mentor_role JOIN mentor ON mentor.id = mentor_role.mentor_id "
            "WHERE mentor_role.role = 'sponsor' AND mentor.stage IN ('active', 'pilot', 'paused') "
            "ORDER BY mentor.name COLLATE NOCASE"
        )
    ]
    progress, _ = goal_progress(conn, today, start, start_at, to_db(now))
    agreements = [a for a in list_agreements(conn) if _current(conn, a.mentor_id)]
    return Idp(start, today, me, [a for a in arenas.values() if a.goals], sponsors, agreements, progress)


def _current(conn: sqlite3.Connection, mentor_id: int) -> bool:
    row = conn.execute("SELECT stage FROM mentor WHERE id = ?", (mentor_id,)).fetchone()
    return row is not None and row["stage"] != "ended"


def idp_context(idp: Idp, today: date) -> dict[str, Any]:
    """The IDP as the template sees it: plain data, dates written for a reader."""
    from mentorkit.dates import format_day
    from mentorkit.domain.pitches import profile_context

    def day(value: date | None) -> str | None:
        return format_day(value) if value else None

    progress = {p.id: p for p in idp.progress}
    arenas = []
    for arena in idp.arenas:
        goals = []
        for g in arena.goals:
            p = progress.get(g.id)
            goals.append(
                {
                    "id": g.id,
                    "text": g.text,
                    "by": day(g.due_on),
                    "measure": g.measure,
                    "status": g.status,
                    "mentors": [
                        {"name": m.name, "roles": list(m.roles), "stage": m.stage}
                        for m in g.mentors
                        if m.stage != "ended"
                    ],
                    "milestones": [
                        {
                            "text": m.text,
                            "by": day(m.due_on),
                            "status": ("done late" if m.late(today) else "done")
                            if m.done_at
                            else ("late" if m.late(today) else "open"),
                            "done_on": day(m.done_at.date()) if m.done_at else None,
                        }
                        for m in g.milestones
                    ],
                    "progress": None
                    if p is None
                    else {
                        "milestones_done": p.done_in_period,
                        "late": p.late,
                        "meetings": p.meetings,
                        "advice": p.advice,
                    },
                }
            )
        arenas.append({"name": arena.name, "goals": goals})
    return {
        "profile": profile_context(idp.profile),
        "since": day(idp.since),
        "until": day(idp.until),
        "arenas": arenas,
        "sponsors": list(idp.sponsors),
        "agreements": [
            {
                "mentor": a.mentor,
                "agreed_on": day(a.agreed_on),
                "review_on": day(a.review_on),
                "cadence": a.cadence_label,
                "minutes": a.minutes,
                "channel": a.channel,
            }
            for a in idp.agreements
        ],
    }


def render_idp(idp: Idp, template: str | None = None) -> str:
    from mentorkit import drafting
    from mentorkit.exchange.report import markdown_text

    found = drafting.find(template) if template else drafting.find_named(TEMPLATE)
    return drafting.render_file(found, markdown_text(idp_context(idp, idp.until)))
