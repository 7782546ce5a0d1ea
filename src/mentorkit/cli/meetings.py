"""The daily loop: log, plan, meetings, followup add/done/drop, followups, show."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mentorkit.cli.common import (
    JsonOpt,
    MentorArg,
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

    from mentorkit.domain.detail import MentorDetail
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


def _when_short(meeting: Meeting, my_zone: tzinfo) -> str:
    """A meeting's start in a table: date, time and zone, yours (a contact recorded by its day
    only: the day)."""
    from mentorkit.dates import format_day, format_moment

    if not meeting.time_given:
        return format_day(meeting.day(my_zone))
    return format_moment(meeting.starts_at, my_zone)


def _their_time(meeting: Meeting, my_zone: tzinfo) -> str:
    """The same start for the mentor, when their clock shows another time."""
    from mentorkit.dates import format_their_time, get_zone

    if not meeting.time_given:
        return ""

    theirs = get_zone(meeting.mentor_timezone) if meeting.mentor_timezone else None
    return format_their_time(meeting.starts_at, my_zone, theirs) or ""


def _status(meeting: Meeting) -> str:
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
                _when_short(m, my_zone),
                _their_time(m, my_zone),
                m.with_whom,
                m.mode,
                _status(m),
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


@app.command("show")
def show(ctx: typer.Context, mentor: MentorArg, as_json: JsonOpt = False) -> None:
    """One mentor: details, arenas, stages, meetings, open follow-ups, advice and flags."""
    from mentorkit.domain.detail import mentor_detail
    from mentorkit.domain.mentors import resolve_mentor

    moment = now()
    with reading(ctx) as conn:
        my_zone = profile_zone(conn)
        detail = mentor_detail(conn, moment, my_zone, resolve_mentor(conn, mentor))
    if as_json:
        emit_json(detail)
        return
    _render_detail(detail, my_zone, moment)


def _render_detail(detail: MentorDetail, zone: tzinfo, moment: datetime) -> None:
    from mentorkit.cli.render import Col, Fields, Table, Text, styled
    from mentorkit.dates import describe_lateness, format_day

    m = detail.mentor
    out = console()
    today = moment.astimezone(zone).date()
    check_in = None
    planned = next((mt for mt in detail.upcoming if mt.id == detail.check_in_planned), None)
    if planned is not None:  # it stands for the check-in, as in `followups`
        check_in = f"meeting #{planned.id}, planned for {format_day(planned.starts_at.astimezone(zone).date())}"
    elif detail.next_check_in:
        check_in = f"{format_day(detail.next_check_in)} ({describe_lateness(detail.next_check_in, today)})"
    out.print(
        styled(m.name, "bold"),
        f" (#{m.id}) — {m.stage}"
        + (f" since {format_day(m.stage_changed_at.astimezone(zone).date())}" if m.stage_changed_at else "")
        + (" · near-peer" if m.kind == "peer" else ""),
    )
    facts = [
        ("arenas", ", ".join(m.arenas)),
        ("title", m.title),
        ("institution", m.institution),
        ("profile", m.profile_url),
        ("location", m.location),
        ("time zone", m.timezone),
        ("local", {True: "local", False: "remote", None: None}[m.local]),
        ("email", m.email),
        ("cadence", m.cadence_label),
        ("groups", ", ".join(detail.groups)),
        ("working hours", m.hours),
        ("last contact", format_day(m.last_contact.astimezone(zone).date()) if m.last_contact else None),
        ("next check-in", check_in),
        ("pilot review", format_day(m.pilot_review_on) if m.pilot_review_on else None),
        ("source", m.source),
        ("hook", m.hook),
        ("tags", ", ".join(m.tags)),
        ("roles", ", ".join(m.roles)),
        ("channels", ", ".join(m.channels)),
        ("ended because", m.end_reason),
        ("notes", m.notes),
    ]
    fields = Fields()
    for label, value in facts:
        if value:
            fields.add(label, str(value))
    if len(detail.stages) > 1:
        fields.add(
            "stages", " → ".join(f"{s.stage} {format_day(s.changed_at.astimezone(zone).date())}" for s in detail.stages)
        )
    if detail.goals:
        fields.add("goals", list[str | Text](detail.goals))
    if detail.agreement is not None:
        pact = detail.agreement
        review = f", review {format_day(pact.review_on)}" if pact.review_on else ""
        fields.add("agreement", f"agreed {format_day(pact.agreed_on)}{review} (`agreement show {m.id}`)")
    for flag in detail.flags:
        state = f"resolved {format_day(flag.resolved_on)}" if flag.resolved_on else "open"
        fields.add(
            styled("flag", "red"),
            f"{flag.kind} ({format_day(flag.raised_on)}, {state})" + (f": {flag.note}" if flag.note else ""),
        )
    out.print(fields)
    if detail.upcoming or detail.meetings:
        table = Table(
            Col("id", "id"),
            Col("when", "date"),
            Col("their time", "date", optional=True),
            Col("mode"),
            Col("status"),
            Col("notes / agenda", "text"),
            title=f"Meetings ({_meeting_counts(detail)})",
        )
        for meeting in detail.upcoming + detail.meetings:
            table.add_row(
                str(meeting.id),
                _when_short(meeting, zone),
                _their_time(meeting, zone),
                meeting.mode,
                _status(meeting),
                meeting.notes or meeting.agenda or "",
            )
        out.print(table)
    if detail.followups:
        more = detail.followups_total > len(detail.followups)
        title = f"Open follow-ups ({len(detail.followups)} of {detail.followups_total})" if more else "Open follow-ups"
        table = Table(Col("id", "id"), Col("due", "date"), Col("owner"), Col("what", "text", wrap=True), title=title)
        for f in detail.followups:
            table.add_row(str(f.id), format_day(f.due_on) if f.due_on else "—", f.owner, f.text)
        out.print(table)
        if more:
            out.print(
                styled(
                    f"The {len(detail.followups)} due soonest; all: mentorkit followups --all --mentor {m.id}", "dim"
                )
            )
    if detail.advice:
        more = detail.advice_total > len(detail.advice)
        title = f"Advice ({len(detail.advice)} of {detail.advice_total})" if more else "Advice"
        table = Table(
            Col("id", "id"),
            Col("given", "date"),
            Col("arena", "name"),
            Col("outcome"),
            Col("advice", "text", wrap=True),
            title=title,
        )
        for a in detail.advice:
            table.add_row(str(a.id), format_day(a.given_on), a.arena or "", a.outcome, a.text)
        out.print(table)
        if more:
            out.print(styled(f"The {len(detail.advice)} latest; all: mentorkit advice --mentor {m.id}", "dim"))


def _meeting_counts(detail: MentorDetail) -> str:
    """'3 held, 1 planned, 1 cancelled or missed': a cancelled meeting is neither a contact nor planned."""
    parts = [f"{detail.held_total} held", f"{len(detail.upcoming)} planned"]
    if detail.called_off_total:
        parts.append(f"{detail.called_off_total} cancelled or missed")
    return ", ".join(parts)
