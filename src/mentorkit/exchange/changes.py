"""What an import did (or, with --dry-run, would do), table by table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class TableChanges:
    added: int = 0
    updated: int = 0
    unchanged: int = 0  # the same record is already in the store
    kept: int = 0  # the store's version is newer (or the same person), so it was kept
    links: int = 0  # arena, tag and group-member links added

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.links)


@dataclass(frozen=True)
class Match:
    """A person in the file recognised as one already in the store (not by UUID)."""

    row: str  # where in the file: "line 4", "mentors[2]", "card 3"...
    name: str  # the name in the file
    mentor_id: int
    mentor: str  # the name in the store
    by_key: bool = False  # the same email or profile URL (else by name)


@dataclass(frozen=True)
class Suggestion:
    """A row whose name is that of a person in the store, with nothing (no email, no profile URL
    on one side) to tell whether they are the same: not accepted, so it was added as a new
    person (domain/identity.py, rule 3)."""

    row: str
    index: int  # the row's place among the file's people
    name: str
    mentor_id: int
    mentor: str
    stage: str
    institution: str | None


@dataclass
class ImportResult:
    format: str
    tables: dict[str, TableChanges] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # things the person should know (no note text)
    matched: list[Match] = field(default_factory=list)  # people of the file already in the store
    suggested: list[Suggestion] = field(default_factory=list)  # alike names, added as new people
    ended: int = 0  # rows that are people whose relationship ended
    fields: Counter[str] = field(default_factory=Counter)  # fields updated on people, how many times
    dry_run: bool = False

    def table(self, key: str) -> TableChanges:
        return self.tables.setdefault(key, TableChanges())

    @property
    def changed(self) -> bool:
        return any(t.changed for t in self.tables.values())

    @property
    def total(self) -> int:
        return sum(t.added + t.updated + t.unchanged + t.kept for t in self.tables.values())
