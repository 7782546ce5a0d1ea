"""Small helpers shared by the domain modules."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from mentorkit.clock import to_db
from mentorkit.errors import InvalidInput

if TYPE_CHECKING:
    import sqlite3
    from zoneinfo import ZoneInfo

STAGES = ("prospect", "pilot", "active", "paused", "ended")
MODES = ("video", "phone", "in-person", "email", "text", "conference")
WRITTEN_MODES = ("email", "text")  # the exchange is itself written: no summary owed
WRITTEN_MODES_SQL = "(" + ", ".join(f"'{mode}'" for mode in WRITTEN_MODES) + ")"
ROLES = ("sponsor", "coach", "connector", "advisor", "role-model")
"""What a mentor does for you beyond their arenas (schema 11's CHECK on mentor_role.role). A sponsor
advocates for you where you are not in the room; a connector introduces you; a role model shows
a path; a coach works on a skill; an advisor gives counsel."""
MAX_TEXT = 100_000  # one note; more is almost certainly a mistake (a pasted file)
MAX_NAME = 200


def profile_zone(conn: sqlite3.Connection) -> ZoneInfo:
    """The profile's time zone (the machine's when none is set): what a read command needs of the
    profile, without its goals and stories (domain/profile.py reads those)."""
    from mentorkit.dates import get_zone, local_zone_name

    row = conn.execute("SELECT timezone FROM profile WHERE id = 1").fetchone()
    return get_zone((row[0] if row is not None else None) or local_zone_name())


def new_uuid() -> str:
    import uuid  # only writes need it; importing it costs read commands a few milliseconds

    return str(uuid.uuid4())


def clean_text(value: str | None, what: str, *, limit: int = MAX_TEXT, required: bool = False) -> str | None:
    """Strip a user's text; refuse NUL bytes and absurd sizes; empty means none."""
    if value is None:
        if required:
            raise InvalidInput(f"{what} is required")
        return None
    if "\x00" in value:
        raise InvalidInput(f"{what} contains a NUL byte; remove it and try again")
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput(f"too long: {what} ({len(text)} characters; the limit is {limit}); shorten it")
    if not text:
        if required:
            raise InvalidInput(f"{what} cannot be empty")
        return None
    return text


_NAME_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean_name(value: str | None, what: str, *, limit: int = MAX_NAME, required: bool = True) -> str | None:
    """A name (of a mentor, group, arena, the profile): `clean_text`, and one line of visible
    text: a control character (an escape sequence, a tab) or a line break is refused, since a
    name goes into one-line places (tables, calendar fields, mail subjects)."""
    text = clean_text(value, what, limit=limit, required=required)
    if text is not None and _NAME_UNSAFE.search(text):
        raise InvalidInput(f"{what} holds a control character or a line break; give it on one line of plain text")
    return text


_EMAIL_PART = r"[^@\s\x00-\x1f\x7f-\x9f;,<>&\"()\[\]\\|`$]+"
_EMAIL = re.compile(rf"^{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}$")


def is_email(text: str) -> bool:
    """The one rule for an address mentorkit sends to or stores: a bare local@domain.tld that
    `email.utils.parseaddr` reads back whole, without spaces, control characters, double quotes
    or any of `;,<>&()[]\\|`$` (each would make a header, a mailto: link or a scheduler line mean
    something else)."""
    from email.utils import parseaddr

    return bool(_EMAIL.match(text)) and parseaddr(text)[1] == text


def check_email(value: str) -> str | None:
    """An email address as typed (stripped), None when empty; anything else is refused."""
    email = clean_text(value, "the email", limit=320)
    if email and not is_email(email):
        raise InvalidInput(f"{email!r} is not an email address; use name@example.org")
    return email


MAX_LIMIT = 1_000_000_000


def check_limit(limit: int) -> int:
    """The one rule for `--limit`: a whole number from 1 (no negative or zero meaning "all")."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"--limit must be from 1 to {MAX_LIMIT:,}, not {limit if abs(limit) < 10**12 else '(huge)'}")
    return limit


def choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    normalised = value.strip().lower()
    if normalised not in allowed:
        raise InvalidInput(f"unknown {what} {value!r}; use one of: {', '.join(allowed)}")
    return normalised


def jsonable(value: Any) -> Any:
    """Plain JSON data from dataclasses, dates and datetimes (instants as UTC ISO 8601 with Z)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return to_db(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


LAST_CONTACT_SQL = (
    "(SELECT max(s) FROM (SELECT max(starts_at) AS s FROM meeting WHERE meeting.mentor_id = mentor.id "
    "AND meeting.status = 'held' UNION ALL SELECT (SELECT max(gm_meeting.starts_at) FROM meeting gm_meeting "
    "WHERE gm_meeting.group_id = gm.group_id AND gm_meeting.status = 'held') FROM group_member gm "
    "WHERE gm.mentor_id = mentor.id))"
)
"""A person's last contact (an SQL expression over a row of `mentor`): the latest held meeting
with them, or with a group they are a member of. Each part is an index search (by mentor, then
one scalar subquery per group of theirs, which reads the last entry of meeting_group_start); a
join of group_member and meeting under one max() reads every held meeting of their groups
(docs/performance.md has the figures)."""
