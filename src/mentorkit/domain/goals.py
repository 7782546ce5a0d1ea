"""Goals per arena, their milestones, and the mentors who help with each (issue 19).

A goal is SMART-ish text in an arena with an optional date (`due_on`, "by") and measure; it is
open, done or dropped. Milestones are dated steps towards it; a milestone may fall after its
goal's date (plans slip), which is allowed and flagged (`Milestone.after_goal`). Mentors are
linked to the goals they help with; an ended relationship cannot be linked. Meetings, advice and
follow-ups name the goal they serve through their `goal_id` (`serve`).

The profile's "goal per arena" of schema 1 is the arena's first open goal (`headline_goals`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from mentorkit.clock import date_from_db, from_db, to_db
from mentorkit.domain.arenas import resolve_arena
from mentorkit.domain.common import clean_text, new_uuid
from mentorkit.errors import InvalidInput, NotFound

STATUSES = ("open", "done", "dropped")
MAX_GOAL = 5_000


@dataclass
class LinkedMentor:
    id: int
    name: str
    stage: str
    roles: list[str] = field(default_factory=list)


@dataclass
class Milestone:
    id: int
    uuid: str
    goal_id: int
    text: str
    due_on: date
    done_at: datetime | None
    after_goal: bool = False  # due after its goal's date: allowed, and flagged

    def late(self, today: date) -> bool:
        """Open past its date, or done after it (a day in the profile's zone is close enough)."""
        if self.done_at is None:
            return self.due_on < today
        return self.done_at.date() > self.due_on


@dataclass
class Goal:
    id: int
    uuid: str
    arena: str
    arena_id: int
    text: str
    due_on: date | None
    measure: str | None
    status: str
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None
    mentors: list[LinkedMentor] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    served: dict[str, int] | None = None  # `served_by`: held meetings, advice, open follow-ups naming it

    def milestones_done(self) -> int:
        return sum(1 for m in self.milestones if m.done_at is not None)

    def next_milestone(self) -> Milestone | None:
        return next((m for m in self.milestones if m.done_at is None), None)


def goal_ref(ref: int | str, what: str = "goal") -> int:
    """'12' or '#12' -> 12; anything else is refused with a pointer to the list."""
    text = str(ref).strip().lstrip("#")
    if not text.isdecimal() or len(text) > 18:
        raise InvalidInput(f"{str(ref)!r} is not a {what} id; see `mentorkit goals --all`")
    return int(text)


def _goal(r: sqlite3.Row) -> Goal:
    return Goal(
        id=r["id"],
        uuid=r["uuid"],
        arena=r["arena_name"],
        arena_id=r["arena_id"],
        text=r["text"],
        due_on=date_from_db(r["due_on"]),
        measure=r["measure"],
        status=r["status"],
        created_at=from_db(r["created_at"]),  # type: ignore[arg-type]
        updated_at=from_db(r["updated_at"]),  # type: ignore[arg-type]
        done_at=from_db(r["done_at"]),
    )


_SELECT = "SELECT goal.*, arena.name AS arena_name FROM goal JOIN arena ON arena.id = goal.arena_id"


def _fill(conn: sqlite3.Connection, goals: list[Goal]) -> list[Goal]:
    """Each goal's mentors (with their roles) and milestones, in two queries."""
    if not goals:
        return goals
    by_id = {g.id: g for g in goals}
    marks = ",".join("?" * len(by_id))
    roles: dict[int, list[str]] = {}
    for r in conn.execute(
        f"SELECT mentor_role.mentor_id, mentor_role.role FROM mentor_role JOIN goal_mentor "
        f"ON goal_mentor.mentor_id = mentor_role.mentor_id WHERE goal_mentor.goal_id IN ({marks}) "
        "ORDER BY mentor_role.role",
        list(by_id),
    ):
        if r["role"] not in roles.setdefault(r["mentor_id"], []):
            roles[r["mentor_id"]].append(r["role"])
    for r in conn.execute(
        f"SELECT goal_mentor.goal_id, mentor.id, mentor.name, mentor.stage FROM goal_mentor "
        f"JOIN mentor ON mentor.id = goal_mentor.mentor_id WHERE goal_mentor.goal_id IN ({marks}) "
        "ORDER BY mentor.name COLLATE NOCASE, mentor.id",
        list(by_id),
    ):
        by_id[r["goal_id"]].mentors.append(LinkedMentor(r["id"], r["name"], r["stage"], roles.get(r["id"], [])))
    for r in conn.execute(
        f"SELECT * FROM milestone WHERE goal_id IN ({marks}) ORDER BY due_on, id",
        list(by_id),
    ):
        goal = by_id[r["goal_id"]]
        goal.milestones.append(_milestone(r, goal.due_on))
    return goals


def _milestone(r: sqlite3.Row, goal_due: date | None) -> Milestone:
    due = date.fromisoformat(r["due_on"])
    return Milestone(
        id=r["id"],
        uuid=r["uuid"],
        goal_id=r["goal_id"],
        text=r["text"],
        due_on=due,
        done_at=from_db(r["done_at"]),
        after_goal=goal_due is not None and due > goal_due,
    )


def get_goal(conn: sqlite3.Connection, ref: int | str) -> Goal:
    goal_id = goal_ref(ref)
    row = conn.execute(f"{_SELECT} WHERE goal.id = ?", (goal_id,)).fetchone()
    if row is None:
        raise NotFound(f"no goal with id {goal_id}; see `mentorkit goals --all`")
    return _fill(conn, [_goal(row)])[0]


def served_by(conn: sqlite3.Connection, goal: Goal) -> Goal:
    """Fill `goal.served`: how many held meetings, pieces of advice and open follow-ups name it."""
    goal.served = {
        "meetings": conn.execute(
            "SELECT count(*) FROM meeting WHERE goal_id = ? AND status = 'held'", (goal.id,)
        ).fetchone()[0],
        "advice": conn.execute("SELECT count(*) FROM advice WHERE goal_id = ?", (goal.id,)).fetchone()[0],
        "open_followups": conn.execute(
            "SELECT count(*) FROM followup WHERE goal_id = ? AND status = 'open'", (goal.id,)
        ).fetchone()[0],
    }
    return goal


def list_goals(
    conn: sqlite3.Connection, *, arena: str | None = None, include_closed: bool = False, mentor_id: int | None = None
) -> list[Goal]:
    """Goals in arena order (the order arenas were made), then by date (undated last) and id."""
    where, params = [], []
    if arena is not None:
        where.append("goal.arena_id = ?")
        params.append(resolve_arena(conn, arena).id)
    if not include_closed:
        where.append("goal.status = 'open'")
    if mentor_id is not None:
        where.append("goal.id IN (SELECT goal_id FROM goal_mentor WHERE mentor_id = ?)")
        params.append(mentor_id)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY arena.id, goal.status != 'open', goal.due_on IS NULL, goal.due_on, goal.id"
    return _fill(conn, [_goal(r) for r in conn.execute(sql, params)])


def set_headline_goal(conn: sqlite3.Connection, now: datetime, arena: str, text: str) -> None:
    """`profile set --goal ARENA=TEXT`: the arena's first open goal takes the text (a new goal
    when the arena has none open); an empty text drops that goal (kept, with its milestones)."""
    where = resolve_arena(conn, arena)
    body = _text(text, f"the goal for {where.name}")
    row = conn.execute(
        "SELECT id FROM goal WHERE arena_id = ? AND status = 'open' ORDER BY id LIMIT 1", (where.id,)
    ).fetchone()
    stamp = to_db(now)
    if row is None and body is not None:
        add_goal(conn, now, arena=where.name, text=body)
    elif row is not None and body is None:
        conn.execute("UPDATE goal SET status = 'dropped', updated_at = ? WHERE id = ?", (stamp, row["id"]))
    elif row is not None:
        conn.execute(
            "UPDATE goal SET text = ?, updated_at = ? WHERE id = ? AND text IS NOT ?", (body, stamp, row["id"], body)
        )


def headline_goals(conn: sqlite3.Connection) -> dict[str, str]:
    """Arena name -> the text of its first open goal: what a pitch in the arena says and what
    `profile show` lists (the one goal per arena of the profile before schema 11)."""
    rows = conn.execute(
        "SELECT arena.name, goal.text FROM goal JOIN arena ON arena.id = goal.arena_id "
        "WHERE goal.status = 'open' AND goal.id = (SELECT min(g.id) FROM goal g "
        "WHERE g.arena_id = goal.arena_id AND g.status = 'open') ORDER BY arena.name"
    )
    return {r["name"]: r["text"] for r in rows}


def _text(value: str | None, what: str, *, required: bool = False) -> str | None:
    return clean_text(value, what, limit=MAX_GOAL, required=required)


def add_goal(
    conn: sqlite3.Connection,
    now: datetime,
    *,
    arena: str,
    text: str,
    due: date | None = None,
    measure: str | None = None,
) -> Goal:
    where = resolve_arena(conn, arena)
    body = _text(text, "the goal", required=True)
    stamp = to_db(now)
    cursor = conn.execute(
        "INSERT INTO goal (uuid, arena_id, text, due_on, measure, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
        (new_uuid(), where.id, body, due.isoformat() if due else None, _text(measure, "the measure"), stamp, stamp),
    )
    assert cursor.lastrowid is not None
    return get_goal(conn, cursor.lastrowid)


UNSET = object()
"""An option not given (None means "clear it")."""


def edit_goal(
    conn: sqlite3.Connection,
    now: datetime,
    ref: int | str,
    *,
    text: str | None = None,
    arena: str | None = None,
    due: date | object | None = UNSET,
    measure: str | object | None = UNSET,
) -> tuple[Goal, bool]:
    """Change the given fields; (the goal, whether anything changed)."""
    goal = get_goal(conn, ref)
    changes: dict[str, object] = {}
    if text is not None:
        changes["text"] = _text(text, "the goal", required=True)
    if arena is not None:
        changes["arena_id"] = resolve_arena(conn, arena).id
    if due is not UNSET:
        changes["due_on"] = due.isoformat() if isinstance(due, date) else None
    if measure is not UNSET:
        changes["measure"] = _text(measure if isinstance(measure, str) else None, "the measure")
    if not changes:
        raise InvalidInput("nothing to change: give --text, --arena, --by or --measure")
    current = {
        "text": goal.text,
        "arena_id": goal.arena_id,
        "due_on": goal.due_on.isoformat() if goal.due_on else None,
        "measure": goal.measure,
    }
    changed = {k: v for k, v in changes.items() if current[k] != v}
    if changed:
        assignments = ", ".join(f"{k} = ?" for k in changed)
        conn.execute(
            f"UPDATE goal SET {assignments}, updated_at = ? WHERE id = ?", (*changed.values(), to_db(now), goal.id)
        )
    return get_goal(conn, goal.id), bool(changed)


def set_goal_status(conn: sqlite3.Connection, now: datetime, ref: int | str, status: str) -> Goal:
    """Mark a goal done or dropped, or open again."""
    goal = get_goal(conn, ref)
    if status not in STATUSES:
        raise InvalidInput(f"unknown goal status {status!r}; use one of: {', '.join(STATUSES)}")
    if goal.status == status:
        raise InvalidInput(f"goal {goal.id} is already {status}")
    stamp = to_db(now)
    conn.execute(
        "UPDATE goal SET status = ?, done_at = ?, updated_at = ? WHERE id = ?",
        (status, stamp if status == "done" else None, stamp, goal.id),
    )
    return get_goal(conn, goal.id)


def link_mentor(conn: sqlite3.Connection, now: datetime, ref: int | str, mentor_id: int) -> tuple[Goal, bool]:
    """Link a mentor to a goal they help with; (the goal, whether the link is new). An ended
    relationship is refused: bring it back with `stage` first."""
    goal = get_goal(conn, ref)
    row = conn.execute("SELECT id, stage FROM mentor WHERE id = ?", (mentor_id,)).fetchone()
    if row is None:
        raise NotFound(f"no mentor with id {mentor_id}; see `mentorkit mentors`")
    if row["stage"] == "ended":
        raise InvalidInput(
            f"mentor #{mentor_id} has ended; only a current relationship can help with a goal "
            f"(`mentorkit stage {mentor_id} active` first if it has resumed)"
        )
    cursor = conn.execute("INSERT OR IGNORE INTO goal_mentor (goal_id, mentor_id) VALUES (?, ?)", (goal.id, mentor_id))
    if cursor.rowcount:
        conn.execute("UPDATE goal SET updated_at = ? WHERE id = ?", (to_db(now), goal.id))
    return get_goal(conn, goal.id), bool(cursor.rowcount)


def unlink_mentor(conn: sqlite3.Connection, now: datetime, ref: int | str, mentor_id: int) -> Goal:
    goal = get_goal(conn, ref)
    cursor = conn.execute("DELETE FROM goal_mentor WHERE goal_id = ? AND mentor_id = ?", (goal.id, mentor_id))
    if not cursor.rowcount:
        raise InvalidInput(f"mentor #{mentor_id} is not linked to goal {goal.id}; see `mentorkit goal show {goal.id}`")
    conn.execute("UPDATE goal SET updated_at = ? WHERE id = ?", (to_db(now), goal.id))
    return get_goal(conn, goal.id)


def get_milestone(conn: sqlite3.Connection, ref: int | str) -> Milestone:
    milestone_id = goal_ref(ref, "milestone")
    row = conn.execute(
        "SELECT milestone.*, goal.due_on AS goal_due FROM milestone JOIN goal ON goal.id = milestone.goal_id "
        "WHERE milestone.id = ?",
        (milestone_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no milestone with id {milestone_id}; see `mentorkit goals` or `mentorkit goal show GOAL`")
    return _milestone(row, date_from_db(row["goal_due"]))


def add_milestone(conn: sqlite3.Connection, now: datetime, ref: int | str, *, text: str, due: date) -> Milestone:
    """A dated step towards an open goal. One due after the goal's own date is kept and flagged
    (`after_goal`), for the caller to say so."""
    goal = get_goal(conn, ref)
    if goal.status != "open":
        raise InvalidInput(f"goal {goal.id} is {goal.status}; reopen it with `mentorkit goal reopen {goal.id}` first")
    body = _text(text, "the milestone", required=True)
    stamp = to_db(now)
    cursor = conn.execute(
        "INSERT INTO milestone (uuid, goal_id, text, due_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        (new_uuid(), goal.id, body, due.isoformat(), stamp, stamp),
    )
    assert cursor.lastrowid is not None
    return get_milestone(conn, cursor.lastrowid)


def milestone_done(conn: sqlite3.Connection, now: datetime, ref: int | str) -> Milestone:
    item = get_milestone(conn, ref)
    if item.done_at is not None:
        raise InvalidInput(f"milestone {item.id} is already done")
    stamp = to_db(now)
    conn.execute("UPDATE milestone SET done_at = ?, updated_at = ? WHERE id = ?", (stamp, stamp, item.id))
    return get_milestone(conn, item.id)


def check_goal(conn: sqlite3.Connection, ref: int | str | None) -> int | None:
    """The id of an existing goal named by `--goal` (None when not given)."""
    return None if ref is None else get_goal(conn, ref).id


def serve(
    conn: sqlite3.Connection,
    goal_id: int | None,
    *,
    meetings: Sequence[int] = (),
    advice: Sequence[int] = (),
    followups: Sequence[int] = (),
) -> None:
    """Record that these meetings, advice and follow-ups serve the goal (`--goal`)."""
    if goal_id is None:
        return
    for table, ids in (("meeting", meetings), ("advice", advice), ("followup", followups)):
        for record_id in ids:
            conn.execute(
                f"UPDATE {table} SET goal_id = ? WHERE id = ? AND goal_id IS NOT ?", (goal_id, record_id, goal_id)
            )


@dataclass
class MilestoneDue:
    """An open milestone due within the horizon (for `followups`)."""

    milestone_id: int
    goal_id: int
    text: str
    arena: str
    due: date
    mentors: list[str]


def milestones_due(conn: sqlite3.Connection, horizon: date | None, mentor_id: int | None = None) -> list[MilestoneDue]:
    """Open milestones of open goals due on or before `horizon` (all of them when None);
    with `mentor_id`, only those of goals that mentor is linked to."""
    sql = (
        "SELECT milestone.id, milestone.goal_id, milestone.text, milestone.due_on, arena.name AS arena_name "
        "FROM milestone JOIN goal ON goal.id = milestone.goal_id JOIN arena ON arena.id = goal.arena_id "
        "WHERE milestone.done_at IS NULL AND goal.status = 'open'"
    )
    params: list[object] = []
    if horizon is not None:
        sql += " AND milestone.due_on <= ?"
        params.append(horizon.isoformat())
    if mentor_id is not None:
        sql += " AND milestone.goal_id IN (SELECT goal_id FROM goal_mentor WHERE mentor_id = ?)"
        params.append(mentor_id)
    rows = conn.execute(sql + " ORDER BY milestone.due_on, milestone.id", params).fetchall()
    names: dict[int, list[str]] = {}
    if rows:
        goal_ids = sorted({r["goal_id"] for r in rows})
        for r in conn.execute(
            "SELECT goal_mentor.goal_id, mentor.name FROM goal_mentor JOIN mentor ON mentor.id = goal_mentor.mentor_id "
            f"WHERE goal_mentor.goal_id IN ({','.join('?' * len(goal_ids))}) ORDER BY mentor.name COLLATE NOCASE",
            goal_ids,
        ):
            names.setdefault(r["goal_id"], []).append(r["name"])
    return [
        MilestoneDue(
            r["id"],
            r["goal_id"],
            r["text"],
            r["arena_name"],
            date.fromisoformat(r["due_on"]),
            names.get(r["goal_id"], []),
        )
        for r in rows
    ]
