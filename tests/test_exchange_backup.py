"""backup, restore and doctor."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from exchange_helpers import counts, dump, seed


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_backup_beside_the_store_is_private_and_complete(ok, db_path: Path) -> None:
    seed(db_path)
    info = ok("backup", "--json").json()
    path = Path(info["path"])
    assert path.parent == db_path.parent and path.name.startswith("mentorkit-backup-") and path.suffix == ".db"
    assert _mode(path) == 0o600 and info["integrity"] == "ok"
    assert dump(path) == dump(db_path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    second = Path(ok("backup", "--json").json()["path"])
    assert second != path and path.exists()  # a default name never overwrites


def test_backup_to_a_named_path_and_a_directory(ok, cli, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    named = tmp_path / "nightly.db"
    named.write_text("old backup")
    refused = cli("backup", str(named))
    assert refused.exit_code == 1 and "--force" in refused.stderr and named.read_text() == "old backup"
    ok("backup", str(named), "--force")
    assert counts(named) == counts(db_path) and _mode(named) == 0o600
    folder = tmp_path / "backups"
    folder.mkdir()
    inside = Path(ok("backup", str(folder), "--json").json()["path"])
    assert inside.parent == folder and counts(inside) == counts(db_path)
    assert [p.name for p in folder.iterdir()] == [inside.name]  # no temporary file left behind


def test_backup_refuses_to_overwrite_the_store(cli, ok, db_path: Path) -> None:
    seed(db_path)
    before = dump(db_path)
    result = cli("backup", str(db_path))
    assert result.exit_code == 1 and "the mentorkit store itself" in result.stderr
    assert dump(db_path) == before


def test_backup_without_a_store(cli, db_path: Path) -> None:
    result = cli("backup")
    assert result.exit_code == 1 and "nothing to back up" in result.stderr
    assert not db_path.exists()


def test_backup_is_consistent_while_another_process_writes(ok, db_path: Path, empty_store: Path) -> None:
    """Each mentor is added with its stage history in one transaction: a consistent copy holds
    exactly as many first stages as mentors, whatever the writer was doing at that moment."""
    src = str(Path(__file__).resolve().parents[1] / "src")
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import sys; sys.path.insert(0, {src!r})
        from datetime import UTC, datetime
        from zoneinfo import ZoneInfo
        from mentorkit.store.db import open_store
        from mentorkit.domain.mentors import MentorFields, add_mentor
        with open_store({str(db_path)!r}) as store:
            for n in range(400):
                with store.write() as conn:
                    add_mentor(conn, datetime.now(UTC), ZoneInfo("UTC"), MentorFields(name=f"Writer {{n}}"))
    """),
        ]
    )
    copies = []
    try:
        while writer.poll() is None and len(copies) < 8:
            copies.append(Path(ok("backup", "--json").json()["path"]))
    finally:
        writer.wait(timeout=120)
    assert writer.returncode == 0 and copies
    for copy in copies:
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            mentors = conn.execute("SELECT count(*) FROM mentor").fetchone()[0]
            firsts = conn.execute("SELECT count(DISTINCT mentor_id) FROM stage_change").fetchone()[0]
            assert mentors == firsts


def test_restore_needs_yes_when_not_at_a_terminal(cli, ok, db_path: Path) -> None:
    seed(db_path)
    backup = ok("backup", "--json").json()["path"]
    ok("add-mentor", "Added After")
    before = dump(db_path)
    result = cli("restore", backup)
    assert result.exit_code == 1 and "--yes" in result.stderr
    assert dump(db_path) == before


def test_restore_replaces_the_store_and_keeps_the_old_one(ok, db_path: Path) -> None:
    seed(db_path)
    backup = ok("backup", "--json").json()["path"]
    expected = dump(Path(backup))
    ok("add-mentor", "Added After")
    current = dump(db_path)
    result = ok("restore", backup, "--yes", "--json").json()
    assert dump(db_path) == expected
    kept = Path(result["safety_backup"])
    assert kept.name.startswith("mentorkit-before-restore-") and dump(kept) == current and _mode(kept) == 0o600
    assert "Added After" not in {m["name"] for m in ok("mentors", "--json").json()}
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert _mode(db_path) == 0o600


