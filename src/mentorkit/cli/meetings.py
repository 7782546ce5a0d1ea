"""Meetings: log, plan, meetings (list, mark). Follow-ups are in cli/followups.py, show in cli/show.py."""

from __future__ import annotations

from datetime import date, time, tzinfo
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mentorkit.cli.common import (
    JsonOpt,
    console,
    emit_json,
    now,
    profile,
    profile_zone,
    read_text_arg,
    reading,
    say,
    writing,
)
from mentorkit.errors import InvalidInput

if TYPE_CHECKING:
    import sqlite3

    from mentorkit.domain.meetings import ActionItem, Meeting
    from mentorkit.domain.profile import Profile

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""


WhenHelp = "today, yesterday 15:00, monday 9am, 2026-12-03 15:00, in 2 weeks 10:00 ..."
ModeOpt = Annotated[str, typer.Option(help="video, phone, in-person, email, text or conference.")]
MinutesOpt = Annotated[int | None, typer.Option(help="How long, in minutes.")]
TzOpt = Annotated[str | None, typer.Option("--tz", help="Zone of --when (default: your profile's).")]
GroupOpt = Annotated[str | None, typer.Option("--group", help="A mastermind group instead of a mentor.")]
GoalOpt = Annotated[
    str | None, typer.Option("--goal", metavar="ID", help="The goal it serves (see `mentorkit goals`).")
]


def _zone(conn: sqlite3.Connection, me: Profile, tz: str | None) -> tzinfo:
    from mentorkit.dates import get_zone

    return get_zone(tz) if tz else me.zone


def _target(conn: sqlite3.Connection, mentor: str | None, group: str | None) -> tuple[int | None, int | None]:
    from mentorkit.domain.groups import resolve_group
    from mentorkit.domain.mentors import resolve_mentor
    from mentorkit.errors import InvalidInput

    if (mentor is None) == (group is None):
        raise InvalidInput("name a MENTOR or a --group (one of them)")
    if group is not None:
        return None, resolve_group(conn, group).id
    assert mentor is not None
    return resolve_mentor(conn, mentor).id, None


def when_short(meeting: Meeting, my_zone: tzinfo) -> str:
    """A meeting's start in a table: date, time and zone, yours (a contact recorded by its day
    only: the day)."""
    from mentorkit.dates import format_day, format_moment

    if not meeting.time_given:
        return format_day(meeting.day(my_zone))
    return format_moment(meeting.starts_at, my_zone)


def their_time(meeting: Meeting, my_zone: tzinfo) -> str:
    """The same start for the mentor, when their clock shows another time."""
    from mentorkit.dates import format_their_time, get_zone

    if not meeting.time_given:
        return ""

    theirs = get_zone(meeting.mentor_timezone) if meeting.mentor_timezone else None
    return format_their_time(meeting.starts_at, my_zone, theirs) or ""


def status_text(meeting: Meeting) -> str:
    return meeting.status + (", sent" if meeting.summary_sent_at else "")


def when_text(meeting: Meeting, my_zone: tzinfo) -> str:
    from mentorkit.dates import format_day, format_meeting_time, get_zone

    if not meeting.time_given:  # recorded by its day only: shown as that day, never as 12:00
        return format_day(meeting.day(my_zone))
    theirs = get_zone(meeting.mentor_timezone) if meeting.mentor_timezone else None
    return format_meeting_time(meeting.starts_at, my_zone, theirs, meeting.mentor)


