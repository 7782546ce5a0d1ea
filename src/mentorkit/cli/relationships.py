"""Relationships over time: flag/flags/unflag, the advice ledger, groups, review and search."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from mentorkit.cli.common import (
    JsonOpt,
    MentorArg,
    console,
    emit_json,
    now,
    profile,
    profile_zone,
    reading,
    say,
    writing,
)

if TYPE_CHECKING:
    import sqlite3

    from mentorkit.domain.advice import Advice
    from mentorkit.domain.groups import Group

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""


OnOpt = Annotated[
    str | None, typer.Option("--on", help="The day (default today): yesterday, 2026-03-02, 3 days ago...")
]
MentorFilter = Annotated[str | None, typer.Option("--mentor", help="Only this mentor (id or part of a name).")]


def _day(conn: sqlite3.Connection, text: str | None) -> date:
    """A day in the past or today, in the profile's zone (today when not given)."""
    from mentorkit.dates import parse_date
    from mentorkit.errors import InvalidInput

    me = profile(conn)
    today = now().astimezone(me.zone).date()
    if text is None:
        return today
    day = parse_date(text, today=today, date_order=me.date_order, past=True)
    if day > today:
        raise InvalidInput(f"{day} is in the future; give today or an earlier day")
    return day


def _mentor_id(conn: sqlite3.Connection, ref: str | None) -> int | None:
    from mentorkit.domain.mentors import resolve_mentor

    return None if ref is None else resolve_mentor(conn, ref).id


# ---- flags ----------------------------------------------------------------------------------


