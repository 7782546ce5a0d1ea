"""remind (the digest: on stdout, as a desktop notification or an email), remind install/uninstall.

`mentorkit remind` runs at every shell start for some people: it imports the store, the
follow-ups and the digest, nothing more (desktop-notifier and smtplib only with --notify and
--email), and prints nothing when nothing is due.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mentorkit.cli.common import JsonOpt, console, echo_document, emit_json, now, profile_zone, reading, say, state

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import time, tzinfo

    from mentorkit.delivery.schedule import Outcome
    from mentorkit.domain.reminders import Digest

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""

remind_app = typer.Typer(help="A digest of what is overdue or due today, delivered; `remind install` schedules it.")
app.add_typer(remind_app, name="remind")

MAX_EMAILED_ITEMS = 100


@remind_app.callback(invoke_without_command=True)
def remind(
    ctx: typer.Context,
    always: Annotated[
        bool, typer.Option("--always", help="Print (or send) the digest even when nothing is due.")
    ] = False,
    notify: Annotated[
        bool,
        typer.Option("--notify", help="Show it as a desktop notification (needs the notify extra: desktop-notifier)."),
    ] = False,
    email: Annotated[
        str | None,
        typer.Option(
            "--email", metavar="ADDRESS", help="Send it as an email, through the mail settings of the config file."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """What is overdue or due today, and the next planned meeting; silent (exit 0) when nothing is due."""
    if ctx.invoked_subcommand is not None:
        return
    from mentorkit.domain.reminders import digest

    moment = now()
    to = _address(email) if email is not None else None
    if not as_json and _no_store_yet(ctx, always):
        return
    with reading(ctx) as conn:
        zone = profile_zone(conn)
        result = digest(conn, moment, zone)
    if as_json:
        emit_json(_as_json(result))
    if result.quiet and not always:
        return
    if not (as_json or notify or to):
        _print(result, zone)
        return
    from mentorkit.errors import MentorkitError

    deliveries: list[Callable[[], None]] = []
    if notify:
        deliveries.append(lambda: _notify(result, zone))
    if to is not None:
        address = to
        deliveries.append(lambda: _email(result, zone, address))
    failed: MentorkitError | None = None
    for deliver in deliveries:
        try:
            deliver()
        except MentorkitError as exc:  # the other way is still tried; the first failure is the exit
            failed = failed or exc
    if failed is not None:
        raise failed


def _no_store_yet(ctx: typer.Context, always: bool) -> bool:
    """True when there is no store file yet (a new machine whose shell start runs `remind`):
    nothing can be due, so `remind` is silent, as when nothing is due; `--always` says why.
    `--json` and an unusable path still end in the store's own one-line error."""
    import os

    from mentorkit.store.db import resolve_db_path

    path = resolve_db_path(state(ctx).db)
    try:
        os.lstat(path)
    except FileNotFoundError:
        if always:
            say(f"mentorkit: there is no store at {path} yet, so nothing is due (a command that writes creates it)")
        return True
    except (OSError, ValueError):
        return False
    return False


def _address(text: str) -> str:
    from mentorkit.domain.common import check_email
    from mentorkit.errors import InvalidInput

    address = check_email(text)
    if not address:
        raise InvalidInput("--email needs an address, such as --email maya@example.org")
    return address


def _as_json(result: Digest) -> dict[str, object]:
    from mentorkit.domain.common import jsonable

    return {
        "today": result.today,
        "quiet": result.quiet,
        "headline": result.headline(),
        "overdue": jsonable(result.overdue),
        "due_today": jsonable(result.due_today),
        "meetings_today": jsonable(result.meetings_today),
        "next_meeting": jsonable(result.next_meeting),
    }


