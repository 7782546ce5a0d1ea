"""`mentorkit demo`: a realistic example board, so a newcomer sees every feature at once.

Maya Okafor, an assistant professor of emergency medicine on the US west coast, keeps a board of
a remote research mentor three time zones away, a local promotion mentor, a pilot teaching mentor,
a prospect for the personal-goals gap, an ended relationship with a red flag, and a near-peer
mastermind group, with six months of meetings, follow-ups and advice relative to `now`; goals
with milestones in three arenas (the personal one without a mentor), a sponsor, and a mentoring
agreement whose review is due.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from mentorkit.clock import to_db
from mentorkit.dates import get_zone, localize
from mentorkit.domain.arenas import add_arena
from mentorkit.domain.flags import add_flag
from mentorkit.domain.followups import add_followup, close_followup
from mentorkit.domain.groups import add_group
from mentorkit.domain.meetings import log_meeting, mark_summary_sent, plan_meeting, set_status
from mentorkit.domain.mentors import MentorFields, add_mentor, get_mentor, set_stage
from mentorkit.domain.pitches import draft_pitch, mark_sent
from mentorkit.domain.profile import get_profile, set_profile
from mentorkit.errors import InvalidInput

ZONE = "America/Los_Angeles"


@dataclass
class DemoResult:
    mentors: int
    meetings: int
    followups: int
    advice: int


def store_is_empty(conn: sqlite3.Connection) -> bool:
    for table in ("mentor", "meeting", "followup", "advice", "pitch", "mgroup", "profile"):
        if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
            return False
    return True


def fill_demo(conn: sqlite3.Connection, now: datetime) -> DemoResult:
    if not store_is_empty(conn):
        raise InvalidInput(
            "the store already holds data, and the demo only fills an empty one; try `mentorkit --db demo.db demo`"
        )
    zone = get_zone(ZONE)
    today = now.astimezone(zone).date()

    def at(days: int, hour: int, minute: int = 0) -> datetime:
        day = today + timedelta(days=days)
        while day.weekday() >= 5:  # meetings fall on weekdays: back to Friday, or on to Monday
            day += timedelta(days=-1 if days < 0 else 1)
        return localize(datetime.combine(day, time(hour, minute)), zone)

    start = now - timedelta(days=200)
    set_profile(
        conn,
        start,
        name="Maya Okafor",
        role="Assistant Professor of Emergency Medicine",
        institution="Bayview University School of Medicine",
        timezone=ZONE,
        date_order="MDY",
        email="maya.okafor@bayview.example.edu",
        story=("I study why older adults return to the ED after discharge; my clinic cut those returns by a fifth."),
        stories=["personal=I am a new attending and a new parent."],
        goals=[
            "research=to submit a K23 award by June 2027",
            "career=to build my dossier for associate professor on the clinician-educator track",
            "personal=to protect two evenings a week and stop answering email after 9 pm",
        ],
    )
    add_arena(conn, start, "teaching", "Teaching, curriculum and learner assessment")

    def mentor(fields: MentorFields, added_days_ago: int) -> int:
        return add_mentor(conn, now - timedelta(days=added_days_ago), zone, fields).id

    teresa = mentor(
        MentorFields(
            name="Dr. Teresa Alvarez",
            email="talvarez@hopkins.example.edu",
            institution="Johns Hopkins University",
            location="Baltimore, MD",
            timezone="America/New_York",
            local=False,
            stage="active",
            cadence="monthly",
            source="the SAEM annual meeting",
            channels=["video", "email"],
            arenas=["research"],
            tags=["health services research", "K awards", "geriatric EM"],
            notes="Prefers a one-page update 48 hours before each call.",
        ),
        180,
    )
    james = mentor(
        MentorFields(
            name="Dr. James Whitfield",
            email="jwhitfield@bayview.example.edu",
            institution="Bayview University School of Medicine",
            location="San Francisco, CA",
            timezone=ZONE,
            local=True,
            stage="active",
            cadence="quarterly",
            source="my department chair",
            channels=["in-person"],
            arenas=["career", "teaching"],
            tags=["promotion committee", "educator track"],
        ),
        190,
    )
    samuel = mentor(
        MentorFields(
            name="Dr. Samuel Osei",
            email="sosei@rush.example.edu",
            institution="Rush University",
            location="Chicago, IL",
            timezone="America/Chicago",
            local=False,
            stage="pilot",
            pilot_weeks=8,
            cadence="biweekly",
            source="a FOAMed blog",
            channels=["video"],
            arenas=["teaching"],
            tags=["simulation", "medical education"],
        ),
        60,
    )
    priya = mentor(
        MentorFields(
            name="Dr. Priya Raman",
            email="priya.raman@example.org",
            institution="Guy's and St Thomas'",
            location="London, UK",
            timezone="Europe/London",
            local=False,
            stage="prospect",
            source="a wellness-in-medicine podcast",
            hook="I loved your podcast episode on protecting time at home",
            arenas=["personal"],
            tags=["wellness", "parenting in medicine"],
        ),
        20,
    )
    helen = mentor(
        MentorFields(
            name="Dr. Helen Park",
            institution="Bayview University School of Medicine",
            timezone=ZONE,
            local=True,
            stage="active",
            arenas=["research"],
            tags=["biostatistics"],
            source="a colleague",
        ),
        170,
    )
    for name, inst in (
        ("Dr. Ana Souza", "Bayview University School of Medicine"),
        ("Dr. Ben Carter", "Oregon Health & Science University"),
        ("Dr. Lena Fischer", "University of Washington"),
    ):
        mentor(MentorFields(name=name, institution=inst, kind="peer", stage="active", timezone=ZONE), 150)

    meetings = 0

    def log(
        who: int,
        days: int,
        hour: int,
        mode: str,
        notes: str,
        *,
        minutes: int = 30,
        sent: bool = True,
        advice: list[str] | None = None,
        followups: list[str] | None = None,
        due_days: int | None = None,
        owner: str = "me",
        group: int | None = None,
        agenda: str | None = None,
    ) -> int:
        nonlocal meetings
        when = at(days, hour)
        logged = log_meeting(
            conn,
            when + timedelta(hours=2),
            starts_at=when,
            zone=zone,
            mentor_id=None if group else who,
            group_id=group,
            mode=mode,
            minutes=minutes,
            notes=notes,
            agenda=agenda,
            advice=advice,
            followups=followups,
            due=None if due_days is None else today + timedelta(days=due_days),
            owner=owner,
        )
        if sent:
            mark_summary_sent(conn, when + timedelta(hours=20), logged.meeting.id)
        meetings += 1
        return logged.meeting.id

    log(
        teresa,
        -150,
        10,
        "video",
        "First call. Agreed to a three-month pilot; she reviewed my research question.",
        advice=["Narrow the K23 to one population: adults over 75 discharged home from the ED"],
    )
    log(
        teresa,
        -120,
        10,
        "video",
        "Walked through my preliminary data on 7-day returns.",
        advice=["Find a biostatistician co-mentor before writing the approach"],
    )
    log(teresa, -90, 11, "video", "Discussed specific aims draft 1; aim 3 too ambitious.")
    cancelled = plan_meeting(
        conn, at(-70, 9), starts_at=at(-60, 10), zone=zone, mentor_id=teresa, agenda="Aims draft 2"
    ).meeting.id
    set_status(conn, at(-60, 12), cancelled, "cancelled")
    log(
        teresa,
        -35,
        10,
        "video",
        "Aims draft 3: keep aims 1 and 2, make 3 exploratory. Program officer call advised.",
        advice=["Email the NIA program officer with a one-page summary before submitting"],
        followups=["Send Teresa the revised specific aims page"],
        due_days=-2,
    )
    log(teresa, -12, 14, "email", "She sent comments on the biosketch personal statement.", sent=False)
    log(
        teresa,
        -6,
        10,
        "video",
        "Reviewed the timeline to the June deadline; she will introduce me to a K23 awardee.",
        sent=False,
        followups=["Introduce Maya to a recent K23 awardee"],
        due_days=5,
        owner="mentor",
    )
    plan_meeting(
        conn,
        now,
        starts_at=at(9, 10),
        zone=zone,
        mentor_id=teresa,
        agenda="1. Approach section outline\n2. Letters of support\n3. Timeline check",
    )

    log(
        james,
        -100,
        12,
        "in-person",
        "Promotion timeline: dossier due in 18 months. Start the teaching portfolio now.",
        minutes=45,
        advice=["Keep a running CV with every teaching evaluation as it arrives"],
        followups=["Draft the teaching philosophy statement"],
        due_days=10,
    )

    log(samuel, -40, 9, "video", "Pilot kick-off: goals for my simulation curriculum.")
    log(
        samuel,
        -20,
        9,
        "video",
        "Reviewed the sim case on delirium; he offered to co-run a session.",
        advice=["Pilot the case with five residents before the full rollout"],
        followups=["Send Samuel the revised delirium case"],
        due_days=3,
    )
    plan_meeting(conn, now, starts_at=at(1, 9), zone=zone, mentor_id=samuel)

    log(
        helen,
        -160,
        13,
        "in-person",
        "Stats plan for the returns analysis.",
        advice=["Use the state dataset before the linkage is public; we can publish first"],
    )
    set_stage(
        conn,
        now - timedelta(days=95),
        zone,
        get_mentor(conn, helen),
        "ended",
        reason="Perceived competition over the shared dataset",
    )
    add_flag(
        conn,
        now,
        mentor_id=helen,
        kind="competition",
        note="Wanted first authorship on my clinic's data",
        raised_on=today - timedelta(days=100),
    )

    group = add_group(
        conn,
        now - timedelta(days=140),
        zone,
        "EM junior faculty mastermind",
        ["Dr. Ana Souza", "Dr. Ben Carter", "Dr. Lena Fischer"],
        cadence="monthly",
        notes="First Tuesday, 45 minutes, one hot seat each month",
    ).id
    log(0, -48, 17, "video", "Hot seat: Ben's R03 resubmission.", group=group, minutes=45)
    log(
        0,
        -18,
        17,
        "video",
        "Hot seat: my aims page. Ana suggested a figure for aim 1.",
        group=group,
        minutes=45,
        followups=["Share the aim 1 figure with the group"],
        due_days=12,
    )

    done = add_followup(
        conn,
        at(-120, 11),
        text="Read Teresa's K23 application as a model",
        mentor_id=teresa,
        due=today - timedelta(days=110),
    )
    close_followup(conn, at(-112, 18), done, "done")
    asked = add_followup(
        conn,
        at(-90, 12),
        text="Share her aims-page template",
        owner="mentor",
        mentor_id=teresa,
        due=today - timedelta(days=80),
    )
    close_followup(conn, at(-84, 9), asked, "done")
    add_followup(conn, now, text="Ask Priya for a 20-minute call about protecting evenings", mentor_id=priya)

    pitch = draft_pitch(
        conn, now - timedelta(days=6), get_profile(conn), arena="personal", mentor=str(priya), save=True
    )
    assert pitch.id is not None
    mark_sent(conn, now - timedelta(days=5), pitch.id, today - timedelta(days=5), today, zone)

    rates = {
        "Narrow the K23": "helpful",
        "Keep a running CV": "helpful",
        "Use the state dataset": "unhelpful",
        "Find a biostatistician": "mixed",
    }
    for prefix, outcome in rates.items():
        conn.execute(
            "UPDATE advice SET outcome = ?, rated_at = ? WHERE text LIKE ?", (outcome, to_db(now), prefix + "%")
        )
    _goals_and_agreement(conn, now, today, teresa, james, samuel)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("mentor", "followup", "advice")}
    return DemoResult(counts["mentor"], meetings + 3, counts["followup"], counts["advice"])


def _goals_and_agreement(
    conn: sqlite3.Connection, now: datetime, today: date, teresa: int, james: int, samuel: int
) -> None:
    """Goals with milestones (the profile's goals became goal records), who helps with each, a
    sponsor and a coach, and the agreement made with Teresa when her pilot ended."""
    from mentorkit.domain import goals
    from mentorkit.domain.agreements import set_agreement

    def day(days: int) -> date:
        return today + timedelta(days=days)

    start = now - timedelta(days=150)
    k23 = goals.list_goals(conn, arena="research")[0].id
    goals.edit_goal(conn, start, k23, due=day(200), measure="the application submitted in eRA Commons")
    goals.link_mentor(conn, start, k23, teresa)
    for text, due, done in (
        ("Specific aims page final", -20, -25),
        ("Biosketch and personal statement", 10, None),
        ("Approach section draft to Teresa", 45, None),
    ):
        step = goals.add_milestone(conn, start, k23, text=text, due=day(due))
        if done is not None:
            goals.milestone_done(conn, now + timedelta(days=done), step.id)
    conn.execute("UPDATE meeting SET goal_id = ? WHERE mentor_id = ? AND status = 'held'", (k23, teresa))
    conn.execute("UPDATE advice SET goal_id = ? WHERE mentor_id = ?", (k23, teresa))
    dossier = goals.list_goals(conn, arena="career")[0].id
    goals.edit_goal(conn, start, dossier, due=day(540))
    goals.link_mentor(conn, start, dossier, james)
    goals.add_milestone(conn, start, dossier, text="Teaching portfolio with two years of evaluations", due=day(60))
    sim = goals.add_goal(
        conn,
        now - timedelta(days=40),
        arena="teaching",
        text="Launch a simulation curriculum on geriatric delirium for the residents",
        due=day(120),
        measure="run for one residency class, with pre/post scores",
    ).id
    goals.link_mentor(conn, now - timedelta(days=40), sim, samuel)
    goals.add_milestone(
        conn, now - timedelta(days=40), sim, text="Pilot the delirium case with five residents", due=day(-3)
    )
    conn.executemany(
        "INSERT INTO mentor_role (mentor_id, role) VALUES (?, ?)",
        [(james, "sponsor"), (teresa, "coach"), (teresa, "connector")],
    )
    set_agreement(
        conn,
        now - timedelta(days=120),
        day(-120),
        teresa,
        text="Monthly video calls of 30 minutes; I send a one-page update 48 hours ahead and a summary after. "
        "What we discuss stays between us. Either of us may end this by email, no reasons needed.",
        agreed_on=day(-120),
        review_on=day(5),
        cadence="monthly",
        minutes=30,
        channel="video",
    )
