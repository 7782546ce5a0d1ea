"""`mentorkit sync` between devices through a real PostgreSQL hub: changes travel both ways, the
later change wins per field, a delete loses to a concurrent edit, a first sync merges, pulled
changes are journaled (history, undo) and never pushed back, and two people stay apart."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

import pytest
import time_machine

from conftest import Hub
from pg_helpers import PASSWORD
from sync_helpers import Device, content


def test_changes_travel_between_two_devices_and_converge(devices: Callable[..., Device]) -> None:
    laptop, desktop = devices("laptop"), devices("desktop")
    laptop.ok("add-mentor", "Rosa Martinez", "--email", "rosa@example.org", "--arena", "research", "--tag", "R01")
    laptop.ok("log", "Rosa", "--when", "2026-12-01 10:00", "--notes", "aims page", "--followup", "send aims")
    first = laptop.sync()
    assert first["first"] and first["pushed"]["mentor"] == 1
    got = desktop.sync()
    assert got["pulled"]["mentor"] == 1 and got["pulled"]["meeting"] == 1
    laptop.sync()  # the desktop's default arenas were folded into the laptop's: it takes their uuids
    assert content(laptop.path) == content(desktop.path)
    desktop.ok("followup", "done", "1")
    desktop.sync()
    pulled = laptop.sync()
    assert pulled["pulled"] == {"followup": 1} and pulled["pushed"] == {}
    assert content(laptop.path) == content(desktop.path)
    assert laptop.ok("followups", "--all", "--json").json() == desktop.ok("followups", "--all", "--json").json()
    again = laptop.sync()
    assert again["pushed"] == {} and again["pulled"] == {}  # pulled changes are not pushed back
    assert again["position"] == pulled["position"]  # and a sync with nothing to push writes nothing


def test_the_later_change_wins_per_field_and_the_loser_stays_in_history(devices: Callable[..., Device]) -> None:
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.sync()
    b.sync()
    with time_machine.travel("2026-12-07 10:00:00Z", tick=False):
        a.ok("edit", "Rosa", "--institution", "UW", "--location", "Seattle")
    with time_machine.travel("2026-12-07 11:00:00Z", tick=False):
        b.ok("edit", "Rosa", "--institution", "Karolinska")
    a.sync()
    result = b.sync()
    assert result["resolved"] == []  # b's change is the later one: it simply wins
    a.sync()
    for device in (a, b):
        rosa = device.ok("mentors", "--json").json()[0]
        assert (rosa["institution"], rosa["location"]) == ("Karolinska", "Seattle")
    assert content(a.path) == content(b.path)
    history = a.ok("history", "--json").json()
    assert history[0]["command"] == "sync" and "edit" in [h["command"] for h in history]  # a's own value stays
    a.ok("undo")  # undo brings a's value back, and that is a change like any other
    assert a.ok("mentors", "--json").json()[0]["institution"] == "UW"


def test_an_earlier_change_loses_even_when_pushed_last(devices: Callable[..., Device]) -> None:
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.sync()
    b.sync()
    with time_machine.travel("2026-12-07 11:00:00Z", tick=False):
        a.ok("edit", "Rosa", "--institution", "Later")
    with time_machine.travel("2026-12-07 10:00:00Z", tick=False):
        b.ok("edit", "Rosa", "--institution", "Earlier")
    a.sync()
    result = b.sync()
    assert any("later change" in r["what"] for r in result["resolved"])
    assert b.ok("mentors", "--json").json()[0]["institution"] == "Later"
    assert content(a.path) == content(b.path)


def _set_device(device: Device, ident: str) -> None:
    conn = sqlite3.connect(device.path)
    with conn:
        conn.execute("UPDATE sync_state SET device = ? WHERE id = 1", (ident,))
    conn.close()


def test_a_change_made_on_what_was_pulled_wins_within_the_same_second(devices: Callable[..., Device]) -> None:
    """CI found this: a device's edit of a field it had pulled lost to that field's first-sync
    clock when both fell in one second and the other device's id was larger (the race of
    test_two_devices_syncing_at_once_are_serialised, pinned here with a frozen clock)."""
    a, b = devices("a"), devices("b")
    with time_machine.travel("2026-12-07 10:00:00Z", tick=False):
        a.ok("add-mentor", "Rosa Martinez", "--tag", "sepsis")
        b.ok("add-mentor", "Henri Dubois")
        _set_device(a, "ffffffff-0000-4000-8000-000000000000")  # a's clocks win every tie
        _set_device(b, "00000000-0000-4000-8000-000000000000")
        a.sync()
        b.sync()
        a.ok("edit", "Rosa", "--institution", "UW")
        b.ok("edit", "Rosa", "--location", "Seattle", "--remove-tag", "sepsis")
        a.sync()
        result = b.sync()
        a.sync()
    assert result["resolved"] == []  # b changed what it had pulled: nothing was concurrent
    for device in (a, b):
        rosa = next(m for m in device.ok("mentors", "--json").json() if m["name"] == "Rosa Martinez")
        assert (rosa["institution"], rosa["location"], rosa["tags"]) == ("UW", "Seattle", [])
    assert content(a.path) == content(b.path)


def _two_devices_one_id_larger(devices: Callable[..., Device], larger: str, at: str) -> tuple[Device, Device]:
    """Devices a (Rosa Martinez) and b (Henri Dubois), synced with each other at `at`, whose ids
    are fixed so that `larger` has the larger one."""
    a, b = devices("a"), devices("b")
    with time_machine.travel(at, tick=False):
        a.ok("add-mentor", "Rosa Martinez")
        b.ok("add-mentor", "Henri Dubois")
        high, low = "ffffffff-0000-4000-8000-000000000000", "00000000-0000-4000-8000-000000000000"
        _set_device(a, high if larger == "a" else low)
        _set_device(b, low if larger == "a" else high)
        a.sync()
        b.sync()
        a.sync()
    return a, b


def _rosas_institution(device: Device) -> str | None:
    return next(m for m in device.ok("mentors", "--json").json() if m["name"] == "Rosa Martinez")["institution"]


@pytest.mark.parametrize("larger", ["a", "b"])
def test_concurrent_changes_in_one_second_go_to_the_larger_device_id(
    devices: Callable[..., Device], larger: str
) -> None:
    """docs/sync.md: of two concurrent changes of a field the later instant wins; ties, the larger
    device id (whichever device pushes first)."""
    a, b = _two_devices_one_id_larger(devices, larger, "2026-12-07 10:00:00Z")
    with time_machine.travel("2026-12-07 11:00:00Z", tick=False):
        a.ok("edit", "Rosa", "--institution", "UW")
        b.ok("edit", "Rosa", "--institution", "Karolinska")
        a.sync()
        b.sync()
        a.sync()
    for device in (a, b):
        assert _rosas_institution(device) == ("UW" if larger == "a" else "Karolinska")
    assert content(a.path) == content(b.path)


@pytest.mark.parametrize("larger", ["a", "b"])
def test_the_later_instant_wins_whichever_device_id_is_larger(devices: Callable[..., Device], larger: str) -> None:
    """docs/sync.md: of two concurrent changes of a field the later instant wins; the device id
    only breaks a tie. (Device ids are random: with its own ids a test would hold this only when
    they happened to fall one way.)"""
    a, b = _two_devices_one_id_larger(devices, larger, "2026-12-07 09:00:00Z")
    with time_machine.travel("2026-12-07 10:00:00Z", tick=False):
        a.ok("edit", "Rosa", "--institution", "UW")
    with time_machine.travel("2026-12-07 11:00:00Z", tick=False):
        b.ok("edit", "Rosa", "--institution", "Karolinska")
    with time_machine.travel("2026-12-07 12:00:00Z", tick=False):
        b.sync()
        a.sync()
        b.sync()
    for device in (a, b):
        assert _rosas_institution(device) == "Karolinska", larger
    assert content(a.path) == content(b.path)


def test_one_profile_made_on_two_devices_keeps_the_later_change_of_each_field(
    devices: Callable[..., Device],
) -> None:
    """docs/sync.md: the same record made on two devices before they first synced becomes one; between
    two edited ones the later change wins per field (a first sync clocks each field with the
    record's updated_at)."""
    a, b = devices("a"), devices("b")
    with time_machine.travel("2026-12-07 09:00:00Z", tick=False):
        a.ok("profile", "set", "--name", "Maya")
    with time_machine.travel("2026-12-07 09:30:00Z", tick=False):
        b.ok("profile", "set", "--name", "Maya Rao")
    with time_machine.travel("2026-12-07 10:00:00Z", tick=False):
        a.ok("profile", "set", "--role", "Assistant Professor")
    with time_machine.travel("2026-12-07 11:00:00Z", tick=False):
        b.ok("profile", "set", "--role", "Associate Professor")
    with time_machine.travel("2026-12-07 12:00:00Z", tick=False):
        a.sync()
        b.sync()
        a.sync()
    for device in (a, b):
        profile = device.ok("profile", "show", "--json").json()
        assert (profile["name"], profile["role"]) == ("Maya Rao", "Associate Professor")
    assert content(a.path) == content(b.path)


def test_a_delete_against_a_concurrent_edit_keeps_the_record_and_says_so(devices: Callable[..., Device]) -> None:
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.ok("followup", "add", "Rosa", "send the aims page")
    a.sync()
    b.sync()
    a.ok("followup", "delete", "1")
    b.ok("followup", "edit", "1", "--text", "send the revised aims page")
    b.sync()
    result = a.run("sync", a.url)
    assert result.exit_code == 0
    assert "kept" in result.stderr and "follow-up" in result.stderr
    b.sync()
    for device in (a, b):
        items = [f["what"] for f in device.ok("followups", "--all", "--json").json() if f["kind"] == "action"]
        assert items == ["send the revised aims page (#1)"], items
    assert content(a.path) == content(b.path)


def test_an_edit_pushed_after_a_concurrent_delete_brings_the_record_back_and_says_so(
    devices: Callable[..., Device],
) -> None:
    """docs/sync.md: a delete against a concurrent edit keeps the edited record, and sync says so;
    here the delete reaches the hub first and the edit after it."""
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.ok("followup", "add", "Rosa", "send the aims page")
    a.sync()
    b.sync()
    a.ok("followup", "delete", "1")
    b.ok("followup", "edit", "1", "--text", "send the revised aims page")
    assert a.sync()["resolved"] == []  # the delete simply travels: nobody had changed the record
    result = b.sync()
    assert [r["what"] for r in result["resolved"]] == ["kept: edited here, deleted on another device"]
    assert result["resolved"][0]["record"].startswith("follow-up")
    a.sync()
    for device in (a, b):
        items = [f["what"] for f in device.ok("followups", "--all", "--json").json() if f["kind"] == "action"]
        assert items == ["send the revised aims page (#1)"], items
    assert content(a.path) == content(b.path)


def test_a_delete_seen_by_nobody_else_travels(devices: Callable[..., Device]) -> None:
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.ok("add-mentor", "Henri Dubois")
    a.sync()
    b.sync()
    b.ok("delete", "Henri", "--yes")
    b.sync()
    assert a.sync()["pulled"]["mentor"] == 1
    assert [m["name"] for m in a.ok("mentors", "--json").json()] == ["Rosa Martinez"]
    assert content(a.path) == content(b.path)


def test_a_delete_of_a_record_whose_edit_was_pulled_travels(devices: Callable[..., Device]) -> None:
    """An edit this device had pulled is not concurrent with its delete (docs/sync.md): the delete
    wins even when that edit is the hub's latest change."""
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.ok("followup", "add", "Rosa", "send the aims page")
    a.sync()
    b.sync()
    b.ok("followup", "edit", "1", "--text", "send the revised aims page")
    b.sync()
    a.sync()
    a.ok("followup", "delete", "1")
    assert a.sync()["resolved"] == []
    b.sync()
    for device in (a, b):
        assert [f for f in device.ok("followups", "--all", "--json").json() if f["kind"] == "action"] == []
    assert content(a.path) == content(b.path)


def test_first_sync_of_two_stores_with_data_merges_them(devices: Callable[..., Device], ready_hub: Hub) -> None:
    a, b = devices("a"), devices("b")
    a.ok("profile", "set", "--name", "Maya", "--timezone", "Europe/Paris")
    a.ok("add-mentor", "Rosa Martinez", "--arena", "research")
    a.ok("arena", "add", "teaching")
    b.ok("add-mentor", "Henri Dubois", "--arena", "career")
    b.ok("arena", "add", "Teaching", "--description", "lectures")
    a.sync()
    b.sync()
    a.sync()
    assert content(a.path) == content(b.path)
    arenas = sorted(x["name"].lower() for x in a.ok("arenas", "--json").json())
    assert arenas == ["career", "personal", "research", "teaching"]  # one of each, matched by name
    names = sorted(m["name"] for m in b.ok("mentors", "--json").json())
    assert names == ["Henri Dubois", "Rosa Martinez"]
    assert b.ok("profile", "show", "--json").json()["name"] == "Maya"
    with ready_hub.connect("alice") as conn:  # the folded arenas' links point at the arena kept, and only there
        stale = conn.execute(
            "SELECT l.arena_uuid FROM mentorkit.mentor_arena l JOIN mentorkit.arena x ON x.uuid = l.arena_uuid "
            "WHERE NOT l.deleted AND x.deleted"
        ).fetchall()
    assert stale == []


def test_of_one_record_made_on_two_devices_and_never_edited_the_first_made_is_kept(
    devices: Callable[..., Device],
) -> None:
    """docs/sync.md: an arena of the same name made on two devices becomes one; when neither was
    edited after it was made, the one made first is kept as it was."""
    a, b = devices("a"), devices("b")
    with time_machine.travel("2026-12-07 09:00:00Z", tick=False):
        a.ok("arena", "add", "teaching")
    with time_machine.travel("2026-12-07 10:00:00Z", tick=False):
        b.ok("arena", "add", "Teaching", "--description", "lectures")
    with time_machine.travel("2026-12-07 12:00:00Z", tick=False):
        a.sync()
        b.sync()
        a.sync()
    for device in (a, b):
        arena = next(x for x in device.ok("arenas", "--json").json() if x["name"].lower() == "teaching")
        assert (arena["name"], arena["description"]) == ("teaching", None)
    assert content(a.path) == content(b.path)


@pytest.mark.parametrize("first", ["the delete", "the meeting"])
def test_a_mentor_deleted_on_one_device_comes_back_for_a_meeting_logged_on_the_other(
    devices: Callable[..., Device], first: str
) -> None:
    """docs/sync.md: a record that a live record still names is kept (a meeting logged on one device
    with a mentor deleted on the other brings the mentor back), whichever reaches the hub first."""
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.ok("add-mentor", "Henri Dubois")
    a.sync()
    b.sync()
    a.sync()
    a.ok("delete", "Henri", "--yes")
    b.ok("log", "Henri", "--when", "2026-12-01 10:00", "--notes", "talked about the renewal")
    if first == "the delete":
        a.sync()
        result = b.sync()
    else:
        b.sync()
        result = a.sync()
    assert [r["what"] for r in result["resolved"]] == ["kept: another record still names it"]
    a.sync()
    b.sync()
    for device in (a, b):
        assert sorted(m["name"] for m in device.ok("mentors", "--json").json()) == ["Henri Dubois", "Rosa Martinez"]
        assert [m["notes"] for m in device.ok("meetings", "--json").json()] == ["talked about the renewal"]
    assert content(a.path) == content(b.path)


def test_what_a_kept_record_names_is_kept_in_turn(devices: Callable[..., Device]) -> None:
    """docs/sync.md: a record a live record names is kept, and so is what that one names: a
    milestone added on one device to a goal whose arena was deleted on the other brings back the
    goal and its arena."""
    a, b = devices("a"), devices("b")
    a.ok("arena", "add", "teaching")
    a.ok("goal", "add", "teaching", "Teach a course")
    a.sync()
    b.sync()
    a.sync()
    a.ok("arena", "delete", "teaching")
    a.sync()
    goal = b.ok("goals", "--json").json()[0]["id"]
    b.ok("goal", "milestone", "add", str(goal), "Syllabus", "--by", "2027-01-15")
    result = b.sync()
    assert sorted(r["record"].split()[0] for r in result["resolved"]) == ["arena", "goal"]
    a.sync()
    for device in (a, b):
        goals = device.ok("goals", "--json").json()
        assert [g["text"] for g in goals] == ["Teach a course"]
        assert "teaching" in [x["name"] for x in device.ok("arenas", "--json").json()]
    assert content(a.path) == content(b.path)


def test_links_moved_by_a_merge_travel(devices: Callable[..., Device]) -> None:
    """A merge moves the duplicate's arenas to the mentor kept (docs/mentors.md); the other device
    gets the moved links, not the old ones."""
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez", "--arena", "research")
    a.ok("add-mentor", "R. Martinez", "--arena", "career")
    a.sync()
    b.sync()
    a.sync()
    a.ok("merge", "R. Martinez", "--into", "Rosa Martinez")
    a.sync()
    b.sync()
    for device in (a, b):
        (rosa,) = device.ok("mentors", "--json").json()
        assert sorted(rosa["arenas"]) == ["career", "research"]
    assert content(a.path) == content(b.path)


def test_a_link_removed_later_stays_removed_against_an_earlier_addition(devices: Callable[..., Device]) -> None:
    """docs/sync.md: links (a mentor's arenas) are present or not, and the later change wins, even
    when the earlier one reaches the hub last."""
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez", "--arena", "research")
    a.sync()
    b.sync()
    a.sync()
    with time_machine.travel("2026-12-07 10:00:00Z", tick=False):
        b.ok("edit", "Rosa", "--remove-arena", "research")
    with time_machine.travel("2026-12-07 10:30:00Z", tick=False):
        b.ok("edit", "Rosa", "--arena", "research")
    with time_machine.travel("2026-12-07 11:00:00Z", tick=False):
        a.ok("edit", "Rosa", "--remove-arena", "research")
    a.sync()
    b.sync()
    a.sync()
    for device in (a, b):
        assert device.ok("mentors", "--json").json()[0]["arenas"] == []
    assert content(a.path) == content(b.path)


def test_a_pulled_change_can_be_undone_and_the_undo_is_pushed(devices: Callable[..., Device]) -> None:
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.sync()
    b.sync()
    with time_machine.travel("2026-12-07 10:00:00Z", tick=False):
        a.ok("stage", "Rosa", "active")
    a.sync()
    b.sync()
    assert b.ok("mentors", "--json").json()[0]["stage"] == "active"
    assert b.ok("history", "--json").json()[0]["command"] == "sync"
    with time_machine.travel("2026-12-07 10:05:00Z", tick=False):
        b.ok("undo")
    assert b.ok("mentors", "--json").json()[0]["stage"] == "prospect"
    b.sync()
    a.sync()
    assert a.ok("mentors", "--json").json()[0]["stage"] == "prospect"
    assert content(a.path) == content(b.path)


def test_two_people_on_one_hub_never_see_each_other(devices: Callable[..., Device]) -> None:
    alice, bob = devices("alice", "alice"), devices("bob", "bob")
    alice.ok("add-mentor", "Rosa Martinez")
    alice.sync()
    bob.ok("add-mentor", "Henri Dubois")
    result = bob.sync()
    assert result["pulled"] == {}
    assert [m["name"] for m in bob.ok("mentors", "--json").json()] == ["Henri Dubois"]


def test_sync_prints_what_it_pushed_and_pulled(devices: Callable[..., Device]) -> None:
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    done = a.run("sync", a.url)
    assert done.exit_code == 0 and done.stdout == ""
    assert "First sync with the hub alice@127.0.0.1" in done.stderr and "pushed" in done.stderr
    assert PASSWORD not in done.stderr
    assert "pulled 1 record" not in done.stderr
    text = b.run("sync", b.url).stderr
    assert "pulled" in text and "mentor" in text
    json.loads(b.ok("sync", b.url, "--json").stdout)


def test_the_url_comes_from_the_environment_or_the_config_file(
    devices: Callable[..., Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    a = devices("a")
    a.ok("add-mentor", "Rosa Martinez")
    monkeypatch.setenv("MENTORKIT_SYNC_URL", a.url)
    assert a.ok("sync", "--json").json()["pushed"]["mentor"] == 1
    monkeypatch.delenv("MENTORKIT_SYNC_URL")
    a.ok("config", "set", "sync.url", a.url)
    assert a.ok("sync", "--json").json()["first"] is False


def test_goals_milestones_roles_and_agreements_travel(devices: Callable[..., Device]) -> None:
    """Issue 19's records on the hub (revision h002): goals with milestones and mentors, roles,
    an agreement, and the goal a meeting serves; two devices' agreements with one mentor are one."""
    laptop, desktop = devices("laptop"), devices("desktop")
    laptop.ok("add-mentor", "Rosa Martinez", "--arena", "research", "--stage", "active", "--role", "sponsor")
    laptop.ok("goal", "add", "research", "Resubmit the R01", "--by", "2027-06-30", "--mentor", "Rosa")
    laptop.ok("goal", "add", "research", "A second paper")
    laptop.ok("goal", "milestone", "add", "1", "Aims page", "--by", "2027-01-15")
    laptop.ok("log", "Rosa", "--when", "2026-12-01 10:00", "--goal", "1")
    laptop.ok("agreement", "set", "Rosa", "--agreed-on", "2026-12-01", "--text", "Monthly calls.")
    pushed = laptop.sync()["pushed"]
    assert (pushed["goal"], pushed["milestone"], pushed["goal_mentor"], pushed["agreement"]) == (2, 1, 1, 1)
    desktop.sync()
    laptop.sync()
    assert content(laptop.path) == content(desktop.path)
    goals = desktop.ok("goals", "--json").json()
    assert [g["text"] for g in goals] == ["Resubmit the R01", "A second paper"]  # two goals in one arena
    assert [m["name"] for m in goals[0]["mentors"]] == ["Rosa Martinez"]
    assert desktop.ok("goal", "show", "1", "--json").json()["served"]["meetings"] == 1
    assert desktop.ok("agreement", "show", "Rosa", "--json").json()["text"] == "Monthly calls."
    desktop.ok("goal", "milestone", "done", "1")
    desktop.sync()
    laptop.sync()
    assert laptop.ok("goal", "show", "1", "--json").json()["milestones"][0]["done_at"] is not None
