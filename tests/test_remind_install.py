"""`remind install` / `remind uninstall` with a private HOME and fake systemctl, crontab and
launchctl on PATH: the files written, their contents, and that uninstall removes exactly them."""

from __future__ import annotations

import os
import plistlib
import stat
import sys
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., Any]

FAKE_LOGGER = """#!/bin/sh
printf '%s\\n' "$0 $*" >> "$FAKE_LOG"
[ -n "$FAKE_FAIL" ] && { echo "Failed to connect to bus: No medium found" >&2; exit 1; }
exit 0
"""
FAKE_CRONTAB = """#!/bin/sh
# crontab -l prints the table (or fails with "no crontab"); crontab - replaces it with stdin.
if [ "$1" = "-l" ]; then
  [ -f "$HOME/crontab.txt" ] || { echo "no crontab for $USER" >&2; exit 1; }
  /bin/cat "$HOME/crontab.txt"
elif [ "$1" = "-" ]; then
  /bin/cat > "$HOME/crontab.txt"
fi
"""


@pytest.fixture
def home(isolated_dirs: Path) -> Path:
    return isolated_dirs / "home"


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory of fake scheduler commands, first on PATH; their calls go to $FAKE_LOG."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, script in (("systemctl", FAKE_LOGGER), ("launchctl", FAKE_LOGGER), ("crontab", FAKE_CRONTAB)):
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/bin")  # nothing else: no real scheduler is reachable
    monkeypatch.setenv("FAKE_LOG", str(tmp_path / "calls.log"))
    return tmp_path / "calls.log"


def calls(log: Path) -> list[str]:
    """The fake commands run, each as 'name args' (the fake's own directory left out)."""
    if not log.exists():
        return []
    return [Path(line.split(" ", 1)[0]).name + " " + line.split(" ", 1)[1] for line in log.read_text().splitlines()]


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


# ---- systemd ------------------------------------------------------------------------------------


def test_systemd_writes_a_persistent_timer_and_its_service(home: Path, fakes: Path, ok: Run, db_path: Path) -> None:
    before = files_under(home)
    result = ok("remind", "install", "--systemd", "--at", "7:30")
    unit_dir = home / ".config" / "systemd" / "user"
    service, timer = unit_dir / "mentorkit-remind.service", unit_dir / "mentorkit-remind.timer"
    assert files_under(home) - before == {service, timer}
    assert timer.read_text().splitlines() == [
        "# Written by `mentorkit remind install`; `mentorkit remind uninstall` removes it.",
        "[Unit]",
        "Description=mentorkit: the daily digest at 07:30",
        "",
        "[Timer]",
        "OnCalendar=*-*-* 07:30:00",
        "Persistent=true",
        "",
        "[Install]",
        "WantedBy=timers.target",
    ]
    text = service.read_text()
    assert "[Service]\nType=oneshot\n" in text
    assert f"ExecStart={sys.executable} -m mentorkit --db {db_path} remind --notify\n" in text
    assert stat.S_IMODE(service.stat().st_mode) == 0o600
    assert f"# {service}\n" in result.stdout and "OnCalendar=*-*-* 07:30:00" in result.stdout  # what it wrote
    assert "systemctl --user daemon-reload && systemctl --user enable --now mentorkit-remind.timer" in result.stderr
    assert "`mentorkit remind uninstall` removes it" in result.stderr
    assert calls(fakes) == []  # only printed, not run


def test_systemd_enable_runs_systemctl_and_uninstall_stops_and_removes(home: Path, fakes: Path, ok: Run) -> None:
    unit_dir = home / ".config" / "systemd" / "user"
    unit_dir.mkdir(parents=True)
    (unit_dir / "other.timer").write_text("[Timer]\n")  # the person's own: never touched
    ok("remind", "install", "--systemd", "--enable")
    assert calls(fakes) == [
        "systemctl --user daemon-reload",
        "systemctl --user enable --now mentorkit-remind.timer",
    ]
    result = ok("remind", "uninstall")
    assert calls(fakes)[-1] == "systemctl --user disable --now mentorkit-remind.timer"
    assert sorted(p.name for p in unit_dir.iterdir()) == ["other.timer"]
    assert (unit_dir / "other.timer").read_text() == "[Timer]\n"
    assert f"Removed {unit_dir / 'mentorkit-remind.timer'}." in result.stderr
    assert "Nothing to remove" in ok("remind", "uninstall").stderr


def test_a_failing_systemctl_is_one_line_and_leaves_the_files_as_they_were(
    home: Path, fakes: Path, cli: Run, ok: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    units = home / ".config" / "systemd" / "user"
    monkeypatch.setenv("FAKE_FAIL", "1")
    result = cli("remind", "install", "--systemd", "--enable")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: `systemctl --user daemon-reload` failed: Failed to connect to bus: No medium found; "
        "nothing was installed (without --enable the files are written for you to start)"
    ]
    assert not (units / "mentorkit-remind.timer").exists() and not (units / "mentorkit-remind.service").exists()

    monkeypatch.delenv("FAKE_FAIL")
    ok("remind", "install", "--systemd", "--at", "07:00")  # written, not started
    earlier = {p.name: p.read_text() for p in units.iterdir()}
    monkeypatch.setenv("FAKE_FAIL", "1")
    assert cli("remind", "install", "--systemd", "--at", "09:30", "--enable").exit_code == 1
    assert {p.name: p.read_text() for p in units.iterdir()} == earlier  # the earlier install, as it was

    result = cli("remind", "uninstall")  # the files go even when systemctl cannot stop the timer
    assert result.exit_code == 0 and "Stopped" not in result.stderr
    assert "Warning: `systemctl --user disable --now mentorkit-remind.timer` failed" in result.stderr
    assert not (units / "mentorkit-remind.timer").exists()


