"""`export`: one entry point over the formats, so the command line holds no SQL."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from mentorkit.errors import InvalidInput
from mentorkit.exchange import Progress, no_progress

if TYPE_CHECKING:
    from mentorkit.exchange.ics import IcsCounts, IcsOptions

FORMATS = ("json", "csv", "ics", "md")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def check_options(fmt: str, what: str | None, ics_options: list[str], template: str | None) -> None:
    """Refuse options given to a format they do not apply to (`ics_options`: the names of the
    iCalendar-only options given)."""
    if what is not None and fmt != "csv":
        raise InvalidInput("--what applies to --format csv (mentors, meetings or followups)")
    if ics_options and fmt != "ics":
        raise InvalidInput(f"{ics_options[0]} applies to --format ics")
    if template is not None and fmt != "md":
        raise InvalidInput("--template applies to --format md")


def count(conn: sqlite3.Connection, fmt: str, what: str | None) -> int:
    """How many records the export will write (to decide on a progress bar)."""
    if fmt == "json":
        from mentorkit.exchange.jsonio import count_records

        return count_records(conn)
    if fmt == "csv":
        from mentorkit.exchange.csvexport import count_rows

        return count_rows(conn, what or "mentors")
    return 0


def write_export(
    conn: sqlite3.Connection,
    out: TextIO,
    *,
    fmt: str,
    now: datetime,
    what: str | None = None,
    calendar: IcsOptions | None = None,
    template: str | None = None,
    progress: Progress = no_progress,
) -> str:
    """Write the export to `out`; return a one-line description of what was written."""
    if fmt == "json":
        from mentorkit.exchange.jsonio import export_json
        from mentorkit.store.migrations import current_version

        counts = export_json(conn, out, now=now, schema_version=current_version(conn), progress=progress)
        return f"{_n(sum(counts.values()), 'record')} in {_n(sum(1 for n in counts.values() if n), 'table')}"
    if fmt == "csv":
        from mentorkit.exchange.csvexport import export_csv

        kind = what or "mentors"
        return f"{export_csv(conn, out, kind, progress)} {kind}"
    if fmt == "ics":
        from mentorkit.exchange.ics import IcsOptions, export_ics

        return describe_ics(export_ics(conn, out, calendar or IcsOptions()))
    if fmt == "md":
        from mentorkit.exchange.report import TEMPLATE, write_report

        return f"a report of {write_report(conn, now, out.write, template or TEMPLATE)} lines"
    raise InvalidInput(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")


def describe_ics(c: IcsCounts) -> str:
    text = f"{_n(c.events, 'event')}, {_n(c.todos, 'to-do')}, {_n(c.zones, 'time zone')}"
    if c.skipped_todos:
        text += f" ({_n(c.skipped_todos, 'open follow-up')} without a due date left out)"
    return text
