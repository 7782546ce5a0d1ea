"""iCalendar export: meetings as VEVENTs, open follow-ups as VTODOs (or all-day events).

- A meeting starts in the zone it was planned or logged in (TZID plus its VTIMEZONE, built by
  icalendar), or in UTC when it has none. `minutes` gives DURATION; a contact without a length (an
  email) has none, which RFC 5545 reads as an instant.
- A contact recorded by its day only (`time_given` 0) is an all-day event (DTSTART;VALUE=DATE) on
  that day in its own zone, free (TRANSP:TRANSPARENT), never a meeting at 12:00.
- Planned meetings carry a display alarm `alarm_minutes` before (config `calendar.alarm`).
  Cancelled and missed ones are STATUS:CANCELLED, so a calendar shows them struck out.
- The mentor (or each member of a group) with an email is an ATTENDEE, the profile with an email
  the ORGANIZER, both `SCHEDULE-AGENT=CLIENT` (RFC 6638) so that a CalDAV server receiving the
  event never mails invitations on the user's behalf.
- Open follow-ups are VTODOs with DUE (a date). `todos_as_events` turns those with a due date into
  all-day, free (TRANSP:TRANSPARENT) events for calendars that ignore VTODO, such as Google. Either
  way a dated one has a display alarm at `remind_at` (config `remind.at`) on its due day.
- Meeting notes stay out unless `with_notes`; filters keep one mentor's or one group's records,
  or those from a day on (`IcsOptions`).
- Every UID is `<record uuid>@mentorkit`, so importing a re-export updates the entries instead of
  duplicating them; DTSTAMP and LAST-MODIFIED are the record's last change, CREATED its creation.

The file is written as a stream, in the order icalendar's `add_missing_timezones` and `to_ical`
give (the calendar's properties, the VTIMEZONEs by TZID, then the components), one component as
its row is read: memory stays flat whatever the size of the store. Building 100,000 events as
icalendar objects took over 1 GB and a minute, so a component is a plain mapping of property to
value, written by `serialise` with icalendar's rules: its property order, TEXT escaping and line
folding. The tests check that it writes the bytes icalendar writes for the same properties.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Any, TextIO

from mentorkit import __version__
from mentorkit.cli.text import outgoing, printable
from mentorkit.clock import date_from_db, from_db, to_db
from mentorkit.errors import InvalidInput

UID_DOMAIN = "mentorkit"
FOLD_AT = 74  # octets on a line: icalendar folds before the 75th (RFC 5545 allows 75)
CALENDAR_END = "END:VCALENDAR\r\n"


@dataclass(frozen=True)
class Param:
    """A value with parameters: a calendar user (`mailto:` URI, written as it is) or a duration
    (`TRIGGER;RELATED=END:PT8H`)."""

    value: str | timedelta
    params: tuple[tuple[str, str], ...]


Value = str | datetime | date | timedelta | list[str] | Param | list[Param]


@dataclass(frozen=True)
class IcsOptions:
    """What goes into the calendar: `mentor_id`/`group_id` keep one mentor's or one group's
    meetings and follow-ups; `since` keeps meetings from that instant and follow-ups due from
    `since_day` (or without a due date)."""

    todos_as_events: bool = False
    with_notes: bool = False
    alarm_minutes: int = 15
    remind_at: time = time(8, 0)
    mentor_id: int | None = None
    group_id: int | None = None
    since: datetime | None = None
    since_day: date | None = None


@dataclass
class IcsCounts:
    events: int = 0
    todos: int = 0
    skipped_todos: int = 0  # open follow-ups without a due date, left out with --todos-as-events
    zones: int = 0


@dataclass
class Component:
    """A VEVENT, VTODO or VALARM: what icalendar's `Component.add` would be given, in any order."""

    kind: str
    props: dict[str, Value] = field(default_factory=dict)
    subcomponents: list[Component] = field(default_factory=list)

    def add(self, name: str, value: Value) -> None:
        self.props[name.upper()] = _clean(value)


