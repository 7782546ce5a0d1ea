"""The daily loop with a fixed clock: log, plan, meetings, follow-ups and the followups list."""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # Wednesday, 12:00 in Chicago


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def me(ok, clock):
    ok("profile", "set", "--name", "Maya Okafor", "--timezone", "America/Chicago")
    ok(
        "add-mentor",
        "Teresa Alvarez",
        "--timezone",
        "America/New_York",
        "--stage",
        "active",
        "--cadence",
        "monthly",
        "--arena",
        "research",
        "--remote",
    )
    ok("add-mentor", "James Whitfield", "--timezone", "America/Chicago", "--stage", "active", "--local")
    return ok


def items(ok, *args: str) -> list[dict]:
    return ok("followups", "--json", *args).json()


def kinds(ok, *args: str) -> list[tuple[str, str | None]]:
    return [(i["kind"], i["mentor"] or i["group"]) for i in items(ok, *args)]


def counts(db_path: Path) -> tuple[int, ...]:
    conn = sqlite3.connect(db_path)
    try:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("meeting", "followup", "advice", "mentor")
        )
    finally:
        conn.close()


def test_nothing_due_says_so(me) -> None:
    result = me("followups")
    assert "Nothing needs doing in the next 7 days" in result.stderr
    assert me("followups", "--json").json() == []


def test_action_items_each_way_most_urgent_first(me) -> None:
    me("followup", "add", "teresa", "Send the aims page", "--due", "2026-11-20")
    me("followup", "add", "james", "Read the dossier guide", "--due", "tomorrow")
    me("followup", "add", "teresa", "Introduce me to the program officer", "--owner", "mentor", "--due", "friday")
    me("followup", "add", "james", "Someday: teaching portfolio")
    me("followup", "add", "james", "Far away", "--due", "in 3 weeks")
    rows = items(me)
    assert [r["what"].split(" (#")[0] for r in rows] == [
        "Send the aims page",
        "Read the dossier guide",
        "waiting on them: Introduce me to the program officer",
        "Someday: teaching portfolio",
    ]
    assert rows[0]["days_late"] == 5 and rows[0]["due"] == "2026-11-20"
    assert rows[2]["owner"] == "mentor"
    actions = lambda *a: [r for r in items(me, *a) if r["kind"] == "action"]  # noqa: E731
    assert len(actions("--all")) == 5
    assert len(actions("--within", "30")) == 5
    assert ("check-in", "Teresa Alvarez") in kinds(me, "--all")  # monthly, counted from becoming active
    assert [r["mentor"] for r in items(me, "--mentor", "james")] == ["James Whitfield", "James Whitfield"]
    screen = me("followups").stdout
    assert "5 days late" in screen and "in 1 day" in screen


def test_done_and_drop_close_items(me, cli) -> None:
    first = int(me("followup", "add", "teresa", "A", "--due", "today").stdout)
    second = int(me("followup", "add", "teresa", "B", "--due", "today").stdout)
    me("followup", "done", str(first))
    me("followup", "drop", str(second))
    assert items(me) == []
    again = cli("followup", "done", str(first))
    assert again.exit_code == 1 and "already done" in again.stderr


def test_check_in_counts_from_last_contact_of_any_mode(me, clock) -> None:
    me("log", "teresa", "--when", "2026-10-10 10:00", "--mode", "video")
    rows = [r for r in items(me) if r["kind"] == "check-in"]
    assert len(rows) == 1 and rows[0]["due"] == "2026-11-10" and rows[0]["days_late"] == 15
    me("log", "teresa", "--mode", "email", "--notes", "Sent an update")  # an email resets the clock
    assert [r for r in items(me) if r["kind"] == "check-in"] == []
    clock.shift(timedelta(days=29))
    rows = [r for r in items(me) if r["kind"] == "check-in"]
    assert rows and rows[0]["due"] == "2026-12-25" and "last contact Wed 25 Nov 2026" in rows[0]["what"]


def test_a_planned_meeting_satisfies_the_check_in(me) -> None:
    me("log", "teresa", "--when", "2026-09-01 10:00")
    assert ("check-in", "Teresa Alvarez") in kinds(me)
    me("plan", "teresa", "--when", "2026-12-10 10:00", "--agenda", "Aims")
    assert ("check-in", "Teresa Alvarez") not in kinds(me)


