"""Meetings: logging what took place, planning across time zones, marking planned ones."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from mentorkit.clock import from_db, to_db
from mentorkit.dates import get_zone
from mentorkit.domain.common import MODES, WRITTEN_MODES, check_limit, choice, clean_text, new_uuid
from mentorkit.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from mentorkit.domain.zones import DstShift, LocalTime

STATUSES = ("planned", "held", "cancelled", "missed")


def owes_summary(mode: str) -> bool:
    """Whether a held contact of this mode owes a written summary: the one rule, used by
    `followups` (the "summary owed" item) and by `summary` (which refuses without --force)."""
    return mode not in WRITTEN_MODES


WORKDAY = (time(8, 0), time(18, 0))
FUTURE_SLACK = timedelta(minutes=10)
ADOPT_WINDOW = timedelta(hours=12)


@dataclass
class Meeting:
    id: int
    uuid: str
    starts_at: datetime
    mode: str
    status: str
    mentor_id: int | None = None
    mentor: str | None = None
    mentor_timezone: str | None = None
    group_id: int | None = None
    group: str | None = None
    timezone: str | None = None
    minutes: int | None = None
    agenda: str | None = None
    notes: str | None = None
    summary_sent_at: datetime | None = None
    time_given: bool = True  # False: a contact recorded by its day only ("3 days ago"), shown as a day
    series: str | None = None  # the UUID shared by the meetings of one `plan --repeat`

    @property
    def with_whom(self) -> str:
        return self.mentor or self.group or "?"

    def day(self, zone: tzinfo) -> date:
        """The meeting's day in `zone`; a contact recorded by its day keeps the day it was given
        (in the zone it was logged in), whatever zone it is shown in."""
        if not self.time_given and self.timezone:
            return self.starts_at.astimezone(get_zone(self.timezone)).date()
        return self.starts_at.astimezone(zone).date()


_SELECT = (
    "SELECT meeting.*, mentor.name AS mentor_name, mentor.timezone AS mentor_tz, mgroup.name AS group_name "
    "FROM meeting LEFT JOIN mentor ON mentor.id = meeting.mentor_id "
    "LEFT JOIN mgroup ON mgroup.id = meeting.group_id"
)


def _row(row: sqlite3.Row) -> Meeting:
    return Meeting(
        id=row["id"],
        uuid=row["uuid"],
        starts_at=from_db(row["starts_at"]),  # type: ignore[arg-type]
        mode=row["mode"],
        status=row["status"],
        mentor_id=row["mentor_id"],
        mentor=row["mentor_name"],
        mentor_timezone=row["mentor_tz"],
        group_id=row["group_id"],
        group=row["group_name"],
        timezone=row["timezone"],
        minutes=row["minutes"],
        agenda=row["agenda"],
        notes=row["notes"],
        summary_sent_at=from_db(row["summary_sent_at"]),
        time_given=bool(row["time_given"]),
        series=row["series"],
    )


def get_meeting(conn: sqlite3.Connection, meeting_id: int | str) -> Meeting:
    text = str(meeting_id).strip().lstrip("#")
    if not text.isdecimal():
        raise InvalidInput(f"{meeting_id!r} is not a meeting id; see `mentorkit meetings` for ids")
    row = conn.execute(f"{_SELECT} WHERE meeting.id = ?", (int(text),)).fetchone()
    if row is None:
        raise NotFound(f"no meeting with id {text}; see `mentorkit meetings --past` for ids")
    return _row(row)


def list_meetings(
    conn: sqlite3.Connection,
    now: datetime,
    *,
    upcoming: bool | None = None,
    mentor_id: int | None = None,
    group_id: int | None = None,
    limit: int | None = 50,
) -> list[Meeting]:
    """upcoming=True: planned meetings (even overdue ones, which still need marking), soonest
    first; False: the others (held, cancelled, missed), latest first; None: both, upcoming first.
    A cancelled or missed meeting is never upcoming, whatever its date."""
    return list(iter_meetings(conn, now, upcoming=upcoming, mentor_id=mentor_id, group_id=group_id, limit=limit))


def iter_meetings(
    conn: sqlite3.Connection,
    now: datetime,
    *,
    upcoming: bool | None = None,
    mentor_id: int | None = None,
    group_id: int | None = None,
    limit: int | None = 50,
) -> Iterator[Meeting]:
    """`list_meetings` one meeting at a time, for lists too long to hold (read them while the
    connection is open)."""
    if limit is not None:
        check_limit(limit)
    if upcoming is None:
        for part in (True, False):
            yield from iter_meetings(conn, now, upcoming=part, mentor_id=mentor_id, group_id=group_id, limit=limit)
        return
    where: list[str] = []
    params: list[object] = []
    if upcoming:
        where.append("meeting.status = 'planned'")
        order = "meeting.starts_at ASC"
    else:
        where.append("meeting.status != 'planned'")
        order = "meeting.starts_at DESC"
    if mentor_id is not None:
        where.append("meeting.mentor_id = ?")
        params.append(mentor_id)
    if group_id is not None:
        where.append("meeting.group_id = ?")
        params.append(group_id)
    sql = f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY {order}, meeting.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    for row in conn.execute(sql, params):
        yield _row(row)


@dataclass
class ActionItem:
    """One `--followup` of a `log`: its text, its due date as typed (a relative one such as
    'friday' or 'in 2 weeks' counts from the meeting's day, not from today) and its owner."""

    text: str
    due: str | None = None
    owner: str = "me"


@dataclass
class Logged:
    meeting: Meeting
    adopted_plan: bool = False  # a planned meeting was marked held
    added_to: bool = False  # the contact was already recorded (same start): this added to it
    advice_ids: list[int] = field(default_factory=list)
    followup_ids: list[int] = field(default_factory=list)
    dues: list[date | None] = field(default_factory=list)  # of each follow-up, in order


def _check_target(mentor_id: int | None, group_id: int | None) -> None:
    if (mentor_id is None) == (group_id is None):
        raise InvalidInput("a meeting is with one mentor or one group: give MENTOR or --group, not both")


def _minutes(minutes: int | None) -> int | None:
    if minutes is not None and not 0 <= minutes <= 24 * 60:
        raise InvalidInput(f"--minutes must be between 0 and 1440, not {minutes}")
    return minutes


def held_at(
    conn: sqlite3.Connection,
    column: str,
    target: int,
    starts_at: datetime,
    time_given: bool,
    mode: str,
    exclude: int | None = None,
) -> int | None:
    """The held meeting this contact already is, if any: one with the same mentor (or group) at the
    same start, or, for a contact of the same mode given with a time, one whose span (start +
    minutes) holds it (an email sent during a call is a contact of its own). A contact given by
    its day only matches only another such contact of that day."""
    start = to_db(starts_at)
    row = conn.execute(
        f"SELECT id FROM meeting WHERE {column} = :target AND status = 'held' AND id != :exclude "
        "AND (starts_at = :start OR (:timed AND time_given AND mode = :mode AND starts_at < :start "
        "AND julianday(starts_at) + coalesce(minutes, 0) / 1440.0 > julianday(:start))) "
        "ORDER BY starts_at DESC LIMIT 1",
        {"target": target, "exclude": exclude or 0, "start": start, "timed": 1 if time_given else 0, "mode": mode},
    ).fetchone()
    return None if row is None else int(row[0])


def log_meeting(
    conn: sqlite3.Connection,
    now: datetime,
    *,
    starts_at: datetime | None,
    zone: tzinfo,
    mentor_id: int | None = None,
    group_id: int | None = None,
    mode: str = "video",
    minutes: int | None = None,
    agenda: str | None = None,
    notes: str | None = None,
    advice: list[str] | None = None,
    followups: Sequence[str | ActionItem] | None = None,
    due: date | None = None,
    owner: str = "me",
    time_given: bool = True,
    date_order: str | None = None,
    advice_from: Sequence[str] | None = None,
) -> Logged:
    """Record a contact that took place (`starts_at` None: now).

    - A planned meeting with the same person within 12 hours of it is marked held instead of
      adding a second record; it keeps its agenda, and its planned start unless `starts_at` was
      given with a time of day or the planned start is still to come (it began early).
    - A contact already recorded as held (same start, or inside a held meeting's span) is not
      recorded twice: the notes are added to that meeting, and the advice and follow-ups link to it.
    - `time_given=False`: `starts_at` was given as a day only; it is kept as that day.
    A plain-text follow-up takes `due` and `owner`; an `ActionItem` brings its own. At a group
    meeting an owner may be a member (or `group`), and each piece of advice names the member who
    gave it (`advice_from`: one for all, or one per piece in order)."""
    from mentorkit.domain.advice import add_advice, default_arena_id
    from mentorkit.domain.followups import add_followup

    _check_target(mentor_id, group_id)
    if due is not None and not followups:
        raise InvalidInput("--due applies to --followup items; add --followup TEXT")
    given = starts_at is not None
    moment = starts_at if starts_at is not None else now
    if moment > now + FUTURE_SLACK:
        raise InvalidInput("that time is in the future; use `mentorkit plan` to schedule a meeting")
    mode = choice(mode, MODES, "mode")
    agenda_text = clean_text(agenda, "the agenda")
    notes_text = clean_text(notes, "the notes")
    minutes = _minutes(minutes)
    stamp = to_db(now)
    column, target = ("mentor_id", mentor_id) if mentor_id is not None else ("group_id", group_id)
    assert target is not None
    plan = conn.execute(
        f"SELECT id, starts_at FROM meeting WHERE {column} = ? AND status = 'planned' "
        "AND starts_at BETWEEN ? AND ? ORDER BY abs(julianday(starts_at) - julianday(?)) LIMIT 1",
        (target, to_db(moment - ADOPT_WINDOW), to_db(moment + ADOPT_WINDOW), to_db(moment)),
    ).fetchone()
    planned_start = from_db(plan["starts_at"]) if plan is not None else None
    if planned_start is not None and planned_start <= now and not (given and time_given):
        moment, time_given = planned_start, True  # the plan's start, not the moment it was logged
    existing = held_at(conn, column, target, moment, time_given, mode)
    zone_name = getattr(zone, "key", None)
    result = Logged(Meeting(0, "", moment, mode, "held"))
    meeting_id: int | None
    if existing is not None:
        meeting_id = existing
        result.added_to = True
        conn.execute(
            "UPDATE meeting SET notes = CASE WHEN :notes IS NULL THEN notes WHEN notes IS NULL THEN :notes "
            "ELSE notes || char(10) || char(10) || :notes END, agenda = coalesce(agenda, :agenda), "
            "minutes = coalesce(minutes, :minutes), updated_at = :stamp WHERE id = :id",
            {"notes": notes_text, "agenda": agenda_text, "minutes": minutes, "stamp": stamp, "id": existing},
        )
    elif plan is not None:
        meeting_id = plan["id"]
        result.adopted_plan = True
        conn.execute(
            "UPDATE meeting SET status = 'held', starts_at = ?, time_given = ?, mode = ?, "
            "minutes = coalesce(?, minutes), agenda = coalesce(?, agenda), notes = ?, updated_at = ? WHERE id = ?",
            (to_db(moment), int(time_given), mode, minutes, agenda_text, notes_text, stamp, meeting_id),
        )
    else:
        cursor = conn.execute(
            "INSERT INTO meeting (uuid, mentor_id, group_id, starts_at, time_given, timezone, minutes, mode, "
            "status, agenda, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'held', ?, ?, ?, ?)",
            (
                new_uuid(),
                mentor_id,
                group_id,
                to_db(moment),
                int(time_given),
                zone_name,
                minutes,
                mode,
                agenda_text,
                notes_text,
                stamp,
                stamp,
            ),
        )
        meeting_id = cursor.lastrowid
    assert meeting_id is not None
    result.meeting = get_meeting(conn, meeting_id)
    meeting_day = result.meeting.starts_at.astimezone(zone).date()
    for text, giver in zip(
        advice or [], _advice_givers(conn, mentor_id, group_id, advice or [], advice_from), strict=True
    ):
        result.advice_ids.append(
            add_advice(
                conn,
                now,
                mentor_id=giver,
                text=text,
                given_on=meeting_day,
                arena_id=default_arena_id(conn, giver),
                meeting_id=meeting_id,
            )
        )
    for item in followups or []:
        if isinstance(item, ActionItem):
            from mentorkit.dates import parse_date

            text, who = item.text, item.owner
            item_due = None if item.due is None else parse_date(item.due, today=meeting_day, date_order=date_order)
        else:
            text, who, item_due = item, owner, due
        item_mentor = mentor_id
        if group_id is not None:
            from mentorkit.domain.followups import group_item_owner

            who, item_mentor = group_item_owner(conn, group_id, who)
        result.dues.append(item_due)
        result.followup_ids.append(
            add_followup(
                conn,
                now,
                text=text,
                due=item_due,
                owner=who,
                mentor_id=item_mentor,
                group_id=group_id,
                meeting_id=meeting_id,
            )
        )
    return result


def _advice_givers(
    conn: sqlite3.Connection,
    mentor_id: int | None,
    group_id: int | None,
    advice: list[str],
    givers: Sequence[str] | None,
) -> list[int]:
    """Who gave each piece of advice: the mentor of a one-to-one meeting; at a group meeting the
    member named by `--from` (one for all, or one per piece in the same order)."""
    if group_id is None:
        if givers:
            raise InvalidInput("--from names who gave advice at a group meeting; for a mentor, leave it out")
        assert mentor_id is not None
        return [mentor_id] * len(advice)
    if givers and not advice:
        raise InvalidInput("--from applies to --advice; add --advice TEXT")
    if not advice:
        return []
    if not givers:
        raise InvalidInput("advice at a group meeting needs --from MEMBER: who gave it")
    if len(givers) not in (1, len(advice)):
        raise InvalidInput(
            f"{len(givers)} --from values for {len(advice)} --advice items; give one --from for all, "
            "or one per --advice in the same order"
        )
    from mentorkit.domain.groups import GroupRef, resolve_member

    row = conn.execute("SELECT id, uuid, name, cadence, cadence_label FROM mgroup WHERE id = ?", (group_id,)).fetchone()
    group = GroupRef(*row)
    ids = [resolve_member(conn, group, ref).id for ref in givers]
    return ids * len(advice) if len(ids) == 1 else ids


@dataclass
class Planned:
    meeting: Meeting
    warnings: list[str] = field(default_factory=list)
    overlap: tuple[datetime, datetime] | None = None
    participants: list[LocalTime] = field(default_factory=list)  # you first, then them
    repeats: str | None = None  # the cadence in words, when the shifts below were looked for
    shifts: list[DstShift] = field(default_factory=list)  # over the next SERIES_LOOKAHEAD meetings


SERIES_LOOKAHEAD = 12


def working_overlap(
    day: date,
    mine: tzinfo,
    theirs: tzinfo,
    hours: tuple[time, time] = WORKDAY,
    their_hours: tuple[time, time] | None = None,
) -> tuple[datetime, datetime] | None:
    """The part of `day` (in my zone) inside both sides' working hours, as UTC instants."""
    from mentorkit.dates import localize

    theirs_hours = their_hours or hours
    start_me = localize(datetime.combine(day, hours[0]), mine).astimezone(UTC)
    end_me = localize(datetime.combine(day, hours[1]), mine).astimezone(UTC)
    best: tuple[datetime, datetime] | None = None
    for offset in (-1, 0, 1):  # their working day may fall on a neighbouring date
        their_day = day + timedelta(days=offset)
        start_them = localize(datetime.combine(their_day, theirs_hours[0]), theirs).astimezone(UTC)
        end_them = localize(datetime.combine(their_day, theirs_hours[1]), theirs).astimezone(UTC)
        start, end = max(start_me, start_them), min(end_me, end_them)
        if start < end and (best is None or end - start > best[1] - best[0]):
            best = (start, end)
    return best


def plan_meeting(
    conn: sqlite3.Connection,
    now: datetime,
    *,
    starts_at: datetime,
    zone: tzinfo,
    mentor_id: int | None = None,
    group_id: int | None = None,
    mode: str = "video",
    minutes: int | None = 30,
    agenda: str | None = None,
    my_zone: tzinfo | None = None,
    hours: tuple[time, time] = WORKDAY,
) -> Planned:
    """Schedule a meeting; show each participant's local time and warn, per participant, when it
    falls outside their working hours (`hours`, or a person's own; domain/zones.py).

    `zone` is the zone the time was given in (kept with the meeting); `my_zone` is the person's
    own (the profile's, when it differs: `--tz` names the mentor's zone, say), and "you" in the
    warnings and the suggested overlap are in it. With a cadence, the daylight-saving changes
    that would move someone's local time over the next meetings on it are listed too."""
    from mentorkit.domain.zones import dst_shifts, local_times, participants, series_starts

    _check_target(mentor_id, group_id)
    if starts_at < now - FUTURE_SLACK:
        raise InvalidInput("that time has passed; use `mentorkit log` to record a meeting that took place")
    mode = choice(mode, MODES, "mode")
    stamp = to_db(now)
    cursor = conn.execute(
        "INSERT INTO meeting (uuid, mentor_id, group_id, starts_at, timezone, minutes, mode, status, agenda, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?)",
        (
            new_uuid(),
            mentor_id,
            group_id,
            to_db(starts_at),
            getattr(zone, "key", None),
            _minutes(minutes),
            mode,
            clean_text(agenda, "the agenda"),
            stamp,
            stamp,
        ),
    )
    assert cursor.lastrowid is not None
    meeting = get_meeting(conn, cursor.lastrowid)
    result = Planned(meeting)
    length = minutes or 30
    mine = my_zone or zone
    people = participants(conn, mine, mentor_id=mentor_id, group_id=group_id, hours=hours)
    result.participants = local_times(people, starts_at, length, mine)
    for person, local in zip(people, result.participants, strict=True):
        if local.outside_hours and local.starts is not None:
            result.warnings.append(f"{local.starts:%H:%M} is outside {local.hours} for {person.name}")
    their_zone = get_zone(meeting.mentor_timezone) if meeting.mentor_timezone else None
    if result.warnings and their_zone is not None and mentor_id is not None:
        result.overlap = working_overlap(starts_at.astimezone(mine).date(), mine, their_zone, hours, people[1].hours)
    table = "mentor" if mentor_id is not None else "mgroup"
    cadence = conn.execute(
        f"SELECT cadence, cadence_label FROM {table} WHERE id = ?", (mentor_id or group_id,)
    ).fetchone()
    if cadence is not None and cadence["cadence"]:
        from mentorkit.cadences import cadence_words

        result.repeats = cadence_words(cadence["cadence"], cadence["cadence_label"])
        series = series_starts(cadence["cadence"], starts_at, zone, SERIES_LOOKAHEAD)
        result.shifts = dst_shifts(people, series, mine)
    return result


def set_status(conn: sqlite3.Connection, now: datetime, meeting_id: int | str, status: str) -> Meeting:
    meeting = get_meeting(conn, meeting_id)
    new = choice(status, STATUSES, "meeting status")
    if new == meeting.status:
        raise InvalidInput(f"meeting {meeting.id} is already {new}")
    if new == "held" and meeting.starts_at > now + FUTURE_SLACK:
        raise InvalidInput(f"meeting {meeting.id} is still in the future; it cannot have been held yet")
    if new == "held":
        column, target = (
            ("mentor_id", meeting.mentor_id) if meeting.mentor_id is not None else ("group_id", meeting.group_id)
        )
        assert target is not None
        other = held_at(conn, column, target, meeting.starts_at, meeting.time_given, meeting.mode, exclude=meeting.id)
        if other is not None:
            raise InvalidInput(
                f"meeting #{other} already records that contact (same start); to say meeting #{meeting.id} "
                f"did not happen separately, run `mentorkit meetings mark {meeting.id} cancelled`"
            )
    if new == "planned" and meeting.starts_at < now:
        raise InvalidInput(f"meeting {meeting.id} has passed; plan a new one with `mentorkit plan`")
    conn.execute("UPDATE meeting SET status = ?, updated_at = ? WHERE id = ?", (new, to_db(now), meeting.id))
    return get_meeting(conn, meeting.id)


def mark_summary_sent(conn: sqlite3.Connection, now: datetime, meeting_id: int) -> None:
    conn.execute(
        "UPDATE meeting SET summary_sent_at = ?, updated_at = ? WHERE id = ?", (to_db(now), to_db(now), meeting_id)
    )
