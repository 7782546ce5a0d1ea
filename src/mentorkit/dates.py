"""All parsing of dates, times, phrases, time zones and cadences, in one place.

python-dateutil misreads relative phrases ("in 2 weeks" fuzzily becomes a day of this month), so
the phrases a person types are a small grammar of our own over `relativedelta`. Anything the
grammar does not recognise is refused with the accepted forms, never guessed.

Conventions (also in docs/dates.md):
- `friday` is the coming Friday, today included; `next friday` is the first Friday after today;
  `last friday` the latest Friday before today. With `past=True` (logging what happened), a bare
  weekday means the latest such day, today included.
- A date-time without a zone is in the profile's zone (or `--tz`). A wall time that falls in a DST
  gap moves forward by the gap (02:30 becomes 03:30); one that happens twice (a fold) is the first.
- Numeric dates whose day and month could be swapped (03/04/2026) need the profile's date order.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, TypeVar

from mentorkit.errors import InvalidInput

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

ACCEPTED_DATES = (
    "today, tomorrow, yesterday, friday, next friday, last friday, in 3 days, in 2 weeks, "
    "in 1 month, 3 days ago, +3d, +2w, -1m, 2026-12-03, 3 Dec 2026, Dec 3"
)
ACCEPTED_TIMES = "15:00, 9:30, 3pm, 3:30pm, noon"

WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
UNITS = {
    "d": "days",
    "day": "days",
    "days": "days",
    "w": "weeks",
    "wk": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "m": "months",
    "mo": "months",
    "month": "months",
    "months": "months",
    "y": "years",
    "yr": "years",
    "year": "years",
    "years": "years",
}
DATE_ORDERS = ("DMY", "MDY", "YMD")
MAX_OFFSET = 1200  # "in 5000 weeks" is a typo, not a plan
FIRST_DAY = date(1000, 1, 1)
LAST_DAY = date(9998, 12, 31)
"""The dates mentorkit keeps (UTC for instants). A day of margin on each side of years 1 and 9999
leaves room for every zone's offset, an all-day event's end and a meeting's length, so anything
accepted can be shown and exported; years before 1000 would also print with fewer digits."""

_Day = TypeVar("_Day", date, datetime)

# Patterns as text: `re` compiles each on first use and keeps it, and most commands parse no date.
_SPACES = r"\s+"
_ISO_DATE = r"^(\d{4})-(\d{2})-(\d{2})$"
_NUMERIC = r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$"
_OFFSET = r"^([+-])(\d{1,4})\s*([a-z]+)$"
_IN = r"^in\s+(\d{1,4}|a|an|one)\s+([a-z]+)$"
_AGO = r"^(\d{1,4}|a|an|one)\s+([a-z]+)\s+ago$"
_DAY_MONTH = r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?(?:\s+(\d{4}))?$"
_MONTH_DAY = r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$"
_TIME = r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|h)?$"


def in_range(value: _Day, what: str) -> _Day:
    """`value` if it lies in FIRST_DAY..LAST_DAY (an instant by its UTC date), else InvalidInput.

    The one range check for dates and instants, typed or imported; `what` names the input.
    """
    day = value.astimezone(UTC).date() if isinstance(value, datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(
            f"{what} is outside the dates mentorkit keeps (the years {FIRST_DAY.year} to {LAST_DAY.year}); give a date in that range"
        )
    return value


def _clean(text: str) -> str:
    return re.sub(_SPACES, " ", text.strip().lower())


def _bad_date(text: str) -> InvalidInput:
    return InvalidInput(f"cannot read the date {text!r}; use a form like: {ACCEPTED_DATES}")


def _count(word: str) -> int:
    return 1 if word in ("a", "an", "one") else int(word)


def _shift(day: date, amount: int, unit_word: str, text: str) -> date:
    from dateutil.relativedelta import relativedelta

    unit = UNITS.get(unit_word)
    if unit is None:
        raise _bad_date(text)
    if abs(amount) > MAX_OFFSET:
        raise InvalidInput(f"{text!r} is too far away; give a date within {MAX_OFFSET} units")
    try:
        return day + relativedelta(**{unit: amount})
    except (OverflowError, ValueError):
        raise _bad_date(text) from None


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a real calendar date") from None


def _numeric(a: str, b: str, c: str, text: str, date_order: str | None) -> date:
    if len(a) == 4:  # 2026/12/03 is year-month-day everywhere
        return _make_date(int(a), int(b), int(c), text)
    if len(c) != 4:
        raise InvalidInput(f"{text!r} needs a four-digit year, e.g. 2026-12-03")
    first, second, year = int(a), int(b), int(c)
    if date_order is None:
        if first > 12 >= second:
            return _make_date(year, second, first, text)
        if second > 12 >= first:
            return _make_date(year, first, second, text)
        if first == second:
            return _make_date(year, first, second, text)
        raise InvalidInput(
            f"{text!r} is ambiguous (day/month or month/day?); write 2026-12-03, or set "
            "`mentorkit profile set --date-order DMY` (or MDY)"
        )
    if date_order == "MDY":
        return _make_date(year, first, second, text)
    return _make_date(year, second, first, text)


def _month_day(month_word: str, day_text: str, year_text: str | None, today: date, past: bool, text: str) -> date:
    month = MONTHS.get(month_word)
    if month is None:
        raise _bad_date(text)
    if year_text:
        return _make_date(int(year_text), month, int(day_text), text)
    candidate = _make_date(today.year, month, int(day_text), text)
    if past and candidate > today:
        return _make_date(today.year - 1, month, int(day_text), text)
    if not past and candidate < today:
        return _make_date(today.year + 1, month, int(day_text), text)
    return candidate


def parse_date(text: str, *, today: date, date_order: str | None = None, past: bool = False) -> date:
    """A calendar date from ISO text or a phrase; see the module docstring for the rules."""
    return in_range(_parse_date(text, today=today, date_order=date_order, past=past), repr(text))


def _parse_date(text: str, *, today: date, date_order: str | None, past: bool) -> date:
    phrase = _clean(text)
    if not phrase or len(phrase) > 40:
        raise _bad_date(text)
    if phrase == "today" or phrase == "now":
        return today
    if phrase == "tomorrow":
        return today + timedelta(days=1)
    if phrase == "yesterday":
        return today - timedelta(days=1)
    if phrase in ("next week", "next month", "next year"):
        return _shift(today, 1, phrase.split()[1], text)
    words = phrase.split(" ")
    if len(words) <= 2 and words[-1] in WEEKDAYS:
        target = WEEKDAYS[words[-1]]
        modifier = words[0] if len(words) == 2 else ""
        ahead = (target - today.weekday()) % 7
        behind = (today.weekday() - target) % 7
        if modifier == "next":
            return today + timedelta(days=ahead or 7)
        if modifier == "last":
            return today - timedelta(days=behind or 7)
        if modifier == "this" or modifier == "":
            return today - timedelta(days=behind) if past else today + timedelta(days=ahead)
        raise _bad_date(text)
    if m := re.match(_ISO_DATE, phrase):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), text)
    if m := re.match(_NUMERIC, phrase):
        return _numeric(m[1], m[2], m[3], text, date_order)
    if m := re.match(_OFFSET, phrase):
        sign = 1 if m[1] == "+" else -1
        return _shift(today, sign * int(m[2]), m[3], text)
    if m := re.match(_IN, phrase):
        return _shift(today, _count(m[1]), m[2], text)
    if m := re.match(_AGO, phrase):
        return _shift(today, -_count(m[1]), m[2], text)
    if m := re.match(_DAY_MONTH, phrase):
        return _month_day(m[2], m[1], m[3], today, past, text)
    if m := re.match(_MONTH_DAY, phrase):
        return _month_day(m[1], m[2], m[3], today, past, text)
    raise _bad_date(text)


def parse_time(text: str) -> time:
    phrase = _clean(text)
    if phrase == "noon":
        return time(12, 0)
    if phrase == "midnight":
        return time(0, 0)
    m = re.match(_TIME, phrase)
    if not m:
        raise InvalidInput(f"cannot read the time {text!r}; use a form like: {ACCEPTED_TIMES}")
    hour, minute, suffix = int(m[1]), int(m[2] or 0), (m[3] or "").replace(".", "")
    if suffix in ("am", "pm"):
        if not 1 <= hour <= 12:
            raise InvalidInput(f"{text!r} is not a time: with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif m[2] is None and suffix != "h":
        raise InvalidInput(f"{text!r} is ambiguous as a time; write 15:00 or 3pm")
    if hour > 23 or minute > 59:
        raise InvalidInput(f"{text!r} is not a time of day; use a form like: {ACCEPTED_TIMES}")
    return time(hour, minute)


def localize(naive: datetime, zone: tzinfo) -> datetime:
    """Attach a zone to a wall time: gaps move forward by the gap, folds take the first time."""
    candidate = naive.replace(tzinfo=zone, fold=0)
    round_trip = candidate.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != naive:  # in a gap: the wall time does not exist
        return round_trip
    return candidate


_ISO_DATETIME = r"^\d{4}-\d{2}-\d{2}[t ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})?$"


def parse_datetime(
    text: str,
    *,
    now: datetime,
    zone: tzinfo,
    date_order: str | None = None,
    past: bool = False,
    default_time: time | None = None,
) -> datetime:
    """An aware date-time. `now` must be aware; wall times are read in `zone`.

    Without a time of day the result is at `default_time`; when that is None a time is required.
    """
    moment = _parse_datetime(text, now=now, zone=zone, date_order=date_order, past=past, default_time=default_time)
    return in_range(moment, repr(text))


def _parse_datetime(
    text: str, *, now: datetime, zone: tzinfo, date_order: str | None, past: bool, default_time: time | None
) -> datetime:
    phrase = _clean(text)
    if not phrase:
        raise _bad_date(text)
    if phrase == "now":
        return now.astimezone(zone)
    if re.match(_ISO_DATETIME, phrase):
        try:
            parsed = datetime.fromisoformat(phrase.upper().replace(" ", "T"))
        except ValueError:
            raise InvalidInput(f"{text!r} is not a real date and time") from None
        in_range(parsed.date(), repr(text))  # before a zone shift can overflow
        if parsed.tzinfo is not None:
            return parsed.astimezone(zone)
        return localize(parsed, zone)
    today = now.astimezone(zone).date()
    date_part, time_part = _split_time(phrase)
    if time_part is not None:
        clock = parse_time(time_part)
        day = today if date_part == "" else parse_date(date_part, today=today, date_order=date_order, past=past)
    else:
        day = parse_date(phrase, today=today, date_order=date_order, past=past)
        if default_time is None:
            raise InvalidInput(f"{text!r} has no time of day; add one, e.g. '{text} 15:00' or '{text} 3pm'")
        clock = default_time
    return localize(datetime.combine(day, clock), zone)


def has_time_of_day(text: str) -> bool:
    """Whether a date-time phrase names a time of day ('yesterday 15:00', 'now', an ISO date-time)
    rather than only a day ('3 days ago', 'monday'): a contact given by its day is shown as a day."""
    phrase = _clean(text)
    return phrase == "now" or bool(re.match(_ISO_DATETIME, phrase)) or _split_time(phrase)[1] is not None


def _split_time(phrase: str) -> tuple[str, str | None]:
    """Split 'friday at 3pm' into ('friday', '3pm'); ('next week', None) when there is no time."""
    if phrase in ("noon", "midnight") or (re.match(_TIME, phrase) and _looks_like_time(phrase)):
        return "", phrase
    head, sep, tail = phrase.rpartition(" ")
    if not sep:
        return phrase, None
    if tail in ("am", "pm") and " " in head:  # "friday 3 pm"
        head, _, hour = head.rpartition(" ")
        tail = hour + tail
    if tail in ("noon", "midnight") or (re.match(_TIME, tail) and _looks_like_time(tail)):
        head = head.removesuffix(" at").removesuffix(",")
        return ("" if head == "at" else head), tail
    return phrase, None


def _looks_like_time(token: str) -> bool:
    return any(mark in token for mark in (":", "am", "pm", "a.m.", "p.m.")) or token.endswith("h")


def get_zone(name: str) -> ZoneInfo:
    """An IANA zone by name, or a clear error."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    cleaned = name.strip()
    if not cleaned or len(cleaned) > 64 or "\x00" in cleaned:
        raise InvalidInput(f"{name!r} is not a time zone; use an IANA name like America/New_York")
    try:
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(
            f"unknown time zone {name!r}; use an IANA name like America/New_York or Europe/London"
        ) from None


