"""Schema 11, frozen: goals with milestones, the mentors who help with each, mentoring agreements,
mentor roles, and the goal a meeting, a piece of advice or a follow-up serves (issue 19).

Schema 1 held one goal per arena (`goal.arena_id` UNIQUE, the profile's `--goal ARENA=TEXT`).
SQLite cannot drop a UNIQUE column constraint, so the table is rebuilt: every goal keeps its id,
uuid, text (byte for byte), arena and times, and becomes an open goal like any other.
"""

STATEMENTS: list[str] = [
    """
    CREATE TABLE goal_v8 (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        arena_id INTEGER NOT NULL REFERENCES arena(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        due_on TEXT,
        measure TEXT,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        done_at TEXT
    )""",
    "INSERT INTO goal_v8 (id, uuid, arena_id, text, created_at, updated_at) "
    "SELECT id, uuid, arena_id, text, created_at, updated_at FROM goal",
    "DROP TABLE goal",
    "ALTER TABLE goal_v8 RENAME TO goal",
    "CREATE INDEX goal_arena ON goal(arena_id, status)",
    """
    CREATE TABLE milestone (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        goal_id INTEGER NOT NULL REFERENCES goal(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        due_on TEXT NOT NULL,
        done_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX milestone_goal ON milestone(goal_id)",
    "CREATE INDEX milestone_open_due ON milestone(due_on) WHERE done_at IS NULL",
    """
    CREATE TABLE goal_mentor (
        goal_id INTEGER NOT NULL REFERENCES goal(id) ON DELETE CASCADE,
        mentor_id INTEGER NOT NULL REFERENCES mentor(id) ON DELETE CASCADE,
        PRIMARY KEY (goal_id, mentor_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX goal_mentor_mentor ON goal_mentor(mentor_id)",
    """
    CREATE TABLE mentor_role (
        mentor_id INTEGER NOT NULL REFERENCES mentor(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('sponsor', 'coach', 'connector', 'advisor', 'role-model')),
        PRIMARY KEY (mentor_id, role)
    ) WITHOUT ROWID""",
    "CREATE INDEX mentor_role_role ON mentor_role(role)",
    """
    CREATE TABLE agreement (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        mentor_id INTEGER NOT NULL UNIQUE REFERENCES mentor(id) ON DELETE CASCADE,
        text TEXT,
        agreed_on TEXT NOT NULL,
        review_on TEXT,
        cadence TEXT,
        cadence_label TEXT,
        minutes INTEGER CHECK (minutes IS NULL OR minutes > 0),
        channel TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX agreement_review ON agreement(review_on)",
    "ALTER TABLE meeting ADD COLUMN goal_id INTEGER REFERENCES goal(id) ON DELETE SET NULL",
    "ALTER TABLE advice ADD COLUMN goal_id INTEGER REFERENCES goal(id) ON DELETE SET NULL",
    "ALTER TABLE followup ADD COLUMN goal_id INTEGER REFERENCES goal(id) ON DELETE SET NULL",
    "CREATE INDEX meeting_goal ON meeting(goal_id) WHERE goal_id IS NOT NULL",
    "CREATE INDEX advice_goal ON advice(goal_id) WHERE goal_id IS NOT NULL",
    "CREATE INDEX followup_goal ON followup(goal_id) WHERE goal_id IS NOT NULL",
]
