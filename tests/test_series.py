"""Recurring plans (`plan --repeat N`): a series of meetings on the cadence, each its own meeting,
and how the series reaches calendars (one event per meeting, each at the right local time)."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from mentorkit import clock
from mentorkit.dates import cadence_dates

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
BOSTON = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)


def _meetings(db_path: Path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM meeting ORDER BY starts_at").fetchall()
    finally:
        conn.close()


# --- the cadence arithmetic --------------------------------------------------------------------


def test_monthly_dates_count_whole_months_from_the_first() -> None:
    first = datetime(2027, 1, 31, 9, 0)
    got = [d.date() for d, _ in zip(cadence_dates("FREQ=MONTHLY", first), range(4), strict=False)]
    assert got == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


def test_rrule_dates_follow_the_rule_after_the_first() -> None:
    first = datetime(2027, 1, 5, 11, 0)  # a first Tuesday
    got = [d for d, _ in zip(cadence_dates("FREQ=MONTHLY;BYDAY=1TU", first), range(3), strict=False)]
    assert got == [first, datetime(2027, 2, 2, 11, 0), datetime(2027, 3, 2, 11, 0)]


def test_cadence_dates_stop_before_the_year_10000() -> None:
    assert len(list(cadence_dates("FREQ=YEARLY;INTERVAL=3", datetime(9990, 6, 1)))) == 3
    assert len(list(cadence_dates("FREQ=YEARLY", datetime(9997, 6, 1)))) == 2


# --- plan --repeat ---------------------------------------------------------------------------


def _mentor(ok: Callable[..., Any], cadence: str = "monthly") -> None:
    ok("profile", "set", "--timezone", "America/New_York", "--email", "me@example.org")
    ok(
        "add-mentor",
        "Dr. Rosa Lind",
        "--timezone",
        "Europe/London",
        "--cadence",
        cadence,
        "--email",
        "rosa@example.org",
    )


def test_repeat_plans_meetings_on_the_cadence_at_the_same_local_time(ok: Callable[..., Any], db_path: Path) -> None:
    _mentor(ok)
    result = ok("plan", "Lind", "--when", "2027-02-10 09:30", "--repeat", "3", "--agenda", "Aims")
    ids = [int(line) for line in result.stdout.split()]
    assert len(ids) == 3
    assert "Planned 3 video meetings with Dr. Rosa Lind" in result.stderr
    rows = _meetings(db_path)
    local = [datetime.fromisoformat(r["starts_at"]).astimezone(BOSTON) for r in rows]
    assert [d.date() for d in local] == [date(2027, 2, 10), date(2027, 3, 10), date(2027, 4, 10)]
    assert {d.time() for d in local} == {time(9, 30)}  # across the US change on 14 March
    assert local[0].utcoffset() != local[2].utcoffset()
    assert len({r["series"] for r in rows}) == 1 and rows[0]["series"]
    assert all(r["status"] == "planned" and r["agenda"] == "Aims" and r["timezone"] == "America/New_York" for r in rows)


def test_each_meeting_of_a_series_is_its_own(ok: Callable[..., Any], db_path: Path) -> None:
    _mentor(ok)
    data = ok("plan", "Lind", "--when", "2027-02-10 09:30", "--repeat", "3", "--json").json()
    ids = [p["meeting"]["id"] for p in data["planned"]]
    assert data["cadence"] == "FREQ=MONTHLY" and data["skipped"] == 0
    assert {p["meeting"]["series"] for p in data["planned"]} == {data["uuid"]}
    ok("meetings", "mark", str(ids[1]), "cancelled")
    ok("meetings", "edit", str(ids[2]), "--when", "2027-04-12 14:00", "--agenda", "Moved")
    shown = next(m for m in ok("meetings", "--json").json() if m["id"] == ids[2])
    assert shown["series"] == data["uuid"] and shown["agenda"] == "Moved"
    import icalendar

    cal = icalendar.Calendar.from_ical(ok("export", "-f", "ics").stdout)
    events = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    assert len(events) == 3  # one event per meeting: each keeps its own edits
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert events[2].decoded("DTSTART") == datetime(2027, 4, 12, 14, 0, tzinfo=BOSTON)
    assert "Moved" in str(events[2]["DESCRIPTION"])
    assert "RRULE" not in events[0] and "RECURRENCE-ID" not in events[2]
    assert ok("meetings", "--json").json()[0]["id"] == ids[0]


def test_past_cadence_dates_are_skipped(ok: Callable[..., Any], db_path: Path) -> None:
    _mentor(ok, "weekly")
    result = ok("plan", "Lind", "--when", "2026-11-16 09:00", "--repeat", "2")
    assert "3 dates already past skipped" in result.stderr
    starts = [datetime.fromisoformat(r["starts_at"]).astimezone(BOSTON) for r in _meetings(db_path)]
    assert [d.date() for d in starts] == [date(2026, 12, 7), date(2026, 12, 14)]  # 09:00 today is still to come


def test_a_group_series_follows_its_rrule(ok: Callable[..., Any], db_path: Path) -> None:
    ok("profile", "set", "--timezone", "America/New_York")
    ok("group", "add", "Mastermind", "--member", "Ada", "--member", "Bo", "--cadence", "FREQ=MONTHLY;BYDAY=1TU")
    ok("plan", "--group", "Mastermind", "--when", "2027-01-05 11:00", "--repeat", "4")
    days = [datetime.fromisoformat(r["starts_at"]).astimezone(BOSTON).date() for r in _meetings(db_path)]
    assert days == [date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2), date(2027, 4, 6)]


def test_undo_takes_back_the_whole_series(ok: Callable[..., Any], db_path: Path) -> None:
    _mentor(ok)
    ok("plan", "Lind", "--when", "2027-02-10 09:30", "--repeat", "4")
    assert len(_meetings(db_path)) == 4
    ok("undo")
    assert _meetings(db_path) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--repeat", "0"), "--repeat must be from 1 to 100"),
        (("--repeat", "101"), "--repeat must be from 1 to 100"),
        (("--repeat", "-3"), "--repeat must be from 1 to 100"),
    ],
)
def test_bad_repeat_counts_are_refused(
    cli: Callable[..., Any], ok: Callable[..., Any], db_path: Path, args: tuple[str, ...], message: str
) -> None:
    _mentor(ok)
    result = cli("plan", "Lind", "--when", "2027-02-10 09:30", *args)
    assert result.exit_code == 1 and message in result.stderr and len(result.stderr.splitlines()) == 1
    assert _meetings(db_path) == []


def test_a_mentor_without_a_cadence_is_a_clear_error(
    cli: Callable[..., Any], ok: Callable[..., Any], db_path: Path
) -> None:
    ok("add-mentor", "Dr. No Cadence")
    result = cli("plan", "Cadence", "--when", "2027-02-10 09:30", "--repeat", "3")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: mentor #1 has no cadence to repeat on; set one with `mentorkit edit 1 --cadence monthly`, "
        "or plan without --repeat"
    )
    assert _meetings(db_path) == []


# --- calendars: the group's series in each member's zone (khal) ---------------------------------

ZONES = {
    "Ada Boston": "America/New_York",
    "Ben London": "Europe/London",
    "Chi Nairobi": "Africa/Nairobi",
    "Dee Sydney": "Australia/Sydney",
}


def test_khal_shows_the_recurring_group_meeting_at_each_members_local_time(
    ok: Callable[..., Any], tmp_path: Path
) -> None:
    pytest.importorskip("khal")
    from khal_helpers import khal, khal_config

    ok("profile", "set", "--timezone", "America/New_York")
    members = [arg for name in ZONES for arg in ("--member", name)]
    ok("group", "add", "Mastermind", *members, "--cadence", "FREQ=MONTHLY;BYDAY=1TU")
    for name, zone in ZONES.items():
        ok("edit", name, "--timezone", zone)
    # two years of first Tuesdays at 11:00 in Boston: through both changes of each zone that has them
    ok("plan", "--group", "Mastermind", "--when", "2027-01-05 11:00", "--repeat", "24", "--minutes", "60")
    vdir = tmp_path / "cal"
    ok("export", "-f", "ics", "--vdir", str(vdir), "--group", "Mastermind")
    firsts = [
        d.date()
        for d, _ in zip(cadence_dates("FREQ=MONTHLY;BYDAY=1TU", datetime(2027, 1, 5, 11)), range(24), strict=False)
    ]
    for name, zone in ZONES.items():
        config = khal_config(tmp_path / name.replace(" ", "-"), vdir, zone=zone)
        listed = khal(config, "list", "--format", "{start} {title}", "2027-01-01", "750d")
        assert listed.returncode == 0, listed.stderr
        lines = [line for line in listed.stdout.splitlines() if "Group: Mastermind" in line]
        expected = [
            datetime.combine(day, time(11, 0), BOSTON).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
            for day in firsts
        ]
        assert [line[:16] for line in lines] == expected, name
        if zone == "Europe/London":
            # London has left summer time on 31 Oct 2027, Boston not until 7 Nov: 15:00, not 16:00
            assert "2027-10-05 16:00" in expected and "2027-11-02 15:00" in expected


def test_the_series_warns_where_a_member_is_outside_working_hours(ok: Callable[..., Any]) -> None:
    ok("profile", "set", "--timezone", "America/New_York")
    ok("add-mentor", "Dr. Far Away", "--timezone", "Australia/Sydney", "--cadence", "monthly")
    result = ok("plan", "Far Away", "--when", "2027-01-12 11:00", "--repeat", "2")
    assert result.stderr.count("outside 08:00–18:00 for Dr. Far Away") == 2  # 03:00 in Sydney


def test_series_dates_are_whole_cadence_steps_in_utc_too() -> None:
    from mentorkit.domain.series import series_starts

    starts, skipped = series_starts("FREQ=WEEKLY", datetime(2027, 3, 9, 9, 0, tzinfo=BOSTON), BOSTON, 2, NOW)
    assert skipped == 0
    assert [s.astimezone(UTC).hour for s in starts] == [14, 13]  # 09:00 EST, then 09:00 EDT
    assert starts[1].astimezone(UTC) - starts[0].astimezone(UTC) == timedelta(days=7) - timedelta(hours=1)


def test_the_series_survives_a_json_export_and_import(ok: Callable[..., Any], db_path: Path, tmp_path: Path) -> None:
    _mentor(ok)
    ok("plan", "Lind", "--when", "2027-02-10 09:30", "--repeat", "2")
    series = {r["series"] for r in _meetings(db_path)}
    export = tmp_path / "board.json"
    ok("export", "-f", "json", "-o", str(export))
    other = tmp_path / "other.db"
    ok("--db", str(other), "import", str(export))
    assert {r["series"] for r in _meetings(other)} == series and len(_meetings(other)) == 2


# --- the group's calendar as a golden file -------------------------------------------------------

GOLDEN = Path(__file__).parent / "golden" / "mastermind.ics"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _numbered(text: str) -> str:
    """UUIDs as uuid-1, uuid-2... in order of first appearance, and no version in PRODID.
    (Folding is undone first: a UUID may be cut across two lines.)"""
    text = text.replace("\r\n ", "")
    seen: dict[str, str] = {}
    text = _UUID.sub(lambda m: seen.setdefault(m[0], f"uuid-{len(seen) + 1}"), text)
    return re.sub(r"PRODID:-//mentorkit//mentorkit [^/]+//EN", "PRODID:-//mentorkit//mentorkit VERSION//EN", text)


def test_the_groups_calendar_is_the_golden_file(ok: Callable[..., Any]) -> None:
    """Regenerate after an intended change: MENTORKIT_UPDATE_GOLDEN=1 pytest tests/test_series.py."""
    ok("profile", "set", "--name", "Maya Okafor", "--timezone", "America/New_York", "--email", "maya@example.org")
    members = [arg for name in ZONES for arg in ("--member", name)]
    ok("group", "add", "Mastermind", *members, "--cadence", "FREQ=MONTHLY;BYDAY=1TU")
    for name, zone in ZONES.items():
        emails = [] if name == "Dee Sydney" else ["--email", f"{name.split()[0].lower()}@example.org"]
        ok("edit", name, "--timezone", zone, *emails)  # a member without an email is no attendee
    ok(
        "plan",
        "--group",
        "Mastermind",
        "--when",
        "2027-03-02 11:00",
        "--repeat",
        "3",
        "--minutes",
        "60",
        "--agenda",
        "Hot seats",
    )
    ok("add-mentor", "Dr. One To One", "--email", "one@example.org")
    ok("plan", "One To One", "--when", "2027-03-03 09:00")  # not the group's: left out
    text = _numbered(ok("export", "-f", "ics", "--group", "Mastermind").stdout)
    if os.environ.get("MENTORKIT_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(text.encode())
    assert text == GOLDEN.read_bytes().decode()
