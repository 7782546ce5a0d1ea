"""Everyone's clock: the participants of a meeting, their local times and working hours, the
best slots for a group, and the daylight-saving changes that move a repeating meeting for one
of them.

A participant is you (the profile's zone) or a mentor/member with a zone. Working hours are
the config's `hours.start`–`hours.end` (08:00–18:00 by default; the CLI passes them), or a person's own (`edit NAME --hours
09:00-17:00`); suggestions keep to Monday to Friday of each person's own calendar. A member without
a zone is listed as such and never warned about (their clock is unknown).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise

from mentorkit.dates import format_day, get_zone, localize, zone_abbrev

DEFAULT_HOURS = (time(8, 0), time(18, 0))
SLOT_STEP = timedelta(minutes=30)
SUGGESTIONS = 5


@dataclass
class Participant:
    name: str
    zone: str | None  # IANA name; None: not known
    hours: tuple[time, time] = DEFAULT_HOURS
    mentor_id: int | None = None  # None: you
    own_hours: bool = False  # the person's own hours, not the config's

    @property
    def is_me(self) -> bool:
        return self.mentor_id is None


@dataclass
class LocalTime:
    """One participant's view of a meeting."""

    name: str
    mentor_id: int | None
    zone: str | None
    starts: datetime | None  # in their zone; None when their zone is unknown
    text: str  # 'Tue 1 Sep 2026 23:00 EAT', or 'time zone not set'
    outside_hours: bool
    hours: str  # '08:00–18:00'


def hours_text(hours: tuple[time, time]) -> str:
    return f"{hours[0]:%H:%M}–{hours[1]:%H:%M}"


def parse_hours(text: str) -> tuple[time, time]:
    """'09:00-17:00' (or 9am-5pm) as working hours; an end before the start is refused."""
    from mentorkit.dates import parse_time
    from mentorkit.errors import InvalidInput

    head, sep, tail = text.replace("–", "-").partition("-")
    if not sep:
        raise InvalidInput(f"working hours {text!r} need a start and an end, e.g. 09:00-17:00")
    try:
        start, end = parse_time(head), parse_time(tail)
    except InvalidInput as error:
        raise InvalidInput(f"working hours {text!r}: {error}; e.g. 09:00-17:00") from None
    if end <= start:
        raise InvalidInput(f"working hours {text!r} end before they start; e.g. 09:00-17:00")
    return start, end


def participants(
    conn: sqlite3.Connection,
    my_zone: tzinfo,
    *,
    mentor_id: int | None = None,
    group_id: int | None = None,
    hours: tuple[time, time] = DEFAULT_HOURS,
) -> list[Participant]:
    """You, then the mentor or the group's members (by name), each with their zone and hours."""
    people = [Participant("you", getattr(my_zone, "key", None) or str(my_zone), hours)]
    if mentor_id is not None:
        rows = conn.execute("SELECT * FROM mentor WHERE id = ?", (mentor_id,)).fetchall()
    else:
        rows = conn.execute(
            "SELECT m.* FROM group_member gm JOIN mentor m ON m.id = gm.mentor_id WHERE gm.group_id = ? "
            "ORDER BY m.name COLLATE NOCASE",
            (group_id,),
        ).fetchall()
    for row in rows:
        own = _own_hours(row)
        people.append(Participant(row["name"], row["timezone"], own or hours, row["id"], own is not None))
    return people


def _own_hours(row: sqlite3.Row) -> tuple[time, time] | None:
    keys = row.keys()
    if "hours_start" not in keys or not row["hours_start"] or not row["hours_end"]:
        return None
    try:  # what `--hours` and an import accept; anything else (an older import) counts as none
        start, end = time.fromisoformat(row["hours_start"]), time.fromisoformat(row["hours_end"])
    except (TypeError, ValueError):
        return None
    return (start, end) if start < end else None


def _zone(person: Participant, my_zone: tzinfo) -> tzinfo | None:
    if person.is_me:
        return my_zone
    return get_zone(person.zone) if person.zone else None


WEEKEND_PENALTY = 12 * 60
"""How far outside working hours a quarter hour on someone's Saturday or Sunday counts (minutes)."""


def hours_penalty(start: datetime, minutes: int, zone: tzinfo, hours: tuple[time, time]) -> int:
    """How badly [start, start + minutes) misses `hours` on a weekday in `zone` (0: all inside):
    each quarter hour outside counts the minutes from it to the nearest edge of the working day,
    so 07:30 (half an hour early) weighs far less than 22:00 (four hours late)."""
    step = timedelta(minutes=15)
    total, moment, end = 0, start, start + timedelta(minutes=max(minutes, 1))
    first, last = hours[0].hour * 60 + hours[0].minute, hours[1].hour * 60 + hours[1].minute
    while moment < end:
        local = moment.astimezone(zone)
        at = local.hour * 60 + local.minute
        if local.weekday() >= 5:
            total += WEEKEND_PENALTY
        elif at < first:
            total += min(first - at, at + 24 * 60 - last)
        elif at >= last:
            total += min(at - last + 15, first + 24 * 60 - at)
        moment += step
    return total


