"""The Markdown report: the board, each mentor's history, open follow-ups and advice.

`report_context` gathers plain data (strings, numbers, lists, dicts: what the drafting sandbox
accepts) and `write_report` renders it through the drafting package with the `report` template
(`templates/report.md.j2`, or the user's override of it). Times are shown in the profile's zone;
multi-line text arrives as lists of lines so the template can quote or indent it. Each mentor
shows their latest `MEETINGS_SHOWN` meetings and advice items, with a count of the earlier ones,
so a long history stays a readable report. The variables are listed in docs/data.md.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any

from mentorkit.cadences import cadence_words
from mentorkit.clock import date_from_db, from_db
from mentorkit.dates import describe_lateness, format_moment, get_zone
from mentorkit.errors import InvalidInput

MEETINGS_SHOWN = 20
ADVICE_SHOWN = 20
TEMPLATE = "report"


def _lines(text: str | None) -> list[str]:
    return text.strip().splitlines() if text and text.strip() else []


def _zone_or(name: str | None, fallback: tzinfo) -> tzinfo:
    if not name:
        return fallback
    try:
        return get_zone(name)
    except InvalidInput:
        return fallback


def _when(stamp: str, zone: tzinfo) -> str:
    moment = from_db(stamp)
    assert moment is not None
    return format_moment(moment, zone)


def _profile(conn: sqlite3.Connection) -> dict[str, Any]:
    from mentorkit.domain.profile import get_profile

    p = get_profile(conn)
    return {
        "name": p.name,
        "role": p.role,
        "institution": p.institution,
        "timezone": p.timezone,
        "story_lines": _lines(p.story),
        "is_set": p.is_set,
        "goals": [{"arena": a, "text": t} for a, t in sorted(p.goals.items())],
    }


def _where(local: bool | None) -> str | None:
    return None if local is None else ("local" if local else "remote")


def _board(conn: sqlite3.Connection) -> dict[str, Any]:
    from mentorkit.domain.board import build_board

    b = build_board(conn)
    return {
        "arenas": [
            {
                "name": a.name,
                "covered_by": a.covered_by,
                "gap": a.gap,
                "single_point": a.single_point,
                "mentors": [{"name": s.name, "stage": s.stage, "where": _where(s.local)} for s in a.mentors],
                "prospects": [s.name for s in a.prospects],
            }
            for a in b.arenas
        ],
        "gaps": b.gaps,
        "single_points": [{"kind": s.kind, "mentor": s.mentor, "arenas": s.arenas} for s in b.single_points],
        "mix": dict(b.mix),
        "groups": [{"name": g.name, "members": g.members, "cadence": g.cadence} for g in b.groups],
    }


def _followup(r: sqlite3.Row, today: date) -> dict[str, Any]:
    due = date_from_db(r["due_on"])
    return {
        "id": r["id"],
        "text": " ".join(r["text"].split()),
        "owner": r["owner"],
        "mentor_id": r["mentor_id"],
        "with": r["mentor_name"] or r["group_name"],
        "due_on": r["due_on"],
        "late": due is not None and due < today,
        "when": describe_lateness(due, today) if due else None,
    }


def report_context(conn: sqlite3.Connection, now: datetime) -> dict[str, Any]:
    """Everything the report template gets (read in the caller's read transaction)."""
    profile = _profile(conn)
    zone = get_zone(profile["timezone"])
    today = now.astimezone(zone).date()
    followups = [
        _followup(r, today)
        for r in conn.execute(
            "SELECT f.*, m.name AS mentor_name, g.name AS group_name FROM followup f "
            "LEFT JOIN mentor m ON m.id = f.mentor_id LEFT JOIN mgroup g ON g.id = f.group_id "
            "WHERE f.status = 'open' ORDER BY f.due_on IS NULL, f.due_on, f.id"
        )
    ]
    mentors = [
        _mentor(conn, r, zone, today, followups)
        for r in conn.execute(
            "SELECT * FROM mentor ORDER BY kind = 'peer', CASE stage WHEN 'active' THEN 0 WHEN 'pilot' THEN 1 WHEN 'paused' THEN 2 "
            "WHEN 'prospect' THEN 3 ELSE 4 END, name COLLATE NOCASE"
        )
    ]
    outcomes = dict(conn.execute("SELECT outcome, count(*) FROM advice GROUP BY outcome").fetchall())
    return {
        "generated": format_moment(now, zone),
        "today": today.isoformat(),
        "profile": profile,
        "board": _board(conn),
        "followups": followups,
        "mentors": mentors,
        "advice_outcomes": {k: outcomes.get(k, 0) for k in ("helpful", "mixed", "unhelpful", "untested")},
        "counts": {
            "mentors": len(mentors),
            "meetings": conn.execute("SELECT count(*) FROM meeting").fetchone()[0],
            "open_followups": len(followups),
            "advice": sum(outcomes.values()),
        },
    }


def _mentor(
    conn: sqlite3.Connection, r: sqlite3.Row, zone: tzinfo, today: date, followups: list[dict[str, Any]]
) -> dict[str, Any]:
    mid = r["id"]
    arenas = [
        a[0]
        for a in conn.execute(
            "SELECT arena.name FROM mentor_arena JOIN arena ON arena.id = arena_id WHERE mentor_id = ? ORDER BY arena.id",
            (mid,),
        )
    ]
    tags = [t[0] for t in conn.execute("SELECT tag FROM mentor_tag WHERE mentor_id = ? ORDER BY tag", (mid,))]
    total = conn.execute("SELECT count(*) FROM meeting WHERE mentor_id = ?", (mid,)).fetchone()[0]
    from mentorkit.domain.common import LAST_CONTACT_SQL

    last = conn.execute(f"SELECT {LAST_CONTACT_SQL} FROM mentor WHERE id = ?", (mid,)).fetchone()[0]
    meetings = []
    for m in conn.execute(
        "SELECT * FROM meeting WHERE mentor_id = ? ORDER BY starts_at DESC LIMIT ?", (mid, MEETINGS_SHOWN)
    ):
        meetings.append(
            {
                "when": _when(m["starts_at"], _zone_or(m["timezone"], zone)),
                "mode": m["mode"],
                "minutes": m["minutes"],
                "status": m["status"],
                "agenda_lines": _lines(m["agenda"]),
                "notes_lines": _lines(m["notes"]),
                "summary_sent": m["summary_sent_at"] is not None,
            }
        )
    advice_total = conn.execute("SELECT count(*) FROM advice WHERE mentor_id = ?", (mid,)).fetchone()[0]
    advice = [
        {
            "given_on": a["given_on"],
            "text_lines": _lines(a["text"]),
            "arena": a["arena_name"],
            "outcome": a["outcome"],
            "outcome_note": a["outcome_note"],
        }
        for a in conn.execute(
            "SELECT advice.*, arena.name AS arena_name FROM advice LEFT JOIN arena ON arena.id = advice.arena_id "
            "WHERE mentor_id = ? ORDER BY given_on DESC, advice.id DESC LIMIT ?",
            (mid, ADVICE_SHOWN),
        )
    ]
    flags = [
        {
            "kind": f["kind"],
            "raised_on": f["raised_on"],
            "resolved_on": f["resolved_on"],
            "note_lines": _lines(f["note"]),
        }
        for f in conn.execute("SELECT * FROM flag WHERE mentor_id = ? ORDER BY raised_on", (mid,))
    ]
    where = {1: "local", 0: "remote"}.get(r["is_local"])
    return {
        "id": mid,
        "name": r["name"],
        "kind": r["kind"],
        "stage": r["stage"],
        "stage_since": (from_db(r["stage_changed_at"]) or datetime.min).astimezone(zone).date().isoformat(),
        "pilot_review_on": r["pilot_review_on"],
        "end_reason": r["end_reason"],
        "email": r["email"],
        "institution": r["institution"],
        "location": r["location"],
        "timezone": r["timezone"],
        "where": where,
        "source": r["source"],
        "channels": [c for c in (r["channels"] or "").split(",") if c],
        "cadence": cadence_words(r["cadence"], r["cadence_label"]),
        "arenas": arenas,
        "tags": tags,
        "notes_lines": _lines(r["notes"]),
        "last_contact": _when(last, zone) if last else None,
        "meetings": meetings,
        "meetings_total": total,
        "meetings_earlier": max(0, total - len(meetings)),
        "advice": advice,
        "advice_earlier": max(0, advice_total - len(advice)),
        "open_followups": [f for f in followups if f["mentor_id"] == mid],
        "flags": flags,
    }


_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]!|~#&])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+(?=[.)]))")


