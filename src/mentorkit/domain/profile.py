"""The user's own profile: who they are, their zone, and per arena their goal (the arena's first
open goal, domain/goals.py), the story a pitch in that arena tells and the request it ends with."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from mentorkit.clock import to_db
from mentorkit.dates import DATE_ORDERS, get_zone, local_zone_name
from mentorkit.domain.arenas import resolve_arena
from mentorkit.domain.common import check_email, clean_name, clean_text, new_uuid
from mentorkit.errors import InvalidInput

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo


@dataclass
class Profile:
    name: str | None = None
    role: str | None = None
    institution: str | None = None
    timezone: str = "UTC"
    story: str | None = None
    date_order: str | None = None
    email: str | None = None
    goals: dict[str, str] = field(default_factory=dict)
    stories: dict[str, str] = field(default_factory=dict)  # arena name -> the story a pitch there tells
    requests: dict[str, str] = field(default_factory=dict)  # arena name -> the request it ends with
    uuid: str | None = None
    is_set: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return get_zone(self.timezone)

    def for_arena(self, arena: str) -> tuple[str | None, str | None, str | None]:
        """(goal, story, request) for a pitch in the arena: the arena's own story, else the
        profile's story; None where nothing is set."""
        key = arena.casefold()

        def pick(values: dict[str, str]) -> str | None:
            return next((text for name, text in values.items() if name.casefold() == key), None)

        return pick(self.goals), pick(self.stories) or self.story, pick(self.requests)


def get_profile(conn: sqlite3.Connection) -> Profile:
    row = conn.execute("SELECT * FROM profile WHERE id = 1").fetchone()
    from mentorkit.domain.goals import headline_goals

    goals = headline_goals(conn)
    stories: dict[str, str] = {}
    requests: dict[str, str] = {}
    for r in conn.execute("SELECT name, story, request FROM arena WHERE story IS NOT NULL OR request IS NOT NULL"):
        if r["story"]:
            stories[r["name"]] = r["story"]
        if r["request"]:
            requests[r["name"]] = r["request"]
    if row is None:
        return Profile(timezone=local_zone_name(), goals=goals, stories=stories, requests=requests)
    return Profile(
        name=row["name"],
        role=row["role"],
        institution=row["institution"],
        timezone=row["timezone"] or local_zone_name(),
        story=row["story"],
        date_order=row["date_order"],
        email=row["email"],
        goals=goals,
        stories=stories,
        requests=requests,
        uuid=row["uuid"],
        is_set=True,
    )


def parse_goal(text: str, option: str = "--goal") -> tuple[str, str]:
    """'research=first R01' -> ('research', 'first R01'), for --goal, --story-for, --request-for."""
    arena, sep, goal = text.partition("=")
    if not sep or not arena.strip():
        raise InvalidInput(f'{option} needs ARENA=TEXT, e.g. {option} research="..."; got {text!r}')
    return arena.strip(), goal


def set_profile(
    conn: sqlite3.Connection,
    now: datetime,
    *,
    name: str | None = None,
    role: str | None = None,
    institution: str | None = None,
    timezone: str | None = None,
    story: str | None = None,
    date_order: str | None = None,
    email: str | None = None,
    goals: list[str] | None = None,
    stories: list[str] | None = None,
    requests: list[str] | None = None,
) -> Profile:
    """Change the given fields (None leaves a field as it is; an empty string clears it)."""
    changes: dict[str, str | None] = {}
    for column, value, limit in (
        ("name", name, 200),
        ("role", role, 200),
        ("institution", institution, 200),
        ("story", story, 20_000),
    ):
        if value is not None and column == "name":
            changes[column] = clean_name(value, "your name", limit=limit, required=False)
        elif value is not None:
            changes[column] = clean_text(value, column, limit=limit)
    if email is not None:
        changes["email"] = check_email(email)
    if timezone is not None:
        changes["timezone"] = get_zone(timezone).key
    if date_order is not None:
        order = date_order.strip().upper()
        if order not in DATE_ORDERS:
            raise InvalidInput(f"unknown date order {date_order!r}; use DMY, MDY or YMD")
        changes["date_order"] = order
    stamp = to_db(now)
    if conn.execute("SELECT 1 FROM profile WHERE id = 1").fetchone() is None:
        conn.execute(
            "INSERT INTO profile (id, uuid, timezone, created_at, updated_at) VALUES (1, ?, ?, ?, ?)",
            (new_uuid(), local_zone_name(), stamp, stamp),
        )
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(
            f"UPDATE profile SET {assignments}, updated_at = ? WHERE id = 1",
            (*changes.values(), stamp),
        )
    for item in goals or []:
        from mentorkit.domain.goals import set_headline_goal

        set_headline_goal(conn, now, *parse_goal(item))
    for option, column, items in (("--story-for", "story", stories), ("--request-for", "request", requests)):
        for item in items or []:
            arena_name, text = parse_goal(item, option)
            arena = resolve_arena(conn, arena_name)
            value = clean_text(text, f"the {column} for {arena.name}", limit=5_000)
            conn.execute(f"UPDATE arena SET {column} = ?, updated_at = ? WHERE id = ?", (value, stamp, arena.id))
    return get_profile(conn)
