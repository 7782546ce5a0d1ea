"""Mentoring agreements: one per mentor, what was agreed and when, and when to review it (issue 19).

`agreement set` records it: the text (what we agreed, in the mentee's words or the edited draft),
the day it was agreed, the review date (six months on unless given), and the meeting cadence,
length and channel. The agreed cadence becomes the mentor's cadence, so check-ins follow it. The
review date appears in `followups` (kind `agreement`) until a new review date is set.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from mentorkit.clock import date_from_db, from_db, to_db
from mentorkit.domain.common import clean_text, new_uuid
from mentorkit.errors import InvalidInput

REVIEW_AFTER = "in 6 months"
"""The review date when none is given, counted from the day agreed (the dates grammar)."""


@dataclass
class Agreement:
    id: int
    uuid: str
    mentor_id: int
    mentor: str
    text: str | None
    agreed_on: date
    review_on: date | None
    cadence: str | None
    cadence_label: str | None
    minutes: int | None
    channel: str | None
    created_at: datetime
    updated_at: datetime


def _row(r: sqlite3.Row) -> Agreement:
    return Agreement(
        id=r["id"],
        uuid=r["uuid"],
        mentor_id=r["mentor_id"],
        mentor=r["mentor_name"],
        text=r["text"],
        agreed_on=date.fromisoformat(r["agreed_on"]),
        review_on=date_from_db(r["review_on"]),
        cadence=r["cadence"],
        cadence_label=r["cadence_label"],
        minutes=r["minutes"],
        channel=r["channel"],
        created_at=from_db(r["created_at"]),  # type: ignore[arg-type]
        updated_at=from_db(r["updated_at"]),  # type: ignore[arg-type]
    )


_SELECT = "SELECT agreement.*, mentor.name AS mentor_name FROM agreement JOIN mentor ON mentor.id = agreement.mentor_id"


def get_agreement(conn: sqlite3.Connection, mentor_id: int) -> Agreement | None:
    row = conn.execute(f"{_SELECT} WHERE agreement.mentor_id = ?", (mentor_id,)).fetchone()
    return None if row is None else _row(row)


def list_agreements(conn: sqlite3.Connection) -> list[Agreement]:
    return [_row(r) for r in conn.execute(f"{_SELECT} ORDER BY mentor.name COLLATE NOCASE, mentor.id")]


def set_agreement(
    conn: sqlite3.Connection,
    now: datetime,
    today: date,
    mentor_id: int,
    *,
    text: str | None = None,
    agreed_on: date | None = None,
    review_on: date | None = None,
    cadence: str | None = None,
    minutes: int | None = None,
    channel: str | None = None,
) -> tuple[Agreement, bool]:
    """Record (or renew) the agreement with a mentor; (it, whether it is new). Fields not given
    keep their value on a renewal; a renewal without `review_on` that moves `agreed_on` gets the
    default review date again. The agreed cadence becomes the mentor's cadence."""
    from mentorkit.dates import parse_cadence, parse_date

    row = conn.execute("SELECT stage, cadence, cadence_label FROM mentor WHERE id = ?", (mentor_id,)).fetchone()
    assert row is not None, "resolve the mentor first"
    if row["stage"] == "ended":
        raise InvalidInput(
            f"mentor #{mentor_id} has ended; an agreement is for a current relationship "
            f"(`mentorkit stage {mentor_id} active` first if it has resumed)"
        )
    old = get_agreement(conn, mentor_id)
    body = clean_text(text, "the agreement text") if text is not None else (old.text if old else None)
    agreed = agreed_on or (old.agreed_on if old else today)
    if review_on is None:
        if old is not None and old.review_on is not None and agreed == old.agreed_on:
            review_on = old.review_on
        else:
            review_on = parse_date(REVIEW_AFTER, today=agreed)
    if review_on <= agreed:
        raise InvalidInput("the review date must come after the day the agreement was made; use --review-on DATE")
    rule, label = (old.cadence, old.cadence_label) if old else (row["cadence"], row["cadence_label"])
    if cadence is not None:
        parsed = parse_cadence(cadence)
        rule, label = parsed.rule, parsed.label
    if minutes is not None and not 1 <= minutes <= 24 * 60:
        raise InvalidInput("--minutes must be from 1 to 1440")
    length = minutes if minutes is not None else (old.minutes if old else None)
    how = clean_text(channel, "the channel", limit=200) if channel is not None else (old.channel if old else None)
    stamp = to_db(now)
    values = (body, agreed.isoformat(), review_on.isoformat(), rule, label, length, how)
    if old is None:
        conn.execute(
            "INSERT INTO agreement (uuid, mentor_id, text, agreed_on, review_on, cadence, cadence_label, minutes, "
            "channel, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_uuid(), mentor_id, *values, stamp, stamp),
        )
    else:
        conn.execute(
            "UPDATE agreement SET text = ?, agreed_on = ?, review_on = ?, cadence = ?, cadence_label = ?, "
            "minutes = ?, channel = ?, updated_at = ? WHERE id = ?",
            (*values, stamp, old.id),
        )
    if rule is not None and rule != row["cadence"]:
        conn.execute(
            "UPDATE mentor SET cadence = ?, cadence_label = ?, updated_at = ? WHERE id = ?",
            (rule, label, stamp, mentor_id),
        )
    result = get_agreement(conn, mentor_id)
    assert result is not None
    return result, old is None


@dataclass
class ReviewDue:
    mentor_id: int
    mentor: str
    agreed_on: date
    review_on: date


def reviews_due(conn: sqlite3.Connection, horizon: date | None, mentor_id: int | None = None) -> list[ReviewDue]:
    """Agreements whose review date is on or before `horizon` (every dated one when None), for
    relationships that have not ended."""
    sql = (
        "SELECT agreement.mentor_id, mentor.name, agreement.agreed_on, agreement.review_on FROM agreement "
        "JOIN mentor ON mentor.id = agreement.mentor_id WHERE agreement.review_on IS NOT NULL "
        "AND mentor.stage != 'ended'"
    )
    params: list[object] = []
    if horizon is not None:
        sql += " AND agreement.review_on <= ?"
        params.append(horizon.isoformat())
    if mentor_id is not None:
        sql += " AND agreement.mentor_id = ?"
        params.append(mentor_id)
    return [
        ReviewDue(r["mentor_id"], r["name"], date.fromisoformat(r["agreed_on"]), date.fromisoformat(r["review_on"]))
        for r in conn.execute(sql, params)
    ]
