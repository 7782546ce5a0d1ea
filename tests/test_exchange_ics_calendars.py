"""Calendars that stay in step: alarms, attendees, day-only contacts, filters and the vdir."""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from exchange_helpers import seed
from mentorkit.exchange import ics
from mentorkit.store.db import open_store

icalendar = pytest.importorskip("icalendar")


def _calendar(ok, *args: str) -> Any:
    return icalendar.Calendar.from_ical(ok("export", "--format", "ics", *args).stdout)


def _export(path: Path, options: ics.IcsOptions) -> Any:
    out = io.StringIO()
    with open_store(path) as store, store.read() as conn:
        ics.export_ics(conn, out, options)
    return icalendar.Calendar.from_ical(out.getvalue())


def _event(cal: Any, part: str) -> Any:
    return next(e for e in cal.walk("VEVENT") if part in str(e["SUMMARY"]))


def _attendees(event: Any) -> list[Any]:
    value = event.get("ATTENDEE", [])
    return value if isinstance(value, list) else [value]


# --- day-only contacts ---------------------------------------------------------------------


def test_a_contact_logged_by_its_day_is_an_all_day_event(ok, db_path: Path) -> None:
    seed(db_path)
    ok("profile", "set", "--timezone", "Pacific/Auckland")
    ok("log", "Okafor", "--when", "3 days ago", "--mode", "email")
    ok("log", "Okafor", "--when", "yesterday 15:00", "--mode", "phone", "--minutes", "20")
    cal = _calendar(ok)
    email = _event(cal, "(email)")
    start = email.decoded("DTSTART")
    assert type(start) is date  # VALUE=DATE, not 12:00
    today = datetime.now(UTC).astimezone(__import__("zoneinfo").ZoneInfo("Pacific/Auckland")).date()
    assert start == today - timedelta(days=3)
    assert email.decoded("DTEND") == start + timedelta(days=1)
    assert str(email["TRANSP"]) == "TRANSPARENT" and "DURATION" not in email
    phone = _event(cal, "(phone)")
    assert isinstance(phone.decoded("DTSTART"), datetime) and phone.decoded("DTSTART").hour == 15
    assert phone.decoded("DURATION") == timedelta(minutes=20)


# --- alarms --------------------------------------------------------------------------------


def test_planned_meetings_alarm_the_configured_minutes_before(db_path: Path) -> None:
    seed(db_path)
    cal = _export(db_path, ics.IcsOptions(alarm_minutes=45))
    planned = _event(cal, "Okafor")
    (alarm,) = planned.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(minutes=45)
    assert str(alarm["DESCRIPTION"]) == "Mentoring with Prof. Chidi Okafor in 45 minutes"


def test_dated_followups_alarm_at_the_reminder_time_on_their_due_day(db_path: Path) -> None:
    seed(db_path)
    ok_options = ics.IcsOptions(remind_at=time(7, 30))
    todos = {str(t["SUMMARY"]): t for t in _export(db_path, ok_options).walk("VTODO")}
    aims = todos["Send revised aims (Dr. Teresa Alvarez)"]
    (alarm,) = aims.walk("VALARM")
    assert alarm["TRIGGER"].params["RELATED"] == "END"  # from DUE, the start of the due day
    assert alarm.decoded("TRIGGER") == timedelta(hours=7, minutes=30)
    assert aims.decoded("DUE") == date(2026, 3, 5)
    events = _export(db_path, ics.IcsOptions(todos_as_events=True, remind_at=time(7, 30)))
    aims_event = _event(events, "Send revised aims")
    (alarm,) = aims_event.walk("VALARM")
    assert "RELATED" not in alarm["TRIGGER"].params  # from DTSTART, the due day
    assert alarm.decoded("TRIGGER") == timedelta(hours=7, minutes=30)
    assert aims_event.decoded("DTSTART") == date(2026, 3, 5)


