"""Case 2: two processes writing at once, and a lock held past the busy timeout.

Writers wait for each other (busy timeout, BEGIN IMMEDIATE) instead of failing; when another
process holds the store longer than the timeout, the command says so in one line, exits 1, and
neither its write nor anyone else's is lost.
"""

from __future__ import annotations

import itertools
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reliability_helpers import (
    counts,
    distinct_when,
    env_for,
    fingerprint,
    integrity,
    mentorkit,
    query,
    read_report,
    release,
    start_worker,
    wait_ready,
)

PER_WRITER = 200


def _writer_commands(tag: str) -> list[list[str]]:
    """Alternating `log` and `followup add`, each record named so it can be found afterwards."""
    commands = []
    for n in range(PER_WRITER):
        if n % 2:
            commands.append(["followup", "add", "Ada", f"{tag}-followup-{n}", "--due", "in 3 days"])
        else:
            when = distinct_when(("AB".index(tag)) * 10_000 + n)
            commands.append(["log", "Ada", "--mode", "email", "--when", when, "--notes", f"{tag}-log-{n}"])
    return commands


@pytest.fixture
def store_with_ada(tmp_path: Path) -> Path:
    db = tmp_path / "busy" / "mentorkit.db"
    made = mentorkit(db, "add-mentor", "Ada Lovelace", "--timezone", "Europe/London")
    assert made.returncode == 0, made.stderr
    return db


def test_two_writers_at_once_lose_nothing(store_with_ada: Path, tmp_path: Path) -> None:
    db = store_with_ada
    workers = [start_worker(db, _writer_commands(tag), tmp_path, name=tag, hold=True) for tag in ("A", "B")]
    for proc, log in workers:
        wait_ready(proc, log)
    release(*(proc for proc, _ in workers))  # both start writing together, however slow either start was
    reports = []
    for proc, log in workers:
        assert proc.wait(timeout=300) == 0, log.read_text()
        reports.append((read_report(proc), log.read_text()))
    for report, stderr in reports:
        assert report.finished and not report.failed, (report.failed, stderr)
        assert len(report.acked) == PER_WRITER
        assert "locked" not in stderr and "busy" not in stderr and "Error" not in stderr, stderr

    assert integrity(db) == "ok"
    notes = {row[0] for row in query(db, "SELECT notes FROM meeting")}
    texts = {row[0] for row in query(db, "SELECT text FROM followup")}
    for tag in ("A", "B"):
        for n in range(PER_WRITER):
            if n % 2:
                assert f"{tag}-followup-{n}" in texts
            else:
                assert f"{tag}-log-{n}" in notes
    assert counts(db)["meeting"] == PER_WRITER  # 100 logs from each writer
    assert counts(db)["followup"] == PER_WRITER
    # the two writers really overlapped: their records interleave in id order
    order = [row[0][0] for row in query(db, "SELECT notes FROM meeting ORDER BY id")]
    switches = sum(1 for a, b in itertools.pairwise(order) if a != b)
    assert switches >= 10, order
    # ids were handed out without collisions or gaps
    ids = [row[0] for row in query(db, "SELECT id FROM followup ORDER BY id")]
    assert ids == list(range(1, PER_WRITER + 1))


def test_separate_mentorkit_processes_at_once(store_with_ada: Path) -> None:
    """The real entry point, one process per command, two at a time."""
    db = store_with_ada
    per_side = 8

    def side(tag: str) -> list[tuple[int, str]]:
        return [
            (run.returncode, run.stderr)
            for run in (mentorkit(db, "followup", "add", "Ada", f"{tag}-{n}") for n in range(per_side))
        ]

    with ThreadPoolExecutor(2) as pool:
        results = [r for part in pool.map(side, ("P", "Q")) for r in part]
    assert all(code == 0 for code, _ in results), results
    assert not any("locked" in err or "busy" in err for _, err in results)
    texts = {row[0] for row in query(db, "SELECT text FROM followup")}
    assert texts == {f"{tag}-{n}" for tag in ("P", "Q") for n in range(per_side)}
    assert integrity(db) == "ok"


