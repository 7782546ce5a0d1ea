"""Case 10: time zones. The instant stored and the instant shown are the same instant.

Hypothesis picks any IANA zone for me, for the mentor and for the typed time, and wall times on
and around that zone's transitions (DST gaps and folds, and changes of standard offset). The
expected instant is computed independently with PEP 495 (`fold=0`: a time in a gap moves forward
by the gap, a repeated time is the first one), then compared with the UTC text in the meeting
table, with `--json`, and with the human display, which must name that instant and no other.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import pytest
import time_machine
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from mentorkit.clock import DB_FORMAT, from_db, to_db
from reliability_helpers import query

STORE_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
# "Thu 3 Dec 2026 15:00 CST (16:00 EST for Ada)" or "(Fri 4 Dec 08:00 AEDT for Ada)"
SHOWN = re.compile(
    r"on \w{3} (?P<day>\d{1,2}) (?P<mon>\w{3}) (?P<year>\d{4}) (?P<hm>\d{2}:\d{2}) (?P<abbr>\S+?)"
    r"(?: \((?:\w{3} (?P<tday>\d{1,2}) (?P<tmon>\w{3}) (?P<tyear>\d{4}) )?(?P<thm>\d{2}:\d{2}) (?P<tabbr>\S+) for \w+\))?\."
)


@cache
def all_zones() -> list[str]:
    names = []
    for name in sorted(available_timezones()):
        try:
            ZoneInfo(name)
        except Exception:
            continue
        if "/" in name or name == "UTC":
            names.append(name)
    return names


@cache
def transitions(zone: ZoneInfo, year: int) -> list[datetime]:
    """The UTC instants in `year` when the zone's offset changes (to the minute)."""
    found = []
    start = datetime(year, 1, 1, tzinfo=UTC)
    for day in range(366):
        a, b = start + timedelta(days=day), start + timedelta(days=day + 1)
        if a.astimezone(zone).utcoffset() == b.astimezone(zone).utcoffset():
            continue
        lo, hi = a, b
        while hi - lo > timedelta(minutes=1):
            mid = lo + (hi - lo) / 2
            if mid.astimezone(zone).utcoffset() == a.astimezone(zone).utcoffset():
                lo = mid
            else:
                hi = mid
        found.append(hi.replace(second=0, microsecond=0))
    return found


@cache
def zones_with_transitions() -> list[str]:
    return [name for name in all_zones() if transitions(ZoneInfo(name), 2024) or transitions(ZoneInfo(name), 1995)]


