"""SQLModel descriptions of the store's tables, for code that validates whole records.

The store is made and changed only by `migrations` (explicit SQL); command paths read and write
it through stdlib `sqlite3`, because importing this module (sqlmodel, sqlalchemy, pydantic) costs
~300 ms. Import it only where whole records are validated (for example `import` of a JSON file:
`Mentor.model_validate(data)` checks types, enum values and aware datetimes) and in tests.
`tests/test_models.py` checks that these classes and the migrated schema agree column by column,
so the two descriptions cannot drift apart.

Storage formats, the same as `mentorkit.clock`: instants are UTC text `YYYY-MM-DDTHH:MM:SSZ`
(`UTCText`: accepts only aware datetimes, returns aware UTC datetimes, whole seconds); calendar
dates are `YYYY-MM-DD` text (`DateText`); booleans are 0/1 integers (`IntBool`). SQLModel's own
`UTCDateTime` would store SQLAlchemy's `2026-01-01 12:00:00.000000` text, which the rest of
mentorkit cannot read, so every datetime field names its `sa_type` explicitly.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import AwareDatetime
from sqlalchemy import Integer, String, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel, create_engine

from mentorkit.clock import from_db, to_db, utcnow
from mentorkit.domain.common import new_uuid

Stage = Literal["prospect", "pilot", "active", "paused", "ended"]
Mode = Literal["video", "phone", "in-person", "email", "text", "conference"]


class UTCText(TypeDecorator[datetime]):
    """An aware datetime stored as UTC text `YYYY-MM-DDTHH:MM:SSZ`; naive datetimes are refused."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"an instant must be a datetime, not {type(value).__name__}")
        return to_db(value)  # ValueError for a naive datetime

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return from_db(value)


class DateText(TypeDecorator[date]):
    """A calendar date stored as `YYYY-MM-DD` text (a datetime is refused: it is an instant)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            raise TypeError(f"a calendar date must be a date, not {type(value).__name__}")
        return value.isoformat()

    def process_result_value(self, value: Any, dialect: Dialect) -> date | None:
        return None if value is None else date.fromisoformat(value)


class IntBool(TypeDecorator[bool]):
    """A boolean stored as 0/1 in an INTEGER column (the schema's CHECK allows only those)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        return None if value is None else int(bool(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> bool | None:
        return None if value is None else bool(value)


NOCASE = String(collation="NOCASE")


def _instant(**kw: Any) -> Any:
    return Field(sa_type=UTCText, **kw)


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCText)


def _day(**kw: Any) -> Any:
    return Field(sa_type=DateText, **kw)


def _uuid() -> Any:
    return Field(default_factory=new_uuid, unique=True)


class Profile(SQLModel, table=True):
    __tablename__ = "profile"

    id: int = Field(default=1, primary_key=True)
    uuid: str = _uuid()
    name: str | None = None
    role: str | None = None
    institution: str | None = None
    timezone: str | None = None
    story: str | None = None
    date_order: Literal["DMY", "MDY", "YMD"] | None = Field(default=None, sa_type=String)
    created_at: AwareDatetime = _created()
    updated_at: AwareDatetime = _created()
    email: str | None = None  # schema 5


class Arena(SQLModel, table=True):
    __tablename__ = "arena"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = _uuid()
    name: str = Field(unique=True, sa_type=NOCASE)
    description: str | None = None
    created_at: AwareDatetime = _created()
    updated_at: AwareDatetime = _created()
    story: str | None = None  # schema 5: the story a pitch in this arena tells
    request: str | None = None  # schema 5: the directed request it ends with


class Goal(SQLModel, table=True):
    """A goal in an arena (schema 11: several per arena, with a date, a measure and a status)."""

    __tablename__ = "goal"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = _uuid()
    arena_id: int = Field(foreign_key="arena.id", ondelete="CASCADE")
    text: str
    due_on: date | None = _day(default=None)  # the date it should be met by
    measure: str | None = None  # how you will know it is met
    status: Literal["open", "done", "dropped"] = Field(default="open", sa_type=String)
    created_at: AwareDatetime = _created()
    updated_at: AwareDatetime = _created()
    done_at: AwareDatetime | None = _instant(default=None)


