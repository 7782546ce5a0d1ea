"""Schema version 2, frozen: the full-text index behind `mentorkit search`.

One FTS5 table, `search_index`, holds a row per searchable record: a meeting (agenda, notes), a
piece of advice (text, outcome note), a follow-up (text) and a pitch (request, body). Each row
has two indexed columns, `head` and `body`, and two unindexed ones naming its source (`kind`,
`ref_id`). Its rowid is derived from the source (`id * 4 + code`), so the triggers below find
the row to replace or delete by rowid, without scanning.

The store keeps the index in step itself: triggers on each source table re-index a record when
its text changes and drop it when the record is deleted. A record with no text at all gets no row.
`POPULATE` fills the index from rows that already exist (the migration runs it once; it can be
re-run after `DELETE FROM search_index` to rebuild).

Never edit these statements once released: change the index through a new migration.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class _Source:
    table: str
    kind: str
    code: int
    head: str
    body: str  # an SQL expression over the row ("NULL" when the record has one text)
    watched: tuple[str, ...]  # columns whose change re-indexes the row


SOURCES: tuple[_Source, ...] = (
    _Source("meeting", "meeting", 0, "agenda", "notes", ("agenda", "notes")),
    _Source("advice", "advice", 1, "text", "outcome_note", ("text", "outcome_note")),
    _Source("followup", "followup", 2, "text", "NULL", ("text",)),
    _Source("pitch", "pitch", 3, "request", "body", ("request", "body")),
)
KIND_CODES = {s.kind: s.code for s in SOURCES}
ROWID_FACTOR = 4

CREATE_TABLE = (
    "CREATE VIRTUAL TABLE search_index USING fts5("
    "kind UNINDEXED, ref_id UNINDEXED, head, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)


def _on(expr: str, prefix: str) -> str:
    """A column expression evaluated on `new.`/`old.` or a plain table row ("NULL" stays)."""
    return expr if expr == "NULL" else f"{prefix}{expr}"


def _insert(s: _Source, prefix: str) -> str:
    head, body = _on(s.head, prefix), _on(s.body, prefix)
    source = "" if prefix else f" FROM {s.table}"
    return (
        "INSERT INTO search_index (rowid, kind, ref_id, head, body) "
        f"SELECT {prefix}id * {ROWID_FACTOR} + {s.code}, '{s.kind}', {prefix}id, {head}, {body}"
        f"{source} WHERE coalesce({head}, {body}) IS NOT NULL"
    )


def _delete(s: _Source) -> str:
    return f"DELETE FROM search_index WHERE rowid = old.id * {ROWID_FACTOR} + {s.code}"


def _triggers(s: _Source) -> list[str]:
    columns = ", ".join(s.watched)
    return [
        f"CREATE TRIGGER {s.table}_search_insert AFTER INSERT ON {s.table} BEGIN {_insert(s, 'new.')}; END",
        f"CREATE TRIGGER {s.table}_search_update AFTER UPDATE OF {columns} ON {s.table} BEGIN "
        f"{_delete(s)}; {_insert(s, 'new.')}; END",
        f"CREATE TRIGGER {s.table}_search_delete AFTER DELETE ON {s.table} BEGIN {_delete(s)}; END",
    ]


STATEMENTS: list[str] = [CREATE_TABLE] + [t for s in SOURCES for t in _triggers(s)]
POPULATE: list[str] = [_insert(s, "") for s in SOURCES]
