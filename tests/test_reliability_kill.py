"""Case 1: SIGKILL at random moments during `log` and during a large `import`.

After every kill the store must pass `PRAGMA integrity_check`, hold every write that was
acknowledged (the command exited 0 before the kill), and hold each command's records wholly or
not at all: a meeting never without its follow-ups and advice, an import never half applied.
"""

from __future__ import annotations

import random
import shutil
import signal
import time
from pathlib import Path

from reliability_helpers import (
    counts,
    distinct_when,
    integrity,
    mentorkit,
    query,
    read_report,
    start_worker,
    stopped,
    wait_ready,
)

LOG_TRIALS = 20
IMPORT_TRIALS = 20
FOLLOWUPS_PER_LOG = 3
ADVICE_PER_LOG = 2


def _log_command(trial: int, n: int) -> list[str]:
    marker = f"trial-{trial}-log-{n}"
    args = ["log", "Ada", "--mode", "phone", "--minutes", "30", "--when", distinct_when(trial * 1000 + n)]
    args += ["--notes", marker]
    for k in range(FOLLOWUPS_PER_LOG):
        args += ["--followup", f"{marker} action {k}"]
    for k in range(ADVICE_PER_LOG):
        args += ["--advice", f"{marker} advice {k}"]
    return args


def _meeting_parts(db: Path) -> dict[str, tuple[int, int]]:
    """For each logged meeting (by its notes marker): how many follow-ups and advice it holds."""
    rows = query(
        db,
        "SELECT meeting.notes, "
        "(SELECT count(*) FROM followup WHERE followup.meeting_id = meeting.id), "
        "(SELECT count(*) FROM advice WHERE advice.meeting_id = meeting.id) "
        "FROM meeting WHERE meeting.notes LIKE 'trial-%'",
    )
    return {notes: (f, a) for notes, f, a in rows}


def test_sigkill_during_log_keeps_acknowledged_writes_whole(tmp_path: Path) -> None:
    db = tmp_path / "kill" / "mentorkit.db"
    assert mentorkit(db, "add-mentor", "Ada Lovelace", "--timezone", "Europe/London").returncode == 0
    rng = random.Random(20261125)
    acknowledged: set[str] = set()
    killed_mid_stream = 0
    per_trial = 25
    stream_time = 0.0
    for trial in range(-1, LOG_TRIALS):  # trial -1 is not killed: it times a whole stream here
        commands = [_log_command(trial, n) for n in range(per_trial)]
        proc, log = start_worker(db, commands, tmp_path, name=f"log-{trial}")
        wait_ready(proc, log)
        if trial < 0:
            started = time.monotonic()
            assert proc.wait(timeout=300) == 0, log.read_text()
            stream_time = time.monotonic() - started
        else:
            time.sleep(rng.uniform(0.0, 0.9 * stream_time))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        report = read_report(proc)
        assert not report.failed, (report.failed, log.read_text())
        if trial >= 0 and not report.finished:
            killed_mid_stream += 1
        elif trial >= 0:  # the machine sped up since the timing run: aim earlier from now on
            stream_time *= 0.7
        acknowledged |= {f"trial-{trial}-log-{n}" for n in report.acked}

        assert integrity(db) == "ok"
        parts = _meeting_parts(db)
        missing = acknowledged - parts.keys()
        assert not missing, f"trial {trial}: acknowledged writes lost: {sorted(missing)[:5]}"
        # all or nothing: every meeting present carries all its follow-ups and advice
        assert all(p == (FOLLOWUPS_PER_LOG, ADVICE_PER_LOG) for p in parts.values()), parts
        # at most the one command in flight at the kill can be present without its ack
        unacked = {k for k in parts if k.startswith(f"trial-{trial}-")} - acknowledged
        assert len(unacked) <= 1, unacked

    # the store still works for the next command after all those kills
    after = mentorkit(db, "log", "Ada", "--notes", "after the kills")
    assert after.returncode == 0, after.stderr
    assert integrity(db) == "ok"
    final = counts(db)
    assert final["meeting"] == len(_meeting_parts(db)) + 1
    assert killed_mid_stream >= LOG_TRIALS // 2, "the kills should mostly land mid-stream"
    print(
        f"log kills: {LOG_TRIALS} trials (a stream of {per_trial} logs takes {stream_time:.2f} s here), "
        f"{killed_mid_stream} killed mid-stream, "
        f"{len(acknowledged)} acknowledged logs, {final['meeting']} meetings, "
        f"{final['followup']} follow-ups, {final['advice']} advice checked"
    )


