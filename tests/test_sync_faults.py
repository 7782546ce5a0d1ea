"""Faults during a sync: kill -9 at each point of it (both sides stay consistent, the rerun
completes, nothing doubles), the server stopped mid-sync (one clear line, the store unchanged),
and two devices syncing at the same moment (serialised by the hub, never interleaved)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Hub
from mentorkit.sync.engine import FAULT_ENV
from pg_helpers import PASSWORD
from sync_helpers import Device, content


def spawn(device: Device, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    environment = {**os.environ, **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "mentorkit", "--db", str(device.path), *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def journal_steps(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, command FROM change_step ORDER BY id").fetchall()
    finally:
        conn.close()


def hub_rows(hub: Hub, table: str) -> list[tuple[Any, ...]]:
    with hub.connect("alice") as conn:
        return conn.execute(f"SELECT uuid, deleted FROM mentorkit.{table} ORDER BY uuid").fetchall()


def hub_versions(hub: Hub) -> dict[tuple[str, str], int]:
    """(table, uuid) -> the hub position of the row's last change (`seq`), for the records of the test."""
    with hub.connect("alice") as conn:
        return {
            (table, uid): seq
            for table in ("mentor", "meeting", "followup")
            for uid, seq in conn.execute(f"SELECT uuid, seq FROM mentorkit.{table}").fetchall()
        }


@pytest.mark.parametrize("point", ["hub-open", "before-hub-commit", "before-local-commit"])
def test_kill_9_at_each_point_of_a_sync_then_the_rerun_completes_without_duplicates(
    point: str, devices: Callable[..., Device], ready_hub: Hub
) -> None:
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.ok("followup", "add", "Rosa", "send the aims page")
    a.sync()
    b.sync()
    b.ok("add-mentor", "Henri Dubois")
    a.ok("followup", "done", "1")
    a.ok("log", "Rosa", "--notes", "talked about aims")
    before = content(a.path)
    steps = journal_steps(a.path)
    killed = spawn(a, "sync", a.url, env={FAULT_ENV: point})
    killed.communicate(timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert content(a.path) == before and journal_steps(a.path) == steps  # the store as it was
    meetings = hub_rows(ready_hub, "meeting")
    assert len(meetings) == (1 if point == "before-local-commit" else 0)  # the hub: all or nothing
    hub_before = hub_versions(ready_hub)
    rerun = a.sync()  # the rerun completes (pushing again what the hub has is harmless)
    if point == "before-local-commit":  # docs/sync.md: the hub recognises the changes and leaves them alone
        assert rerun["pushed"] == {} and hub_versions(ready_hub) == hub_before
    b.sync()
    a.sync()
    assert content(a.path) == content(b.path)
    assert len(hub_rows(ready_hub, "meeting")) == 1 and len(hub_rows(ready_hub, "mentor")) == 2
    assert sorted(m["name"] for m in a.ok("mentors", "--json").json()) == ["Henri Dubois", "Rosa Martinez"]
    assert len(a.ok("meetings", "--json").json()) == 1


def test_kill_9_at_random_moments_of_a_first_sync(devices: Callable[..., Device], ready_hub: Hub) -> None:
    a, b = devices("a"), devices("b")
    a.ok("demo")
    expected = content(a.path)
    for delay in (0.3, 0.6, 0.9, 1.2):
        run = spawn(a, "sync", a.url)
        time.sleep(delay)
        run.send_signal(signal.SIGKILL)
        run.communicate(timeout=60)
        assert content(a.path) == expected  # killed or finished, never half-applied
    a.sync()
    b.sync()
    a.sync()  # b's default arenas were folded into a's
    assert content(b.path) == content(a.path)
    with ready_hub.connect("alice") as conn:  # each record once on the hub
        dupes = conn.execute("SELECT uuid FROM mentorkit.meeting GROUP BY uuid HAVING count(*) > 1").fetchall()
    assert dupes == []


def test_the_server_stopped_mid_sync_is_one_line_and_the_store_is_unchanged(
    devices: Callable[..., Device], ready_hub: Hub
) -> None:
    a = devices("a")
    a.ok("add-mentor", "Rosa Martinez")
    a.sync()
    a.ok("add-mentor", "Henri Dubois")
    before, steps = content(a.path), journal_steps(a.path)
    holder = ready_hub.connect("alice")  # the sync waits for this lock, mid-way
    holder.execute("BEGIN")
    holder.execute("SELECT pg_advisory_xact_lock(hashtext('alice'))")
    run = spawn(a, "sync", a.url)
    time.sleep(1.5)
    assert run.poll() is None  # waiting on the hub
    ready_hub.server.stop("immediate")
    try:
        out, err = run.communicate(timeout=60)
    finally:
        holder.close()
        ready_hub.server.start()
    assert run.returncode == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the hub" in lines[0] and "nothing was changed" in lines[0], lines
    assert PASSWORD not in err and out == ""
    assert content(a.path) == before and journal_steps(a.path) == steps
    a.sync()  # and once the server is back, the sync completes
    assert [r[1] for r in hub_rows(ready_hub, "mentor")] == [False, False]


def test_two_devices_syncing_at_once_are_serialised(devices: Callable[..., Device], ready_hub: Hub) -> None:
    a, b = devices("a"), devices("b")
    a.ok("add-mentor", "Rosa Martinez")
    a.sync()
    b.sync()
    for n in range(5):
        a.ok("followup", "add", "Rosa", f"a's task {n}")
        b.ok("followup", "add", "Rosa", f"b's task {n}")
    a.ok("edit", "Rosa", "--institution", "UW")
    b.ok("edit", "Rosa", "--location", "Seattle")
    holder = ready_hub.connect("alice")
    holder.execute("BEGIN")
    holder.execute("SELECT pg_advisory_xact_lock(hashtext('alice'))")
    runs = [spawn(a, "sync", a.url, "--json"), spawn(b, "sync", b.url, "--json")]
    time.sleep(1.5)
    assert [r.poll() for r in runs] == [None, None]  # both wait for the owner's lock
    holder.execute("COMMIT")
    holder.close()
    results = [r.communicate(timeout=60) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], results
    a.sync()
    b.sync()
    assert content(a.path) == content(b.path)
    rosa = a.ok("mentors", "--json").json()[0]
    assert (rosa["institution"], rosa["location"]) == ("UW", "Seattle")
    assert len([f for f in a.ok("followups", "--all", "--json").json() if f["kind"] == "action"]) == 10
