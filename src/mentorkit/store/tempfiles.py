"""Private temporary files that a killed mentorkit cannot leave behind for good.

Every temporary file mentorkit makes (an export or backup being written, the copy before an
upgrade, a restore's working copy) is named `.<name>.mentorkit-XXXXXXXX.tmp`, is 0600 from the
moment it exists, and holds an exclusive `flock` while in use. A process killed with SIGKILL
cannot remove its own, but the kernel drops its lock, so the next command that makes one in the
same directory removes every such file that nobody holds (`sweep`), with the `-journal` SQLite
may have left beside it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_MARK = ".mentorkit-"
TEMP_SUFFIX = ".tmp"
SQLITE_SIDES = ("-journal", "-wal", "-shm")

_ours: set[str] = set()
"""Temporary files this process is using. `sweep` never opens them: closing a descriptor of a
file drops every POSIX lock this process holds on it, SQLite's included."""


def release(path: Path, fd: int) -> None:
    """Close the descriptor holding the lock of a temporary file made by `locked_temp`."""
    _ours.discard(os.path.abspath(path))
    os.close(fd)


def remove_with_sides(path: Path) -> None:
    for name in (str(path), *(f"{path}{side}" for side in SQLITE_SIDES)):
        with contextlib.suppress(OSError):
            os.unlink(name)


def sweep(directory: Path) -> int:
    """Remove the temporary files a killed mentorkit left in `directory`; return how many.

    Only our own names, only regular files we own, and only those whose lock nobody holds: a
    file another running command is filling is left alone.
    """
    removed = 0
    try:
        candidates = list(directory.glob(f".*{TEMP_MARK}*{TEMP_SUFFIX}"))
    except OSError:
        return 0
    for path in candidates:
        if os.path.abspath(path) in _ours:
            continue
        try:
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
                continue
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # in use by a running command
        try:
            if os.fstat(fd).st_ino == info.st_ino:
                remove_with_sides(path)
                removed += 1
        finally:
            os.close(fd)
    return removed


def locked_temp(directory: Path, stem: str) -> tuple[Path, int]:
    """A new, empty 0600 file `.<stem>.mentorkit-XXXXXXXX.tmp` in `directory`, and an open file
    descriptor holding its lock (close it to release). OSError if it cannot be made."""
    while True:
        fd, name = tempfile.mkstemp(dir=directory, prefix=f".{stem}{TEMP_MARK}", suffix=TEMP_SUFFIX)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_nlink > 0:  # not swept by another process before the lock was taken
                _ours.add(os.path.abspath(name))
                return Path(name), fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


@contextmanager
def scratch_file(directory: Path, stem: str) -> Iterator[Path]:
    """A private, empty working file (for SQLite to fill) that is removed afterwards, with any
    journal beside it; a kill leaves it for `sweep`."""
    sweep(directory)
    path, fd = locked_temp(directory, stem)
    try:
        yield path
    finally:
        remove_with_sides(path)
        release(path, fd)
