"""Schema version 4 (frozen, like every released schema step): what `review` needs to cost the
same on a store with ten years of history as on one with a year.

`review` reports, per mentor, all-time figures: open follow-ups each way and the advice track
record by outcome. Counting those rows costs time in proportion to the history, so
`mentor_tally` keeps the counts, maintained by triggers on every insert, delete and update of a
follow-up or a piece of advice (imports and merges included: triggers see every write; the
rows a REPLACE removes too, as `store.db.connect` turns `recursive_triggers` on).
It has no foreign key: it is derived data, and a store with a broken link (which `doctor`
reports) must still upgrade and rebuild.
A measure is `open:me`, `open:mentor`, `advice:helpful`, `advice:mixed`, `advice:unhelpful` or
`advice:untested`; a missing row means zero. `doctor` recounts them.

Two indexes let the rest of `review` read only the period:
- `followup_open_due`: the open items of a mentor by due date and owner (late ones are a range);
- `meeting_mentor_start` gains `mode`, so a mentor's meetings in the period are counted by
  status and mode from the index alone.
"""

from __future__ import annotations


def _counted(table: str, measure: str, when: str, columns: str) -> list[str]:
    """Triggers that keep `mentor_tally` equal to the count of `table` rows with `when` true,
    grouped by mentor and `measure` (both SQL over the row, as NEW./OLD. columns); an update
    of any of `columns` moves the row from its old count to its new one."""
    new_when, old_when = when.format(row="NEW"), when.format(row="OLD")
    new_measure, old_measure = measure.format(row="NEW"), measure.format(row="OLD")
    add = (
        "INSERT INTO mentor_tally (mentor_id, measure, n) "
        f"SELECT NEW.mentor_id, {new_measure}, 1 WHERE NEW.mentor_id IS NOT NULL AND {new_when} "
        "ON CONFLICT (mentor_id, measure) DO UPDATE SET n = n + 1;"
    )
    remove = (
        f"UPDATE mentor_tally SET n = n - 1 WHERE OLD.mentor_id IS NOT NULL AND {old_when} "
        f"AND mentor_id = OLD.mentor_id AND measure = {old_measure};"
    )
    return [
        f"CREATE TRIGGER {table}_tally_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {table}_tally_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {table}_tally_update AFTER UPDATE OF {columns} ON {table} BEGIN {remove} {add} END",
    ]


FOLLOWUP_MEASURE = "'open:' || {row}.owner"
FOLLOWUP_WHEN = "{row}.status = 'open'"
ADVICE_MEASURE = "'advice:' || {row}.outcome"
ADVICE_WHEN = "1"

STATEMENTS: list[str] = [
    """
    CREATE TABLE mentor_tally (
        mentor_id INTEGER NOT NULL,
        measure TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (mentor_id, measure)
    ) WITHOUT ROWID""",
    *_counted("followup", FOLLOWUP_MEASURE, FOLLOWUP_WHEN, "mentor_id, owner, status"),
    *_counted("advice", ADVICE_MEASURE, ADVICE_WHEN, "mentor_id, outcome"),
    "CREATE INDEX followup_open_due ON followup(mentor_id, due_on, owner) WHERE status = 'open'",
    "DROP INDEX meeting_mentor_start",
    "CREATE INDEX meeting_mentor_start ON meeting(mentor_id, status, starts_at, mode)",
]

RECOUNT = f"""
    SELECT mentor_id, {FOLLOWUP_MEASURE.format(row="followup")} AS measure, count(*) AS n FROM followup
    WHERE mentor_id IS NOT NULL AND {FOLLOWUP_WHEN.format(row="followup")} GROUP BY 1, 2
    UNION ALL
    SELECT mentor_id, {ADVICE_MEASURE.format(row="advice")}, count(*) FROM advice
    WHERE mentor_id IS NOT NULL GROUP BY 1, 2
"""
"""Every tally counted from the rows themselves (`doctor` compares; the migration fills from it)."""

POPULATE: list[str] = [f"INSERT INTO mentor_tally (mentor_id, measure, n) {RECOUNT}"]
