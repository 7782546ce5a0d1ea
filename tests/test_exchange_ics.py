"""iCalendar export: parsed back with icalendar, and imported into a real calendar client (khal)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from exchange_helpers import seed

icalendar = pytest.importorskip("icalendar")


def _calendar(ok, *args: str) -> tuple[object, str]:
    text = ok("export", "--format", "ics", *args).stdout
    return icalendar.Calendar.from_ical(text), text


def test_meetings_are_events_in_their_own_zone_with_vtimezones(ok, db_path: Path) -> None:
    seed(db_path)
    cal, _ = _calendar(ok)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 3
    planned = next(e for e in events if "Okafor" in str(e["SUMMARY"]))
    start = planned.decoded("DTSTART")
    assert str(start.tzinfo) == "America/New_York" and start.hour == 13
    assert start.astimezone(UTC) == datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
    assert planned.decoded("DURATION") == timedelta(minutes=30)
    assert {tz["TZID"] for tz in cal.walk("VTIMEZONE")} == {"America/New_York", "Europe/London"}
    assert cal.get_missing_tzids() == set()
    for event in events:
        assert str(event["UID"]).endswith("@mentorkit")
        assert isinstance(event.decoded("DTSTAMP"), datetime)


def test_only_planned_meetings_have_an_alarm(ok, db_path: Path) -> None:
    seed(db_path)
    cal, _ = _calendar(ok)
    for event in cal.walk("VEVENT"):
        alarms = list(event.walk("VALARM"))
        if "Pilot check-in" in str(event.get("DESCRIPTION")):
            assert len(alarms) == 1 and alarms[0].decoded("TRIGGER") == -timedelta(minutes=15)
        else:
            assert alarms == []


def test_open_followups_are_todos_with_due_dates(ok, db_path: Path) -> None:
    seed(db_path)
    closed = ok("followup", "add", "Alvarez", "Closed item", "--due", "2026-04-01", "--json").json()
    ok("followup", "done", str(closed["id"]))
    cal, _ = _calendar(ok)
    todos = {str(t["SUMMARY"]): t for t in cal.walk("VTODO")}
    assert len(todos) == 3 and not any("Closed item" in s for s in todos)
    aims = todos["Send revised aims (Dr. Teresa Alvarez)"]
    assert aims.decoded("DUE") == date(2026, 3, 5) and str(aims["STATUS"]) == "NEEDS-ACTION"
    assert "Waiting on Dr. Teresa Alvarez: Share the protocol" in todos


def test_uids_are_stable_across_exports(ok, db_path: Path) -> None:
    seed(db_path)
    first = {str(c["UID"]) for c in _calendar(ok)[0].walk() if "UID" in c}
    ok("add-mentor", "Someone New")
    second = {str(c["UID"]) for c in _calendar(ok)[0].walk() if "UID" in c}
    assert first == second and len(first) == 6


def test_todos_as_events_for_google(ok, db_path: Path) -> None:
    seed(db_path)
    ok("followup", "add", "Alvarez", "Undated item")
    cal, _ = _calendar(ok, "--todos-as-events")
    assert list(cal.walk("VTODO")) == []
    allday = [e for e in cal.walk("VEVENT") if isinstance(e.decoded("DTSTART"), date)
              and not isinstance(e.decoded("DTSTART"), datetime)]  # fmt: skip
    assert len(allday) == 3
    assert all(str(e["TRANSP"]) == "TRANSPARENT" for e in allday)
    assert not any("Undated item" in str(e["SUMMARY"]) for e in cal.walk("VEVENT"))


def test_cancelled_meeting_is_marked_cancelled(ok, db_path: Path) -> None:
    ids = seed(db_path)
    ok("meetings", "mark", str(ids["planned"]), "cancelled")
    cal, _ = _calendar(ok)
    event = next(e for e in cal.walk("VEVENT") if "Okafor" in str(e["SUMMARY"]))
    assert str(event["STATUS"]) == "CANCELLED" and "[cancelled]" in str(event["SUMMARY"])
    assert list(event.walk("VALARM")) == []


def test_export_to_a_file_is_private(ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    target = tmp_path / "mentoring.ics"
    ok("export", "-f", "ics", "-o", str(target), "--force")
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


# --- khal: a real calendar client ------------------------------------------------------------


def _khal(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "khal", "-c", str(config), *args], capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip


@pytest.fixture
def khal_config(tmp_path: Path) -> tuple[Path, Path]:
    pytest.importorskip("khal")
    calendar = tmp_path / "khal" / "calendar"
    calendar.mkdir(parents=True)
    config = tmp_path / "khal" / "config"
    config.write_text(
        f"""[calendars]
[[mentorkit]]
path = {calendar}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC

[sqlite]
path = {tmp_path / "khal" / "khal.db"}
""",
        encoding="utf-8",
    )
    return config, calendar


def test_khal_imports_the_calendar(ok, db_path: Path, tmp_path: Path, khal_config: tuple[Path, Path]) -> None:
    config, calendar = khal_config
    ids = seed(db_path)
    export = tmp_path / "mentoring.ics"
    ok("export", "-f", "ics", "-o", str(export), "--force")
    imported = _khal(config, "import", "--batch", str(export))
    assert imported.returncode == 0, imported.stderr
    listed = _khal(config, "list", "--format", "{start} {title}", "2026-02-01", "60d")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    # The planned meeting: 13:00 New York time is 17:00 UTC (khal's zone here)
    assert "2026-03-10 17:00 Mentoring: Prof. Chidi Okafor (video)" in lines
    # Logged 2026-02-20 13:00 London time (GMT) stays 13:00 UTC
    assert "2026-02-20 13:00 Mentoring: Dr. Teresa Alvarez (video)" in lines
    assert any("Group: Writing circle (video)" in line for line in lines)
    assert len(list(calendar.glob("*.ics"))) == 3  # khal keeps events; it has no to-dos

    # a re-export imported again updates the same events instead of adding copies
    ok("meetings", "mark", str(ids["planned"]), "cancelled")
    ok("export", "-f", "ics", "-o", str(export), "--force")
    again = _khal(config, "import", "--batch", str(export))
    assert again.returncode == 0, again.stderr
    assert len(list(calendar.glob("*.ics"))) == 3
    relisted = _khal(config, "list", "--format", "{start} {title}", "2026-02-01", "60d").stdout.splitlines()
    assert "2026-03-10 17:00 Mentoring: Prof. Chidi Okafor (video) [cancelled]" in relisted


def test_khal_shows_followups_as_events(ok, db_path: Path, tmp_path: Path, khal_config: tuple[Path, Path]) -> None:
    config, _ = khal_config
    seed(db_path)
    export = tmp_path / "google.ics"
    ok("export", "-f", "ics", "--todos-as-events", "-o", str(export))
    assert _khal(config, "import", "--batch", str(export)).returncode == 0
    listed = _khal(config, "list", "--format", "{start-date} {title}", "2026-03-01", "30d").stdout
    assert "2026-03-05 Send revised aims (Dr. Teresa Alvarez)" in listed
    assert "2026-03-20 Waiting on Dr. Teresa Alvarez: Share the protocol" in listed
