"""Schema version 13, frozen: the full-text index covers people and red flags too.

The index of schema 2 (schema_v2_fts.py) is rebuilt with two more kinds of row:
- `mentor`: the head is the name, title and institution; the body the tags and the notes. A
  change of any of them, or a tag added or removed, re-indexes the person.
- `flag`: the head is its kind (`conflict-of-interest`...), the body its note.

A row's rowid is `id * 8 + code` (8 kinds' room; schema 2 had 4), so a trigger still finds the
row to replace by rowid. The index is derived data: the migration drops the old table and its
triggers and fills the new one from the records (`POPULATE`, which `doctor --rebuild-index` runs
too). Never edit these statements once released: change the index through a new migration.
"""

from __future__ import annotations

from dataclasses import dataclass

ROWID_FACTOR = 8
TAGS = "(SELECT group_concat(tag, ' ') FROM mentor_tag WHERE mentor_id = {r}id)"


@dataclass(frozen=True)
class _Source:
    table: str
    kind: str
    code: int
    head: str  # an SQL expression over the row, `{r}` standing for `new.`, `old.` or `table.`
    body: str
    watched: tuple[str, ...]  # columns whose change re-indexes the row


def _joined(*parts: str) -> str:
    """Texts joined by spaces, the empty ones left out; NULL when all are empty."""
    return "nullif(trim(" + " || ' ' || ".join(f"coalesce({p}, '')" for p in parts) + "), '')"


SOURCES: tuple[_Source, ...] = (
    _Source("meeting", "meeting", 0, "{r}agenda", "{r}notes", ("agenda", "notes")),
    _Source("advice", "advice", 1, "{r}text", "{r}outcome_note", ("text", "outcome_note")),
    _Source("followup", "followup", 2, "{r}text", "NULL", ("text",)),
    _Source("pitch", "pitch", 3, "{r}request", "{r}body", ("request", "body")),
    _Source(
        "mentor",
        "mentor",
        4,
        _joined("{r}name", "{r}title", "{r}institution"),
        _joined(TAGS, "{r}notes"),
        ("name", "title", "institution", "notes"),
    ),
    _Source("flag", "flag", 5, "{r}kind", "{r}note", ("kind", "note")),
)
KIND_CODES = {s.kind: s.code for s in SOURCES}

CREATE_TABLE = (
    "CREATE VIRTUAL TABLE search_index USING fts5("
    "kind UNINDEXED, ref_id UNINDEXED, head, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)
OLD_TRIGGERS = [
    f"DROP TRIGGER {t}_search_{op}"
    for t in ("meeting", "advice", "followup", "pitch")
    for op in ("insert", "update", "delete")
]


def _insert(s: _Source, row: str, where: str = "") -> str:
    """Index the rows of `s.table` (`row` is `new.` in a trigger, else the table's own rows,
    optionally only those matching `where`)."""
    r = row or f"{s.table}."
    head, body = s.head.format(r=r), s.body.format(r=r)
    source = "" if row else f" FROM {s.table}"
    condition = f"coalesce({head}, {body}) IS NOT NULL" + (f" AND {where}" if where else "")
    return (
        "INSERT INTO search_index (rowid, kind, ref_id, head, body) "
        f"SELECT {r}id * {ROWID_FACTOR} + {s.code}, '{s.kind}', {r}id, {head}, {body}{source} WHERE {condition}"
    )


def _delete(s: _Source, ref: str = "old.id") -> str:
    return f"DELETE FROM search_index WHERE rowid = {ref} * {ROWID_FACTOR} + {s.code}"


def _triggers(s: _Source) -> list[str]:
    columns = ", ".join(s.watched)
    return [
        f"CREATE TRIGGER {s.table}_search_insert AFTER INSERT ON {s.table} BEGIN {_insert(s, 'new.')}; END",
        f"CREATE TRIGGER {s.table}_search_update AFTER UPDATE OF {columns} ON {s.table} BEGIN "
        f"{_delete(s)}; {_insert(s, 'new.')}; END",
        f"CREATE TRIGGER {s.table}_search_delete AFTER DELETE ON {s.table} BEGIN {_delete(s)}; END",
    ]


_MENTOR = next(s for s in SOURCES if s.kind == "mentor")
TAG_TRIGGERS = [  # a tag added or removed re-indexes its person (gone already when the person is)
    f"CREATE TRIGGER mentor_tag_search_{op} AFTER {op.upper()} ON mentor_tag BEGIN "
    f"{_delete(_MENTOR, f'{row}.mentor_id')}; {_insert(_MENTOR, '', f'mentor.id = {row}.mentor_id')}; END"
    for op, row in (("insert", "new"), ("delete", "old"))
]

STATEMENTS: list[str] = [
    *OLD_TRIGGERS,
    "DROP TABLE search_index",
    CREATE_TABLE,
    *(t for s in SOURCES for t in _triggers(s)),
    *TAG_TRIGGERS,
]
POPULATE: list[str] = [_insert(s, "") for s in SOURCES]
