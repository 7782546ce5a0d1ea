"""`remind install` / `remind uninstall`: the daily digest run by the system's own scheduler.

Three schedulers, each file written by us carrying a mark, so that uninstall removes exactly what
install wrote and never another file or line:

- systemd (Linux): a user service and timer, `mentorkit-remind.service` and `.timer`, in
  `$XDG_CONFIG_HOME/systemd/user/` (else, or when it is relative, `~/.config/systemd/user/`). `Persistent=true`: a morning
  missed while the laptop slept runs when it wakes. Their first line is `MARK`.
- cron: one line in the user's crontab (read with `crontab -l`, written with `crontab -`), ending
  in the comment `# mentorkit-remind`. Other lines are kept byte for byte.
- launchd (macOS): `~/Library/LaunchAgents/org.mentorkit.remind.plist`, with `MARK` as an XML
  comment.

A file of ours that is missing its mark (the person made one of that name) is refused, not
replaced; a symbolic link where a file of ours belongs is refused too. Files are written whole or
not at all (exchange/atomic.py), 0600, in directories made 0700 when missing.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from mentorkit.errors import InvalidInput, MentorkitError

SCHEDULERS = ("systemd", "cron", "launchd")
MARK = "Written by `mentorkit remind install`; `mentorkit remind uninstall` removes it."
CRON_MARK = "# mentorkit-remind"
UNIT = "mentorkit-remind"
LAUNCHD_LABEL = "org.mentorkit.remind"


class ScheduleError(MentorkitError):
    """The scheduler's files or crontab cannot be written or read as needed."""


@dataclass
class Job:
    """What runs every day: the command (argv) and the environment it needs."""

    at: time
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    scheduler: str
    written: list[tuple[Path, str]] = field(default_factory=list)  # files and their contents
    removed: list[Path] = field(default_factory=list)
    cron_line: str | None = None  # the crontab line added or removed
    to_start: list[list[str]] = field(default_factory=list)  # commands that start (or stop) it
    ran: list[list[str]] = field(default_factory=list)  # of those, the ones run
    failed: str | None = None  # a command that was run and failed: its one line


def default_scheduler() -> str:
    """launchd on macOS; systemd where `systemctl` is present (most Linux); else cron."""
    if sys.platform == "darwin":
        return "launchd"
    if sys.platform.startswith("linux") and shutil.which("systemctl"):
        return "systemd"
    return "cron"


def systemd_dir() -> Path:
    """`$XDG_CONFIG_HOME/systemd/user`, read as `config path` reads it (platformdirs): a relative
    XDG_CONFIG_HOME is invalid by the XDG spec and ignored, so ~/.config is used."""
    from mentorkit.config import user_config_dir

    return user_config_dir() / "systemd" / "user"


def launchd_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"


# ---- the files ----------------------------------------------------------------------------------


