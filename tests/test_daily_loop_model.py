"""A model-based test of the daily loop (issue 12): random sequences of what a person does, with a
clock that moves by minutes to months across DST changes, checked after every step against a
small model of what must be due that is kept apart from the code under test.

The model keeps its own record of mentors (stage, cadence, when the stage began) and meetings
(start, status, whether a time was given), and its own cadence arithmetic (days, weeks, months
with the day clamped to the month's end). After every step:

- an active or pilot mentor with a cadence has a check-in item, due the day the model computes
  from the last held contact (or the stage start), unless a meeting is planned no more than one
  cadence period from today; no one else has one;
- every planned meeting whose time has passed has a `record` item, and no other meeting does;
- no two held meetings of one mentor share a start;
- a cancelled or missed meeting is never upcoming and never a contact (the last contact the store
  reports is the model's latest held meeting);
- every item's `days_late` is the calendar difference, in the profile's zone, from its due day.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from mentorkit.domain.meetings import Logged
from mentorkit.errors import InvalidInput

ZONE = ZoneInfo("America/New_York")  # DST ends 1 Nov 2026 and starts 14 Mar 2027
START = datetime(2026, 10, 24, 13, 7, tzinfo=UTC)  # a Saturday morning, a week before the change
CADENCES = {"weekly": ("days", 7), "biweekly": ("days", 14), "every 10 days": ("days", 10), "monthly": ("months", 1)}
ADOPT = timedelta(hours=12)
STEPS = [timedelta(minutes=7), timedelta(hours=2), timedelta(hours=11), *(timedelta(days=n) for n in (1, 3, 8, 31, 95))]


def add_period(day: date, cadence: str) -> date:
    """The model's own cadence arithmetic."""
    unit, n = CADENCES[cadence]
    if unit == "days":
        return day + timedelta(days=n)
    month = day.month - 1 + n
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class MMentor:
    id: int
    stage: str
    cadence: str | None
    stage_at: datetime


@dataclass
class MMeeting:
    id: int
    mentor: int
    start: datetime
    status: str
    time_given: bool = True
    minutes: int | None = None
    mode: str = "video"


@dataclass
class World:
    mentors: dict[int, MMentor] = field(default_factory=dict)
    meetings: dict[int, MMeeting] = field(default_factory=dict)


