"""The calendar as a vdir: one `.ics` file per record, for vdirsyncer (CalDAV) and khal.

- Each meeting and open follow-up is a file named by its UID (`<uuid>@mentorkit.ics`), holding a
  whole VCALENDAR: the component and the VTIMEZONE it refers to. A UID with a character outside
  `[A-Za-z0-9_.@+-]` (a record that came in by import) is named by its SHA-256 instead.
- A file is rewritten only when its bytes change, so vdirsyncer uploads only what changed.
  Each is written whole or not at all (atomic.py: a private temporary file renamed into place).
- The manifest `.mentorkit-vdir.json` lists the files mentorkit wrote. A file it lists whose
  record is gone (deleted, done, or left out by a filter) is removed; a file it does not list is
  never touched, so events another program put in the directory stay. New files are added to the
  manifest before they are written, so an export killed part-way still knows every file it wrote.
- A new directory is made 0700; the files are 0600.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from functools import cache
from itertools import islice
from pathlib import Path

from mentorkit.errors import InvalidInput
from mentorkit.exchange.ics import CALENDAR_END, IcsCounts, IcsOptions, components, header, serialise, tzid_of

MANIFEST = ".mentorkit-vdir.json"
EXTENSION = ".ics"
_SAFE = re.compile(r"^[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]{0,200}$")


@dataclass
class VdirResult:
    directory: Path
    counts: IcsCounts = field(default_factory=IcsCounts)
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def file_name(uid: str) -> str:
    """The file of a component: its UID when that is a safe file name, else the UID's SHA-256."""
    if _SAFE.match(uid):
        return uid + EXTENSION
    return hashlib.sha256(uid.encode()).hexdigest() + EXTENSION


def _directory(path: Path) -> Path:
    from mentorkit.store.files import make_private_dirs

    path = path.expanduser()
    if path.exists() and not path.is_dir():
        raise InvalidInput(f"{path} is not a directory; give --vdir a directory (made if missing)")
    if not path.exists():
        make_private_dirs(path, "the calendar directory", "--vdir DIR")
    return path


def _read_manifest(directory: Path) -> set[str]:
    path = directory / MANIFEST
    if not path.exists():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if data.get("format") != "mentorkit-vdir" or not all(isinstance(name, str) for name in files):
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError):
        raise InvalidInput(
            f"{path} is not a mentorkit vdir manifest; move it away (mentorkit then removes none of its old files)"
        ) from None
    # only names mentorkit could have written, directly inside the directory
    return {name for name in files if name.endswith(EXTENSION) and os.path.basename(name) == name}


def _write(path: Path, data: bytes) -> None:
    from mentorkit.exchange.atomic import private_temp

    with private_temp(path, sweep_first=False) as temp, open(temp, "wb") as handle:
        handle.write(data)


def _write_manifest(directory: Path, files: set[str]) -> None:
    text = json.dumps({"format": "mentorkit-vdir", "files": sorted(files)}, indent=0)
    _write(directory / MANIFEST, text.encode())


def _is_plain_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except FileNotFoundError:
        return False


def _unchanged(path: Path, data: bytes) -> bool:
    try:
        if path.lstat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


CHUNK = 500
"""Files prepared before the manifest is widened to list the new ones among them, then written."""


def _chunks(items: Iterator[tuple[str, bytes]]) -> Iterator[list[tuple[str, bytes]]]:
    while chunk := list(islice(items, CHUNK)):
        yield chunk


@cache
def _zone_header(zone: tzinfo | None, year: int) -> str:
    """The calendar's start with the VTIMEZONE of a meeting in `zone` in `year`: rules for that
    year and its neighbours only (as the single-file export gives for its span), so a file does
    not change when meetings in other years come and go, and vdirsyncer uploads only real changes."""
    from icalendar import Timezone

    assert zone is not None
    tzid = tzid_of(zone)
    assert tzid is not None
    span = dict(first_date=date(max(year - 1, 1), 1, 1), last_date=date(min(year + 2, 9999), 1, 1))
    return header([Timezone.from_tzinfo(zone, tzid, **span)])


def export_vdir(conn: sqlite3.Connection, directory: Path, options: IcsOptions) -> VdirResult:
    """Write one file per component into `directory`, a few hundred at a time as the rows are
    read; then remove the files of records now gone."""
    from mentorkit.store.tempfiles import sweep

    directory = _directory(directory)
    result = VdirResult(directory)
    listed = _read_manifest(directory)
    plain = header([])
    zones: set[str] = set()
    sweep(directory)

    def files() -> Iterator[tuple[str, bytes]]:
        for component, tzid in components(conn, options, result.counts):
            uid = component.props["UID"]
            assert isinstance(uid, str)
            start = component.props["DTSTART"] if tzid is not None else None
            if isinstance(start, datetime) and tzid is not None:
                zones.add(tzid)
                text = _zone_header(start.tzinfo, start.year)
            else:
                text = plain
            yield file_name(uid), (text + serialise(component) + CALENDAR_END).encode()

    written: set[str] = set()
    for chunk in _chunks(files()):
        for name, _ in chunk:
            path = directory / name
            if path.is_symlink() or (path.exists() and not _is_plain_file(path)):
                raise InvalidInput(f"{path} is not a regular file; move it away and export again")
        if new := {name for name, _ in chunk} - listed:
            listed |= new
            _write_manifest(directory, listed)  # listed before they exist: a killed export forgets none
        for name, data in chunk:
            written.add(name)
            if _unchanged(directory / name, data):
                result.unchanged += 1
            else:
                _write(directory / name, data)
                result.written += 1
    for name in sorted(listed - written):
        path = directory / name
        if _is_plain_file(path):
            path.unlink()
            result.removed += 1
    if listed != written:
        _write_manifest(directory, written)
    result.counts.zones = len(zones)
    return result
