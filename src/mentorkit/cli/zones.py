"""How `plan` shows everyone's clock: participants' local times, suggested slots (`plan
--suggest`) and the daylight-saving changes of a repeating meeting (the data comes from
domain/zones.py).

Messages for the person, so they go to stderr as lines (`say`), never to stdout, which keeps
the meeting's id alone for scripts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mentorkit.cli.common import say
from mentorkit.cli.text import width
from mentorkit.errors import InvalidInput

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable
    from datetime import time

    import typer

    from mentorkit.domain.zones import DstShift, LocalTime, Slot


def _pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def participant_lines(times: list[LocalTime], indent: str = "  ") -> list[str]:
    """One line per participant: name, their local day and time, and a mark outside their hours."""
    size = max((width(t.name) for t in times), default=0)
    clock = max((width(t.text) for t in times), default=0)
    lines = []
    for t in times:
        mark = f"  outside {t.hours}" if t.outside_hours else ""
        if t.starts is None:
            mark = f"  (set it: mentorkit edit {t.mentor_id} --timezone ZONE)" if t.mentor_id is not None else ""
        lines.append((indent + _pad(t.name, size) + "  " + _pad(t.text, clock) + mark).rstrip())
    return lines


def say_participants(times: list[LocalTime]) -> None:
    for line in participant_lines(times):
        say(line)


def say_shifts(shifts: list[DstShift], repeats: str | None, lookahead: int) -> None:
    if not shifts:
        return
    say(f"Daylight-saving changes over the next {lookahead} meetings if it repeats {repeats}:")
    size = max(width(s.name) for s in shifts)
    for s in shifts:
        say(f"  {_pad(s.name, size)}  moves from {s.before} to {s.after} on {_day(s)}")


def _day(shift: DstShift) -> str:
    from mentorkit.dates import format_day

    return format_day(shift.on)


def suggestion_lines(slots: list[Slot], what: str) -> list[str]:
    """The suggestions as a short document (stdout: they are what `plan --suggest` answers)."""
    lines = [f"Best starts {what}, in each participant's time:"]
    for n, slot in enumerate(slots, 1):
        unknown = [t.name for t in slot.times if t.starts is None]  # no zone: their clock is not known
        if slot.outside:
            fits = "outside hours for " + ", ".join(slot.outside)
        elif unknown:
            fits = f"inside working hours for all but {', '.join(unknown)}: time zone not set"
        else:
            fits = "inside everyone's working hours"
        lines.append(f"{n}. {slot.times[0].text} ({fits})")
        lines += participant_lines(slot.times[1:], indent="     ")
    return lines


def working_hours() -> tuple[time, time]:
    """The working hours of the config file (`hours.start`, `hours.end`; 08:00–18:00 without it)."""
    from mentorkit.config import load

    settings = load()
    return settings.hours_start, settings.hours_end


def suggest_starts(
    ctx: typer.Context,
    target: Callable[[sqlite3.Connection], tuple[int | None, int | None]],
    on: str | None,
    week: str | None,
    minutes: int,
    as_json: bool,
) -> None:
    """`plan --suggest`: the best starts for a day (`--on`, default today) or a working week, for
    the mentor or group `target` resolves (as (mentor_id, group_id))."""
    from datetime import timedelta

    from mentorkit.cli.common import echo_document, emit_json, now, profile, reading
    from mentorkit.dates import format_day, parse_date
    from mentorkit.domain.zones import participants, suggest_slots

    if on is not None and week is not None:
        raise InvalidInput("give --on DAY or --week DAY, not both")
    if not 1 <= minutes <= 24 * 60:
        raise InvalidInput(f"--minutes must be between 1 and 1440, not {minutes}")
    moment = now()
    with reading(ctx) as conn:
        me = profile(conn)
        mentor_id, group_id = target(conn)
        today = moment.astimezone(me.zone).date()
        day = parse_date(week or on or "today", today=today, date_order=me.date_order)
        if week is not None:
            monday = day - timedelta(days=day.weekday())
            days = [monday + timedelta(days=n) for n in range(5)]
            what = f"in the week of {format_day(monday)}"
        else:
            days, what = [day], f"on {format_day(day)}"
        people = participants(conn, me.zone, mentor_id=mentor_id, group_id=group_id, hours=working_hours())
        slots = suggest_slots(people, days, me.zone, minutes, now=moment)
    if as_json:
        emit_json(slots)
        return
    if not slots:
        raise InvalidInput(f"every start {what} has passed; ask about another day with --on or --week")
    echo_document("\n".join(suggestion_lines(slots, what)) + "\n")
