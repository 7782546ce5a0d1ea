"""Files written whole or not at all, private to the user.

Everything mentorkit writes outside the store (exports, backups) goes to a temporary file in the
target's own directory (same file system, so the rename is atomic), is flushed and fsynced, and
only then renamed over the target; the directory is fsynced so the rename survives a crash.
A failure at any point (disk full, an exception while rendering) leaves the target as it was and
removes the temporary file. New files are 0600 from the moment they exist.

Temporary files are swept after a kill: see store/tempfiles.py.

Overwriting: the CLI refuses an existing `export -o FILE` or `backup PATH` unless `--force` is
given (re-exporting a calendar to the same file is then the way to update it). What is refused
even so: a directory, something that is not a regular file (a FIFO, a device), and the store
itself or its -wal/-shm files. A symlink is followed, so the file it
points to is replaced and the link stays.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from mentorkit.errors import InvalidInput, StoreError
from mentorkit.store.tempfiles import locked_temp, release, remove_with_sides, sweep


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_target(target: Path, *, protect: Iterable[Path] = ()) -> Path:
    """The real path to write, after refusing targets that must never be replaced."""
    target = target.expanduser()
    if target.is_symlink():
        target = target.resolve()
    for kept in protect:
        for candidate in (kept, Path(f"{kept}-wal"), Path(f"{kept}-shm"), Path(f"{kept}-journal")):
            if same_file(target, candidate):
                raise InvalidInput(f"{target} is the mentorkit store itself; write the export or backup elsewhere")
    if target.is_dir():
        raise InvalidInput(f"{target} is a directory; give a file name inside it")
    if target.exists() and not stat.S_ISREG(target.stat().st_mode):
        raise InvalidInput(f"{target} is not a regular file; give a file path (or leave out -o for stdout)")
    if not target.parent.is_dir():
        raise InvalidInput(f"the directory {target.parent} does not exist; create it first")
    return target


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a directory; the rename is still atomic
    finally:
        os.close(fd)


def _write_failed(target: Path, exc: OSError) -> StoreError:
    if exc.errno == errno.ENOSPC:
        return StoreError(f"the disk is full; nothing was written to {target}. Free some space")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreError(f"cannot write to {target.parent} ({exc.strerror}); choose a writable place")
    return StoreError(f"cannot write {target}: {exc.strerror or exc}; nothing was written")


@contextmanager
def private_temp(target: Path, *, protect: Iterable[Path] = (), sweep_first: bool = True) -> Iterator[Path]:
    """A 0600 temporary path beside `target`; renamed onto it when the block succeeds.

    The block fills the file (for instance through SQLite's backup API) and closes it; this
    fsyncs it, renames it into place (a new file: 0600 whatever the mode of the file it replaces)
    and fsyncs the directory. On any error it is removed; after a kill, `sweep` removes it.
    (`sweep_first=False`: the caller writing many files into one directory swept it once.)
    """
    target = check_target(target, protect=protect)
    if sweep_first:
        sweep(target.parent)
    try:
        temp, lock = locked_temp(target.parent, target.name)
    except OSError as exc:
        raise _write_failed(target, exc) from None
    try:
        yield temp
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except OSError as exc:
        remove_with_sides(temp)
        raise _write_failed(target, exc) from None
    except BaseException:
        remove_with_sides(temp)
        raise
    finally:
        release(temp, lock)
    _fsync_dir(target.parent)


@contextmanager
def atomic_text(target: Path, *, newline: str | None = None, protect: Iterable[Path] = ()) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content replaces `target` only if the block succeeds."""
    with private_temp(target, protect=protect) as temp, open(temp, "w", encoding="utf-8", newline=newline) as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