def _clean(value: Value) -> Value:
    """Stored text as RFC 5545 allows it in TEXT and parameter values: control characters (an
    ESC in a name, say) are written as visible escapes, as on a terminal; line breaks and tabs
    in free text stay."""
    if isinstance(value, str):
        return outgoing(value)
    if isinstance(value, Param):
        return _clean_param(value)
    if isinstance(value, list):
        texts = [outgoing(item) for item in value if isinstance(item, str)]
        return texts if len(texts) == len(value) else [_clean_param(p) for p in value if isinstance(p, Param)]
    return value


def _clean_param(param: Param) -> Param:
    return Param(param.value, tuple((key, printable(text)) for key, text in param.params))


def uid_for(record_uuid: str) -> str:
    return f"{record_uuid}@{UID_DOMAIN}"


@cache
def _zone(name: str | None) -> tzinfo:
    from zoneinfo import ZoneInfo

    from mentorkit.dates import get_zone

    if name:
        try:
            return get_zone(name)
        except InvalidInput:
            pass
    return ZoneInfo("UTC")


# --- writing: icalendar's format, one component at a time ------------------------------------


@cache
def tzid_of(zone: tzinfo) -> str | None:
    """The TZID icalendar gives a time in `zone`; None for UTC, which is written with a Z instead."""
    from icalendar.timezone import tzid_from_tzinfo

    tzid = tzid_from_tzinfo(zone)
    return None if tzid == "UTC" else tzid


@cache
def _tzid_param(tzid: str) -> str:
    from icalendar import Parameters

    return Parameters({"TZID": tzid}).to_ical().decode()


@cache
def _duration(length: timedelta) -> str:
    from icalendar import vDuration

    return vDuration(length).to_ical().decode()


@cache
def _order(kind: str, names: tuple[str, ...]) -> list[str]:
    """The properties in icalendar's order: the component class's canonical order, then by name."""
    from icalendar import Alarm, Event, Todo
    from icalendar.caselessdict import canonsort_keys

    return canonsort_keys(names, {"VEVENT": Event, "VTODO": Todo, "VALARM": Alarm}[kind].canonical_order)