def test_restore_into_a_new_place(ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    backup = ok("backup", "--json").json()["path"]
    fresh = tmp_path / "new" / "mentorkit.db"
    result = ok("--db", str(fresh), "restore", backup, "--yes", "--json").json()
    assert result["safety_backup"] is None
    assert dump(fresh) == dump(db_path) and _mode(fresh) == 0o600


def test_restore_over_a_damaged_store(ok, db_path: Path) -> None:
    seed(db_path)
    backup = ok("backup", "--json").json()["path"]
    expected = dump(Path(backup))
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.write_bytes(b"this is not a database at all" * 100)
    result = ok("restore", backup, "--yes", "--json").json()
    assert Path(result["safety_backup"]).read_bytes().startswith(b"this is not a database")
    assert dump(db_path) == expected


@pytest.mark.parametrize("problem", ["not sqlite", "newer", "foreign", "damaged"])
def test_restore_refuses_a_bad_file_and_changes_nothing(cli, ok, db_path: Path, tmp_path: Path, problem: str) -> None:
    seed(db_path)
    bad = tmp_path / "bad.db"
    if problem == "not sqlite":
        bad.write_text("hello")
        expected = "not an SQLite database"
    elif problem == "foreign":
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE t (x)")
        expected = "not a mentorkit store"
    else:
        Path(ok("backup", str(bad), "--json").json()["path"])
        if problem == "newer":
            with sqlite3.connect(bad) as conn:
                conn.execute("PRAGMA user_version = 99")
            expected = "newer mentorkit"
        else:
            data = bytearray(bad.read_bytes())
            page = 4096
            for offset in range(page * 3, min(len(data), page * 6)):
                data[offset] = 0xFF
            bad.write_bytes(bytes(data))
            expected = "damaged"
    before = dump(db_path)
    result = cli("restore", str(bad), "--yes")
    assert result.exit_code == 1, result.stdout
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert dump(db_path) == before


# --- doctor ----------------------------------------------------------------------------------


def _checks(result) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    return {c["name"]: c for c in result.json()["checks"]}


def test_doctor_on_a_healthy_store(ok, db_path: Path) -> None:
    seed(db_path)
    ok("backup")
    report = ok("doctor", "--json").json()
    assert report["ok"] is True and report["store"] == str(db_path)
    checks = {c["name"]: c["status"] for c in report["checks"]}
    assert checks == {
        "store": "ok",
        "permissions": "ok",
        "integrity": "ok",
        "foreign keys": "ok",
        "schema": "ok",
        "journal": "ok",
        "change journal": "ok",
        "review counts": "ok",
        "search index": "ok",
        "backups": "ok",
    }
    human = ok("doctor").stdout
    assert "integrity_check passed" in human and str(db_path.name) in human


def test_doctor_without_a_store(cli, db_path: Path) -> None:
    result = cli("doctor", "--json")
    assert result.exit_code == 1  # a mistyped --db is a problem, as for every read command
    checks = _checks(result)
    assert checks["store"]["status"] == "fail" and "no store" in checks["store"]["detail"]
    assert not db_path.exists()


def test_doctor_warns_about_permissions_and_missing_backups(ok, db_path: Path) -> None:
    seed(db_path)
    os.chmod(db_path, 0o644)
    checks = _checks(ok("doctor", "--json"))
    assert checks["permissions"]["status"] == "warn" and "chmod 600" in checks["permissions"]["detail"]
    assert checks["backups"]["status"] == "warn"


def test_doctor_finds_broken_links(cli, ok, db_path: Path) -> None:
    seed(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE meeting SET mentor_id = 999 WHERE mentor_id IS NOT NULL")
    conn.commit()
    conn.close()
    result = cli("doctor", "--json")
    assert result.exit_code == 1 and "1 problem" in result.stderr
    checks = _checks(result)
    assert checks["foreign keys"]["status"] == "fail" and "meeting" in checks["foreign keys"]["detail"]


def test_doctor_on_a_file_that_is_not_a_store(cli, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_text("not a database")
    result = cli("doctor", "--json")
    assert result.exit_code == 1
    assert _checks(result)["file"]["status"] == "fail"
    assert db_path.read_text() == "not a database"


def test_doctor_reports_an_old_schema_without_upgrading_it(ok, db_path: Path) -> None:
    seed(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA user_version = 1")
    checks = _checks(ok("doctor", "--json"))
    assert checks["schema"]["status"] == "warn" and "version 1" in checks["schema"]["detail"]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def test_doctor_rebuilds_the_search_index(ok, db_path: Path) -> None:
    seed(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM search_index")
    assert ok("search", "aims", "--json").json() == []
    ok("doctor", "--rebuild-index")
    assert ok("search", "aims", "--json").json()
