"""Goals and milestones: `goal add/edit/done/drop/reopen/link/unlink/show`, `goal milestone
add/done`, and the `goals` list (issue 19; docs/goals.md)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from mentorkit.cli.common import JsonOpt, MentorArg, console, emit_json, now, profile, reading, say, writing

if TYPE_CHECKING:
    import sqlite3

    from mentorkit.domain.goals import Goal, Milestone

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""

GoalArg = Annotated[str, typer.Argument(metavar="GOAL", help="Goal id (see `mentorkit goals`).")]
ByHelp = "The date to meet it by: 2027-06-30, in 6 months, ... ('none' clears it)."


def parse_day(conn: sqlite3.Connection, text: str) -> date:
    """A DATE argument as a day in the profile's zone (the dates grammar)."""
    from mentorkit.dates import parse_date

    me = profile(conn)
    return parse_date(text, today=now().astimezone(me.zone).date(), date_order=me.date_order)


def _by(conn: sqlite3.Connection, text: str | None) -> date | None:
    return None if text is None or text.strip().lower() in ("", "none") else parse_day(conn, text)


goal_app = typer.Typer(
    help="Goals per arena with milestones, linked to the mentors who help: `goal add`, `goal milestone add`.",
    no_args_is_help=True,
)
app.add_typer(goal_app, name="goal")
milestone_app = typer.Typer(help="Dated steps towards a goal: `goal milestone add`, `done`.", no_args_is_help=True)
goal_app.add_typer(milestone_app, name="milestone")


def _said(goal: Goal, verb: str, as_json: bool) -> None:
    if as_json:
        emit_json(goal)
    else:
        say(f"Goal #{goal.id} ({goal.arena}) {verb}.")


