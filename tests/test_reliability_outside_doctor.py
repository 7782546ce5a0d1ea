"""Found by an outside test, store side (issue 13): doctor, and damage SQLite only finds by looking.

Each test here failed before its fix.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from reliability_helpers import mentorkit, permission_checked_prefix, run_commands, start_worker, wait_ready


def _store(db: Path) -> None:
    for args in (["add-mentor", "Ada Lovelace"], ["log", "Ada", "--notes", "first talk"]):
        run = mentorkit(db, *args)
        assert run.returncode == 0, run.stderr


def _checks(stdout: str) -> dict[str, dict[str, str]]:
    return {c["name"]: c for c in json.loads(stdout)["checks"]}


def test_doctor_in_a_read_only_directory_passes_a_healthy_store(tmp_path: Path) -> None:
    """Item 20: doctor reported FAIL ("attempt to write a readonly database") on a healthy store
    whose directory the user cannot write."""
    db = tmp_path / "ro" / "mentorkit.db"
    _store(db)
    prefix = permission_checked_prefix(tmp_path)
    assert not list(db.parent.glob("mentorkit.db-*"))
    db.parent.chmod(0o500)
    try:
        result = run_commands(db, [["doctor", "--json"]], tmp_path, prefix=prefix, name="doctor-ro")[0]
    finally:
        db.parent.chmod(0o700)
    assert result["code"] == 0, result
    checks = _checks(result["stdout"])
    assert {name: c["status"] for name, c in checks.items() if c["status"] == "fail"} == {}
    assert checks["integrity"]["status"] == "ok" and checks["review counts"]["status"] == "ok"
    assert checks["search index"]["status"] == "warn" and "read-only" in checks["search index"]["detail"]


def test_doctor_while_another_process_writes_reports_no_false_problem(tmp_path: Path) -> None:
    """Item 21: doctor said "the search index is out of step" in 6 of 10 runs while another
    process wrote. Every run must pass."""
    db = tmp_path / "busy" / "mentorkit.db"
    _store(db)
    commands = [["log", "Ada", "--notes", f"note {n}", "--followup", f"task {n}"] for n in range(400)]
    proc, log = start_worker(db, commands, tmp_path, name="writer")
    wait_ready(proc, log)
    runs = []
    try:
        while proc.poll() is None and len(runs) < 10:
            runs.append(mentorkit(db, "doctor", "--json"))
            time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait(timeout=60)
    assert len(runs) >= 3, "the writer finished too soon to test anything"
    for run in runs:
        checks = _checks(run.stdout)
        failed = {name: c["detail"] for name, c in checks.items() if c["status"] == "fail"}
        assert run.returncode == 0 and failed == {}, (failed, run.stderr)


def test_doctor_on_a_path_with_no_store_fails_naming_it(tmp_path: Path) -> None:
    typo = tmp_path / "nowhere" / "mentorkit.db"
    run = mentorkit(typo, "doctor", "--json")
    assert run.returncode == 1 and str(typo) in run.stdout
    assert not typo.parent.exists()
