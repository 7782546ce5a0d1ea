"""Generated LinkedIn exports for the identity tests and the people-at-scale figures: shared names,
unicode names, blank emails, job changes between two exports."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, replace

FIRST = ("David", "Wei", "Maria", "José", "Anna", "Mohammed", "Yuki", "Olga", "Chen", "Priyanka", "Zoë", "Seo-yeon")
LAST = (
    "Kim",
    "Chen",
    "García",
    "Smith",
    "Nguyen",
    "Müller",
    "Okafor",
    "Tanaka",
    "Kowalski",
    "Ødegaard",
    "李",
    "Schmidt",
)
COMPANIES = ("Pfizer", "Seoul National University", "UCSF", "Charité", "東京大学", "Mayo Clinic", "Novartis", "MIT")
TITLES = ("Dean of Medicine", "Scientist", "Associate Professor", "VP Research", "Chair", "Postdoc", "Director")


@dataclass(frozen=True)
class Row:
    """One LinkedIn connection; `key` is who the person really is (their profile)."""

    key: int
    first: str
    last: str
    email: str
    company: str
    position: str

    @property
    def url(self) -> str:
        return f"https://www.linkedin.com/in/person-{self.key}"

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def network(rng: random.Random, n: int, start: int = 0) -> list[Row]:
    """`n` people whose names come from a small pool (so many share a name), a tenth with an email."""
    return [
        Row(
            key,
            rng.choice(FIRST),
            rng.choice(LAST),
            f"p{key}@mail.example" if rng.random() < 0.1 else "",
            rng.choice(COMPANIES),
            rng.choice(TITLES),
        )
        for key in range(start, start + n)
    ]


def job_change(rng: random.Random, row: Row) -> Row:
    """The same person with a new company and title (both differ from the old ones)."""
    company = rng.choice([c for c in COMPANIES if c != row.company])
    title = rng.choice([t for t in TITLES if t != row.position])
    return replace(row, company=company, position=title)


def linkedin_csv(rows: list[Row], url_of: dict[int, str] | None = None) -> str:
    """LinkedIn's Connections.csv for the rows (with its Notes preamble). `url_of` writes some
    profile URLs the way other LinkedIn pages spell them (case, query, no www)."""
    out = io.StringIO()
    out.write('Notes:\n"When exporting your connection data, you may notice..."\n\n')
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
    for r in rows:
        url = (url_of or {}).get(r.key, r.url)
        writer.writerow([r.first, r.last, url, r.email, r.company, r.position, "15 Mar 2024"])
    return out.getvalue()