def test_the_default_time_is_the_configs_remind_at(home: Path, fakes: Path, ok: Run) -> None:
    ok("config", "set", "remind.at", "06:15")
    ok("remind", "install", "--systemd")
    assert "OnCalendar=*-*-* 06:15:00" in (home / ".config/systemd/user/mentorkit-remind.timer").read_text()


def test_a_file_of_the_same_name_that_is_not_ours_is_left_alone(home: Path, fakes: Path, cli: Run) -> None:
    unit_dir = home / ".config" / "systemd" / "user"
    unit_dir.mkdir(parents=True)
    mine = unit_dir / "mentorkit-remind.service"
    mine.write_text("[Service]\nExecStart=/usr/local/bin/my-own-thing\n")
    result = cli("remind", "install", "--systemd")
    assert result.exit_code == 1 and "was not written by mentorkit; it was left alone" in result.stderr
    assert not (unit_dir / "mentorkit-remind.timer").exists()
    cli("remind", "uninstall")
    assert mine.read_text() == "[Service]\nExecStart=/usr/local/bin/my-own-thing\n"


def test_a_symbolic_link_where_a_unit_belongs_is_refused(home: Path, fakes: Path, cli: Run, tmp_path: Path) -> None:
    unit_dir = home / ".config" / "systemd" / "user"
    unit_dir.mkdir(parents=True)
    target = tmp_path / "precious"
    target.write_text("keep")
    (unit_dir / "mentorkit-remind.timer").symlink_to(target)
    result = cli("remind", "install", "--systemd")
    assert result.exit_code == 1 and "symbolic link" in result.stderr
    assert target.read_text() == "keep"


def test_installing_again_replaces_our_own_files(home: Path, fakes: Path, ok: Run) -> None:
    ok("remind", "install", "--systemd", "--at", "08:00")
    ok("remind", "install", "--systemd", "--at", "09:00", "--email", "maya@example.org")
    unit_dir = home / ".config" / "systemd" / "user"
    assert "OnCalendar=*-*-* 09:00:00" in (unit_dir / "mentorkit-remind.timer").read_text()
    assert "remind --email maya@example.org\n" in (unit_dir / "mentorkit-remind.service").read_text()


# ---- cron ---------------------------------------------------------------------------------------


def test_cron_adds_one_marked_line_and_uninstall_removes_only_it(home: Path, fakes: Path, ok: Run) -> None:
    crontab = home / "crontab.txt"
    crontab.write_text("MAILTO=maya@example.org\n30 6 * * 1 /usr/bin/backup  # mentorkit is backed up too\n")
    result = ok("remind", "install", "--cron", "--at", "08:05")
    lines = crontab.read_text().splitlines()
    assert lines[:2] == ["MAILTO=maya@example.org", "30 6 * * 1 /usr/bin/backup  # mentorkit is backed up too"]
    (line,) = lines[2:]
    assert line.startswith("5 8 * * * ")
    assert f" {sys.executable} -m mentorkit --db " in line and line.endswith(" remind --notify # mentorkit-remind")
    assert f"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/{os.getuid()}/bus " in line  # cron has no session bus
    assert line in result.stdout
    ok("remind", "install", "--cron", "--at", "09:00")  # again: still one line, the new time
    assert next(entry for entry in crontab.read_text().splitlines() if "mentorkit-remind" in entry).startswith(
        "0 9 * * * "
    )
    assert len(crontab.read_text().splitlines()) == 3
    result = ok("remind", "uninstall", "--cron")
    assert crontab.read_text() == (
        "MAILTO=maya@example.org\n30 6 * * 1 /usr/bin/backup  # mentorkit is backed up too\n"
    )
    assert "Removed from your crontab: 0 9 * * *" in result.stderr


def test_cron_with_email_and_a_first_crontab(home: Path, fakes: Path, ok: Run) -> None:
    ok("remind", "install", "--cron", "--email", "maya@example.org")
    (line,) = (home / "crontab.txt").read_text().splitlines()
    assert line.startswith("0 8 * * * ") and "DBUS_SESSION_BUS_ADDRESS" not in line
    assert line.endswith(" remind --email maya@example.org # mentorkit-remind")


