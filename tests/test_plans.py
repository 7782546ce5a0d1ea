"""Mentoring agreements, the IDP and `pitch --goal` (issue 19).

The golden files tests/golden/agreement_alvarez.txt and tests/golden/idp.md are the default
templates' exact output on the store built below at a frozen clock; regenerate them after an
intended change with `MENTORKIT_UPDATE_GOLDEN=1 pytest tests/test_plans.py` and review the diff.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

Run = Callable[..., Any]
GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)  # Wed 25 Nov 2026, 10:00 in Chicago


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MENTORKIT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with MENTORKIT_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture
def board(ok: Run) -> Iterator[dict[str, str]]:
    with time_machine.travel(NOW, tick=False):
        ok(
            "profile",
            "set",
            "--name",
            "Ann Lee",
            "--role",
            "Assistant Professor of Emergency Medicine",
            "--institution",
            "Riverside University",
            "--email",
            "ann.lee@riverside.example.edu",
            "--timezone",
            "America/Chicago",
            "--story",
            "I study sepsis care in rural emergency departments.",
            "--goal",
            "research=to lead my first R01-funded trial by 2028",
            "--request-for",
            "research=Would you read my specific aims page each spring?",
        )
        alvarez = ok(
            "add-mentor",
            "Dr. Teresa Alvarez",
            "--arena",
            "research",
            "--stage",
            "active",
            "--cadence",
            "monthly",
            "--channel",
            "video",
            "--role",
            "sponsor",
            "--tag",
            "sepsis",
        ).stdout.strip()
        okafor = ok("add-mentor", "Sam Okafor", "--arena", "career", "--stage", "active").stdout.strip()
        ok("log", alvarez, "--when", "2026-10-20 10:00", "--minutes", "45", "--goal", "1", "--advice", "Cut aim 2")
        ok("log", alvarez, "--when", "2026-11-20 10:00", "--minutes", "30", "--goal", "1")
        ok("goal", "edit", "1", "--by", "2028-06-30", "--measure", "a funded R01")
        ok("goal", "link", "1", alvarez)
        ok("goal", "milestone", "add", "1", "Aims page reviewed by Teresa", "--by", "2026-11-10")
        ok("goal", "milestone", "add", "1", "Pilot data | table 1", "--by", "2027-03-01")
        ok("goal", "milestone", "done", "1")
        ok("goal", "add", "career", "Promotion dossier *ready*", "--by", "2027-09-01", "--mentor", okafor)
        yield {"alvarez": alvarez, "okafor": okafor}


def test_agreement_draft_golden(ok: Run, board: dict[str, str]) -> None:
    with time_machine.travel(NOW, tick=False):
        result = ok("agreement", "draft", "Alvarez")
    golden("agreement_alvarez.txt", result.stdout)
    assert "agreement set" in result.stderr


def test_agreement_set_show_and_the_cadence_it_sets(ok: Run, cli: Run, board: dict[str, str]) -> None:
    with time_machine.travel(NOW, tick=False):
        set_ = ok(
            "agreement",
            "set",
            "Alvarez",
            "--cadence",
            "every 3 weeks",
            "--minutes",
            "45",
            "--channel",
            "video",
            "--text",
            "Calls every three weeks.",
            "--json",
        ).json()
        assert (set_["agreed_on"], set_["review_on"], set_["cadence_label"], set_["minutes"]) == (
            "2026-11-25",
            "2027-05-25",
            "every 3 weeks",
            45,
        )
        assert ok("show", "Alvarez", "--json").json()["mentor"]["cadence_label"] == "every 3 weeks"
        shown = ok("agreement", "show", "Alvarez").stdout
        assert "Calls every three weeks." in shown and "Tue 25 May 2027" in shown
        assert "agreed Wed 25 Nov 2026, review Tue 25 May 2027" in ok("show", "Alvarez").stdout
        # a renewal keeps what it does not change
        again = ok("agreement", "set", "Alvarez", "--review-on", "2027-01-15", "--json").json()
        assert (again["text"], again["minutes"], again["review_on"]) == ("Calls every three weeks.", 45, "2027-01-15")
        ok("undo")
        assert ok("agreement", "show", "Alvarez", "--json").json()["review_on"] == "2027-05-25"
        ok("undo")
        missing = cli("agreement", "show", "Alvarez")
    assert missing.exit_code == 1 and "no agreement recorded" in missing.stderr
    assert ok("show", "Alvarez", "--json").json()["mentor"]["cadence_label"] == "monthly"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("agreement", "set", "Nobody"), "Nobody"),
        (("agreement", "set", "Alvarez", "--review-on", "2026-01-01"), "must come after"),
        (("agreement", "set", "Alvarez", "--cadence", "sometimes"), "sometimes"),
        (("agreement", "set", "Alvarez", "--minutes", "0"), "--minutes"),
        (("agreement", "set", "Alvarez", "--text", "x", "--edit"), "either --text or --edit"),
        (("agreement", "draft", "Alvarez", "--template", "/nonexistent/x.j2"), "x.j2"),
        (("idp", "--since", "next year"), "future"),
        (("pitch", "--goal", "9"), "no goal with id 9"),
        (("pitch", "--goal", "1", "--arena", "career"), "not career"),
        (("pitch",), "--arena"),
    ],
)
def test_bad_input_is_one_line(cli: Run, ok: Run, board: dict[str, str], args: tuple[str, ...], needle: str) -> None:
    before = ok("history", "--json").json()
    with time_machine.travel(NOW, tick=False):
        result = cli(*args)
    assert result.exit_code == 1, result
    assert needle in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert ok("history", "--json").json() == before


def test_an_ended_mentor_gets_no_agreement(cli: Run, ok: Run, board: dict[str, str]) -> None:
    ok("end", "Okafor", "--reason", "moved abroad")
    result = cli("agreement", "set", "Okafor")
    assert result.exit_code == 1 and "has ended" in result.stderr


def test_idp_golden_and_file(ok: Run, cli: Run, board: dict[str, str], tmp_path: Path) -> None:
    with time_machine.travel(NOW, tick=False):
        ok("agreement", "set", "Alvarez", "--agreed-on", "2026-10-20", "--minutes", "45")
        result = ok("idp", "--since", "2026-10-01")
        golden("idp.md", result.stdout)
        target = tmp_path / "idp.md"
        ok("idp", "--since", "2026-10-01", "-o", str(target))
        assert target.read_text(encoding="utf-8") == result.stdout
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        refused = cli("idp", "-o", str(target))
        assert refused.exit_code == 1 and "already exists" in refused.stderr
        data = ok("idp", "--since", "2026-10-01", "--json").json()
    assert data["since"] == "2026-10-01" and data["sponsors"] == ["Dr. Teresa Alvarez"]
    research = next(a for a in data["arenas"] if a["name"] == "research")["goals"][0]
    assert [m["text"] for m in research["milestones"]] == ["Aims page reviewed by Teresa", "Pilot data | table 1"]
    progress = {p["id"]: p for p in data["progress"]}[research["id"]]
    assert (progress["meetings"], progress["advice"], progress["done_in_period"]) == (2, 1, 1)
    assert [a["mentor"] for a in data["agreements"]] == ["Dr. Teresa Alvarez"]


def test_pitch_from_a_goal(ok: Run, board: dict[str, str]) -> None:
    with time_machine.travel(NOW, tick=False):
        result = ok("pitch", "--goal", "2", "--to", "Alvarez")
        plain = ok("pitch", "--arena", "career", "--to", "Alvarez")
    assert "My goal: promotion dossier *ready*." in result.stdout
    assert "to look at my plan for it with me?" in result.stdout
    assert "Promotion dossier" not in plain.stdout
    with time_machine.travel(NOW, tick=False):
        research = ok("pitch", "--goal", "1", "--request", "Could we meet at SAEM?").stdout
    assert "My next step: pilot data | table 1, by Mon 1 Mar 2027." in research
    assert "Could we meet at SAEM?" in research
