"""Three replicas of one person's board, making random edits, deletes, merges and undos and
syncing in random order at random points, always converge to identical content (every record
table, every column), and every field ends with the value of the latest change made to it.

Each step runs at its own second (a clock that only moves forward), so "latest" is well defined:
the final value of a field is the one set by the local change (any command but `sync`) with the
latest instant, across the three devices' journals.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from conftest import Hub, invoke
from pg_helpers import OWNER, PEOPLE
from sync_helpers import content

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
WATCHED = {"mentor": ("institution", "notes"), "followup": ("text", "status")}


def latest_local_values(paths: list[Path]) -> dict[tuple[str, str, str], Any]:
    """(table, uuid, field) -> the value of the latest local change of that field on any device
    (any command but `sync`), for fields whose record was not (re)inserted after that change
    (an insert journals no values: an `undo` of a delete brings back the old row)."""
    best: dict[tuple[str, str, str], tuple[str, int, Any]] = {}
    inserted: dict[tuple[str, str], str] = {}
    for n, path in enumerate(paths):
        conn = sqlite3.connect(path)
        try:
            for made_at, table, uid, op, new in conn.execute(
                "SELECT s.made_at, c.tbl, c.record_uuid, c.op, c.new FROM change c JOIN change_step s "
                "ON s.id = c.step_id WHERE s.command != 'sync' AND c.tbl IN ('mentor', 'followup')"
            ):
                if op == "insert":
                    inserted[(table, uid)] = max(made_at, inserted.get((table, uid), ""))
                elif op == "update":
                    for field, value in json.loads(new).items():
                        key = (table, uid, field)
                        if field in WATCHED[table] and (key not in best or (made_at, n) > best[key][:2]):
                            best[key] = (made_at, n, value)
        finally:
            conn.close()
    return {k: v[2] for k, v in best.items() if v[0] > inserted.get(k[:2], "")}


class ThreeReplicas(RuleBasedStateMachine):
    hub: Hub
    root: Path
    runs = 0

    def __init__(self) -> None:
        super().__init__()
        ThreeReplicas.runs += 1
        dbname = self.hub.server.new_database()
        self.url = self.hub.server.url("alice", dbname)
        from mentorkit.sync.init import init_hub

        init_hub(self.hub.server.url(OWNER, dbname))
        with self.hub.server.admin() as conn:
            conn.execute(f"GRANT mentorkit_users TO {', '.join(PEOPLE)}")
        self.paths = [self.root / f"run{self.runs}" / f"d{n}" / "mentorkit.db" for n in range(3)]
        self.tick = 0
        self.names = 0

    def run(self, device: int, *args: str) -> Any:
        self.tick += 1
        with time_machine.travel(START + timedelta(seconds=self.tick), tick=False):
            result = invoke("--db", str(self.paths[device]), *args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        return result

    def mentors(self, device: int) -> list[str]:
        result = invoke("--db", str(self.paths[device]), "mentors", "--json")
        return [m["name"] for m in result.json()] if result.exit_code == 0 else []

    def followups(self, device: int) -> list[int]:
        result = invoke("--db", str(self.paths[device]), "followups", "--all", "--json")
        if result.exit_code != 0:
            return []
        return [f["followup_id"] for f in result.json() if f.get("followup_id")]

    devices = st.integers(0, 2)

    @rule(device=devices)
    def add_mentor(self, device: int) -> None:
        self.names += 1
        self.run(device, "add-mentor", f"Person {self.names:02d}")

    @rule(device=devices, data=st.data(), field=st.sampled_from(["--institution", "--note"]))
    def edit_mentor(self, device: int, data: st.DataObject, field: str) -> None:
        names = self.mentors(device)
        if names:
            name = data.draw(st.sampled_from(names))
            self.run(device, "edit", name, field, f"{field[2:]} set at {self.tick}")

    @rule(device=devices, data=st.data())
    def add_followup(self, device: int, data: st.DataObject) -> None:
        names = self.mentors(device)
        if names:
            self.run(device, "followup", "add", data.draw(st.sampled_from(names)), f"task {self.tick}")

    @rule(device=devices, data=st.data(), action=st.sampled_from(["edit", "done", "delete", "reopen"]))
    def change_followup(self, device: int, data: st.DataObject, action: str) -> None:
        ids = self.followups(device)
        if ids:
            target = str(data.draw(st.sampled_from(ids)))
            extra = ["--text", f"task edited at {self.tick}"] if action == "edit" else []
            self.run(device, "followup", action, target, *extra)

    @rule(device=devices, data=st.data())
    def delete_mentor(self, device: int, data: st.DataObject) -> None:
        names = self.mentors(device)
        if names:
            self.run(device, "delete", data.draw(st.sampled_from(names)), "--yes")

    @rule(device=devices, data=st.data())
    def merge_mentors(self, device: int, data: st.DataObject) -> None:
        names = self.mentors(device)
        if len(names) >= 2:
            pair = data.draw(st.lists(st.sampled_from(names), min_size=2, max_size=2, unique=True))
            self.run(device, "merge", pair[0], "--into", pair[1])

    @rule(device=devices)
    def undo(self, device: int) -> None:
        self.run(device, "undo")

    @rule(device=devices)
    def sync(self, device: int) -> None:
        result = self.run(device, "sync", self.url, "--json")
        assert result.exit_code == 0, result.stderr

    @invariant()
    def stores_are_sound(self) -> None:
        for path in self.paths:
            if path.exists():
                conn = sqlite3.connect(path)
                try:
                    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
                finally:
                    conn.close()

    def teardown(self) -> None:
        for device in (0, 1, 2, 0, 1):
            self.sync(device)
        first = content(self.paths[0])
        for path in self.paths[1:]:
            assert content(path) == first
        latest = latest_local_values(self.paths)
        conn = sqlite3.connect(self.paths[0])
        try:
            for (table, uid, field), value in latest.items():
                row = conn.execute(f'SELECT "{field}" FROM {table} WHERE uuid = ?', (uid,)).fetchone()
                if row is not None:
                    assert row[0] == value, (table, field, row[0], value)
        finally:
            conn.close()


@pytest.mark.slow
def test_three_replicas_converge_and_the_later_change_wins(ready_hub: Hub, tmp_path: Path) -> None:
    ThreeReplicas.hub = ready_hub
    ThreeReplicas.root = tmp_path
    run_state_machine_as_test(
        ThreeReplicas,
        settings=settings(
            max_examples=6,
            stateful_step_count=25,
            deadline=None,
            phases=(Phase.explicit, Phase.reuse, Phase.generate),  # a shrink takes minutes per step
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
