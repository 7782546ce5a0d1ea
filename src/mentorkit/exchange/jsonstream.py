"""Reading one JSON document from a file piece by piece, in bounded memory.

`json.loads` needs the whole text and builds the whole document: importing a 94 MiB export that way
took 610 MB. `Reader` walks only the containers its caller enters (an object's members, an
array's elements) and decodes every other value whole with the json module's own C decoder
(`raw_decode`), from a window of text refilled from the file on demand. Memory holds the window
and one value whatever the size of the file: a value must fit in memory (`max_value`), the file
need not.

Errors name their place in the whole file as `json.loads` would: the line and column of a syntax
error (and whether the text just stops, as a truncated file does), the line of bytes that are not
UTF-8. A `Mark` keeps a place, so a second pass can start there without reading what comes before.
"""

from __future__ import annotations

import codecs
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

CHUNK = 1 << 18  # bytes read at a time
MAX_VALUE = 1 << 26  # characters in one value, by default
_NOT_SPACE = re.compile(r"[^ \t\n\r]")  # JSON's whitespace is exactly these four
_COMMA = re.compile(r"[ \t\n\r]*,")
_NEAR_END = 64  # characters: a value that ends or fails this close to the window's end is read again with more
_DECODE = json.JSONDecoder().raw_decode
_NONE, _GONE = -1, -2  # no comma was just read; one was, before the window's start


@functools.cache
def _trailing_comma_style(close: str) -> tuple[str, bool]:
    """How `json.loads` names a comma just before `close`, and whether it points at the comma.
    Python 3.13 says "Illegal trailing comma before end of array" at the comma; 3.11 and 3.12
    say "Expecting value" (or "Expecting property name ...") at the bracket. Asked of the json
    module itself, so the stream's errors read as json.loads's on every Python."""
    sample = "[1,]" if close == "]" else '{"a":1,}'
    try:
        json.loads(sample)
    except json.JSONDecodeError as exc:
        return exc.msg, exc.pos == sample.index(",")
    raise AssertionError(f"json.loads accepted {sample!r}")  # no Python does


class JsonReadError(ValueError):
    """The file is not one JSON text in UTF-8 that `Reader` can hold; says where (1-based)."""

    def __init__(self, problem: str, line: int, column: int, truncated: bool = False) -> None:
        super().__init__(problem)
        self.problem, self.line, self.column, self.truncated = problem, line, column, truncated


class NotUtf8(JsonReadError):
    """Bytes that are not UTF-8 (no column: columns count characters)."""


class Malformed(JsonReadError):
    """A JSON syntax error; `truncated` when the text ends where more was needed."""


class TooLarge(JsonReadError):
    """One value longer than the reader's `max_value`."""


@dataclass(frozen=True)
class Mark:
    """A place in the file: enough to read on from there and still count lines and columns."""

    byte: int  # offset in the file
    char: int  # characters before it
    line: int  # newlines before it
    line_start: int  # `char` of the first character of its line


