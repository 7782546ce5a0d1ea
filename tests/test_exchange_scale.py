"""Big files: batches, the bulk index path, progress totals; the 220k-record timing (slow, opt-in)."""

from __future__ import annotations

import io
import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from exchange_helpers import NOW, big_store, counts
from mentorkit.exchange import jsonio
from mentorkit.exchange.changes import ImportResult
from mentorkit.exchange.merge import merge
from mentorkit.store.db import open_store


def test_a_big_round_trip_with_progress_totals(tmp_path: Path) -> None:
    total = big_store(tmp_path / "a.db", mentors=150, meetings_each=40, followups_each=10)
    assert total > 7500
    seen: list[int] = []
    out = io.StringIO()
    with open_store(tmp_path / "a.db") as store, store.read() as conn:
        written = jsonio.export_json(conn, out, now=NOW, schema_version=2, progress=seen.append)
        records = jsonio.count_records(conn)
    assert sum(seen) == sum(written.values()) == records
    tables = jsonio.read_json(io.BytesIO(out.getvalue().encode("utf-8")), "big.json")
    seen.clear()
    with open_store(tmp_path / "b.db") as store, store.write() as conn:
        result = merge(conn, tables, ImportResult("json"), progress=seen.append)
    assert sum(seen) == records == result.total
    assert counts(tmp_path / "b.db") == counts(tmp_path / "a.db")
    with sqlite3.connect(tmp_path / "b.db") as conn:
        assert conn.execute("SELECT count(*) FROM search_index").fetchone()[0] == 150 * 50 + 150  # and the people
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    seen.clear()
    with open_store(tmp_path / "b.db") as store, store.write() as conn:
        again = merge(conn, tables, ImportResult("json"), progress=seen.append)
    assert not again.changed and sum(seen) == records


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from mentorkit.cli import data

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    with data._progress(50_000, "x") as advance:
        assert advance(10) is None  # a no-op
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    with data._progress(5000, "Real bar") as advance:  # the real Rich bar, on the CLI's stderr console
        advance(5000)
    calls: list[tuple[str, int]] = []

    class FakeProgress:
        def __init__(self, *args: object, **kwargs: object) -> None: ...
        def __enter__(self) -> FakeProgress:
            return self

        def __exit__(self, *exc: object) -> None: ...
        def add_task(self, label: str, total: int) -> str:
            calls.append((label, total))
            return "task"

        def advance(self, task: str, n: int) -> None:
            calls.append((task, n))

    import rich.progress

    monkeypatch.setattr(rich.progress, "Progress", FakeProgress)
    with data._progress(500, "small") as advance:
        advance(500)
    assert calls == []
    with data._progress(5000, "Importing") as advance:
        advance(2000)
    assert calls == [("Importing", 5000), ("task", 2000)]


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("MENTORKIT_SLOW"), reason="set MENTORKIT_SLOW=1 for the 220k-record timing")
def test_220k_records_import_within_budget(ok, tmp_path: Path) -> None:
    big_store(tmp_path / "a.db", mentors=2000, meetings_each=80, followups_each=30)
    export = tmp_path / "big.json"
    ok("--db", str(tmp_path / "a.db"), "export", "-f", "json", "-o", str(export))
    started = time.perf_counter()
    ok("--db", str(tmp_path / "b.db"), "import", str(export))
    elapsed = time.perf_counter() - started
    assert counts(tmp_path / "b.db") == counts(tmp_path / "a.db")
    assert elapsed < 20, f"import took {elapsed:.1f} s"
