"""Cases 6 and 7: a full disk during a write, and a store the user cannot write.

Disk full is made two ways: SQLite's `max_page_count` on the connection (SQLITE_FULL, in
process) and a real file-size limit on a child process (`RLIMIT_FSIZE`, the kernel refusing the
write with EFBIG, which SQLite reports only as "disk I/O error"). Read-only is made with file
modes; as root the child runs without CAP_DAC_OVERRIDE so the modes apply.
"""

from __future__ import annotations

import hashlib
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reliability_helpers import (
    counts,
    env_for,
    fingerprint,
    integrity,
    mentorkit,
    permission_checked_prefix,
    run_commands,
)

BIG = "x" * 60_000  # one long note: needs many new pages
READS = [
    ["mentors", "--json"],
    ["show", "Ada", "--json"],
    ["followups", "--json"],
    ["meetings", "--json"],
    ["board", "--json"],
    ["arenas", "--json"],
    ["profile", "show", "--json"],
    ["review", "--json"],
    ["search", "paper", "--json"],
    ["advice", "--json"],
    ["flags", "--json"],
    ["groups", "--json"],
    ["export", "--format", "json"],
]
WRITES = [
    ["log", "Ada", "--notes", BIG],
    ["add-mentor", "Grace Hopper", "--note", BIG],
    ["profile", "set", "--story", "s" * 19_000],
    ["followup", "add", "Ada", "y" * 4000],
    ["edit", "Ada", "--note", BIG],
    ["advice", "add", "Ada", "z" * 4000],
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "disk" / "mentorkit.db"
    setup = run_commands(
        db,
        [
            ["profile", "set", "--name", "Maya Okafor", "--timezone", "America/Chicago"],
            ["add-mentor", "Ada Lovelace", "--timezone", "Europe/London", "--stage", "active"],
            ["log", "Ada", "--notes", "Talked about the paper", "--followup", "Send the draft"],
        ],
        tmp_path,
        name="setup",
    )
    assert [r["code"] for r in setup] == [0, 0, 0], setup
    return db


def _one_clear_line(stderr: str, *words: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    assert "Traceback" not in stderr and BIG[:50] not in stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


# ---- case 6: disk full ---------------------------------------------------------------------


@pytest.mark.parametrize("args", WRITES, ids=lambda a: " ".join(a[:2]))
def test_a_full_store_fails_each_write_clearly_and_writes_nothing(
    store: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    from mentorkit.store import db as store_db

    monkeypatch.setenv("MENTORKIT_DB", str(store))
    real_connect = store_db.connect

    def full_connect(path: Path, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(path, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # not one page more
        return conn

    before = fingerprint(store)
    monkeypatch.setattr(store_db, "connect", full_connect)
    result = cli(*args)
    assert result.exit_code == 1
    _one_clear_line(result.stderr, "full", "nothing was written")
    assert fingerprint(store) == before
    assert integrity(store) == "ok"

    monkeypatch.setattr(store_db, "connect", real_connect)  # space freed: the same command works
    assert cli(*args).exit_code == 0
    assert fingerprint(store) != before


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_file_size_limit_during_writes_is_clear_and_loses_nothing(store: Path, tmp_path: Path) -> None:
    """No file may grow past 40 kB: the -shm (32 kB) fits, the -wal cannot take a long note."""
    before, before_counts = fingerprint(store), counts(store)
    writes = [args for args in WRITES if BIG in args]
    results = run_commands(
        store, [*writes, ["mentors", "--json"]], tmp_path, name="fsize", preexec_fn=_limit_file_size(40_000)
    )
    for args, result in zip(writes, results, strict=False):
        assert result["code"] == 1, (args[:2], result)
        _one_clear_line(result["stderr"], "nothing was written")
        assert "disk I/O error" not in result["stderr"]
        assert "full" in result["stderr"] or "size limit" in result["stderr"]
    reads = results[-1]
    assert reads["code"] == 0 and "Ada Lovelace" in reads["stdout"]  # reads go on working
    assert integrity(store) == "ok"
    assert fingerprint(store) == before and counts(store) == before_counts
    # without the limit the store takes writes again
    # (a time of its own: a log at the same second as the fixture's would add to that meeting)
    after = mentorkit(store, "log", "Ada", "--when", "2026-01-05 10:00", "--notes", BIG)
    assert after.returncode == 0, after.stderr
    assert counts(store)["meeting"] == before_counts["meeting"] + 1


# ---- case 7: read-only store file or directory -----------------------------------------------


def _check_read_only(store: Path, tmp_path: Path, prefix: list[str], name: str) -> list[dict[str, Any]]:
    before_bytes = sha256(store)
    results = run_commands(store, READS + WRITES, tmp_path, prefix=prefix, name=name)
    for args, result in zip(READS, results, strict=False):
        assert result["code"] == 0, (args, result)
        assert result["stdout"].lstrip()[:1] in ("[", "{"), (args, result["stdout"][:200])
    assert "Ada Lovelace" in results[0]["stdout"] and "Send the draft" in results[2]["stdout"]
    for args, result in zip(WRITES, results[len(READS) :], strict=False):
        assert result["code"] == 1, (args[:2], result)
        _one_clear_line(result["stderr"], "read-only", "nothing was written")
    assert sha256(store) == before_bytes
    return results


def test_a_read_only_store_file_reads_but_refuses_writes(store: Path, tmp_path: Path) -> None:
    prefix = permission_checked_prefix(tmp_path)
    store.chmod(0o400)
    _check_read_only(store, tmp_path, prefix, "ro-file")

    # once the user makes it writable again, writes work (side files a read-only session left
    # behind with the file's 0400 mode are repaired, not a lasting "read-only" error)
    store.chmod(0o600)
    again = run_commands(store, [["log", "Ada", "--notes", "writable again"]], tmp_path, prefix=prefix, name="rw")
    assert again[0]["code"] == 0, again
    assert integrity(store) == "ok"
    for side in store.parent.glob("mentorkit.db-*"):
        assert side.stat().st_mode & 0o777 == 0o600, side


def test_a_read_only_directory_reads_but_refuses_writes(store: Path, tmp_path: Path) -> None:
    prefix = permission_checked_prefix(tmp_path)
    assert not list(store.parent.glob("mentorkit.db-*"))  # no -wal/-shm to lean on
    store.parent.chmod(0o500)
    try:
        _check_read_only(store, tmp_path, prefix, "ro-dir")
        assert not list(store.parent.glob("mentorkit.db-*"))
    finally:
        store.parent.chmod(0o700)
    again = run_commands(store, [["log", "Ada", "--notes", "writable again"]], tmp_path, prefix=prefix, name="rw")
    assert again[0]["code"] == 0, again


def test_a_read_only_directory_with_unmerged_log_is_refused_not_misread(store: Path, tmp_path: Path) -> None:
    """Committed data still in the -wal cannot be read without a -shm; never show stale data."""
    prefix = permission_checked_prefix(tmp_path)
    copy_dir = tmp_path / "copy"
    copy_dir.mkdir(mode=0o700)
    holder = sqlite3.connect(store, isolation_level=None)
    try:
        holder.execute("PRAGMA wal_autocheckpoint = 0")
        holder.execute("UPDATE mentor SET notes = 'only in the log' WHERE name = 'Ada Lovelace'")
        for suffix in ("", "-wal"):
            (copy_dir / f"mentorkit.db{suffix}").write_bytes(Path(f"{store}{suffix}").read_bytes())
    finally:
        holder.close()
    copied = copy_dir / "mentorkit.db"
    assert (copy_dir / "mentorkit.db-wal").stat().st_size > 0
    copy_dir.chmod(0o500)
    try:
        result = run_commands(copied, [["show", "Ada", "--json"]], tmp_path, prefix=prefix, name="ro-wal")[0]
    finally:
        copy_dir.chmod(0o700)
    assert result["code"] == 1, result
    _one_clear_line(result["stderr"], "read-only", "write-ahead log")


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """A store whose exports are far larger than the file-size limit below (about 1 MB as JSON)."""
    from exchange_helpers import big_store

    db = tmp_path / "big" / "mentorkit.db"
    big_store(db, mentors=100, meetings_each=20, followups_each=10)
    return db


@pytest.mark.parametrize("fmt", ["json", "csv", "ics", "md"])
def test_an_export_that_hits_a_file_size_limit_leaves_no_truncated_file(big: Path, tmp_path: Path, fmt: str) -> None:
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    fresh, previous = out_dir / f"new.{fmt}", out_dir / f"old.{fmt}"
    previous.write_text("the previous export, complete\n")
    before = fingerprint(big)
    what = ["--what", "meetings"] if fmt == "csv" else []
    results = run_commands(
        big,
        [
            ["export", "--format", fmt, *what, "-o", str(fresh)],
            ["export", "--format", fmt, *what, "-o", str(previous), "--force"],
        ],
        tmp_path,
        name=f"export-{fmt}",
        preexec_fn=_limit_file_size(64_000),
    )
    for result in results:
        assert result["code"] == 1, result
        _one_clear_line(result["stderr"], "nothing was written")
    assert not fresh.exists()  # no truncated file
    assert previous.read_text() == "the previous export, complete\n"  # the old one kept whole
    assert sorted(p.name for p in out_dir.iterdir()) == [previous.name]  # no temporary files left
    assert fingerprint(big) == before and integrity(big) == "ok"
    # and without the limit the same export is complete
    done = mentorkit(big, "export", "--format", fmt, *what, "-o", str(fresh))
    assert done.returncode == 0, done.stderr
    assert fresh.stat().st_size > 64_000


def test_an_export_to_stdout_that_hits_the_limit_says_so(big: Path, tmp_path: Path) -> None:
    """Redirected stdout cannot be replaced atomically, but the failure must be clear and exit 1."""
    out = tmp_path / "redirected.json"
    with out.open("w") as handle:
        run = subprocess.run(
            [sys.executable, "-m", "mentorkit", "export", "--format", "json"],
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            env=env_for(big),
            timeout=120,
            preexec_fn=_limit_file_size(64_000),
        )
    assert run.returncode == 1, run.stderr
    _one_clear_line(run.stderr, "cannot write the output", "File too large")
