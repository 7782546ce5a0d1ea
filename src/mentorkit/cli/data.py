"""Data in and out: export, import, backup, restore, doctor."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from mentorkit.cli.common import JsonOpt, console, emit_json, now, profile, profile_zone, reading, say, state, writing

if TYPE_CHECKING:
    import sqlite3
    from zoneinfo import ZoneInfo

    from mentorkit.exchange.backup import StoreFile
    from mentorkit.exchange.changes import ImportResult
    from mentorkit.exchange.ics import IcsOptions

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""


PROGRESS_FROM = 1000  # records; smaller jobs finish before a bar would help


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    ics = "ics"
    md = "md"


class ImportFormat(StrEnum):
    json = "json"
    csv = "csv"
    vcard = "vcard"


class What(StrEnum):
    mentors = "mentors"
    meetings = "meetings"
    followups = "followups"


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A Rich progress bar on stderr for big jobs, only when stderr is a terminal."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield lambda _: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def refuse_existing(ctx: typer.Context, target: Path, force: bool) -> None:
    """mentorkit never replaces a file it was not told to: an existing target needs --force.
    (The store itself is refused later, whatever --force says, with its own message.)"""
    from mentorkit.errors import InvalidInput
    from mentorkit.exchange.atomic import same_file
    from mentorkit.store.db import resolve_db_path

    path = target.expanduser()
    store = resolve_db_path(state(ctx).db)
    if any(same_file(path, Path(f"{store}{suffix}")) for suffix in ("", "-wal", "-shm", "-journal")):
        return
    if path.exists() and not path.is_dir() and not force:
        raise InvalidInput(f"{target} already exists; choose another name, or pass --force to replace it")


def calendar_settings() -> tuple[int, time]:
    """Minutes before a meeting for its alarm, and the time of day of a follow-up's alarm: the
    config file's `calendar.alarm` and `remind.at`."""
    from mentorkit.config import load

    settings = load()
    return settings.alarm_minutes, settings.remind_at


def _calendar(
    conn: sqlite3.Connection,
    *,
    todos_as_events: bool,
    with_notes: bool,
    mentor: str | None,
    group: str | None,
    since: str | None,
) -> IcsOptions:
    """What `export -f ics` puts in the calendar, from its options and the profile."""
    from mentorkit.dates import localize, parse_date
    from mentorkit.domain.groups import resolve_group
    from mentorkit.domain.mentors import resolve_mentor
    from mentorkit.errors import InvalidInput
    from mentorkit.exchange.ics import IcsOptions

    if mentor is not None and group is not None:
        raise InvalidInput("give --mentor or --group, not both (a group's calendar holds its own meetings)")
    me = profile(conn)
    alarm_minutes, remind_at = calendar_settings()
    day = None
    if since is not None:
        day = parse_date(since, today=now().astimezone(me.zone).date(), date_order=me.date_order, past=True)
    return IcsOptions(
        todos_as_events=todos_as_events,
        with_notes=with_notes,
        alarm_minutes=alarm_minutes,
        remind_at=remind_at,
        mentor_id=None if mentor is None else resolve_mentor(conn, mentor).id,
        group_id=None if group is None else resolve_group(conn, group).id,
        since=None if day is None else localize(datetime.combine(day, time()), me.zone),
        since_day=day,
    )