class Milestone(SQLModel, table=True):
    """A dated step towards a goal (schema 11); `done_at` NULL while it is open."""

    __tablename__ = "milestone"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = _uuid()
    goal_id: int = Field(foreign_key="goal.id", ondelete="CASCADE")
    text: str
    due_on: date = _day()
    done_at: AwareDatetime | None = _instant(default=None)
    created_at: AwareDatetime = _created()
    updated_at: AwareDatetime = _created()


class GoalMentor(SQLModel, table=True):
    """A mentor who helps with a goal (schema 11)."""

    __tablename__ = "goal_mentor"

    goal_id: int = Field(foreign_key="goal.id", ondelete="CASCADE", primary_key=True)
    mentor_id: int = Field(foreign_key="mentor.id", ondelete="CASCADE", primary_key=True)


class MentorRole(SQLModel, table=True):
    """What a mentor does for you beyond their arenas: sponsor, coach... (schema 11)."""

    __tablename__ = "mentor_role"

    mentor_id: int = Field(foreign_key="mentor.id", ondelete="CASCADE", primary_key=True)
    role: Literal["sponsor", "coach", "connector", "advisor", "role-model"] = Field(primary_key=True, sa_type=String)


class Agreement(SQLModel, table=True):
    """The mentoring agreement with one mentor: what was agreed, when, and when to review it (schema 11)."""

    __tablename__ = "agreement"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = _uuid()
    mentor_id: int = Field(foreign_key="mentor.id", ondelete="CASCADE", unique=True)
    text: str | None = None
    agreed_on: date = _day()
    review_on: date | None = _day(default=None)
    cadence: str | None = None
    cadence_label: str | None = None
    minutes: int | None = Field(default=None, gt=0)
    channel: str | None = None
    created_at: AwareDatetime = _created()
    updated_at: AwareDatetime = _created()


class Mentor(SQLModel, table=True):
    __tablename__ = "mentor"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = _uuid()
    name: str
    kind: Literal["mentor", "peer"] = Field(default="mentor", sa_type=String)
    email: str | None = None
    institution: str | None = None
    location: str | None = None
    timezone: str | None = None
    is_local: bool | None = Field(default=None, sa_type=IntBool)
    stage: Stage = Field(default="prospect", sa_type=String)
    stage_changed_at: AwareDatetime = _created()
    pilot_review_on: date | None = _day(default=None)
    end_reason: str | None = None
    source: str | None = None
    channels: str | None = None  # comma-separated, e.g. "video,email"
    cadence: str | None = None  # an RRULE, e.g. "FREQ=MONTHLY;INTERVAL=1"
    cadence_label: str | None = None
    notes: str | None = None
    created_at: AwareDatetime = _created()
    updated_at: AwareDatetime = _created()
    hook: str | None = None  # schema 5: how you know them, a sentence a pitch opens with
    title: str | None = None  # schema 12: their position ("Dean of Medicine")
    profile_url: str | None = None  # schema 12: LinkedIn, ORCID or web page; an identity key
    hours_start: str | None = None  # schema 15: their own working hours ('09:00'); None: the config's
    hours_end: str | None = None


class MentorArena(SQLModel, table=True):
    __tablename__ = "mentor_arena"

    mentor_id: int = Field(foreign_key="mentor.id", ondelete="CASCADE", primary_key=True)
    arena_id: int = Field(foreign_key="arena.id", ondelete="CASCADE", primary_key=True)


class MentorTag(SQLModel, table=True):
    __tablename__ = "mentor_tag"

    mentor_id: int = Field(foreign_key="mentor.id", ondelete="CASCADE", primary_key=True)
    tag: str = Field(primary_key=True, sa_type=NOCASE)


