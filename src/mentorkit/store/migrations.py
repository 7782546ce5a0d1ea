"""Ordered, named schema migrations, each committed together with its record.

A store's version is `PRAGMA user_version` (read without touching any table) and each applied
migration is also a row of `schema_migrations`. An upgrade applies every due migration and its
record inside one `BEGIN IMMEDIATE` transaction, so it is either wholly applied and recorded or
not at all.
Never edit a released migration: add a new one at the end of `MIGRATIONS`.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from mentorkit.clock import db_now


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def run_statements(conn: sqlite3.Connection, statements: list[str]) -> None:
    """Execute DDL one statement at a time (`executescript` would commit the transaction)."""
    for statement in statements:
        conn.execute(statement)


def _m001_initial(conn: sqlite3.Connection) -> None:
    from mentorkit.store import schema_v1

    run_statements(conn, schema_v1.STATEMENTS)
    now = db_now()
    conn.executemany(
        "INSERT INTO arena (uuid, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        [(str(uuid.uuid4()), name, desc, now, now) for name, desc in schema_v1.DEFAULT_ARENAS],
    )


def _m002_fts(conn: sqlite3.Connection) -> None:
    """The full-text index for `search`, its triggers, and the rows that exist already."""
    from mentorkit.store import schema_v2_fts

    run_statements(conn, schema_v2_fts.STATEMENTS)
    run_statements(conn, schema_v2_fts.POPULATE)


def _m003_followup_owner_index(conn: sqlite3.Connection) -> None:
    """`review` counts each mentor's follow-ups by owner and status with their dates; this index
    answers that without reading the follow-up rows (4.2 s to 0.12 s on a store with 1M)."""
    run_statements(
        conn,
        [
            "DROP INDEX followup_mentor",  # (mentor_id, status) is a prefix of the new index
            "CREATE INDEX followup_mentor_owner ON followup(mentor_id, status, owner, done_at, due_on, created_at)",
        ],
    )


def _m004_tally(conn: sqlite3.Connection) -> None:
    """Counts and indexes that keep `review`'s cost to the period, not the history (schema_v4_tally)."""
    from mentorkit.store import schema_v4_tally

    run_statements(conn, schema_v4_tally.STATEMENTS)
    run_statements(conn, schema_v4_tally.POPULATE)


def _m005_pitch_material(conn: sqlite3.Connection) -> None:
    """What a pitch says: your email for its sign-off (`profile.email`), how you know a prospect
    (`mentor.hook`, a sentence in your words), and per arena the story and the directed request
    a pitch in that arena uses (`arena.story`, `arena.request`; the profile's story and a default
    request when empty). Additive: every existing row reads as "not set"."""
    run_statements(
        conn,
        [
            "ALTER TABLE profile ADD COLUMN email TEXT",
            "ALTER TABLE mentor ADD COLUMN hook TEXT",
            "ALTER TABLE arena ADD COLUMN story TEXT",
            "ALTER TABLE arena ADD COLUMN request TEXT",
        ],
    )


def _m006_meeting_time_given(conn: sqlite3.Connection) -> None:
    """Whether a meeting's start was given with a time of day (`log --when "3 days ago"` gives
    only a date). Date-only contacts are shown and drafted as dates, never as "12:00". Every
    meeting recorded before this version had a time or was stored as one, so the default is 1."""
    run_statements(
        conn,
        ["ALTER TABLE meeting ADD COLUMN time_given INTEGER NOT NULL DEFAULT 1 CHECK (time_given IN (0, 1))"],
    )


def _m007_journal(conn: sqlite3.Connection) -> None:
    """The change journal behind `undo` and `history` (store/journal.py): its tables, and a
    trigger per record table and operation."""
    from mentorkit.store import journal

    run_statements(conn, journal.TABLES)
    journal.install_triggers(conn)


def _m008_summary_owed_index(conn: sqlite3.Connection) -> None:
    """`followups` counts the summaries still owed for held meetings (its footer and the recent
    ones it lists); this index finds them without reading every held meeting (30 ms to under 1 ms
    on the reference store of 100,000 meetings)."""
    run_statements(conn, ["CREATE INDEX meeting_summary_owed ON meeting(status, summary_sent_at, starts_at)"])


