"""People from other tools (a generic CSV, LinkedIn, vCards) become mentors — prospects by default.

These files carry no mentorkit UUIDs, so who is already in the store is decided by the identity
rules (domain/identity.py): a shared email or profile URL is the same person; different ones are
different people; a name alone is only a suggestion, which the caller accepts or not. A person
recognised gets the file's newer institution, title, email and profile URL (a job change between
two LinkedIn exports), their empty location and time zone filled, and tags they lack; nothing else
the user wrote is overwritten, and their stage (ended, paused...) stays. Each new person goes
through the same rules as `add-mentor` (email, zone, cadence, stage), so an import cannot store
what the command line would refuse.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from mentorkit.domain.identity import People, email_key, url_key
from mentorkit.errors import InvalidInput, MentorkitError
from mentorkit.exchange import Progress, no_progress
from mentorkit.exchange.changes import ImportResult, Match, Suggestion

if TYPE_CHECKING:
    from mentorkit.domain.mentors import MentorFields


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
        lines += self.extra
        return "\n".join(lines) or None


UPDATED = ("institution", "title", "email", "profile_url")
"""Fields a newer file changes on a person already in the store (a new job, a new address)."""
FILLED = ("location", "timezone")
"""Fields a file only fills when the store has them empty."""
_STORED = (*UPDATED, *FILLED)


class _Stored:
    """What the store holds of each person that a file may change, loaded once."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.fields: dict[int, dict[str, str | None]] = {}
        self.tags: dict[int, set[str]] = {}
        cursor = conn.execute(f"SELECT id, {', '.join(_STORED)} FROM mentor")
        cursor.row_factory = None
        for row in cursor:
            self.fields[row[0]] = dict(zip(_STORED, row[1:], strict=True))
            self.tags[row[0]] = set()
        for mentor_id, tag in conn.execute("SELECT mentor_id, tag FROM mentor_tag"):
            self.tags[mentor_id].add(tag.casefold())


def _value(contact: Contact, name: str) -> str | None:
    value = contact.url if name == "profile_url" else getattr(contact, name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _same(name: str, ours: str | None, theirs: str) -> bool:
    if ours is None:
        return False
    if name == "email":
        return email_key(ours) == email_key(theirs)
    if name == "profile_url":
        return url_key(ours) == url_key(theirs)
    return " ".join(ours.split()) == " ".join(theirs.split())


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


def _changes(
    contact: Contact, stored: _Stored, people: People, mentor_id: int, notes: list[str]
) -> tuple[dict[str, str], list[str]]:
    """What the contact changes on a person already in the store: the fields of UPDATED that
    differ, the empty fields of FILLED, and new tags. A key that is another person's is left out
    (and noted): two people never share an email or a profile URL through an import."""
    current = stored.fields[mentor_id]
    changed: dict[str, str] = {}
    for name in UPDATED:
        value = _value(contact, name)
        if value is None or _same(name, current[name], value):
            continue
        owner = None
        if name == "email":
            owner = people.by_email.get(email_key(value) or "")
        elif name == "profile_url":
            owner = people.by_url.get(url_key(value) or "")
        if owner is not None and owner != mentor_id:
            what = "email" if name == "email" else "profile URL"
            notes.append(f"{contact.where}: its {what} is mentor #{owner}'s; left as it was on #{mentor_id}")
            continue
        changed[name] = value
    for name in FILLED:
        value = _value(contact, name)
        if value is not None and not current[name]:
            changed[name] = value
    tags = [t for t in dict.fromkeys(contact.tags) if t.strip() and t.casefold() not in stored.tags[mentor_id]]
    return changed, tags


def _new_fields(contact: Contact) -> MentorFields:
    from mentorkit.domain.mentors import MentorFields

    return MentorFields(
        name=contact.name,
        email=contact.email,
        institution=contact.institution,
        title=contact.title,
        profile_url=contact.url,
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


def _accept_none(index: int) -> bool:
    return False


def add_contacts(
    conn: sqlite3.Connection,
    now: datetime,
    zone: tzinfo,
    contacts: list[Contact],
    result: ImportResult,
    progress: Progress = no_progress,
    accept: Callable[[int], bool] = _accept_none,
) -> None:
    """Add the contacts who are not in the store and bring up to date those who are, by the
    rules of domain/identity.py, inside the caller's transaction. A name-only match (a
    suggestion) is the same person only when `accept(index of the contact)` says so; otherwise
    the contact is added and the suggestion is reported (`result.suggested`)."""
    from mentorkit.domain.identity import Keys, Person
    from mentorkit.domain.mentors import MentorFields, edit_mentor, get_mentor, insert_mentor
    from mentorkit.exchange.merge import bulk_derived

    people = People.load(conn)
    stored = _Stored(conn)
    derived = bulk_derived(conn)  # a big import refills the search index once, at the end
    changes = result.table("mentors")
    taken: set[int] = set()
    ensure_arenas(conn, now, [a for c in contacts for a in c.arenas], result)
    for n, contact in enumerate(contacts):
        if not contact.name or not contact.name.strip():
            raise InvalidInput(f"{contact.where} has no name; every person needs one")
        name = contact.name.strip()
        try:
            verdict = people.judge(name, Keys.of(contact.email, contact.url), taken=taken)
            person = verdict.person
            if person is not None and verdict.suggestion and not accept(n):
                result.suggested.append(
                    Suggestion(contact.where, n, name, person.id, person.name, person.stage, person.institution)
                )
                person = None
            if person is not None:
                taken.add(person.id)
                result.matched.append(Match(contact.where, name, person.id, person.name, verdict.by_key))
                if person.stage == "ended":
                    result.ended += 1
                changed, tags = _changes(contact, stored, people, person.id, result.notes)
                if changed or tags:
                    fields = MentorFields(tags=tags)
                    for key, value in changed.items():
                        setattr(fields, key, value)
                    mentor = edit_mentor(conn, now, zone, get_mentor(conn, person.id), fields)
                    stored.fields[person.id].update(changed)
                    stored.tags[person.id].update(t.casefold() for t in tags)
                    people.add(
                        Person(
                            mentor.id,
                            mentor.name,
                            mentor.stage,
                            mentor.institution,
                            Keys.of(mentor.email, mentor.profile_url),
                        )
                    )
                    result.fields.update(changed.keys())
                    changes.updated += 1
                else:
                    changes.unchanged += 1
            else:
                derived.writing("mentor", 1)
                derived.writing("stage_change", 1)
                mentor_id = insert_mentor(conn, now, zone, _new_fields(contact), again=True)  # identity: new
                stage = (contact.stage or "prospect").strip().lower()
                people.add(
                    Person(mentor_id, name, stage, _value(contact, "institution"), Keys.of(contact.email, contact.url))
                )
                stored.fields[mentor_id] = {k: _value(contact, k) for k in _STORED}
                stored.tags[mentor_id] = {t.strip().casefold() for t in contact.tags}
                changes.added += 1
        except MentorkitError as exc:
            raise InvalidInput(f"{contact.where}: {exc}; nothing was imported") from None
        if (n + 1) % 500 == 0:
            progress(500)
    derived.finish()
    progress(len(contacts) % 500)