@app.command("log")
def log(
    ctx: typer.Context,
    mentor: Annotated[str | None, typer.Argument(metavar="MENTOR", help="Mentor id or part of a name.")] = None,
    group: GroupOpt = None,
    when: Annotated[str | None, typer.Option(help=f"When it took place (default now): {WhenHelp}")] = None,
    tz: TzOpt = None,
    mode: ModeOpt = "video",
    minutes: MinutesOpt = None,
    agenda: Annotated[str | None, typer.Option(help="What you meant to discuss.")] = None,
    notes: Annotated[str | None, typer.Option(help="What was discussed ('-' reads stdin).")] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Write the notes in $EDITOR.")] = False,
    advice: Annotated[list[str] | None, typer.Option("--advice", help="Advice received; repeat for more.")] = None,
    followup: Annotated[list[str] | None, typer.Option("--followup", help="An action item; repeat for more.")] = None,
    due: Annotated[
        list[str] | None,
        typer.Option(
            help="Due date of the --followup items, counted from the meeting's day: one for all, "
            "or one per --followup in the same order ('none' for no date)."
        ),
    ] = None,
    owner: Annotated[
        list[str] | None,
        typer.Option(
            help="Who owns the --followup items, me or mentor (a group: me, group, or a member): "
            "one for all, or one per --followup."
        ),
    ] = None,
    advice_from: Annotated[
        list[str] | None,
        typer.Option("--from", help="At a group meeting, the member who gave the --advice: one for all, or one each."),
    ] = None,
    goal: GoalOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a meeting that took place, or an email or text exchange (--mode email)."""
    from mentorkit.dates import has_time_of_day, parse_datetime
    from mentorkit.domain.goals import check_goal, serve
    from mentorkit.domain.meetings import log_meeting

    if edit and notes is not None:
        raise InvalidInput("use either --notes or --edit, not both")
    items = _action_items(followup or [], due or [], owner or [])
    text = read_text_arg(notes)
    if edit:
        from mentorkit.editor import edit_text

        text = edit_text()
    moment = now()
    with writing(ctx) as conn:
        me = profile(conn)
        zone = _zone(conn, me, tz)
        start = (
            None
            if when is None
            else parse_datetime(
                when, now=moment, zone=zone, date_order=me.date_order, past=True, default_time=time(12, 0)
            )
        )
        mentor_id, group_id = _target(conn, mentor, group)
        goal_id = check_goal(conn, goal)
        result = log_meeting(
            conn,
            moment,
            starts_at=start,
            zone=zone,
            mentor_id=mentor_id,
            group_id=group_id,
            mode=mode,
            minutes=minutes,
            agenda=agenda,
            notes=text,
            advice=advice,
            followups=list(items),
            time_given=when is None or has_time_of_day(when),
            date_order=me.date_order,
            advice_from=advice_from,
        )
        serve(conn, goal_id, meetings=[result.meeting.id], advice=result.advice_ids, followups=result.followup_ids)
    if as_json:
        emit_json(result)
        return
    m = result.meeting
    typer.echo(m.id)
    extras = []
    if result.advice_ids:
        extras.append(f"{len(result.advice_ids)} advice")
    if result.followup_ids:
        extras.append(_followups_text(result.dues))
    if result.added_to:
        head = f"Added to meeting #{m.id} with {m.with_whom} on {when_text(m, me.zone)}, already recorded as held"
    elif result.adopted_plan:
        head = f"Marked the planned meeting held with {m.with_whom} (#{m.id}) on {when_text(m, me.zone)}"
    else:
        from mentorkit.drafting.wording import with_article

        head = f"Logged {with_article(m.mode)} contact with {m.with_whom} (#{m.id}) on {when_text(m, me.zone)}"
    say(head + (f"; {', '.join(extras)}" if extras else "") + ".")


def _action_items(texts: list[str], dues: list[str], owners: list[str]) -> list[ActionItem]:
    """Pair `--followup`s with `--due`s and `--owner`s: one value for all, or one each in order."""
    from mentorkit.domain.meetings import ActionItem

    def spread(values: list[str], option: str) -> list[str | None]:
        if values and not texts:
            raise InvalidInput(f"{option} applies to --followup items; add --followup TEXT")
        if len(values) in (0, 1):
            return [values[0] if values else None] * len(texts)
        if len(values) != len(texts):
            raise InvalidInput(
                f"{len(values)} {option} values for {len(texts)} --followup items; give one {option} for all, "
                f"or one per --followup in the same order"
            )
        return list(values)

    due_texts = spread(dues, "--due")
    owner_texts = spread(owners, "--owner")
    return [
        ActionItem(text, None if d is None or d.strip().lower() == "none" else d, "me" if o is None else o)
        for text, d, o in zip(texts, due_texts, owner_texts, strict=True)
    ]


def _followups_text(dues: list[date | None]) -> str:
    from mentorkit.dates import format_day

    count = f"{len(dues)} follow-up{'s' if len(dues) > 1 else ''}"
    days = [format_day(d) for d in dues if d is not None]
    if not days:
        return count
    if len(set(days)) == 1 and len(days) == len(dues):
        return f"{count} due {days[0]}"
    return f"{count} (due " + ", ".join(format_day(d) if d else "no date" for d in dues) + ")"


@app.command("plan")
def plan(
    ctx: typer.Context,
    mentor: Annotated[str | None, typer.Argument(metavar="MENTOR", help="Mentor id or part of a name.")] = None,
    when: Annotated[str | None, typer.Option(help=f"Date and time: {WhenHelp}")] = None,
    group: GroupOpt = None,
    tz: TzOpt = None,
    mode: ModeOpt = "video",
    minutes: Annotated[int, typer.Option(help="How long, in minutes.")] = 30,
    agenda: Annotated[str | None, typer.Option(help="What you want to discuss ('-' reads stdin).")] = None,
    repeat: Annotated[
        int | None,
        typer.Option(
            "--repeat",
            metavar="N",
            help="Plan N meetings: the first at --when, the next on the cadence at the same local time.",
        ),
    ] = None,
    suggest: Annotated[
        bool, typer.Option("--suggest", help="Plan nothing; list the best starts across everyone's working hours.")
    ] = False,
    on: Annotated[str | None, typer.Option("--on", help="With --suggest: the day to look at (default today).")] = None,
    week: Annotated[
        str | None, typer.Option("--week", help="With --suggest: the week (Monday to Friday) holding this day.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Schedule a meeting; shows everyone's local time and warns outside their working hours.
    With --suggest, plans nothing and lists the best starts for a day or a week."""
    from mentorkit.cli.zones import working_hours
    from mentorkit.dates import parse_datetime
    from mentorkit.domain.meetings import plan_meeting

    if suggest:
        from mentorkit.cli.zones import suggest_starts

        given = [name for name, value in (("--when", when), ("--repeat", repeat), ("--tz", tz)) if value is not None]
        if given or agenda is not None:
            extra = ", ".join(given + (["--agenda"] if agenda is not None else []))
            raise InvalidInput(
                f"--suggest plans nothing, so {extra} has no use with it; drop it, or plan without --suggest"
            )

        suggest_starts(ctx, lambda conn: _target(conn, mentor, group), on, week, minutes, as_json)
        return
    if on is not None or week is not None:
        raise InvalidInput("--on and --week go with --suggest; to plan a meeting, give --when")
    if when is None:
        raise InvalidInput("say when: `mentorkit plan MENTOR --when 'friday 15:00'`, or --suggest for the best times")
    moment = now()
    with writing(ctx) as conn:
        me = profile(conn)
        zone = _zone(conn, me, tz)
        start = parse_datetime(when, now=moment, zone=zone, date_order=me.date_order)
        mentor_id, group_id = _target(conn, mentor, group)
        details: dict[str, Any] = dict(
            mode=mode, minutes=minutes, agenda=read_text_arg(agenda), my_zone=me.zone, hours=working_hours()
        )
        if repeat is not None:
            from mentorkit.domain.series import plan_series

            series = plan_series(conn, moment, repeat, start, zone, mentor_id, group_id, **details)
        else:
            result = plan_meeting(
                conn, moment, starts_at=start, zone=zone, mentor_id=mentor_id, group_id=group_id, **details
            )
    if repeat is not None:
        from mentorkit.cli.series import show_series

        show_series(series, me.zone, as_json)
        return
    if as_json:
        emit_json(result)
        return
    m = result.meeting
    typer.echo(m.id)
    from mentorkit.drafting.wording import with_article

    say(f"Planned {with_article(m.mode)} meeting with {m.with_whom} (#{m.id}) on {when_text(m, me.zone)}.")
    from mentorkit.cli.zones import say_participants, say_shifts
    from mentorkit.domain.meetings import SERIES_LOOKAHEAD

    if len(result.participants) > 1 and (m.group_id is not None or m.mentor_timezone):
        say_participants(result.participants)
    for warning in result.warnings:
        say(f"Warning: {warning}.")
    say_shifts(result.shifts, result.repeats, SERIES_LOOKAHEAD)
    if result.warnings and m.mentor_timezone:
        if result.overlap:
            from mentorkit.dates import get_zone, zone_abbrev

            theirs = get_zone(m.mentor_timezone)
            a, b = (t.astimezone(me.zone) for t in result.overlap)
            c, d = (t.astimezone(theirs) for t in result.overlap)
            say(
                f"Working hours overlap {a:%H:%M}–{b:%H:%M} {zone_abbrev(a)} "
                f"({c:%H:%M}–{d:%H:%M} {zone_abbrev(c)}) that day."
            )
        else:
            say(
                f"Your working hours ({result.participants[0].hours} and {result.participants[1].hours}) do not "
                "overlap that day; consider an asynchronous update."
            )


meetings_app = typer.Typer(help="List meetings; mark a planned one held, cancelled or missed.")
app.add_typer(meetings_app, name="meetings")


@meetings_app.callback(invoke_without_command=True)
def meetings(
    ctx: typer.Context,
    upcoming: Annotated[
        bool | None, typer.Option("--upcoming/--past", help="Only planned ones, or only past ones.", show_default=False)
    ] = None,
    mentor: Annotated[str | None, typer.Option(help="Only meetings with this mentor.")] = None,
    group: GroupOpt = None,
    limit: Annotated[int, typer.Option(help="At most this many past meetings.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """List planned meetings (soonest first) and past ones (latest first)."""
    if ctx.invoked_subcommand is not None:
        return
    from mentorkit.cli.render import Col, Table
    from mentorkit.domain.groups import resolve_group
    from mentorkit.domain.meetings import iter_meetings
    from mentorkit.domain.mentors import resolve_mentor

    table = Table(
        Col("id", "id"),
        Col("when", "date"),
        Col("their time", "date", optional=True),
        Col("with", "name"),
        Col("mode", optional=True),  # left out at 80 columns, where the day and time take its room
        Col("status"),
        Col("notes / agenda", "text"),
    )
    with reading(ctx) as conn:  # read one meeting at a time: `--limit` may ask for years of them
        my_zone = profile_zone(conn)
        mentor_id = resolve_mentor(conn, mentor).id if mentor else None
        group_id = resolve_group(conn, group).id if group else None
        rows = iter_meetings(conn, now(), upcoming=upcoming, mentor_id=mentor_id, group_id=group_id, limit=limit)
        if as_json:
            emit_json(rows)
            return
        for m in rows:
            table.add_row(
                str(m.id),
                when_short(m, my_zone),
                their_time(m, my_zone),
                m.with_whom,
                m.mode,
                status_text(m),
                m.notes or m.agenda or "",
            )
    if not table.row_count:
        say(
            "No meetings yet. Record one with `mentorkit log MENTOR`, or plan one with `mentorkit plan MENTOR --when ...`."
        )
        return
    console().print(table)


@meetings_app.command("mark")
def meetings_mark(
    ctx: typer.Context,
    meeting_id: Annotated[str, typer.Argument(metavar="MEETING_ID")],
    status: Annotated[str, typer.Argument(metavar="STATUS", help="held, cancelled or missed.")],
    as_json: JsonOpt = False,
) -> None:
    """Mark a planned meeting held, cancelled or missed."""
    from mentorkit.domain.meetings import set_status

    with writing(ctx) as conn:
        result = set_status(conn, now(), meeting_id, status)
    if as_json:
        emit_json(result)
    else:
        say(f"Meeting #{result.id} with {result.with_whom} is now {result.status}.")
