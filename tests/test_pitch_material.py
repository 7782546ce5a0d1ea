"""What a pitch is made of, as stored: the profile's email, the story and request per arena, and a
hook per prospect (schema 5). Set through the CLI, shown, cleared, and carried by export/import."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def _material(ok: Callable[..., Any]) -> int:
    ok(
        "profile",
        "set",
        "--name",
        "Ann Lee",
        "--email",
        "ann.lee@riverside.example.edu",
        "--story",
        "I trained in Chicago.",
        "--story-for",
        "research=I study sepsis care in rural emergency departments.",
        "--request-for",
        "research=Could we talk for 20 minutes about trial design?",
    )
    return int(
        ok(
            "add-mentor",
            "Dr. Teresa Alvarez",
            "--source",
            "SAEM podcast",
            "--hook",
            "I heard your SAEM podcast episode on sepsis bundles",
        ).stdout
    )


def test_profile_keeps_email_story_and_request_per_arena(ok: Callable[..., Any]) -> None:
    _material(ok)
    shown = ok("profile", "show", "--json").json()
    assert shown["email"] == "ann.lee@riverside.example.edu"
    assert shown["story"] == "I trained in Chicago."
    assert shown["stories"] == {"research": "I study sepsis care in rural emergency departments."}
    assert shown["requests"] == {"research": "Could we talk for 20 minutes about trial design?"}
    table = ok("profile", "show").stdout
    assert "story: research" in table and "request: research" in table and "ann.lee@" in table
    ok("profile", "set", "--story-for", "research=", "--request-for", "RESEARCH=")
    cleared = ok("profile", "show", "--json").json()
    assert cleared["stories"] == {} and cleared["requests"] == {} and cleared["story"] == "I trained in Chicago."


def test_bad_profile_material_is_refused_and_nothing_written(cli: Callable[..., Any], ok: Callable[..., Any]) -> None:
    _material(ok)
    before = ok("profile", "show", "--json").json()
    for args, expected in (
        (("--email", "not-an-address"), "is not an email address"),
        (("--story-for", "research"), "--story-for needs ARENA=TEXT"),
        (("--request-for", "nowhere=Could we talk?"), "no arena named 'nowhere'"),
        (("--name", "Someone Else", "--story-for", "nowhere=x"), "no arena named"),
    ):
        result = cli("profile", "set", *args)
        assert result.exit_code == 1, args
        assert expected in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert ok("profile", "show", "--json").json() == before


def test_hook_is_set_shown_and_cleared(ok: Callable[..., Any]) -> None:
    mentor = _material(ok)
    assert ok("show", str(mentor), "--json").json()["mentor"]["hook"].startswith("I heard your SAEM podcast")
    assert "I heard your SAEM podcast" in ok("show", str(mentor)).stdout
    ok("edit", str(mentor), "--hook", "")
    assert ok("show", str(mentor), "--json").json()["mentor"]["hook"] is None


def test_export_and_import_carry_the_pitch_material(ok: Callable[..., Any], tmp_path: Path) -> None:
    _material(ok)
    exported = tmp_path / "out.json"
    ok("export", "--format", "json", "-o", str(exported))
    tables = json.loads(exported.read_text(encoding="utf-8"))["tables"]
    assert tables["profile"][0]["email"] == "ann.lee@riverside.example.edu"
    research = next(a for a in tables["arenas"] if a["name"] == "research")
    assert research["story"].startswith("I study sepsis") and research["request"].startswith("Could we talk")
    other = tmp_path / "other.db"
    ok("--db", str(other), "import", str(exported))
    assert ok("--db", str(other), "profile", "show", "--json").json() == ok("profile", "show", "--json").json()
    mentor = ok("--db", str(other), "mentors", "--json").json()[0]
    assert mentor["hook"] == "I heard your SAEM podcast episode on sepsis bundles"


def test_the_readme_day_one_walk_through_runs_and_pitches_first_time(
    ok: Callable[..., Any], isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every command of the README's "A day with mentorkit", on a fresh store, in order: with a
    fake mail program (xdg-open) and systemctl on PATH, so that `summary --mail` and `remind
    install` reach nothing outside the test's HOME."""
    import re
    import shlex
    import sys

    fakes = isolated_dirs / "bin"
    fakes.mkdir()
    for name in ("xdg-open", "systemctl"):
        (fakes / name).write_text('#!/bin/sh\nprintf \'%s\\n\' "$*" >> "$HOME/$(basename "$0").log"\n')
        (fakes / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{fakes}:/usr/bin:/bin")
    monkeypatch.setattr(sys, "platform", "linux")  # remind install: a systemd timer

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("## A day with mentorkit", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line, comments=True) for line in block.replace("\\\n", " ").splitlines()]
    commands = [c for c in commands if c]
    assert [c[1] for c in commands][:3] == ["profile", "add-mentor", "pitch"]
    for command in commands:
        assert command[0] == "mentorkit"
        result = ok(*command[1:])
        if command[1] == "pitch":
            assert result.stdout.startswith("Dear Dr. Alvarez,\n\nI'm Maya Okafor")
            assert re.search(r"about (\d+) seconds", result.stderr) and "Warning" not in result.stderr
    home = isolated_dirs / "home"
    assert (home / "xdg-open.log").read_text().startswith("mailto:talvarez@example.org?subject=Notes%20and%20next")
    assert "Persistent=true" in (home / ".config" / "systemd" / "user" / "mentorkit-remind.timer").read_text()
    assert not (home / "systemctl.log").exists()  # printed, not run: that is --enable's
