"""A day in the user's life at a fixed clock, for the tests of the rules (test_rules_*.py).

The rule tests put one fact exactly on a documented boundary (due on the horizon day, stale at
exactly twice the cadence, a contact at local midnight...) and check the side of it the docs
promise. They drive the real CLI in-process and read `--json`, with the clock held still by
time_machine and moved in the profile's zone, so "today" is the user's calendar day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

ZONE = "America/Chicago"  # not UTC: a local day and a UTC day differ by five or six hours


class Day:
    """The user's clock and CLI: `at("2026-11-25 12:00")` is noon on that day in `ZONE`."""

    def __init__(self, ok: Callable[..., Any], traveller: Any, zone: str = ZONE) -> None:
        self.ok = ok
        self.traveller = traveller
        self.zone = ZoneInfo(zone)

    def at(self, local: str) -> datetime:
        moment = datetime.fromisoformat(local).replace(tzinfo=self.zone)
        self.traveller.move_to(moment)
        return moment

    def today(self) -> date:
        return datetime.now(self.zone).date()

    def json(self, *args: str) -> Any:
        return self.ok(*args, "--json").json()

    def mentor(self, name: str, *options: str, on: str | None = None) -> int:
        """Add a mentor (at `on`, local, when given: that is when their stage began)."""
        if on is not None:
            self.at(on)
        return int(self.ok("add-mentor", name, *options).stdout)

    def contact(self, who: str, when: str, *options: str) -> int:
        """Log a contact that took place at `when` (local), from an hour after it."""
        moment = datetime.fromisoformat(when)
        self.at((moment + timedelta(hours=1)).isoformat())
        return int(self.ok("log", who, "--when", when, *options).stdout)

    def planned_then(self, who: str, when: str, status: str | None, *, mark_at: str | None = None) -> int:
        """Plan a meeting at `when` (local) a day before it; then mark it `status` (at `mark_at`,
        default an hour after it; a cancelled meeting may be marked before it starts)."""
        moment = datetime.fromisoformat(when)
        self.at((moment - timedelta(days=1)).isoformat())
        meeting = int(self.ok("plan", who, "--when", when).stdout)
        if status is not None:
            self.at(mark_at or (moment + timedelta(hours=1)).isoformat())
            self.ok("meetings", "mark", str(meeting), status)
        return meeting
