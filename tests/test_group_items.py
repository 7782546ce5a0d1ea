"""Group follow-ups and advice as first-class records (issue 21): owned by a member, listed per
group, given at a group meeting by a member, counted in review; peers the same however added;
a member's last contact counts the group's meetings."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine


@pytest.fixture
def group(ok):
    with time_machine.travel(datetime(2026, 12, 1, 21, 0, tzinfo=UTC), tick=False):
        ok("profile", "set", "--name", "Maya Okafor", "--timezone", "America/New_York")
        ok("add-mentor", "Teresa Alvarez", "--stage", "active", "--cadence", "monthly")
        ok("group", "add", "Mastermind", "--member", "Ana Ruiz", "--member", "Ben Ortiz", "--cadence", "first tuesday")
        yield ok


def test_a_group_item_can_belong_to_a_member(group, db_path: Path) -> None:
    mine = group("followup", "add", "--group", "Mastermind", "Book the room", "--json").json()
    assert (mine["group"], mine["owner"], mine["mentor"]) == ("Mastermind", "me", None)
    ben = group("followup", "add", "--group", "mastermind", "Send the slides", "--owner", "ben", "--due", "friday")
    assert "for Mastermind (Ben Ortiz's), due Fri 4 Dec 2026" in ben.stderr
    everyone = group(
        "followup", "add", "--group", "Mastermind", "Vote on the date", "--owner", "group", "--json"
    ).json()
    assert (everyone["owner"], everyone["mentor"]) == ("mentor", None)
    group("followup", "add", "Teresa", "Read the aims page")

    listed = group("followups", "--group", "Mastermind", "--all", "--json").json()
    actions = [(i["what"], i["mentor"], i["group"]) for i in listed if i["kind"] == "action"]
    assert ("waiting on them (Mastermind): Send the slides (#2)", "Ben Ortiz", "Mastermind") in actions
    assert len(actions) == 3 and not any("aims" in what for what, _, _ in actions)
    bens = group("followups", "--mentor", "Ben", "--all", "--json").json()
    assert [i["followup_id"] for i in bens] == [2]
    shown = group("followups", "--group", "Mastermind", "--all").stdout
    assert "Send the slides" in shown and "aims page" not in shown


def test_an_owner_outside_the_group_is_refused_and_nothing_written(group, cli, db_path: Path) -> None:
    before = sqlite3.connect(db_path).execute("SELECT count(*) FROM followup").fetchone()[0]
    bad = cli("followup", "add", "--group", "Mastermind", "Read it", "--owner", "Teresa")
    assert bad.exit_code == 1
    assert "Teresa Alvarez is not a member of Mastermind (members: Ana Ruiz, Ben Ortiz)" in bad.stderr
    both = cli("followup", "add", "Teresa", "Read it", "--group", "Mastermind")
    assert both.exit_code == 1 and "--owner MEMBER" in both.stderr
    nothing = cli("followup", "add", "--group", "Mastermind")
    assert nothing.exit_code == 1 and "say what needs doing" in nothing.stderr
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM followup").fetchone()[0] == before


def test_advice_at_a_group_meeting_names_the_member_who_gave_it(group, cli, db_path: Path) -> None:
    with time_machine.travel(datetime(2026, 12, 2, 3, 0, tzinfo=UTC), tick=False):
        refused = cli("log", "--group", "Mastermind", "--when", "2026-12-01 16:00", "--advice", "Submit early")
        assert refused.exit_code == 1 and "--from MEMBER" in refused.stderr
        assert sqlite3.connect(db_path).execute("SELECT count(*) FROM meeting").fetchone()[0] == 0
        logged = group(
            "log",
            "--group",
            "Mastermind",
            "--when",
            "2026-12-01 16:00",
            "--advice",
            "Submit early",
            "--advice",
            "Ask for a letter",
            "--from",
            "ana",
            "--from",
            "ben",
            "--followup",
            "Share the draft",
            "--owner",
            "Ana",
            "--json",
        ).json()
        advice = group("advice", "--json").json()
        assert sorted((a["text"], a["mentor"]) for a in advice) == [
            ("Ask for a letter", "Ben Ortiz"),
            ("Submit early", "Ana Ruiz"),
        ]
        assert {a["meeting_id"] for a in advice} == {logged["meeting"]["id"]}
        item = group("followups", "--mentor", "Ana", "--all", "--json").json()
        assert [(i["group"], i["mentor"]) for i in item] == [("Mastermind", "Ana Ruiz")]
        one_to_one = cli("log", "Teresa", "--advice", "Write daily", "--from", "ana")
        assert one_to_one.exit_code == 1 and "group meeting" in one_to_one.stderr


def test_a_members_last_contact_counts_group_meetings(group) -> None:
    with time_machine.travel(datetime(2026, 12, 2, 3, 0, tzinfo=UTC), tick=False):
        group("log", "--group", "Mastermind", "--when", "2026-12-01 16:00")
        people = {m["name"]: m for m in group("mentors", "--json").json()}
        assert people["Ana Ruiz"]["last_contact"].startswith("2026-12-01T21:00")
        assert people["Teresa Alvarez"]["last_contact"] is None
        shown = group("show", "Ana").stdout
        assert "last contact  Tue 1 Dec 2026" in shown and "groups        Mastermind" in shown
        report = group("export", "--format", "md").stdout
        assert "none yet" not in report.split("Ana Ruiz")[1].split("##")[0]


def test_peers_are_active_however_they_are_added(group) -> None:
    added = group("add-mentor", "Chidi Okeke", "--peer", "--json").json()
    people = {m["name"]: (m["kind"], m["stage"]) for m in group("mentors", "--json").json()}
    assert added["stage"] == "active"
    assert people["Chidi Okeke"] == people["Ana Ruiz"] == ("peer", "active")


def test_late_items_waiting_on_peers_appear_in_the_review(group) -> None:
    group("followup", "add", "--group", "Mastermind", "Send the slides", "--owner", "ben", "--due", "2026-12-02")
    group("followup", "add", "--group", "Mastermind", "Book the room", "--due", "2026-12-20")
    with time_machine.travel(datetime(2026, 12, 10, 15, 0, tzinfo=UTC), tick=False):
        (reviewed,) = group("review", "--json").json()["groups"]
        assert (reviewed["theirs"]["open"], reviewed["theirs"]["late"]) == (1, 1)
        assert (reviewed["mine"]["open"], reviewed["mine"]["late"]) == (1, 0)
        assert reviewed["cadence"] == "first Tuesday of each month"
        assert "follow-ups: mine 1 open, theirs 1 open (1 late)" in group("review").stdout


def test_undo_takes_back_a_group_item(group) -> None:
    group("followup", "add", "--group", "Mastermind", "Send the slides", "--owner", "ben")
    assert len(group("followups", "--group", "Mastermind", "--all", "--json").json()) >= 1
    group("undo")
    assert not [
        i for i in group("followups", "--group", "Mastermind", "--all", "--json").json() if i["kind"] == "action"
    ]


def test_the_upgrade_makes_prospect_peers_in_groups_active(tmp_path: Path) -> None:
    """Schema 15: a peer added with --peer (a prospect then) who sits in a group becomes active."""
    import shutil

    from mentorkit.store.db import open_store

    store = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "stores" / "v14.db", store)
    conn = sqlite3.connect(store)
    peer = conn.execute("SELECT mentor_id FROM group_member LIMIT 1").fetchone()[0]
    conn.execute("UPDATE mentor SET kind = 'peer', stage = 'prospect' WHERE id = ?", (peer,))
    lone = conn.execute(
        "SELECT id FROM mentor WHERE id NOT IN (SELECT mentor_id FROM group_member) AND stage = 'prospect' LIMIT 1"
    ).fetchone()[0]
    conn.execute("UPDATE mentor SET kind = 'peer' WHERE id = ?", (lone,))
    conn.commit()
    conn.close()
    open_store(store).close()
    conn = sqlite3.connect(store)
    assert conn.execute("SELECT stage FROM mentor WHERE id = ?", (peer,)).fetchone()[0] == "active"
    assert conn.execute("SELECT stage FROM mentor WHERE id = ?", (lone,)).fetchone()[0] == "prospect"
    changes = conn.execute("SELECT stage FROM stage_change WHERE mentor_id = ? ORDER BY id", (peer,)).fetchall()
    assert changes[-1][0] == "active"
    assert conn.execute("SELECT hours_start, hours_end FROM mentor WHERE id = ?", (peer,)).fetchone() == (None, None)


def test_a_persons_own_working_hours_drive_the_warnings(group) -> None:
    with time_machine.travel(datetime(2026, 12, 1, 21, 0, tzinfo=UTC), tick=False):
        group("edit", "Ana", "--timezone", "Europe/London", "--hours", "06:00-14:00")
        assert group("show", "Ana", "--json").json()["mentor"]["hours"] == "06:00–14:00"
        out = group("plan", "--group", "Mastermind", "--when", "2026-12-03 08:00").stderr
        line = next(x for x in out.splitlines() if x.startswith("  Ana Ruiz"))
        assert "Thu 3 Dec 2026 13:00 GMT" in line and "outside" not in line and "for Ana Ruiz" not in out
        late = group("plan", "--group", "Mastermind", "--when", "2026-12-03 10:00").stderr
        assert "Warning: 15:00 is outside 06:00–14:00 for Ana Ruiz." in late
        group("edit", "Ana", "--hours", "none")
        assert group("show", "Ana", "--json").json()["mentor"]["hours"] is None


def test_working_hours_and_group_items_survive_a_json_round_trip_and_undo(group, db_path: Path, tmp_path: Path) -> None:
    """Schema 15's columns travel in the JSON export and come back on import; one undo takes back
    an --hours edit exactly."""
    group("edit", "Ben", "--hours", "07:30-15:30")
    group("followup", "add", "--group", "Mastermind", "Send the slides", "--owner", "ben")
    export = tmp_path / "all.json"
    group("export", "--format", "json", "-o", str(export))
    other = tmp_path / "other.db"
    group("--db", str(other), "import", str(export))
    rows = sqlite3.connect(other).execute("SELECT hours_start, hours_end FROM mentor WHERE name = 'Ben Ortiz'")
    assert rows.fetchone() == ("07:30", "15:30")
    item = sqlite3.connect(other).execute(
        "SELECT f.owner, m.name, g.name FROM followup f JOIN mentor m ON m.id = f.mentor_id "
        "JOIN mgroup g ON g.id = f.group_id"
    )
    assert item.fetchall() == [("mentor", "Ben Ortiz", "Mastermind")]
    group("undo")  # the follow-up
    group("undo")  # the hours
    assert group("show", "Ben", "--json").json()["mentor"]["hours"] is None
