"""The personal board of directors: who covers which arena, where the gaps and risks are.

Rules (docs/board.md):
- An arena is *covered* by its active and pilot mentors; paused mentors are listed but do not
  cover it. An arena with no covering mentor is a *gap*.
- A *single point of failure* is an arena covered by exactly one mentor, or one mentor who is
  the only cover of two or more arenas (losing them opens several gaps at once).
- The local/remote mix counts covering mentors (near-peers in groups are listed separately).
- Prospects who could fill a gap: prospects linked to that arena or tagged with its name
  (`prospects_for`; `review` suggests the same for a goal no mentor helps with).
- Each arena lists its open goals and the mentors linked to each (domain/goals.py); the board
  names its sponsors (mentors with the role `sponsor`, not ended) and says when there is none.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from mentorkit.cadences import cadence_words
from mentorkit.domain.goals import list_goals

COVERING = ("active", "pilot")


@dataclass
class Seat:
    id: int
    name: str
    stage: str
    local: bool | None


@dataclass
class BoardGoal:
    id: int
    text: str
    due_on: date | None
    mentors: list[str]  # names of the mentors linked to it


@dataclass
class BoardArena:
    name: str
    mentors: list[Seat] = field(default_factory=list)
    covered_by: int = 0
    gap: bool = False
    single_point: bool = False
    prospects: list[Seat] = field(default_factory=list)
    goals: list[BoardGoal] = field(default_factory=list)


@dataclass
class SinglePoint:
    kind: str  # "arena" (one mentor holds it) or "mentor" (sole cover of several arenas)
    mentor: str
    mentor_id: int
    arenas: list[str]


@dataclass
class GroupSummary:
    id: int
    name: str
    members: list[str]
    cadence: str | None


@dataclass
class Board:
    arenas: list[BoardArena]
    gaps: list[str]
    single_points: list[SinglePoint]
    mix: dict[str, int]
    groups: list[GroupSummary]
    unassigned: list[Seat]
    sponsors: list[Seat] = field(default_factory=list)  # empty: "no one sponsors you"


def _prospects(conn: sqlite3.Connection) -> tuple[dict[int, Seat], dict[int, set[str]], dict[int, list[int]]]:
    """Prospects (not peers), their tags (casefolded) and, per arena id, the prospects linked to it."""
    seats = {
        r["id"]: Seat(r["id"], r["name"], r["stage"], None if r["is_local"] is None else bool(r["is_local"]))
        for r in conn.execute(
            "SELECT id, name, stage, is_local FROM mentor WHERE stage = 'prospect' AND kind = 'mentor'"
        )
    }
    tags: dict[int, set[str]] = defaultdict(set)
    linked: dict[int, list[int]] = defaultdict(list)
    for r in conn.execute("SELECT mentor_id, tag FROM mentor_tag"):
        if r[0] in seats:
            tags[r[0]].add(r[1].casefold())
    for r in conn.execute("SELECT mentor_id, arena_id FROM mentor_arena ORDER BY arena_id, mentor_id"):
        if r[0] in seats:
            linked[r[1]].append(r[0])
    return seats, tags, linked


def prospects_for(conn: sqlite3.Connection) -> dict[str, list[Seat]]:
    """Arena name -> the prospects who could fill it: linked to the arena, then tagged with its
    name (the rule for a gap on the board, and for a goal no mentor helps with in `review`)."""
    seats, tags, linked = _prospects(conn)
    result = {}
    for r in conn.execute("SELECT id, name FROM arena ORDER BY id"):
        ids = list(linked.get(r["id"], []))
        ids += [i for i, seat_tags in sorted(tags.items()) if i not in ids and r["name"].casefold() in seat_tags]
        result[r["name"]] = [seats[i] for i in ids]
    return result


def build_board(conn: sqlite3.Connection) -> Board:
    arenas = {r["id"]: BoardArena(r["name"]) for r in conn.execute("SELECT id, name FROM arena ORDER BY id")}
    mentors = {
        r["id"]: Seat(r["id"], r["name"], r["stage"], None if r["is_local"] is None else bool(r["is_local"]))
        for r in conn.execute("SELECT id, name, stage, is_local FROM mentor WHERE stage != 'ended' AND kind = 'mentor'")
    }
    linked: set[int] = set()
    sole_cover: dict[int, list[str]] = defaultdict(list)
    for r in conn.execute("SELECT mentor_id, arena_id FROM mentor_arena ORDER BY arena_id, mentor_id"):
        seat, arena = mentors.get(r[0]), arenas[r[1]]
        if seat is None:
            continue
        linked.add(seat.id)
        if seat.stage == "prospect":
            arena.prospects.append(seat)
        else:
            arena.mentors.append(seat)
    candidates = prospects_for(conn)
    for arena in arenas.values():
        arena.mentors.sort(key=lambda s: (s.stage not in COVERING, s.name.casefold()))
        covering = [s for s in arena.mentors if s.stage in COVERING]
        arena.covered_by = len(covering)
        arena.gap = not covering
        arena.single_point = len(covering) == 1
        if len(covering) == 1:
            sole_cover[covering[0].id].append(arena.name)
        if arena.gap:
            listed = {s.id for s in arena.prospects}
            arena.prospects += [s for s in candidates[arena.name] if s.id not in listed]
    single_points = [
        SinglePoint("arena", a.mentors[0].name, a.mentors[0].id, [a.name]) for a in arenas.values() if a.single_point
    ] + [SinglePoint("mentor", mentors[mid].name, mid, names) for mid, names in sole_cover.items() if len(names) >= 2]
    covering_mentors = [s for s in mentors.values() if s.stage in COVERING]
    mix = {
        "local": sum(1 for s in covering_mentors if s.local is True),
        "remote": sum(1 for s in covering_mentors if s.local is False),
        "unknown": sum(1 for s in covering_mentors if s.local is None),
    }
    groups = []
    for g in conn.execute("SELECT id, name, cadence, cadence_label FROM mgroup ORDER BY name"):
        members = [
            r[0]
            for r in conn.execute(
                "SELECT m.name FROM group_member gm JOIN mentor m ON m.id = gm.mentor_id "
                "WHERE gm.group_id = ? ORDER BY m.name",
                (g["id"],),
            )
        ]
        groups.append(GroupSummary(g["id"], g["name"], members, cadence_words(g["cadence"], g["cadence_label"])))
    unassigned = [s for s in mentors.values() if s.id not in linked and s.stage in COVERING]
    by_name = {a.name: a for a in arenas.values()}
    for goal in list_goals(conn):
        by_name[goal.arena].goals.append(
            BoardGoal(
                goal.id,
                goal.text,
                goal.due_on,
                [m.name for m in goal.mentors if m.stage != "ended"],
            )
        )
    sponsors = [
        mentors[r[0]]
        for r in conn.execute("SELECT mentor_id FROM mentor_role WHERE role = 'sponsor' ORDER BY mentor_id")
        if r[0] in mentors and mentors[r[0]].stage != "prospect"
    ]
    return Board(
        sponsors=sponsors,
        arenas=list(arenas.values()),
        gaps=[a.name for a in arenas.values() if a.gap],
        single_points=single_points,
        mix=mix,
        groups=groups,
        unassigned=unassigned,
    )