def local_zone_name() -> str:
    """The machine's zone as an IANA name when it can be found, else UTC."""
    import os

    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        return env
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "UTC"


# ---- showing -------------------------------------------------------------------------------


def zone_abbrev(moment: datetime) -> str:
    """'CST'; or the offset ('UTC+04:00') when the abbreviation would not say which of two
    repeated wall times is meant (Moscow, 26 Oct 2014: 01:30 MSK happened at +04, then at +03)."""
    other = moment.replace(fold=1 - moment.fold)
    if other.utcoffset() != moment.utcoffset() and other.tzname() == moment.tzname():
        offset = moment.strftime("%z")
        return f"UTC{offset[:3]}:{offset[3:5]}"
    return moment.strftime("%Z") or "UTC"


def format_day(day: date) -> str:
    """'Thu 3 Dec 2026': the one way a calendar date is shown to a person (JSON keeps ISO dates).
    An instant is shown as a day in the profile's zone: `format_day(moment.astimezone(zone).date())`."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def format_moment(moment: datetime, zone: tzinfo) -> str:
    """'Thu 3 Dec 2026 15:00 CST': the one way an instant is shown, in `zone` (the profile's)."""
    local = moment.astimezone(zone)
    return f"{format_day(local.date())} {local:%H:%M} {zone_abbrev(local)}"


def format_meeting_time(
    moment: datetime, my_zone: tzinfo, their_zone: tzinfo | None, their_name: str | None = None
) -> str:
    """'Thu 3 Dec 2026 15:00 CST (16:00 EST for Teresa)'; theirs only when the wall time differs."""
    text = format_moment(moment, my_zone)
    when = format_their_time(moment, my_zone, their_zone)
    if when is None:
        return text
    from mentorkit.names import first_name

    who = f" for {first_name(their_name)}" if their_name else ""
    return f"{text} ({when}{who})"


def format_their_time(moment: datetime, my_zone: tzinfo, their_zone: tzinfo | None) -> str | None:
    """'16:00 EST' (or 'Fri 4 Dec 2026 01:00 JST' on another day): the time for the other side, or
    None when they have no zone or their wall time is the same as mine."""
    if their_zone is None:
        return None
    mine, theirs = moment.astimezone(my_zone), moment.astimezone(their_zone)
    if theirs.utcoffset() == mine.utcoffset() and zone_abbrev(theirs) == zone_abbrev(mine):
        return None
    when = f"{theirs:%H:%M}" if theirs.date() == mine.date() else f"{format_day(theirs.date())} {theirs:%H:%M}"
    return f"{when} {zone_abbrev(theirs)}"


def describe_lateness(due: date, today: date) -> str:
    days = (today - due).days
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} late"
    if days == 0:
        return "due today"
    return f"in {-days} day{'s' if days != -1 else ''}"


# Cadences live in mentorkit.cadences; these names stay importable from here.
from mentorkit.cadences import (  # noqa: E402
    ACCEPTED_CADENCES,
    NAMED_CADENCES,
    Cadence,
    approx_days,
    cadence_dates,
    cadence_words,
    describe_rule,
    next_occurrence,
    parse_cadence,
)

__all__ = [
    "ACCEPTED_CADENCES",
    "NAMED_CADENCES",
    "Cadence",
    "approx_days",
    "cadence_dates",
    "cadence_words",
    "describe_rule",
    "next_occurrence",
    "parse_cadence",
]
