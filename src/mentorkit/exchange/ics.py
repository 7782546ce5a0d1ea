"""iCalendar export: meetings as VEVENTs, open follow-ups as VTODOs (or all-day events).

- A meeting starts in the zone it was planned or logged in (TZID plus its VTIMEZONE, from
  icalendar's `add_missing_timezones`), or in UTC when it has none. `minutes` gives DURATION; a
  contact without a length (an email) has none, which RFC 5545 reads as an instant.
- Planned meetings carry a display alarm 15 minutes before. Cancelled and missed ones are
  STATUS:CANCELLED, so a calendar shows them struck out instead of dropping them.
- Open follow-ups are VTODOs with DUE (a date). `todos_as_events` turns those with a due date into
  all-day, free (TRANSP:TRANSPARENT) events for calendars that ignore VTODO, such as Google.
- Every UID is `<record uuid>@mentorkit`, so importing a re-export updates the entries instead of
  duplicating them; DTSTAMP and LAST-MODIFIED are the record's last change, CREATED its creation.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TextIO

from mentorkit import __version__
from mentorkit.clock import date_from_db, from_db
from mentorkit.errors import InvalidInput

ALARM_BEFORE = timedelta(minutes=15)
UID_DOMAIN = "mentorkit"


@dataclass
class IcsCounts:
    events: int = 0
    todos: int = 0
    skipped_todos: int = 0  # open follow-ups without a due date, left out with --todos-as-events
    zones: int = 0


def uid_for(record_uuid: str) -> str:
    return f"{record_uuid}@{UID_DOMAIN}"


def _zone(name: str | None) -> Any:
    from zoneinfo import ZoneInfo

    from mentorkit.dates import get_zone

    if name:
        try:
            return get_zone(name)
        except InvalidInput:
            pass
    return ZoneInfo("UTC")


def _stamps(component: Any, row: sqlite3.Row) -> None:
    component.add("dtstamp", from_db(row["updated_at"]))
    component.add("created", from_db(row["created_at"]))
    component.add("last-modified", from_db(row["updated_at"]))


def _meeting(row: sqlite3.Row) -> Any:
    from icalendar import Alarm, Event

    who = row["mentor_name"] or row["group_name"] or "?"
    event = Event()
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
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -ALARM_BEFORE)
        alarm.add("description", f"Mentoring with {who} in 15 minutes")
        event.add_component(alarm)
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


def _todo(row: sqlite3.Row, as_event: bool) -> Any:
    from icalendar import Event, Todo

    summary, description = _todo_text(row)
    component = Event() if as_event else Todo()
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


def build_calendar(conn: sqlite3.Connection, *, todos_as_events: bool = False) -> tuple[Any, IcsCounts]:
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", f"-//mentorkit//mentorkit {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "mentorkit")
    counts = IcsCounts()
    years: list[int] = []
    for row in conn.execute(
        "SELECT meeting.*, mentor.name AS mentor_name, mentor.location AS mentor_location, "
        "mgroup.name AS group_name FROM meeting LEFT JOIN mentor ON mentor.id = meeting.mentor_id "
        "LEFT JOIN mgroup ON mgroup.id = meeting.group_id ORDER BY meeting.starts_at, meeting.id"
    ):
        cal.add_component(_meeting(row))
        years.append(int(row["starts_at"][:4]))
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
        cal.add_component(_todo(row, todos_as_events))
        if todos_as_events:
            counts.events += 1
        else:
            counts.todos += 1
    if years:
        # VTIMEZONE rules covering the meetings (not 1970-2038: that bloats the file)
        cal.add_missing_timezones(first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1))
    counts.zones = len(cal.timezones)
    return cal, counts


def export_ics(conn: sqlite3.Connection, out: TextIO, *, todos_as_events: bool = False) -> IcsCounts:
    cal, counts = build_calendar(conn, todos_as_events=todos_as_events)
    out.write(cal.to_ical().decode("utf-8"))
    return counts
