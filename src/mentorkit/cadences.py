"""Cadences: how often to be in touch, read from words or an RRULE and shown back in words.

A cadence is stored as an RFC 5545 RRULE value (without "RRULE:") and a label in words. The
words a person types and the words mentorkit shows are one small grammar (docs/dates.md):

- named: daily, weekly, biweekly/fortnightly, monthly, bimonthly, quarterly, yearly/annually;
- every N: every 10 days, every 3 weeks, every other week, every 2 months, every year;
- a weekday of the week: every tuesday, every other tuesday, every tuesday and thursday,
  every 3 weeks on tuesday;
- a weekday of the month: first tuesday, every first tuesday of the month, last friday, the first
  and third monday of each month, second wednesday of every other month;
- a day of the month: the 15th of each month, the last day of each month.

`describe_rule` turns any rule of that grammar, whoever typed it (an RRULE such as
FREQ=MONTHLY;BYDAY=1TU included), into the canonical words ("first Tuesday of each month"),
which `parse_cadence` reads back as the same rule. A rule outside the grammar (RRULE only) is
shown as "custom repeat (RRULE ...)": still accepted and kept, never guessed at.

This module imports nothing from mentorkit.dates at import time (dates re-exports its names,
so callers of `dates.parse_cadence` keep working).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from mentorkit.errors import InvalidInput

NAMED_CADENCES = {
    "daily": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "fortnightly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY",
    "bimonthly": "FREQ=MONTHLY;INTERVAL=2",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "yearly": "FREQ=YEARLY",
    "annually": "FREQ=YEARLY",
}
ACCEPTED_CADENCES = (
    "weekly, biweekly, monthly, quarterly, every 10 days, every other week, every tuesday, "
    "first tuesday, last friday, the 15th of each month, or an RRULE such as FREQ=MONTHLY;BYDAY=1TU"
)
_FREQ_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 30, "YEARLY": 365}
_UNIT_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
_FREQ_UNIT = {v: k for k, v in _UNIT_FREQ.items()}
SIMPLE_RULE = re.compile(r"^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(?:;INTERVAL=(\d+))?$")
# Patterns as text (re compiles each on first use): only a cadence being read from words needs them.
_EVERY = r"^every\s+(\d{1,3}|other)?\s*(day|days|week|weeks|month|months|year|years)$"

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_WORDS = {
    **{name.lower(): i for i, name in enumerate(DAY_NAMES)},
    **{name.lower()[:3]: i for i, name in enumerate(DAY_NAMES)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
_DAY_WORDS.update({f"{word}s": i for word, i in list(_DAY_WORDS.items()) if len(word) > 3})  # "tuesdays"
ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_ORDINALS = {
    **{word: n for n, word in ORDINAL_WORDS.items()},
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
}
_MONTH_TAIL = r"\s+(?:(?:of\s+)?(?:the|each|every)\s+month|monthly|of\s+every\s+(other|\d{1,2})\s+months?)$"
_WEEKS_ON = r"^(?:every\s+(other|\d{1,2})\s+weeks?|weekly|every\s+week)\s+on\s+(.+)$"
_MONTH_DAY = r"^(?:every\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?(?:\s+day)?$"
_LAST_DAY = r"^(?:every\s+)?(?:the\s+)?last\s+day$"


@dataclass(frozen=True)
class Cadence:
    rule: str  # RFC 5545 RRULE value, without the "RRULE:" prefix
    label: str  # the words: what the user typed (named and every-N forms) or the rule's canonical words


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _bad(text: str) -> InvalidInput:
    return InvalidInput(f"cannot read the cadence {text!r}; use {ACCEPTED_CADENCES}")


def _interval(word: str | None) -> int:
    if word is None:
        return 1
    return 2 if word == "other" else int(word)


def _rule(freq: str, interval: int = 1, **parts: str) -> str:
    """The canonical text of a rule: FREQ, INTERVAL, then the BY parts in a fixed order."""
    text = f"FREQ={freq}" + (f";INTERVAL={interval}" if interval > 1 else "")
    for key in ("BYMONTHDAY", "BYDAY"):
        if key in parts:
            text += f";{key}={parts[key]}"
    return text


def parse_cadence(text: str) -> Cadence:
    """A cadence from words or an RRULE; anything else is refused with the accepted forms."""
    phrase = _clean(text)
    if phrase in NAMED_CADENCES:
        return Cadence(NAMED_CADENCES[phrase], phrase)
    if m := re.match(_EVERY, phrase):
        count = _interval(m[1])
        if count < 1:
            raise InvalidInput(f"cadence {text!r} must repeat at least every 1 {m[2].rstrip('s')}")
        unit = m[2].rstrip("s")
        rule = _rule(_UNIT_FREQ[unit], count)
        if m[1] == "other":
            return Cadence(rule, f"every other {unit}")
        return Cadence(rule, f"every {count} {unit}s" if count > 1 else f"every {unit}")
    upper = text.strip().upper().removeprefix("RRULE:")
    if upper.startswith("CUSTOM REPEAT (RRULE ") and upper.endswith(")"):  # describe_rule's words, read back
        upper = upper.removeprefix("CUSTOM REPEAT (RRULE ")[:-1].strip()
    if upper.startswith("FREQ=") or ";FREQ=" in upper:
        _validate_rrule(upper, text)
        return Cadence(upper, describe_rule(upper))
    rule = _words_rule(phrase, text)
    _validate_rrule(rule, text)
    return Cadence(rule, describe_rule(rule))


def _words_rule(phrase: str, text: str) -> str:
    """The rule of a weekday or month-day phrase (the grammar in the module docstring)."""
    if m := re.match(_WEEKS_ON, phrase):
        interval = _interval(m[1])
        if interval < 1:
            raise InvalidInput(f"cadence {text!r} must repeat at least every 1 week")
        return _rule("WEEKLY", interval, BYDAY=",".join(DAY_CODES[d] for d in _weekdays(m[2], text)))
    interval = 1
    if m := re.search(_MONTH_TAIL, phrase):
        interval = _interval(m[1])
        phrase = phrase[: m.start()]
        monthly = True
    else:
        monthly = False
    if interval < 1:
        raise InvalidInput(f"cadence {text!r} must repeat at least every 1 month")
    if monthly and (m := re.match(_MONTH_DAY, phrase)):
        day = int(m[1])
        if not 1 <= day <= 31:
            raise InvalidInput(f"cadence {text!r}: a day of the month is 1 to 31")
        return _rule("MONTHLY", interval, BYMONTHDAY=str(day))
    if monthly and re.match(_LAST_DAY, phrase):
        return _rule("MONTHLY", interval, BYMONTHDAY="-1")
    words = phrase.replace(",", " , ").split()
    if words[:1] == ["every"]:
        words = words[1:]
    if words[:1] == ["the"]:
        words = words[1:]
    if not words:
        raise _bad(text)
    if not monthly and words[0] not in _ORDINALS:
        # every tuesday / every other tuesday / every tuesday and thursday
        week_interval = 1
        if words[0] == "other" or words[0].isdecimal():
            week_interval = _interval(words[0])
            words = words[1:]
        if not phrase.startswith("every") or week_interval < 1:
            raise _bad(text)
        days = _weekdays(" ".join(words), text)
        return _rule("WEEKLY", week_interval, BYDAY=",".join(DAY_CODES[d] for d in days))
    if not monthly and phrase.startswith("every second "):
        raise InvalidInput(
            f"cadence {text!r} is ambiguous (every other week, or the second of the month?); "
            "write 'every other tuesday' or 'second tuesday of the month'"
        )
    return _rule("MONTHLY", interval, BYDAY=_ordinal_days(words, text))


def _weekdays(words: str, text: str) -> list[int]:
    days: list[int] = []
    for word in words.replace(",", " ").split():
        if word == "and":
            continue
        if word not in _DAY_WORDS:
            raise _bad(text)
        if _DAY_WORDS[word] not in days:
            days.append(_DAY_WORDS[word])
    if not days:
        raise _bad(text)
    return sorted(days)


def _ordinal_days(words: list[str], text: str) -> str:
    """'first and third tuesday and last friday' -> '1TU,3TU,-1FR' (by weekday, then ordinal)."""
    pending: list[int] = []
    found: set[tuple[int, int]] = set()
    for word in words:
        if word in (",", "and"):
            continue
        if word in _ORDINALS:
            pending.append(_ORDINALS[word])
        elif word in _DAY_WORDS and pending:
            found.update((_DAY_WORDS[word], n) for n in pending)
            pending = []
        else:
            raise _bad(text)
    if pending or not found:
        raise _bad(text)
    return ",".join(f"{n}{DAY_CODES[d]}" for d, n in sorted(found, key=lambda p: (p[0], p[1] < 0, abs(p[1]))))


def is_stored_rule(text: str) -> bool:
    """Whether `text`, as a store keeps a cadence, is a rule every command can use: what
    `parse_cadence` gives for some input (an import must not bring in a rule the commands refuse)."""
    if not (text.startswith("FREQ=") or ";FREQ=" in text) or text != text.strip().upper():
        return False
    try:
        _validate_rrule(text, "")
    except InvalidInput:
        return False
    return True


def _validate_rrule(rule: str, text: str) -> None:
    from dateutil.rrule import rrulestr

    if "COUNT=" in rule or "UNTIL=" in rule:
        raise InvalidInput(f"cadence {text!r} must repeat without end; drop COUNT/UNTIL")
    freq = re.search(r"(?:^|;)FREQ=([A-Z]+)", rule)
    if freq and freq[1] not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
        raise InvalidInput(f"cadence {text!r} repeats more often than daily; use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY")
    interval = re.search(r"(?:^|;)INTERVAL=([^;]*)", rule)
    if interval and not (interval[1].isdigit() and 1 <= int(interval[1]) <= 1000):
        # dateutil loops for ever on INTERVAL=0 (`.after` never returns)
        raise InvalidInput(f"cadence {text!r} needs INTERVAL from 1 to 1000, e.g. FREQ=WEEKLY;INTERVAL=2")
    try:
        following = rrulestr(rule, dtstart=datetime(2026, 1, 1, tzinfo=UTC)).after(datetime(2026, 1, 1, tzinfo=UTC))
    except (ValueError, TypeError, KeyError, IndexError):
        raise InvalidInput(f"cadence {text!r} is not a valid RRULE; e.g. FREQ=WEEKLY;INTERVAL=2") from None
    if following is None:
        raise InvalidInput(f"cadence {text!r} never comes round; e.g. FREQ=MONTHLY;BYDAY=1TU")


# ---- words from a rule ------------------------------------------------------------------------


def _parts(rule: str) -> dict[str, str] | None:
    parts: dict[str, str] = {}
    for item in rule.upper().removeprefix("RRULE:").split(";"):
        key, sep, value = item.partition("=")
        if not sep or key in parts:
            return None
        parts[key] = value
    return parts


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _nth(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_BYDAY_ITEM = r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$"


@lru_cache(maxsize=256)
def describe_rule(rule: str) -> str:
    """A rule in words: 'first Tuesday of each month', 'every other week', 'every Tuesday'.

    The canonical words of every rule the grammar can say; others are shown as a custom rule."""
    words = _describe(rule)
    return words if words is not None else f"custom repeat (RRULE {rule})"


def _describe(rule: str) -> str | None:
    parts = _parts(rule)
    if parts is None or parts.get("FREQ") not in _FREQ_UNIT:
        return None
    freq = parts.pop("FREQ")
    interval_text = parts.pop("INTERVAL", "1")
    if not interval_text.isdecimal() or int(interval_text) < 1:
        return None
    interval = int(interval_text)
    unit = _FREQ_UNIT[freq]
    if parts.pop("WKST", "MO") != "MO":
        return None
    if not parts:
        if interval == 1:
            return {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}[freq]
        return "every other " + unit if interval == 2 else f"every {interval} {unit}s"
    if freq == "WEEKLY" and set(parts) == {"BYDAY"}:
        days = _plain_days(parts["BYDAY"])
        if days is None:
            return None
        names = _join([DAY_NAMES[d] for d in days])
        if interval == 1:
            return f"every {names}"
        return f"every other {names}" if interval == 2 else f"every {interval} weeks on {names}"
    if freq != "MONTHLY" or len(parts) != 1:
        return None
    months = "each month" if interval == 1 else "every other month" if interval == 2 else f"every {interval} months"
    if "BYMONTHDAY" in parts:
        value = parts["BYMONTHDAY"]
        if value == "-1":
            return f"the last day of {months}"
        if not value.isdecimal() or not 1 <= int(value) <= 31:
            return None
        return f"the {_nth(int(value))} of {months}"
    if "BYDAY" in parts:
        grouped = _ordinal_groups(parts["BYDAY"])
        if grouped is None:
            return None
        return f"{grouped} of {months}"
    return None


def _plain_days(value: str) -> list[int] | None:
    days = []
    for item in value.split(","):
        if item not in DAY_CODES:
            return None
        days.append(DAY_CODES.index(item))
    return sorted(set(days))


def _ordinal_groups(value: str) -> str | None:
    by_day: dict[int, list[int]] = {}
    for item in value.split(","):
        m = re.match(_BYDAY_ITEM, item)
        if not m or not m[1] or int(m[1]) not in ORDINAL_WORDS:
            return None
        by_day.setdefault(DAY_CODES.index(m[2]), []).append(int(m[1]))
    groups = []
    for day in sorted(by_day):
        ordinals = sorted(set(by_day[day]), key=lambda n: (n < 0, abs(n)))
        groups.append(f"{_join([ORDINAL_WORDS[n] for n in ordinals])} {DAY_NAMES[day]}")
    return _join(groups)


def cadence_words(rule: str | None, label: str | None) -> str | None:
    """What a person reads for a stored cadence: its label, or the rule in words when the label is
    missing or is the raw rule (stores made before cadences had words, imports)."""
    if rule is None:
        return label
    if label and not label.strip().upper().removeprefix("RRULE:").startswith("FREQ="):
        return label
    return describe_rule(rule)


# ---- when a cadence comes round -----------------------------------------------------------------


def next_occurrence(rule: str, last: datetime) -> datetime:
    """The first cadence date after `last` (the last contact), counting from it."""
    if m := SIMPLE_RULE.match(rule):
        from dateutil.relativedelta import relativedelta

        unit = {"DAILY": "days", "WEEKLY": "weeks", "MONTHLY": "months", "YEARLY": "years"}
        return last + relativedelta(**{unit[m[1]]: int(m[2] or 1)})
    from dateutil.rrule import rrulestr

    following = rrulestr(rule, dtstart=last).after(last)
    if following is None:
        return last + timedelta(days=approx_days(rule))
    return following


def cadence_dates(rule: str, first: datetime) -> Iterator[datetime]:
    """`first`, then each later date on the cadence, at the same wall-clock time (`first` is
    naive: local time; the caller localizes each, so a meeting stays at 16:00 across a DST change).
    A simple cadence counts whole steps from `first` (monthly from 31 Jan: 28 Feb, 31 Mar, not
    28 Mar); an RRULE gives its own occurrences after `first`."""
    from mentorkit.dates import LAST_DAY

    yield first
    if m := SIMPLE_RULE.match(rule):
        from dateutil.relativedelta import relativedelta

        unit = {"DAILY": "days", "WEEKLY": "weeks", "MONTHLY": "months", "YEARLY": "years"}[m[1]]
        step = int(m[2] or 1)
        n = 1
        while True:
            try:
                moment = first + relativedelta(**{unit: n * step})
            except (ValueError, OverflowError):  # past year 9999
                return
            if moment.year > LAST_DAY.year:
                return
            yield moment
            n += 1
    from dateutil.rrule import rrulestr

    for moment in rrulestr(rule, dtstart=first):
        if moment.year > LAST_DAY.year:
            return
        if moment > first:
            yield moment


def approx_days(rule: str) -> int:
    """Roughly how many days one cadence period lasts (for the 'stale' measure)."""
    freq = re.search(r"FREQ=(\w+)", rule)
    interval = re.search(r"INTERVAL=(\d+)", rule)
    base = _FREQ_DAYS.get(freq[1] if freq else "", 30)
    return base * int(interval[1] if interval else 1)


def expected_days(rule: str, anchor: date, first: date, last: date) -> list[date]:
    """The days the cadence expects a contact, counted from `anchor` (when the relationship
    started), from the last one before `first` to the first one after `last` (the neighbours give
    the first and last days in range their tolerance).

    The simple rules step whole periods from the anchor (monthly from 31 Jan: 28 Feb, 31 Mar, as
    `next_occurrence` counts); other rules are evaluated by dateutil from the anchor."""
    days: list[date] = []
    if m := SIMPLE_RULE.match(rule):
        from dateutil.relativedelta import relativedelta

        unit = {"DAILY": "days", "WEEKLY": "weeks", "MONTHLY": "months", "YEARLY": "years"}[m[1]]
        step = int(m[2] or 1)
        k = 0
        while True:
            day = anchor + relativedelta(**{unit: k * step})
            days.append(day)
            if day > last:
                break
            k += 1
    else:
        from dateutil.rrule import rrulestr

        for moment in rrulestr(rule, dtstart=datetime.combine(anchor, datetime.min.time())):
            days.append(moment.date())
            if moment.date() > last:
                break
    before = [d for d in days if d < first]
    return before[-1:] + [d for d in days if d >= first]
