"""The board's rules: coverage, gaps, single points of failure, mix, prospects."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mentorkit.domain.arenas import add_arena
from mentorkit.domain.board import build_board
from mentorkit.domain.mentors import MentorFields, add_mentor
from mentorkit.store.db import open_store

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
ZONE = ZoneInfo("America/Chicago")


@pytest.fixture
def conn(tmp_path: Path):
    store = open_store(tmp_path / "board.db")
    with store.write() as conn:
        yield conn
    store.close()


def person(conn, name: str, stage: str, arenas: list[str], local: bool | None = None, tags=()) -> int:
    fields = MentorFields(name=name, stage=stage, arenas=arenas, local=local, tags=list(tags))
    return add_mentor(conn, NOW, ZONE, fields).id


def test_empty_board_is_all_gaps(conn) -> None:
    board = build_board(conn)
    assert board.gaps == ["research", "career", "personal"]
    assert board.single_points == []


def test_gaps_single_points_and_mix(conn) -> None:
    add_arena(conn, NOW, "teaching")
    person(conn, "Ana", "active", ["research"], local=False)
    person(conn, "Ben", "pilot", ["research"], local=True)
    carla = person(conn, "Carla", "active", ["career", "teaching"], local=True)
    person(conn, "Dev", "paused", ["personal"])
    person(conn, "Eve", "prospect", ["personal"])
    person(conn, "Fay", "prospect", [], tags=["Personal"])
    person(conn, "Gus", "active", [])
    board = build_board(conn)
    by_name = {a.name: a for a in board.arenas}
    assert by_name["research"].covered_by == 2 and not by_name["research"].single_point
    assert by_name["personal"].gap  # a paused mentor does not cover an arena
    assert [s.name for s in by_name["personal"].mentors] == ["Dev"]
    assert [s.name for s in by_name["personal"].prospects] == ["Eve", "Fay"]
    assert board.gaps == ["personal"]
    arena_points = sorted(p.arenas[0] for p in board.single_points if p.kind == "arena")
    assert arena_points == ["career", "teaching"]
    mentor_points = [p for p in board.single_points if p.kind == "mentor"]
    assert [(p.mentor_id, sorted(p.arenas)) for p in mentor_points] == [(carla, ["career", "teaching"])]
    assert board.mix == {"local": 2, "remote": 1, "unknown": 1}
    assert [s.name for s in board.unassigned] == ["Gus"]


def test_ended_mentors_leave_the_board(conn) -> None:
    from mentorkit.domain.mentors import get_mentor, set_stage

    ana = person(conn, "Ana", "active", ["research"])
    set_stage(conn, NOW, ZONE, get_mentor(conn, ana), "ended", reason="moved away")
    board = build_board(conn)
    assert "research" in board.gaps
    assert all(s.name != "Ana" for a in board.arenas for s in a.mentors)


def test_peers_are_not_board_mentors(conn) -> None:
    add_mentor(conn, NOW, ZONE, MentorFields(name="Peer", kind="peer", stage="active", arenas=["research"]))
    assert "research" in build_board(conn).gaps