def _hold_lock(db: Path, seconds: float, holding: threading.Event) -> None:
    """Another program (or a stuck mentorkit) holding the write lock."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE mentor SET notes = 'held' WHERE id = 1")
        holding.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_lock_held_past_the_busy_timeout_gives_a_retry_message(store_with_ada: Path) -> None:
    """The real five-second timeout, through the real entry point: exit 1, one line, no loss."""
    from mentorkit.store.db import BUSY_TIMEOUT_MS

    db = store_with_ada
    assert mentorkit(db, "followup", "add", "Ada", "before the lock").returncode == 0
    before = fingerprint(db)
    holding = threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(db, BUSY_TIMEOUT_MS / 1000 + 2, holding))
    holder.start()
    assert holding.wait(10)
    started = time.monotonic()
    run = mentorkit(db, "followup", "add", "Ada", "during the lock")
    waited = time.monotonic() - started
    holder.join()

    assert run.returncode == 1
    assert waited >= BUSY_TIMEOUT_MS / 1000 - 0.5  # it waited for the timeout before giving up
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("Error: the store")
    assert "busy" in lines[0] and "run the command again" in lines[0]
    assert "Traceback" not in run.stderr and "database is locked" not in run.stderr
    # nothing lost: the holder's write landed, the refused command wrote nothing, and a retry works
    assert query(db, "SELECT notes FROM mentor WHERE id = 1") == [("held",)]
    assert {r[0] for r in query(db, "SELECT text FROM followup")} == {"before the lock"}
    assert fingerprint(db) != before  # only the holder's change
    retry = mentorkit(db, "followup", "add", "Ada", "during the lock")
    assert retry.returncode == 0, retry.stderr
    assert {r[0] for r in query(db, "SELECT text FROM followup")} == {"before the lock", "during the lock"}


@pytest.mark.parametrize(
    "args",
    [
        ("log", "Ada", "--notes", "blocked"),
        ("add-mentor", "Grace Hopper"),
        ("profile", "set", "--name", "Me"),
        ("edit", "Ada", "--email", "ada@example.org"),
    ],
)
def test_short_timeout_every_writer_reports_busy(
    store_with_ada: Path, cli, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """Same case with a short timeout, in-process, across several writing commands."""
    from mentorkit.store import db as store_db

    monkeypatch.setenv("MENTORKIT_DB", str(store_with_ada))
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
    before = counts(store_with_ada)
    holding = threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(store_with_ada, 1.0, holding))
    holder.start()
    assert holding.wait(10)
    try:
        result = cli(*args)
    finally:
        holder.join()
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the store") and "busy" in result.stderr
    assert "0.2 s" in result.stderr
    assert "database is locked" not in result.stderr
    assert counts(store_with_ada) == before  # the refused command wrote nothing
    assert query(store_with_ada, "SELECT notes, email FROM mentor") == [("held", None)]


def test_a_reader_is_not_blocked_by_a_writer(store_with_ada: Path) -> None:
    """WAL: `mentors` reads while another process holds the write lock."""
    holding = threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(store_with_ada, 3.0, holding))
    holder.start()
    assert holding.wait(10)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "mentorkit", "mentors", "--json"],
            capture_output=True,
            text=True,
            env=env_for(store_with_ada),
            timeout=60,
        )
    finally:
        holder.join()
    assert run.returncode == 0, run.stderr
    assert "Ada Lovelace" in run.stdout


def test_backups_taken_while_another_process_writes_are_consistent(store_with_ada: Path, tmp_path: Path) -> None:
    """Case 18, with real `mentorkit backup` runs racing a writer of `log` commands.

    Each `log` writes a meeting and two follow-ups in one transaction. A consistent copy holds a
    prefix of the meetings (ids 1..k, no holes), each with both its follow-ups, and later copies
    hold at least as much as earlier ones.
    """
    db = store_with_ada
    logs = [
        [
            "log",
            "Ada",
            "--when",
            distinct_when(n),
            "--notes",
            f"W-{n}",
            "--followup",
            f"W-{n} a",
            "--followup",
            f"W-{n} b",
        ]
        for n in range(300)
    ]
    backups = [tmp_path / "backups" / f"copy-{n}.db" for n in range(12)]
    backups[0].parent.mkdir()
    writer, writer_log = start_worker(db, logs, tmp_path, name="writer")
    wait_ready(writer, writer_log)
    copier, copier_log = start_worker(db, [["backup", str(b)] for b in backups], tmp_path, name="copier")
    assert copier.wait(timeout=300) == 0, copier_log.read_text()
    assert writer.wait(timeout=300) == 0, writer_log.read_text()
    copies, written = read_report(copier), read_report(writer)
    assert not copies.failed and not written.failed, (copier_log.read_text(), writer_log.read_text())

    seen = []
    for copy in backups:
        assert integrity(copy) == "ok", copy
        ids = [r[0] for r in query(copy, "SELECT id FROM meeting ORDER BY id")]
        assert ids == list(range(1, len(ids) + 1)), copy  # a snapshot: no holes
        parts = query(copy, "SELECT count(*) FROM followup GROUP BY meeting_id")
        assert all(n == 2 for (n,) in parts) and len(parts) == len(ids), copy  # no half-written log
        seen.append(len(ids))
    assert seen == sorted(seen)  # later copies hold at least as much
    assert seen[-1] > 0 and seen[0] < len(logs), seen  # the copies really were taken mid-stream
    assert counts(db)["meeting"] == len(logs) and integrity(db) == "ok"
    print(f"backups during writes: {len(backups)} copies holding {seen} of {len(logs)} meetings")
