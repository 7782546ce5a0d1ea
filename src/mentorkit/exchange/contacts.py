"""People from other tools (a generic CSV, LinkedIn, vCards) become mentors — prospects by default.

These files carry no mentorkit UUIDs, so a person already in the store is recognised by email,
else by profile URL (kept in the notes), else by name when the stored person has no email or
the contact has none. A recognised person is left as they are: an import never overwrites what
the user wrote. Each new person goes through the same rules as `add-mentor` (email, zone,
cadence, stage), so an import cannot store what the command line would refuse.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from mentorkit.errors import InvalidInput, MentorkitError
from mentorkit.exchange import Progress, no_progress
from mentorkit.exchange.changes import ImportResult

_SPACE = re.compile(r"\s+")
_URL = re.compile(r"https?://\S+")


@dataclass
class Contact:
    """One person read from a file, before it is a mentor. `where` names it in errors."""

    where: str
    name: str | None = None
    email: str | None = None
    institution: str | None = None
    title: str | None = None
    location: str | None = None
    timezone: str | None = None
    url: str | None = None
    notes: str | None = None
    stage: str | None = None
    source: str | None = None
    cadence: str | None = None
    kind: str | None = None
    local: bool | None = None
    channels: list[str] | None = None
    tags: list[str] = field(default_factory=list)
    arenas: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # more lines for the notes

    def note_text(self) -> str | None:
        lines = [self.notes.strip()] if self.notes and self.notes.strip() else []
        if self.title:
            lines.append(f"Title: {self.title}")
        if self.url:
            lines.append(f"{'LinkedIn' if 'linkedin.com' in self.url else 'URL'}: {self.url}")
        lines += self.extra
        return "\n".join(lines) or None


def _key(name: str) -> str:
    return _SPACE.sub(" ", name.strip()).casefold()


def _url_key(url: str) -> str:
    return url.strip().rstrip("/").casefold()


class _Known:
    """The people already in the store, loaded once (no query per imported row)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, tuple[int, bool]] = {}
        self.urls: set[str] = set()
        for row in conn.execute("SELECT id, name, email, notes FROM mentor"):
            self.add(row[0], row[1], row[2], row[3])

    def add(self, mentor_id: int, name: str, email: str | None, notes: str | None) -> None:
        if email:
            self.by_email.setdefault(email.casefold(), mentor_id)
        self.by_name.setdefault(_key(name), (mentor_id, bool(email)))
        if notes:
            self.urls.update(_url_key(u) for u in _URL.findall(notes))

    def find(self, contact: Contact) -> bool:
        if contact.email and contact.email.casefold() in self.by_email:
            return True
        if contact.url and _url_key(contact.url) in self.urls:
            return True
        named = self.by_name.get(_key(contact.name or ""))
        return named is not None and (not named[1] or not contact.email)


def ensure_arenas(conn: sqlite3.Connection, now: datetime, names: list[str], result: ImportResult) -> None:
    """Create the arenas an import names that the store lacks (so no row fails for want of one)."""
    from mentorkit.domain.arenas import add_arena

    have = {r[0].casefold() for r in conn.execute("SELECT name FROM arena")}
    for name in names:
        clean = name.strip()
        if clean and clean.casefold() not in have:
            add_arena(conn, now, clean)
            have.add(clean.casefold())
            result.table("arenas").added += 1
            result.notes.append(f"added the arena {clean!r}")


def add_contacts(conn: sqlite3.Connection, now: datetime, zone: tzinfo, contacts: list[Contact],
                 result: ImportResult, progress: Progress = no_progress) -> None:  # fmt: skip
    """Add the contacts not already in the store, inside the caller's transaction."""
    from mentorkit.domain.mentors import MentorFields, add_mentor

    known = _Known(conn)
    changes = result.table("mentors")
    ensure_arenas(conn, now, [a for c in contacts for a in c.arenas], result)
    for n, contact in enumerate(contacts, 1):
        if not contact.name or not contact.name.strip():
            raise InvalidInput(f"{contact.where} has no name; every person needs one")
        if known.find(contact):
            changes.unchanged += 1
        else:
            fields = MentorFields(
                name=contact.name, email=contact.email, institution=contact.institution,
                location=contact.location, timezone=contact.timezone, local=contact.local,
                stage=contact.stage, cadence=contact.cadence, source=contact.source,
                notes=contact.note_text(), kind=contact.kind, channels=contact.channels,
                arenas=contact.arenas, tags=contact.tags,
            )  # fmt: skip
            try:
                mentor = add_mentor(conn, now, zone, fields)
            except MentorkitError as exc:
                raise InvalidInput(f"{contact.where}: {exc}; nothing was imported") from None
            known.add(mentor.id, mentor.name, mentor.email, mentor.notes)
            changes.added += 1
        if n % 500 == 0:
            progress(500)
    progress(len(contacts) % 500)
