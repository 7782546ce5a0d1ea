"""vCards (3.0 and 4.0, one or many per file: Google, Apple, khard...) as prospects.

Each card gives a person: FN (or N) the name, EMAIL the preferred address (PREF=1 in 4.0,
TYPE=pref in 3.0, else the first), ORG the institution (units joined by ", "), TITLE and URL into
the notes, NOTE the notes, ADR the location (locality, region, country), CATEGORIES the tags
(without Google's system group "myContacts"), and TZ the time zone: an IANA name is kept, a
whole-hour UTC offset becomes the matching `Etc/GMT±N` zone, anything else is left out (noted).
The file is read line by line and split into cards by their BEGIN/END lines, so an error names the
card's line; only the properties above are kept (see READ, MAX_PROPERTY: memory stays small
whatever the file holds).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TextIO

from mentorkit.errors import InvalidInput
from mentorkit.exchange.contacts import Contact

SYSTEM_CATEGORIES = frozenset({"mycontacts"})
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})(?::?00)?$")


MAX_PROPERTY = 200_000
"""Characters in one property mentorkit reads (a NOTE keeps up to 100,000); a longer one is refused."""
READ = frozenset(
    {"begin", "end", "version", "fn", "n", "email", "org", "title", "url", "note", "adr", "categories", "tz"}
)
"""The properties read. Others (PHOTO, LOGO, SOUND, KEY, X-...) are skipped line by line, never held:
a 30 MB photo took 4.5 GB in the vCard parser."""
_NAME = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)")


def _lines(stream: TextIO) -> Iterator[tuple[int, str, bool]]:
    """(number, text, too long) of each line, reading at most MAX_PROPERTY characters of any
    line: the rest of a longer line is read and dropped."""
    number = 0
    while line := stream.readline(MAX_PROPERTY + 1):
        number += 1
        too_long = not line.endswith("\n") and len(line) > MAX_PROPERTY
        while too_long and (rest := stream.readline(MAX_PROPERTY)) and not rest.endswith("\n"):
            pass
        yield number, line.rstrip("\r\n"), too_long


def _too_long(source: str, number: int, name: str) -> InvalidInput:
    return InvalidInput(
        f"{source} line {number}: the {name.upper()} property is longer than {MAX_PROPERTY:,} characters, "
        "more than any contact needs; remove it or shorten it; nothing was imported"
    )


def split_cards(stream: TextIO, source: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of each BEGIN:VCARD ... END:VCARD block, read as the file is, with only
    the properties in READ (a property continues on lines that start with a space or a tab)."""
    start: int | None = None
    depth = 0
    lines: list[str] = []
    keep, size, name = False, 0, ""
    for number, line, too_long in _lines(stream):
        if depth and line[:1] in (" ", "\t"):  # a folded continuation of the property before
            size += len(line)
            if keep and (too_long or size > MAX_PROPERTY):
                raise _too_long(source, number, name)
            if keep:
                lines.append(line)
            continue
        word = line.strip().upper()
        if word == "BEGIN:VCARD":
            if depth == 0:
                start, lines = number, []
            depth += 1
        elif depth == 0:
            if word:
                raise InvalidInput(
                    f"{source} line {number} is outside any BEGIN:VCARD ... END:VCARD block; is this a vCard file?"
                )
            continue
        match = _NAME.match(line)
        name = match[1].casefold() if match else ""
        keep, size = name in READ, len(line)
        if keep and too_long:
            raise _too_long(source, number, name)
        if keep:
            lines.append(line)
        if word == "END:VCARD":
            depth -= 1
            if depth == 0:
                assert start is not None
                yield start, "\r\n".join(lines) + "\r\n"
    if depth:
        raise InvalidInput(
            f"{source}: the card that begins at line {start} has no END:VCARD (the file is cut short?); "
            "nothing was imported"
        )


def _zone(value: str) -> str | None:
    from mentorkit.dates import get_zone

    text = value.strip()
    match = _OFFSET.match(text)
    if match:
        sign, hours, minutes = match[1], int(match[2]), int(match[3])
        if minutes or hours > 14:
            return None
        if hours == 0:
            return "UTC"
        return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"  # POSIX sign: Etc/GMT+5 is UTC-5
    try:
        return get_zone(text).key
    except InvalidInput:
        return None


def _params(prop: Any) -> list[str]:
    return [str(v).casefold() for values in prop.params.values() for v in values]


def _email(card: Any) -> str | None:
    emails = card.contents.get("email", [])
    if not emails:
        return None
    preferred = [e for e in emails if "pref" in _params(e) or e.params.get("PREF", [""])[0] == "1"]
    value = (preferred or emails)[0].value
    return str(value).strip() or None


def _name(card: Any) -> str | None:
    if "fn" in card.contents and str(card.fn.value).strip():
        return str(card.fn.value).strip()
    if "n" in card.contents:
        n = card.n.value
        parts = [getattr(n, a, "") for a in ("prefix", "given", "additional", "family", "suffix")]
        text = " ".join(" ".join(p) if isinstance(p, list) else str(p) for p in parts if p).strip()
        return text or None
    return None


def _text(card: Any, key: str) -> str | None:
    if key not in card.contents:
        return None
    value = card.contents[key][0].value
    if isinstance(value, list):
        value = ", ".join(str(v).strip() for v in value if str(v).strip())
    text = str(value).strip()
    return text or None


def _location(card: Any) -> str | None:
    if "adr" not in card.contents:
        return None
    adr = card.contents["adr"][0].value
    parts = [getattr(adr, a, "") for a in ("city", "region", "country")]
    text = ", ".join(" ".join(p) if isinstance(p, list) else str(p) for p in parts if p)
    return text.strip() or None


def contacts_from_vcard(stream: TextIO, source: str) -> tuple[list[Contact], list[str]]:
    """The people in a vCard file, read card by card; the notes say what was left out."""
    import vobject

    contacts: list[Contact] = []
    notes: list[str] = []
    nameless = 0
    number = 0
    for number, (line, block) in enumerate(split_cards(stream, source), 1):
        where = f"{source} card {number} (line {line})"
        try:
            card = vobject.readOne(block, validate=False)
        except Exception as exc:  # vobject raises ParseError and, on odd input, plain errors
            at = getattr(exc, "lineNumber", None)
            place = f"{source} line {line + at - 1}" if isinstance(at, int) else where
            raise InvalidInput(f"{place} is not valid vCard ({type(exc).__name__}); nothing was imported") from None
        name = _name(card)
        if not name:
            nameless += 1
            continue
        contact = Contact(
            where=where,
            name=name,
            email=_email(card),
            institution=_text(card, "org"),
            title=_text(card, "title"),
            url=_text(card, "url"),
            notes=_text(card, "note"),
            location=_location(card),
            source="vCard",
        )
        for prop in card.contents.get("categories", []):
            values = prop.value if isinstance(prop.value, list) else [prop.value]
            contact.tags += [
                str(v).strip() for v in values if str(v).strip() and str(v).strip().casefold() not in SYSTEM_CATEGORIES
            ]
        if "tz" in card.contents:
            raw = str(card.tz.value)
            contact.timezone = _zone(raw)
            if contact.timezone is None:
                notes.append(f"{where}: time zone {raw.strip()!r} has no IANA name; left out")
        contacts.append(contact)
    if not number:
        raise InvalidInput(f"{source} holds no vCards (no BEGIN:VCARD line)")
    if nameless:
        notes.append(f"skipped {nameless} card(s) without a name")
    return contacts, notes
