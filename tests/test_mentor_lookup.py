"""MENTOR arguments among thousands of people: a whole name wins, words match at their starts
only, one active or pilot person beats prospects, `#12` is an id, and an ambiguous name lists a
few candidates with their stage and institution on one line."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from mentorkit.domain.mentors import MentorFields, add_mentor, resolve_mentor
from mentorkit.errors import Ambiguous, NotFound
from mentorkit.store.db import open_store

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/London")
PEOPLE = [  # name, stage, institution
    ("Augusta Tschentscher", "prospect", "Charité"),
    ("Adam Suchenek", "prospect", None),
    ("Wei Chen", "active", "UCSF"),
    ("Mei Chen", "prospect", "MIT"),
    ("Chen Li", "prospect", None),
    ("Chen Wu", "prospect", None),
    ("Chen Zhao", "prospect", None),
    ("Chen Ma", "prospect", None),
    ("Dr. Teresa Alvarez", "pilot", "UCSF"),
    ("Teresa Alvarez", "prospect", None),
    ("José Núñez-García", "prospect", "Hospital Clínic"),
    ("Ana Lima", "prospect", None),
    ("Ana Lima", "paused", "USP"),
    ("Bo Park", "prospect", None),
    ("Bo Parker", "active", None),
    *((f"{first} Lee", "prospect", None) for first in ("Zoe", "Zack", "Zed", "Zia", "Zola", "Zuri")),
]


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    with open_store(tmp_path / "m.db") as store:
        with store.write() as c:
            for name, stage, institution in PEOPLE:
                fields = MentorFields(name=name, institution=institution, stage=None if stage == "paused" else stage)
                mentor = add_mentor(c, NOW, ZONE, fields, again=True)
                if stage == "paused":
                    c.execute("UPDATE mentor SET stage = 'paused' WHERE id = ?", (mentor.id,))
        with store.read() as c:
            yield c


def name_of(conn: sqlite3.Connection, ref: str) -> str:
    return resolve_mentor(conn, ref).name


def test_words_match_at_their_start_never_in_the_middle(conn: sqlite3.Connection) -> None:
    assert name_of(conn, "tschen") == "Augusta Tschentscher"
    assert name_of(conn, "suchen") == "Adam Suchenek"
    with pytest.raises(NotFound):
        resolve_mentor(conn, "hentsch")  # inside a word
    assert name_of(conn, "nunez") == "José Núñez-García"  # accents ignored
    assert name_of(conn, "garc jos") == "José Núñez-García"  # any order


def test_one_active_or_pilot_person_beats_prospects(conn: sqlite3.Connection) -> None:
    assert name_of(conn, "chen") == "Wei Chen"  # active, among five prospects named Chen
    assert name_of(conn, "teresa") == "Dr. Teresa Alvarez"  # pilot beats the prospect


def test_a_whole_name_wins(conn: sqlite3.Connection) -> None:
    assert name_of(conn, "bo park") == "Bo Park"  # though Bo Parker is active
    assert name_of(conn, "teresa alvarez") == "Teresa Alvarez"  # the prospect, named exactly so
    assert name_of(conn, "dr teresa alvarez") == "Dr. Teresa Alvarez"  # punctuation aside


def test_ambiguous_lists_a_few_with_stage_and_institution(conn: sqlite3.Connection) -> None:
    with pytest.raises(Ambiguous) as caught:
        resolve_mentor(conn, "ana lima")  # two exact names: the paused one is not on the board
    assert str(caught.value) == (
        "'ana lima' matches several mentors: Ana Lima (#13, paused, USP), Ana Lima (#12, prospect); "
        "give the id (e.g. #13) or more of the name"
    )
    with pytest.raises(Ambiguous) as many:
        resolve_mentor(conn, "z")  # six Z... Lee and Chen Zhao, all prospects
    message = str(many.value)
    assert message.count("(#") == 5 and " more; give the id" in message and "\n" not in message


def test_hash_is_always_an_id(conn: sqlite3.Connection) -> None:
    assert resolve_mentor(conn, "#3").name == "Wei Chen"
    with pytest.raises(NotFound):
        resolve_mentor(conn, "#999")


def test_the_command_line_says_it_on_one_line(ok: Callable[..., Any], cli: Callable[..., Any]) -> None:
    ok("add-mentor", "Wei Chen", "--institution", "UCSF")
    ok("add-mentor", "Chen Li", "--again")
    result = cli("show", "chen")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: 'chen' matches several mentors: Chen Li (#2, prospect), Wei Chen (#1, prospect, UCSF); "
        "give the id (e.g. #2) or more of the name"
    )
    ok("stage", "#1", "active")
    assert ok("show", "chen", "--json").json()["mentor"]["name"] == "Wei Chen"
