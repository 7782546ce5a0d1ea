"""Action items and the morning list: followup add/done/drop, followups."""

from __future__ import annotations

from typing import Annotated

import typer

from mentorkit.cli.common import JsonOpt, console, emit_json, now, profile, profile_zone, reading, say, writing
from mentorkit.cli.meetings import GoalOpt
from mentorkit.errors import InvalidInput

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""

followup_app = typer.Typer(help="Action items: add, done, drop.", no_args_is_help=True)
app.add_typer(followup_app, name="followup")


@followup_app.command("add")
def followup_add(
    ctx: typer.Context,
    mentor: Annotated[
        str | None,
        typer.Argument(metavar="MENTOR", help="Mentor id or a unique part of the name (left out with --group)."),
    ] = None,
    text: Annotated[str | None, typer.Argument(help="What needs doing.")] = None,
    group: Annotated[str | None, typer.Option("--group", help="A group's item: `followup add --group G TEXT`.")] = None,
    due: Annotated[str | None, typer.Option(help="Due date: tomorrow, friday, in 2 weeks, 2026-12-03 ...")] = None,
    owner: Annotated[
        str, typer.Option(help="me or mentor; for a group: me, group, or a member (id or part of the name).")
    ] = "me",
    meeting: Annotated[int | None, typer.Option("--meeting", help="The meeting it came from.")] = None,
    goal: GoalOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an action item for you (or, with --owner mentor, one you are waiting on)."""
    from mentorkit.dates import format_day, parse_date
    from mentorkit.domain.followups import add_followup, get_followup, group_item_owner
    from mentorkit.domain.goals import check_goal, serve

    if group is not None and text is None:
        mentor, text = "", mentor  # `followup add --group G TEXT`: the one argument is the text
    if mentor is None or text is None:
        raise InvalidInput("say what needs doing: `mentorkit followup add MENTOR TEXT` (or --group G TEXT)")
    if group is not None and mentor:
        raise InvalidInput("a follow-up is for a MENTOR or a --group; to give it to a member, use --owner MEMBER")
    moment = now()
    with writing(ctx) as conn:
        me = profile(conn)
        due_day = (
            None if due is None else parse_date(due, today=moment.astimezone(me.zone).date(), date_order=me.date_order)
        )
        goal_id = check_goal(conn, goal)
        if group is not None:
            from mentorkit.domain.groups import resolve_group

            ref = resolve_group(conn, group)
            who, member_id = group_item_owner(conn, ref.id, owner)
            new_id = add_followup(
                conn,
                moment,
                text=text,
                due=due_day,
                owner=who,
                mentor_id=member_id,
                group_id=ref.id,
                meeting_id=meeting,
            )
            name = ref.name
        else:
            from mentorkit.domain.mentors import resolve_mentor

            target = resolve_mentor(conn, mentor)
            new_id = add_followup(
                conn, moment, text=text, due=due_day, owner=owner, mentor_id=target.id, meeting_id=meeting
            )
            name = target.name
        serve(conn, goal_id, followups=[new_id])
        item = get_followup(conn, new_id)
    if as_json:
        emit_json(item)
        return
    typer.echo(item.id)
    owned = f" ({item.mentor}'s)" if item.group and item.mentor else ""
    say(f"Added follow-up #{item.id} for {name}{owned}" + (f", due {format_day(due_day)}" if due_day else "") + ".")


def _close(ctx: typer.Context, followup_id: str, status: str, as_json: bool) -> None:
    from mentorkit.domain.followups import close_followup

    with writing(ctx) as conn:
        item = close_followup(conn, now(), followup_id, status)
    if as_json:
        emit_json(item)
    else:
        say(f"Follow-up #{item.id} ({item.mentor or item.group}) is {item.status}.")


@followup_app.command("done")
def followup_done(
    ctx: typer.Context, followup_id: Annotated[str, typer.Argument(metavar="ID")], as_json: JsonOpt = False
) -> None:
    """Mark an action item done."""
    _close(ctx, followup_id, "done", as_json)


@followup_app.command("drop")
def followup_drop(
    ctx: typer.Context, followup_id: Annotated[str, typer.Argument(metavar="ID")], as_json: JsonOpt = False
) -> None:
    """Drop an action item that no longer matters."""
    _close(ctx, followup_id, "dropped", as_json)


@app.command("followups")
def followups(
    ctx: typer.Context,
    show_all: Annotated[bool, typer.Option("--all", help="Everything open, whatever its date.")] = False,
    mentor: Annotated[str | None, typer.Option(help="Only items for this mentor.")] = None,
    group: Annotated[str | None, typer.Option("--group", help="Only this group's items.")] = None,
    within: Annotated[int | None, typer.Option(help="Items due within this many days (default 7).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """What needs doing now, most urgent first: planned meetings to record, action items, check-ins,
    summaries, preparation, pilot reviews."""
    from mentorkit.dates import describe_lateness, format_day
    from mentorkit.domain.followups import DEFAULT_WITHIN, due_items, older_summaries

    moment = now()
    with reading(ctx) as conn:
        my_zone = profile_zone(conn)
        mentor_id = None
        if mentor:
            from mentorkit.domain.mentors import resolve_mentor  # only then: the plain list runs without it

            mentor_id = resolve_mentor(conn, mentor).id
        group_id = None
        if group:
            from mentorkit.domain.groups import resolve_group

            if mentor:
                raise InvalidInput("give --mentor or --group, not both")
            group_id = resolve_group(conn, group).id
        items = due_items(
            conn, moment, my_zone, within=within, show_all=show_all, mentor_id=mentor_id, group_id=group_id
        )
        older = 0 if show_all or as_json or group_id else older_summaries(conn, moment, mentor_id)
    if as_json:
        emit_json(items)
        return
    days = DEFAULT_WITHIN if within is None else within
    window = "" if show_all else f" within {days} day{'s' if days != 1 else ''}"
    footer = (
        f"{older} summar{'ies' if older != 1 else 'y'} owed for meetings over 30 days old: `mentorkit followups --all`"
        if older
        else ""
    )
    if not items:
        ahead = "" if show_all else f" in the next {days} day{'s' if days != 1 else ''}"
        say(f"Nothing needs doing{ahead}. " + ("" if show_all else "(`--all` shows everything open.)"))
        if footer:
            say(footer + ".")
        return
    today = moment.astimezone(my_zone).date()
    from mentorkit.cli.render import Col, Table, styled

    overdue = any(item.days_late and item.days_late > 0 for item in items)
    title = "Everything open" if show_all else ("Overdue, and due" if overdue else "Due") + window

    table = Table(
        Col("due", "date"),
        Col("how late"),
        Col("kind", optional=True),  # the "what" says it too; left out before the what is cut
        Col("with", "name"),
        Col("what", "text"),
        title=title,
    )
    for item in items:
        late = describe_lateness(item.due, today) if item.due else "no date"
        style = "red" if item.days_late and item.days_late > 0 else ("yellow" if item.days_late == 0 else "")
        table.add_row(
            format_day(item.due) if item.due else "—",
            styled(late, style) if style else late,
            item.kind,
            item.with_whom,
            item.what,
        )
    console().print(table)
    if footer:
        say(footer + ".")