def _m009_meeting_series(conn: sqlite3.Connection) -> None:
    """Meetings planned together (`plan --repeat N`) share `series`, a UUID of the series: each
    stays a meeting of its own (moved, cancelled or deleted alone), and the series can be found
    again. Meetings planned one by one have none."""
    from mentorkit.store import journal

    run_statements(
        conn,
        [
            "ALTER TABLE meeting ADD COLUMN series TEXT",
            "CREATE INDEX meeting_series ON meeting(series) WHERE series IS NOT NULL",
        ],
    )
    journal.install_triggers(conn)


def _m010_sync_state(conn: sqlite3.Connection) -> None:
    """This device's side of `mentorkit sync` (docs/sync.md): its id, the hub it syncs with (a
    fingerprint of the URL without the password), the last hub position it pulled and the last
    change of the journal it pushed. One row, made here with a new device id. Not a record
    table: it is never journaled, exported or synced."""
    run_statements(
        conn,
        [
            """
            CREATE TABLE sync_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                device TEXT NOT NULL,
                hub TEXT,
                pulled INTEGER NOT NULL DEFAULT 0,
                pushed INTEGER NOT NULL DEFAULT 0,
                synced_at TEXT
            )""",
        ],
    )
    conn.execute("INSERT INTO sync_state (id, device) VALUES (1, ?)", (str(uuid.uuid4()),))


def _m011_goals(conn: sqlite3.Connection) -> None:
    """Goals with milestones, goal-mentor links, agreements, mentor roles, and `goal_id` on
    meetings, advice and follow-ups (store/schema_v11_goals.py). The one goal per arena of
    schema 1 becomes an open goal record, its text and uuid unchanged."""
    from mentorkit.store import journal, schema_v11_goals

    run_statements(conn, schema_v11_goals.STATEMENTS)
    journal.install_triggers(conn)


_IMPORTED_LINE = re.compile(r"^(Title|LinkedIn|URL): (\S.*)$")


def _m012_person_fields(conn: sqlite3.Connection) -> None:
    """A mentor's position (`title`) and profile URL (`profile_url`, a LinkedIn, ORCID or web
    page: one of a person's identity keys, domain/identity.py). Imports before this version wrote
    them into the notes as `Title: ...` and `LinkedIn: https://...` / `URL: https://...` lines;
    those lines move into the new fields (the first of each; the rest of the notes stays as it
    is). The move is part of the upgrade, not a change of the user's, so it is not journaled."""
    run_statements(
        conn,
        ["ALTER TABLE mentor ADD COLUMN title TEXT", "ALTER TABLE mentor ADD COLUMN profile_url TEXT"],
    )
    conn.execute("DROP TRIGGER IF EXISTS mentor_journal_update")
    moves = []
    for mentor_id, notes in conn.execute(
        "SELECT id, notes FROM mentor WHERE notes LIKE '%Title: %' OR notes LIKE '%LinkedIn: %' OR notes LIKE '%URL: %'"
    ).fetchall():
        found: dict[str, str] = {}
        kept = []
        for line in notes.split("\n"):
            m = _IMPORTED_LINE.match(line)
            field = None if m is None else ("title" if m[1] == "Title" else "profile_url")
            if m is not None and field not in found and (field == "title" or m[2].startswith(("http://", "https://"))):
                found[field] = m[2].strip()  # type: ignore[index]
            else:
                kept.append(line)
        if found:
            moves.append((found.get("title"), found.get("profile_url"), "\n".join(kept).strip() or None, mentor_id))
    conn.executemany("UPDATE mentor SET title = ?, profile_url = ?, notes = ? WHERE id = ?", moves)
    from mentorkit.store import journal

    journal.install_triggers(conn)


def _m013_people_search(conn: sqlite3.Connection) -> None:
    """`search` finds people (name, title, institution, tags, notes) and red flags: the index is
    made again with those kinds (schema_v13_search) and filled from the records."""
    from mentorkit.store import schema_v13_search

    run_statements(conn, schema_v13_search.STATEMENTS)
    run_statements(conn, schema_v13_search.POPULATE)


def _m014_summary_owed_covering(conn: sqlite3.Connection) -> None:
    """Migration 8's index with the meeting's mode in it, so counting the summaries owed reads the
    index alone: the mode (email and messages owe none) was looked up in 23,822 rows of the
    reference store, 24 ms; 2 ms now."""
    run_statements(
        conn,
        [
            "DROP INDEX meeting_summary_owed",
            "CREATE INDEX meeting_summary_owed ON meeting(status, summary_sent_at, starts_at, mode)",
        ],
    )