@goal_app.command("add")
def goal_add(
    ctx: typer.Context,
    arena: Annotated[str, typer.Argument(metavar="ARENA", help="The arena it belongs to (see `mentorkit arenas`).")],
    text: Annotated[str, typer.Argument(help="The goal: specific, measurable, with its date in --by.")],
    by: Annotated[str | None, typer.Option("--by", help="The date to meet it by: 2027-06-30, in 6 months, ...")] = None,
    measure: Annotated[str | None, typer.Option(help="How you will know it is met.")] = None,
    mentor: Annotated[
        list[str] | None, typer.Option("--mentor", help="A mentor who helps with it; repeat for more.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a goal in an arena; prints its id."""
    from mentorkit.domain.goals import add_goal, get_goal, link_mentor
    from mentorkit.domain.mentors import resolve_mentor

    moment = now()
    with writing(ctx) as conn:
        goal = add_goal(conn, moment, arena=arena, text=text, due=_by(conn, by), measure=measure)
        for ref in mentor or []:
            link_mentor(conn, moment, goal.id, resolve_mentor(conn, ref).id)
        goal = get_goal(conn, goal.id)
    if as_json:
        emit_json(goal)
        return
    typer.echo(goal.id)
    helped = f", with {', '.join(m.name for m in goal.mentors)}" if goal.mentors else ""
    say(
        f"Added goal #{goal.id} in {goal.arena}{helped}. Milestones: `mentorkit goal milestone add {goal.id} TEXT --by DATE`."
    )


@goal_app.command("edit")
def goal_edit(
    ctx: typer.Context,
    goal: GoalArg,
    text: Annotated[str | None, typer.Option(help="The goal's new wording.")] = None,
    arena: Annotated[str | None, typer.Option(help="Move it to another arena.")] = None,
    by: Annotated[str | None, typer.Option("--by", help=ByHelp)] = None,
    measure: Annotated[str | None, typer.Option(help="How you will know it is met (empty clears it).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a goal's wording, arena, date or measure."""
    from mentorkit.domain.goals import UNSET, edit_goal

    with writing(ctx) as conn:
        result, changed = edit_goal(
            conn,
            now(),
            goal,
            text=text,
            arena=arena,
            due=UNSET if by is None else _by(conn, by),
            measure=UNSET if measure is None else measure,
        )
    _said(result, "changed" if changed else "unchanged (the values were the same)", as_json)


def _status(ctx: typer.Context, goal: str, status: str, verb: str, as_json: bool) -> None:
    from mentorkit.domain.goals import set_goal_status

    with writing(ctx) as conn:
        result = set_goal_status(conn, now(), goal, status)
    _said(result, verb, as_json)


@goal_app.command("done")
def goal_done(ctx: typer.Context, goal: GoalArg, as_json: JsonOpt = False) -> None:
    """Mark a goal met."""
    _status(ctx, goal, "done", "is done", as_json)


@goal_app.command("drop")
def goal_drop(ctx: typer.Context, goal: GoalArg, as_json: JsonOpt = False) -> None:
    """Drop a goal that no longer matters (kept, with its milestones, under `goals --all`)."""
    _status(ctx, goal, "dropped", "is dropped", as_json)


@goal_app.command("reopen")
def goal_reopen(ctx: typer.Context, goal: GoalArg, as_json: JsonOpt = False) -> None:
    """Open a done or dropped goal again."""
    _status(ctx, goal, "open", "is open again", as_json)


@goal_app.command("link")
def goal_link(ctx: typer.Context, goal: GoalArg, mentor: MentorArg, as_json: JsonOpt = False) -> None:
    """Link a mentor who helps with a goal."""
    from mentorkit.domain.goals import link_mentor
    from mentorkit.domain.mentors import resolve_mentor

    with writing(ctx) as conn:
        who = resolve_mentor(conn, mentor)
        result, new = link_mentor(conn, now(), goal, who.id)
    _said(result, f"{'now has' if new else 'already had'} {who.name}", as_json)


@goal_app.command("unlink")
def goal_unlink(ctx: typer.Context, goal: GoalArg, mentor: MentorArg, as_json: JsonOpt = False) -> None:
    """Unlink a mentor from a goal."""
    from mentorkit.domain.goals import unlink_mentor
    from mentorkit.domain.mentors import resolve_mentor

    with writing(ctx) as conn:
        who = resolve_mentor(conn, mentor)
        result = unlink_mentor(conn, now(), goal, who.id)
    _said(result, f"no longer has {who.name}", as_json)


def mentors_text(goal: Goal) -> str:
    return ", ".join(m.name + (f" ({', '.join(m.roles)})" if m.roles else "") for m in goal.mentors)


@goal_app.command("show")
def goal_show(ctx: typer.Context, goal: GoalArg, as_json: JsonOpt = False) -> None:
    """One goal: its date, measure, mentors, milestones, and the meetings, advice and follow-ups
    that served it."""
    from mentorkit.dates import format_day
    from mentorkit.domain.goals import get_goal, served_by

    moment = now()
    with reading(ctx) as conn:
        me = profile(conn)
        result = served_by(conn, get_goal(conn, goal))
    if as_json:
        emit_json(result)
        return
    from mentorkit.cli.render import Col, Fields, Table, styled

    today = moment.astimezone(me.zone).date()
    out = console()
    out.print(styled(f"Goal #{result.id} ({result.arena}, {result.status})", "bold"))
    fields = Fields()
    fields.add("goal", result.text)
    fields.add("by", format_day(result.due_on) if result.due_on else "—")
    fields.add("measure", result.measure or "—")
    fields.add("mentors", mentors_text(result) or f"none yet: `mentorkit goal link {result.id} MENTOR`")
    if result.served:
        n = result.served
        fields.add(
            "served by",
            f"{n['meetings']} meeting{'s' if n['meetings'] != 1 else ''}, {n['advice']} advice, "
            f"{n['open_followups']} open follow-up{'s' if n['open_followups'] != 1 else ''} (`log --goal {result.id}`)",
        )
    out.print(fields)
    if result.milestones:
        table = Table(Col("id", "id"), Col("by", "date"), Col("status"), Col("milestone", "text", wrap=True))
        for m in result.milestones:
            state = milestone_state(m, today)
            table.add_row(str(m.id), format_day(m.due_on), state, m.text)
        out.print(table)


def milestone_state(m: Milestone, today: date) -> str:
    if m.done_at is not None:
        return "done late" if m.late(today) else "done"
    parts = ["late" if m.late(today) else "open"]
    if m.after_goal:
        parts.append("after the goal's date")
    return ", ".join(parts)


@milestone_app.command("add")
def milestone_add(
    ctx: typer.Context,
    goal: GoalArg,
    text: Annotated[str, typer.Argument(help="The step, e.g. 'Specific aims reviewed by Rosa'.")],
    by: Annotated[str, typer.Option("--by", help="When it should be done: 2027-02-15, in 6 weeks, ...")],
    as_json: JsonOpt = False,
) -> None:
    """Add a dated milestone to a goal; prints its id. One due after the goal's own date is
    kept, and flagged."""
    from mentorkit.dates import format_day
    from mentorkit.domain.goals import add_milestone

    with writing(ctx) as conn:
        result = add_milestone(conn, now(), goal, text=text, due=parse_day(conn, by))
    if as_json:
        emit_json(result)
        return
    typer.echo(result.id)
    say(f"Added milestone #{result.id} to goal #{result.goal_id}, due {format_day(result.due_on)}.")
    if result.after_goal:
        say(
            f"Note: it falls after the goal's own date; move the goal with `mentorkit goal edit {result.goal_id} --by DATE` "
            "if the plan has slipped."
        )


@milestone_app.command("done")
def milestone_done_cmd(
    ctx: typer.Context,
    milestone: Annotated[str, typer.Argument(metavar="ID", help="Milestone id (see `mentorkit goal show GOAL`).")],
    as_json: JsonOpt = False,
) -> None:
    """Mark a milestone done."""
    from mentorkit.domain.goals import milestone_done

    with writing(ctx) as conn:
        result = milestone_done(conn, now(), milestone)
    if as_json:
        emit_json(result)
    else:
        say(f"Milestone #{result.id} of goal #{result.goal_id} is done.")


@app.command("goals")
def goals(
    ctx: typer.Context,
    arena: Annotated[str | None, typer.Option(help="Only goals in this arena.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Done and dropped goals too.")] = False,
    mentor: Annotated[str | None, typer.Option(help="Only goals this mentor helps with.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Your goals by arena (open ones unless --all), with their mentors and next milestone."""
    from mentorkit.dates import format_day
    from mentorkit.domain.goals import list_goals

    moment = now()
    with reading(ctx) as conn:
        me = profile(conn)
        mentor_id = None
        if mentor is not None:
            from mentorkit.domain.mentors import resolve_mentor

            mentor_id = resolve_mentor(conn, mentor).id
        rows = list_goals(conn, arena=arena, include_closed=show_all, mentor_id=mentor_id)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        say(
            "No goals yet: `mentorkit goal add ARENA TEXT --by DATE`."
            if show_all
            else "No open goals (`--all` shows every goal)."
        )
        return
    from mentorkit.cli.render import Col, Table, styled

    today = moment.astimezone(me.zone).date()
    columns = [Col("id", "id"), Col("arena", "name"), Col("by", "date")]
    if show_all:
        columns.append(Col("status"))
    columns += [Col("mentors", "name"), Col("milestones"), Col("goal", "text")]
    table = Table(*columns, title="Goals" if show_all else "Open goals")
    for g in rows:
        late = sum(1 for m in g.milestones if m.done_at is None and m.late(today))
        steps = f"{g.milestones_done()}/{len(g.milestones)}" if g.milestones else "—"
        cells: list[object] = [str(g.id), g.arena, format_day(g.due_on) if g.due_on else "—"]
        if show_all:
            cells.append(g.status)
        cells += [
            ", ".join(m.name for m in g.mentors) or styled("none", "yellow"),
            styled(f"{steps}, {late} late", "red") if late else steps,
            g.text,
        ]
        table.add_row(*cells)  # type: ignore[arg-type]
    console().print(table)
