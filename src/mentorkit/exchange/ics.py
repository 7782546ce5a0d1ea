"""iCalendar export: meetings as VEVENTs, open follow-ups as VTODOs (or all-day events).

- A meeting starts in the zone it was planned or logged in (TZID plus its VTIMEZONE, built by
  icalendar), or in UTC when it has none. `minutes` gives DURATION; a contact without a length (an
  email) has none, which RFC 5545 reads as an instant.
- Planned meetings carry a display alarm 15 minutes before. Cancelled and missed ones are
  STATUS:CANCELLED, so a calendar shows them struck out instead of dropping them.
- Open follow-ups are VTODOs with DUE (a date). `todos_as_events` turns those with a due date into
  all-day, free (TRANSP:TRANSPARENT) events for calendars that ignore VTODO, such as Google.
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
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import cache
from typing import Any, TextIO

from mentorkit import __version__
from mentorkit.clock import date_from_db, from_db
from mentorkit.errors import InvalidInput

ALARM_BEFORE = timedelta(minutes=15)
UID_DOMAIN = "mentorkit"
FOLD_AT = 74  # octets on a line: icalendar folds before the 75th (RFC 5545 allows 75)
CALENDAR_END = "END:VCALENDAR\r\n"

Value = str | datetime | date | timedelta | list[str]


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
        self.props[name.upper()] = value


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
def _tzid(zone: tzinfo) -> str | None:
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


def _content_line(name: str, value: Value) -> str:
    if isinstance(value, datetime):
        stamp = f"{value.year:04}{value.month:02}{value.day:02}T{value.hour:02}{value.minute:02}{value.second:02}"
        assert value.tzinfo is not None  # the store's instants are aware; a naive one has no zone to name
        tzid = _tzid(value.tzinfo)
        line = f"{name}:{stamp}Z" if tzid is None else f"{name};{_tzid_param(tzid)}:{stamp}"
    elif isinstance(value, date):
        line = f"{name};VALUE=DATE:{value.year:04}{value.month:02}{value.day:02}"
    elif isinstance(value, timedelta):
        line = f"{name}:{_duration(value)}"
    elif isinstance(value, list):
        line = f"{name}:{','.join(map(_escape, value))}"
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


def _stamps(component: Component, row: sqlite3.Row) -> None:
    changed, created = from_db(row["updated_at"]), from_db(row["created_at"])
    assert changed is not None and created is not None
    component.add("dtstamp", changed)
    component.add("created", created)
    component.add("last-modified", changed)


def _meeting(row: sqlite3.Row) -> Component:
    who = row["mentor_name"] or row["group_name"] or "?"
    event = Component("VEVENT")
    event.add("uid", uid_for(row["uuid"]))
    _stamps(event, row)
    start = from_db(row["starts_at"])
    assert start is not None
    event.add("dtstart", start.astimezone(_zone(row["timezone"])))
    if row["minutes"]:
        event.add("duration", timedelta(minutes=row["minutes"]))
    label = "Group" if row["group_name"] and not row["mentor_name"] else "Mentoring"
    suffix = {"cancelled": " [cancelled]", "missed": " [missed]"}.get(row["status"], "")
    event.add("summary", f"{label}: {who} ({row['mode']}){suffix}")
    event.add("status", "CANCELLED" if row["status"] in ("cancelled", "missed") else "CONFIRMED")
    parts = []
    if row["agenda"]:
        parts.append(f"Agenda:\n{row['agenda']}")
    if row["notes"]:
        parts.append(f"Notes:\n{row['notes']}")
    parts.append(f"Status: {row['status']}" + ("; summary sent" if row["summary_sent_at"] else ""))
    event.add("description", "\n\n".join(parts))
    event.add("categories", ["mentorkit", row["mode"]])
    if row["mode"] == "in-person" and row["mentor_location"]:
        event.add("location", row["mentor_location"])
    if row["status"] == "planned":
        alarm = Component("VALARM")
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -ALARM_BEFORE)
        alarm.add("description", f"Mentoring with {who} in 15 minutes")
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


def _todo(row: sqlite3.Row, as_event: bool) -> Component:
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
    return component


def _timezones(conn: sqlite3.Connection) -> list[Any]:
    """A VTIMEZONE for each zone a meeting starts in, as icalendar's `add_missing_timezones` makes
    them, with rules for the years the meetings span (not 1970-2038: that bloats the file).
    Read before the meetings are written; the caller's read transaction keeps the two in step."""
    from icalendar import Timezone

    first, last = conn.execute("SELECT min(starts_at), max(starts_at) FROM meeting").fetchone()
    if first is None:
        return []
    zones: dict[str, tzinfo] = {}
    for (name,) in conn.execute("SELECT DISTINCT timezone FROM meeting"):
        zone = _zone(name)
        if (tzid := _tzid(zone)) is not None:
            zones[tzid] = zone
    span = dict(first_date=date(max(int(first[:4]) - 1, 1), 1, 1), last_date=date(min(int(last[:4]) + 2, 9999), 1, 1))
    return [Timezone.from_tzinfo(zones[tzid], tzid, **span) for tzid in sorted(zones)]


def _header(conn: sqlite3.Connection) -> tuple[str, int]:
    """The calendar up to its first event, from icalendar, and how many time zones it holds."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", f"-//mentorkit//mentorkit {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "mentorkit")
    zones = _timezones(conn)
    for zone in zones:
        cal.add_component(zone)
    text = cal.to_ical().decode()
    assert text.endswith(CALENDAR_END)
    return text.removesuffix(CALENDAR_END), len(zones)


def export_ics(conn: sqlite3.Connection, out: TextIO, *, todos_as_events: bool = False) -> IcsCounts:
    """Write the calendar to `out`, each component as its row is read."""
    counts = IcsCounts()
    header, counts.zones = _header(conn)
    out.write(header)
    for row in conn.execute(
        "SELECT meeting.*, mentor.name AS mentor_name, mentor.location AS mentor_location, "
        "mgroup.name AS group_name FROM meeting LEFT JOIN mentor ON mentor.id = meeting.mentor_id "
        "LEFT JOIN mgroup ON mgroup.id = meeting.group_id ORDER BY meeting.starts_at, meeting.id"
    ):
        out.write(serialise(_meeting(row)))
        counts.events += 1
    for row in conn.execute(
        "SELECT followup.*, mentor.name AS mentor_name, mgroup.name AS group_name, meeting.uuid AS meeting_uuid, "
        "meeting.starts_at AS meeting_start, meeting.timezone AS meeting_timezone FROM followup LEFT JOIN mentor ON mentor.id = followup.mentor_id "
        "LEFT JOIN mgroup ON mgroup.id = followup.group_id LEFT JOIN meeting ON meeting.id = followup.meeting_id "
        "WHERE followup.status = 'open' ORDER BY followup.due_on IS NULL, followup.due_on, followup.id"
    ):
        if todos_as_events and not row["due_on"]:
            counts.skipped_todos += 1
            continue
        out.write(serialise(_todo(row, todos_as_events)))
        if todos_as_events:
            counts.events += 1
        else:
            counts.todos += 1
    out.write(CALENDAR_END)
    return counts