def local_times(people: list[Participant], start: datetime, minutes: int, my_zone: tzinfo) -> list[LocalTime]:
    """Each participant's local start and weekday, and whether the meeting leaves their hours."""
    found = []
    for person in people:
        zone = _zone(person, my_zone)
        if zone is None:
            found.append(
                LocalTime(
                    person.name, person.mentor_id, None, None, "time zone not set", False, hours_text(person.hours)
                )
            )
            continue
        local = start.astimezone(zone)
        outside = _outside(start, minutes, zone, person.hours)
        text = f"{format_day(local.date())} {local:%H:%M} {zone_abbrev(local)}"
        found.append(
            LocalTime(person.name, person.mentor_id, person.zone, local, text, outside, hours_text(person.hours))
        )
    return found


def _outside(start: datetime, minutes: int, zone: tzinfo, hours: tuple[time, time]) -> bool:
    """Whether the meeting starts before, or ends after, the working day on the participant's
    own calendar day (their weekday is shown beside it; suggestions also avoid weekends)."""
    local_start = start.astimezone(zone)
    local_end = (start + timedelta(minutes=minutes)).astimezone(zone)
    return local_start.time() < hours[0] or local_end.time() > hours[1] or local_end.date() != local_start.date()


def _penalty(start: datetime, minutes: int, zone: tzinfo, hours: tuple[time, time]) -> int:
    """`hours_penalty`, at least 1 whenever `_outside` says the meeting leaves the working day
    (an end at 13:20 falls between the quarter hours the penalty samples): a suggestion is
    "inside everyone's hours" exactly when no participant's line says "outside"."""
    penalty = hours_penalty(start, minutes, zone, hours)
    return penalty or int(_outside(start, minutes, zone, hours))


@dataclass
class Slot:
    starts_at: datetime  # UTC
    outside: list[str]  # who it falls outside working hours (or their working week) for
    penalty: int  # how far outside, summed over them (`hours_penalty`)
    times: list[LocalTime] = field(default_factory=list)


def suggest_slots(
    people: list[Participant],
    days: list[date],
    my_zone: tzinfo,
    minutes: int,
    *,
    now: datetime,
    count: int = SUGGESTIONS,
) -> list[Slot]:
    """The best starts on `days` (your calendar), every half hour: inside everyone's working
    hours (Monday to Friday) first, then outside them for the fewest people, then the nearest
    to their hours (`hours_penalty`), then the earliest. Starts already past are skipped, and no two suggestions start within an
    hour of each other, so the list offers real alternatives. Participants without a zone are
    left out of the scoring (their clock is unknown)."""
    zones = [(p, _zone(p, my_zone)) for p in people]
    known = [(p, z) for p, z in zones if z is not None]
    candidates: list[Slot] = []
    for day in days:
        moment = localize(datetime.combine(day, time()), my_zone).astimezone(UTC)
        end = localize(datetime.combine(day + timedelta(days=1), time()), my_zone).astimezone(UTC)
        while moment < end:
            if moment >= now:
                outside = [(p.name, _penalty(moment, minutes, z, p.hours)) for p, z in known]
                late = [(name, n) for name, n in outside if n]
                candidates.append(Slot(moment, [name for name, _ in late], sum(n for _, n in late)))
            moment += SLOT_STEP
    candidates.sort(key=lambda s: (len(s.outside), s.penalty, s.starts_at))
    chosen: list[Slot] = []
    for slot in candidates:
        if all(abs(slot.starts_at - other.starts_at) >= timedelta(hours=1) for other in chosen):
            slot.times = local_times(people, slot.starts_at, minutes, my_zone)
            chosen.append(slot)
        if len(chosen) == count:
            break
    return chosen


@dataclass
class DstShift:
    """A participant whose local time of a repeating meeting changes between two occurrences."""

    name: str
    on: date  # the first occurrence at the new time (your calendar)
    before: str  # '21:00 BST'
    after: str  # '20:00 GMT'


def dst_shifts(people: list[Participant], starts: list[datetime], my_zone: tzinfo) -> list[DstShift]:
    """Where a daylight-saving change (theirs or yours) moves someone's local time between
    consecutive occurrences of a series kept at one wall time in your zone: 'London moves from
    21:00 to 20:00 on Tue 2 Nov 2027' while Boston has not changed yet. You are listed too when
    the series itself is kept in another zone."""
    shifts = []
    ordered = sorted(starts)
    for person in people:
        zone = _zone(person, my_zone)
        if zone is None:
            continue
        for previous, current in pairwise(ordered):
            a, b = previous.astimezone(zone), current.astimezone(zone)
            if (a.hour, a.minute) != (b.hour, b.minute):
                shifts.append(
                    DstShift(
                        person.name,
                        current.astimezone(my_zone).date(),
                        f"{a:%H:%M} {zone_abbrev(a)}",
                        f"{b:%H:%M} {zone_abbrev(b)}",
                    )
                )
    shifts.sort(key=lambda s: (s.on, s.name != "you", s.name.casefold()))
    return shifts


def series_starts(rule: str, first: datetime, zone: tzinfo, count: int) -> list[datetime]:
    """The first `count` occurrences of a cadence from `first`, at `first`'s wall time in `zone`
    (a series keeps its time of day where it was planned), as aware instants."""
    from mentorkit.cadences import next_occurrence

    wall = first.astimezone(zone).replace(tzinfo=None)
    found = [first]
    for _ in range(count - 1):
        wall = next_occurrence(rule, wall)
        found.append(localize(wall, zone))
    return found
