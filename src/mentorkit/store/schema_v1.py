"""Schema version 1, frozen. Later versions change it only through new migrations.

Conventions: every table has an integer `id` and a stable text `uuid` (exports re-import by UUID);
instants are ISO 8601 UTC text `YYYY-MM-DDTHH:MM:SSZ` (columns ending in `_at`), calendar dates
are `YYYY-MM-DD` (columns ending in `_on`), booleans are 0/1 integers.
"""

STATEMENTS: list[str] = [
    """
    CREATE TABLE profile (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        uuid TEXT NOT NULL UNIQUE,
        name TEXT,
        role TEXT,
        institution TEXT,
        timezone TEXT,
        story TEXT,
        date_order TEXT CHECK (date_order IN ('DMY', 'MDY', 'YMD')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """
    CREATE TABLE arena (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        description TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """
    CREATE TABLE goal (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        arena_id INTEGER NOT NULL UNIQUE REFERENCES arena(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """
    CREATE TABLE mentor (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'mentor' CHECK (kind IN ('mentor', 'peer')),
        email TEXT,
        institution TEXT,
        location TEXT,
        timezone TEXT,
        is_local INTEGER CHECK (is_local IN (0, 1)),
        stage TEXT NOT NULL DEFAULT 'prospect'
            CHECK (stage IN ('prospect', 'pilot', 'active', 'paused', 'ended')),
        stage_changed_at TEXT NOT NULL,
        pilot_review_on TEXT,
        end_reason TEXT,
        source TEXT,
        channels TEXT,
        cadence TEXT,
        cadence_label TEXT,
        notes TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX mentor_stage ON mentor(stage)",
    """
    CREATE TABLE mentor_arena (
        mentor_id INTEGER NOT NULL REFERENCES mentor(id) ON DELETE CASCADE,
        arena_id INTEGER NOT NULL REFERENCES arena(id) ON DELETE CASCADE,
        PRIMARY KEY (mentor_id, arena_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX mentor_arena_arena ON mentor_arena(arena_id)",
    """
    CREATE TABLE mentor_tag (
        mentor_id INTEGER NOT NULL REFERENCES mentor(id) ON DELETE CASCADE,
        tag TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (mentor_id, tag)
    ) WITHOUT ROWID""",
    "CREATE INDEX mentor_tag_tag ON mentor_tag(tag)",
    """
    CREATE TABLE stage_change (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        mentor_id INTEGER NOT NULL REFERENCES mentor(id) ON DELETE CASCADE,
        stage TEXT NOT NULL
            CHECK (stage IN ('prospect', 'pilot', 'active', 'paused', 'ended')),
        changed_at TEXT NOT NULL,
        reason TEXT
    )""",
    "CREATE INDEX stage_change_mentor ON stage_change(mentor_id, changed_at)",
    """
    CREATE TABLE mgroup (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        cadence TEXT,
        cadence_label TEXT,
        notes TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """
    CREATE TABLE group_member (
        group_id INTEGER NOT NULL REFERENCES mgroup(id) ON DELETE CASCADE,
        mentor_id INTEGER NOT NULL REFERENCES mentor(id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, mentor_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX group_member_mentor ON group_member(mentor_id)",
    """
    CREATE TABLE meeting (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        mentor_id INTEGER REFERENCES mentor(id) ON DELETE RESTRICT,
        group_id INTEGER REFERENCES mgroup(id) ON DELETE RESTRICT,
        starts_at TEXT NOT NULL,
        timezone TEXT,
        minutes INTEGER CHECK (minutes IS NULL OR minutes >= 0),
        mode TEXT NOT NULL DEFAULT 'video'
            CHECK (mode IN ('video', 'phone', 'in-person', 'email', 'text', 'conference')),
        status TEXT NOT NULL DEFAULT 'held'
            CHECK (status IN ('planned', 'held', 'cancelled', 'missed')),
        agenda TEXT,
        notes TEXT,
        summary_sent_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (mentor_id IS NOT NULL OR group_id IS NOT NULL)
    )""",
    "CREATE INDEX meeting_mentor_start ON meeting(mentor_id, status, starts_at)",
    "CREATE INDEX meeting_group_start ON meeting(group_id, status, starts_at)",
    "CREATE INDEX meeting_status_start ON meeting(status, starts_at)",
    "CREATE INDEX meeting_start ON meeting(starts_at)",
    """
    CREATE TABLE followup (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        text TEXT NOT NULL,
        owner TEXT NOT NULL DEFAULT 'me' CHECK (owner IN ('me', 'mentor')),
        due_on TEXT,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
        mentor_id INTEGER REFERENCES mentor(id) ON DELETE RESTRICT,
        group_id INTEGER REFERENCES mgroup(id) ON DELETE RESTRICT,
        meeting_id INTEGER REFERENCES meeting(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        done_at TEXT,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX followup_status_due ON followup(status, due_on)",
    "CREATE INDEX followup_mentor ON followup(mentor_id, status)",
    "CREATE INDEX followup_meeting ON followup(meeting_id)",
    "CREATE INDEX followup_group ON followup(group_id, status)",
    """
    CREATE TABLE advice (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        text TEXT NOT NULL,
        mentor_id INTEGER REFERENCES mentor(id) ON DELETE RESTRICT,
        arena_id INTEGER REFERENCES arena(id) ON DELETE SET NULL,
        meeting_id INTEGER REFERENCES meeting(id) ON DELETE SET NULL,
        given_on TEXT NOT NULL,
        outcome TEXT NOT NULL DEFAULT 'untested'
            CHECK (outcome IN ('helpful', 'mixed', 'unhelpful', 'untested')),
        outcome_note TEXT,
        rated_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX advice_mentor ON advice(mentor_id, given_on)",
    "CREATE INDEX advice_arena ON advice(arena_id)",
    "CREATE INDEX advice_meeting ON advice(meeting_id)",
    """
    CREATE TABLE pitch (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        arena_id INTEGER REFERENCES arena(id) ON DELETE SET NULL,
        mentor_id INTEGER REFERENCES mentor(id) ON DELETE SET NULL,
        request TEXT,
        body TEXT NOT NULL,
        template TEXT,
        sent_on TEXT,
        response TEXT CHECK (response IN ('accepted', 'declined', 'no-answer')),
        responded_on TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX pitch_mentor ON pitch(mentor_id)",
    """
    CREATE TABLE flag (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        mentor_id INTEGER NOT NULL REFERENCES mentor(id) ON DELETE CASCADE,
        kind TEXT NOT NULL
            CHECK (kind IN ('commitment', 'competition', 'conflict-of-interest', 'other')),
        note TEXT,
        raised_on TEXT NOT NULL,
        resolved_on TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX flag_mentor ON flag(mentor_id)",
]

DEFAULT_ARENAS: list[tuple[str, str]] = [
    ("research", "Research skills: questions, methods, grants, papers"),
    ("career", "Promotion and career development"),
    ("personal", "Personal goals, including work-life balance"),
]