def markdown_text(value: Any) -> Any:
    """Store text as literal Markdown, recursively: what could make a link, an image, emphasis,
    code, a table, a heading, a quote or a list item is backslash-escaped, `<` becomes `&lt;` (no
    raw HTML), and a line break becomes a space (multi-line texts arrive as lists of lines). A note
    holding `[Reset password](https://evil.example/phish)` or `![p](https://evil.example/t.png)`
    shows as that text, never as a live link or a tracking image; ordinary text reads the same in a
    Markdown viewer."""
    if isinstance(value, str):
        text = " ".join(value.splitlines()) if "\n" in value or "\r" in value else value
        text = _MD_PUNCTUATION.sub(r"\\\1", text).replace("<", "&lt;")
        return _MD_LINE_START.sub(lambda m: f"{m[1]}{m[2]}\\" if m[2][0].isdigit() else f"{m[1]}\\{m[2]}", text)
    if isinstance(value, dict):
        return {k: markdown_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [markdown_text(v) for v in value]
    return value


def write_report(
    conn: sqlite3.Connection, now: datetime, write: Callable[[str], object], template: str = TEMPLATE
) -> int:
    """Write the report as Markdown to `write` while it is rendered; return its number of lines.

    mentorkit's own template streams whatever the store's size; a user's template (`templates edit
    report`, `--template PATH`) is bounded as every user template is (docs/drafting.md)."""
    from mentorkit.drafting import find
    from mentorkit.drafting.engine import stream_template

    found = find(template)
    return stream_template(found, markdown_text(report_context(conn, now)), write)


CHAIR_TEMPLATE = "chair"


def write_chair_report(
    conn: sqlite3.Connection,
    now: datetime,
    zone: tzinfo,
    write: Callable[[str], object],
    *,
    since: date | None = None,
    until: date | None = None,
    include_private: bool = False,
    template: str = CHAIR_TEMPLATE,
) -> int:
    """Write `report`, the one page for a chair (domain/chair.py gathers it), as Markdown to
    `write`; return its number of lines. Store text is literal Markdown (`markdown_text`)."""
    from mentorkit.domain.chair import chair_context
    from mentorkit.drafting import find
    from mentorkit.drafting.engine import stream_template

    found = find(template)
    context = chair_context(conn, now, zone, since=since, until=until, include_private=include_private)
    return stream_template(found, markdown_text(context), write)
