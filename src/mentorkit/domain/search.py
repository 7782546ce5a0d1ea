"""Full-text search over meeting agendas and notes, advice, follow-ups, pitches, people (name,
title, institution, tags, notes) and red flags.

The index is the FTS5 table `search_index` (store/schema_v13_search.py), kept in step by triggers.
What a person types is never handed to FTS5 as query syntax: each word becomes a quoted FTS5
string, so `AND`, `NEAR`, `-`, `:`, `(` and stray quotes are just text. The query language is:

- words: every word must appear (in any order); words are stemmed, so `grants` finds `grant`;
- "a phrase in double quotes": the words must appear together, in that order;
- a trailing `*` on a word matches any word that starts with it (`mentor*`).

Hits are ranked by BM25 (best first) and carry a snippet of the text around the matches with the
matched words marked as character spans.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date, tzinfo

from mentorkit.clock import from_db
from mentorkit.domain.common import check_limit, choice
from mentorkit.errors import InvalidInput

KINDS = ("meeting", "advice", "followup", "pitch", "mentor", "flag")
_START, _END = "\x02", "\x03"  # snippet() markers; control characters no note contains
_TOKEN = re.compile(r'"([^"]*)"?|([^\s"]+)')
_SPACE = re.compile(r"\s+")
SNIPPET_TOKENS = 24
MAX_QUERY = 500


@dataclass
class Hit:
    kind: str  # meeting, advice, followup, pitch, mentor (the person), flag
    id: int
    mentor_id: int | None
    mentor: str | None
    group: str | None
    on: date | None
    score: float  # BM25 relevance, higher is better
    snippet: str
    matches: list[tuple[int, int]] = field(default_factory=list)  # [start, end) spans in snippet
    stage: str | None = None  # the stage of the mentor it concerns


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def fts_query(text: str) -> str:
    """The FTS5 query for what a person typed: quoted strings, ANDed; see the module docstring."""
    if len(text) > MAX_QUERY:
        raise InvalidInput(f"the search is {len(text)} characters long; keep it under {MAX_QUERY}")
    parts: list[str] = []
    for m in _TOKEN.finditer(text.replace("\x00", " ")):
        phrase, word = m[1], m[2]
        if phrase is not None:
            if _has_word(phrase):
                parts.append('"' + phrase.replace('"', '""') + '"')
            continue
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if _has_word(word):
            parts.append('"' + word + '"' + ("*" if prefix else ""))
    if not parts:
        raise InvalidInput("the search has no words to look for; give at least one word, e.g. `search grant`")
    return " ".join(parts)


def _spans(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain text (whitespace collapsed) and the spans snippet() marked in it."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start: int | None = None
    length = 0
    for piece in re.split(f"([{_START}{_END}])", _SPACE.sub(" ", marked.strip())):
        if piece == _START:
            start = length
        elif piece == _END:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        else:
            out.append(piece)
            length += len(piece)
    return "".join(out), spans


_SEARCH = """
SELECT s.rowid, s.kind, s.ref_id, bm25(search_index) AS rank,
       coalesce(mt.mentor_id, ad.mentor_id, fu.mentor_id, pi.mentor_id, me.id, fl.mentor_id) AS mentor_id,
       coalesce(mt.group_id, fu.group_id) AS group_id,
       coalesce(mt.starts_at, ad.given_on, fu.created_at, pi.sent_on, pi.created_at, fl.raised_on) AS stamp