def _escape(text: str) -> str:
    """RFC 5545 TEXT escaping, step for step as icalendar's vText does it (which also drops one
    leading byte-order mark, U+FEFF, when it decodes the value)."""
    return (
        text.removeprefix("\ufeff")
        .replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _fold(line: str) -> str:
    """Fold a content line as icalendar does: at most 74 octets a line, never inside a character,
    and never right after a backslash or caret (an escape stays with the character it escapes)."""
    if len(line) <= FOLD_AT and line.isascii():
        return line
    data = line.encode()
    parts = []
    start = 0
    while len(data) - start > FOLD_AT:
        end = start + FOLD_AT
        while (data[end] & 0xC0) == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode()


@cache
def _params(params: tuple[tuple[str, str], ...]) -> str:
    """Parameters as icalendar writes them: sorted, quoted where needed, RFC 6868 caret escapes."""
    from icalendar import Parameters

    return Parameters(dict(params)).to_ical().decode()


def _content_line(name: str, value: Value) -> str:
    if isinstance(value, Param):
        text = value.value if isinstance(value.value, str) else _duration(value.value)
        line = f"{name};{_params(value.params)}:{text}"
    elif isinstance(value, datetime):
        stamp = f"{value.year:04}{value.month:02}{value.day:02}T{value.hour:02}{value.minute:02}{value.second:02}"
        assert value.tzinfo is not None  # the store's instants are aware; a naive one has no zone to name
        tzid = tzid_of(value.tzinfo)
        line = f"{name}:{stamp}Z" if tzid is None else f"{name};{_tzid_param(tzid)}:{stamp}"
    elif isinstance(value, date):
        line = f"{name};VALUE=DATE:{value.year:04}{value.month:02}{value.day:02}"
    elif isinstance(value, timedelta):
        line = f"{name}:{_duration(value)}"
    elif isinstance(value, list):
        if value and isinstance(value[0], Param):  # one property a value (ATTENDEE)
            return "\r\n".join(_content_line(name, item) for item in value)
        line = f"{name}:{','.join(_escape(item) for item in value if isinstance(item, str))}"
    else:
        line = f"{name}:{_escape(value)}"
    return _fold(line)


def serialise(component: Component) -> str:
    """The component as icalendar's `to_ical` writes it, CRLF line ends included."""
    props = component.props
    lines = [f"BEGIN:{component.kind}"]
    lines += [_content_line(name, props[name]) for name in _order(component.kind, tuple(props))]
    lines += [serialise(sub).removesuffix("\r\n") for sub in component.subcomponents]
    lines.append(f"END:{component.kind}\r\n")
    return "\r\n".join(lines)


# --- what goes in ------------------------------------------------------------------------------

Person = tuple[str | None, str]
"""A calendar user: name (or None) and email."""


def _stamps(component: Component, row: sqlite3.Row) -> None:
    changed, created = from_db(row["updated_at"]), from_db(row["created_at"])
    assert changed is not None and created is not None
    component.add("dtstamp", changed)
    component.add("created", created)
    component.add("last-modified", changed)


def address(person: Person) -> Param:
    """A calendar user as ATTENDEE or ORGANIZER: never scheduled by a server (RFC 6638)."""
    name, email = person
    params = (("CN", name),) if name else ()
    from mentorkit.delivery.handoff import mailto_address

    return Param(f"mailto:{mailto_address(email)}", (*params, ("SCHEDULE-AGENT", "CLIENT")))


def _in(minutes: int) -> str:
    return "now" if minutes == 0 else f"in {minutes} minute{'' if minutes == 1 else 's'}"


def _meeting(
    row: sqlite3.Row,
    options: IcsOptions = IcsOptions(),
    attendees: tuple[Person, ...] = (),
    organizer: Person | None = None,
) -> Component:
    who = row["mentor_name"] or row["group_name"] or "?"
    event = Component("VEVENT")
    event.add("uid", uid_for(row["uuid"]))
    _stamps(event, row)
    start = from_db(row["starts_at"])
    assert start is not None
    local = start.astimezone(_zone(row["timezone"]))
    day_only = not row["time_given"]
    if day_only:  # a contact recorded by its day: that day, all day, not 12:00
        event.add("dtstart", local.date())
        event.add("dtend", local.date() + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        event.add("dtstart", local)
        if row["minutes"]:
            event.add("duration", timedelta(minutes=row["minutes"]))
    label = "Group" if row["group_name"] and not row["mentor_name"] else "Mentoring"
    suffix = {"cancelled": " [cancelled]", "missed": " [missed]"}.get(row["status"], "")
    event.add("summary", f"{label}: {who} ({row['mode']}){suffix}")
    event.add("status", "CANCELLED" if row["status"] in ("cancelled", "missed") else "CONFIRMED")
    parts = []
    if row["agenda"]:
        parts.append(f"Agenda:\n{row['agenda']}")
    if row["notes"] and options.with_notes:
        parts.append(f"Notes:\n{row['notes']}")
    parts.append(f"Status: {row['status']}" + ("; summary sent" if row["summary_sent_at"] else ""))
    event.add("description", "\n\n".join(parts))
    event.add("categories", ["mentorkit", row["mode"]])
    if row["mode"] == "in-person" and row["mentor_location"]:
        event.add("location", row["mentor_location"])
    if attendees:
        event.add("attendee", [address(person) for person in attendees])
        if organizer is not None:
            event.add("organizer", address(organizer))
    if row["status"] == "planned" and not day_only:
        alarm = Component("VALARM")
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -timedelta(minutes=options.alarm_minutes))
        what = "Meeting of" if label == "Group" else "Mentoring with"
        alarm.add("description", f"{what} {who} {_in(options.alarm_minutes)}")
        event.subcomponents.append(alarm)
    return event


def _todo_text(row: sqlite3.Row) -> tuple[str, str]:
    who = row["mentor_name"] or row["group_name"] or ""
    first = row["text"].strip().splitlines()[0] if row["text"].strip() else "Follow-up"
    mine = f"{first} ({who})" if who else first
    summary = f"Waiting on {who}: {first}" if row["owner"] == "mentor" else mine
    owner = "me" if row["owner"] == "me" else who or "mentor"
    description = f"{row['text']}\n\nOwner: {owner}"
    if row["meeting_start"]:
        meeting = from_db(row["meeting_start"])
        assert meeting is not None
        day = meeting.astimezone(_zone(row["meeting_timezone"])).date()
        description += f"\nFrom the meeting on {day.isoformat()}"
    return summary, description


def _todo(row: sqlite3.Row, as_event: bool, remind_at: time = time(8, 0)) -> Component:
    summary, description = _todo_text(row)
    component = Component("VEVENT" if as_event else "VTODO")
    component.add("uid", uid_for(row["uuid"]))
    _stamps(component, row)
    component.add("summary", summary)
    component.add("description", description)
    component.add("categories", ["mentorkit", "follow-up"])
    if row["meeting_uuid"]:
        component.add("related-to", uid_for(row["meeting_uuid"]))
    due = date_from_db(row["due_on"])
    if as_event:
        assert due is not None
        component.add("dtstart", due)
        component.add("dtend", due + timedelta(days=1))
        component.add("transp", "TRANSPARENT")
    else:
        component.add("status", "NEEDS-ACTION")
        if due is not None:
            component.add("due", due)
    if due is not None:
        # the reminder time on the due day: from the start of that day (floating, so in whatever
        # zone the calendar is); a to-do has no start, so from its DUE (RFC 5545 3.8.6.3)
        after = timedelta(hours=remind_at.hour, minutes=remind_at.minute)
        alarm = Component("VALARM")
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", after if as_event else Param(after, (("RELATED", "END"),)))
        alarm.add("description", f"Due today: {summary}")
        component.subcomponents.append(alarm)
    return component


def _where(options: IcsOptions, table: str) -> tuple[str, list[object]]:
    """The filter of `options` on `table` (meeting or followup) as SQL conditions and parameters."""
    where: list[str] = []
    params: list[object] = []
    if options.mentor_id is not None:
        where.append(f"{table}.mentor_id = ?")
        params.append(options.mentor_id)
    if options.group_id is not None:
        where.append(f"{table}.group_id = ?")
        params.append(options.group_id)
    if table == "meeting" and options.since is not None:
        where.append("meeting.starts_at >= ?")
        params.append(to_db(options.since))
    if table == "followup":
        where.append("followup.status = 'open'")
        if options.since_day is not None:
            where.append("(followup.due_on IS NULL OR followup.due_on >= ?)")
            params.append(options.since_day.isoformat())
    return (" WHERE " + " AND ".join(where)) if where else "", params


def timezones(conn: sqlite3.Connection, options: IcsOptions = IcsOptions()) -> dict[str, Any]:
    """A VTIMEZONE for each zone an exported meeting starts in, by TZID, as icalendar's
    `add_missing_timezones` makes them, with rules for the years the meetings span (not
    1970-2038: that bloats the file). Read before the meetings are written; the caller's read
    transaction keeps the two in step."""
    from icalendar import Timezone

    where, params = _where(options, "meeting")
    timed = f"{where} {'AND' if where else 'WHERE'} meeting.time_given"
    first, last = conn.execute(f"SELECT min(starts_at), max(starts_at) FROM meeting{timed}", params).fetchone()
    if first is None:
        return {}
    zones: dict[str, tzinfo] = {}
    for (name,) in conn.execute(f"SELECT DISTINCT timezone FROM meeting{timed}", params):
        zone = _zone(name)
        if (tzid := tzid_of(zone)) is not None:
            zones[tzid] = zone
    span = dict(first_date=date(max(int(first[:4]) - 1, 1), 1, 1), last_date=date(min(int(last[:4]) + 2, 9999), 1, 1))
    return {tzid: Timezone.from_tzinfo(zones[tzid], tzid, **span) for tzid in sorted(zones)}


def header(zones: list[Any]) -> str:
    """The calendar up to its first event, from icalendar, with these VTIMEZONEs."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", f"-//mentorkit//mentorkit {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "mentorkit")
    for zone in zones:
        cal.add_component(zone)
    text = cal.to_ical().decode()
    assert text.endswith(CALENDAR_END)
    return text.removesuffix(CALENDAR_END)


def _people(conn: sqlite3.Connection) -> tuple[Person | None, dict[int, tuple[Person, ...]]]:
    """The organizer (the profile, when it has an email) and each group's members with an email."""
    me = conn.execute("SELECT name, email FROM profile WHERE id = 1 AND coalesce(email, '') != ''").fetchone()
    members: dict[int, list[Person]] = {}
    for group_id, name, email in conn.execute(
        "SELECT group_member.group_id, mentor.name, mentor.email FROM group_member "
        "JOIN mentor ON mentor.id = group_member.mentor_id WHERE coalesce(mentor.email, '') != '' "
        "ORDER BY group_member.group_id, mentor.name, mentor.id"
    ):
        members.setdefault(group_id, []).append((name, email))
    organizer = None if me is None else (me["name"], me["email"])
    return organizer, {group: tuple(people) for group, people in members.items()}


def components(
    conn: sqlite3.Connection, options: IcsOptions, counts: IcsCounts
) -> Iterator[tuple[Component, str | None]]:
    """Each component of the calendar with the TZID it refers to (None: none), as its row is read."""
    organizer, members = _people(conn)
    where, params = _where(options, "meeting")
    for row in conn.execute(
        "SELECT meeting.*, mentor.name AS mentor_name, mentor.location AS mentor_location, "
        "mentor.email AS mentor_email, mgroup.name AS group_name FROM meeting "
        "LEFT JOIN mentor ON mentor.id = meeting.mentor_id LEFT JOIN mgroup ON mgroup.id = meeting.group_id"
        f"{where} ORDER BY meeting.starts_at, meeting.id",
        params,
    ):
        if row["mentor_email"]:
            attendees: tuple[Person, ...] = ((row["mentor_name"], row["mentor_email"]),)
        else:
            attendees = members.get(row["group_id"], ()) if row["group_id"] is not None else ()
        event = _meeting(row, options, attendees, organizer)
        counts.events += 1
        tzid = tzid_of(_zone(row["timezone"])) if row["time_given"] else None
        yield event, tzid
    where, params = _where(options, "followup")
    for row in conn.execute(
        "SELECT followup.*, mentor.name AS mentor_name, mgroup.name AS group_name, meeting.uuid AS meeting_uuid, "
        "meeting.starts_at AS meeting_start, meeting.timezone AS meeting_timezone FROM followup "
        "LEFT JOIN mentor ON mentor.id = followup.mentor_id LEFT JOIN mgroup ON mgroup.id = followup.group_id "
        f"LEFT JOIN meeting ON meeting.id = followup.meeting_id{where} "
        "ORDER BY followup.due_on IS NULL, followup.due_on, followup.id",
        params,
    ):
        if options.todos_as_events and not row["due_on"]:
            counts.skipped_todos += 1
            continue
        if options.todos_as_events:
            counts.events += 1
        else:
            counts.todos += 1
        yield _todo(row, options.todos_as_events, options.remind_at), None


def export_ics(conn: sqlite3.Connection, out: TextIO, options: IcsOptions = IcsOptions()) -> IcsCounts:
    """Write the calendar to `out`, each component as its row is read."""
    counts = IcsCounts()
    zones = timezones(conn, options)
    counts.zones = len(zones)
    out.write(header(list(zones.values())))
    for component, _ in components(conn, options, counts):
        out.write(serialise(component))
    out.write(CALENDAR_END)
    return counts