class Reader:
    """A cursor over one JSON text in a binary file, which it reads forward from its position
    (or from `at`, by seeking). Objects are entered with `members`, arrays with `elements` (which
    reads each element whole), anything else is read whole with `value`; `end` checks that nothing
    follows the document."""

    def __init__(
        self, handle: BinaryIO, *, at: Mark | None = None, max_value: int = MAX_VALUE, chunk: int = CHUNK
    ) -> None:
        if at is not None:
            handle.seek(at.byte)
        self._handle = handle
        self._base = at or Mark(0, 0, 0, 0)  # where the window starts
        self._first = at is None  # a byte-order mark may come first
        self._max_value = max_value
        self._chunk = chunk
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._text = ""  # the window
        self._pos = 0  # the cursor, in the window
        self._comma = _NONE  # where a ',' just read between items is in the window, to name a trailing comma
        self._comma_mark = Mark(0, 0, 0, 0)  # its place once the window has moved past it (_GONE)
        self._eof = False

    # --- the window ----------------------------------------------------------------------------

    def _mark_at(self, pos: int) -> Mark:
        before = self._text[:pos]
        base = self._base
        newlines = before.count("\n")
        line_start = base.char + before.rindex("\n") + 1 if newlines else base.line_start
        return Mark(base.byte + len(before.encode()), base.char + pos, base.line + newlines, line_start)

    def _more(self) -> None:
        """Drop the window's text before the cursor, then add the next chunk of the file. Reads as
        much as the window still holds (up to `max_value`), so a long value decoded again after
        each refill costs time in proportion to its length, not to its square."""
        if self._pos:
            if self._comma >= 0:  # the comma leaves the window: keep its place
                self._comma_mark = self._mark_at(self._comma)
                self._comma = _GONE
            self._base = self._mark_at(self._pos)
            self._text, self._pos = self._text[self._pos :], 0
        held = len(self._text)
        if held >= self._max_value:
            raise self._error(TooLarge, f"a value longer than {self._max_value:,} characters", 0)
        data = self._handle.read(max(self._chunk, min(held, self._max_value - held)))
        eof = not data
        try:
            text = self._decoder.decode(data, final=eof)
        except UnicodeDecodeError as exc:
            line = self._base.line + self._text.count("\n") + exc.object[: exc.start].count(b"\n") + 1
            raise NotUtf8("bytes that are not UTF-8", line, 0) from None
        del data  # before the window grows: the bytes and the text need not be held at once
        if self._first and text:
            self._first = False
            if text.startswith("\ufeff"):  # as the "utf-8-sig" codec does: skipped, not a character
                text = text[1:]
                self._base = Mark(len(codecs.BOM_UTF8), 0, 0, 0)
        self._text += text
        self._eof = eof

    def _error(self, kind: type[JsonReadError], problem: str, pos: int) -> JsonReadError:
        mark = self._mark_at(pos)
        rest = self._text[pos:].rstrip()
        cut = self._eof and (
            pos >= len(self._text.rstrip())
            or problem.startswith("Unterminated string")
            or any(word.startswith(rest) for word in ("true", "false", "null"))  # "reason": nu
        )
        return kind(problem, mark.line + 1, mark.char - mark.line_start + 1, cut)

    # --- reading -------------------------------------------------------------------------------

    def peek(self) -> str:
        """The next character that is not whitespace, left unread ('' at the end of the file)."""
        while True:
            found = _NOT_SPACE.search(self._text, self._pos)
            if found:
                self._pos = found.start()
                return self._text[self._pos]
            self._pos = len(self._text)
            if self._eof:
                return ""
            self._more()

    def mark(self) -> Mark:
        """The place of the next value, for `Reader(handle, at=...)`."""
        self.peek()
        return self._mark_at(self._pos)

    def value(self) -> Any:
        """Read the next value whole (an object or array with everything in it)."""
        while True:
            text = self._text
            found = _NOT_SPACE.search(text, self._pos)
            self._pos = found.start() if found else len(text)
            try:
                value, end = _DECODE(text, self._pos)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= len(text) - _NEAR_END or exc.msg.startswith("Unterminated string")
                if self._eof or not cut:
                    raise self._error(Malformed, exc.msg, exc.pos) from None
            except ValueError:  # Python refuses to read an integer of more than 4,300 digits
                raise self._error(Malformed, "a number with too many digits", self._pos) from None
            else:
                if self._eof or end < len(text) - _NEAR_END:  # "12" at the window's end may be "12.5e3"
                    self._pos = end
                    return value
            self._more()

    def members(self) -> Iterator[str]:
        """The keys of the object that starts here, each read up to its ':'. Read each key's value
        (with `value`, `members` or `elements`) before asking for the next key."""
        self._expect("{", "Expecting value")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self._error(Malformed, "Expecting property name enclosed in double quotes", self._pos)
            key: str = self.value()
            self._expect(":", "Expecting ':' delimiter")
            yield key
            if not self._another("}"):
                return
            self._comma = self._pos - 1
            if self.peek() == "}":
                raise self._trailing_comma("}", self._pos)
            self._comma = _NONE

    def elements(self) -> Iterator[Any]:
        """The elements of the array that starts here, each read whole (as `value` does)."""
        self._expect("[", "Expecting value")
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            try:
                item = self.value()
            except Malformed:
                if self._comma != _NONE and self.peek() == "]":
                    raise self._trailing_comma("]", self._pos) from None
                raise
            self._comma = _NONE
            yield item
            found = _COMMA.match(self._text, self._pos)  # the usual case, quicker than `_another`
            if found:
                self._pos = found.end()
                self._comma = self._pos - 1
            elif self._another("]"):
                self._comma = self._pos - 1
            else:
                return

    def end(self) -> None:
        """Check that only whitespace follows."""
        if self.peek():
            raise self._error(Malformed, "Extra data", self._pos)

    def _expect(self, char: str, problem: str) -> None:
        if self.peek() != char:
            raise self._error(Malformed, problem, self._pos)
        self._pos += 1

    def _trailing_comma(self, close: str, at: int) -> JsonReadError:
        """A ',' just before `close` (at `at`), named as this Python's json module names it."""
        message, at_comma = _trailing_comma_style(close)
        if not at_comma:
            return self._error(Malformed, message, at)
        if self._comma != _GONE:
            return self._error(Malformed, message, self._comma)
        mark = self._comma_mark
        return Malformed(message, mark.line + 1, mark.char - mark.line_start + 1)

    def _another(self, close: str) -> bool:
        """After an item: True at a ',' (another follows), False at the container's end."""
        char = self.peek()
        if char not in (",", close):
            raise self._error(Malformed, "Expecting ',' delimiter", self._pos)
        self._pos += 1
        return char == ","
