"""The digest of `mentorkit remind`: what is overdue or due today, and the next planned meeting.

It is the list of `followups` (domain/followups.py `due_items`), cut to what cannot wait:
items whose due day is today or earlier (undated action items are left to `followups`), the
planned meetings later today, and the next planned meeting whatever its day. The digest is
*quiet* (nothing to say) when nothing is overdue, nothing is due today and no meeting is
planned for later today; `remind` then prints nothing, for a shell start-up file.

`digest_text` is the same digest as plain text, for a notification, an email or cron's mail.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from mentorkit.dates import describe_lateness, format_day, format_moment
from mentorkit.domain.followups import DueItem, due_items
from mentorkit.domain.meetings import Meeting, iter_meetings

SHOWN_ITEMS = 5
"""Items listed in the text digest; the rest are counted (`mentorkit followups` lists them all)."""


@dataclass
class Digest:
    today: date
    overdue: list[DueItem] = field(default_factory=list)
    due_today: list[DueItem] = field(default_factory=list)
    meetings_today: list[Meeting] = field(default_factory=list)
    next_meeting: Meeting | None = None

    @property
    def quiet(self) -> bool:
        """Nothing overdue, nothing due today, no meeting later today."""
        return not (self.overdue or self.due_today or self.meetings_today)

    @property
    def items(self) -> list[DueItem]:
        """The due items, most urgent first."""
        return self.overdue + self.due_today

    def headline(self) -> str:
        """'2 overdue, 1 due today, 1 meeting today' (or 'nothing due today')."""
        parts = []
        if self.overdue:
            parts.append(f"{len(self.overdue)} overdue")
        if self.due_today:
            parts.append(f"{len(self.due_today)} due today")
        if self.meetings_today:
            n = len(self.meetings_today)
            parts.append(f"{n} meeting{'s' if n != 1 else ''} today")
        return ", ".join(parts) or "nothing due today"


def digest(conn: sqlite3.Connection, now: datetime, zone: tzinfo) -> Digest:
    """What is due at `now`, with days in `zone` (the profile's)."""
    today = now.astimezone(zone).date()
    result = Digest(today)
    for item in due_items(conn, now, zone, within=0):
        if item.due is None or item.due > today:
            continue  # undated, or ahead (preparing for tomorrow's meeting): `followups` lists them
        (result.overdue if item.due < today else result.due_today).append(item)
    for meeting in iter_meetings(conn, now, upcoming=True, limit=None):
        if meeting.starts_at < now:
            continue  # past its time: a "record" item above
        result.next_meeting = result.next_meeting or meeting
        if meeting.starts_at.astimezone(zone).date() != today:
            break
        result.meetings_today.append(meeting)
    return result


def item_line(item: DueItem, today: date) -> str:
    """'3 days late · check-in · Dr. James Whitfield: check in (quarterly; ...)'."""
    late = describe_lateness(item.due, today) if item.due else "no date"
    who = f"{item.with_whom}: " if item.with_whom else ""
    return f"{late} · {item.kind} · {who}{item.what}"


def meeting_line(meeting: Meeting, zone: tzinfo) -> str:
    """'Tue 8 Dec 2026 15:00 PST, video with Dr. Samuel Osei (#12)'."""
    return f"{format_moment(meeting.starts_at, zone)}, {meeting.mode} with {meeting.with_whom} (#{meeting.id})"


def digest_text(result: Digest, zone: tzinfo, *, shown: int = SHOWN_ITEMS) -> str:
    """The digest as plain text: a headline, the most urgent items, today's meetings and the next one."""
    lines = [f"mentorkit, {format_day(result.today)}: {result.headline()}"]
    items = result.items
    lines += [f"- {item_line(item, result.today)}" for item in items[:shown]]
    if len(items) > shown:
        lines.append(f"- and {len(items) - shown} more: mentorkit followups")
    for meeting in result.meetings_today:
        lines.append(f"- meeting today: {meeting_line(meeting, zone)}")
    if result.next_meeting is not None and result.next_meeting not in result.meetings_today:
        lines.append(f"Next meeting: {meeting_line(result.next_meeting, zone)}")
    elif result.next_meeting is None:
        lines.append("No meeting planned: mentorkit plan MENTOR --when ...")
    return "\n".join(lines) + "\n"
