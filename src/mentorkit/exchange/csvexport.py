"""CSV export: mentors, meetings or follow-ups, one kind a file (`--what`), UTF-8 with a header row.

The columns are `csvio.OWN_COLUMNS`, so an export imports again as mentorkit's own CSV. Each cell
a spreadsheet would run as a formula is neutralised (`csvio.neutralise`); lists are joined with
`csvio.join_list`.
"""

from __future__ import annotations

import contextlib
import csv
import sqlite3
from collections.abc import Iterator
from typing import Any, TextIO

from mentorkit.clock import from_db
from mentorkit.errors import InvalidInput
from mentorkit.exchange import Progress, no_progress
from mentorkit.exchange.csvio import OWN_COLUMNS, join_list, neutralise


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else str(value)


# --- export ----------------------------------------------------------------------------------


def _local_start(starts_at: str, zone_name: str | None) -> str:
    moment = from_db(starts_at)
    assert moment is not None
    if zone_name:
        from mentorkit.dates import get_zone

        with contextlib.suppress(InvalidInput):
            moment = moment.astimezone(get_zone(zone_name))
    return moment.isoformat()


def _mentor_rows(conn: sqlite3.Connection) -> Iterator[list[Any]]:
    arenas: dict[int, list[str]] = {}
    for mid, name in conn.execute(
        "SELECT ma.mentor_id, arena.name FROM mentor_arena ma JOIN arena ON arena.id = ma.arena_id "
        "ORDER BY arena.name COLLATE NOCASE"
    ):
        arenas.setdefault(mid, []).append(name)
    tags: dict[int, list[str]] = {}
    for mid, tag in conn.execute("SELECT mentor_id, tag FROM mentor_tag ORDER BY tag COLLATE NOCASE, tag"):
        tags.setdefault(mid, []).append(tag)
    for r in conn.execute("SELECT * FROM mentor ORDER BY id"):
        local = {None: None, 1: "yes", 0: "no"}[r["is_local"]]
        yield [
            r["uuid"],
            r["name"],
            r["kind"],
            r["email"],
            r["institution"],
            r["title"],
            r["profile_url"],
            r["location"],
            r["timezone"],
            local,
            r["stage"],
            r["stage_changed_at"],
            r["pilot_review_on"],
            r["end_reason"],
            r["source"],
            r["channels"],
            r["cadence"],
            r["cadence_label"],
            join_list(arenas.get(r["id"], [])),
            join_list(tags.get(r["id"], [])),
            r["notes"],
            r["created_at"],
            r["updated_at"],
        ]


def _meeting_rows(conn: sqlite3.Connection) -> Iterator[list[Any]]:
    for r in conn.execute(
        "SELECT meeting.*, mentor.name AS mentor_name, mentor.uuid AS mentor_uuid, mgroup.name AS group_name, "
        "mgroup.uuid AS group_uuid FROM meeting LEFT JOIN mentor ON mentor.id = meeting.mentor_id "
        "LEFT JOIN mgroup ON mgroup.id = meeting.group_id ORDER BY meeting.id"
    ):
        yield [
            r["uuid"],
            r["starts_at"],
            _local_start(r["starts_at"], r["timezone"]),
            r["timezone"],
            r["minutes"],
            r["mode"],
            r["status"],
            r["mentor_name"],
            r["mentor_uuid"],
            r["group_name"],
            r["group_uuid"],
            r["agenda"],
            r["notes"],
            r["summary_sent_at"],
            r["created_at"],
            r["updated_at"],
        ]


def _followup_rows(conn: sqlite3.Connection) -> Iterator[list[Any]]:
    for r in conn.execute(
        "SELECT followup.*, mentor.name AS mentor_name, mentor.uuid AS mentor_uuid, mgroup.name AS group_name, "
        "mgroup.uuid AS group_uuid, meeting.uuid AS meeting_uuid FROM followup "
        "LEFT JOIN mentor ON mentor.id = followup.mentor_id LEFT JOIN mgroup ON mgroup.id = followup.group_id "
        "LEFT JOIN meeting ON meeting.id = followup.meeting_id ORDER BY followup.id"
    ):
        yield [
            r["uuid"],
            r["text"],
            r["owner"],
            r["due_on"],
            r["status"],
            r["mentor_name"],
            r["mentor_uuid"],
            r["group_name"],
            r["group_uuid"],
            r["meeting_uuid"],
            r["created_at"],
            r["done_at"],
            r["updated_at"],
        ]


def count_rows(conn: sqlite3.Connection, what: str) -> int:
    table = {"mentors": "mentor", "meetings": "meeting", "followups": "followup"}[what]
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def export_csv(conn: sqlite3.Connection, out: TextIO, what: str, progress: Progress = no_progress) -> int:
    """Write one kind of record as CSV; return the number of rows."""
    rows = {"mentors": _mentor_rows, "meetings": _meeting_rows, "followups": _followup_rows}[what](conn)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(OWN_COLUMNS[what])
    count = 0
    for row in rows:
        writer.writerow([_cell(v) for v in row])
        count += 1
        if count % 1000 == 0:
            progress(1000)
    progress(count % 1000)
    return count
