"""Turning what a person typed into parts of a letter: sentences, clauses, lists, measures.

The default templates never glue a clause onto a value that may be missing or that was written
for another purpose; the context builders (domain/pitches.py, domain/summaries.py) use these
helpers to hand them whole sentences instead. Plain functions over text: no jinja2 here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_QUESTION_WORDS = ("could", "would", "can", "may", "might", "will", "do", "is", "are", "should", "shall", "are")
_FIRST_PERSON = ("i ", "i'm ", "i’m ", "i've ", "i’ve ", "i'd ", "i’d ", "my ", "we ", "our ")
CLOSINGS = (
    "best",
    "best wishes",
    "best regards",
    "kind regards",
    "warm regards",
    "regards",
    "many thanks",
    "thank you",
    "thanks",
    "with thanks",
    "sincerely",
    "yours sincerely",
    "all the best",
    "cheers",
)


def one_line(text: str) -> str:
    """Runs of white space (newlines too) as one space."""
    return " ".join(text.split())


def natural_join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _keeps_case(word: str) -> bool:
    """An acronym, a code or a name-like word keeps its capital: R01, NIH, SAEM, McMaster, I."""
    core = word.strip("\"'“‘(")
    if core in ("I", "I'm", "I’m", "I've", "I’ve", "I'd", "I’d"):
        return True
    head = core.split("-", 1)[0]  # K-award, COVID-19, R01-funded
    if head.isupper() and head not in ("A", "I"):
        return True
    return any(ch.isupper() or ch.isdigit() for ch in core[1:])


def clause(text: str | None) -> str:
    """Text to follow other words: one line, no final full stop, first letter lowered unless the
    first word keeps its case. 'Submit the R01.' -> 'submit the R01'."""
    if not text:
        return ""
    flat = one_line(text).rstrip()
    while flat.endswith("."):
        flat = flat[:-1].rstrip()
    if not flat:
        return ""
    first = flat.split(" ", 1)[0]
    if flat[0].isupper() and not _keeps_case(first):
        flat = flat[0].lower() + flat[1:]
    return flat


def sentence(text: str | None, *, end: str = ".") -> str:
    """Text as one or more whole sentences: one line, a capital first letter, a final stop."""
    if not text:
        return ""
    flat = one_line(text)
    if not flat:
        return ""
    if flat[0].islower():
        flat = flat[0].upper() + flat[1:]
    if not _END.search(flat):
        flat = flat.rstrip(",;:-–— ") + end
    return flat


def question(text: str | None) -> str:
    """A request as a sentence; one that opens like a question ('Could we ...') ends with '?'."""
    flat = one_line(text or "")
    if not flat:
        return ""
    opens = flat.split(" ", 1)[0].casefold().strip(",")
    return sentence(flat, end="?" if opens in _QUESTION_WORDS else ".")


def goal_sentence(goal: str | None) -> str:
    """'to lead my first trial by 2028' -> 'My goal is to lead my first trial by 2028.';
    'I want to ...' stays as written; anything else: 'My goal: tenure dossier ready by 2027.'"""
    flat = one_line(goal or "")
    if not flat:
        return ""
    lowered = flat.casefold()
    if lowered.startswith("to "):
        return sentence("My goal is " + clause(flat))
    if lowered.startswith(_FIRST_PERSON):
        return sentence(flat)
    return sentence("My goal: " + clause(flat))


def with_article(phrase: str) -> str:
    """'an in-person meeting', 'a video meeting': the article by the first letter (enough for
    the words mentorkit itself puts there; not for 'hour' or 'user')."""
    return f"{'an' if phrase[:1].casefold() in 'aeiou' else 'a'} {phrase}"


def lower_first(text: str) -> str:
    """An action item after 'I will' or 'You offered to': 'Send the aims' -> 'send the aims'."""
    return clause(text)


# ---- measuring ----------------------------------------------------------------------------


def count_words(text: str) -> int:
    """Tokens with a letter or a digit ('—' and '-' are not words)."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


_ABBREVIATIONS = frozenset(
    {"dr", "prof", "mr", "mrs", "ms", "mx", "st", "vs", "e.g", "i.e", "etc", "no", "fig", "approx"}
)


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph (a stop, then space and a capital or a digit); a stop after
    a title or an abbreviation (Dr., e.g.) or an initial (J.) ends no sentence."""
    found: list[str] = []
    for piece in _SENTENCE_END.split(one_line(text)):
        piece = piece.strip()
        if not piece:
            continue
        last = found[-1].rsplit(" ", 1)[-1].rstrip(".").casefold() if found else ""
        if found and found[-1].endswith(".") and (last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())):
            found[-1] = f"{found[-1]} {piece}"
        else:
            found.append(piece)
    return found


def is_greeting(block: str) -> bool:
    """'Dear Dr. Alvarez,' / 'Hello,' / 'Dear all,': one short line ending in a comma."""
    lines = block.strip().splitlines()
    return len(lines) == 1 and lines[0].rstrip().endswith(",") and count_words(lines[0]) <= 6


def is_sign_off(block: str) -> bool:
    """A block that opens with a closing ('Best wishes,') followed by a name and contact lines."""
    first = block.strip().splitlines()[0].strip() if block.strip() else ""
    return first.endswith(",") and first[:-1].strip().casefold() in CLOSINGS


@dataclass
class Body:
    """The paragraphs of a letter, without its greeting and sign-off (what is read or said)."""

    paragraphs: list[str]

    @property
    def words(self) -> int:
        return sum(count_words(p) for p in self.paragraphs)

    def longest_sentence(self) -> tuple[str, int]:
        found = max(
            ((s, count_words(s)) for p in self.paragraphs for s in sentences(p)), key=lambda x: x[1], default=("", 0)
        )
        return found


def letter_body(text: str) -> Body:
    """Split a draft into blocks at blank lines; drop a greeting first and a sign-off last (and
    everything after it)."""
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    if blocks and is_greeting(blocks[0]):
        blocks = blocks[1:]
    for index, block in enumerate(blocks):
        if is_sign_off(block):
            blocks = blocks[:index]
            break
    return Body(blocks)