FROM search_index AS s
LEFT JOIN meeting AS mt ON s.kind = 'meeting' AND mt.id = s.ref_id
LEFT JOIN advice AS ad ON s.kind = 'advice' AND ad.id = s.ref_id
LEFT JOIN followup AS fu ON s.kind = 'followup' AND fu.id = s.ref_id
LEFT JOIN pitch AS pi ON s.kind = 'pitch' AND pi.id = s.ref_id
LEFT JOIN mentor AS me ON s.kind = 'mentor' AND me.id = s.ref_id
LEFT JOIN flag AS fl ON s.kind = 'flag' AND fl.id = s.ref_id
WHERE search_index MATCH ?
"""
# Snippets only for the hits shown: snippet() on every match before the LIMIT costs ~5x on a
# large store where a common word matches thousands of rows.
_SNIPPET = (
    f"SELECT snippet(search_index, -1, char(2), char(3), '…', {SNIPPET_TOKENS}) "
    "FROM search_index WHERE search_index MATCH ? AND rowid = ?"
)


# FTS5's snippet() scores every window of the text against every match: a 100 KB note that
# matches throughout took 9.6 s. For long texts the snippet is cut here from highlight(), which
# is linear: the window of SNIPPET_TOKENS words holding the most marked words, the first such.
LONG_TEXT = 2_000  # characters (head and body together) from which the snippet is cut here
_LENGTHS = "SELECT coalesce(length(head), 0) + coalesce(length(body), 0) FROM search_index WHERE rowid = ?"
_HIGHLIGHT = (
    "SELECT highlight(search_index, 2, char(2), char(3)), highlight(search_index, 3, char(2), char(3)) "
    "FROM search_index WHERE search_index MATCH ? AND rowid = ?"
)


def _snippet(conn: sqlite3.Connection, query: str, rowid: int) -> str:
    """The text around the matches with the matched words between _START and _END."""
    (size,) = conn.execute(_LENGTHS, (rowid,)).fetchone()
    if (size or 0) < LONG_TEXT:
        return str(conn.execute(_SNIPPET, (query, rowid)).fetchone()[0] or "")
    row = conn.execute(_HIGHLIGHT, (query, rowid)).fetchone()
    texts = [t or "" for t in row] if row else [""]
    return _window(max(texts, key=lambda t: t.count(_START)))


def _window(marked: str) -> str:
    """The SNIPPET_TOKENS words of `marked` that hold the most marked words, '…' where cut."""
    words = marked.split()
    if len(words) <= SNIPPET_TOKENS:
        return " ".join(words)
    hits = [1 if _START in w else 0 for w in words]
    best = count = sum(hits[:SNIPPET_TOKENS])
    start = 0
    for i in range(SNIPPET_TOKENS, len(words)):
        count += hits[i] - hits[i - SNIPPET_TOKENS]
        if count > best:
            best, start = count, i - SNIPPET_TOKENS + 1
    end = start + SNIPPET_TOKENS
    while end < len(words) and end < start + 2 * SNIPPET_TOKENS and _open(words[start:end]):
        end += 1  # a marked phrase runs past the window: end with it
    inside = " ".join(words[start:end])
    if _open(words[start:end]):
        inside += _END
    return ("…" if start else "") + inside + ("…" if end < len(words) else "")


def _open(words: list[str]) -> bool:
    """Whether the last marked span among `words` is still open."""
    for word in reversed(words):
        if _END in word or _START in word:
            return word.rfind(_START) > word.rfind(_END)
    return False


def _day(stamp: str | None, zone: tzinfo) -> date | None:
    if stamp is None:
        return None
    if len(stamp) == 10:
        return date.fromisoformat(stamp)
    moment = from_db(stamp)
    return moment.astimezone(zone).date() if moment else None


def search(
    conn: sqlite3.Connection,
    text: str,
    zone: tzinfo,
    *,
    mentor_id: int | None = None,
    kind: str | None = None,
    limit: int = 20,
) -> list[Hit]:
    """The best `limit` hits for `text`, ranked by BM25; dates are days in `zone`."""
    check_limit(limit)
    query = fts_query(text)
    sql: str = _SEARCH
    params: list[object] = [query]
    if kind:
        sql += " AND s.kind = ?"
        params.append(choice(kind, KINDS, "kind"))
    sql = f"SELECT * FROM ({sql})"
    if mentor_id is not None:
        sql += " WHERE mentor_id = ?"
        params.append(mentor_id)
    sql += " ORDER BY rank, stamp DESC LIMIT ?"
    params.append(limit)
    try:
        rows = conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc).lower() or "syntax" in str(exc).lower():
            raise InvalidInput('cannot search for that; use plain words, "a phrase" or word*') from None
        raise
    names, stages = _names(conn, rows)
    hits = []
    for r in rows:
        snippet, spans = _spans(_snippet(conn, query, r["rowid"]))
        hits.append(
            Hit(
                kind=r["kind"],
                id=r["ref_id"],
                mentor_id=r["mentor_id"],
                mentor=names["mentor"].get(r["mentor_id"]),
                stage=stages.get(r["mentor_id"]),
                group=names["mgroup"].get(r["group_id"]),
                on=_day(r["stamp"], zone),
                score=round(-r["rank"], 4),
                snippet=snippet,
                matches=spans,
            )
        )
    return hits


def _names(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> tuple[dict[str, dict[int, str]], dict[int, str]]:
    """The names of the mentors and groups the hits concern, and the mentors' stages."""
    found: dict[str, dict[int, str]] = {"mentor": {}, "mgroup": {}}
    stages: dict[int, str] = {}
    for table, column in (("mentor", "mentor_id"), ("mgroup", "group_id")):
        ids = sorted({r[column] for r in rows if r[column] is not None})
        if ids:
            marks = ",".join("?" for _ in ids)
            stage = "stage" if table == "mentor" else "NULL"
            for row in conn.execute(f"SELECT id, name, {stage} FROM {table} WHERE id IN ({marks})", ids):
                found[table][row[0]] = row[1]
                if row[2] is not None:
                    stages[row[0]] = row[2]
    return found, stages


def rebuild_index(conn: sqlite3.Connection) -> int:
    """Refill the index from the tables (for `doctor`); returns the number of rows indexed."""
    from mentorkit.store import schema_v13_search

    conn.execute("DELETE FROM search_index")
    for statement in schema_v13_search.POPULATE:
        conn.execute(statement)
    return int(conn.execute("SELECT count(*) FROM search_index").fetchone()[0])
