"""Where the store is, and who may create it (issue 12 item 12; issue 13 items 3, 4 and 8).

A read command never creates a store, a directory or a side file; a write command creates the
store and says so; an empty --db or MENTORKIT_DB is refused; a store made through a dangling
link is private; a link planted where a side file belongs is refused, and nothing is re-moded.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reliability_helpers import env_for, mentorkit

READS = [
    ["mentors"],
    ["followups"],
    ["board", "--json"],
    ["meetings"],
    ["show", "1"],
    ["search", "x"],
    ["review"],
    ["export", "-f", "json"],
    ["profile", "show"],
    ["arenas"],
]


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a))
def test_a_read_command_on_a_missing_store_exits_1_and_creates_nothing(cli, tmp_path: Path, args: list[str]) -> None:
    typo = tmp_path / "no-such-dir" / "deeper" / "mentorkit.db"
    before = sorted(p.name for p in tmp_path.iterdir())
    result = cli("--db", str(typo), *args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: there is no store at") and str(typo) in lines[0]
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no directory either


@pytest.mark.parametrize(
    "args",
    [
        ["add-mentor", "Ada Lovelace"],
        ["profile", "set", "--name", "Me"],
        ["demo"],
    ],
    ids=lambda a: a[0],
)
def test_a_write_command_creates_the_store_and_says_so(cli, tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "new" / "mentorkit.db"
    result = cli("--db", str(db), *args)
    assert result.exit_code == 0, result.stderr
    assert f"Created a new store at {db}." in result.stderr.splitlines()
    assert db.is_file() and db.stat().st_mode & 0o777 == 0o600
    again = cli("--db", str(db), *args[:1], *(["Grace Hopper"] if args[0] == "add-mentor" else args[1:]))
    assert "Created a new store" not in again.stderr


def test_a_mistyped_environment_store_is_not_created(tmp_path: Path) -> None:
    typo = tmp_path / "mentorkti.db"
    run = mentorkit(typo, "mentors")
    assert run.returncode == 1 and str(typo) in run.stderr and not typo.exists()


@pytest.mark.parametrize("how", ["--db", "MENTORKIT_DB"])
def test_an_empty_store_path_is_refused(tmp_path: Path, how: str) -> None:
    """Item 8: `--db ''` and `MENTORKIT_DB=''` silently used the default store."""
    home = tmp_path / "home"
    env = env_for(tmp_path / "unused.db", HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"))
    default = home / ".local" / "share" / "mentorkit" / "mentorkit.db"
    if how == "--db":
        args = ["--db", "", "add-mentor", "Ada"]
    else:
        env["MENTORKIT_DB"] = ""
        args = ["add-mentor", "Ada"]
    run = mentorkit(tmp_path / "unused.db", *args, env=env)
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and how in lines[0] and "empty" in lines[0], run.stderr
    assert not default.exists() and not (tmp_path / "unused.db").exists()


@pytest.mark.parametrize("umask", [0o022, 0o000], ids=["umask-022", "umask-000"])
def test_a_store_created_through_a_dangling_link_is_private(tmp_path: Path, umask: int) -> None:
    """Item 4: a store made through a dangling --db symlink was 0644 (0666 under umask 000)."""
    real = tmp_path / "real" / "board.db"
    real.parent.mkdir()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    run = mentorkit(link, "add-mentor", "Ada Lovelace", preexec_fn=lambda: os.umask(umask) and None)
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and real.is_file()
    assert real.stat().st_mode & 0o777 == 0o600
    for side in real.parent.iterdir():
        assert side.stat().st_mode & 0o077 == 0, side.name


@pytest.mark.parametrize("suffix", ["-shm", "-wal", "-journal"])
def test_a_link_planted_as_a_side_file_is_refused_and_nothing_is_remoded(tmp_path: Path, suffix: str) -> None:
    """Item 3: `ln -s victim s.db-shm; mentorkit mentors` turned victim from 0644 to 0600."""
    shared = tmp_path / "shared"
    shared.mkdir()
    db = shared / "s.db"
    assert mentorkit(db, "add-mentor", "Ada Lovelace").returncode == 0
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    victim = tmp_path / "victim"
    victim.write_text("someone else's file")
    os.chmod(victim, 0o644)
    Path(f"{db}{suffix}").symlink_to(victim)
    for args in (["mentors"], ["add-mentor", "Grace Hopper"]):
        run = mentorkit(db, *args)
        assert run.returncode == 1
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and "symbolic link" in lines[0], run.stderr
        assert victim.stat().st_mode & 0o777 == 0o644
        assert victim.read_text() == "someone else's file"


def test_a_dry_run_import_into_a_missing_store_creates_nothing(cli, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("name,email\nAda Lovelace,ada@example.org\n", encoding="utf-8")
    db = tmp_path / "new" / "mentorkit.db"
    result = cli("--db", str(db), "import", str(people), "--dry-run")
    assert result.exit_code == 1 and "there is no store at" in result.stderr and "--dry-run" in result.stderr
    assert not db.parent.exists()
    made = cli("--db", str(db), "import", str(people))
    assert made.exit_code == 0 and f"Created a new store at {db}." in made.stderr
