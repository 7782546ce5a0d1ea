"""`mentors`: the board by default, filters, and bulk actions on what a filter lists (a preview,
a question, one journal step). The command itself is in cli/mentors.py; no commands here."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

import typer

from mentorkit.cli.common import console, emit_json, now, profile_zone, reading, say, writing

if TYPE_CHECKING:
    from mentorkit.domain.mentors import Mentor
    from mentorkit.domain.triage import BulkAction, Filter


def render_mentors(rows: list[Mentor], zone: tzinfo) -> None:
    """One line a mentor: the table of `mentors` and of a bulk action's preview."""
    from mentorkit.cli.render import Col, Table
    from mentorkit.dates import format_day

    table = Table(
        Col("id", "id"),
        Col("name", "name"),
        Col("stage"),
        Col("last contact", "date"),
        Col("cadence", "name"),
        Col("where", optional=True),
        Col("arenas", "text", wrap=True),
        Col("institution", "name", optional=True),
        Col("title", "name", optional=True),
    )
    for m in rows:
        last = format_day(m.last_contact.astimezone(zone).date()) if m.last_contact else "—"
        table.add_row(
            str(m.id),
            m.name + (" (peer)" if m.kind == "peer" else ""),
            m.stage,
            last,
            m.cadence_label or "—",
            {True: "local", False: "remote", None: "—"}[m.local],
            ", ".join(m.arenas),
            m.institution or "—",
            m.title or "—",
        )
    console().print(table)


def _hidden(counts: dict[str, int]) -> str | None:
    """'2,431 prospects and 3 ended relationships hidden' (None when nothing is)."""
    parts = []
    if counts.get("prospect"):
        n = counts["prospect"]
        parts.append(f"{n:,} prospect{'s' if n != 1 else ''}")
    if counts.get("ended"):
        n = counts["ended"]
        parts.append(f"{n:,} ended relationship{'s' if n != 1 else ''}")
    return " and ".join(parts) + " hidden" if parts else None


def list_or_change(
    ctx: typer.Context,
    *,
    all_: bool,
    stages: list[str],
    arena: str | None,
    tag: str | None,
    text: str | None,
    source: str | None,
    action: BulkAction,
    yes: bool,
    as_json: bool,
) -> None:
    """List the mentors a filter selects, or apply `action` to them after a preview.

    Without --all or --stage the table (and a bulk action) is about the board: active, pilot and
    paused people; a line on stderr counts the prospects and ended relationships left out.
    `--json` without them lists everyone: scripts get the whole list, as before."""
    from dataclasses import replace

    from mentorkit.domain.triage import BOARD, Filter, select, stage_counts
    from mentorkit.errors import InvalidInput

    if all_ and stages:
        raise InvalidInput("--all lists every stage; give --all or --stage, not both")
    board_view = not all_ and not stages and (bool(action) or not as_json)
    chosen = tuple(stages) if stages else (BOARD if board_view else None)
    selection = Filter(chosen, arena, tag, text, source)
    with reading(ctx) as conn:
        zone = profile_zone(conn)
        if action:
            action.check(conn)
        rows = select(conn, selection)
        hidden = None
        if board_view and not action:
            if selection.narrowed:
                left_out = select(conn, replace(selection, stages=("prospect", "ended")))
                hidden = _hidden({s: sum(1 for m in left_out if m.stage == s) for s in ("prospect", "ended")})
            else:
                hidden = _hidden(stage_counts(conn))
    if action:
        _change(ctx, rows, selection, action, zone, yes, as_json)
        return
    if as_json:
        emit_json(rows)
        return
    if rows:
        render_mentors(rows, zone)
    elif selection.narrowed or stages:
        say("No mentors match.")
    elif not hidden:
        say('No mentors yet. Add one: mentorkit add-mentor "Dr. Jane Doe" --arena research')
    else:
        say("No one on the board yet (active, pilot or paused).")
    if hidden:
        say(f"{hidden}; `mentorkit mentors --all` lists everyone, `--stage prospect` the prospects.")


def _change(
    ctx: typer.Context,
    rows: list[Mentor],
    selection: Filter,
    action: BulkAction,
    zone: tzinfo,
    yes: bool,
    as_json: bool,
) -> None:
    from mentorkit.cli.fixes import confirm
    from mentorkit.domain.triage import apply_bulk

    if not rows:
        say("No mentors match; nothing was changed.")
        return
    if not as_json:
        render_mentors(rows, zone)
    people = f"{len(rows):,} {'person' if len(rows) == 1 else 'people'}"
    confirm(f"{action.describe().capitalize()} for the {people} listed{'' if as_json else ' above'}?", yes)
    with writing(ctx) as conn:
        result = apply_bulk(conn, now(), zone, [m.id for m in rows], action)
    if as_json:
        emit_json(result)
        return
    already = f" ({len(result.unchanged):,} had it so already)" if result.unchanged else ""
    say(
        f"Done: {result.action} — {len(result.changed):,} changed{already}. "
        "`mentorkit undo` takes the whole change back."
    )
