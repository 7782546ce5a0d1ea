"""What "the store's content" means for undo tests: every record table, every column, and the
derived data (the search index's rows, the non-zero review counts), without the journal."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from mentorkit.store.journal import journaled_tables, table_columns


def content(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with closing(sqlite3.connect(path)) as conn:
        tables = journaled_tables(conn)
        assert {"mentor", "meeting", "followup", "advice", "group_member"} <= set(tables)
        found: dict[str, list[tuple[Any, ...]]] = {}
        for table in tables:
            columns, key = table_columns(conn, table)
            order = ", ".join(f'"{k}"' for k in key)
            found[table] = conn.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()
            assert [d[0] for d in conn.execute(f'SELECT * FROM "{table}" LIMIT 0').description] == columns
        found["search_index"] = conn.execute(
            "SELECT rowid, kind, ref_id, head, body FROM search_index ORDER BY rowid"
        ).fetchall()
        # A count that went back to zero may stay as a row of 0: a missing row means zero too.
        found["mentor_tally"] = conn.execute(
            "SELECT mentor_id, measure, n FROM mentor_tally WHERE n != 0 ORDER BY 1, 2"
        ).fetchall()
        return found


def steps(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM change_step").fetchone()[0])