def test_summary_owed_until_sent_and_not_for_emails(me, db_path) -> None:
    meeting = int(me("log", "teresa", "--when", "monday 10:00", "--mode", "video").stdout)
    me("log", "james", "--when", "monday 11:00", "--mode", "email")
    rows = [r for r in items(me) if r["kind"] == "summary"]
    assert [(r["mentor"], r["meeting_id"], r["due"], r["days_late"]) for r in rows] == [
        ("Teresa Alvarez", meeting, "2026-11-24", 1)
    ]
    from mentorkit.domain.meetings import mark_summary_sent
    from mentorkit.store.db import open_store

    with open_store(db_path) as store, store.write() as conn:
        mark_summary_sent(conn, NOW, meeting)
    assert [r for r in items(me) if r["kind"] == "summary"] == []


def test_preparation_for_planned_meetings_without_agenda(me) -> None:
    bare = int(me("plan", "teresa", "--when", "tomorrow 10:00").stdout)
    me("plan", "james", "--when", "tomorrow 11:00", "--agenda", "Dossier")
    me("plan", "james", "--when", "in 5 days 11:00")  # too far ahead to prepare yet
    rows = [r for r in items(me) if r["kind"] == "prepare"]
    assert [(r["meeting_id"], r["due"]) for r in rows] == [(bare, "2026-11-26")]


def test_pilot_review_appears_when_the_pilot_ends(me, clock) -> None:
    me("add-mentor", "Sam Osei", "--stage", "pilot", "--pilot-weeks", "2", "--cadence", "weekly")
    me("log", "sam", "--mode", "video")
    assert ("pilot-review", "Sam Osei") not in kinds(me)
    clock.shift(timedelta(days=14))
    rows = [r for r in items(me) if r["kind"] == "pilot-review"]
    assert rows and rows[0]["due"] == "2026-12-09" and "stage" in rows[0]["what"]
    me("stage", "sam", "active")
    assert ("pilot-review", "Sam Osei") not in kinds(me)


def test_log_records_advice_and_followups_and_adopts_a_planned_meeting(me) -> None:
    planned = int(me("plan", "teresa", "--when", "tomorrow 10:00", "--agenda", "Aims").stdout)
    with time_machine.travel(NOW + timedelta(days=1, hours=1), tick=False):
        result = me(
            "log",
            "teresa",
            "--when",
            "10:15",
            "--notes",
            "Good call",
            "--advice",
            "Narrow aim 3",
            "--advice",
            "Call the PO",
            "--followup",
            "Rewrite aim 3",
            "--due",
            "in 1 week",
            "--json",
        ).json()
    assert result["adopted_plan"] is True and result["meeting"]["id"] == planned
    assert result["meeting"]["status"] == "held" and result["meeting"]["agenda"] == "Aims"
    assert len(result["advice_ids"]) == 2 and len(result["followup_ids"]) == 1
    detail = me("show", "teresa", "--json").json()
    assert detail["followups"][0]["due_on"] == "2026-12-03" and detail["followups"][0]["meeting_id"] == planned
    assert {a["arena"] for a in detail["advice"]} == {"research"}


def test_log_notes_from_stdin_and_from_an_editor_with_arguments(me, tmp_path, monkeypatch) -> None:
    meeting = int(me("log", "james", "--notes", "-", input="Line one\nLine two\n").stdout)
    assert me("meetings", "--past", "--json").json()[0]["notes"] == "Line one\nLine two"
    script = tmp_path / "my editor.py"
    script.write_text("import sys\nopen(sys.argv[-1], 'w').write('Edited notes ' + sys.argv[1])\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} '{script}' --flag")
    edited = int(me("log", "james", "--edit", "--when", "yesterday 10:00").stdout)
    notes = {m["id"]: m["notes"] for m in me("meetings", "--past", "--json").json()}
    assert notes[edited] == "Edited notes --flag" and meeting in notes


def test_a_failed_or_empty_edit_saves_nothing(me, cli, tmp_path, monkeypatch, db_path) -> None:
    before = counts(db_path)
    monkeypatch.setenv("EDITOR", f"{sys.executable} -c 'import sys; sys.exit(3)'")
    assert cli("log", "james", "--edit").exit_code == 1
    monkeypatch.setenv("EDITOR", f"{sys.executable} -c 'pass'")
    result = cli("log", "james", "--edit")
    assert result.exit_code == 1 and "nothing was saved" in result.stderr
    monkeypatch.setenv("EDITOR", "true; touch " + str(tmp_path / "pwned"))
    assert cli("log", "james", "--edit").exit_code == 1
    assert not (tmp_path / "pwned").exists()
    assert counts(db_path) == before


