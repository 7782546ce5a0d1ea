"""Who is who: the one place that decides whether two records are the same person.

A person's **keys** are their email address and their profile URL (LinkedIn, ORCID, a website),
each normalised here (`email_key`, `url_key`) and nowhere else. The rules, in order:

1. A key matches (the same email, or the same profile URL) → the same person, whatever the names.
2. Otherwise, when both sides have a key of the same kind (both an email, or both a profile URL)
   and they differ → different people, whatever the names (two David Kims with two LinkedIn
   profiles are two people).
3. Otherwise, when the names are alike (`names.name_key`: case, honorifics, post-nominals,
   initials and word order ignored) → only a *suggestion*: nothing here can tell, so the caller
   asks, or lists it (import: `--dry-run` lists, a terminal asks, `--match-names` accepts all;
   without a terminal and without the flag the row is added as a new person and reported as a
   possible duplicate).
4. Otherwise → a new person.

People in every stage (ended and paused too) and near-peers are matched alike.
docs/data.md ("Who is who") gives examples.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from mentorkit.names import name_key

_DROP_QUERY = ("linkedin.com", "orcid.org")  # sites whose profile URLs carry only tracking in the query


def email_key(email: str | None) -> str | None:
    """'  Ana@Example.ORG ' -> 'ana@example.org'; None for no address."""
    text = (email or "").strip().casefold()
    return text or None


def url_key(url: str | None) -> str | None:
    """A profile URL as a key: scheme, `www.` (and LinkedIn's country subdomains), a trailing
    slash, the fragment and case do not matter; neither does the query on LinkedIn and ORCID.
    'https://www.LinkedIn.com/in/David-Kim-12/?trk=x' -> 'linkedin.com/in/david-kim-12'."""
    text = (url or "").strip()
    if not text:
        return None
    try:
        parts = urlsplit(text if "//" in text else "//" + text)
        host = (parts.hostname or "").casefold().removeprefix("www.")
    except ValueError:  # not readable as a URL (`[`, an unclosed IPv6 bracket): the text is its own key
        return text.casefold()
    if host.endswith(".linkedin.com"):
        host = "linkedin.com"  # uk.linkedin.com, de.linkedin.com: the same profiles
    path = unquote(parts.path).rstrip("/")
    query = "" if host in _DROP_QUERY or not parts.query else "?" + parts.query
    key = f"{host}{path}{query}".casefold()
    return key or None


@dataclass(frozen=True)
class Keys:
    """A person's normalised keys (either may be missing)."""

    email: str | None = None
    url: str | None = None

    @classmethod
    def of(cls, email: str | None, url: str | None) -> Keys:
        return cls(email_key(email), url_key(url))

    def __bool__(self) -> bool:
        return bool(self.email or self.url)

    def match(self, other: Keys) -> bool:
        """A key in common: the same person (rule 1)."""
        return bool((self.email and self.email == other.email) or (self.url and self.url == other.url))

    def conflict(self, other: Keys) -> bool:
        """Keys of the same kind that differ, none in common: different people (rule 2)."""
        if self.match(other):
            return False
        return bool((self.email and other.email) or (self.url and other.url))


@dataclass(frozen=True)
class Person:
    """A person in the store as identity sees them."""

    id: int
    name: str
    stage: str
    institution: str | None
    keys: Keys


@dataclass(frozen=True)
class Verdict:
    """What the rules say about one incoming record: `same` (by a key), `suggest` (alike names,
    nothing to tell them apart) or neither (a new person). `person` is the stored one."""

    person: Person | None
    by_key: bool

    @property
    def same(self) -> bool:
        return self.person is not None and self.by_key

    @property
    def suggestion(self) -> bool:
        return self.person is not None and not self.by_key


NEW = Verdict(None, False)


@dataclass
class People:
    """Everyone in the store, indexed by key and by name (loaded once; `add` keeps it current
    as an import adds people, so rows of one file are matched against each other too)."""

    by_id: dict[int, Person] = field(default_factory=dict)
    by_email: dict[str, int] = field(default_factory=dict)
    by_url: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> People:
        people = cls()
        cursor = conn.execute("SELECT id, name, stage, institution, email, profile_url FROM mentor ORDER BY id")
        cursor.row_factory = None
        for mentor_id, name, stage, institution, email, url in cursor:
            people.add(Person(mentor_id, name, stage, institution, Keys.of(email, url)))
        return people

    def add(self, person: Person) -> None:
        old = self.by_id.get(person.id)
        if old is not None:
            self._forget(old)
        self.by_id[person.id] = person
        if person.keys.email:
            self.by_email.setdefault(person.keys.email, person.id)
        if person.keys.url:
            self.by_url.setdefault(person.keys.url, person.id)
        ids = self.by_name.setdefault(name_key(person.name), [])
        if person.id not in ids:
            ids.append(person.id)

    def _forget(self, person: Person) -> None:
        if person.keys.email and self.by_email.get(person.keys.email) == person.id:
            del self.by_email[person.keys.email]
        if person.keys.url and self.by_url.get(person.keys.url) == person.id:
            del self.by_url[person.keys.url]

    def judge(self, name: str, keys: Keys, *, taken: frozenset[int] | set[int] = frozenset()) -> Verdict:
        """Apply the rules to an incoming record. `taken`: people already matched by another
        record of the same file, never suggested twice."""
        for found in (self.by_email.get(keys.email or ""), self.by_url.get(keys.url or "")):
            if found is not None:
                return Verdict(self.by_id[found], True)
        for candidate in self.by_name.get(name_key(name), []):
            person = self.by_id[candidate]
            if candidate not in taken and not person.keys.conflict(keys):
                return Verdict(person, False)
        return NEW