def _m015_hours_and_peers(conn: sqlite3.Connection) -> None:
    """A person's own working hours for `plan` (`mentor.hours_start`, `hours_end`: 'HH:MM'; NULL:
    the config's), and near-peers made consistent: a peer in a group still in the prospect stage
    (added with `add-mentor --peer` when that made prospects; `group add` made them active)
    becomes active, with the stage change recorded."""
    from mentorkit.store import journal

    run_statements(
        conn, ["ALTER TABLE mentor ADD COLUMN hours_start TEXT", "ALTER TABLE mentor ADD COLUMN hours_end TEXT"]
    )
    now = db_now()
    peers = conn.execute(
        "SELECT id FROM mentor WHERE kind = 'peer' AND stage = 'prospect' "
        "AND id IN (SELECT mentor_id FROM group_member) ORDER BY id"
    ).fetchall()
    for (peer,) in peers:
        conn.execute(
            "UPDATE mentor SET stage = 'active', stage_changed_at = ?, updated_at = ? WHERE id = ?", (now, now, peer)
        )
        conn.execute(
            "INSERT INTO stage_change (uuid, mentor_id, stage, changed_at, reason) VALUES (?, ?, 'active', ?, ?)",
            (str(uuid.uuid4()), peer, now, "a near-peer in a group is active"),
        )
    journal.install_triggers(conn)


MIGRATIONS: list[Migration] = [
    Migration(1, "initial", _m001_initial),
    Migration(2, "fts", _m002_fts),
    Migration(3, "followup owner index", _m003_followup_owner_index),
    Migration(4, "tallies for review", _m004_tally),
    Migration(5, "pitch material", _m005_pitch_material),
    Migration(6, "meeting time given", _m006_meeting_time_given),
    Migration(7, "change journal", _m007_journal),
    Migration(8, "summary owed index", _m008_summary_owed_index),
    Migration(9, "meeting series", _m009_meeting_series),
    Migration(10, "sync state", _m010_sync_state),
    Migration(11, "goals and agreements", _m011_goals),
    Migration(12, "person fields", _m012_person_fields),
    Migration(13, "people in search", _m013_people_search),
    Migration(14, "summary owed covering index", _m014_summary_owed_covering),
    Migration(15, "working hours and peers", _m015_hours_and_peers),
]


def head() -> int:
    return MIGRATIONS[-1].version


def current_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


class MigrationFailed(Exception):
    """A migration raised; the upgrade was rolled back. `cause` is the original exception."""

    def __init__(self, migration: Migration, cause: BaseException) -> None:
        super().__init__(f"migration {migration.version} ({migration.name}) failed")
        self.migration = migration
        self.cause = cause


def apply_pending(
    conn: sqlite3.Connection,
    *,
    upto: int | None = None,
    before_upgrade: Callable[[int], None] | None = None,
) -> list[int]:
    """Apply every migration newer than the store's version (up to `upto`); return those applied.

    The whole upgrade is one write transaction: each migration and its record, in order, and
    then one COMMIT. An upgrade that fails at any step leaves the store exactly as it was, at its
    old version, rather than half-way (at v2 of a v1 → v3 upgrade, say). The version is read
    inside the transaction, so two processes that open a new store at once cannot both apply
    the same migration.

    `before_upgrade(version)` runs once, inside that transaction, before anything changes. The
    write lock is held, so no other process can change the store meanwhile: a backup made there
    is exactly the store this upgrade starts from, and only the process that upgrades makes one.
    (Back up through another connection: SQLite cannot copy from a connection that holds a write
    transaction.)
    """
    target = head() if upto is None else upto
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = current_version(conn)
        due = [m for m in MIGRATIONS if version < m.version <= target]
        if not due:
            conn.execute("ROLLBACK")
            return []
        if before_upgrade is not None:
            before_upgrade(version)
        for migration in due:
            if migration.version == 1:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
            try:
                migration.apply(conn)
            except Exception as exc:
                raise MigrationFailed(migration, exc) from exc
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, db_now()),
            )
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
        conn.execute("COMMIT")
    except BaseException:
        # After some errors (a full disk, I/O) SQLite has already rolled back; a second
        # ROLLBACK would fail and hide the error that matters.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return [m.version for m in due]