def _import_source(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """A JSON export of a few thousand records, made by `mentorkit export --format json`."""
    from exchange_helpers import big_store

    source = tmp_path / "source" / "mentorkit.db"
    big_store(source, mentors=100, meetings_each=20, followups_each=10)
    export = tmp_path / "export.json"
    run = mentorkit(source, "export", "--format", "json", "-o", str(export))
    assert run.returncode == 0, run.stderr
    return export, {t: counts(source)[t] for t in ("mentor", "meeting", "followup")}


def test_sigkill_during_import_is_all_or_nothing(tmp_path: Path) -> None:
    export, expected = _import_source(tmp_path)
    empty = tmp_path / "empty" / "mentorkit.db"
    assert mentorkit(empty, "add-mentor", "Already Here").returncode == 0  # a store with a record
    before = counts(empty)

    def trial(n: int, delay: float | None, *, stop_at: int | None = None) -> str:
        """One import, killed `delay` s after it started, or stopped just before the `stop_at`-th
        statement of its write transaction and killed there (a kill surely inside the write,
        however slow the machine: no timing guessed)."""
        nonlocal run_time, write_statements
        target = tmp_path / f"import-{n}" / "mentorkit.db"
        target.parent.mkdir()
        shutil.copy(empty, target)
        extra = {"WORKER_STOP_AT": str(stop_at)} if stop_at else {}
        proc, log = start_worker(target, [["import", str(export)]], tmp_path, name=f"import-{n}", **extra)
        wait_ready(proc, log)
        ready = time.monotonic()
        if stop_at is not None:
            assert stopped(proc), (n, stop_at, log.read_text())
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
        elif delay is None:  # the timing run: the whole import, and its write transaction
            assert proc.wait(timeout=300) == 0, log.read_text()
            run_time = time.monotonic() - ready
        else:
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
        report = read_report(proc)
        if delay is None and stop_at is None:
            assert report.write_statements, log.read_text()
            write_statements = report.write_statements

        assert integrity(target) == "ok", n
        now = counts(target)
        imported = {t: now[t] - before[t] for t in expected}
        assert imported in (expected, dict.fromkeys(expected, 0)), (n, imported)  # never half
        assert now["mentor"] >= before["mentor"]  # what was there stays
        if report.acked:  # the import said it succeeded: all of it is there
            assert imported == expected, n
            return "finished before the kill"
        if imported == expected:
            return "committed, killed before exiting"
        return "killed while writing, rolled back" if stop_at else "killed before or while writing"

    run_time, write_statements = 0.0, 0
    trial(0, None)
    rng = random.Random(8)
    outcomes: dict[str, int] = {}
    for n in range(1, IMPORT_TRIALS + 1):
        if n % 2:  # anywhere in the run: start-up, reading and checking the file, writing
            outcome = trial(n, rng.uniform(0.0, run_time))
        else:  # inside the write transaction, at any of its statements
            outcome = trial(n, None, stop_at=rng.randint(1, write_statements))
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert sum(outcomes.values()) == IMPORT_TRIALS
    assert outcomes["killed while writing, rolled back"] == IMPORT_TRIALS // 2, outcomes
    print(
        f"import kills: {IMPORT_TRIALS} trials of {sum(expected.values())} records (one import takes "
        f"{run_time:.2f} s here, {write_statements} SQL statements in its write transaction): {outcomes}"
    )
