"""Helpers for the exchange tests: a store with one of everything, table counts, a big store."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from mentorkit.store.db import open_store

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def seed(path: Path, now: datetime = NOW) -> dict[str, int]:
    """Fill a store with a profile, mentors, a group, meetings, follow-ups, advice, a pitch, a flag."""
    from mentorkit.domain.advice import add_advice
    from mentorkit.domain.flags import add_flag
    from mentorkit.domain.followups import add_followup
    from mentorkit.domain.groups import add_group
    from mentorkit.domain.meetings import log_meeting, plan_meeting
    from mentorkit.domain.mentors import MentorFields, add_mentor
    from mentorkit.domain.profile import set_profile

    zone = ZoneInfo("Europe/London")
    ids: dict[str, int] = {}
    with open_store(path) as store, store.write() as conn:
        set_profile(
            conn,
            now,
            name="Dr. Ana Pérez",
            role="Assistant Professor",
            institution="St Elsewhere",
            timezone="Europe/London",
            story='Line one,\nline "two"',
            goals=["research=First R01"],
        )
        conn.execute(
            "INSERT INTO arena (uuid, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (str(uuid.uuid4()), "teaching", "Teaching and curricula", "2026-01-05T10:00:00Z", "2026-01-05T10:00:00Z"),
        )
        alvarez = add_mentor(
            conn,
            now - timedelta(days=60),
            zone,
            MentorFields(
                name="Dr. Teresa Alvarez",
                email="t.alvarez@example.edu",
                institution="UCSF",
                timezone="America/Los_Angeles",
                local=False,
                stage="active",
                cadence="monthly",
                source="conference",
                arenas=["research", "career"],
                tags=["R01", "K-award"],
                channels=["video", "email"],
                notes='=HYPERLINK("http://x")\nmet at SAEM',
            ),
        )
        okafor = add_mentor(
            conn,
            now - timedelta(days=30),
            zone,
            MentorFields(
                name="Prof. Chidi Okafor",
                email="c.okafor@example.ac.uk",
                institution="St Elsewhere",
                timezone="Europe/London",
                local=True,
                stage="pilot",
                arenas=["personal"],
                tags=["wellbeing"],
                notes="+44 20 7946 0000, @chidi",
            ),
        )
        add_mentor(
            conn,
            now - timedelta(days=3),
            zone,
            MentorFields(
                name="Sam Lee",
                stage="prospect",
                source="LinkedIn",
                tags=["teaching"],
            ),
        )
        group = add_group(
            conn, now - timedelta(days=20), zone, "Writing circle", ["Jo Peer", "Kim Peer"], cadence="biweekly"
        )
        held = log_meeting(
            conn,
            now - timedelta(days=10),
            starts_at=now - timedelta(days=10, hours=2),
            zone=zone,
            mentor_id=alvarez.id,
            mode="video",
            minutes=45,
            agenda="Specific aims",
            notes="Talked about aims;\n- tighten aim 2",
            advice=["Cut aim 3"],
            followups=["Send revised aims"],
            due=date(2026, 3, 5),
        )
        add_followup(
            conn,
            now,
            text="Share the protocol",
            owner="mentor",
            mentor_id=alvarez.id,
            meeting_id=held.meeting.id,
            due=date(2026, 3, 20),
        )
        planned = plan_meeting(
            conn,
            now,
            starts_at=datetime(2026, 3, 10, 17, 0, tzinfo=UTC),
            zone=ZoneInfo("America/New_York"),
            mentor_id=okafor.id,
            minutes=30,
            agenda="Pilot check-in",
        )
        log_meeting(
            conn,
            now - timedelta(days=5),
            starts_at=now - timedelta(days=5, hours=1),
            zone=zone,
            group_id=group.id,
            mode="video",
            minutes=60,
            followups=["Draft intro"],
            due=date(2026, 3, 9),
        )
        add_advice(conn, now, mentor_id=okafor.id, text="Protect Friday afternoons", given_on=date(2026, 2, 20))
        conn.execute(
            "UPDATE advice SET outcome = 'helpful', rated_at = ? WHERE text LIKE 'Cut%'",
            ("2026-03-01T09:00:00Z",),
        )
        add_flag(
            conn, now, mentor_id=okafor.id, kind="commitment", note="Missed two calls", raised_on=date(2026, 2, 27)
        )
        conn.execute(
            "INSERT INTO pitch (uuid, arena_id, mentor_id, request, body, template, sent_on, "
            "created_at, updated_at) VALUES (?, (SELECT id FROM arena WHERE name = 'career'), ?, ?, "
            "?, 'pitch', '2026-02-01', ?, ?)",
            (
                str(uuid.uuid4()),
                alvarez.id,
                "a 20-minute call",
                "Dear Dr. Alvarez,\n\nI am...",
                "2026-01-30T12:00:00Z",
                "2026-02-01T08:00:00Z",
            ),
        )
        from mentorkit.domain import goals

        r01 = goals.add_goal(conn, now, arena="research", text="Second R01", due=date(2027, 6, 30), measure="NOA")
        goals.add_milestone(conn, now, r01.id, text="Aims page", due=date(2026, 4, 1))
        goals.link_mentor(conn, now, r01.id, alvarez.id)
        goals.serve(conn, r01.id, meetings=[held.meeting.id], advice=held.advice_ids, followups=held.followup_ids)
        conn.execute("INSERT INTO mentor_role (mentor_id, role) VALUES (?, 'sponsor')", (alvarez.id,))
        conn.execute(
            "INSERT INTO agreement (uuid, mentor_id, text, agreed_on, review_on, cadence, cadence_label, minutes, "
            "channel, created_at, updated_at) VALUES (?, ?, 'Monthly calls.', '2026-01-15', '2026-07-15', "
            "'FREQ=MONTHLY;INTERVAL=1', 'monthly', 45, 'video', '2026-01-15T10:00:00Z', '2026-01-15T10:00:00Z')",
            (str(uuid.uuid4()), alvarez.id),
        )
        ids.update(
            alvarez=alvarez.id, okafor=okafor.id, group=group.id, meeting=held.meeting.id, planned=planned.meeting.id
        )
    return ids


TABLES = (  # the tables holding the user's records
    "profile",
    "arena",
    "goal",
    "mentor",
    "mentor_arena",
    "mentor_tag",
    "stage_change",
    "mgroup",
    "group_member",
    "meeting",
    "followup",
    "advice",
    "pitch",
    "flag",
    "milestone",
    "goal_mentor",
    "mentor_role",
    "agreement",
)


def counts(path: Path) -> dict[str, int]:
    """Rows per record table, read without writing (a missing store is an error, not a new file)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every data table, for before/after comparisons."""
    conn = sqlite3.connect(path)
    try:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        conn.close()


def big_store(path: Path, mentors: int, meetings_each: int, followups_each: int) -> int:
    """A store with many records, written with plain SQL (fast); returns the record count."""
    stamp = "2025-01-01T00:00:00Z"
    with open_store(path) as store, store.write() as conn:
        conn.executemany(
            "INSERT INTO mentor (uuid, name, email, timezone, stage, stage_changed_at, notes, "
            "created_at, updated_at) VALUES (?, ?, ?, 'Europe/Paris', 'active', ?, ?, ?, ?)",
            [
                (str(uuid.uuid4()), f"Mentor {n}", f"m{n}@example.org", stamp, f'notes, "{n}"\nline', stamp, stamp)
                for n in range(mentors)
            ],
        )
        ids = [r[0] for r in conn.execute("SELECT id FROM mentor")]
        start = datetime(2024, 1, 1, 9, tzinfo=UTC)
        conn.executemany(
            "INSERT INTO meeting (uuid, mentor_id, starts_at, timezone, minutes, mode, status, notes, "
            "created_at, updated_at) VALUES (?, ?, ?, 'Europe/Paris', 30, 'video', 'held', ?, ?, ?)",
            [
                (
                    str(uuid.uuid4()),
                    mid,
                    (start + timedelta(hours=k)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "We talked about the grant and the paper.",
                    stamp,
                    stamp,
                )
                for mid in ids
                for k in range(meetings_each)
            ],
        )
        conn.executemany(
            "INSERT INTO followup (uuid, text, owner, due_on, status, mentor_id, created_at, updated_at) "
            "VALUES (?, ?, 'me', '2026-04-01', 'open', ?, ?, ?)",
            [(str(uuid.uuid4()), f"Action {k}", mid, stamp, stamp) for mid in ids for k in range(followups_each)],
        )
        total = sum(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("mentor", "meeting", "followup", "arena")
        )
    return total


def storable_name(text: str) -> bool:
    """Whether `add-mentor` (and so an import) accepts `text` as a name: a name is one line of
    visible text (domain.common.clean_name); notes and other free text may hold anything."""
    from mentorkit.domain.common import clean_name
    from mentorkit.errors import InvalidInput

    try:
        return clean_name(text, "name") == text
    except InvalidInput:
        return False
