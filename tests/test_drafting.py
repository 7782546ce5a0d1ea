"""Drafting: pitches, the pitch pipeline, meeting summaries, templates and their sandbox.

The golden files in tests/golden/ are the default templates' exact output on the fixed store
built by `board` below at a frozen clock. After an intended change to a default template,
regenerate them with `MENTORKIT_UPDATE_GOLDEN=1 pytest tests/test_drafting.py` and review the diff.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)  # Wed 25 Nov 2026, 10:00 in Chicago


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _build_board(ok: Callable[..., Any]) -> dict[str, int]:
    """A small store built through the CLI: a profile, two mentors, a held meeting with advice and
    action items, a planned meeting, a mastermind group with a meeting."""
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
        "I trained in Chicago and now study sepsis care in rural emergency departments.",
        "--goal",
        "research=to lead my first R01-funded trial by 2028",
        "--goal",
        "career=to be promoted to associate professor in 2027",
    )
    ok("arena", "add", "teaching")
    ok("profile", "set", "--goal", "teaching=to build a simulation curriculum for residents")
    alvarez = int(
        ok(
            "add-mentor",
            "Dr. Teresa Alvarez",
            "--institution",
            "Johns Hopkins",
            "--timezone",
            "America/New_York",
            "--arena",
            "research",
            "--tag",
            "sepsis",
            "--tag",
            "clinical trials",
            "--source",
            "the SAEM podcast",
            "--cadence",
            "monthly",
            "--email",
            "talvarez@example.org",
        ).stdout
    )
    okafor = int(
        ok(
            "add-mentor",
            "Sam Okafor",
            "--institution",
            "King's College London",
            "--timezone",
            "Europe/London",
            "--arena",
            "career",
            "--cadence",
            "quarterly",
            "--stage",
            "active",
        ).stdout
    )
    held = ok(
        "log",
        "alvarez",
        "--when",
        "yesterday 15:00",
        "--minutes",
        "30",
        "--agenda",
        "aims page; K-award timeline",
        "--notes",
        "We went through my specific aims. Aim 2 is too ambitious for a K award.",
        "--advice",
        "Cut aim 2 down to a feasibility pilot",
        "--followup",
        "Send the revised aims page",
        "--due",
        "2026-12-09",
        "--json",
    ).json()
    meeting = held["meeting"]["id"]
    ok(
        "followup",
        "add",
        "alvarez",
        "Introduce me to the trials unit",
        "--owner",
        "mentor",
        "--meeting",
        str(meeting),
        "--due",
        "2026-12-02",
    )
    planned = ok(
        "plan", "alvarez", "--when", "2026-12-17 14:00", "--agenda", "revised aims\nK-award budget", "--json"
    ).json()["meeting"]["id"]
    ok("group", "add", "Writing circle", "--member", "Priya Natarajan", "--member", "Okafor", "--cadence", "biweekly")
    group = ok(
        "log",
        "--group",
        "Writing circle",
        "--when",
        "2026-11-20 12:00",
        "--mode",
        "video",
        "--minutes",
        "60",
        "--notes",
        "Each of us shared one page.",
        "--followup",
        "Draft the discussion section",
        "--due",
        "2026-12-04",
        "--json",
    ).json()
    return {
        "alvarez": alvarez,
        "okafor": okafor,
        "held": meeting,
        "planned": planned,
        "group_meeting": group["meeting"]["id"],
    }


@pytest.fixture(scope="module")
def built_board(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The board, built once per module through the CLI; each test gets a copy of the store."""
    from conftest import invoke

    directory = tmp_path_factory.mktemp("board")
    store = directory / "store" / "mentorkit.db"

    def ok(*args: str) -> Any:
        result = invoke("--db", str(store), *args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    with pytest.MonkeyPatch.context() as mp, time_machine.travel(NOW, tick=False):
        for name, value in (
            ("HOME", directory),
            ("XDG_DATA_HOME", directory / "data"),
            ("XDG_CONFIG_HOME", directory / "config"),
            ("TZ", "UTC"),
            ("NO_COLOR", "1"),
            ("COLUMNS", "160"),
        ):
            mp.setenv(name, str(value))
        ids = _build_board(ok)
    return store, ids


@pytest.fixture
def board(built_board: tuple[Path, dict[str, int]], db_path: Path, frozen: None) -> dict[str, int]:
    import sqlite3

    from mentorkit.store.db import backup_copy

    source, ids = built_board
    db_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    conn = sqlite3.connect(source)
    try:
        backup_copy(conn, db_path)
    finally:
        conn.close()
    return ids


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MENTORKIT_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with MENTORKIT_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def one_line_error(result: Any) -> str:
    """The failure contract: exit 1, nothing on stdout, exactly one `Error:` line on stderr."""
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.stderr
    return lines[0]


def user_templates(isolated_dirs: Path) -> Path:
    return isolated_dirs / "home" / ".config" / "mentorkit" / "templates"


# ---- golden output of the default templates -------------------------------------------------


def test_pitch_golden_with_mentor(board: dict[str, int], ok: Callable[..., Any]) -> None:
    """Research, to a prospect known by tags and a source but no hook."""
    result = ok("pitch", "--arena", "research", "--to", "alvarez")
    golden("pitch_research_alvarez.txt", result.stdout)
    assert result.stdout.startswith("Dear Dr. Alvarez,\n\nI'm Ann Lee, Assistant Professor")
    assert "because of your expertise in clinical trials and sepsis." in result.stdout  # tags, not arenas
    assert "60 words, about 24 seconds" in result.stderr
    assert "Warning" not in result.stderr
    assert 'mentorkit edit 1 --hook "' in result.stderr  # how to open with how you know them


def test_pitch_golden_with_hook(board: dict[str, int], ok: Callable[..., Any]) -> None:
    """Research, to the same prospect once the hook is set: the hook replaces the tags sentence."""
    ok("edit", "alvarez", "--hook", "i heard your talk on rural sepsis trials at SAEM in May")
    result = ok("pitch", "--arena", "research", "--to", "alvarez")
    golden("pitch_research_alvarez_hook.txt", result.stdout)
    assert "Riverside University. I heard your talk on rural sepsis trials at SAEM in May. I trained" in result.stdout
    assert "expertise" not in result.stdout and "Tip:" not in result.stderr


def test_pitch_golden_without_mentor(board: dict[str, int], ok: Callable[..., Any]) -> None:
    """Career, to nobody in particular (said aloud, or pasted after your own greeting)."""
    result = ok("pitch", "--arena", "career")
    golden("pitch_career.txt", result.stdout)
    assert result.stdout.startswith("I'm Ann Lee") and "Dear" not in result.stdout


def test_pitch_golden_personal_no_tags_no_source(board: dict[str, int], ok: Callable[..., Any]) -> None:
    """Personal, to a mentor with no tags, source or hook, and no goal in that arena."""
    result = ok("pitch", "--arena", "personal", "--to", "okafor")
    golden("pitch_personal_okafor.txt", result.stdout)
    assert "Dear Sam Okafor," in result.stdout and "your work" not in result.stdout
    assert "My goal" not in result.stdout and "personal" not in result.stdout


def test_summary_golden_held(board: dict[str, int], ok: Callable[..., Any]) -> None:
    result = ok("summary", str(board["held"]))
    golden("summary_held.txt", result.stdout)
    text = result.stdout
    assert text.startswith("Subject: Notes and next steps from our video call on Tue 24 Nov 2026\n\nDear Teresa,")
    assert "Tue 24 Nov 2026 15:00 CST (16:00 EST for you). Topics we covered: aims page and K-award" in text
    assert "- We went through my specific aims.\n- Aim 2 is too ambitious for a K award.\n" in text
    assert "Advice I am taking away:\n- Cut aim 2 down to a feasibility pilot.\n" in text
    # next steps split by owner, with due dates
    assert "I will:\n- send the revised aims page (by Wed 9 Dec 2026)\n" in text
    assert "You offered to:\n- introduce me to the trials unit (by Wed 2 Dec 2026)\n" in text
    assert "Next meeting: Thu 17 Dec 2026 14:00 CST (15:00 EST for you), video call." in text  # the planned one


def test_summary_golden_agenda_for_planned(board: dict[str, int], ok: Callable[..., Any]) -> None:
    result = ok("summary", str(board["planned"]), "--json").json()
    assert result["kind"] == "agenda"
    golden("summary_agenda.txt", result["text"])
    assert result["text"].startswith("Subject: Agenda for our video call on Thu 17 Dec 2026")
    assert "- revised aims\n- K-award budget\n" in result["text"]


def test_summary_golden_group(board: dict[str, int], ok: Callable[..., Any]) -> None:
    result = ok("summary", str(board["group_meeting"]))
    golden("summary_group.txt", result.stdout)
    assert "Dear all," in result.stdout
    # no planned meeting: the next date comes from the group's biweekly cadence
    assert "Next meeting: around Fri 4 Dec 2026 (biweekly)" in result.stdout


def test_summary_golden_no_next_steps(board: dict[str, int], ok: Callable[..., Any]) -> None:
    """An in-person meeting with notes and no action items: no "next steps" anywhere."""
    meeting = ok(
        "log",
        "okafor",
        "--when",
        "2026-11-23 09:00",
        "--mode",
        "in-person",
        "--minutes",
        "45",
        "--notes",
        "Talked through my teaching load\n- She thinks I should say no to the new course",
        "--json",
    ).json()["meeting"]["id"]
    result = ok("summary", str(meeting))
    golden("summary_no_next_steps.txt", result.stdout)
    assert result.stdout.startswith("Subject: Notes from our meeting on Mon 23 Nov 2026\n")
    assert "next steps" not in result.stdout.casefold() and "I will:" not in result.stdout
    assert "Thank you for our 45-minute meeting on Mon 23 Nov 2026 09:00 CST (15:00 GMT for you)." in result.stdout
    assert "- Talked through my teaching load.\n- She thinks I should say no to the new course.\n" in result.stdout
    # notes about "she" are mine; the letter goes to her: say so, and how to reword
    assert "your notes speak of Sam Okafor in the third person" in result.stderr
    assert f"mentorkit summary {meeting} --edit" in result.stderr


def test_summary_of_an_email_or_text_exchange_needs_force(
    board: dict[str, int], ok: Callable[..., Any], cli: Callable[..., Any]
) -> None:
    meeting = ok(
        "log", "alvarez", "--when", "2026-11-24 10:00", "--mode", "email", "--notes", "Budget questions", "--json"
    ).json()["meeting"]["id"]
    line = one_line_error(cli("summary", str(meeting)))
    assert line == (
        f"Error: meeting {meeting} was an email exchange, written already, so it owes no summary; "
        f"to draft one anyway: mentorkit summary {meeting} --force"
    )
    assert "owes no summary" in one_line_error(cli("summary", str(meeting), "--mark-sent"))
    owed = [i["what"] for i in ok("followups", "--all", "--json").json() if i["kind"] == "summary"]
    assert not any(f"#{meeting}" in what for what in owed)  # the same rule in followups
    forced = ok("summary", str(meeting), "--force")
    assert forced.stdout.startswith("Subject: Notes from our email exchange on Tue 24 Nov 2026")


def test_summary_format_email(board: dict[str, int], ok: Callable[..., Any], cli: Callable[..., Any]) -> None:
    text = ok("summary", str(board["held"]), "--format", "email").stdout
    head, _, body = text.partition("\n\n")
    assert head == "To: talvarez@example.org\nSubject: Notes and next steps from our video call on Tue 24 Nov 2026"
    assert body.startswith("Dear Teresa,\n") and "Subject:" not in body
    assert body == ok("summary", str(board["held"])).stdout.split("\n\n", 1)[1]
    line = one_line_error(cli("summary", str(board["group_meeting"]), "--format", "email"))
    assert "no email address for Writing circle" in line and "--email ADDRESS" in line
    ok("edit", "okafor", "--email", "sam.okafor@example.org")
    group = ok("summary", str(board["group_meeting"]), "--format", "email")
    assert group.stdout.startswith("To: sam.okafor@example.org\nSubject: Notes and next steps")
    assert "1 member of the group has no email address; add them to To: yourself." in group.stderr
    assert "unknown --format 'pdf'" in one_line_error(cli("summary", str(board["held"]), "--format", "pdf"))


def test_summary_edit_prints_the_edited_draft_then_marks_it_sent(
    board: dict[str, int], ok: Callable[..., Any], cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    swap = "import sys, pathlib; p = pathlib.Path(sys.argv[-1]); p.write_text(p.read_text().replace('my notes', 'our notes'))"
    monkeypatch.setenv("EDITOR", f'{sys.executable} -c "{swap}"')
    result = ok("summary", str(board["held"]), "--edit", "--mark-sent", "--format", "email")
    assert result.stdout.startswith("To: talvarez@example.org\nSubject: Notes and next steps")
    assert "Here are our notes, so that we both" in result.stdout
    assert "Marked the summary of meeting" in result.stderr
    monkeypatch.setenv("EDITOR", f"{sys.executable} -c 'import sys; sys.exit(3)'")
    line = one_line_error(cli("summary", str(board["planned"]), "--edit"))
    assert "the editor exited with status 3" in line
    monkeypatch.setenv("EDITOR", f"{sys.executable} -c 'pass'")  # saved unchanged: read and approved
    other = ok("summary", str(board["group_meeting"]), "--edit", "--mark-sent")
    assert other.stdout == ok("summary", str(board["group_meeting"])).stdout
    assert "Marked the summary" in other.stderr


# ---- pitch ----------------------------------------------------------------------------------


def test_different_arenas_give_different_pitches(board: dict[str, int], ok: Callable[..., Any]) -> None:
    research = ok("pitch", "--arena", "research", "--json").json()
    career = ok("pitch", "--arena", "career", "--json").json()
    teaching = ok("pitch", "--arena", "teaching", "--json").json()
    assert len({research["text"], career["text"], teaching["text"]}) == 3
    assert "R01" in research["text"] and "associate professor" in career["text"]
    assert research["request"] != career["request"]
    # an arena of my own: its name is a label, not a topic ("about teaching?" could read "about clinical?")
    assert teaching["request"] == "Would you have 20 minutes for a video call, so that I could ask your advice?"


def test_pitch_measures_and_warns(board: dict[str, int], ok: Callable[..., Any]) -> None:
    long = "I have worked on many things over many years in three hospitals and two countries since 2010."
    ok("profile", "set", "--story", " ".join(["I have worked on many things."] * 8 + [long]))
    result = ok("pitch", "--arena", "research", "--to", "alvarez", "--request", "Could we talk?")
    data = ok("pitch", "--arena", "research", "--to", "alvarez", "--request", "Could we talk?", "--json").json()
    body = data["text"].split("\n\n")[1:-1]  # without "Dear Dr. Alvarez," and the sign-off
    assert data["words"] == len([t for b in body for t in b.split() if any(c.isalnum() for c in t)])
    assert data["seconds"] == round(data["words"] * 60 / 150) > 30
    assert data["request"] == "Could we talk?" and "Could we talk?\n\nBest wishes," in data["text"]
    assert any("seconds" in w for w in data["warnings"])
    assert f"{data['words']} words, about {data['seconds']} seconds" in result.stderr
    over = data["seconds"] - 30
    assert f"this takes about {data['seconds']} seconds, {over} over the 30-second limit" in result.stderr
    assert f"cut about {data['words'] - 75} words" in result.stderr
    assert 'The longest sentence (17 words) begins "I have worked on many things ..."' in result.stderr
    assert "Could we talk?" in result.stdout and "Warning" not in result.stdout


def test_pitch_warns_past_two_paragraphs(board: dict[str, int], ok: Callable[..., Any], tmp_path: Path) -> None:
    three = tmp_path / "three.j2"
    three.write_text("{{ profile.story }}\n\nMy goal: {{ goal }}. I am writing to you today.\n\n{{ request }}\n")
    data = ok("pitch", "--arena", "research", "--template", str(three), "--json").json()
    assert data["paragraphs"] == 3
    assert "3 paragraphs; a pitch is one or two" in data["warnings"]


def test_pitch_missing_profile_fields(cli: Callable[..., Any], ok: Callable[..., Any], frozen: None) -> None:
    """Off a terminal: one line with the exact command. Only the name and a story are needed."""
    ok("profile", "set", "--timezone", "UTC")
    line = one_line_error(cli("pitch", "--arena", "research"))
    assert line == (
        'Error: a pitch needs your name and story; set them with: mentorkit profile set --name "YOUR NAME" '
        '--story "TWO SENTENCES ABOUT YOUR PATH" (or --story-for research=... for research pitches only)'
    )
    ok("profile", "set", "--name", "Ann Lee", "--story-for", "research=I study sepsis.")
    assert ok("pitch", "--arena", "research").stdout.startswith("I'm Ann Lee. I study sepsis.\n")
    line = one_line_error(cli("pitch", "--arena", "career"))
    assert "needs your story; set it with: mentorkit profile set --story" in line and "--name" not in line


def test_pitch_asks_at_a_terminal_and_saves_the_answers(
    cli: Callable[..., Any], ok: Callable[..., Any], frozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mentorkit.cli.drafting as drafting_cli

    ok("profile", "set", "--timezone", "UTC")
    monkeypatch.setattr(drafting_cli, "at_terminal", lambda: True)
    result = ok("pitch", "--arena", "research", input="Ann Lee\nI study sepsis care in rural hospitals\n")
    assert "Your name" in result.stderr and "Your story" in result.stderr
    # (the test runner echoes typed answers to stdout; a terminal shows them where they are typed)
    assert "\nI'm Ann Lee. I study sepsis care in rural hospitals.\n" in result.stdout
    shown = ok("profile", "show", "--json").json()
    assert (shown["name"], shown["story"]) == ("Ann Lee", "I study sepsis care in rural hospitals")


def test_pitch_unknown_arena_and_mentor(board: dict[str, int], cli: Callable[..., Any]) -> None:
    assert "no arena named 'cooking'" in one_line_error(cli("pitch", "--arena", "cooking"))
    assert "no mentor matches 'nobody'" in one_line_error(cli("pitch", "--arena", "research", "--to", "nobody"))


def test_pitch_without_save_writes_nothing(board: dict[str, int], ok: Callable[..., Any]) -> None:
    ok("pitch", "--arena", "research", "--to", "alvarez")
    assert ok("pitches", "--json").json() == []


# ---- the pitch pipeline ----------------------------------------------------------------------


def test_pipeline_accepted_starts_a_pilot(board: dict[str, int], ok: Callable[..., Any]) -> None:
    saved = ok("pitch", "--arena", "research", "--to", "alvarez", "--save", "--json").json()
    assert saved["id"] == 1 and saved["template"] == "pitch"
    listed = ok("pitches", "--json").json()
    assert [(p["id"], p["state"], p["arena"], p["mentor"]) for p in listed] == [
        (1, "draft", "research", "Dr. Teresa Alvarez")
    ]
    assert listed[0]["body"] == saved["text"]
    sent = ok("pitches", "sent", "1", "--on", "today", "--json").json()
    assert (sent["sent_on"], sent["state"]) == ("2026-11-25", "sent")
    reply = ok("pitches", "reply", "1", "accepted", "--json").json()
    assert (reply["response"], reply["responded_on"], reply["stage"]) == ("accepted", "2026-11-25", "pilot")
    mentor = next(m for m in ok("mentors", "--json").json() if m["id"] == board["alvarez"])
    assert mentor["stage"] == "pilot"
    assert ok("pitches", "show", "1").stdout == saved["text"]


def test_pipeline_declined_and_no_answer_leave_the_stage(board: dict[str, int], ok: Callable[..., Any]) -> None:
    with time_machine.travel(datetime(2026, 11, 10, 16, 0, tzinfo=UTC), tick=False):
        ok("pitch", "--arena", "research", "--to", "alvarez", "--save")
    ok("pitch", "--arena", "career", "--to", "okafor", "--save")
    first = ok("pitches", "reply", "1", "no_answer", "--on", "2026-11-20", "--json").json()
    assert first["marked_sent"] is True and first["sent_on"] == "2026-11-20"  # sent on the reply date
    assert first["response"] == "no-answer" and first["stage"] is None
    result = ok("pitches", "reply", "2", "declined")
    assert "mentorkit end" in result.stderr
    stages = {m["id"]: m["stage"] for m in ok("mentors", "--json").json()}
    assert (stages[board["alvarez"]], stages[board["okafor"]]) == ("prospect", "active")
    assert [p["state"] for p in ok("pitches", "--json").json()] == ["declined", "no-answer"]
    assert [p["id"] for p in ok("pitches", "--to", "okafor", "--json").json()] == [2]
    assert [p["id"] for p in ok("pitches", "--arena", "research", "--json").json()] == [1]


def test_pipeline_refuses_bad_dates_and_replies(
    board: dict[str, int], ok: Callable[..., Any], cli: Callable[..., Any]
) -> None:
    with time_machine.travel(datetime(2026, 11, 18, 16, 0, tzinfo=UTC), tick=False):
        ok("pitch", "--arena", "research", "--to", "alvarez", "--save")
    assert "in the future" in one_line_error(cli("pitches", "sent", "1", "--on", "tomorrow"))
    before = one_line_error(cli("pitches", "sent", "1", "--on", "2026-11-17"))
    assert "pitch 1 was drafted on 2026-11-18; it cannot have been sent on 2026-11-17, before that" in before
    before = one_line_error(cli("pitches", "reply", "1", "declined", "--on", "2025-01-01"))
    assert "it cannot have been answered on 2025-01-01" in before
    ok("pitches", "sent", "1", "--on", "2026-11-20")
    assert "cannot come before" in one_line_error(cli("pitches", "reply", "1", "accepted", "--on", "2026-11-19"))
    assert "unknown reply 'maybe'" in one_line_error(cli("pitches", "reply", "1", "maybe"))
    assert "no pitch with id 9" in one_line_error(cli("pitches", "sent", "9"))
    assert ok("pitches", "--json").json()[0]["state"] == "sent"  # nothing else changed


# ---- summary ----------------------------------------------------------------------------------


def test_mark_sent_clears_the_summary_owed(
    board: dict[str, int], ok: Callable[..., Any], cli: Callable[..., Any]
) -> None:
    def owed() -> list[str]:
        items = ok("followups", "--all", "--json").json()
        return [i["what"] for i in items if i["kind"] == "summary"]

    assert any(f"#{board['held']}" in what for what in owed())
    result = ok("summary", str(board["held"]), "--mark-sent", "--json").json()
    assert result["marked_sent"] is True and result["summary_sent_at"] == "2026-11-25T16:00:00Z"
    assert not any(f"#{board['held']}" in what for what in owed())
    again = ok("summary", str(board["held"]), "--mark-sent")
    assert "already marked sent (Wed 25 Nov 2026)" in again.stderr
    line = one_line_error(cli("summary", str(board["planned"]), "--mark-sent"))
    assert "still planned" in line


def test_summary_refuses_cancelled_and_unknown(
    board: dict[str, int], ok: Callable[..., Any], cli: Callable[..., Any]
) -> None:
    ok("meetings", "mark", str(board["planned"]), "cancelled")
    assert "was cancelled; there is nothing to summarise" in one_line_error(cli("summary", str(board["planned"])))
    assert "no meeting with id 99" in one_line_error(cli("summary", "99"))


def test_summary_next_meeting_from_cadence(board: dict[str, int], ok: Callable[..., Any]) -> None:
    ok("meetings", "mark", str(board["planned"]), "cancelled")
    text = ok("summary", str(board["held"])).stdout
    # monthly from the last contact (24 Nov) when nothing is planned
    assert "Next meeting: around Thu 24 Dec 2026 (monthly); I will send an invitation." in text


def test_summary_json_is_only_json(board: dict[str, int], ok: Callable[..., Any]) -> None:
    result = ok("summary", str(board["held"]), "--json")
    data = result.json()
    assert set(data) == {
        "meeting_id",
        "kind",
        "text",
        "template",
        "summary_sent_at",
        "marked_sent",
        "subject",
        "to",
        "recipient",
        "check_notes",
        "without_email",
    }
    assert data["to"] == ["talvarez@example.org"] and data["subject"].startswith("Notes and next steps")
    assert data["kind"] == "summary" and data["summary_sent_at"] is None


# ---- templates: overrides, paths, listing, editing ---------------------------------------------


def test_user_override_wins(board: dict[str, int], ok: Callable[..., Any], isolated_dirs: Path) -> None:
    directory = user_templates(isolated_dirs)
    directory.mkdir(parents=True)
    (directory / "pitch.txt.j2").write_text("Hi, I am {{ profile.name }} ({{ arena.name }}). {{ request }}\n")
    result = ok("pitch", "--arena", "career")
    assert result.stdout.startswith("Hi, I am Ann Lee (career). Would you have")
    listed = {t["name"]: t for t in ok("templates", "list", "--json").json()}
    assert listed["pitch"]["source"] == "user" and listed["summary"]["source"] == "default"
    assert ok("templates", "show", "pitch").stdout.startswith("Hi, I am")
    assert ok("templates", "show", "pitch", "--default").stdout.startswith("{#- The 30-second")


def test_template_path_and_user_only_names(
    board: dict[str, int], ok: Callable[..., Any], cli: Callable[..., Any], tmp_path: Path, isolated_dirs: Path
) -> None:
    mine = tmp_path / "my pitch.j2"
    mine.write_text("{{ arena.name|upper }}: {{ goal }}\n")
    result = ok("pitch", "--arena", "research", "--template", str(mine), "--save", "--json").json()
    assert result["text"] == "RESEARCH: to lead my first R01-funded trial by 2028\n"
    assert result["template"] == str(mine)
    short = user_templates(isolated_dirs)
    short.mkdir(parents=True)
    (short / "short-summary.txt.j2").write_text("{{ meeting.date }} with {{ recipient.name }}\n")
    assert ok("summary", str(board["held"]), "--template", "short-summary").stdout == (
        "2026-11-24 with Dr. Teresa Alvarez\n"
    )
    assert "no template file at" in one_line_error(cli("pitch", "--arena", "research", "--template", "nope/x.j2"))
    assert "no template named 'nope'" in one_line_error(cli("pitch", "--arena", "research", "--template", "nope"))


def test_templates_list_show_path(ok: Callable[..., Any], isolated_dirs: Path) -> None:
    listed = ok("templates", "list", "--json").json()
    names = {t["name"] for t in listed}
    assert {"pitch", "summary"} <= names
    for row in listed:
        assert Path(row["path"]).is_file() and row["source"] == "default"
    assert ok("templates", "path").stdout.strip() == str(user_templates(isolated_dirs))
    assert ok("templates", "show", "summary.txt").stdout.startswith("{#- The written follow-up")
    shown = ok("templates", "show", "pitch.txt.j2", "--json").json()
    assert shown["source"] == "default" and "story_sentence" in shown["text"]


def test_templates_list_shows_every_packaged_file(ok: Callable[..., Any]) -> None:
    from mentorkit.drafting.files import default_dir

    shipped = sorted(p.name for p in default_dir().glob("*.j2"))
    assert sorted(t["filename"] for t in ok("templates", "list", "--json").json()) == shipped


def _editor(tmp_path: Path, body: str) -> str:
    """An $EDITOR: a Python script (in a directory with a space) that edits the file it is given."""
    folder = tmp_path / "my editor"
    folder.mkdir(exist_ok=True)
    script = folder / "ed.py"
    script.write_text(textwrap.dedent(body))
    return f'{sys.executable} "{script}"'


def test_templates_edit_copies_then_opens_editor(
    ok: Callable[..., Any],
    cli: Callable[..., Any],
    tmp_path: Path,
    isolated_dirs: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "EDITOR",
        _editor(
            tmp_path,
            """
        import sys
        with open(sys.argv[1], "a") as f:
            f.write("{# edited #}\\n")
    """,
        ),
    )
    result = ok("templates", "edit", "pitch")
    copy = user_templates(isolated_dirs) / "pitch.txt.j2"
    assert "Copied the default to" in result.stderr
    assert copy.read_text().endswith("{# edited #}\n")
    assert copy.read_text().startswith("{#- The 30-second")
    assert oct(copy.stat().st_mode & 0o777) == oct(0o600)
    ok("templates", "edit", "pitch")  # a second edit keeps the user's copy and edits it again
    assert copy.read_text().count("{# edited #}") == 2
    listed = {t["name"]: t["source"] for t in ok("templates", "list", "--json").json()}
    assert listed["pitch"] == "user"


def test_templates_edit_never_overwrites_and_reports(
    ok: Callable[..., Any],
    cli: Callable[..., Any],
    tmp_path: Path,
    isolated_dirs: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    directory = user_templates(isolated_dirs)
    directory.mkdir(parents=True)
    (directory / "summary.txt.j2").write_text("mine {{ kind }}\n")
    monkeypatch.delenv("EDITOR", raising=False)
    result = ok("templates", "edit", "summary")
    assert "EDITOR is not set" in result.stderr and str(directory / "summary.txt.j2") in result.stderr
    assert (directory / "summary.txt.j2").read_text() == "mine {{ kind }}\n"
    monkeypatch.setenv(
        "EDITOR",
        _editor(
            tmp_path,
            """
        import sys
        open(sys.argv[1], "w").write("{% if x %}unclosed\\n")
    """,
        ),
    )
    line = one_line_error(cli("templates", "edit", "summary"))
    assert "summary.txt.j2, line 1: syntax error" in line or "line 2: syntax error" in line
    monkeypatch.setenv("EDITOR", "/no/such/editor --wait")
    assert "cannot run the editor '/no/such/editor'" in one_line_error(cli("templates", "edit", "summary"))
    assert "no default template named 'nope'" in one_line_error(cli("templates", "edit", "nope"))


# ---- broken and hostile templates fail cleanly -------------------------------------------------

HOSTILE = {
    "class": ("{{ profile.name.__class__ }}", "blocked by the template sandbox"),
    "mro": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "blocked by the template sandbox"),
    "format": ("{{ '{0.__class__.__mro__}'.format(profile.name) }}", "blocked by the template sandbox"),
    "format_map": ("{{ '{p.__class__}'.format_map({'p': profile}) }}", "blocked by the template sandbox"),
    "attr_format": ("{{ '{0.__class__}'|attr('format')(goal) }}", "blocked by the template sandbox"),
    "globals": ("{{ range.__globals__ }}", "blocked by the template sandbox"),
    "mutate": ("{{ profile.goals.update({'x': 1}) }}", "blocked by the template sandbox"),
    "range": ("{% for i in range(10**9) %}{{ i }}{% endfor %}", "range() of 1,000,000,000 items"),
    "repeat": ("{{ 'x' * 10**10 }}", "repeating a str"),
    "power": ("{{ 9 ** (9 ** 9) }}", "a power that large"),
    "width": ("{{ '%999999999d' % 1 }}", "%-formatting is more than a draft needs"),
    "format_width": ("{{ '{:>{}}'.format(1, 10**9) }}", "format() is more than a draft needs"),
    "center": ("{{ goal|center(10**9) }}", "larger than a draft needs"),
    "nested_loops": (
        "{% set r = range(10000)|list %}{% for a in r %}{% for b in r %}{% endfor %}{% endfor %}",
        "loop steps and calls",
    ),
    "doubling": (
        "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "more than a draft needs",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_templates_exit_1_with_one_line(
    case: str, board: dict[str, int], cli: Callable[..., Any], tmp_path: Path
) -> None:
    source, expected = HOSTILE[case]
    path = tmp_path / f"{case}.j2"
    path.write_text("Dear {{ profile.name }},\n" + source + "\n")
    started = datetime.now()
    line = one_line_error(cli("pitch", "--arena", "research", "--template", str(path)))
    assert f"template {path}, line 2: " in line
    assert expected in line
    assert (datetime.now() - started).total_seconds() < 4  # bounded, not merely slow


def test_typo_names_file_line_and_variable(board: dict[str, int], cli: Callable[..., Any], isolated_dirs: Path) -> None:
    directory = user_templates(isolated_dirs)
    directory.mkdir(parents=True)
    (directory / "summary.txt.j2").write_text("Subject: {{ meeting.date }}\n\n{{ meting.notes }}\n")
    line = one_line_error(cli("summary", str(board["held"])))
    assert line.startswith(f"Error: template {directory / 'summary.txt.j2'}, line 3: 'meting' is undefined")
    (directory / "summary.txt.j2").write_text("{{ meeting.date }}\n{{ meeting.nots }}\n")
    assert "line 2: 'dict object' has no attribute 'nots'" in one_line_error(cli("summary", str(board["held"])))


def test_syntax_error_names_file_and_line(board: dict[str, int], cli: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "broken.j2"
    path.write_text("Hello\n{% for x in %}\n{% endfor %}\n")
    line = one_line_error(cli("pitch", "--arena", "research", "--template", str(path)))
    assert re.match(rf"Error: template {re.escape(str(path))}, line 2: syntax error: ", line)


def test_blank_output_is_an_error(board: dict[str, int], cli: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "blank.j2"
    path.write_text("{% if mentor %}{{ mentor.name }}{% endif %}\n\n")
    assert "produced no text" in one_line_error(cli("pitch", "--arena", "research", "--template", str(path)))


def test_runtime_error_does_not_quote_data(board: dict[str, int], cli: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "bad.j2"
    path.write_text("{{ '{:d}'.format(profile.story) }}\n")
    line = one_line_error(cli("pitch", "--arena", "research", "--template", str(path)))
    assert "line 1: the expression on that line failed (ValueError)" in line
    assert "sepsis" not in line


def test_include_outside_the_template_dirs_is_refused(
    board: dict[str, int], cli: Callable[..., Any], tmp_path: Path
) -> None:
    path = tmp_path / "inc.j2"
    path.write_text("{% include '../../etc/passwd' %}\n")
    assert "does not exist" in one_line_error(cli("pitch", "--arena", "research", "--template", str(path)))


# ---- the sandbox, directly -----------------------------------------------------------------------


def _render(tmp_path: Path, source: str, **context: Any) -> str:
    from mentorkit.drafting import TemplateFile, render_file

    path = tmp_path / "t.j2"
    path.write_text(source)
    return render_file(TemplateFile("t", path.name, path, "path"), context)


@pytest.mark.parametrize(
    "source",
    [
        "{% set big = 'x' * 1000000 %}{% set c %}{% for i in range(5000) %}{{ big }}{% endfor %}{% endset %}",
        "{% set big = 'x' * 1000000 %}{{ ([big] * 100000)|join }}",
        "{% set big = 'x' * 1000000 %}{{ ([big] * 100000)|map('string')|join }}",
        "{% set big = 'x' * 1000000 %}{{ [big] * 100000 }}",
        "{% set s = 'a' * 100000 %}{{ s.replace('a', 'b' * 100000) }}",
        "{{ ('\t' * 100000).expandtabs(100000) }}",
        "{{ ('a b ' * 100000)|wordwrap(1, wrapstring='x' * 1000) }}",
        "{{ [[1]]|sum(start=[]) }}",
        "{% for i in range(10000) %}{{ 'x' * 1000 }}{% endfor %}",  # the output as a whole
    ],
)
def test_sandbox_bounds_memory(tmp_path: Path, source: str) -> None:
    from mentorkit.errors import InvalidInput

    started = datetime.now()
    with pytest.raises(InvalidInput, match="not allowed in a template"):
        _render(tmp_path, source)
    assert (datetime.now() - started).total_seconds() < 4


def test_sandbox_allows_ordinary_templates(tmp_path: Path) -> None:
    source = (
        "{% set ns = namespace(total=0) %}{% for m in people %}{% set ns.total = ns.total + m.n %}"
        "{{ loop.index }}:{{ m.name|upper }}{% if not loop.last %}, {% endif %}{% endfor %}\n\n"
        "{{ ns.total }} {{ '%05.1f'|format(3.14159) }} {{ '{:,}'.format(1234567) }} "
        "{{ 123456789|filesizeformat }} {{ people|map(attribute='name')|join('/') }} {{ none }}|"
        "{{ (2 ** 64) * 3 }}\n{{ 'ab' * 3 }}"
    )
    people = [{"name": "a", "n": 1}, {"name": "b", "n": 2}]
    assert _render(tmp_path, source, people=people, none=None) == (
        "1:A, 2:B\n3 003.1 1,234,567 123.5 MB a/b |55340232221128654848\nababab\n"
    )


# ---- docs and import budget ----------------------------------------------------------------------


def _keys(value: Any, prefix: str = "") -> set[str]:
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            name = f"{prefix}.{key}" if prefix else key
            keys.add(name)
            if name not in ("profile.goals", "profile.stories", "profile.requests"):  # keyed by arena name
                keys |= _keys(inner, name)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        keys |= _keys(value[0], prefix)
    return keys


def test_every_template_variable_is_documented(board: dict[str, int], db_path: Path) -> None:
    from mentorkit.domain.arenas import resolve_arena
    from mentorkit.domain.meetings import get_meeting
    from mentorkit.domain.mentors import get_mentor
    from mentorkit.domain.pitches import pitch_context
    from mentorkit.domain.profile import get_profile
    from mentorkit.domain.summaries import summary_context
    from mentorkit.store.db import open_store

    docs = (Path(__file__).parent.parent / "docs" / "drafting.md").read_text()
    with open_store(db_path) as store, store.read() as conn:
        me = get_profile(conn)
        pitch = pitch_context(me, resolve_arena(conn, "research"), get_mentor(conn, board["alvarez"]), None, NOW.date())
        held = summary_context(conn, NOW, me, get_meeting(conn, board["held"]))
        group = summary_context(conn, NOW, me, get_meeting(conn, board["group_meeting"]))
    same_as_followups = {"open_followups", "my_steps", "their_steps"}  # "same fields as `followups`"
    for name in same_as_followups:
        assert re.search(rf"\| `{name}` \|.*same fields as `followups`", docs), name

    def documented(key: str) -> bool:
        head, _, rest = key.partition(".")
        return f"`{key}`" in docs or (head in same_as_followups and f"`followups.{rest}`" in docs)

    missing = sorted(k for k in _keys(pitch) | _keys(held) | _keys(group) if not documented(k))
    assert missing == []


def test_help_and_templates_list_do_not_import_jinja2() -> None:
    code = (
        "import sys\nfrom mentorkit.cli import app\n"
        "for argv in (['--help'], ['templates', 'list'], ['pitch', '--help']):\n"
        "    try:\n        app(argv, prog_name='mentorkit')\n    except SystemExit:\n        pass\n"
        "print('jinja2' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": "100"}
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_render_stays_the_function_after_the_engine_is_imported() -> None:
    """The engine module must not shadow `drafting.render` (a second render in one process broke)."""
    import mentorkit.drafting as drafting
    import mentorkit.drafting.engine  # noqa: F401

    assert callable(drafting.render) and not isinstance(drafting.render, type(drafting))


def test_the_demo_pitches_are_well_inside_30_seconds(ok: Callable[..., Any], frozen: None) -> None:
    ok("demo")
    saved = ok("pitches", "--json").json()[0]
    assert saved["seconds"] <= 27, saved["body"]
    for arena in ("research", "career", "personal", "teaching"):
        data = ok("pitch", "--arena", arena, "--to", "priya", "--json").json()
        assert data["seconds"] <= 28 and data["warnings"] == [], (arena, data["words"], data["text"])
