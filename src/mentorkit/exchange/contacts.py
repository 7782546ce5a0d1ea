"""People from other tools (a generic CSV, LinkedIn, vCards) become mentors — prospects by default.

These files carry no mentorkit UUIDs, so a person already in the store is recognised by email,
else by profile URL (kept in the notes), else by name when the stored person has no email or
the contact has none. A recognised person only gains what they lack — an empty email,
institution, location or time zone, and tags they do not have yet — so importing LinkedIn and
then an address book combines the two, and an import never overwrites what the user wrote. Each new person goes through the same rules as `add-mentor` (email, zone,
cadence, stage), so an import cannot store what the command line would refuse.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from mentorkit.errors import InvalidInput, MentorkitError
from mentorkit.exchange import Progress, no_progress
from mentorkit.exchange.changes import ImportResult, Match

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
    from mentorkit.names import name_key

    return name_key(name)


def _url_key(url: str) -> str:
    return url.strip().rstrip("/").casefold()


FILLABLE = ("email", "institution", "location", "timezone")


class _Known:
    """The people already in the store, loaded once (no query per imported row)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.by_url: dict[str, int] = {}
        self.fields: dict[int, dict[str, str | None]] = {}
        self.names: dict[int, str] = {}
        self.tags: dict[int, set[str]] = {}
        for row in conn.execute(f"SELECT id, name, notes, {', '.join(FILLABLE)} FROM mentor"):
            self.add(row[0], row[1], row[2], dict(zip(FILLABLE, row[3:], strict=True)), [])
        for mentor_id, tag in conn.execute("SELECT mentor_id, tag FROM mentor_tag"):
            self.tags[mentor_id].add(tag.casefold())

    def add(self, mentor_id: int, name: str, notes: str | None, fields: dict[str, str | None], tags: list[str]) -> None:
        self.fields[mentor_id] = fields
        self.names[mentor_id] = name
        self.tags[mentor_id] = {t.casefold() for t in tags}
        if fields["email"]:
            self.by_email.setdefault(fields["email"].casefold(), mentor_id)
        self.by_name.setdefault(_key(name), mentor_id)
        for url in _URL.findall(notes or ""):
            self.by_url.setdefault(_url_key(url), mentor_id)

    def find(self, contact: Contact) -> int | None:
        """The mentor this contact already is: same email, same profile URL, or same name when
        the stored person has no email or the contact has none."""
        if contact.email and contact.email.casefold() in self.by_email:
            return self.by_email[contact.email.casefold()]
        if contact.url and _url_key(contact.url) in self.by_url:
            return self.by_url[_url_key(contact.url)]
        named = self.by_name.get(_key(contact.name or ""))
        if named is not None and (not self.fields[named]["email"] or not contact.email):
            return named
        return None


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


def _fill(contact: Contact, known: _Known, mentor_id: int) -> tuple[dict[str, str], list[str]]:
    """What the contact adds to a person already in the store: empty fields and new tags."""
    stored = known.fields[mentor_id]
    blanks = {name: value for name in FILLABLE if not stored[name] and (value := getattr(contact, name))}
    tags = [t for t in dict.fromkeys(contact.tags) if t.strip() and t.casefold() not in known.tags[mentor_id]]
    return blanks, tags


def add_contacts(
    conn: sqlite3.Connection,
    now: datetime,
    zone: tzinfo,
    contacts: list[Contact],
    result: ImportResult,
    progress: Progress = no_progress,
) -> None:
    """Add the contacts not already in the store and fill in what those already there lack,
    inside the caller's transaction. Nothing the user wrote is overwritten."""
    from mentorkit.domain.mentors import MentorFields, add_mentor, edit_mentor, get_mentor

    known = _Known(conn)
    changes = result.table("mentors")
    ensure_arenas(conn, now, [a for c in contacts for a in c.arenas], result)
    for n, contact in enumerate(contacts, 1):
        if not contact.name or not contact.name.strip():
            raise InvalidInput(f"{contact.where} has no name; every person needs one")
        try:
            match = known.find(contact)
            if match is not None:
                result.matched.append(Match(contact.where, contact.name.strip(), match, known.names[match]))
                blanks, tags = _fill(contact, known, match)
                if blanks or tags:
                    changed = MentorFields(tags=tags)
                    for name, value in blanks.items():
                        setattr(changed, name, value)
                    edit_mentor(conn, now, zone, get_mentor(conn, match), changed)
                    known.fields[match].update(blanks)
                    known.tags[match].update(t.casefold() for t in tags)
                    changes.updated += 1
                else:
                    changes.unchanged += 1
            else:
                fields = MentorFields(
                    name=contact.name,
                    email=contact.email,
                    institution=contact.institution,
                    location=contact.location,
                    timezone=contact.timezone,
                    local=contact.local,
                    stage=contact.stage,
                    cadence=contact.cadence,
                    source=contact.source,
                    notes=contact.note_text(),
                    kind=contact.kind,
                    channels=contact.channels,
                    arenas=contact.arenas,
                    tags=contact.tags,
                )
                mentor = add_mentor(conn, now, zone, fields, again=True)  # `find` decided: not a known person
                known.add(
                    mentor.id,
                    mentor.name,
                    mentor.notes,
                    {name: getattr(mentor, name) for name in FILLABLE},
                    mentor.tags,
                )
                changes.added += 1
        except MentorkitError as exc:
            raise InvalidInput(f"{contact.where}: {exc}; nothing was imported") from None
        if n % 500 == 0:
            progress(500)
    progress(len(contacts) % 500)
