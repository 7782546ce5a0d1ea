"""Editing and deleting records: `meetings edit/delete`, `followup edit/snooze/reopen/delete`,
`advice edit/delete`, `pitches delete`, `flags edit/delete`, `group rename/delete/add-member/
remove-member`, `arena rename/delete`. The commands join the groups the other modules define."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING, Annotated

import typer

from mentorkit.cli.common import JsonOpt, emit_json, now, profile, profile_zone, reading, say, writing

if TYPE_CHECKING:
    import sqlite3

    from mentorkit.domain.edits import Deleted

IdArg = Annotated[str, typer.Argument(metavar="ID")]
TextOpt = Annotated[str | None, typer.Option("--text", help="The new text.")]


def _day(conn: sqlite3.Connection, text: str | None) -> date | None:
    from mentorkit.dates import parse_date

    if text is None:
        return None
    me = profile(conn)
    return parse_date(text, today=now().astimezone(me.zone).date(), date_order=me.date_order)


def _changed(what: str, changed: bool, as_json: bool, payload: object = None) -> None:
    if as_json:
        emit_json({"changed": changed, "record": payload})
    else:
        say(
            f"Changed {what}." if changed else f"{what[0].upper()}{what[1:]} already had those values; nothing changed."
        )


def _deleted(result: Deleted, as_json: bool) -> None:
    if as_json:
        emit_json(result)
        return
    parts = [f"Deleted {result.label}"]
    if result.went_with:
        parts.append(f" with {', '.join(result.went_with)}")
    if result.kept:
        parts.append(f"; kept {', '.join(result.kept)}")
    say("".join(parts) + ". `mentorkit undo` brings it back.")


# ---- meetings ------------------------------------------------------------------------------


def meeting_edit(
    ctx: typer.Context,
    meeting_id: Annotated[str, typer.Argument(metavar="MEETING_ID")],
    when: Annotated[str | None, typer.Option(help="A new date and time: yesterday 15:00, 2026-12-03 15:00 ...")] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="Zone of --when, and the meeting's zone.")] = None,
    mode: Annotated[str | None, typer.Option(help="video, phone, in-person, email, text or conference.")] = None,
    minutes: Annotated[int | None, typer.Option(help="How long, in minutes.")] = None,
    agenda: Annotated[str | None, typer.Option(help="The agenda ('' clears it, '-' reads stdin).")] = None,
    notes: Annotated[str | None, typer.Option(help="The notes ('' clears them, '-' reads stdin).")] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Edit the notes in $EDITOR.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Change a meeting: its time, zone, mode, length, agenda or notes."""
    from mentorkit.cli.common import read_text_arg
    from mentorkit.dates import get_zone, parse_datetime
    from mentorkit.domain.edits import edit_meeting
    from mentorkit.domain.edits import meeting_id as parse_id
    from mentorkit.domain.meetings import get_meeting
    from mentorkit.errors import InvalidInput

    if edit and notes is not None:
        raise InvalidInput("use either --notes or --edit, not both")
    record = parse_id(meeting_id)
    text = read_text_arg(notes)
    agenda_text = read_text_arg(agenda)
    if edit:  # before the write begins: the store stays free for other commands while one types
        from mentorkit.editor import edit_text

        with reading(ctx) as conn:
            current = get_meeting(conn, record)
        text = edit_text(current.notes or "")
    moment = now()
    with writing(ctx) as conn:
        me = profile(conn)
        zone = get_zone(tz) if tz else me.zone
        start = None
        if when is not None:
            start = parse_datetime(when, now=moment, zone=zone, date_order=me.date_order, default_time=time(12, 0))
        changed = edit_meeting(
            conn,
            moment,
            record,
            starts_at=start,
            timezone=tz and getattr(zone, "key", tz),
            mode=mode,
            minutes=minutes,
            agenda=agenda_text,
            notes=text,
        )
        result = get_meeting(conn, record)
    _changed(f"meeting #{record}", changed, as_json, result)


