"""The sync rules of docs/sync.md at their edges, through the real CLI and a real PostgreSQL hub
(tests/pg_helpers.py). Most were found by mutation testing of `sync/local.py`, `sync/engine.py`
and `sync/remote.py` (docs/testing.md): each is a rule the page states that no test held yet."""

from __future__ import annotations

from collections.abc import Callable

from sync_helpers import Device, content


def test_a_deleted_mentor_with_arenas_and_tags_stays_deleted(devices: Callable[..., Device]) -> None:
    """A delete nobody else changed travels, and links (a mentor's arenas and tags) are present or
    not: the mentor's links go with it, so no live link is left on the hub to name the mentor
    and bring it back ("a record that a live record still names" is kept)."""
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.ok("add-mentor", "Henri Dubois", "--arena", "research", "--tag", "R01")
    a.sync()
    b.sync()
    a.sync()
    a.ok("delete", "Henri", "--yes")
    a.ok("edit", "Rosa", "--institution", "UW")  # another mentor changed in the same push
    assert a.sync()["resolved"] == []
    b.sync()
    a.sync()
    for device in (a, b):
        assert [(m["name"], m["institution"]) for m in device.ok("mentors", "--json").json()] == [
            ("Rosa Martinez", "UW")
        ]
    assert content(a.path) == content(b.path)


def test_sync_says_how_many_records_of_each_kind_it_pushed_and_pulled(devices: Callable[..., Device]) -> None:
    """docs/sync.md's line: `Synced with the hub HUB: pushed 3 records (2 meeting, 1 follow-up),
    pulled 1 record (1 mentor).`, and nothing when there is nothing."""
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.sync()
    b.sync()
    hub = a.sync()["hub"]
    a.ok("log", "Rosa", "--when", "2026-12-01 10:00", "--followup", "send the aims page")
    a.ok("log", "Rosa", "--when", "2026-12-02 10:00")
    assert a.run("sync", a.url).stderr.splitlines() == [
        f"Synced with the hub {hub}: pushed 3 records (2 meeting, 1 follow-up), pulled nothing."
    ]
    b.ok("edit", "Rosa", "--institution", "UW")
    assert b.run("sync", b.url).stderr.splitlines() == [
        f"Synced with the hub {hub}: pushed 1 record (1 mentor), pulled 3 records (2 meeting, 1 follow-up)."
    ]
    assert a.run("sync", a.url).stderr.splitlines() == [
        f"Synced with the hub {hub}: pushed nothing, pulled 1 record (1 mentor)."
    ]


def test_a_pull_counts_the_records_added_changed_and_deleted_here(devices: Callable[..., Device]) -> None:
    """`pulled` counts each record the pull added, changed or deleted on this device."""
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.ok("followup", "add", "Rosa", "send the aims page")
    a.ok("followup", "add", "Rosa", "book the room")
    a.sync()
    b.sync()
    a.ok("followup", "done", "1")
    a.ok("followup", "delete", "2")
    a.sync()
    assert b.sync()["pulled"] == {"followup": 2}
    a.ok("followup", "add", "Rosa", "draft the budget")
    a.sync()
    assert b.sync()["pulled"] == {"followup": 1}
    assert content(a.path) == content(b.path)


def _followup_id(device: Device, text: str) -> int:
    (found,) = [
        f["followup_id"] for f in device.ok("followups", "--all", "--json").json() if f["what"].startswith(f"{text} (#")
    ]
    return int(found)


def test_a_resolved_record_is_named_by_its_number_on_this_device(devices: Callable[..., Device]) -> None:
    """docs/sync.md: `Resolved: follow-up #12 — kept: changed on another device, deleted here.`"""
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    for text in ("send the aims page", "book the room", "draft the budget"):
        a.ok("followup", "add", "Rosa", text)
    a.sync()
    b.sync()
    a.ok("followup", "delete", "2")
    b.ok("followup", "edit", str(_followup_id(b, "book the room")), "--text", "book the big room")
    b.sync()
    lines = a.run("sync", a.url).stderr.splitlines()
    assert lines[1:] == [
        f"Resolved: follow-up #{_followup_id(a, 'book the big room')} — kept: changed on another device, deleted here."
    ]


def test_the_first_change_of_a_store_made_after_its_first_sync_travels(devices: Callable[..., Device]) -> None:
    """docs/sync.md: after the first sync, a sync pushes the records the change journal shows
    changed since the last push; a store whose first sync found nothing to pull has journaled
    nothing before, and its very first change travels too."""
    a, b = devices("a"), devices("b")
    a.sync()
    a.ok("add-mentor", "Rosa Martinez")
    assert a.sync()["pushed"]["mentor"] == 1
    b.sync()
    assert [m["name"] for m in b.ok("mentors", "--json").json()] == ["Rosa Martinez"]


def test_a_new_device_s_first_sync_brings_every_record_of_the_hub(devices: Callable[..., Device]) -> None:
    """docs/sync.md: a first sync pushes every record and pulls what the other devices changed:
    a device new to a hub gets every record there, the very first one the hub took included
    (here the laptop's `research` arena, which the desktop, having removed its own, lacks)."""
    laptop, desktop = devices("laptop"), devices("desktop")
    laptop.ok("add-mentor", "Rosa Martinez", "--arena", "research")
    desktop.ok("arena", "delete", "research")
    laptop.sync()
    desktop.sync()
    assert sorted(x["name"] for x in desktop.ok("arenas", "--json").json()) == ["career", "personal", "research"]
    assert desktop.ok("mentors", "--json").json()[0]["arenas"] == ["research"]
    laptop.sync()
    assert content(laptop.path) == content(desktop.path)


def test_a_record_made_and_deleted_between_two_syncs_goes_nowhere(devices: Callable[..., Device]) -> None:
    """docs/sync.md: a sync pushes what changed since the last push; a follow-up added and deleted
    in between is nothing to push, and the sync goes through."""
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.sync()
    b.sync()
    a.ok("followup", "add", "Rosa", "send the aims page")
    a.ok("followup", "delete", "1")
    assert a.sync()["resolved"] == []
    b.sync()
    for device in (a, b):
        assert device.ok("followups", "--all", "--json").json() == []
    assert content(a.path) == content(b.path)


def test_a_record_deleted_on_both_devices_is_nothing_to_resolve(devices: Callable[..., Device]) -> None:
    """docs/sync.md: only a delete against a concurrent edit keeps the record and says so; the same
    record deleted on two devices is simply gone."""
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.ok("followup", "add", "Rosa", "send the aims page")
    a.sync()
    b.sync()
    a.ok("followup", "delete", "1")
    b.ok("followup", "delete", "1")
    assert a.sync()["resolved"] == []
    assert b.sync()["resolved"] == []
    a.sync()
    for device in (a, b):
        assert device.ok("followups", "--all", "--json").json() == []
    assert content(a.path) == content(b.path)
