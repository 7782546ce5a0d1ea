"""`plan --repeat N`: the series of planned meetings (domain/series.py), rendered."""

from __future__ import annotations

import typer

from mentorkit.cli.common import emit_json, now, profile, read_text_arg, say, writing


def plan_repeated(
    ctx: typer.Context,
    mentor: str | None,
    group: str | None,
    when: str,
    tz: str | None,
    mode: str,
    minutes: int,
    agenda: str | None,
    repeat: int,
    as_json: bool,
) -> None:
    """`plan --repeat N`: N meetings on the cadence, one series."""
    from mentorkit.cli.meetings import _target, _zone, when_text
    from mentorkit.dates import parse_datetime
    from mentorkit.domain.series import plan_series

    moment = now()
    with writing(ctx) as conn:
        me = profile(conn)
        zone = _zone(conn, me, tz)
        start = parse_datetime(when, now=moment, zone=zone, date_order=me.date_order)
        mentor_id, group_id = _target(conn, mentor, group)
        series = plan_series(
            conn,
            moment,
            count=repeat,
            starts_at=start,
            zone=zone,
            mentor_id=mentor_id,
            group_id=group_id,
            mode=mode,
            minutes=minutes,
            agenda=read_text_arg(agenda),
            my_zone=me.zone,
        )
    if as_json:
        emit_json(series)
        return
    first = series.planned[0].meeting
    for planned in series.planned:
        typer.echo(planned.meeting.id)
    from mentorkit.drafting.wording import with_article

    count = len(series.planned)
    skipped = (
        f" ({series.skipped} date{'s' if series.skipped != 1 else ''} already past skipped)" if series.skipped else ""
    )
    say(
        f"Planned {count} {first.mode} meeting{'s' if count != 1 else ''} with {first.with_whom} "
        f"(#{first.id}–#{series.planned[-1].meeting.id}), each its own meeting{skipped}:"
        if count > 1
        else f"Planned {with_article(first.mode)} meeting with {first.with_whom} (#{first.id}){skipped}:"
    )
    for planned in series.planned:
        say(f"  #{planned.meeting.id}  {when_text(planned.meeting, me.zone)}")
        for warning in planned.warnings:
            say(f"    Warning: {warning}.")