@st.composite
def wall_times(draw: st.DrawFn) -> tuple[str, datetime]:
    """(zone name, naive wall time): a quarter each inside a gap, inside a fold, within 90 minutes
    of an offset change, and anywhere in the year."""
    year = draw(st.integers(1975, 2045))
    aim = draw(st.sampled_from(["gap", "fold", "near", "anywhere"]))
    if aim != "anywhere":
        name = draw(st.sampled_from(zones_with_transitions()))
        zone = ZoneInfo(name)
        changes = transitions(zone, year)
        if aim != "near":  # a change that skips (gap) or repeats (fold) wall times
            step = {
                c: c.astimezone(zone).utcoffset() - (c - timedelta(minutes=1)).astimezone(zone).utcoffset()
                for c in changes
            }
            changes = [c for c in changes if (step[c] > timedelta(0)) == (aim == "gap")]
        if changes:
            change = draw(st.sampled_from(changes))
            after = change.astimezone(zone).replace(tzinfo=None)  # first wall time of the new offset
            if aim == "near":
                return name, after + timedelta(minutes=draw(st.integers(-90, 90)))
            size = int(abs(step[change]).total_seconds() // 60)
            start = after - timedelta(minutes=size) if aim == "gap" else after  # gap: skipped; fold: repeated
            return name, start + timedelta(minutes=draw(st.integers(0, size - 1)))
    else:
        name = draw(st.sampled_from(all_zones()))
    wall = draw(st.datetimes(datetime(year, 1, 1), datetime(year, 12, 31, 23, 59)))
    return name, wall.replace(second=0, microsecond=0)


def expected_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """PEP 495: fold=0 is the first of a repeated time and, in a gap, the time before it."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _kind(wall: datetime, zone: ZoneInfo) -> str:
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return "plain wall time"
    exists = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall
    return "repeated wall time (fold)" if exists else "missing wall time (gap)"


def _label_fits(local: datetime, label: str) -> bool:
    """'EST' names the zone's abbreviation; 'UTC+04:00' names the offset."""
    if m := re.fullmatch(r"UTC([+-])(\d{2}):(\d{2})", label):
        sign = 1 if m[1] == "+" else -1
        return local.utcoffset() == sign * timedelta(hours=int(m[2]), minutes=int(m[3]))
    return local.tzname() == label


def instants_named(day: int, mon: str, year: int, hm: str, abbr: str, zone: ZoneInfo) -> set[datetime]:
    """Every instant a reader could take '3 Dec 2026 15:00 CST' in `zone` to mean."""
    wall = datetime.strptime(f"{day} {mon} {year} {hm}", "%d %b %Y %H:%M")
    named = set()
    for fold in (0, 1):
        moment = wall.replace(tzinfo=zone, fold=fold)
        utc = moment.astimezone(UTC)
        back = utc.astimezone(zone)
        if back.replace(tzinfo=None) == wall and _label_fits(back, abbr):
            named.add(utc)
    return named


def _check_display(stderr: str, instant: datetime, mine: ZoneInfo, theirs: ZoneInfo) -> None:
    m = SHOWN.search(stderr)
    assert m, stderr
    assert instants_named(int(m["day"]), m["mon"], int(m["year"]), m["hm"], m["abbr"], mine) == {instant}, stderr
    if m["thm"]:  # the mentor's wall time, shown when it differs from mine
        local = instant.astimezone(theirs)
        day, mon = (int(m["tday"]), m["tmon"]) if m["tday"] else (int(m["day"]), m["mon"])
        year = int(m["tyear"]) if m["tday"] else int(m["year"])
        assert not m["tday"] or year == local.year, stderr
        assert instants_named(day, mon, year, m["thm"], m["tabbr"], theirs) == {instant}, stderr
    else:
        shown_mine = instant.astimezone(mine)
        shown_theirs = instant.astimezone(theirs)
        assert shown_mine.utcoffset() == shown_theirs.utcoffset(), stderr


@pytest.fixture
def fast(ok, monkeypatch):
    return ok


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(
    typed=("America/New_York", datetime(2026, 3, 8, 2, 30)),
    my_zone="Europe/London",
    their_zone="America/Los_Angeles",
    as_offset=False,
)  # a gap: 02:30 does not exist
@example(
    typed=("America/New_York", datetime(2026, 11, 1, 1, 30)),
    my_zone="America/New_York",
    their_zone="Asia/Kolkata",
    as_offset=False,
)  # a fold: 01:30 happens twice
@example(
    typed=("Australia/Lord_Howe", datetime(2026, 4, 5, 1, 45)),
    my_zone="Australia/Lord_Howe",
    their_zone="Pacific/Chatham",
    as_offset=False,
)  # a half-hour fold
@example(
    typed=("Europe/Moscow", datetime(2014, 10, 26, 1, 30)),
    my_zone="Europe/Moscow",
    their_zone="Europe/Moscow",
    as_offset=False,
)  # a fold where both sides are "MSK"
@given(
    typed=wall_times(),
    my_zone=st.sampled_from(all_zones()),
    their_zone=st.sampled_from(all_zones()),
    as_offset=st.booleans(),
)
def test_planned_and_logged_instants_are_stored_and_shown_as_the_same_instant(
    fast, tmp_path, typed: tuple[str, datetime], my_zone: str, their_zone: str, as_offset: bool
) -> None:
    db = tmp_path / f"zones-{uuid.uuid4().hex}.db"  # a fresh store for each example

    def ok(*args: str):
        return fast("--db", str(db), *args)

    zone_name, wall = typed
    zone = ZoneInfo(zone_name)
    instant = expected_instant(wall, zone)
    if as_offset:  # the same instant typed with an explicit UTC offset instead of --tz
        when, tz_args = instant.astimezone(zone).isoformat(timespec="minutes"), []
    else:
        when, tz_args = f"{wall:%Y-%m-%d %H:%M}", ["--tz", zone_name]
    stored_text = instant.strftime(DB_FORMAT)
    event(_kind(wall, zone))

    with time_machine.travel(instant - timedelta(days=3), tick=False):
        ok("profile", "set", "--timezone", my_zone)
        ok("add-mentor", "Ada Lovelace", "--timezone", their_zone)
        planned = ok("plan", "Ada", "--when", when, *tz_args)
        as_json = ok("plan", "Ada", "--when", when, *tz_args, "--json").json()
    meeting_id = int(planned.stdout.strip())
    assert query(db, "SELECT starts_at FROM meeting WHERE id = ?", (meeting_id,)) == [(stored_text,)]
    assert as_json["meeting"]["starts_at"] == stored_text
    _check_display(planned.stderr, instant, ZoneInfo(my_zone), ZoneInfo(their_zone))

    with time_machine.travel(instant + timedelta(days=3), tick=False):
        ok("add-mentor", "Bob Noyce", "--timezone", their_zone)
        logged = ok("log", "Bob", "--when", when, *tz_args)
        listed = ok("meetings", "--mentor", "Bob", "--json").json()
    logged_id = int(logged.stdout.strip())
    assert query(db, "SELECT starts_at FROM meeting WHERE id = ?", (logged_id,)) == [(stored_text,)]
    assert [(m["id"], m["starts_at"]) for m in listed] == [(logged_id, stored_text)]
    _check_display(logged.stderr, instant, ZoneInfo(my_zone), ZoneInfo(their_zone))


def test_every_instant_in_the_store_is_utc_text(ok, db_path) -> None:
    """After planning and logging across zones, every *_at column holds `YYYY-MM-DDTHH:MM:SSZ`."""
    ok("add-mentor", "Ada Lovelace")
    ok("profile", "set", "--timezone", "Australia/Lord_Howe")  # a half-hour DST shift
    ok("edit", "Ada", "--timezone", "America/St_Johns")
    ok("plan", "Ada", "--when", "in 2 weeks 10:30", "--tz", "Asia/Kathmandu")
    ok("log", "Ada", "--when", "yesterday 15:00", "--followup", "send the aims", "--advice", "write daily")
    ok("followup", "add", "Ada", "read the paper", "--due", "friday")
    checked = 0
    tables = [r[0] for r in query(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        columns = [r[1] for r in query(db_path, f"PRAGMA table_info({table})") if r[1].endswith("_at")]
        for column in columns:
            for (value,) in query(db_path, f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"):
                assert STORE_INSTANT.match(value), (table, column, value)
                checked += 1
    assert checked >= 10


aware = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.sampled_from(all_zones()).map(ZoneInfo)
)


@given(moment=aware)
def test_to_db_keeps_the_instant(moment: datetime) -> None:
    assert from_db(to_db(moment)) == moment.astimezone(UTC).replace(microsecond=0)


@given(naive=st.datetimes())
def test_naive_datetimes_never_reach_the_store(naive: datetime) -> None:
    with pytest.raises(ValueError, match="naive"):
        to_db(naive)


def test_a_repeated_wall_time_with_one_abbreviation_is_shown_with_its_offset() -> None:
    """Moscow moved from +04 to +03 on 26 Oct 2014 and called both MSK: show the offset then."""
    from mentorkit.dates import format_meeting_time

    moscow, london = ZoneInfo("Europe/Moscow"), ZoneInfo("Europe/London")
    first, second = datetime(2014, 10, 25, 21, 30, tzinfo=UTC), datetime(2014, 10, 25, 22, 30, tzinfo=UTC)
    assert format_meeting_time(first, moscow, None) == "Sun 26 Oct 2014 01:30 UTC+04:00"
    assert (
        format_meeting_time(second, moscow, london, "Ada")
        == "Sun 26 Oct 2014 01:30 UTC+03:00 (Sat 25 Oct 2014 23:30 BST for Ada)"
    )
    # an ordinary fold keeps its abbreviations, which already differ
    assert format_meeting_time(datetime(2026, 11, 1, 6, 30, tzinfo=UTC), ZoneInfo("America/New_York"), None).endswith(
        "01:30 EST"
    )