def _systemd_arg(arg: str) -> str:
    """One argument of ExecStart=, quoted as systemd reads it (specifiers and variables escaped)."""
    arg = arg.replace("%", "%%").replace("$", "$$")
    if arg and not re.search(r'[\s"\'\\;]', arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_units(job: Job) -> dict[str, str]:
    """The service and timer files by name."""
    environment = "".join(f"Environment={_systemd_arg(f'{k}={v}')}\n" for k, v in sorted(job.env.items()))
    service = (
        f"# {MARK}\n"
        "[Unit]\n"
        "Description=mentorkit: the daily digest of what is due\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"{environment}"
        f"ExecStart={' '.join(_systemd_arg(a) for a in job.argv)}\n"
    )
    timer = (
        f"# {MARK}\n"
        "[Unit]\n"
        f"Description=mentorkit: the daily digest at {job.at:%H:%M}\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {job.at:%H:%M}:00\n"
        "Persistent=true\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def cron_line(job: Job) -> str:
    """'0 8 * * * ENV=... /usr/bin/python3 -m mentorkit remind --notify # mentorkit-remind'."""
    # An assignment is NAME=value with only the value quoted: a quoted 'NAME=value' is a command name to sh.
    words = [f"{k}={shlex.quote(v)}" for k, v in sorted(job.env.items())] + [shlex.quote(a) for a in job.argv]
    command = " ".join(words).replace("%", "\\%")  # cron turns a bare % into a newline
    return f"{job.at.minute} {job.at.hour} * * * {command} {CRON_MARK}"


def launchd_plist(job: Job) -> str:
    import plistlib

    spec: dict[str, object] = {
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": job.argv,
        "StartCalendarInterval": {"Hour": job.at.hour, "Minute": job.at.minute},
    }
    if job.env:
        spec["EnvironmentVariables"] = dict(job.env)
    text = plistlib.dumps(spec).decode("utf-8")
    head, _, rest = text.partition("<plist")
    return f"{head}<!-- {MARK} -->\n<plist{rest}"


# ---- install and uninstall ----------------------------------------------------------------------


def installed(scheduler: str) -> bool:
    """Whether a reminder of ours is installed with `scheduler` (a crontab that cannot be read
    counts as none: the check must not stop an install elsewhere)."""
    if scheduler == "systemd":
        return any(_is_ours(systemd_dir() / f"{UNIT}.{kind}") for kind in ("timer", "service"))
    if scheduler == "launchd":
        return _is_ours(launchd_path())
    if not shutil.which("crontab"):
        return False
    try:
        return any(line.rstrip().endswith(CRON_MARK) for line in _crontab())
    except ScheduleError:
        return False


def install(scheduler: str, job: Job, *, start: bool = False) -> Outcome:
    """Write the scheduler's files (or crontab line) for `job`, replacing only our own earlier ones.

    With `start`, the scheduler is told to start it; when that fails, the files are put back as
    they were (our earlier ones restored, new ones removed) and `failed` says why. One installed
    with another scheduler is refused first (two would send the digest twice)."""
    for other in SCHEDULERS:
        if other != scheduler and installed(other):
            raise ScheduleError(
                f"the digest is already installed with {other}; remove it first with "
                f"`mentorkit remind uninstall --{other}` (nothing was changed)"
            )
    if scheduler == "systemd":
        directory = systemd_dir()
        units = systemd_units(job)
        for name in units:
            _check_ours(directory / name)
        previous = {directory / name: _read(directory / name) for name in units}
        outcome = Outcome(scheduler)
        for name, text in units.items():
            _write(directory / name, text)
            outcome.written.append((directory / name, text))
        outcome.to_start = [
            ["systemctl", "--user", "daemon-reload"],
            ["systemctl", "--user", "enable", "--now", f"{UNIT}.timer"],
        ]
    elif scheduler == "launchd":
        path = launchd_path()
        _check_ours(path)
        previous = {path: _read(path)}
        text = launchd_plist(job)
        _write(path, text)
        outcome = Outcome(scheduler, written=[(path, text)])
        outcome.to_start = [["launchctl", "load", "-w", str(path)]]
    else:
        line = cron_line(job)
        kept = [existing for existing in _crontab() if not existing.rstrip().endswith(CRON_MARK)]
        _set_crontab([*kept, line])
        return Outcome("cron", cron_line=line)
    if start:
        _run(outcome, outcome.to_start)
        if outcome.failed:
            _put_back(previous)
    return outcome


def _read(path: Path) -> str | None:
    """The text of our own earlier file at `path` (`_check_ours` passed), None when there is none."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _put_back(before: dict[Path, str | None]) -> None:
    for path, text in before.items():
        if text is None:
            _remove([path])
        else:
            _write(path, text)


def uninstall(schedulers: tuple[str, ...] = SCHEDULERS) -> list[Outcome]:
    """Remove what `install` wrote, wherever it is found; the rest is left as it was."""
    done = []
    for scheduler in schedulers:
        if scheduler == "systemd":
            paths = [systemd_dir() / f"{UNIT}.timer", systemd_dir() / f"{UNIT}.service"]
            ours = [path for path in paths if _is_ours(path)]
            if ours:
                outcome = Outcome(scheduler)
                if shutil.which("systemctl") and any(p.suffix == ".timer" for p in ours):
                    _run(outcome, [["systemctl", "--user", "disable", "--now", f"{UNIT}.timer"]])
                outcome.removed = _remove(ours)
                done.append(outcome)
        elif scheduler == "launchd":
            path = launchd_path()
            if _is_ours(path):
                outcome = Outcome(scheduler)
                if shutil.which("launchctl"):
                    _run(outcome, [["launchctl", "unload", "-w", str(path)]])
                outcome.removed = _remove([path])
                done.append(outcome)
        elif shutil.which("crontab"):
            entries = _crontab()
            mine = [line for line in entries if line.rstrip().endswith(CRON_MARK)]
            if mine:
                _set_crontab([line for line in entries if line not in mine])
                done.append(Outcome("cron", cron_line="\n".join(mine)))
    return done


def _is_ours(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return MARK in handle.read(4096)
    except OSError:
        return False


def _check_ours(path: Path) -> None:
    if path.is_symlink():
        raise ScheduleError(f"{path} is a symbolic link; mentorkit does not write through it. Remove it first")
    if path.exists() and not _is_ours(path):
        raise ScheduleError(
            f"{path} exists and was not written by mentorkit; it was left alone. Remove or rename it first"
        )


def _write(path: Path, text: str) -> None:
    from mentorkit.exchange.atomic import atomic_text
    from mentorkit.store.files import make_private_dirs

    make_private_dirs(path.parent, "the directory", "a private HOME")
    with atomic_text(path) as handle:
        handle.write(text)


def _remove(paths: list[Path]) -> list[Path]:
    removed = []
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise ScheduleError(f"cannot remove {path}: {exc.strerror}") from None
        removed.append(path)
    return removed


def _run(outcome: Outcome, commands: list[list[str]]) -> None:
    """Run each command; the first failure is noted (one line) and ends the run."""
    for argv in commands:
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            outcome.failed = f"`{shlex.join(argv)}` could not run ({type(exc).__name__})"
            return
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
            outcome.failed = f"`{shlex.join(argv)}` failed: {last[:160]}"
            return
        outcome.ran.append(argv)


def _crontab() -> list[str]:
    """The user's crontab, one entry a line; [] when they have none."""
    if not shutil.which("crontab"):
        raise ScheduleError("there is no `crontab` command here; use --systemd or --launchd instead")
    try:
        done = subprocess.run(["crontab", "-l"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ScheduleError(f"`crontab -l` could not run ({type(exc).__name__})") from None
    if done.returncode != 0:
        if "no crontab" in done.stderr.lower():
            return []
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise ScheduleError(f"`crontab -l` failed: {last[:160]}; nothing was changed")
    return done.stdout.splitlines()


def _set_crontab(lines: list[str]) -> None:
    text = "".join(line + "\n" for line in lines)
    try:
        done = subprocess.run(["crontab", "-"], input=text, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ScheduleError(f"`crontab -` could not run ({type(exc).__name__}); nothing was changed") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise ScheduleError(f"`crontab -` refused the new crontab: {last[:160]}")


def check_scheduler(name: str) -> str:
    if name not in SCHEDULERS:
        raise InvalidInput(f"unknown scheduler {name!r}; use one of: {', '.join(SCHEDULERS)}")
    return name
