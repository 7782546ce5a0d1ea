"""Fixing mistakes: `undo` and `history` (the change journal), `delete MENTOR`, `merge` and
`mentors --duplicates`."""

from __future__ import annotations

from typing import Annotated

import typer

from mentorkit.cli.common import (
    JsonOpt,
    MentorArg,
    console,
    emit_json,
    now,
    profile_zone,
    reading,
    say,
    writing,
)

YesOpt = Annotated[bool, typer.Option("--yes", help="Do not ask (needed when not on a terminal).")]


def confirm(question: str, yes: bool) -> None:
    """Go on when --yes was given, or the person says yes on a terminal; else stop, writing nothing."""
    import sys

    from mentorkit.errors import InvalidInput

    if yes:
        return
    if not sys.stdin.isatty():
        raise InvalidInput(f"{question} Add --yes to confirm (nothing was changed)")
    if not typer.confirm(question, default=False, err=True):
        raise InvalidInput("nothing was changed")


def undo(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Reverse the last change (a whole command); run it again to go further back."""
    from mentorkit.dates import format_moment
    from mentorkit.domain.journal import undo as undo_step

    with reading(ctx):
        pass  # no store: say so (exit 1) rather than create an empty one to undo nothing in
    with writing(ctx) as conn:
        step = undo_step(conn)
        zone = profile_zone(conn)
    if as_json:
        emit_json(step)
        return
    say(f"Undid `{step.command}` of {format_moment(step.at, zone)} (step {step.id}), which {step.summary()}.")


def history(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="How many changes to list, newest first.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """List the changes in the journal, newest first: when, the command, the records it changed."""
    from mentorkit.dates import format_moment
    from mentorkit.domain.journal import history as read_history

    with reading(ctx) as conn:
        steps = read_history(conn, limit)
        zone = profile_zone(conn)
    if as_json:
        emit_json(steps)
        return
    if not steps:
        say("No changes yet.")
        return
    from mentorkit.cli.render import Col, Table

    table = Table(Col("step", "id"), Col("when", "date"), Col("command"), Col("changes", "text", wrap=True))
    for step in steps:
        changes = step.summary()
        if step.undone_by is not None:
            changes += f" (undone by step {step.undone_by})"
        if step.undoes is not None:
            changes = f"undid step {step.undoes}: {changes}"
        table.add_row(str(step.id), format_moment(step.at, zone), step.command, changes)
    console().print(table)


def delete(ctx: typer.Context, mentor: MentorArg, yes: YesOpt = False, as_json: JsonOpt = False) -> None:
    """Delete a mentor added by mistake, with their meetings, follow-ups, advice, pitches and flags.

    To end a real relationship and keep its history, use `end` instead. `undo` brings it all back.
    """
    from mentorkit.domain.mentors import resolve_mentor
    from mentorkit.domain.people import belongings, delete_mentor

    with writing(ctx) as conn:
        target = resolve_mentor(conn, mentor)
        held = belongings(conn, target.id)
        with_what = f" with {', '.join(held)}" if held else ""
        confirm(f"Delete {target.name} (#{target.id}){with_what}?", yes)
        went = delete_mentor(conn, target.id)
    if as_json:
        emit_json({"id": target.id, "uuid": target.uuid, "name": target.name, "deleted_with": went})
        return
    say(f"Deleted {target.name} (#{target.id}){with_what}. `mentorkit undo` brings them back.")


def merge(
    ctx: typer.Context,
    mentor: Annotated[str, typer.Argument(metavar="MENTOR", help="The duplicate: id or part of the name.")],
    into: Annotated[str, typer.Option("--into", metavar="MENTOR", help="The mentor to keep.")],
    as_json: JsonOpt = False,
) -> None:
    """Merge a duplicate into the mentor to keep: meetings, follow-ups, advice, pitches, flags,
    arenas, tags, groups and stage history move over, empty fields are filled, the duplicate goes."""
    from mentorkit.domain.mentors import resolve_mentor
    from mentorkit.domain.people import merge_mentors

    with writing(ctx) as conn:
        result = merge_mentors(conn, now(), resolve_mentor(conn, mentor).id, resolve_mentor(conn, into).id)
    if as_json:
        emit_json(result)
        return
    moved = f"; moved {', '.join(result.moved)}" if result.moved else ""
    filled = f"; filled {', '.join(result.filled)}" if result.filled else ""
    say(f"Merged {result.gone} (#{result.gone_id}) into {result.kept} (#{result.kept_id}){moved}{filled}.")


def show_duplicates(ctx: typer.Context, as_json: bool) -> None:
    """`mentors --duplicates`: pairs of mentors that are likely one person."""
    from mentorkit.domain.people import duplicates

    with reading(ctx) as conn:
        pairs = duplicates(conn)
    if as_json:
        emit_json(pairs)
        return
    if not pairs:
        say("No likely duplicates.")
        return
    from mentorkit.cli.render import Col, Table

    table = Table(Col("id", "id"), Col("name", "name"), Col("id", "id"), Col("same person as", "name"), Col("why"))
    for p in pairs:
        table.add_row(str(p.second_id), p.second, str(p.first_id), p.first, p.reason)
    console().print(table)
    say("Merge a pair with `mentorkit merge ID --into ID` (the second id is kept); `mentorkit undo` splits it again.")


app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""
app.command("delete")(delete)
app.command("merge")(merge)
app.command("undo")(undo)
app.command("history")(history)