@app.command("flag")
def flag(
    ctx: typer.Context,
    mentor: MentorArg,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What happened, in a line.")],
    kind: Annotated[str, typer.Option(help="commitment, competition, conflict-of-interest or other.")] = "other",
    on: OnOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a red flag on a relationship (lack of commitment, competition, conflict of interest)."""
    from mentorkit.domain.flags import add_flag
    from mentorkit.domain.mentors import resolve_mentor

    with writing(ctx) as conn:
        who = resolve_mentor(conn, mentor)
        result = add_flag(conn, now(), mentor_id=who.id, kind=kind, note=text, raised_on=_day(conn, on))
    if as_json:
        emit_json(result)
        return
    typer.echo(result.id)
    say(
        f"Flagged {result.mentor} ({result.kind}, flag #{result.id}); `mentorkit review` lists it "
        f"until `mentorkit unflag {result.id}`."
    )


flags_app = typer.Typer(
    help="List red flags, open ones unless --all; `flags edit`, `flags delete`.", invoke_without_command=True
)
app.add_typer(flags_app, name="flags")


@flags_app.callback()
def flags(
    ctx: typer.Context,
    mentor: MentorFilter = None,
    show_all: Annotated[bool, typer.Option("--all", help="Resolved flags too.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """List red flags, open ones unless --all."""
    if ctx.invoked_subcommand is not None:
        return
    from mentorkit.dates import format_day
    from mentorkit.domain.flags import list_flags

    with reading(ctx) as conn:
        rows = list_flags(conn, mentor_id=_mentor_id(conn, mentor), include_resolved=show_all)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        say("No open red flags." if not show_all else "No red flags.")
        return
    from mentorkit.cli.render import Col, Table

    table = Table(
        Col("id", "id"),
        Col("raised", "date"),
        Col("resolved", "date"),
        Col("mentor", "name"),
        Col("kind"),
        Col("note", "text"),
    )
    for f in rows:
        table.add_row(
            str(f.id),
            format_day(f.raised_on),
            format_day(f.resolved_on) if f.resolved_on else "—",
            f.mentor,
            f.kind,
            f.note or "",
        )
    console().print(table)


@app.command("unflag")
def unflag(
    ctx: typer.Context,
    flag_id: Annotated[int, typer.Argument(metavar="FLAG_ID", help="The flag's id (see `mentorkit flags`).")],
    on: OnOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark a red flag resolved; it stays in the history."""
    from mentorkit.domain.flags import resolve_flag

    with writing(ctx) as conn:
        result = resolve_flag(conn, now(), flag_id, _day(conn, on))
    if as_json:
        emit_json(result)
    else:
        from mentorkit.dates import format_day

        on_day = format_day(result.resolved_on) if result.resolved_on else ""
        say(f"Resolved flag #{result.id} on {result.mentor} ({on_day}).")


# ---- advice ---------------------------------------------------------------------------------

advice_app = typer.Typer(
    help="The advice ledger: list advice (filters below), `advice add`, `advice rate`.",
    invoke_without_command=True,
)
app.add_typer(advice_app, name="advice")


def _advice_table(rows: list[Advice]) -> None:
    from mentorkit.cli.render import Col, Table
    from mentorkit.dates import format_day

    table = Table(
        Col("id", "id"),
        Col("given", "date"),
        Col("mentor", "name"),
        Col("arena", "name"),
        Col("outcome"),
        Col("advice", "text", wrap=True),
    )
    for a in rows:
        text = a.text + (f" — {a.outcome_note}" if a.outcome_note else "")
        table.add_row(str(a.id), format_day(a.given_on), a.mentor or "—", a.arena or "—", a.outcome, text)
    console().print(table)


@advice_app.callback()
def advice(
    ctx: typer.Context,
    mentor: MentorFilter = None,
    arena: Annotated[str | None, typer.Option(help="Only advice in this arena.")] = None,
    outcome: Annotated[str | None, typer.Option(help="helpful, mixed, unhelpful or untested.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The advice ledger, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    from mentorkit.domain.advice import list_advice

    with reading(ctx) as conn:
        rows = list_advice(conn, mentor_id=_mentor_id(conn, mentor), arena=arena, outcome=outcome)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        say(
            "No advice matches."
            if (mentor or arena or outcome)
            else 'No advice yet. Record some: mentorkit advice add MENTOR "..." (or log --advice)'
        )
        return
    _advice_table(rows)


@advice_app.command("add")
def advice_add(
    ctx: typer.Context,
    mentor: MentorArg,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The advice, in their words or yours.")],
    arena: Annotated[str | None, typer.Option(help="The arena it is about (default: the mentor's only arena).")] = None,
    on: OnOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a piece of advice a mentor gave."""
    from mentorkit.domain.advice import record_advice
    from mentorkit.domain.mentors import resolve_mentor

    with writing(ctx) as conn:
        who = resolve_mentor(conn, mentor)
        result = record_advice(conn, now(), mentor_id=who.id, text=text, given_on=_day(conn, on), arena=arena)
    if as_json:
        emit_json(result)
        return
    typer.echo(result.id)
    say(
        f"Recorded advice #{result.id} from {result.mentor}"
        + (f" ({result.arena})" if result.arena else "")
        + f"; rate it later: mentorkit advice rate {result.id} helpful|mixed|unhelpful"
    )


@advice_app.command("rate")
def advice_rate(
    ctx: typer.Context,
    advice_id: Annotated[int, typer.Argument(metavar="ID", help="The advice id (see `mentorkit advice`).")],
    outcome: Annotated[str, typer.Argument(metavar="OUTCOME", help="helpful, mixed, unhelpful (or untested to undo).")],
    note: Annotated[str | None, typer.Option(help="What came of it; replaces an earlier note.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record what came of a piece of advice."""
    from mentorkit.domain.advice import rate_advice

    with writing(ctx) as conn:
        result = rate_advice(conn, now(), advice_id, outcome, note)
    if as_json:
        emit_json(result)
    else:
        say(f"Advice #{result.id} from {result.mentor or 'a removed mentor'} is now {result.outcome}.")


# ---- groups ---------------------------------------------------------------------------------

group_app = typer.Typer(help="Mastermind groups of near-peers: `group add`, `group edit`.", no_args_is_help=True)
app.add_typer(group_app, name="group")
CadenceOpt = Annotated[str | None, typer.Option(help="How often the group meets: weekly, monthly, every 3 weeks...")]


def _said_group(result: Group, verb: str) -> None:
    names = ", ".join(m.name for m in result.members) or "no members"
    say(f"{verb} the group {result.name} (#{result.id}): {names}.")
    if result.created_members:
        say(
            "New near-peers (kind peer, active): "
            + ", ".join(result.created_members)
            + ". Fill in details with `mentorkit edit NAME`."
        )


@group_app.command("add")
def group_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The group's name, e.g. 'Writing circle'.")],
    member: Annotated[
        list[str],
        typer.Option(
            "--member",
            help="A member: a mentor or peer in the store (id or "
            "part of a name), or a new name, which adds a peer. Repeat for each.",
        ),
    ],
    cadence: CadenceOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="What the group is for.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Form a mastermind group. Log its meetings with `mentorkit log --group NAME`."""
    from mentorkit.domain.groups import add_group

    with writing(ctx) as conn:
        result = add_group(conn, now(), profile_zone(conn), name, member, cadence=cadence, notes=note)
    if as_json:
        emit_json(result)
        return
    typer.echo(result.id)
    _said_group(result, "Formed")


@group_app.command("edit")
def group_edit(
    ctx: typer.Context,
    group: Annotated[str, typer.Argument(metavar="GROUP", help="The group's name or id.")],
    add: Annotated[
        list[str] | None, typer.Option("--add-member", help="Add a member (a new name adds a peer).")
    ] = None,
    remove: Annotated[list[str] | None, typer.Option("--remove-member", help="Remove a member.")] = None,
    cadence: CadenceOpt = None,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a group's members, cadence or name."""
    from mentorkit.domain.groups import edit_group, resolve_group

    with writing(ctx) as conn:
        ref = resolve_group(conn, group)
        result = edit_group(conn, now(), profile_zone(conn), ref, add=add, remove=remove, cadence=cadence, name=name)
    if as_json:
        emit_json(result)
    else:
        _said_group(result, "Updated")


@app.command("groups")
def groups(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List mastermind groups: members, cadence, meetings and the next check-in."""
    from mentorkit.dates import format_day, format_moment
    from mentorkit.domain.groups import list_groups

    with reading(ctx) as conn:
        zone = profile_zone(conn)
        rows = list_groups(conn, now(), zone)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        say('No groups yet. Form one: mentorkit group add "Writing circle" --member Ana --member Ben')
        return
    from mentorkit.cli.render import Col, Table

    table = Table(
        Col("id", "id"),
        Col("group", "name"),
        Col("cadence", "name"),
        Col("held", "num", optional=True),
        Col("last", "date", optional=True),
        Col("next", "date"),
        Col("open", "num"),
        Col("members", "text", wrap=True),
    )
    for g in rows:
        members = ", ".join(m.name + ("" if m.kind == "peer" else " (mentor)") for m in g.members)
        last = format_day(g.last_meeting.astimezone(zone).date()) if g.last_meeting else "—"
        if g.next_meeting:
            upcoming = format_moment(g.next_meeting, zone)
        elif g.checkin_due_on:
            upcoming = f"check-in {format_day(g.checkin_due_on)}"
        else:
            upcoming = "—"
        table.add_row(
            str(g.id),
            g.name,
            g.cadence_label or "—",
            str(g.meetings_held),
            last,
            upcoming,
            str(g.open_followups),
            members or "—",
        )
    console().print(table)


# ---- review and search ----------------------------------------------------------------------


@app.command("review")
def review(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Start of the period (default: 90 days ago).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Re-evaluate the board: use, cadence, follow-ups, advice and flags per mentor; gaps; what to reconsider."""
    from mentorkit.domain.review import build_review

    with reading(ctx) as conn:
        start = _day(conn, since) if since is not None else None
        result = build_review(conn, now(), profile_zone(conn), since=start)
    if as_json:
        emit_json(result)
        return
    from mentorkit.cli.review_report import render_review

    render_review(result)


@app.command("search")
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str], typer.Argument(metavar="TEXT", help='Words to find; "a phrase" in quotes; word* for a prefix.')
    ],
    mentor: MentorFilter = None,
    kind: Annotated[
        str | None, typer.Option(help="Only meeting, advice, followup, pitch, mentor (people) or flag.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many hits.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Search people (name, title, institution, tags, notes), flags, meetings, advice, follow-ups
    and pitches; best matches first, with the stage of the person each concerns."""
    from mentorkit.domain.search import search as find

    with reading(ctx) as conn:
        hits = find(
            conn, " ".join(words), profile_zone(conn), mentor_id=_mentor_id(conn, mentor), kind=kind, limit=limit
        )
    if as_json:
        emit_json(hits)
        return
    if not hits:
        say("Nothing matches.")
        return
    from mentorkit.cli.render import Col, Table, Text, styled

    table = Table(
        Col("kind"),
        Col("id", "id"),
        Col("date", "date"),
        Col("with", "name"),
        Col("stage"),
        Col("match", "text", wrap=True),
    )
    for h in hits:
        snippet, at = Text(), 0
        for start, end in h.matches:
            start = max(start, at)
            snippet = Text(snippet, h.snippet[at:start], styled(h.snippet[start:end], "bold"))
            at = end
        table.add_row(
            h.kind,
            str(h.id),
            str(h.on or "—"),
            h.mentor or h.group or "—",
            h.stage or "—",
            Text(snippet, h.snippet[at:]),
        )
    console().print(table)