@app.command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="json (everything), csv, ics or md.", case_sensitive=False)
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE (a new file, 0600, written whole or not at all) instead of stdout.",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    what: Annotated[What | None, typer.Option(help="csv only: mentors (default), meetings or followups.")] = None,
    todos_as_events: Annotated[
        bool,
        typer.Option(
            "--todos-as-events",
            help="ics only: follow-ups as all-day events, for calendars that ignore to-dos (Google).",
        ),
    ] = False,
    vdir: Annotated[
        str | None,  # read as text: a Path option reads "" (an unset variable in a script) as "."
        typer.Option(
            "--vdir",
            metavar="DIR",
            help="ics only: one .ics file per record in DIR, for vdirsyncer or khal; removes the files of "
            "records that are gone (only files it wrote).",
        ),
    ] = None,
    mentor: Annotated[
        str | None, typer.Option("--mentor", metavar="MENTOR", help="ics only: one mentor's meetings and follow-ups.")
    ] = None,
    group: Annotated[str | None, typer.Option("--group", help="ics only: one group's meetings and follow-ups.")] = None,
    since: Annotated[
        str | None, typer.Option(metavar="DATE", help="ics only: meetings from DATE, follow-ups due from DATE.")
    ] = None,
    with_notes: Annotated[
        bool, typer.Option("--with-notes", help="ics only: put meeting notes in the events.")
    ] = False,
    template: Annotated[str | None, typer.Option(help="md only: a template NAME or PATH instead of 'report'.")] = None,
) -> None:
    """Export the store: JSON (every record, re-importable), CSV, iCalendar or a Markdown report."""
    from mentorkit.exchange.atomic import atomic_text
    from mentorkit.exchange.exporter import check_options, count, write_export

    kind = what.value if what else None
    given = {
        "--todos-as-events": todos_as_events,
        "--vdir": vdir is not None,
        "--mentor": mentor is not None,
        "--group": group is not None,
        "--since": since is not None,
        "--with-notes": with_notes,
    }
    check_options(fmt.value, kind, [name for name, value in given.items() if value], template)
    if vdir is not None:
        _export_vdir(
            ctx,
            vdir,
            output,
            todos_as_events=todos_as_events,
            with_notes=with_notes,
            mentor=mentor,
            group=group,
            since=since,
        )
        return
    if output is not None:
        refuse_existing(ctx, output, force)
    moment = now()
    store = state(ctx).store()
    with reading(ctx) as conn, _progress(count(conn, fmt.value, kind), "Exporting") as progress:
        calendar = None
        if fmt is ExportFormat.ics:
            calendar = _calendar(
                conn, todos_as_events=todos_as_events, with_notes=with_notes, mentor=mentor, group=group, since=since
            )
        options: dict[str, Any] = dict(
            fmt=fmt.value, now=moment, what=kind, calendar=calendar, template=template, progress=progress
        )
        if output is None:
            write_export(conn, sys.stdout, **options)
            sys.stdout.flush()  # a reader that left (`export ... | head`) is met here, not at exit
            return
        with atomic_text(output, newline="", protect=[store.path]) as out:
            summary = write_export(conn, out, **options)
    say(f"Exported {summary} to {output}.")


def _export_vdir(ctx: typer.Context, directory: str, output: Path | None, **choices: Any) -> None:
    from mentorkit.errors import InvalidInput
    from mentorkit.exchange.exporter import describe_ics
    from mentorkit.exchange.vdir import export_vdir

    if output is not None:
        raise InvalidInput("--vdir writes a directory of files; leave out -o")
    if not directory.strip():
        raise InvalidInput("--vdir needs a directory, such as --vdir ~/.calendars/mentorkit")
    with reading(ctx) as conn:
        result = export_vdir(conn, Path(directory).expanduser(), _calendar(conn, **choices))
    say(
        f"Exported {describe_ics(result.counts)} to {result.directory}: {result.written} written, "
        f"{result.unchanged} unchanged, {result.removed} removed."
    )


@contextmanager
def _open_input(file: str) -> Iterator[tuple[BinaryIO, str]]:
    """The file to import, open from its start, and its name for messages. A JSON export is read
    twice (checked, then merged), so stdin and pipes are first copied to a private temporary file."""
    import stat

    from mentorkit.errors import InvalidInput
    from mentorkit.exchange import importer

    if file == "-":
        with importer.spooled(sys.stdin.buffer, "stdin") as copy:
            yield copy, "stdin"
        return
    path = Path(file).expanduser()
    if not path.exists():
        raise InvalidInput(f"there is no file {path}; check the path")
    if path.is_dir():
        raise InvalidInput(f"{path} is a directory; give a file to import")
    kind = path.stat().st_mode
    if stat.S_ISCHR(kind) or stat.S_ISBLK(kind):
        raise InvalidInput(f"{path} is a device, not a file; give a file to import")
    if stat.S_ISREG(kind) and path.stat().st_size > importer.MAX_BYTES:
        raise importer.too_large(str(path))
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below; the error is for opening only)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path} ({exc.strerror})") from None
    with handle:
        if handle.seekable():
            yield handle, str(path)
            return
        with importer.spooled(handle, str(path)) as copy:
            yield copy, str(path)


