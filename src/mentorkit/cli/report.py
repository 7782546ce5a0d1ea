"""`report`: the one-page Markdown report for a chair (domain/chair.py, templates/chair.md.j2)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mentorkit.cli.common import now, profile, reading, say, state

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""


@app.command("report")
def report(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="First day of the period (default: a year before --until).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day of the period (default today).")] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to FILE (a new file, 0600) instead of stdout.", dir_okay=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    include_private: Annotated[
        bool,
        typer.Option(
            "--include-private", help="Add what a chair does not need: red flags, end reasons, the personal arena."
        ),
    ] = False,
    template: Annotated[str | None, typer.Option(help="A template NAME or PATH instead of 'chair'.")] = None,
) -> None:
    """A one-page report of your mentoring for a chair or a committee, as Markdown: the period, the
    board and its gaps, relationships and groups with their activity and cadence kept, goals, and
    one line each for prospects and ended relationships."""
    from mentorkit.cli.data import refuse_existing
    from mentorkit.dates import parse_date
    from mentorkit.exchange.atomic import atomic_text
    from mentorkit.exchange.report import CHAIR_TEMPLATE, write_chair_report

    if output is not None:
        refuse_existing(ctx, output, force)
    moment = now()
    store = state(ctx).store()
    with reading(ctx) as conn:
        me = profile(conn)
        today = moment.astimezone(me.zone).date()
        first = parse_date(since, today=today, date_order=me.date_order, past=True) if since else None
        last = parse_date(until, today=today, date_order=me.date_order, past=True) if until else None
        options = dict(since=first, until=last, include_private=include_private, template=template or CHAIR_TEMPLATE)
        if output is None:
            write_chair_report(conn, moment, me.zone, sys.stdout.write, **options)  # type: ignore[arg-type]
            sys.stdout.flush()
            return
        with atomic_text(output, newline="", protect=[store.path]) as out:
            lines = write_chair_report(conn, moment, me.zone, out.write, **options)  # type: ignore[arg-type]
    say(f"Wrote the report ({lines} lines) to {output}.")
