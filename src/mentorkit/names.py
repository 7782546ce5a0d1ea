"""How people's names are used in text: first names and salutations without guessing too much."""

from __future__ import annotations

HONORIFICS = ("dr", "prof", "professor", "mr", "mrs", "ms", "mx", "sir", "dame")


def is_honorific(word: str) -> bool:
    return word.rstrip(".").casefold() in HONORIFICS


POST_NOMINALS = ("phd", "md", "jr", "sr", "ii", "iii", "mba", "msc", "dphil")


def name_key(name: str) -> str:
    """What makes two written names the same person's: case, spacing, honorifics, initials,
    post-nominals, word order and a "Last, First" comma ignored ("Dr. Kenji Watanabe",
    "Kenji Watanabe", "watanabe, kenji" and "Kenji T. Watanabe" share a key).
    Import, `add-mentor` and `mentors --duplicates` match names by it."""
    words = [w.strip(".,;'\"()").casefold() for w in name.replace(",", " ").split()]
    words = [w for w in words if w and not is_honorific(w) and w not in POST_NOMINALS]
    full = [w for w in words if len(w) > 1 or not w.isalpha()]  # initials (letters) say too little
    return " ".join(sorted(full or words)) or " ".join(name.casefold().split())  # "Dr." alone is a name


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
