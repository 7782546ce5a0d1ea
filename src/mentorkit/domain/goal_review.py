"""What `review` says of goals (issue 19): progress per goal over the period, and goals no mentor
helps with, with the prospects who could (the board's rule for an arena gap, `prospects_for`).

Progress of a goal over the period: milestones done in it and milestones late (open past their
date, or done after it within the period), the held meetings and the advice of the period that
named the goal (`--goal`), and its linked mentors. Goals reviewed: the open ones, and those done
or dropped within the period.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date

from mentorkit.domain.goals import Goal, list_goals
from mentorkit.domain.review import Prospect


@dataclass
class GoalProgress:
    id: int
    arena: str
    text: str
    due_on: date | None
    status: str
    mentors: list[str]
    milestones: int  # all of the goal's milestones
    milestones_done: int  # all done, whenever
    done_in_period: int
    late: int  # open past their date, or done after it in the period
    meetings: int  # held in the period, naming the goal
    advice: int  # given in the period, naming the goal
    next_milestone: str | None = None
    next_due: date | None = None


@dataclass
class GoalGap:
    goal_id: int
    arena: str
    text: str
    prospects: list[Prospect] = field(default_factory=list)


def _counts(conn: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> dict[int, int]:
    return {r[0]: r[1] for r in conn.execute(sql, params)}


def goal_progress(
    conn: sqlite3.Connection, today: date, start: date, start_at: str, now_at: str
) -> tuple[list[GoalProgress], list[GoalGap]]:
    """Progress of each goal open now or closed since `start` (the instant `start_at`), and the
    open goals no current mentor helps with."""
    goals = [
        g
        for g in list_goals(conn, include_closed=True)
        if g.status == "open" or (g.updated_at.date() >= start and g.status in ("done", "dropped"))
    ]
    meetings = _counts(
        conn,
        "SELECT goal_id, count(*) FROM meeting WHERE goal_id IS NOT NULL AND status = 'held' "
        "AND starts_at >= ? AND starts_at <= ? GROUP BY goal_id",
        (start_at, now_at),
    )
    advice = _counts(
        conn,
        "SELECT goal_id, count(*) FROM advice WHERE goal_id IS NOT NULL AND given_on >= ? AND given_on <= ? "
        "GROUP BY goal_id",
        (start.isoformat(), today.isoformat()),
    )
    progress = [_progress(g, today, start, meetings.get(g.id, 0), advice.get(g.id, 0)) for g in goals]
    return progress, _gaps(conn, [g for g in goals if g.status == "open"])


def _progress(g: Goal, today: date, start: date, meetings: int, advice: int) -> GoalProgress:
    done_now = [m for m in g.milestones if m.done_at is not None and m.done_at.date() >= start]
    late = [
        m
        for m in g.milestones
        if (m.done_at is None and m.due_on < today) or (m.done_at is not None and m in done_now and m.late(today))
    ]
    upcoming = g.next_milestone()
    return GoalProgress(
        id=g.id,
        arena=g.arena,
        text=g.text,
        due_on=g.due_on,
        status=g.status,
        mentors=[m.name for m in g.mentors if m.stage != "ended"],
        milestones=len(g.milestones),
        milestones_done=g.milestones_done(),
        done_in_period=len(done_now),
        late=len(late),
        meetings=meetings,
        advice=advice,
        next_milestone=upcoming.text if upcoming else None,
        next_due=upcoming.due_on if upcoming else None,
    )


def _gaps(conn: sqlite3.Connection, goals: list[Goal]) -> list[GoalGap]:
    from mentorkit.domain.board import prospects_for

    helpless = [g for g in goals if not any(m.stage in ("active", "pilot", "paused") for m in g.mentors)]
    if not helpless:
        return []
    candidates = prospects_for(conn)
    return [
        GoalGap(g.id, g.arena, g.text, [Prospect(p.id, p.name) for p in candidates.get(g.arena, [])]) for g in helpless
    ]