def test_plan_shows_both_zones_and_warns_outside_working_hours(me) -> None:
    result = me("plan", "teresa", "--when", "2026-12-03 17:30")
    assert "Thu 3 Dec 2026 17:30 CST (18:30 EST for Teresa)" in result.stderr
    assert "18:30 is outside 08:00–18:00 for Teresa Alvarez" in result.stderr
    assert "overlap 08:00–17:00 CST (09:00–18:00 EST)" in result.stderr
    quiet = me("plan", "teresa", "--when", "2026-12-03 10:00")
    assert "Warning" not in quiet.stderr


def test_meetings_across_a_dst_change_in_another_zone(me) -> None:
    me("add-mentor", "Lena Fischer", "--timezone", "Europe/London", "--stage", "active", "--cadence", "weekly")
    with time_machine.travel(datetime(2026, 10, 20, 15, tzinfo=UTC), tick=False):
        # The UK leaves summer time on 25 October, the US on 1 November: a week of a 5-hour gap.
        before = me("plan", "lena", "--when", "2026-10-23 10:00", "--json").json()["meeting"]
        during = me("plan", "lena", "--when", "2026-10-28 10:00", "--json").json()["meeting"]
        after = me("plan", "lena", "--when", "2026-11-04 10:00", "--json").json()["meeting"]
        shown = {m["id"]: m for m in me("meetings", "--upcoming", "--json").json()}
        screen = me("meetings", "--upcoming").stdout
    assert before["starts_at"] == "2026-10-23T15:00:00Z"
    assert during["starts_at"] == "2026-10-28T15:00:00Z"
    assert after["starts_at"] == "2026-11-04T16:00:00Z"
    assert shown[before["id"]]["starts_at"] == before["starts_at"]
    rows = [line.split("  ") for line in screen.splitlines()[2:]]  # the table: id, when, their time, with...
    assert [(row[1], row[2].strip()) for row in rows] == [
        ("Fri 23 Oct 2026 10:00 CDT", "16:00 BST"),
        ("Wed 28 Oct 2026 10:00 CDT", "15:00 GMT"),
        ("Wed 4 Nov 2026 10:00 CST", "16:00 GMT"),
    ]


def test_check_in_due_dates_are_local_days_across_dst(me) -> None:
    me("add-mentor", "Lena Fischer", "--timezone", "Europe/London", "--stage", "active", "--cadence", "weekly")
    with time_machine.travel(datetime(2026, 3, 9, 18, tzinfo=UTC), tick=False):
        me("log", "lena", "--when", "2026-03-01 23:30")  # 05:30 UTC on 2 March
        rows = [r for r in me("followups", "--json", "--mentor", "lena").json() if r["kind"] == "check-in"]
    assert rows[0]["due"] == "2026-03-08"


def test_mark_planned_meetings(me, cli) -> None:
    meeting = me("plan", "teresa", "--when", "tomorrow 10:00", "--agenda", "x").stdout.strip()
    result = cli("meetings", "mark", meeting, "held")
    assert result.exit_code == 1 and "still in the future" in result.stderr
    me("meetings", "mark", meeting, "cancelled")
    assert me("meetings", "--json").json()[0]["status"] == "cancelled"
    assert cli("meetings", "mark", "999", "held").exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ("log", "nobody"),
        ("log", "teresa", "--when", "someday"),
        ("log", "teresa", "--when", "in 2 days"),
        ("log", "teresa", "--tz", "Mars/Base"),
        ("log", "teresa", "--mode", "telepathy"),
        ("log", "teresa", "--followup", "x", "--due", "whenever"),
        ("log", "teresa", "--due", "friday"),
        ("log", "teresa", "--group", "nobody"),
        ("log", "teresa", "--minutes", "-5"),
        ("plan", "teresa", "--when", "yesterday 10:00"),
        ("plan", "teresa", "--when", "friday"),
        ("plan", "teresa", "--when", "03/04/2027 10:00"),
        ("followup", "add", "teresa", "x", "--meeting", "424242"),
        ("followup", "add", "teresa", "x", "--owner", "boss"),
        ("followup", "add", "teresa", "   "),
        ("followup", "done", "abc"),
        ("meetings", "mark", "1", "postponed"),
        ("followups", "--mentor", "nobody"),
    ],
)
def test_bad_input_exits_1_with_one_line_and_writes_nothing(me, cli, db_path, args) -> None:
    before = counts(db_path)
    result = cli(*args)
    assert result.exit_code == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in result.stderr
    assert counts(db_path) == before


def test_followups_screen(me) -> None:
    me("followup", "add", "teresa", "Send the aims page", "--due", "2026-11-20")
    me("log", "james", "--when", "monday 10:00")
    screen = me("followups").stdout
    for text in ("action", "summary", "Teresa Alvarez", "James Whitfield", "5 days late", "1 day late"):
        assert text in screen
