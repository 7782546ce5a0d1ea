"""The follow-up kinds of goals and agreements (issue 19), for `followups` (domain/followups.py):

- milestone: an open milestone of an open goal due by the horizon (domain/goals.py); with a
  mentor, only milestones of goals that mentor is linked to; "with" names the goal's mentors.
- agreement: a mentoring agreement whose review date is due by the horizon, unless the
  relationship has ended (domain/agreements.py).

Those two modules are imported only when the store holds an open milestone or a dated
agreement: the morning list of a store without goals does not pay for them (docs/performance.md).
"""

from __future__ import annotations

import sqlite3
from datetime import date

from mentorkit.dates import format_day
from mentorkit.domain.followups import DueItem


def plan_items(conn: sqlite3.Connection, today: date, horizon: date | None, mentor_id: int | None) -> list[DueItem]:
    milestones, agreements = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM milestone WHERE done_at IS NULL), "
        "EXISTS (SELECT 1 FROM agreement WHERE review_on IS NOT NULL)"
    ).fetchone()
    items: list[DueItem] = []
    if milestones:
        items += _milestone_items(conn, today, horizon, mentor_id)
    if agreements:
        items += _agreement_items(conn, today, horizon, mentor_id)
    return items


def _milestone_items(
    conn: sqlite3.Connection, today: date, horizon: date | None, mentor_id: int | None
) -> list[DueItem]:
    from mentorkit.domain.goals import milestones_due

    return [
        DueItem(
            "milestone",
            f"{m.text} (milestone #{m.milestone_id} of goal #{m.goal_id}, {m.arena}): "
            f"`goal milestone done {m.milestone_id}`",
            m.due,
            (today - m.due).days,
            ", ".join(m.mentors) or None,
            goal_id=m.goal_id,
        )
        for m in milestones_due(conn, horizon, mentor_id)
    ]


def _agreement_items(
    conn: sqlite3.Connection, today: date, horizon: date | None, mentor_id: int | None
) -> list[DueItem]:
    from mentorkit.domain.agreements import reviews_due

    return [
        DueItem(
            "agreement",
            f"review the mentoring agreement of {format_day(a.agreed_on)}: `agreement draft {a.mentor_id}`, "
            f"then `agreement set {a.mentor_id} --review-on DATE`",
            a.review_on,
            (today - a.review_on).days,
            a.mentor,
            a.mentor_id,
        )
        for a in reviews_due(conn, horizon, mentor_id)
    ]
