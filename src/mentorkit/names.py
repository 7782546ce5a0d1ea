"""How people's names are used in text: first names and salutations without guessing too much."""

from __future__ import annotations

HONORIFICS = ("dr", "prof", "professor", "mr", "mrs", "ms", "mx", "sir", "dame")


def is_honorific(word: str) -> bool:
    return word.rstrip(".").casefold() in HONORIFICS


def name_key(name: str) -> str:
    """What makes two written names the same person's: case, spacing and honorifics ignored
    ('Dr. Hannah  Kim' and 'hannah kim' share a key). Import and `add-mentor` match names by it."""
    words = [w for w in name.split() if not is_honorific(w)]
    return " ".join(words or name.split()).casefold()


def first_name(name: str) -> str:
    """'Dr. Teresa Alvarez' -> 'Teresa'."""
    words = [w for w in name.split() if not is_honorific(w)]
    return words[0] if words else name.strip()


def salutation(name: str) -> str:
    """How a first letter addresses someone: 'Dr. Alvarez' for 'Dr. Teresa Alvarez', else the
    full name ('Teresa Alvarez')."""
    words = name.split()
    if len(words) >= 2 and is_honorific(words[0]):
        return f"{words[0]} {words[-1]}"
    return name.strip()
