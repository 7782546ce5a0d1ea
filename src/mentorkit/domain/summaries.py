"""The written follow-up of a meeting (or, for a planned one, the agenda to send ahead).

Every conversation should be followed by a summary with next steps: the date in both time
zones, mode, agenda and discussion, advice received, action items with owners and due dates,
and the next meeting. This module gathers that as plain data for the `summary` template and
records that the summary was sent, which clears the "summary owed" follow-up.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from mentorkit.cadences import cadence_words
from mentorkit.clock import date_from_db, from_db, to_db
from mentorkit.dates import format_day, format_meeting_time, format_moment, get_zone, next_occurrence
from mentorkit.domain.meetings import Meeting, get_meeting, mark_summary_sent, owes_summary
from mentorkit.domain.pitches import profile_context
from mentorkit.domain.profile import Profile
from mentorkit.drafting.wording import clause, natural_join, sentence, sentences
from mentorkit.errors import InvalidInput
from mentorkit.names import first_name

DEFAULT_TEMPLATE = "summary"
MODE_LABELS = {
    "video": "video call",
    "phone": "phone call",
    "in-person": "meeting",
    "email": "email exchange",
    "text": "messages",
    "conference": "conversation at the conference",
}
WRITTEN_LABELS = {"email": "an email exchange", "text": "a text exchange"}
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_THIRD_PERSON = re.compile(r"\b(?:she|he|her|him|his|hers)\b", re.IGNORECASE)
SHORT_TOPIC_WORDS = 6  # agenda items this short make the one line of context


def agenda_items(agenda: str | None) -> list[str]:
    """An agenda as a list: one item per line, or per `;` when it was typed on one line."""
    if not agenda:
        return []
    lines = [line for line in agenda.splitlines() if line.strip()]
    if len(lines) == 1 and ";" in lines[0]:
        lines = lines[0].split(";")
    return [_BULLET.sub("", line).strip() for line in lines if line.strip()]


def _zones(meeting: Meeting, my_zone: tzinfo) -> tuple[tzinfo | None, str | None]:
    """The other side's zone (the mentor's; for a group, the zone the meeting was set in), or
    None when it is mine; and the first name to label it with."""
    if meeting.mentor_id is not None:  # the letter is to them: "(16:00 EST for you)"
        zone = get_zone(meeting.mentor_timezone) if meeting.mentor_timezone else None
        name = "you"
    else:
        zone = get_zone(meeting.timezone) if meeting.timezone else None
        name = None
    if zone is not None and getattr(zone, "key", None) == getattr(my_zone, "key", object()):
        zone = None
    return zone, name


def _moment(
    start: datetime, my_zone: tzinfo, their_zone: tzinfo | None, their_name: str | None, time_given: bool = True
) -> dict[str, Any]:
    mine = start.astimezone(my_zone)
    if not time_given:  # a contact recorded by its day: never state a time nobody gave
        day = format_day(mine.date())
        return {
            "starts_at": to_db(start),
            "date": mine.date().isoformat(),
            "date_text": day,
            "time": None,
            "when": day,
            "when_mine": day,
            "when_theirs": None,
        }
    return {
        "starts_at": to_db(start),
        "date": mine.date().isoformat(),
        "date_text": format_day(mine.date()),
        "time": f"{mine:%H:%M}",
        "when": format_meeting_time(start, my_zone, their_zone, their_name),
        "when_mine": format_moment(start, my_zone),
        "when_theirs": format_moment(start, their_zone) if their_zone else None,
    }


def _followups(
    conn: sqlite3.Connection, where: str, params: tuple[Any, ...], me: Profile, meeting: Meeting
) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT followup.*, mentor.name AS mentor_name FROM followup "
        f"LEFT JOIN mentor ON mentor.id = followup.mentor_id WHERE {where} "
        "ORDER BY followup.due_on IS NULL, followup.due_on, followup.id",
        params,
    ).fetchall()
    items = []
    for r in rows:
        mine = r["owner"] == "me"
        who = (me.name or "me") if mine else (r["mentor_name"] or meeting.mentor or meeting.group or "mentor")
        due = date_from_db(r["due_on"])
        items.append(
            {
                "id": r["id"],
                "text": r["text"],
                "owner": r["owner"],
                "who": who,
                "who_first": first_name(who),
                "status": r["status"],
                "due_on": due.isoformat() if due else None,
                "due_text": format_day(due) if due else None,
                "item": clause(r["text"]),
            }
        )
    return items


def _advice(conn: sqlite3.Connection, meeting_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT advice.*, arena.name AS arena_name, mentor.name AS mentor_name FROM advice "
        "LEFT JOIN arena ON arena.id = advice.arena_id LEFT JOIN mentor ON mentor.id = advice.mentor_id "
        "WHERE advice.meeting_id = ? ORDER BY advice.id",
        (meeting_id,),
    ).fetchall()
    return [
        {
            "id": r["id"],
            "text": r["text"],
            "arena": r["arena_name"],
            "mentor": r["mentor_name"],
            "given_on": r["given_on"],
            "sentence": sentence(r["text"]),
        }
        for r in rows
    ]


def discussion_points(notes: str | None) -> list[str]:
    """Notes as points to send: one per line, or per sentence when a line holds several."""
    points: list[str] = []
    for line in (notes or "").splitlines():
        text = _BULLET.sub("", line).strip()
        if text:
            points.extend(sentence(s) for s in sentences(text))
    return points


def context_line(items: list[str]) -> str:
    """'Topics we covered: aims page and K-award timeline.' from a short agenda (a label and a
    colon, so items typed without an article still read right); empty when there is no agenda or
    it is too long for one line (the agenda is then listed under "What we discussed")."""
    if not items or len(items) > 3 or any(len(item.split()) > SHORT_TOPIC_WORDS for item in items):
        return ""
    return sentence("Topics we covered: " + natural_join([clause(item) for item in items]))


def speaks_of(notes: str | None, names: list[str]) -> bool:
    """Whether notes talk about the recipient in the third person ("She will introduce me ...",
    "Teresa suggested ..."): fine for my records, odd in a letter to her."""
    if not notes:
        return False
    if _THIRD_PERSON.search(notes):
        return True
    words = set(re.findall(r"\w+", notes.casefold()))
    return any(part.casefold() in words for name in names for part in [*name.split()[-1:], first_name(name)])


def _next_meeting(
    conn: sqlite3.Connection,
    now: datetime,
    meeting: Meeting,
    my_zone: tzinfo,
    their_zone: tzinfo | None,
    their_name: str | None,
) -> dict[str, Any] | None:
    """The next planned meeting with the same mentor or group; else the next cadence date,
    counted from the last contact (from this meeting when it is still planned)."""
    column, target = ("mentor_id", meeting.mentor_id) if meeting.mentor_id else ("group_id", meeting.group_id)
    after = max(meeting.starts_at, now)
    row = conn.execute(
        f"SELECT id, starts_at, mode, minutes FROM meeting WHERE {column} = ? AND status = 'planned' "
        "AND id != ? AND starts_at > ? ORDER BY starts_at LIMIT 1",
        (target, meeting.id, to_db(after)),
    ).fetchone()
    if row is not None:
        start = from_db(row["starts_at"])
        assert start is not None
        return {
            "source": "planned",
            "id": row["id"],
            "mode": row["mode"],
            "mode_label": MODE_LABELS[row["mode"]],
            "minutes": row["minutes"],
            "cadence": None,
            **_moment(start, my_zone, their_zone, their_name),
        }
    table = "mentor" if meeting.mentor_id else "mgroup"
    cadence = conn.execute(f"SELECT cadence, cadence_label FROM {table} WHERE id = ?", (target,)).fetchone()
    if cadence is None or not cadence["cadence"]:
        return None
    if meeting.status == "planned":
        base: datetime | None = meeting.starts_at
    else:
        last = conn.execute(
            f"SELECT max(starts_at) FROM meeting WHERE {column} = ? AND status = 'held'", (target,)
        ).fetchone()[0]
        base = from_db(last) or meeting.starts_at
    assert base is not None
    due = next_occurrence(cadence["cadence"], base).astimezone(my_zone)
    return {
        "source": "cadence",
        "id": None,
        "mode": None,
        "mode_label": None,
        "minutes": None,
        "cadence": cadence_words(cadence["cadence"], cadence["cadence_label"]),
        "starts_at": None,
        "date": due.date().isoformat(),
        "date_text": format_day(due.date()),
        "time": None,
        "when": format_day(due.date()),
        "when_mine": format_day(due.date()),
        "when_theirs": None,
    }


def _recipient(
    conn: sqlite3.Connection, meeting: Meeting
) -> tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any] | None]:
    if meeting.mentor_id is not None:
        from mentorkit.domain.mentors import get_mentor
        from mentorkit.domain.pitches import mentor_context

        mentor = mentor_context(get_mentor(conn, meeting.mentor_id))
        recipient = {
            "kind": "mentor",
            "name": mentor["name"],
            "first_name": mentor["first_name"],
            "emails": [mentor["email"]] if mentor["email"] else [],
        }
        return recipient, mentor, None
    group_row = conn.execute("SELECT * FROM mgroup WHERE id = ?", (meeting.group_id,)).fetchone()
    members = conn.execute(
        "SELECT mentor.name, mentor.email FROM group_member JOIN mentor ON mentor.id = group_member.mentor_id "
        "WHERE group_member.group_id = ? ORDER BY mentor.name COLLATE NOCASE",
        (meeting.group_id,),
    ).fetchall()
    group = {
        "id": group_row["id"],
        "name": group_row["name"],
        "members": [m["name"] for m in members],
        "cadence": cadence_words(group_row["cadence"], group_row["cadence_label"]),
        "local_times": [],
        "local_times_text": "",
    }
    recipient = {
        "kind": "group",
        "name": group_row["name"],
        "first_name": "all",
        "emails": [m["email"] for m in members if m["email"]],
    }
    return recipient, None, group


def member_times(conn: sqlite3.Connection, meeting: Meeting, my_zone: tzinfo) -> dict[str, Any]:
    """Each group member's local time of the meeting (the members with a zone whose clock is
    not yours), for the drafts: `local_times` [{name, first_name, when}] and `local_times_text`
    ('Ana: 21:00 BST; Chidi: Wed 2 Sep 2026 06:00 AEST'; their day only when it is not yours)."""
    from mentorkit.dates import format_their_time
    from mentorkit.domain.zones import participants
    from mentorkit.names import first_name

    people = participants(conn, my_zone, group_id=meeting.group_id)[1:]
    times = []
    for person in people:
        when = format_their_time(meeting.starts_at, my_zone, get_zone(person.zone)) if person.zone else None
        if when:
            times.append({"name": person.name, "first_name": first_name(person.name), "when": when})
    return {
        "local_times": times,
        "local_times_text": "; ".join(f"{t['first_name']}: {t['when']}" for t in times),
    }


def summary_subject(kind: str, mode_label: str, day: str, has_steps: bool) -> str:
    """The subject line; "next steps" only when there are some."""
    if kind == "agenda":
        return f"Agenda for our {mode_label} on {day}"
    if has_steps:
        return f"Notes and next steps from our {mode_label} on {day}"
    return f"Notes from our {mode_label} on {day}"


def summary_context(conn: sqlite3.Connection, now: datetime, me: Profile, meeting: Meeting) -> dict[str, Any]:
    """Everything the summary template may use, as plain data (see docs/drafting.md)."""
    if meeting.status in ("cancelled", "missed"):
        raise InvalidInput(
            f"meeting {meeting.id} was {meeting.status}; there is nothing to summarise. "
            "Plan the next one with `mentorkit plan`"
        )
    if not me.name:
        raise InvalidInput("a summary is signed with your name; set it with `mentorkit profile set --name TEXT`")
    my_zone = me.zone
    their_zone, their_name = _zones(meeting, my_zone)
    recipient, mentor, group = _recipient(conn, meeting)
    target = (
        ("followup.mentor_id = ?", meeting.mentor_id)
        if meeting.mentor_id
        else ("followup.group_id = ?", meeting.group_id)
    )
    followups = _followups(conn, "followup.meeting_id = ? AND followup.status != 'dropped'", (meeting.id,), me, meeting)
    kind = "agenda" if meeting.status == "planned" else "summary"
    day = _moment(meeting.starts_at, my_zone, their_zone, their_name)["date_text"]
    items = agenda_items(meeting.agenda)
    return {
        "kind": kind,
        "subject": summary_subject(kind, MODE_LABELS[meeting.mode], day, bool(followups)),
        "context_line": context_line(items),
        "discussion": discussion_points(meeting.notes),
        "my_steps": [f for f in followups if f["owner"] == "me"],
        "their_steps": [f for f in followups if f["owner"] != "me"],
        "profile": profile_context(me),
        "recipient": recipient,
        "mentor": mentor,
        "group": group,
        "meeting": {
            "id": meeting.id,
            "uuid": meeting.uuid,
            "status": meeting.status,
            "mode": meeting.mode,
            "mode_label": MODE_LABELS[meeting.mode],
            "minutes": meeting.minutes,
            "my_zone": getattr(my_zone, "key", str(my_zone)),
            "their_zone": getattr(their_zone, "key", None),
            "agenda": meeting.agenda,
            "agenda_items": items,
            "notes": meeting.notes,
            "summary_sent_at": to_db(meeting.summary_sent_at) if meeting.summary_sent_at else None,
            **_moment(meeting.starts_at, my_zone, their_zone, their_name, meeting.time_given),
        },
        "advice": _advice(conn, meeting.id),
        "followups": followups,
        "open_followups": _followups(
            conn,
            f"{target[0]} AND followup.status = 'open' AND (followup.meeting_id IS NULL OR followup.meeting_id != ?)",
            (target[1], meeting.id),
            me,
            meeting,
        ),
        "next_meeting": _next_meeting(conn, now, meeting, my_zone, their_zone, their_name),
    }


@dataclass
class SummaryDraft:
    meeting_id: int
    kind: str  # summary, or agenda for a planned meeting
    text: str
    template: str
    summary_sent_at: datetime | None
    marked_sent: bool = False  # this call recorded it as sent
    subject: str = ""
    to: list[str] = field(default_factory=list)  # the recipients' email addresses
    recipient: str = ""  # the mentor's or the group's name
    check_notes: bool = False  # the notes speak of the recipient in the third person
    without_email: int = 0  # group members with no email address (left out of To:)

    def as_email(self) -> str:
        """To:, Subject: and the body, ready for a mail client (the template's own Subject
        line is used when it has one)."""
        if not self.to:
            raise InvalidInput(
                f"meeting {self.meeting_id}: no email address for {self.recipient}; add one with "
                "`mentorkit edit MENTOR --email ADDRESS`, or drop --format email"
            )
        body = self.text
        subject = self.subject
        first, _, rest = body.partition("\n")
        if first.startswith("Subject:"):
            subject, body = first.removeprefix("Subject:").strip(), rest.lstrip("\n")
        return f"To: {', '.join(self.to)}\nSubject: {subject}\n\n{body}"


def draft_summary(
    conn: sqlite3.Connection,
    now: datetime,
    me: Profile,
    meeting_id: int | str,
    *,
    template: str | None = None,
    mark_sent: bool = False,
    force: bool = False,
) -> SummaryDraft:
    """Render the summary (or agenda) of a meeting; with `mark_sent`, record that the summary
    went out (the caller holds a write transaction). A summary already marked keeps its time."""
    from mentorkit import drafting

    meeting = get_meeting(conn, meeting_id)
    if meeting.status == "held" and not owes_summary(meeting.mode) and not force:
        raise InvalidInput(
            f"meeting {meeting.id} was {WRITTEN_LABELS[meeting.mode]}, written already, so it owes no summary; "
            f"to draft one anyway: mentorkit summary {meeting.id} --force"
        )
    if mark_sent and meeting.status == "planned":
        raise InvalidInput(
            f"meeting {meeting.id} is still planned: an agenda is not a summary. After it, "
            f"`mentorkit meetings mark {meeting.id} held`, then `summary {meeting.id} --mark-sent`"
        )
    context = summary_context(conn, now, me, meeting)
    if context["group"] is not None and meeting.time_given:
        context["group"].update(member_times(conn, meeting, me.zone))
    found = drafting.find(template) if template else drafting.find_named(DEFAULT_TEMPLATE)
    text = drafting.render_file(found, context)
    draft = SummaryDraft(
        meeting.id,
        context["kind"],
        text,
        str(found.path) if found.source == "path" else found.name,
        meeting.summary_sent_at,
        subject=context["subject"],
        to=list(context["recipient"]["emails"]),
        without_email=len(context["group"]["members"]) - len(context["recipient"]["emails"]) if context["group"] else 0,
        recipient=context["recipient"]["name"],
        check_notes=context["kind"] == "summary"
        and speaks_of(meeting.notes, [meeting.mentor] if meeting.mentor else context["group"]["members"]),
    )
    if mark_sent and meeting.summary_sent_at is None:
        mark_summary_sent(conn, now, meeting.id)
        draft.summary_sent_at, draft.marked_sent = now, True
    return draft
