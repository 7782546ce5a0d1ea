"""What every command shares: the store handle, the clock, shared options and output."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    import sqlite3
    from zoneinfo import ZoneInfo

    from mentorkit.cli.render import Console
    from mentorkit.domain.profile import Profile
    from mentorkit.store.db import Store

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON only, on stdout.")]
MentorArg = Annotated[
    str, typer.Argument(metavar="MENTOR", help="Mentor id (#12), a whole name, or the starts of its words.")
]


@dataclass
class State:
    """Per-invocation state, kept in `ctx.obj`. Nothing touches the store until a command asks."""

    db: str | None = None
    _store: Store | None = None
    saved: bool = False
    """A write of this run has committed (an error after it must not say "nothing was saved")."""

    def store(self, *, create: bool = False) -> Store:
        """The store; only a command that writes may `create` it (a mistyped --db must not make
        an empty store that looks like lost data)."""
        if self._store is None:
            from mentorkit.store.db import open_store

            self._store = open_store(self.db, create=create)
            if self._store.damage is not None:
                say(
                    f"Warning: the store {self._store.path} is damaged (quick check: {self._store.damage}); "
                    "what is shown may be incomplete, and writes are refused. Run `mentorkit doctor`, "
                    "then `mentorkit restore BACKUP`"
                )
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def forget_new_store(self) -> None:
        """After a refused first write: remove the store this run created (and its side files), so
        a bad input leaves nothing behind. Directories it made for the store stay."""
        store = self._store
        if store is None or not store.created:
            return
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{store.path}{suffix}").unlink(missing_ok=True)


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def now() -> datetime:
    from mentorkit.clock import utcnow

    return utcnow()


@contextmanager
def reading(ctx: typer.Context) -> Iterator[sqlite3.Connection]:
    with state(ctx).store().read() as conn:
        yield conn


@contextmanager
def writing(ctx: typer.Context) -> Iterator[sqlite3.Connection]:
    command = ctx.command_path.partition(" ")[2] or ctx.command_path
    current = state(ctx)
    store = current.store(create=True)
    try:
        with store.write(command) as conn:
            yield conn
    except Exception:
        current.forget_new_store()
        raise
    current.saved = True
    if store.created:
        store.created = False  # said once, even when a command writes twice
        say(f"Created a new store at {store.path}.")


def profile(conn: sqlite3.Connection) -> Profile:
    from mentorkit.domain.profile import get_profile

    return get_profile(conn)


def profile_zone(conn: sqlite3.Connection) -> ZoneInfo:
    """The profile's time zone alone (cheaper than the whole profile: no goals, no stories)."""
    from mentorkit.domain.common import profile_zone as read_zone

    return read_zone(conn)


JSON_PART = 1000
"""Items of a long list encoded together by `emit_json`."""


def emit_json(data: Any) -> None:
    """`data` as indented JSON on stdout. A list (or any iterator, read as it is written) goes out
    `JSON_PART` items at a time, so a long list is never held whole; the text is what `json.dumps`
    of the whole list would give (each part is the inside of the same list's text)."""
    from itertools import islice

    from mentorkit.domain.common import jsonable

    # On a stdout that is not UTF-8, \u escapes keep every character (JSON readers decode them).
    plain = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("_", "-") in ("utf-8", "utf8")
    if not isinstance(data, list | tuple | Iterator):
        sys.stdout.write(json.dumps(jsonable(data), ensure_ascii=not plain, indent=2) + "\n")
        return
    items = iter(data)
    empty = True
    while part := list(islice(items, JSON_PART)):
        text = json.dumps(jsonable(part), ensure_ascii=not plain, indent=2)  # "[\n  ...\n]"
        sys.stdout.write(("[\n" if empty else ",\n") + text[2:-2])
        empty = False
    sys.stdout.write("[]\n" if empty else "\n]\n")


_consoles: dict[bool, Console] = {}


def console(stderr: bool = False) -> Console:
    """Where human output goes: tables, fields and lines in mentorkit's own format (cli/render.py)."""
    if stderr not in _consoles:
        from mentorkit.cli.render import Console

        _consoles[stderr] = Console(stderr=stderr)
    return _consoles[stderr]


def say(message: str) -> None:
    """A message for the person (stderr), never mixed with data on stdout: one line, control
    characters in it (a name, a file name) shown as escapes."""
    from mentorkit.cli.text import printable

    sys.stderr.write(printable(message) + "\n")
    sys.stderr.flush()


def echo_document(text: str) -> None:
    """A document (a draft, a template) on stdout: its lines and tabs kept, any other control
    character shown as an escape, as in every other line printed for a person."""
    from mentorkit.cli.text import printable

    lines = text.split("\n")
    sys.stdout.write("\n".join("\t".join(printable(part) for part in line.split("\t")) for line in lines))
    if not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()


def read_text_arg(value: str | None) -> str | None:
    """`-` reads the text from stdin."""
    if value == "-":
        return read_stdin_text()
    return value


def silence_stdout() -> None:
    """Once the reader of stdout has gone (`mentorkit ... | head`): send stdout to /dev/null, so
    that nothing more, not even the interpreter's last flush, fails or complains."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def read_stdin_text() -> str:
    """All of stdin as UTF-8 text; bytes that are not UTF-8 are refused, naming stdin."""
    from mentorkit.errors import InvalidInput

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # already text (a test, or an embedding program)
        return sys.stdin.read()
    data = stream.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            f"the text on stdin is not valid UTF-8 (line {line}); convert it "
            "(e.g. `iconv -f cp1252 -t utf-8`) and try again; nothing was written"
        ) from None