def test_cron_without_a_crontab_command_is_one_line(
    home: Path, tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = cli("remind", "install", "--cron")
    assert result.exit_code == 1 and "there is no `crontab` command here" in result.stderr


# ---- launchd ------------------------------------------------------------------------------------


def test_launchd_writes_an_agent_plist(home: Path, fakes: Path, ok: Run, db_path: Path) -> None:
    ok("remind", "install", "--launchd", "--at", "07:45", "--enable")
    path = home / "Library" / "LaunchAgents" / "org.mentorkit.remind.plist"
    text = path.read_text()
    assert "<!-- Written by `mentorkit remind install`; `mentorkit remind uninstall` removes it. -->" in text
    spec = plistlib.loads(path.read_bytes())
    assert spec == {
        "Label": "org.mentorkit.remind",
        "ProgramArguments": [sys.executable, "-m", "mentorkit", "--db", str(db_path), "remind", "--notify"],
        "StartCalendarInterval": {"Hour": 7, "Minute": 45},
    }
    assert calls(fakes) == [f"launchctl load -w {path}"]
    ok("remind", "uninstall", "--launchd")
    assert not path.exists() and calls(fakes)[-1] == f"launchctl unload -w {path}"


# ---- choices ------------------------------------------------------------------------------------


def test_the_default_scheduler_follows_the_platform(
    home: Path, fakes: Path, ok: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentorkit.delivery.schedule import default_scheduler

    monkeypatch.setattr(sys, "platform", "linux")
    assert default_scheduler() == "systemd"  # systemctl is on PATH
    monkeypatch.setenv("PATH", str(tmp_path))
    assert default_scheduler() == "cron"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert default_scheduler() == "launchd"


def test_two_schedulers_at_once_or_a_bad_time_are_refused(home: Path, fakes: Path, cli: Run) -> None:
    result = cli("remind", "install", "--cron", "--systemd")
    assert result.exit_code == 1 and "give one of --systemd, --cron and --launchd" in result.stderr
    result = cli("remind", "install", "--cron", "--at", "25:00")
    assert result.exit_code == 1 and "is not a time of day" in result.stderr
    assert files_under(home) == set()


def test_json_says_what_was_written(home: Path, fakes: Path, ok: Run) -> None:
    data = ok("remind", "install", "--systemd", "--json").json()
    assert data["scheduler"] == "systemd" and data["at"] == "08:00"
    assert data["command"][-2:] == ["remind", "--notify"]
    assert [Path(f["path"]).name for f in data["files"]] == ["mentorkit-remind.service", "mentorkit-remind.timer"]
    assert data["start"][-1] == "systemctl --user enable --now mentorkit-remind.timer" and data["ran"] == []
    removed = ok("remind", "uninstall", "--json").json()
    assert [r["scheduler"] for r in removed] == ["systemd"] and len(removed[0]["removed"]) == 2


def test_the_cron_line_runs_under_sh_with_spaces_and_percent_in_the_paths(tmp_path: Path) -> None:
    """The command part of the line, run as cron runs it (`\\%` -> `%`, then /bin/sh -c), reaches the program."""
    import subprocess

    from mentorkit.delivery.schedule import Job, cron_line

    odd = tmp_path / "my dir" / "50%h it's"
    odd.mkdir(parents=True)
    seen = tmp_path / "seen.txt"
    program = odd / "fake mentorkit"
    program.write_text(f'#!/bin/sh\nprintf \'%s\\n\' "$MENTORKIT_CONFIG" "$@" > {str(seen)!r}\n')
    program.chmod(0o755)
    config = str(odd / "c.toml")
    job = Job(time(6, 45), [str(program), "--db", str(odd / "s.db"), "remind"], {"MENTORKIT_CONFIG": config})
    line = cron_line(job)
    command = line.split(" ", 5)[5].replace("\\%", "%")
    done = subprocess.run(["/bin/sh", "-c", command], env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert seen.read_text().splitlines() == [config, "--db", str(odd / "s.db"), "remind"]


def test_installing_with_another_scheduler_is_refused_naming_the_uninstall(
    home: Path, fakes: Path, ok: Run, cli: Run
) -> None:
    ok("remind", "install", "--cron", "--at", "07:00")
    before = files_under(home)
    crontab = (home / "crontab.txt").read_text()
    for other in ("--systemd", "--launchd"):
        result = cli("remind", "install", other, "--at", "09:00")
        assert result.exit_code == 1
        assert result.stderr == (
            "Error: the digest is already installed with cron; remove it first with "
            "`mentorkit remind uninstall --cron` (nothing was changed)\n"
        )
    assert files_under(home) == before and (home / "crontab.txt").read_text() == crontab
    ok("remind", "uninstall", "--cron")
    ok("remind", "install", "--systemd", "--at", "09:00")
    result = cli("remind", "install", "--cron")
    assert result.exit_code == 1 and "`mentorkit remind uninstall --systemd`" in result.stderr
    ok("remind", "install", "--systemd", "--at", "10:00")  # the same scheduler again still replaces its own


def test_a_relative_xdg_config_home_is_ignored_as_config_path_ignores_it(
    home: Path, fakes: Path, ok: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", "relcfg")
    ok("remind", "install", "--systemd")
    assert not (tmp_path / "relcfg").exists()
    assert (home / ".config" / "systemd" / "user" / "mentorkit-remind.timer").is_file()
    assert Path(ok("config", "path").stdout.strip()).parent.parent == home / ".config"