class DailyLoop(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.world = World()
        self.now = START
        self.n = 0

    @initialize()
    def open(self) -> None:
        import tempfile

        from mentorkit.domain.profile import set_profile
        from mentorkit.store.db import open_store

        self.dir = tempfile.TemporaryDirectory()
        self.store = open_store(Path(self.dir.name) / "loop.db")
        with self.store.write() as conn:
            set_profile(conn, self.now, name="Maya", timezone="America/New_York")

    def teardown(self) -> None:
        if hasattr(self, "store"):
            self.store.close()
            self.dir.cleanup()

    # ---- what a person does --------------------------------------------------------------

    @rule(stage=st.sampled_from(["active", "pilot", "prospect"]), cadence=st.sampled_from([*CADENCES, None]))
    def add_mentor(self, stage: str, cadence: str | None) -> None:
        from mentorkit.domain.mentors import MentorFields, add_mentor

        self.n += 1
        with self.store.write() as conn:
            made = add_mentor(conn, self.now, ZONE, MentorFields(name=f"Mentor {self.n}", stage=stage, cadence=cadence))
        self.world.mentors[made.id] = MMentor(made.id, stage, cadence, self.now)

    @precondition(lambda self: self.world.mentors)
    @rule(data=st.data(), stage=st.sampled_from(["active", "pilot", "paused"]))
    def change_stage(self, data: st.DataObject, stage: str) -> None:
        from mentorkit.domain.mentors import get_mentor, set_stage

        m = data.draw(st.sampled_from(sorted(self.world.mentors)))
        if self.world.mentors[m].stage == stage:
            return
        with self.store.write() as conn:
            set_stage(conn, self.now, ZONE, get_mentor(conn, m), stage)
        self.world.mentors[m].stage, self.world.mentors[m].stage_at = stage, self.now

    @precondition(lambda self: self.world.mentors)
    @rule(
        data=st.data(),
        ahead=st.sampled_from(
            [timedelta(minutes=20), timedelta(hours=5), timedelta(days=2), timedelta(days=9), timedelta(days=50)]
        ),
    )
    def plan(self, data: st.DataObject, ahead: timedelta) -> None:
        from mentorkit.domain.meetings import plan_meeting

        m = data.draw(st.sampled_from(sorted(self.world.mentors)))
        start = self.now + ahead
        with self.store.write() as conn:
            made = plan_meeting(conn, self.now, starts_at=start, zone=ZONE, mentor_id=m).meeting
        self.world.meetings[made.id] = MMeeting(made.id, m, start, "planned", minutes=30)

    @precondition(lambda self: self.world.mentors)
    @rule(
        data=st.data(),
        when=st.sampled_from(["now", "timed", "day"]),
        back=st.sampled_from([timedelta(0), timedelta(hours=3), timedelta(days=1), timedelta(days=4)]),
        mode=st.sampled_from(["video", "email"]),
        again=st.booleans(),
    )
    def log(self, data: st.DataObject, when: str, back: timedelta, mode: str, again: bool) -> None:
        """`log` with no --when, with a time, or with a day only (12:00 that day in the zone);
        `again`: the same command typed a second time, which must not make a second meeting at
        the same start (it adds to the first when its moment falls within it)."""
        from mentorkit.dates import localize

        m = data.draw(st.sampled_from(sorted(self.world.mentors)))
        if when == "now":
            given, time_given = None, True
        elif when == "timed":
            given, time_given = (self.now - back).replace(second=0), True
        else:
            day = (self.now - back).astimezone(ZONE).date()
            given, time_given = localize(datetime.combine(day, time(12)), ZONE), False
            if given > self.now + timedelta(minutes=10):
                return  # noon today has not come yet: the CLI refuses it too
        first = self._log(m, given, time_given, mode)
        if again:  # typed twice: never a second meeting at the same start
            second = self._log(m, given, time_given, mode)
            assert second.added_to or second.meeting.starts_at != first.meeting.starts_at

    def _log(self, m: int, given: datetime | None, time_given: bool, mode: str) -> Logged:
        from mentorkit.domain.meetings import log_meeting

        moment = given or self.now
        plans = [
            p
            for p in self.world.meetings.values()
            if p.mentor == m and p.status == "planned" and abs(p.start - moment) <= ADOPT
        ]
        plan = min(plans, key=lambda p: (abs(p.start - moment), p.id), default=None)
        keep = plan is not None and plan.start <= self.now and not (given is not None and time_given)
        expected = plan.start if keep and plan is not None else moment
        with self.store.write() as conn:
            logged = log_meeting(
                conn, self.now, starts_at=given, zone=ZONE, mentor_id=m, mode=mode, time_given=time_given
            )
        meeting = logged.meeting
        assert meeting.status == "held"
        if logged.added_to:
            assert meeting.id in self.world.meetings and self.world.meetings[meeting.id].status == "held"
            return logged
        assert meeting.starts_at == expected, (meeting.starts_at, expected)  # a plan keeps its start
        if plan is not None:
            assert logged.adopted_plan and meeting.id == plan.id
            plan.status, plan.start, plan.time_given, plan.mode = "held", expected, keep or time_given, mode
        else:
            assert not logged.adopted_plan
            self.world.meetings[meeting.id] = MMeeting(meeting.id, m, expected, "held", time_given, mode=mode)
        return logged

    @precondition(lambda self: any(x.status == "planned" for x in self.world.meetings.values()))
    @rule(data=st.data(), status=st.sampled_from(["held", "cancelled", "missed"]))
    def mark(self, data: st.DataObject, status: str) -> None:
        from mentorkit.domain.meetings import set_status

        planned = sorted(x.id for x in self.world.meetings.values() if x.status == "planned")
        meeting = self.world.meetings[data.draw(st.sampled_from(planned))]

        def holds(x: MMeeting) -> bool:  # x already records this contact: same start, or its span
            if x.id == meeting.id or x.mentor != meeting.mentor or x.status != "held":
                return False
            span = timedelta(minutes=x.minutes or 0)
            inside = x.time_given and x.mode == meeting.mode and x.start < meeting.start < x.start + span
            return x.start == meeting.start or inside

        clash = any(holds(x) for x in self.world.meetings.values())
        refused = status == "held" and (meeting.start > self.now + timedelta(minutes=10) or clash)
        with self.store.write() as conn:
            try:
                set_status(conn, self.now, meeting.id, status)
            except InvalidInput:
                assert refused
                return
        assert not refused
        meeting.status = status

    @precondition(lambda self: self.world.mentors)
    @rule(data=st.data(), due_in=st.integers(-5, 20), done=st.booleans())
    def followup(self, data: st.DataObject, due_in: int, done: bool) -> None:
        from mentorkit.domain.followups import add_followup, close_followup

        m = data.draw(st.sampled_from(sorted(self.world.mentors)))
        today = self.now.astimezone(ZONE).date()
        with self.store.write() as conn:
            item = add_followup(conn, self.now, text="Send it", due=today + timedelta(days=due_in), mentor_id=m)
            if done:
                close_followup(conn, self.now, item, "done")

    @precondition(lambda self: any(x.status == "held" for x in self.world.meetings.values()))
    @rule(data=st.data())
    def summary_sent(self, data: st.DataObject) -> None:
        from mentorkit.domain.meetings import mark_summary_sent

        held = sorted(x.id for x in self.world.meetings.values() if x.status == "held")
        with self.store.write() as conn:
            mark_summary_sent(conn, self.now, data.draw(st.sampled_from(held)))

    @rule(step=st.sampled_from(STEPS))
    def advance(self, step: timedelta) -> None:
        self.now += step

    # ---- what must hold ------------------------------------------------------------------

    @invariant()
    def the_list_is_what_the_model_says(self) -> None:
        if not hasattr(self, "store"):
            return
        from mentorkit.domain.followups import due_items
        from mentorkit.domain.meetings import list_meetings
        from mentorkit.domain.mentors import list_mentors

        today = self.now.astimezone(ZONE).date()
        with self.store.read() as conn:
            items = due_items(conn, self.now, ZONE, show_all=True)
            upcoming = list_meetings(conn, self.now, upcoming=True, limit=None)
            starts = conn.execute(
                "SELECT mentor_id, starts_at, count(*) FROM meeting WHERE status = 'held' GROUP BY 1, 2 HAVING count(*) > 1"
            ).fetchall()
            last_contacts = {m.id: m.last_contact for m in list_mentors(conn)}
        for item in items:
            if item.due is not None:
                assert item.days_late == (today - item.due).days, item
        assert starts == [], "two held meetings of one mentor share a start"
        assert all(m.status == "planned" for m in upcoming)

        meetings = self.world.meetings.values()
        expected_records = {x.id for x in meetings if x.status == "planned" and x.start < self.now}
        assert {i.meeting_id for i in items if i.kind == "record"} == expected_records

        expected_check_ins: dict[int, date] = {}
        for m in self.world.mentors.values():
            held = [x.start for x in meetings if x.mentor == m.id and x.status == "held"]
            last = max(held, default=None)
            assert last_contacts[m.id] == last, (m, last_contacts[m.id], last)
            if m.stage not in ("active", "pilot") or m.cadence is None:
                continue
            due = add_period((last or m.stage_at).astimezone(ZONE).date(), m.cadence)
            window_end = add_period(today, m.cadence)
            planned = [x.start for x in meetings if x.mentor == m.id and x.status == "planned" and x.start >= self.now]
            if planned and min(planned).astimezone(ZONE).date() <= window_end:
                continue
            expected_check_ins[m.id] = due
        check_ins = {i.mentor_id: i.due for i in items if i.kind == "check-in"}
        assert check_ins == expected_check_ins


TestDailyLoop = DailyLoop.TestCase
TestDailyLoop.settings = settings(
    max_examples=12,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(autouse=True)
def _quiet_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