class StageChange(SQLModel, table=True):
    __tablename__ = "stage_change"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = _uuid()
    mentor_id: int = Field(foreign_key="mentor.id", ondelete="CASCADE")
    stage: Stage = Field(sa_type=String)
    changed_at: AwareDatetime = _created()
    reason: str | None = None


class MentorGroup(SQLModel, table=True):
    """A group of mentors or near-peers met together (table `mgroup`: `group` is an SQL word)."""

    __tablename__ = "mgroup"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = _uuid()
    name: str = Field(unique=True, sa_type=NOCASE)
    cadence: str | None = None
    cadence_label: str | None = None
    notes: str | None = None
    created_at: AwareDatetime = _created()
    updated_at: AwareDatetime = _created()


class GroupMember(SQLModel, table=True):
    __tablename__ = "group_member"

    group_id: int = Field(foreign_key="mgroup.id", ondelete="CASCADE", primary_key=True)
    mentor_id: int = Field(foreign_key="mentor.id", ondelete="CASCADE", primary_key=True)


class Meeting(SQLModel, table=True):
    """A meeting with one mentor or with a group (at least one of the two)."""

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = _uuid()
    mentor_id: int | None = Field(default=None, foreign_key="mentor.id", ondelete="RESTRICT")
    group_id: int | None = Field(default=None, foreign_key="mgroup.id", ondelete="RESTRICT")
    starts_at: AwareDatetime = _instant()
    timezone: str | None = None  # the zone the meeting was arranged in (IANA name)
    minutes: int | None = Field(default=None, ge=0)
    mode: Mode = Field(default="video", sa_type=String)
    status: Literal["planned", "held", "cancelled", "missed"] = Field(default="held", sa_type=String)
    agenda: str | None = None
    notes: str | None = None
    summary_sent_at: AwareDatetime | None = _instant(default=None)
    created_at: AwareDatetime = _created()
    updated_at: AwareDatetime = _created()
    time_given: bool = Field(default=True, sa_type=IntBool)  # False: a contact recorded by its day only
    series: str | None = None  # the UUID shared by the meetings of one `plan --repeat`
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")  # schema 11


class Followup(SQLModel, table=True):
    __tablename__ = "followup"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = _uuid()
    text: str
    owner: Literal["me", "mentor"] = Field(default="me", sa_type=String)
    due_on: date | None = _day(default=None)
    status: Literal["open", "done", "dropped"] = Field(default="open", sa_type=String)
    mentor_id: int | None = Field(default=None, foreign_key="mentor.id", ondelete="RESTRICT")
    group_id: int | None = Field(default=None, foreign_key="mgroup.id", ondelete="RESTRICT")
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", ondelete="SET NULL")
    created_at: AwareDatetime = _created()
    done_at: AwareDatetime | None = _instant(default=None)
    updated_at: AwareDatetime = _created()
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")  # schema 11


class Advice(SQLModel, table=True):
    __tablename__ = "advice"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = _uuid()
    text: str
    mentor_id: int | None = Field(default=None, foreign_key="mentor.id", ondelete="RESTRICT")
    arena_id: int | None = Field(default=None, foreign_key="arena.id", ondelete="SET NULL")
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", ondelete="SET NULL")
    given_on: date = _day()
    outcome: Literal["helpful", "mixed", "unhelpful", "untested"] = Field(default="untested", sa_type=String)
    outcome_note: str | None = None
    rated_at: AwareDatetime | None = _instant(default=None)
    created_at: AwareDatetime = _created()
    updated_at: AwareDatetime = _created()
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")  # schema 11


class Pitch(SQLModel, table=True):
    __tablename__ = "pitch"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = _uuid()
    arena_id: int | None = Field(default=None, foreign_key="arena.id", ondelete="SET NULL")
    mentor_id: int | None = Field(default=None, foreign_key="mentor.id", ondelete="SET NULL")
    request: str | None = None
    body: str
    template: str | None = None
    sent_on: date | None = _day(default=None)
    response: Literal["accepted", "declined", "no-answer"] | None = Field(default=None, sa_type=String)
    responded_on: date | None = _day(default=None)
    created_at: AwareDatetime = _created()
    updated_at: AwareDatetime = _created()