class _DryRun(Exception):
    """Raised inside the write transaction to roll back a dry run."""


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="The file to import, or - for stdin.")],
    fmt: Annotated[
        ImportFormat | None,
        typer.Option(
            "--format", "-f", help="json, csv or vcard (default: recognised from the content).", case_sensitive=False
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="HEADER=FIELD",
            help="CSV: fill FIELD "
            "(name, email, institution, title, tags, ...) from the "
            "column HEADER; repeat for more.",
        ),
    ] = None,
    encoding: Annotated[str, typer.Option(help="Text encoding of a CSV or vCard file.")] = "utf-8",
    match_names: Annotated[
        bool,
        typer.Option(
            "--match-names",
            help="People of other tools whose only likeness to someone in the store is the name: "
            "take them as that person (a terminal asks; otherwise they are added and reported).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import a mentorkit JSON or CSV export, a CSV of people (LinkedIn Connections.csv too) or vCards.

    Records of a mentorkit export match by UUID, so importing a file twice changes nothing. People
    from other tools become prospects unless already in the store: the same email or profile URL
    is the same person (whose institution, title, email and URL the file updates); a name alone
    is only a suggestion (see docs/data.md, "Who is who").
    The whole import is one transaction: a malformed file writes nothing.
    """
    from mentorkit.cli.importing import ask_suggestions, show_import
    from mentorkit.exchange.importer import apply_import, read_import

    if dry_run:
        _refuse_missing_store(ctx, "a dry run compares the file with it; import without --dry-run to create one")
    moment = now()
    result: ImportResult | None = None
    with _open_input(file) as (handle, source):
        zone = _zone_for_import(ctx)
        parsed = read_import(
            handle,
            source=source,
            fmt=fmt.value if fmt else None,
            encoding=encoding,
            mapping=mapping,
            today=moment.astimezone(zone).date(),
        )
        accept = ask_suggestions(ctx, parsed, moment, zone, source, match_names=match_names, dry_run=dry_run)
        try:
            with _progress(parsed.records, "Importing") as progress, writing(ctx) as conn:
                result = apply_import(
                    conn, parsed, now=moment, zone=zone, source=source, progress=progress, accept=accept
                )
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    assert result is not None
    result.dry_run = dry_run
    show_import(result, parsed.kind, as_json)


def _refuse_missing_store(ctx: typer.Context, why: str) -> None:
    from mentorkit.errors import StoreError
    from mentorkit.store.db import resolve_db_path

    path = resolve_db_path(state(ctx).db)
    if not path.exists():
        raise StoreError(f"there is no store at {path}; {why}")


def _zone_for_import(ctx: typer.Context) -> ZoneInfo:
    """The profile's zone; before the store exists (the import will create it), the zone a new
    store's profile starts with. Reading must not create the store: a bad file writes nothing."""
    from mentorkit.dates import get_zone, local_zone_name
    from mentorkit.store.db import resolve_db_path

    if not resolve_db_path(state(ctx).db).exists():
        return get_zone(local_zone_name())
    with reading(ctx) as conn:
        return profile_zone(conn)


def _store_info(info: StoreFile) -> dict[str, Any]:
    return {
        "path": str(info.path),
        "schema_version": info.schema_version,
        "integrity": info.integrity,
        "bytes": info.bytes,
        "counts": info.counts,
    }


_NOUNS = {"mentor": "mentor", "meeting": "meeting", "followup": "follow-up", "advice": "piece of advice"}


def _counts_text(info: StoreFile) -> str:
    def noun(name: str, n: int) -> str:
        word = _NOUNS.get(name, name)
        if n == 1:
            return word
        return "pieces of advice" if name == "advice" else f"{word}s"

    return ", ".join(f"{n} {noun(name, n)}" for name, n in info.counts.items())


@app.command("backup")
def backup(
    ctx: typer.Context,
    path: Annotated[
        str | None,
        typer.Argument(metavar="PATH", help="Where to write it (default: a timestamped file beside the store)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace PATH if it exists.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Copy the whole store to a private, verified backup file (safe while mentorkit runs)."""
    from mentorkit.exchange.backup import backup_store, default_backup_path
    from mentorkit.store.db import make_private_dirs

    _refuse_missing_store(ctx, "nothing to back up")
    store = state(ctx).store()
    target = Path(path).expanduser() if path else default_backup_path(store.path, now())
    if path:
        refuse_existing(ctx, target, force)
    if path and path.endswith(("/", os.sep)) and not target.exists():  # `backup DIR/`: a new directory
        make_private_dirs(target, "the backup directory", "another PATH")
    if target.is_dir():
        target = default_backup_path(target / store.path.name, now())
    info = backup_store(store.conn, store.path, target)
    written = f"Backed up the store ({_counts_text(info)}; {info.bytes:,} bytes, integrity ok) to {info.path}."
    try:
        if as_json:
            emit_json(_store_info(info))
        else:
            typer.echo(str(info.path))
        sys.stdout.flush()
    except OSError as exc:  # `backup > /dev/full`: the backup is written; only the printing failed
        from mentorkit.cli.common import silence_stdout

        silence_stdout()
        say(f"{written} (Its path could not be printed on stdout: {exc.strerror or exc}.)")
        return
    if not as_json:
        say(written)


@app.command("restore")
def restore(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A backup made by `mentorkit backup`.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (required when not at a terminal).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Replace the store with a backup; the current store is backed up first."""
    from mentorkit.errors import InvalidInput, MentorkitError
    from mentorkit.exchange import backup as bk
    from mentorkit.exchange.atomic import same_file
    from mentorkit.store.db import resolve_db_path

    source = path.expanduser()
    info = bk.inspect(source)
    current = resolve_db_path(state(ctx).db)
    if same_file(source, current):
        raise InvalidInput(f"{source} is the store itself; give a backup file")
    store = None
    if current.exists():
        try:
            store = state(ctx).store()
        except MentorkitError as exc:
            say(f"The current store cannot be opened ({exc}); it will be kept as a byte copy.")
        if store is not None and store.damage is not None:  # a verified copy of it cannot be made
            state(ctx).close()
            store = None
    question = f"Replace the store {current} with {source} ({_counts_text(info)})?"
    if not yes:
        if not sys.stdin.isatty():
            raise InvalidInput("restore replaces the whole store; confirm at a terminal, or pass --yes")
        typer.confirm(question + " The current store is backed up first.", abort=True, err=True)
    if store is not None and store.read_only:
        raise InvalidInput(f"the store {current} is read-only; make it and its directory writable to restore")
    kept: Path | None = None
    if store is not None:
        safety = bk.default_backup_path(store.path, now(), "before-restore")

        def keep() -> None:  # runs with the store's write lock held (see restore_into)
            nonlocal kept
            kept = bk.keep_current(current, safety)

        bk.restore_into(store.conn, source, store.path, keep)
    else:
        if current.exists():
            kept = bk.raw_copy(current, bk.default_backup_path(current, now(), "before-restore"))
        bk.replace_file(current, source)
    state(ctx).close()
    reopened = state(ctx).store()  # sets WAL mode, upgrades an older backup (after its own backup)
    if as_json:
        emit_json(
            {
                "restored_from": str(source),
                "store": str(reopened.path),
                "safety_backup": str(kept) if kept else None,
                "source": _store_info(info),
            }
        )
        return
    say(
        f"Restored {reopened.path} from {source} ({_counts_text(info)})."
        + (f" The previous store is kept in {kept}." if kept else "")
    )


@app.command("doctor")
def doctor(
    ctx: typer.Context,
    rebuild_index: Annotated[
        bool,
        typer.Option(
            "--rebuild-index",
            help="Rebuild the search index, the review counts and the change journal's triggers first.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check the store: integrity, links, schema version, permissions, WAL, backups, where it lives."""
    from mentorkit.errors import MentorkitError
    from mentorkit.exchange.doctor import diagnose, rebuild_derived
    from mentorkit.store.db import resolve_db_path

    path = resolve_db_path(state(ctx).db)
    if rebuild_index:
        with writing(ctx) as conn:
            entries = rebuild_derived(conn)
        say(f"Rebuilt the search index ({entries} entries) and the review counts.")
        state(ctx).close()
    report = diagnose(path, now())
    if as_json:
        emit_json({"store": report.store, "ok": report.ok, "checks": report.checks})
    else:
        from mentorkit.cli.render import Col, Table, Text, styled

        table = Table(Col("check"), Col("status"), Col("detail", "text", wrap=True), title=f"Store: {report.store}")
        marks: dict[str, str | Text] = {
            "ok": "ok",
            "warn": styled("warning", "yellow"),
            "fail": styled("FAILED", "bold red"),
        }
        for check in report.checks:
            table.add_row(check.name, marks[check.status], check.detail)
        console().print(table)
    if not report.ok:
        raise MentorkitError(f"doctor found {report.problems} problem(s) with the store {path}; see above")
