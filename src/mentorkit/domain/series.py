"""Recurring plans: `plan MENTOR|--group G --when ... --repeat N`.

A series is N planned meetings on the mentor's (or group's) cadence, each a meeting of its own
(moved, cancelled, edited or deleted alone, as any planned meeting), sharing `meeting.series`, a
UUID of the series. The first is at `--when`; the next ones follow the cadence at the same local
time in the zone `--when` was given in (16:00 stays 16:00 across a daylight-saving change there).
Dates already past are skipped, so `--when "2026-09-01 16:00"` planned in December starts with
the first date still to come.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from mentorkit.domain.common import new_uuid
from mentorkit.domain.meetings import FUTURE_SLACK, Planned, plan_meeting
from mentorkit.errors import InvalidInput

MAX_REPEAT = 100
"""Meetings one `--repeat` may plan: two years of weekly meetings, eight of quarterly ones."""


@dataclass
class Series:
    uuid: str
    cadence: str  # the RRULE the dates follow
    planned: list[Planned] = field(default_factory=list)
    skipped: int = 0  # cadence dates before now, left out


def _cadence(conn: sqlite3.Connection, mentor_id: int | None, group_id: int | None) -> str:
    if mentor_id is not None:
        row = conn.execute("SELECT cadence FROM mentor WHERE id = ?", (mentor_id,)).fetchone()
        fix = f"`mentorkit edit {mentor_id} --cadence monthly`"
        who = f"mentor #{mentor_id}"
    else:
        row = conn.execute("SELECT cadence FROM mgroup WHERE id = ?", (group_id,)).fetchone()
        fix = f"`mentorkit group edit {group_id} --cadence monthly`"
        who = f"group #{group_id}"
    if row is None or not row[0]:
        raise InvalidInput(f"{who} has no cadence to repeat on; set one with {fix}, or plan without --repeat")
    return str(row[0])


def series_starts(rule: str, first: datetime, zone: tzinfo, count: int, now: datetime) -> tuple[list[datetime], int]:
    """The first `count` starts on the cadence from `first` (aware, in `zone`) that have not
    passed, at `first`'s local time; and how many past ones were skipped."""
    from mentorkit.dates import cadence_dates, localize

    local = first.astimezone(zone).replace(tzinfo=None)
    starts: list[datetime] = []
    skipped = 0
    for moment in cadence_dates(rule, local):
        start = localize(moment, zone)
        if start < now - FUTURE_SLACK:
            skipped += 1
            if skipped > 100_000:  # a cadence from long ago: say so rather than count for ever
                raise InvalidInput("--when is too far in the past for --repeat; give a date close to the first meeting")
            continue
        starts.append(start)
        if len(starts) == count:
            break
    return starts, skipped


def plan_series(
    conn: sqlite3.Connection,
    now: datetime,
    count: int,
    starts_at: datetime,
    zone: tzinfo,
    mentor_id: int | None,
    group_id: int | None,
    **details: Any,
) -> Series:
    """Plan `count` meetings on the cadence from `starts_at`, linked as one series; `details`
    (mode, minutes, agenda, my_zone) go to `plan_meeting` for each."""
    if not 1 <= count <= MAX_REPEAT:
        raise InvalidInput(f"--repeat must be from 1 to {MAX_REPEAT}, not {count if abs(count) < 10**9 else '(huge)'}")
    if (mentor_id is None) == (group_id is None):
        raise InvalidInput("a meeting is with one mentor or one group: give MENTOR or --group, not both")
    rule = _cadence(conn, mentor_id, group_id)
    starts, skipped = series_starts(rule, starts_at, zone, count, now)
    if len(starts) < count:
        raise InvalidInput(f"the cadence has only {len(starts)} dates left before the year 9999; ask for fewer")
    series = Series(new_uuid(), rule, skipped=skipped)
    for start in starts:
        series.planned.append(
            plan_meeting(conn, now, starts_at=start, zone=zone, mentor_id=mentor_id, group_id=group_id, **details)
        )
    ids = [planned.meeting.id for planned in series.planned]
    conn.execute(
        f"UPDATE meeting SET series = ? WHERE id IN ({', '.join('?' * len(ids))})",
        (series.uuid, *ids),
    )
    for planned in series.planned:
        planned.meeting.series = series.uuid
    return series
