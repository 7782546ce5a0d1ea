"""`report`: one page about your mentoring for a chair or a committee, over a period.

What it holds (docs/data.md): the period; the board by arena with its gaps and local/remote
mix; each relationship (active, pilot or paused mentor) with its contacts in the period and
cadence kept; each group with its meetings and cadence kept; goals open or met in the period;
then one line each for the prospects and for the relationships that ended in the period.

Private by default, left out unless `include_private`: notes (none are quoted anyway), red
flags (and the reasons to reconsider that come from them or from advice ratings), the end
reasons, and the personal arena (its row of the board, and mentors who cover only it). The
report reads the period, never the whole history, so a store with thousands of prospects still
gives one page: prospects are counted, never listed.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from mentorkit.dates import format_day, localize
from mentorkit.errors import InvalidInput

DEFAULT_DAYS = 365
"""The period without --since: the year up to --until (or today)."""
PRIVATE_ARENAS = ("personal",)
"""Arenas a report leaves out unless asked (case-insensitive names)."""
PUBLIC_REASONS = ("stale", "pilot-due", "one-sided")
"""Reasons to reconsider a relationship that a report shows by default (flags and advice
ratings are private)."""


def _private_arena(name: str) -> bool:
    return name.casefold() in PRIVATE_ARENAS


def chair_context(
    conn: sqlite3.Connection,
    now: datetime,
    zone: tzinfo,
    *,
    since: date | None = None,
    until: date | None = None,
    include_private: bool = False,
) -> dict[str, Any]:
    """Everything the `chair` template gets: plain data (read in the caller's read transaction)."""
    from mentorkit.domain.board import build_board
    from mentorkit.domain.review import build_review

    today = now.astimezone(zone).date()
    end = until or today
    if end > today:
        raise InvalidInput(f"--until {end} is in the future; give a date on or before today")
    start = since or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise InvalidInput(f"--since {start} is after --until {end}; give a period that runs forward")
    moment = now if end == today else localize(datetime.combine(end, time(23, 59, 59)), zone)
    review = build_review(conn, moment, zone, since=start)
    board = build_board(conn)
    private_only = {
        mid
        for mid, arenas in _arenas_by_mentor(conn).items()
        if arenas and all(_private_arena(a) for a in arenas) and not include_private
    }
    arenas = []
    for arena in board.arenas:
        if _private_arena(arena.name) and not include_private:
            continue
        arenas.append(
            {
                "name": arena.name,
                "mentors": [
                    {"name": s.name, "stage": s.stage, "where": {True: "local", False: "remote"}.get(s.local)}  # type: ignore[arg-type]
                    for s in arena.mentors
                ],
                "gap": arena.gap,
                "single_point": arena.single_point,
                "prospects": len(arena.prospects),
            }
        )
    arena_names = _arenas_by_mentor(conn)
    relationships = [
        {
            "name": m.name,
            "stage": m.stage,
            "arenas": [a for a in arena_names.get(m.id, []) if include_private or not _private_arena(a)],
            "where": {True: "local", False: "remote"}.get(m.local),  # type: ignore[arg-type]
            "cadence": m.cadence,
            "contacts": m.held,
            "by_mode": m.meetings_by_mode,
            "last_contact": format_day(m.last_contact) if m.last_contact else None,
            "cadence_kept": m.cadence_kept.percent,
            "expected": m.cadence_kept.windows,
            "kept": m.cadence_kept.kept,
            "advice": m.advice.total,
            "helpful": m.advice.helpful,
            "open_mine": m.mine.open,
            "open_theirs": m.theirs.open,
        }
        for m in review.mentors
        if m.id not in private_only
    ]
    groups = [
        {
            "name": g.name,
            "members": g.members,
            "cadence": g.cadence,
            "meetings": g.held,
            "last_meeting": format_day(g.last_meeting) if g.last_meeting else None,
            "cadence_kept": g.cadence_kept.percent,
            "expected": g.cadence_kept.windows,
            "kept": g.cadence_kept.kept,
            "open_mine": g.mine.open,
            "open_theirs": g.theirs.open,
            "late_theirs": g.theirs.late,
            "advice": g.advice.total,
        }
        for g in review.groups
    ]
    reasons = [
        {"mentor": r.mentor, "reason": r.reason, "detail": r.detail}
        for r in review.reconsider
        if (include_private or r.reason in PUBLIC_REASONS) and r.mentor_id not in private_only
    ]
    ended = [
        {"name": e.mentor, "on": format_day(e.on), "reason": e.reason if include_private else None}
        for e in review.ended
        if e.on <= end and e.mentor_id not in private_only
    ]
    return {
        "profile": _profile(conn),
        "period": {
            "since": start.isoformat(),
            "until": end.isoformat(),
            "since_text": format_day(start),
            "until_text": format_day(end),
            "days": (end - start).days + 1,
        },
        "include_private": include_private,
        "board": {
            "arenas": arenas,
            "gaps": [a["name"] for a in arenas if a["gap"]],
            "mix": _mix(conn, private_only),
        },
        "relationships": relationships,
        "groups": groups,
        "reconsider": reasons,
        "prospects": _prospects(conn, include_private),
        "ended": ended,
        "goals": _goals(conn, start, include_private),
        "flags": _flags(conn, start) if include_private else [],
    }


def _mix(conn: sqlite3.Connection, leave_out: set[int]) -> dict[str, int]:
    """Local and remote among the mentors who cover arenas now (active and pilot), as the
    board counts them, without the ones the report leaves out."""
    mix = {"local": 0, "remote": 0, "unknown": 0}
    for mid, local in conn.execute(
        "SELECT id, is_local FROM mentor WHERE kind = 'mentor' AND stage IN ('active', 'pilot')"
    ):
        if mid not in leave_out:
            mix[{1: "local", 0: "remote"}.get(local, "unknown")] += 1
    return mix


def _profile(conn: sqlite3.Connection) -> dict[str, Any]:
    row = conn.execute("SELECT name, role, institution FROM profile WHERE id = 1").fetchone()
    if row is None:
        return {"name": None, "role": None, "institution": None}
    return {"name": row["name"], "role": row["role"], "institution": row["institution"]}


def _arenas_by_mentor(conn: sqlite3.Connection) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for mid, name in conn.execute(
        "SELECT ma.mentor_id, arena.name FROM mentor_arena ma JOIN arena ON arena.id = ma.arena_id ORDER BY arena.id"
    ):
        found.setdefault(mid, []).append(name)
    return found


def _prospects(conn: sqlite3.Connection, include_private: bool) -> dict[str, Any]:
    """Prospects counted, by arena (never listed: an imported network holds thousands)."""
    sql = "SELECT count(*) FROM mentor WHERE stage = 'prospect' AND kind = 'mentor'"
    if not include_private:  # a prospect who covers only a private arena is private too
        private = ", ".join(f"'{name}'" for name in PRIVATE_ARENAS)
        sql += (
            " AND NOT (EXISTS (SELECT 1 FROM mentor_arena ma JOIN arena ON arena.id = ma.arena_id "
            f"WHERE ma.mentor_id = mentor.id AND lower(arena.name) IN ({private})) "
            "AND NOT EXISTS (SELECT 1 FROM mentor_arena ma JOIN arena ON arena.id = ma.arena_id "
            f"WHERE ma.mentor_id = mentor.id AND lower(arena.name) NOT IN ({private})))"
        )
    total = conn.execute(sql).fetchone()[0]
    by_arena: Counter[str] = Counter()
    for name, n in conn.execute(
        "SELECT arena.name, count(*) FROM mentor JOIN mentor_arena ma ON ma.mentor_id = mentor.id "
        "JOIN arena ON arena.id = ma.arena_id WHERE mentor.stage = 'prospect' AND mentor.kind = 'mentor' "
        "GROUP BY arena.id ORDER BY arena.id"
    ):
        if include_private or not _private_arena(name):
            by_arena[name] = n
    return {"total": total, "by_arena": [{"arena": a, "count": n} for a, n in by_arena.items()]}


def _goals(conn: sqlite3.Connection, start: date, include_private: bool) -> list[dict[str, Any]]:
    """The goals open now and the ones met since the period began (dropped ones are left out),
    with their arena and status, by arena and id."""
    rows = conn.execute(
        "SELECT goal.text, goal.status, arena.name AS arena FROM goal JOIN arena ON arena.id = goal.arena_id "
        "WHERE goal.status = 'open' OR (goal.status = 'done' AND goal.done_at >= :start) "
        "ORDER BY arena.id, goal.id",
        {"start": start.isoformat()},
    )
    return [
        {"title": r["text"], "status": r["status"], "arena": r["arena"]}
        for r in rows
        if include_private or not _private_arena(r["arena"])
    ]


def _flags(conn: sqlite3.Connection, start: date) -> list[dict[str, Any]]:
    from mentorkit.domain.flags import list_flags

    return [
        {"mentor": f.mentor, "kind": f.kind, "raised_on": format_day(f.raised_on), "open": f.open}
        for f in list_flags(conn, include_resolved=True)
        if f.open or f.raised_on >= start
    ]