class Flag(SQLModel, table=True):
    __tablename__ = "flag"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = _uuid()
    mentor_id: int = Field(foreign_key="mentor.id", ondelete="CASCADE")
    kind: Literal["commitment", "competition", "conflict-of-interest", "other"] = Field(sa_type=String)
    note: str | None = None
    raised_on: date = _day()
    resolved_on: date | None = _day(default=None)
    created_at: AwareDatetime = _created()
    updated_at: AwareDatetime = _created()


class MentorTally(SQLModel, table=True):
    """Derived counts per mentor, kept by triggers (store/schema_v4_tally.py); never written directly."""

    __tablename__ = "mentor_tally"

    mentor_id: int = Field(primary_key=True)  # no foreign key: derived data (see schema_v4_tally)
    measure: str = Field(primary_key=True)
    n: int


class ChangeStep(SQLModel, table=True):
    """One write command in the change journal (store/journal.py): when, which command (its name
    only), and for an `undo` the uuid of the step it reversed."""

    __tablename__ = "change_step"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = _uuid()
    made_at: AwareDatetime = _created()
    command: str
    undoes: str | None = Field(default=None, index=True)


class Change(SQLModel, table=True):
    """One record a step inserted, updated or deleted, written by the journal triggers: its key
    and uuid, and its values as JSON (new row; old and new changed fields; old row)."""

    __tablename__ = "change"

    id: int | None = Field(default=None, primary_key=True)
    step_id: int | None = Field(default=None, foreign_key="change_step.id", ondelete="CASCADE", index=True)
    tbl: str
    row_key: str
    record_uuid: str | None = None
    op: Literal["insert", "update", "delete"] = Field(sa_type=String)
    old: str | None = None
    new: str | None = None


class JournalCursor(SQLModel, table=True):
    """The step the journal triggers write into while a write command runs (NULL otherwise)."""

    __tablename__ = "journal_cursor"

    id: int = Field(default=1, primary_key=True)
    step_id: int | None = None


class SyncState(SQLModel, table=True):
    """This device's sync bookkeeping (one row; mentorkit/sync): its id, a fingerprint of the hub's
    URL (never the password), the hub position pulled and the journal change pushed last."""

    __tablename__ = "sync_state"

    id: int = Field(default=1, primary_key=True)
    device: str
    hub: str | None = None
    pulled: int = 0
    pushed: int = 0
    synced_at: AwareDatetime | None = _instant(default=None)


MODELS: tuple[type[SQLModel], ...] = (
    Profile,
    Arena,
    Goal,
    Mentor,
    MentorArena,
    MentorTag,
    StageChange,
    MentorGroup,
    GroupMember,
    Meeting,
    Followup,
    Advice,
    Pitch,
    Flag,
    Milestone,
    GoalMentor,
    MentorRole,
    Agreement,
    MentorTally,
    ChangeStep,
    Change,
    JournalCursor,
    SyncState,
)


def engine(path: str | Path) -> Engine:
    """An engine on an existing store, with the pragmas of `store.db.connect` on every connection.

    It never creates tables (the store's schema belongs to `migrations`). Transactions begin
    IMMEDIATE, like `Store.write()`: SQLAlchemy's pysqlite default would start them lazily and
    not at all for reads (SQLAlchemy's documented recipe for SQLite transactions).
    """
    from mentorkit.store.db import connect

    def creator() -> sqlite3.Connection:
        conn = connect(Path(path))
        conn.row_factory = None  # SQLAlchemy reads plain tuples
        return conn

    made = create_engine("sqlite://", creator=creator)

    @event.listens_for(made, "connect")
    def _autocommit_driver(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(made, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return made