def test_the_alarms_follow_the_config_file(
    cli, ok, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(db_path)
    config = tmp_path / "config.toml"
    monkeypatch.setenv("MENTORKIT_CONFIG", str(config))
    ok("config", "set", "calendar.alarm", "1h30m")
    ok("config", "set", "remind.at", "07:15")
    cal = _calendar(ok, "--todos-as-events")
    (meeting_alarm,) = _event(cal, "Okafor").walk("VALARM")
    assert meeting_alarm.decoded("TRIGGER") == -timedelta(minutes=90)
    assert str(meeting_alarm["DESCRIPTION"]) == "Mentoring with Prof. Chidi Okafor in 90 minutes"
    (due_alarm,) = _event(cal, "Send revised aims").walk("VALARM")
    assert due_alarm.decoded("TRIGGER") == timedelta(hours=7, minutes=15)
    config.write_text("[calendar]\nalarm = 'soon'\n", encoding="utf-8")
    out = tmp_path / "cal.ics"
    result = cli("export", "-f", "ics", "-o", str(out))
    assert result.exit_code == 1 and "calendar.alarm" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not out.exists()


def test_an_undated_followup_has_no_alarm(ok, db_path: Path) -> None:
    seed(db_path)
    ok("followup", "add", "Alvarez", "Some day")
    todo = next(t for t in _calendar(ok).walk("VTODO") if "Some day" in str(t["SUMMARY"]))
    assert list(todo.walk("VALARM")) == []


# --- attendees and organizer -----------------------------------------------------------------


def test_mentor_meetings_have_the_mentor_as_attendee_and_me_as_organizer(ok, db_path: Path) -> None:
    seed(db_path)
    cal = _calendar(ok)
    assert "ORGANIZER" not in _event(cal, "Okafor")  # the profile has no email yet
    ok("profile", "set", "--email", "ana@example.org", "--name", 'Ana "AP" Pérez, MD')
    ok("edit", "Okafor", "--email", "chidi@example.ac.uk")
    cal = _calendar(ok)
    event = _event(cal, "Okafor")
    (attendee,) = _attendees(event)
    assert str(attendee) == "mailto:chidi@example.ac.uk"
    assert attendee.params["CN"] == "Prof. Chidi Okafor" and attendee.params["SCHEDULE-AGENT"] == "CLIENT"
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:ana@example.org"
    assert organizer.params["CN"] == 'Ana "AP" Pérez, MD'  # quotes and comma escaped, read back whole
    assert organizer.params["SCHEDULE-AGENT"] == "CLIENT"  # a CalDAV server never mails invitations


def test_group_meetings_list_the_members_with_an_email(ok, db_path: Path) -> None:
    seed(db_path)
    ok("profile", "set", "--email", "ana@example.org")
    cal = _calendar(ok)
    assert _attendees(_event(cal, "Writing circle")) == []
    assert "ORGANIZER" not in _event(cal, "Writing circle")  # nobody to organize
    ok("edit", "Jo Peer", "--email", "jo@example.org")
    ok("edit", "Kim Peer", "--email", "kim@example.org")
    event = _event(_calendar(ok), "Writing circle")
    assert [(a.params["CN"], str(a)) for a in _attendees(event)] == [
        ("Jo Peer", "mailto:jo@example.org"),
        ("Kim Peer", "mailto:kim@example.org"),
    ]
    assert str(event["ORGANIZER"]) == "mailto:ana@example.org"


# --- filters and notes ------------------------------------------------------------------------


def test_notes_stay_out_unless_asked_for(ok, db_path: Path) -> None:
    seed(db_path)
    text = ok("export", "-f", "ics").stdout
    held = _event(icalendar.Calendar.from_ical(text), "Alvarez")
    assert "Specific aims" in str(held["DESCRIPTION"])  # the agenda is shared
    assert "tighten aim 2" not in text and "Notes:" not in text
    with_notes = _event(_calendar(ok, "--with-notes"), "Alvarez")
    assert "Notes:\nTalked about aims;\n- tighten aim 2" in str(with_notes["DESCRIPTION"])


def test_a_group_calendar_holds_only_the_groups_records(ok, db_path: Path) -> None:
    seed(db_path)
    cal = _calendar(ok, "--group", "writing circle")
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Group: Writing circle (video)"]
    assert [str(t["SUMMARY"]) for t in cal.walk("VTODO")] == ["Draft intro (Writing circle)"]
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]  # only the zones it uses