def meeting_delete(
    ctx: typer.Context, meeting_id: Annotated[str, typer.Argument(metavar="MEETING_ID")], as_json: JsonOpt = False
) -> None:
    """Delete a meeting recorded by mistake; its advice and follow-ups stay."""
    from mentorkit.domain.edits import delete_meeting
    from mentorkit.domain.edits import meeting_id as parse_id

    record = parse_id(meeting_id)
    with writing(ctx) as conn:
        result = delete_meeting(conn, record, profile_zone(conn))
    _deleted(result, as_json)


# ---- follow-ups ----------------------------------------------------------------------------


def followup_edit(
    ctx: typer.Context,
    followup_id: IdArg,
    text: TextOpt = None,
    due: Annotated[str | None, typer.Option(help="A new due date: tomorrow, friday, 2026-12-03 ...")] = None,
    no_due: Annotated[bool, typer.Option("--no-due", help="Remove the due date.")] = False,
    owner: Annotated[str | None, typer.Option(help="me or mentor.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change an action item's text, due date or owner."""
    from mentorkit.domain.edits import edit_followup
    from mentorkit.domain.edits import followup_id as parse_id
    from mentorkit.domain.followups import get_followup

    record = parse_id(followup_id)
    with writing(ctx) as conn:
        changed = edit_followup(conn, now(), record, text=text, due=_day(conn, due), clear_due=no_due, owner=owner)
        result = get_followup(conn, record)
    _changed(f"follow-up #{record}", changed, as_json, result)


def followup_snooze(
    ctx: typer.Context,
    followup_id: IdArg,
    until: Annotated[str, typer.Argument(metavar="DATE", help="The new due date: monday, in 2 weeks, 2026-12-03 ...")],
    as_json: JsonOpt = False,
) -> None:
    """Put an action item off to a later day."""
    from mentorkit.domain.edits import edit_followup
    from mentorkit.domain.edits import followup_id as parse_id
    from mentorkit.domain.followups import get_followup

    record = parse_id(followup_id)
    with writing(ctx) as conn:
        day = _day(conn, until)
        changed = edit_followup(conn, now(), record, due=day)
        result = get_followup(conn, record)
    if as_json:
        emit_json({"changed": changed, "record": result})
    else:
        say(f"Follow-up #{record} is due {day:%a %d %b %Y}." if day else "")


def followup_reopen(ctx: typer.Context, followup_id: IdArg, as_json: JsonOpt = False) -> None:
    """Open again an action item marked done or dropped by mistake."""
    from mentorkit.domain.edits import followup_id as parse_id
    from mentorkit.domain.edits import reopen_followup
    from mentorkit.domain.followups import get_followup

    record = parse_id(followup_id)
    with writing(ctx) as conn:
        reopen_followup(conn, now(), record)
        result = get_followup(conn, record)
    if as_json:
        emit_json(result)
    else:
        say(f"Follow-up #{record} is open again.")


def followup_delete(ctx: typer.Context, followup_id: IdArg, as_json: JsonOpt = False) -> None:
    """Delete an action item added by mistake (to close one, use `done` or `drop`)."""
    from mentorkit.domain.edits import delete_followup
    from mentorkit.domain.edits import followup_id as parse_id

    record = parse_id(followup_id)
    with writing(ctx) as conn:
        result = delete_followup(conn, record)
    _deleted(result, as_json)


# ---- advice, pitches, flags ----------------------------------------------------------------


def advice_edit(
    ctx: typer.Context,
    advice_id: IdArg,
    text: TextOpt = None,
    arena: Annotated[str | None, typer.Option(help="The arena it is about.")] = None,
    on: Annotated[str | None, typer.Option("--on", help="The day it was given.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a piece of advice: its text, arena or day (`advice rate` records what came of it)."""
    from mentorkit.domain.advice import get_advice
    from mentorkit.domain.arenas import resolve_arena
    from mentorkit.domain.edits import advice_id as parse_id
    from mentorkit.domain.edits import edit_advice

    record = parse_id(advice_id)
    with writing(ctx) as conn:
        arena_id = resolve_arena(conn, arena).id if arena is not None else None
        changed = edit_advice(conn, now(), record, text=text, arena_id=arena_id, given_on=_day(conn, on))
        result = get_advice(conn, record)
    _changed(f"advice #{record}", changed, as_json, result)


def advice_delete(ctx: typer.Context, advice_id: IdArg, as_json: JsonOpt = False) -> None:
    """Delete a piece of advice recorded by mistake."""
    from mentorkit.domain.edits import advice_id as parse_id
    from mentorkit.domain.edits import delete_advice

    record = parse_id(advice_id)
    with writing(ctx) as conn:
        result = delete_advice(conn, record)
    _deleted(result, as_json)


def pitch_delete(ctx: typer.Context, pitch_id: IdArg, as_json: JsonOpt = False) -> None:
    """Delete a saved pitch."""
    from mentorkit.domain.edits import delete_pitch
    from mentorkit.domain.edits import pitch_id as parse_id

    record = parse_id(pitch_id)
    with writing(ctx) as conn:
        result = delete_pitch(conn, record)
    _deleted(result, as_json)


def flag_edit(
    ctx: typer.Context,
    flag_id: IdArg,
    note: Annotated[str | None, typer.Option(help="The note ('' clears it).")] = None,
    kind: Annotated[str | None, typer.Option(help="commitment, competition, conflict-of-interest or other.")] = None,
    on: Annotated[str | None, typer.Option("--on", help="The day it was raised.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a red flag's note, kind or day (`unflag` resolves it)."""
    from mentorkit.domain.edits import edit_flag
    from mentorkit.domain.edits import flag_id as parse_id
    from mentorkit.domain.flags import get_flag

    record = parse_id(flag_id)
    with writing(ctx) as conn:
        changed = edit_flag(conn, now(), record, note=note, kind=kind, raised_on=_day(conn, on))
        result = get_flag(conn, record)
    _changed(f"flag #{record}", changed, as_json, result)


def flag_delete(ctx: typer.Context, flag_id: IdArg, as_json: JsonOpt = False) -> None:
    """Delete a red flag raised by mistake (`unflag` keeps it as history instead)."""
    from mentorkit.domain.edits import delete_flag
    from mentorkit.domain.edits import flag_id as parse_id

    record = parse_id(flag_id)
    with writing(ctx) as conn:
        result = delete_flag(conn, record)
    _deleted(result, as_json)


# ---- groups and arenas ---------------------------------------------------------------------

GroupArg = Annotated[str, typer.Argument(metavar="GROUP", help="The group's name or id.")]


def _group_edit(ctx: typer.Context, group: str, as_json: bool, message: str, **changes: object) -> None:
    """Apply `changes` to the group and say `message` (`{name}`: the group's name after it; for
    added or removed members, their names as the store has them follow)."""
    from mentorkit.domain.groups import edit_group, get_group, resolve_group

    with writing(ctx) as conn:
        zone = profile_zone(conn)
        ref = resolve_group(conn, group)
        before = {m.id: m.name for m in get_group(conn, now(), zone, ref.id).members}
        result = edit_group(conn, now(), zone, ref, **changes)  # type: ignore[arg-type]
    if as_json:
        emit_json(result)
        return
    after = {m.id: m.name for m in result.members}
    changed = [after[i] for i in after if i not in before] + [before[i] for i in before if i not in after]
    text = message.replace("{name}", result.name)  # names are never a format string
    say(f"{text}: {', '.join(changed)}." if changed else f"{text}.")


def group_rename(
    ctx: typer.Context,
    group: GroupArg,
    new_name: Annotated[str, typer.Argument(metavar="NEW_NAME")],
    as_json: JsonOpt = False,
) -> None:
    """Rename a mastermind group."""
    _group_edit(ctx, group, as_json, "Renamed the group to {name}", name=new_name)


def group_add_member(
    ctx: typer.Context,
    group: GroupArg,
    member: Annotated[list[str], typer.Argument(metavar="MEMBER...", help="A mentor or peer; a new name adds a peer.")],
    as_json: JsonOpt = False,
) -> None:
    """Add members to a group."""
    _group_edit(ctx, group, as_json, "Added to {name}", add=member)


def group_remove_member(
    ctx: typer.Context,
    group: GroupArg,
    member: Annotated[list[str], typer.Argument(metavar="MEMBER...", help="A member (id or part of a name).")],
    as_json: JsonOpt = False,
) -> None:
    """Take members out of a group; they stay on your board."""
    _group_edit(ctx, group, as_json, "Removed from {name}", remove=member)


def group_delete(
    ctx: typer.Context,
    group: GroupArg,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask (needed when not on a terminal).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Delete a group with its meetings and their follow-ups; members stay on your board."""
    from mentorkit.cli.fixes import confirm
    from mentorkit.domain.edits import delete_group, group_meetings
    from mentorkit.domain.groups import resolve_group

    with writing(ctx) as conn:
        ref = resolve_group(conn, group)
        if meetings := group_meetings(conn, ref.id):
            confirm(f"Delete the group {ref.name} with its {meetings} meeting(s) and their follow-ups?", yes)
        result = delete_group(conn, ref.id)
    _deleted(result, as_json)


ArenaArg = Annotated[str, typer.Argument(metavar="ARENA", help="The arena's name.")]


def arena_rename(
    ctx: typer.Context,
    arena: ArenaArg,
    new_name: Annotated[str, typer.Argument(metavar="NEW_NAME")],
    as_json: JsonOpt = False,
) -> None:
    """Rename an arena; mentors, goals, advice and pitches follow it."""
    from mentorkit.domain.edits import rename_arena

    with writing(ctx) as conn:
        old, new = rename_arena(conn, now(), arena, new_name)
    if as_json:
        emit_json({"old": old, "new": new})
    else:
        say(f"Renamed the arena {old} to {new}.")


def arena_delete(ctx: typer.Context, arena: ArenaArg, as_json: JsonOpt = False) -> None:
    """Delete an arena no mentor covers; its goal goes with it, advice and pitches keep their text."""
    from mentorkit.domain.edits import delete_arena

    with writing(ctx) as conn:
        result = delete_arena(conn, arena)
    _deleted(result, as_json)


def _join_groups() -> None:
    """Add the commands to the groups the other CLI modules made (cli/lazy.py imports those first)."""
    from mentorkit.cli.drafting import pitches_app
    from mentorkit.cli.followups import followup_app
    from mentorkit.cli.meetings import meetings_app
    from mentorkit.cli.mentors import arena_app
    from mentorkit.cli.relationships import advice_app, flags_app, group_app

    meetings_app.command("edit")(meeting_edit)
    meetings_app.command("delete")(meeting_delete)
    followup_app.command("edit")(followup_edit)
    followup_app.command("snooze")(followup_snooze)
    followup_app.command("reopen")(followup_reopen)
    followup_app.command("delete")(followup_delete)
    advice_app.command("edit")(advice_edit)
    advice_app.command("delete")(advice_delete)
    pitches_app.command("delete")(pitch_delete)
    flags_app.command("edit")(flag_edit)
    flags_app.command("delete")(flag_delete)
    group_app.command("rename")(group_rename)
    group_app.command("add-member")(group_add_member)
    group_app.command("remove-member")(group_remove_member)
    group_app.command("delete")(group_delete)
    arena_app.command("rename")(arena_rename)
    arena_app.command("delete")(arena_delete)


app = typer.Typer()
"""No top-level commands of its own: this module's commands join other modules' groups."""
_join_groups()
