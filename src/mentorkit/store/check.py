"""Damage that SQLite finds only by looking: a quick check whenever the store file changed
behind mentorkit's back.

SQLite reads only the pages a query needs, so a few bytes flipped inside an index page (a failing
disk, another program writing into the file) can go unnoticed while commands show wrong results
and write more into the damaged file. `PRAGMA quick_check` reads every page; on the reference
store (docs/reliability.md) it costs too much to run on every command, so it runs only when the
file is not the one mentorkit last saw.

After a check passes, and when a command that opened a sound store closes it, the file's size,
modification time and inode are kept in the user's cache directory (`stamp_path`; a cache: if it
is lost or cannot be written, the next command checks again). A file that changed otherwise is
checked on open, and so is one last checked more than a week ago (decay on a disk changes bytes,
not the modification time). A store that fails is marked damaged: reads go on (with a warning, so the data
can still be exported), every write is refused, and so is an upgrade.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path


def stamp_path(store: Path) -> Path:
    """Where what was last seen of `store` is kept: the user's cache directory (XDG_CACHE_HOME,
    else ~/.cache), one small file per store, named by a digest of the store's real path.

    The digest is 64-bit FNV-1a, computed here: every command opens a store, and `hashlib` costs
    an OpenSSL load (3 ms of `followups`' 134). A name shared by two paths would at worst run the
    check again, or skip it for a file whose size, time and inode also match the other's."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    digest = 0xCBF29CE484222325
    for byte in os.path.realpath(store).encode("utf-8", "surrogateescape"):
        digest = ((digest ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return Path(root) / "mentorkit" / "checked" / f"fnv-{digest:016x}"


def _identity(store: Path) -> str | None:
    """What changes when anything writes the file: size, modification time (ns) and inode."""
    try:
        info = os.stat(store)
    except OSError:
        return None
    return f"{info.st_size} {info.st_mtime_ns} {info.st_ino}"


def _last_seen(store: Path) -> tuple[str, float] | None:
    """The file's identity when mentorkit last saw it sound, and when it was last checked."""
    try:
        identity, _, checked = stamp_path(store).read_text(encoding="ascii").strip().rpartition(" ")
        return identity, float(checked)
    except (OSError, UnicodeDecodeError, ValueError):
        return None


RECHECK_AFTER_S = 7 * 86400
"""A disk that decays changes bytes but not the modification time: check at least weekly."""


def seen_as_is(store: Path) -> bool:
    """Whether the file is exactly as mentorkit last saw it sound, checked less than a week ago."""
    import time

    seen = _last_seen(store)
    return seen is not None and seen[0] == _identity(store) and time.time() - seen[1] <= RECHECK_AFTER_S


def remember(store: Path, *, checked: bool) -> None:
    """Record the file as sound, as it is now (best effort). `checked`: a check has just passed;
    otherwise mentorkit's own writes changed a file that was sound, and the time of the last
    check is kept (so the weekly check still comes)."""
    import time

    identity = _identity(store)
    if identity is None:
        return
    if checked:
        when = time.time()
    else:
        seen = _last_seen(store)
        if seen is None or seen[0] == identity:
            return  # never checked (the next open will), or nothing changed
        when = seen[1]
    target = stamp_path(store)
    temp = target.with_name(f"{target.name}.{os.getpid()}")
    with contextlib.suppress(OSError):
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, f"{identity} {when:.0f}\n".encode("ascii"))
        finally:
            os.close(fd)
        os.replace(temp, target)
    with contextlib.suppress(OSError):
        temp.unlink(missing_ok=True)


def problem(conn: sqlite3.Connection) -> str | None:
    """The first problem `PRAGMA quick_check` finds, or None for a sound store."""
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check(1)")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else rows[0]