def _print(result: Digest, zone: tzinfo) -> None:
    from mentorkit.cli.render import Col, Table, styled
    from mentorkit.dates import describe_lateness
    from mentorkit.domain.reminders import SHOWN_ITEMS, meeting_line

    out = console()
    items = result.items
    if items:
        table = Table(
            Col("how late"),
            Col("kind"),
            Col("with", "name"),
            Col("what", "text"),
            title=f"mentorkit: {result.headline()}",
        )
        for item in items[:SHOWN_ITEMS]:
            late = describe_lateness(item.due, result.today) if item.due else "no date"
            table.add_row(
                styled(late, "red") if (item.days_late or 0) > 0 else late, item.kind, item.with_whom, item.what
            )
        out.print(table)
        if len(items) > SHOWN_ITEMS:
            out.print(f"… and {len(items) - SHOWN_ITEMS} more: mentorkit followups")
    else:
        out.print(styled(f"mentorkit: {result.headline()}", "bold"))
    for meeting in result.meetings_today:
        out.print(f"Meeting today: {meeting_line(meeting, zone)}", hang=2)
    if result.next_meeting is not None and result.next_meeting not in result.meetings_today:
        out.print(f"Next meeting: {meeting_line(result.next_meeting, zone)}", hang=2)


def _notify(result: Digest, zone: tzinfo) -> None:
    from mentorkit.delivery.notify import notify
    from mentorkit.domain.reminders import item_line, meeting_line

    lines = [item_line(item, result.today) for item in result.items[:1]]
    if len(result.items) > 1:
        lines.append(f"and {len(result.items) - 1} more: mentorkit followups")
    if result.next_meeting is not None:
        lines.append(f"Next meeting: {meeting_line(result.next_meeting, zone)}")
    notify(f"mentorkit: {result.headline()}", "\n".join(lines) or "Nothing is due.")


def _email(result: Digest, zone: tzinfo, to: str) -> None:
    from mentorkit.config import load
    from mentorkit.dates import format_day
    from mentorkit.delivery.smtp import message, send
    from mentorkit.domain.reminders import digest_text

    settings = load().mail
    body = digest_text(result, zone, shown=MAX_EMAILED_ITEMS)
    msg = message(settings, to, f"mentorkit: {result.headline()} ({format_day(result.today)})", body, now())
    send(settings, msg)
    say(f"Sent the digest to {to}.")


# ---- install and uninstall ----------------------------------------------------------------------

SystemdOpt = Annotated[bool, typer.Option("--systemd", help="A systemd user timer (the default on Linux).")]
CronOpt = Annotated[bool, typer.Option("--cron", help="A line in your crontab.")]
LaunchdOpt = Annotated[bool, typer.Option("--launchd", help="A launchd agent (the default on macOS).")]


def _chosen(systemd: bool, cron: bool, launchd: bool) -> list[str]:
    return [name for name, on in (("systemd", systemd), ("cron", cron), ("launchd", launchd)) if on]