def test_a_mentor_calendar_holds_only_their_meetings_and_followups(ok, db_path: Path) -> None:
    seed(db_path)
    cal = _calendar(ok, "--mentor", "Alvarez")
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Mentoring: Dr. Teresa Alvarez (video)"]
    assert {str(t["SUMMARY"]) for t in cal.walk("VTODO")} == {
        "Send revised aims (Dr. Teresa Alvarez)",
        "Waiting on Dr. Teresa Alvarez: Share the protocol",
    }


def test_since_keeps_meetings_from_that_day_and_followups_due_from_it(ok, db_path: Path) -> None:
    seed(db_path)
    ok("followup", "add", "Alvarez", "Undated")
    cal = _calendar(ok, "--since", "2026-03-06")
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Mentoring: Prof. Chidi Okafor (video)"]
    assert {str(t["SUMMARY"]) for t in cal.walk("VTODO")} == {
        "Waiting on Dr. Teresa Alvarez: Share the protocol",  # due 2026-03-20
        "Draft intro (Writing circle)",  # due 2026-03-09; "Send revised aims", due 03-05, is left out
        "Undated (Dr. Teresa Alvarez)",  # nothing to compare: kept
    }
    assert len(list(_calendar(ok, "--since", "2026-01-01").walk("VEVENT"))) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-f", "json", "--with-notes"), "--with-notes applies to --format ics"),
        (("-f", "csv", "--group", "Writing circle"), "--group applies to --format ics"),
        (("-f", "md", "--vdir", "cal"), "--vdir applies to --format ics"),
        (("-f", "ics", "--mentor", "Nobody at all"), "Nobody at all"),
        (("-f", "ics", "--group", "No such group"), "group"),
        (("-f", "ics", "--mentor", "Alvarez", "--group", "Writing circle"), "not both"),
        (("-f", "ics", "--since", "the other day"), "the other day"),
        (("-f", "ics", "--vdir", "cal", "-o", "x.ics"), "leave out -o"),
    ],
)
def test_bad_calendar_options_are_one_line_errors(
    cli, db_path: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    seed(db_path)
    os.chdir(tmp_path)
    result = cli("export", *args)
    assert result.exit_code == 1, result.stdout
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == "" and not (tmp_path / "cal").exists() and not (tmp_path / "x.ics").exists()


# --- the vdir ------------------------------------------------------------------------------------


def _ics_files(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.ics"))}


def test_vdir_has_one_private_file_per_record_named_by_its_uid(ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    vdir = tmp_path / "cal"
    result = ok("export", "-f", "ics", "--vdir", str(vdir))
    assert "3 events, 3 to-dos" in result.stderr and "6 written" in result.stderr
    files = _ics_files(vdir)
    assert len(files) == 6
    assert vdir.stat().st_mode & 0o777 == 0o700
    for name, text in files.items():
        assert (vdir / name).stat().st_mode & 0o777 == 0o600
        cal = icalendar.Calendar.from_ical(text)
        (component,) = [c for c in cal.subcomponents if c.name in ("VEVENT", "VTODO")]
        assert name == f"{component['UID']}.ics"
        assert cal.get_missing_tzids() == set()  # each file carries the zone it uses
    okafor = next(t for t in files.values() if "Okafor" in t)
    assert okafor.count("BEGIN:VTIMEZONE") == 1 and "TZID:America/New_York" in okafor
    again = ok("export", "-f", "ics", "--vdir", str(vdir))
    assert "0 written, 6 unchanged, 0 removed" in again.stderr  # vdirsyncer sees no change


def test_vdir_removes_only_the_files_it_wrote(ok, db_path: Path, tmp_path: Path) -> None:
    ids = seed(db_path)
    vdir = tmp_path / "cal"
    vdir.mkdir()
    foreign = vdir / "someone-else@example.org.ics"
    foreign.write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    lookalike = vdir / "00000000-0000-0000-0000-000000000000@mentorkit.ics"
    lookalike.write_text("not ours")
    ok("export", "-f", "ics", "--vdir", str(vdir))
    planned_uid = next(n for n, t in _ics_files(vdir).items() if "Okafor" in t)
    ok("meetings", "delete", str(ids["planned"]))
    result = ok("export", "-f", "ics", "--vdir", str(vdir))
    assert "1 removed" in result.stderr
    assert not (vdir / planned_uid).exists()
    assert foreign.read_bytes() == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" and lookalike.read_text() == "not ours"
    manifest = json.loads((vdir / ".mentorkit-vdir.json").read_text())
    assert set(manifest["files"]) == set(_ics_files(vdir)) - {foreign.name, lookalike.name}
    # a filter makes the other records' files go: the vdir mirrors the export
    ok("export", "-f", "ics", "--vdir", str(vdir), "--group", "Writing circle")
    assert set(_ics_files(vdir)) - {foreign.name, lookalike.name} == set(
        json.loads((vdir / ".mentorkit-vdir.json").read_text())["files"]
    )
    assert len(_ics_files(vdir)) == 4


def test_vdir_refuses_a_file_a_bad_manifest_and_a_link(cli, ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    plain = tmp_path / "plain"
    plain.write_text("x")
    result = cli("export", "-f", "ics", "--vdir", str(plain))
    assert result.exit_code in (1, 2) and "Traceback" not in result.stderr
    vdir = tmp_path / "cal"
    vdir.mkdir()
    (vdir / ".mentorkit-vdir.json").write_text("{broken")
    result = cli("export", "-f", "ics", "--vdir", str(vdir))
    assert result.exit_code == 1 and "manifest" in result.stderr
    assert list(vdir.glob("*.ics")) == []
    (vdir / ".mentorkit-vdir.json").unlink()
    ok("export", "-f", "ics", "--vdir", str(vdir))
    name = next(iter(_ics_files(vdir)))
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me")
    (vdir / name).unlink()
    (vdir / name).symlink_to(target)
    result = cli("export", "-f", "ics", "--vdir", str(vdir))
    assert result.exit_code == 1 and "not a regular file" in result.stderr
    assert target.read_text() == "keep me"


def test_an_empty_vdir_is_refused_not_read_as_the_working_directory(
    cli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--vdir "$CALDIR"` with the variable unset must not turn the working directory into a vdir."""
    seed(db_path)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for empty in ("", "  "):
        result = cli("export", "-f", "ics", "--vdir", empty)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == ["Error: --vdir needs a directory, such as --vdir ~/.calendars/mentorkit"]
    assert list(work.iterdir()) == []
    plain = tmp_path / "plain"
    plain.write_text("x")
    result = cli("export", "-f", "ics", "--vdir", str(plain))
    assert result.exit_code == 1 and "is not a directory" in result.stderr and plain.read_text() == "x"


def test_vdir_names_an_unsafe_uid_by_its_hash() -> None:
    from mentorkit.exchange.vdir import file_name

    assert (
        file_name("0f1c6272-27de-4162-a38b-13033771ffef@mentorkit")
        == "0f1c6272-27de-4162-a38b-13033771ffef@mentorkit.ics"
    )
    for uid in ("../../etc/passwd@mentorkit", ".hidden@mentorkit", "a/b@mentorkit", "x" * 300, "é@mentorkit"):
        name = file_name(uid)
        assert name.endswith(".ics") and "/" not in name and not name.startswith(".") and len(name) == 68


def test_khal_reads_the_vdir_and_sees_a_moved_and_a_deleted_meeting(ok, db_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("khal")
    from khal_helpers import khal, khal_config

    seed(db_path)
    vdir = tmp_path / "cal"
    config = khal_config(tmp_path / "khal", vdir, zone="Europe/London")
    moved = ok("plan", "Alvarez", "--when", "2027-01-12 15:00", "--tz", "Europe/London", "--json").json()
    dropped = ok("plan", "Okafor", "--when", "2027-01-14 10:00", "--tz", "Europe/London", "--json").json()
    ok("export", "-f", "ics", "--vdir", str(vdir))

    def listed() -> list[str]:
        result = khal(config, "list", "--format", "{start} {title}", "2027-01-01", "30d")
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    first = listed()
    assert "2027-01-12 15:00 Mentoring: Dr. Teresa Alvarez (video)" in first
    assert "2027-01-14 10:00 Mentoring: Prof. Chidi Okafor (video)" in first
    ok("meetings", "edit", str(moved["meeting"]["id"]), "--when", "2027-01-19 16:30", "--tz", "Europe/London")
    ok("meetings", "delete", str(dropped["meeting"]["id"]))
    result = ok("export", "-f", "ics", "--vdir", str(vdir))
    assert "1 written" in result.stderr and "1 removed" in result.stderr
    second = listed()
    assert "2027-01-19 16:30 Mentoring: Dr. Teresa Alvarez (video)" in second
    assert not any("Okafor" in line or line.startswith("2027-01-12") for line in second)


def test_a_meeting_in_another_year_leaves_the_other_files_as_they_are(ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    vdir = tmp_path / "cal"
    ok("export", "-f", "ics", "--vdir", str(vdir))
    before = _ics_files(vdir)
    ok("plan", "Okafor", "--when", "2031-05-06 10:00", "--tz", "America/New_York")
    result = ok("export", "-f", "ics", "--vdir", str(vdir))
    assert "1 written, 6 unchanged, 0 removed" in result.stderr  # a file's zone rules are its own year's
    after = _ics_files(vdir)
    assert {name: after[name] for name in before} == before
    new = icalendar.Calendar.from_ical(next(after[n] for n in after if n not in before))
    assert new.get_missing_tzids() == set() and "2030" in str(new.walk("VTIMEZONE")[0].to_ical())


# --- what stored text may not carry into a calendar ----------------------------------------


def test_control_characters_reach_a_calendar_only_as_escapes(ok, db_path: Path) -> None:
    """An ESC in a name (a store from before names refused them) or in notes is written as the
    visible escape a terminal shows; RFC 5545 excludes control characters from TEXT and parameter
    values, and khal refused the whole line."""
    seed(db_path)
    mentor = ok("add-mentor", "Esc Person", "--email", "esc@example.org", "--stage", "active").stdout.strip()
    with open_store(db_path) as store, store.write("test") as conn:
        conn.execute("UPDATE mentor SET name = ? WHERE name = 'Esc Person'", ("Esc\x1b[31mRed\x1b[0m Person",))
    ok("plan", f"#{mentor}", "--when", "in 3 days 10:00")
    ok("log", "Okafor", "--when", "yesterday 15:00", "--notes", "line one\nline \x1b[2J two\tend")
    text = ok("export", "--format", "ics", "--with-notes").stdout
    assert "\x1b" not in text
    cal = icalendar.Calendar.from_ical(text)
    event = _event(cal, "Red")
    assert str(event["SUMMARY"]) == "Mentoring: Esc\\x1b[31mRed\\x1b[0m Person (video)"
    (attendee,) = _attendees(event)
    assert attendee.params["CN"] == "Esc\\x1b[31mRed\\x1b[0m Person"
    notes = next(str(e["DESCRIPTION"]) for e in cal.walk("VEVENT") if "line one" in str(e.get("DESCRIPTION", "")))
    assert "line one\nline \\x1b[2J two\tend" in notes  # line breaks and tabs stay


def test_an_attendee_address_is_a_percent_encoded_mailto_uri(ok, db_path: Path) -> None:
    """A CAL-ADDRESS is a URI: in `mailto:` (RFC 6068) `?` starts headers, `#` a fragment and `%41`
    means `A`, so the address is encoded as `summary --mail` encodes it (one encoder for both)."""
    from mentorkit.delivery.handoff import mailto_url

    seed(db_path)
    odd = "zoe+tag?y#z%41@example.org"
    ok("add-mentor", "Zoe Test", "--email", odd, "--stage", "active")
    ok("plan", "Zoe", "--when", "in 3 days 10:00")
    (attendee,) = _attendees(_event(_calendar(ok), "Zoe Test"))
    assert str(attendee) == "mailto:zoe%2Btag%3Fy%23z%2541@example.org"
    assert mailto_url([odd], "", None) == str(attendee)
