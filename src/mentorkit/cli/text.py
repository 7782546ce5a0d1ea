"""Text for a terminal: what a string shows as, how many cells it takes, and where it may be cut.

Safety. Text from the store (or the command line, or an imported file) can hold anything, and a
terminal acts on some characters instead of showing them. `printable` shows each such character
as a visible escape, Python's own spelling of it (`\\x1b`, `\\n`, `\\x9b`, `\\u2028`, `\\udcff`):
the C0 controls U+0000-U+001F (ESC, BEL, BS, CR, LF, TAB...), DEL, the C1 controls
U+0080-U+009F (among them CSI U+009B and OSC U+009D), the line and paragraph separators, lone
surrogates (bytes that were not valid UTF-8), and the bidirectional embeddings, overrides and
isolates (U+202A-U+202E, U+2066-U+2069), which would reorder the text after them. Everything
else prints as itself: letters of any script, emoji with their joiners, modifiers and variation
selectors, combining marks, the soft hyphen. Every line mentorkit writes for a person goes
through here: tables, lines, messages and error lines (`cli.MentorkitGroup`'s boundary).

Width. A pure-ASCII string takes one cell a character. Anything else is measured by the
`wcwidth` library's public `width` (imported only then: it costs tens of milliseconds), so
wide East Asian characters take two cells, combining marks and joiners none, and an emoji
sequence what the library says a terminal gives it; with `term_program=True` the library
applies what it knows of the terminal named by TERM_PROGRAM or TERM (VS Code and xterm, for
example, draw a family emoji joined by ZWJ as three emoji, six cells; most terminals as one).
A string is cut only between grapheme clusters (`wcwidth.iter_graphemes`), never inside an
escape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""The characters `printable` shows as escapes."""

_wcwidth: Any = None

NARROW = frozenset(map(chr, range(0xA0, 0x100))) | frozenset("–—‘’‚“”„•…‹›→←€")
"""Characters measured without the library: Latin-1 letters and signs and the punctuation
mentorkit itself prints (—, …, ·, →). Each takes one cell and is a grapheme cluster of its
own, as wcwidth says (tests/test_render.py checks every one against the library), so text of
ASCII and these alone, most of what a person types, never pays for importing it."""
_DROP_NARROW = dict.fromkeys(map(ord, NARROW))


def _library() -> Any:
    global _wcwidth
    if _wcwidth is None:
        import wcwidth

        _wcwidth = wcwidth
    return _wcwidth


def escape(char: str) -> str:
    """The visible form of one unsafe character: `\\x1b`, `\\n`, `\\u202e`."""
    return ascii(char)[1:-1]


def printable(text: str) -> str:
    """`text` with every character a terminal would act on shown as an escape."""
    if text.isascii() and text.isprintable():  # the common case: nothing to do
        return text
    return UNSAFE.sub(lambda match: escape(match.group()), text)


OUTGOING_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What `outgoing` shows as escapes: `UNSAFE` less newline and tab."""


def outgoing(text: str) -> str:
    """Plain text leaving mentorkit (a mail body, a notification, a mailto: body, the clipboard):
    lines stay lines (CRLF and CR become newlines) and tabs stay tabs; every other character a
    terminal or mail reader would act on is shown as an escape, as `printable` does. One-line
    values (a subject, a title) go through `printable` instead."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if OUTGOING_UNSAFE.search(text) is None:  # the usual case, scanned in C
        return text
    return OUTGOING_UNSAFE.sub(lambda match: escape(match.group()), text)


def width(text: str) -> int:
    """How many terminal cells `text` takes once made `printable`."""
    if text.isascii():
        return len(text) if text.isprintable() else len(printable(text))
    safe = printable(text)
    if safe.isascii() or safe.translate(_DROP_NARROW).isascii():
        return len(safe)
    measured: int = _library().width(safe, control_codes="ignore", term_program=True)
    return measured


def simple(text: str) -> bool:
    """Whether `text` prints as itself, one cell a character (so it may be cut anywhere)."""
    if text.isascii():
        return text.isprintable()
    return UNSAFE.search(text) is None and text.translate(_DROP_NARROW).isascii()


def pieces(text: str) -> Iterator[str]:
    """`text` made printable, in the smallest pieces a line may be cut between: grapheme
    clusters, and each escape whole."""
    if text.isascii() and text.isprintable():
        yield from text
        return
    position = 0
    for match in UNSAFE.finditer(text):
        if match.start() > position:
            yield from _clusters(text[position : match.start()])
        yield escape(match.group())
        position = match.end()
    if position < len(text):
        yield from _clusters(text[position:])


def _clusters(text: str) -> Iterator[str]:
    if text.isascii() or text.translate(_DROP_NARROW).isascii():
        yield from text
    else:
        yield from _library().iter_graphemes(text)


def expand_tabs(text: str, column: int = 0, size: int = 8) -> str:
    """Tabs as spaces up to the next multiple of `size` cells, counting from `column` cells
    before the start of `text` (so a cell's tab stops count from the cell's left edge)."""
    if "\t" not in text:
        return text
    out: list[str] = []
    at = column
    for part in re.split("(\t)", text):
        if part == "\t":
            spaces = size - at % size
            out.append(" " * spaces)
            at += spaces
        elif part:
            out.append(part)
            at += width(part)
        if part and "\n" in part:  # a line break starts the count again
            at = width(part.rsplit("\n", 1)[1])
    return "".join(out)
