"""The current time, and the one text format instants take in the store.

Instants are stored as ISO 8601 UTC text with a `Z` (`2026-11-25T15:35:09Z`): it sorts as time
does, SQLite's date functions read it, and it always comes back as an aware datetime.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

DB_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def to_db(moment: datetime) -> str:
    """An aware datetime as store text. Naive datetimes are a programming error."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime cannot be stored; attach a time zone first")
    utc = moment.astimezone(UTC)
    # Not strftime: its %Y does not pad years before 1000, and the text must sort as time does.
    return f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"


def from_db(text: str | None) -> datetime | None:
    if text is None:
        return None
    if len(text) == 20 and text[4] == text[7] == "-" and text[10] == "T" and text[19] == "Z":
        # The store's own format: fromisoformat reads it ten times faster than strptime (and
        # without importing _strptime), to the same aware UTC datetime.
        return datetime.fromisoformat(text)
    return datetime.strptime(text, DB_FORMAT).replace(tzinfo=UTC)


def db_now() -> str:
    return to_db(utcnow())


def date_from_db(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)
