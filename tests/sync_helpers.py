"""Devices for the sync tests: each its own store, running the real CLI, and what they must agree on."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from conftest import Result, invoke
from mentorkit.store.journal import journaled_tables
from pg_helpers import PASSWORD


class Device:
    """One device: its own store, running the real CLI."""

    def __init__(self, path: Path, url: str) -> None:
        self.path = path
        self.url = url

    def run(self, *args: str, input: str | None = None) -> Result:
        return invoke("--db", str(self.path), *args, input=input)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    def sync(self) -> dict[str, Any]:
        result = self.ok("sync", self.url, "--json")
        assert PASSWORD not in result.stdout + result.stderr
        return result.json()  # type: ignore[no-any-return]


def content(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every record table, links resolved to uuids and without local ids: what must converge."""
    conn = sqlite3.connect(path)
    try:
        uuid_of: dict[tuple[str, int], str] = {}
        tables = journaled_tables(conn)
        for table in tables:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            if "uuid" in cols:
                for rowid, uid in conn.execute(f'SELECT id, uuid FROM "{table}"'):
                    uuid_of[(table, rowid)] = uid
        out = {}
        for table in tables:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            refs = {r[3]: r[2] for r in conn.execute(f'PRAGMA foreign_key_list("{table}")')}
            rows = []
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                rows.append(
                    tuple(
                        uuid_of.get((refs[c], v), v) if c in refs and v is not None else v
                        for c, v in zip(cols, row, strict=True)
                        if c != "id"
                    )
                )
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()