@remind_app.command("install")
def remind_install(
    ctx: typer.Context,
    at: Annotated[
        str | None, typer.Option("--at", metavar="HH:MM", help="When each day (default: the config's remind.at).")
    ] = None,
    systemd: SystemdOpt = False,
    cron: CronOpt = False,
    launchd: LaunchdOpt = False,
    email: Annotated[
        str | None,
        typer.Option("--email", metavar="ADDRESS", help="Send the digest by email instead of a notification."),
    ] = None,
    enable: Annotated[
        bool, typer.Option("--enable", help="Also run the systemctl/launchctl commands that start it.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Run the digest every day: a systemd timer, a crontab line or a launchd agent."""
    import os
    import sys

    from mentorkit.delivery.schedule import Job, default_scheduler, install

    chosen = _chosen(systemd, cron, launchd)
    if len(chosen) > 1:
        from mentorkit.errors import InvalidInput

        raise InvalidInput("give one of --systemd, --cron and --launchd")
    scheduler = chosen[0] if chosen else default_scheduler()
    when = _time_of_day(at)
    from mentorkit.config import chosen_path
    from mentorkit.store.db import resolve_db_path

    # The store and config file of this shell, named outright: the scheduler's environment is not this one.
    argv = [sys.executable, "-m", "mentorkit", "--db", str(resolve_db_path(state(ctx).db).resolve())]
    argv += ["remind", "--email", _address(email)] if email is not None else ["remind", "--notify"]
    env = {}
    if (config_file := chosen_path()) is not None:
        env["MENTORKIT_CONFIG"] = str(config_file.resolve())
    if scheduler == "cron" and email is None and sys.platform.startswith("linux"):
        env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path=/run/user/{os.getuid()}/bus"  # cron has no session bus
    outcome = install(scheduler, Job(when, argv, env), start=enable)
    if outcome.failed:  # install put the files back as they were
        from mentorkit.errors import MentorkitError

        raise MentorkitError(
            f"{outcome.failed}; nothing was installed (without --enable the files are written for you to start)"
        )
    if as_json:
        emit_json(
            {
                "scheduler": outcome.scheduler,
                "at": f"{when:%H:%M}",
                "command": argv,
                "files": [{"path": str(path), "content": text} for path, text in outcome.written],
                "cron_line": outcome.cron_line,
                "start": [_shell(argv) for argv in outcome.to_start],
                "ran": [_shell(argv) for argv in outcome.ran],
                "failed": outcome.failed,
            }
        )
    else:
        for path, text in outcome.written:
            echo_document(f"# {path}\n{text}")
        if outcome.cron_line:
            echo_document(outcome.cron_line)
        _installed_notes(outcome, when)


def _installed_notes(outcome: Outcome, when: time) -> None:
    where = {
        "systemd": "a systemd user timer",
        "cron": "your crontab",
        "launchd": "a launchd agent",
    }[outcome.scheduler]
    say(f"The digest now runs daily at {when:%H:%M} through {where}; `mentorkit remind uninstall` removes it.")
    if outcome.to_start and not outcome.ran:
        say(f"Start it now with: {' && '.join(_shell(argv) for argv in outcome.to_start)}")
    elif outcome.ran and not outcome.failed:
        say(f"Started: {' && '.join(_shell(argv) for argv in outcome.ran)}")


def _time_of_day(text: str | None) -> time:
    from mentorkit.config import load

    if text is None:
        return load().remind_at
    from mentorkit.dates import parse_time

    return parse_time(text)


def _shell(argv: list[str]) -> str:
    import shlex

    return shlex.join(argv)


@remind_app.command("uninstall")
def remind_uninstall(
    systemd: SystemdOpt = False, cron: CronOpt = False, launchd: LaunchdOpt = False, as_json: JsonOpt = False
) -> None:
    """Remove exactly what `remind install` wrote (from all three schedulers unless one is named)."""
    from mentorkit.delivery.schedule import SCHEDULERS, uninstall

    chosen = tuple(_chosen(systemd, cron, launchd)) or SCHEDULERS
    outcomes = uninstall(chosen)
    if as_json:
        emit_json(
            [
                {
                    "scheduler": o.scheduler,
                    "removed": [str(p) for p in o.removed],
                    "cron_line": o.cron_line,
                    "ran": [_shell(argv) for argv in o.ran],
                    "failed": o.failed,
                }
                for o in outcomes
            ]
        )
    if not outcomes and not as_json:
        say("Nothing to remove: no reminder written by `mentorkit remind install` was found.")
    for o in outcomes if not as_json else []:
        for path in o.removed:
            say(f"Removed {path}.")
        if o.cron_line:
            say(f"Removed from your crontab: {o.cron_line}")
        if o.ran:
            say(f"Stopped: {' && '.join(_shell(argv) for argv in o.ran)}")
    for o in outcomes:
        if o.failed:
            say(f"Warning: {o.failed}; the files are gone, so it will not run again after a reload or a restart.")
