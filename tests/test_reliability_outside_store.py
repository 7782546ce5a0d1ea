"""Found by an outside test, store side (issue 13): restore, side files, temporary files, backups.

Each test here failed before its fix. The concurrency and kill cases use real processes.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from reliability_helpers import counts, env_for, integrity, mentorkit, query


def _store_with(db: Path, *names: str) -> None:
    for name in names:
        run = mentorkit(db, "add-mentor", name)
        assert run.returncode == 0, run.stderr


def _lock_is_held(db: Path) -> bool:
    probe = sqlite3.connect(db, isolation_level=None, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def _safety_copy(db: Path) -> Path:
    found = sorted(db.parent.glob(f"{db.stem}-before-restore-*.db"))
    assert len(found) == 1, found
    return found[0]


def test_restore_keeps_a_write_committed_while_it_starts(tmp_path: Path) -> None:
    """Item 1: a writer holding the lock commits while `restore` starts; its row must be in the
    "before restore" copy (before the fix it was in neither store)."""
    db = tmp_path / "store" / "mentorkit.db"
    _store_with(db, "Ada Lovelace")
    backup = tmp_path / "old.db"
    assert mentorkit(db, "backup", str(backup)).returncode == 0
    _store_with(db, "Grace Hopper")

    holding, committed = threading.Event(), threading.Event()

    def writer() -> None:
        conn = sqlite3.connect(db, isolation_level=None, timeout=10)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE mentor SET notes = 'written during the restore' WHERE name = 'Grace Hopper'")
            holding.set()
            time.sleep(1.5)
            conn.execute("COMMIT")
            committed.set()
        finally:
            conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert holding.wait(10)
    run = mentorkit(db, "restore", "--yes", str(backup))
    thread.join()
    assert committed.is_set()
    assert run.returncode == 0, run.stderr
    kept = _safety_copy(db)
    assert query(kept, "SELECT notes FROM mentor WHERE name = 'Grace Hopper'") == [("written during the restore",)]
    assert [r[0] for r in query(db, "SELECT name FROM mentor")] == ["Ada Lovelace"]
    assert integrity(db) == "ok" and integrity(kept) == "ok"


RESTORE_WHEN_LOCKED = """
import sqlite3, sys, time
import typer
from mentorkit.cli import app
import mentorkit.cli.data, mentorkit.exchange.backup, mentorkit.exchange.atomic, mentorkit.store.db  # noqa: E401, F401
import platformdirs, mentorkit.clock  # noqa: E401, F401
command = typer.main.get_command(app)
db, backup = sys.argv[1], sys.argv[2]
print("ready", flush=True)
while True:  # start the restore the moment another process holds the write lock
    probe = sqlite3.connect(db, isolation_level=None, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError:
        break
    finally:
        probe.close()
    time.sleep(0.001)
command.main(args=["restore", "--yes", backup], prog_name="mentorkit")
"""


def test_an_import_running_during_restore_is_never_lost(tmp_path: Path) -> None:
    """Item 1 with real processes: `restore` starts while an `import` is writing. Whether the
    restore waits for it or gives up busy, the import is in the store or in the safety copy."""
    from exchange_helpers import big_store

    source = tmp_path / "source" / "mentorkit.db"
    big_store(source, mentors=100, meetings_each=20, followups_each=10)
    export = tmp_path / "export.json"
    assert mentorkit(source, "export", "--format", "json", "-o", str(export)).returncode == 0
    db = tmp_path / "store" / "mentorkit.db"
    _store_with(db, "Ada Lovelace")
    backup = tmp_path / "old.db"
    assert mentorkit(db, "backup", str(backup)).returncode == 0

    restoring = subprocess.Popen(
        [sys.executable, "-c", RESTORE_WHEN_LOCKED, str(db), str(backup)],
        env=env_for(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert restoring.stdout is not None and restoring.stdout.readline().strip() == "ready"
    imported = mentorkit(db, "import", str(export))
    _, restore_err = restoring.communicate(timeout=120)
    assert imported.returncode == 0, imported.stderr
    expected = counts(source)["meeting"]
    if restoring.returncode == 0:
        assert counts(_safety_copy(db))["meeting"] == expected
        assert counts(db)["meeting"] == 0
    else:
        assert "busy" in restore_err, restore_err
        assert counts(db)["meeting"] == expected
    assert integrity(db) == "ok"


def _hidden_temps(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(".") and ".tmp" in p.name)


def _no_sigxfsz_limit(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_backup_to_a_full_destination_names_the_destination(tmp_path: Path) -> None:
    """Item 23: a backup that cannot be written blamed "the disk holding" the store."""
    from exchange_helpers import big_store

    db = tmp_path / "store" / "mentorkit.db"
    big_store(db, mentors=100, meetings_each=10, followups_each=5)
    target = tmp_path / "usb" / "backup.db"
    target.parent.mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "mentorkit", "backup", str(target)],
        env=env_for(db),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_no_sigxfsz_limit(64_000),
    )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and str(target) in lines[0] and "disk holding" not in lines[0], run.stderr
    assert not target.exists() and _hidden_temps(target.parent) == []


def test_backup_to_dev_full_still_reports_the_written_backup(tmp_path: Path) -> None:
    """Item 23: `backup > /dev/full` wrote the backup, then exited 1 as if it had failed."""
    db = tmp_path / "store" / "mentorkit.db"
    _store_with(db, "Ada Lovelace")
    target = tmp_path / "b.db"
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "mentorkit", "backup", str(target)],
            env=env_for(db),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert run.returncode == 0, run.stderr
    assert f"to {target}" in run.stderr and "could not be printed" in run.stderr
    assert integrity(target) == "ok"


def test_backup_into_a_directory_given_with_a_slash(tmp_path: Path) -> None:
    """Issue 22: `backup DIR/` writes a timestamped file inside DIR, made 0700 if new."""
    db = tmp_path / "store" / "mentorkit.db"
    _store_with(db, "Ada Lovelace")
    new_dir = tmp_path / "backups" / "nightly"
    run = mentorkit(db, "backup", f"{new_dir}/", "--json")
    assert run.returncode == 0, run.stderr
    written = Path(json.loads(run.stdout)["path"])
    assert written.parent == new_dir and written.name.startswith("mentorkit-backup-")
    assert new_dir.stat().st_mode & 0o777 == 0o700 and (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    assert written.stat().st_mode & 0o777 == 0o600 and integrity(written) == "ok"
    again = mentorkit(db, "backup", str(new_dir))  # an existing directory, without the slash
    assert again.returncode == 0, again.stderr
    assert len(list(new_dir.glob("mentorkit-backup-*.db"))) == 2


def test_a_backup_over_an_existing_file_is_private_whatever_its_mode(tmp_path: Path) -> None:
    """Survivor S12: `backup --force` over a 0644 or 0666 file leaves a 0600 file."""
    import os

    db = tmp_path / "store" / "mentorkit.db"
    _store_with(db, "Ada Lovelace")
    for mode in (0o644, 0o666, 0o400):
        target = tmp_path / f"old-{mode:o}.db"
        target.write_text("an older file")
        os.chmod(target, mode)
        run = mentorkit(db, "backup", str(target), "--force")
        assert run.returncode == 0, run.stderr
        assert target.stat().st_mode & 0o777 == 0o600, oct(mode)
        assert integrity(target) == "ok"


KILLED_IN = """
import os, signal, sys
import mentorkit.exchange.backup, mentorkit.exchange.exporter, mentorkit.store.db  # noqa: E401, F401
from mentorkit.cli import app

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

{patch}
app(args=sys.argv[1:], prog_name="mentorkit")
"""


def _killed(db: Path, patch: str, *args: str, umask: int = 0o022) -> None:
    """Run a mentorkit command in a child that SIGKILLs itself at the patched point."""
    import os

    run = subprocess.run(
        [sys.executable, "-c", KILLED_IN.format(patch=patch), *args],
        env=env_for(db),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.umask(umask) and None,
    )
    assert run.returncode == -9, (run.returncode, run.stderr)


def test_a_killed_export_or_backup_leaves_nothing_after_the_next_run(tmp_path: Path) -> None:
    """Item 26: hidden `.tmp` copies left by kill -9 during `export`/`backup` were never removed."""
    db = tmp_path / "store" / "mentorkit.db"
    _store_with(db, "Ada Lovelace")
    out = tmp_path / "out"
    out.mkdir()
    _killed(db, "mentorkit.exchange.exporter.write_export = die", "export", "-f", "json", "-o", str(out / "a.json"))
    first = _hidden_temps(out)
    assert len(first) == 1 and not (out / "a.json").exists()
    _killed(db, "mentorkit.store.db.backup_copy = die", "backup", str(out / "b.db"))
    second = _hidden_temps(out)  # the second run swept the first one's file, then was killed too
    assert len(second) == 1 and second != first and not (out / "b.db").exists()
    assert mentorkit(db, "export", "-f", "csv", "-o", str(out / "c.csv")).returncode == 0
    assert _hidden_temps(out) == []
    assert sorted(p.name for p in out.iterdir()) == ["c.csv"]


def test_a_running_commands_temporary_file_is_not_swept(tmp_path: Path) -> None:
    """The sweep removes only files whose lock nobody holds."""
    from mentorkit.store.tempfiles import scratch_file, sweep

    with scratch_file(tmp_path, "busy") as working:
        working.write_bytes(b"in use")
        assert sweep(tmp_path) == 0 and working.exists()
        assert working.stat().st_mode & 0o777 == 0o600
    assert not working.exists()


def test_a_restore_killed_while_converting_the_page_size_does_not_block_the_next(tmp_path: Path) -> None:
    """Item 5: the working copy of a backup with another page size was 0644 and, left by a
    kill, made every later restore fail ("output file already exists")."""
    db = tmp_path / "store" / "mentorkit.db"
    _store_with(db, "Ada Lovelace")
    backup = tmp_path / "big-pages.db"
    assert mentorkit(db, "backup", str(backup)).returncode == 0
    conn = sqlite3.connect(backup, isolation_level=None)
    conn.execute("PRAGMA page_size = 16384")
    conn.execute("VACUUM")
    conn.close()
    _store_with(db, "Grace Hopper")
    before = sorted(p.name for p in db.parent.iterdir())

    shim = (
        "import sqlite3\n"
        "class Shim:\n"
        "    def __getattr__(self, name): return getattr(sqlite3, name)\n"
        "    connect = staticmethod(die)\n"
        "mentorkit.exchange.backup.sqlite3 = Shim()"
    )
    _killed(db, shim, "restore", "--yes", str(backup), umask=0)
    left = [p for p in db.parent.iterdir() if p.name not in before and "before-restore" not in p.name]
    assert left, "the kill should leave the working copy"
    assert all(p.stat().st_mode & 0o077 == 0 for p in left), [(p.name, oct(p.stat().st_mode)) for p in left]
    assert [r[0] for r in query(db, "SELECT name FROM mentor ORDER BY id")] == ["Ada Lovelace", "Grace Hopper"]

    run = mentorkit(db, "restore", "--yes", str(backup))
    assert run.returncode == 0, run.stderr
    assert [r[0] for r in query(db, "SELECT name FROM mentor")] == ["Ada Lovelace"]
    assert _hidden_temps(db.parent) == []


def test_a_killed_pre_upgrade_backup_leaves_no_bak(tmp_path: Path) -> None:
    """Item 25: kill -9 during the backup before an upgrade left a partial `.bak` that doctor
    counted and restore could not use."""
    import shutil

    db = tmp_path / "store" / "mentorkit.db"
    db.parent.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "stores" / "v1.db", db)
    half = (
        "def half(conn, target):\n"
        "    with open(target, 'wb') as f: f.write(b'SQLite format 3\\x00' + b'x' * 5000)\n"
        "    die()\n"
        "mentorkit.store.db.backup_copy = half"
    )
    _killed(db, half, "mentors")
    assert list(db.parent.glob("*.bak")) == []
    run = mentorkit(db, "mentors", "--json")
    assert run.returncode == 0, run.stderr
    baks = list(db.parent.glob("*.bak"))
    assert len(baks) == 1 and integrity(baks[0]) == "ok"
    assert _hidden_temps(db.parent) == []
    doctor = json.loads(mentorkit(db, "doctor", "--json").stdout)
    assert next(c["detail"] for c in doctor["checks"] if c["name"] == "backups").endswith("1 in all")


def test_a_refused_restore_source_gets_no_side_files(tmp_path: Path) -> None:
    """Item 26: looking at a WAL-mode file offered to `restore` left `-wal`/`-shm` beside it."""
    db = tmp_path / "store" / "mentorkit.db"
    _store_with(db, "Ada Lovelace")
    other = tmp_path / "offered" / "notes.db"
    other.parent.mkdir()
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE note (text)")
    conn.close()
    run = mentorkit(db, "restore", "--yes", str(other))
    assert run.returncode == 1 and "not a mentorkit store" in run.stderr
    assert sorted(p.name for p in other.parent.iterdir()) == ["notes.db"]
