"""Helpers for the reliability tests: real processes, store fingerprints, integrity checks.

The fault tests run mentorkit in separate processes (so a SIGKILL, a file-size limit or another
user id hits a real process, not the test runner). `reliability_worker.py` runs a list of
commands through the real CLI entry point inside one process and acknowledges each success on
stdout, which lets a test kill it at a random moment and still know which writes were confirmed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exchange_helpers import TABLES, counts  # noqa: F401 (re-exported for the reliability tests)

WORKER = Path(__file__).with_name("reliability_worker.py")


def env_for(db: Path, **extra: str) -> dict[str, str]:
    """The environment of a child mentorkit: this test's isolated dirs, the given store."""
    env = dict(os.environ)
    env["MENTORKIT_DB"] = str(db)
    env.pop("MENTORKIT_DEBUG", None)
    env.update(extra)
    return env


def ro_connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def integrity(db: Path) -> str:
    conn = ro_connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def fingerprint(db: Path) -> str:
    """A digest of every row of every data table (rows sorted): equal digests, equal contents."""
    digest = hashlib.sha256()
    conn = ro_connect(db)
    try:
        for table in TABLES:
            digest.update(table.encode())
            for row in sorted(repr(tuple(r)) for r in conn.execute(f"SELECT * FROM {table}")):
                digest.update(row.encode())
    finally:
        conn.close()
    return digest.hexdigest()


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = ro_connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def mentorkit(db: Path, *args: str, input: str | None = None, timeout: float = 60, **popen: Any) -> Run:
    """The installed entry point in a child process (`python -m mentorkit`, same interpreter)."""
    proc = subprocess.run(
        [sys.executable, "-m", "mentorkit", *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=popen.pop("env", None) or env_for(db),
        **popen,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def start_worker(
    db: Path, commands: list[list[str]], tmp: Path, name: str = "worker", *, hold: bool = False, **env: str
) -> tuple[subprocess.Popen[str], Path]:
    """Start a worker process running `commands`; returns it and the path of its stderr log.
    With `hold`, the worker waits after `ready` until `release` lets it go."""
    plan = tmp / f"{name}.json"
    plan.write_text(json.dumps(commands))
    log = tmp / f"{name}.stderr"
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), str(plan)],
        stdin=subprocess.PIPE if hold else None,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
        env=env_for(db, **env, **({"WORKER_HOLD": "1"} if hold else {})),
    )
    return proc, log


def release(*procs: subprocess.Popen[str]) -> None:
    """Let held workers (all of them ready) start their commands, as nearly at once as can be."""
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.close()  # flushes the line


def stopped(proc: subprocess.Popen[str]) -> bool:
    """Wait until the worker stops itself (WORKER_STOP_AT) or ends; whether it stopped."""
    import time

    stat = Path(f"/proc/{proc.pid}/stat")
    while proc.poll() is None:
        if stat.read_text().rsplit(")", 1)[1].split()[0] == "T":
            return True
        time.sleep(0.005)
    return False


def wait_ready(proc: subprocess.Popen[str], log: Path | None = None) -> None:
    """Wait for the worker's `ready`; if it died instead, fail with what it wrote to stderr."""
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "ready":
        proc.wait(timeout=30)
        detail = log.read_text()[-3000:] if log is not None and log.exists() else ""
        raise AssertionError(f"the worker did not start (exit {proc.returncode}): {line!r} {detail}")


@dataclass
class WorkerReport:
    acked: list[int]  # indexes of commands that exited 0
    failed: list[tuple[int, int]]  # (index, exit status) of the others
    finished: bool
    write_statements: int | None = None  # SQL statements run inside write transactions


def read_report(proc: subprocess.Popen[str]) -> WorkerReport:
    """Everything the worker printed (call after it ended or was killed)."""
    assert proc.stdout is not None
    acked: list[int] = []
    failed: list[tuple[int, int]] = []
    finished = False
    statements = None
    for line in proc.stdout.read().splitlines():
        word, *rest = line.split()
        if word == "write-statements":
            statements = int(rest[0])
        elif word == "ack":
            acked.append(int(rest[0]))
        elif word == "fail":
            failed.append((int(rest[0]), int(rest[1])))
        elif word == "done":
            finished = True
    proc.stdout.close()
    return WorkerReport(acked, failed, finished, statements)


def run_commands(
    db: Path,
    commands: list[list[str]],
    tmp: Path,
    *,
    prefix: list[str] | None = None,
    name: str = "batch",
    **popen: Any,
) -> list[dict[str, Any]]:
    """Run commands one after another in one child process; each one's code, stdout, stderr.

    `prefix` goes before the interpreter (e.g. `setpriv ...`); `popen` goes to subprocess.run
    (e.g. a `preexec_fn` setting a resource limit).
    """
    plan = tmp / f"{name}.json"
    plan.write_text(json.dumps(commands))
    results = tmp / f"{name}.results.json"
    proc = subprocess.run(
        [*(prefix or []), sys.executable, str(WORKER), str(plan), str(results)],
        capture_output=True,
        text=True,
        timeout=300,
        env=popen.pop("env", None) or env_for(db),
        **popen,
    )
    assert proc.returncode == 0 and results.exists(), (proc.returncode, proc.stderr[-3000:])
    return json.loads(results.read_text())


NO_DAC = [
    "setpriv",
    "--bounding-set=-dac_override,-dac_read_search",
    "--inh-caps=-dac_override,-dac_read_search",
]


def permission_checked_prefix(tmp: Path) -> list[str]:
    """A command prefix under which file permissions apply, even when the tests run as root.

    Root bypasses permissions through CAP_DAC_OVERRIDE; `setpriv` drops it (and
    CAP_DAC_READ_SEARCH) from the child. Raises pytest's skip only when no prefix works.
    """
    import pytest

    probe = tmp / "probe-read-only"
    probe.write_text("x")
    probe.chmod(0o400)
    prefix = NO_DAC if os.geteuid() == 0 else []
    code = f"""
try:
    open({str(probe)!r}, "a")
    print("allowed")
except PermissionError:
    print("denied")
"""
    try:
        check = subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        pytest.skip("running as root and setpriv is missing: permissions cannot be enforced")
    if check.stdout.strip() != "denied":
        pytest.skip(f"cannot make a process that respects file permissions here: {check.stderr.strip()}")
    return prefix


def distinct_when(k: int) -> str:
    """A `log --when` value of its own for the k-th logged contact (an hour apart, in the past):
    a log at the same start as a held meeting adds to it (issue 12), and these trials need each
    `log` to be a separate meeting."""
    from datetime import UTC, datetime, timedelta

    return (datetime(2020, 1, 1, tzinfo=UTC) + timedelta(hours=k)).strftime("%Y-%m-%dT%H:%MZ")
