"""The store's files on disk: private directories and files, and the side files beside it.

Every function here works on paths, never through SQLite. Permissions are fixed only on regular
files the user owns, never through a symbolic link: a symlink planted as `store.db-shm` in a shared directory must never make mentorkit re-mode (or write to)
the file it points to, so a link where a side file belongs is refused before SQLite opens anything.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from mentorkit.errors import StoreError

SIDE_SUFFIXES = ("-wal", "-shm")
LINKED_SIDES = ("-wal", "-shm", "-journal")


def make_private_dirs(directory: Path, what: str = "the store directory", fix: str = "--db PATH") -> None:
    """Create missing directories 0700. Existing directories are the user's: leave them be."""
    missing: list[Path] = []
    probe = directory
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue
        except OSError as exc:
            raise StoreError(f"cannot create {what} {path}: {exc.strerror}; choose another place with {fix}") from None
        os.chmod(path, 0o700)


def create_private_file(path: Path) -> None:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(
            f"cannot create the store {path}: {exc.strerror}; choose another place with --db PATH"
        ) from None
    os.fchmod(fd, 0o600)
    os.close(fd)


def make_empty_file_private(path: Path) -> None:
    """An empty file (say, made by `touch`) is about to become a store: make it 0600 first.
    (`--db` may name a link the user made: the store itself is followed, side files never are.)"""
    _chmod_own_file(path, 0o600, lambda mode, size: size == 0 and bool(mode & 0o077), follow=True)


def repair_side_files(path: Path) -> None:
    """Make our own -wal/-shm files 0600 again when the store itself is writable.

    SQLite gives new side files the store's mode, and a read-only session cannot remove them, so
    a session while the store was read-only leaves 0400 side files behind. Once the user makes the
    store writable again, such a -shm would still fail every write as "read-only".
    """
    if not os.access(path, os.W_OK):
        return
    for suffix in SIDE_SUFFIXES:
        _chmod_own_file(Path(f"{path}{suffix}"), 0o600, lambda mode, _: mode != 0o600)


def tighten_side_files(path: Path) -> None:
    for suffix in SIDE_SUFFIXES:
        _chmod_own_file(Path(f"{path}{suffix}"), 0o600, lambda mode, _: bool(mode & 0o077))


def _chmod_own_file(path: Path, mode: int, needed: Callable[[int, int], bool], *, follow: bool = False) -> None:
    """Set `mode` on `path` when `needed(current mode, size)`, only if it is a regular file the
    user owns and, unless `follow`, never through a symbolic link.

    No descriptor is opened: closing one would drop the POSIX locks SQLite holds on the same
    file in this process (the -shm is changed while a connection is open).
    """
    try:
        info = os.stat(path) if follow else os.lstat(path)
    except OSError:
        return
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
        return
    if not needed(stat.S_IMODE(info.st_mode), info.st_size):
        return
    # Without following, a link swapped in since the lstat is refused, not followed (Linux has
    # no lchmod: Python raises NotImplementedError for a link). A failure is SQLite's to report.
    with contextlib.suppress(OSError, NotImplementedError):
        os.chmod(path, mode, follow_symlinks=follow)


def refuse_linked_sides(path: Path) -> None:
    """Refuse a store with a symbolic link where its -wal, -shm or -journal belongs.

    In a directory others can write to, such a link could make SQLite (or a permission fix)
    change any file the user can write. SQLite puts side files beside the store's real path, so
    both places are checked.
    """
    places = {str(path), os.path.realpath(path)}
    for place in places:
        for suffix in LINKED_SIDES:
            side = f"{place}{suffix}"
            if os.path.islink(side):
                raise StoreError(
                    f"{side} is a symbolic link where the store's own {suffix[1:]} file belongs; "
                    "mentorkit does not follow it. Remove it (if you did not make it, someone else "
                    "may have), then run the command again"
                )
