"""Case 1: SIGKILL at random moments during `log` and during a large `import`.

After every kill the store must pass `PRAGMA integrity_check`, hold every write that was
acknowledged (the command exited 0 before the kill), and hold each command's records wholly or
not at all: a meeting never without its follow-ups and advice, an import never half applied.
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

from reliability_helpers import (
    counts,
    integrity,
    mentorkit,
    query,
    read_report,
    start_worker,
    wait_ready,
)

LOG_TRIALS = 20
IMPORT_TRIALS = 20
FOLLOWUPS_PER_LOG = 3
ADVICE_PER_LOG = 2


def _log_command(trial: int, n: int) -> list[str]:
    marker = f"trial-{trial}-log-{n}"
    args = ["log", "Ada", "--mode", "phone", "--minutes", "30", "--notes", marker]
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
    per_trial = 40
    for trial in range(LOG_TRIALS):
        commands = [_log_command(trial, n) for n in range(per_trial)]
        proc, log = start_worker(db, commands, tmp_path, name=f"log-{trial}")
        wait_ready(proc)
        time.sleep(rng.uniform(0.2, 1.8))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        report = read_report(proc)
        assert not report.failed, (report.failed, log.read_text())
        if not report.finished:
            killed_mid_stream += 1
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
        f"log kills: {LOG_TRIALS} trials, {killed_mid_stream} killed mid-stream, "
        f"{len(acknowledged)} acknowledged logs, {final['meeting']} meetings, "
        f"{final['followup']} follow-ups, {final['advice']} advice checked"
    )
