"""Tables, fields and lines for a person at a terminal, in mentorkit's own format.

The format is specified in docs/architecture.md ("Output"); in short:

- A `Table` is a title line, a header line, a rule, and one line per record, columns two spaces
  apart, no borders. Every column has a header and a kind (`Col`): ids and numbers are
  right-aligned and never cut, dates and labels (a stage, a mode, a status) are never cut,
  names may be cut with an ellipsis when the table would not fit, and the one free-text column
  takes the room the others leave, cut with an ellipsis (one line per record) or wrapped.
- `Fields` are labelled values, one a line, each value wrapped under itself (`show`, `review`).
- A line is pieces of text printed one after another and word-wrapped to the width.

Text is never read as markup: a piece is plain text, or a `Text` made with `styled`, so nothing
stored can turn into a style or a tag. All text goes through `cli.text.printable` on its way
out, so control characters show as escapes, whatever a caller passed. Styles (bold, dim,
colours) are written only when the stream is a terminal, NO_COLOR is unset and TERM is not
`dumb`. The width is COLUMNS, else the terminal's, else 80.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from mentorkit.cli.text import expand_tabs, pieces, printable, simple, width

GAP = "  "
"""What separates two columns."""
_SGR = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "red": "31", "green": "32", "yellow": "33"}
_KINDS = ("id", "num", "date", "label", "name", "text")
MIN_NAME = 14
MIN_TEXT = 16
COMFORT_TEXT = 24
MIN_VALUE = 20

Run = tuple[str, str]
"""A stretch of text and its style ("" for none, else words from `_SGR`)."""


class Text:
    """Text in pieces, some of them styled. Adding a `str` or another `Text` makes a new one."""

    __slots__ = ("runs",)

    def __init__(self, *parts: str | Text, style: str = "") -> None:
        self.runs: list[Run] = []
        for part in parts:
            if isinstance(part, Text):
                self.runs.extend((text, f"{style} {own}".strip()) for text, own in part.runs)
            elif part:
                self.runs.append((part, style))

    def __add__(self, other: str | Text) -> Text:
        return Text(self, other)

    def __radd__(self, other: str) -> Text:
        return Text(other, self)

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.runs)

    def __repr__(self) -> str:
        return f"Text({self.runs!r})"


Cell = str | Text | list[str | Text]
"""What a table cell or a field value holds: text, or a list of texts shown one under another."""


def styled(text: object, style: str) -> Text:
    """`text` (a `Text` keeps its own styles too) in `style`: "bold", "dim", "red", "bold red"..."""
    return Text(text if isinstance(text, Text) else str(text), style=style)


def join(separator: str, parts: Iterable[str | Text]) -> Text:
    out = Text()
    for n, part in enumerate(parts):
        out = Text(out, separator, part) if n else Text(out, part)
    return out


class Col:
    """A table column: its header and what kind of values it holds (see the module docstring).

    `wrap` (free text only) wraps the text instead of cutting it; `min` is the narrowest a
    name or text column is cut to before the table is allowed to run past the width; an
    `optional` column is left out when the table would not fit otherwise. (A plain class: a
    dataclass costs read commands milliseconds to create at import.)"""

    __slots__ = ("header", "kind", "min", "optional", "wrap")

    def __init__(self, header: str, kind: str = "label", *, wrap: bool = False, min: int = 0, optional: bool = False):
        if not header.strip():
            raise ValueError("every column needs a header")
        if kind not in _KINDS:
            raise ValueError(f"unknown column kind {kind!r}")
        self.header, self.kind, self.wrap, self.min, self.optional = header, kind, wrap, min, optional

    @property
    def floor(self) -> int:
        return max(self.min or (MIN_TEXT if self.kind == "text" else MIN_NAME), len(self.header))


Line = list[Run]
"""Text ready to write: printable, measured, laid out."""


class _Cell:
    """A cell's lines (runs as given, tabs expanded) and its widest line, measured once."""

    __slots__ = ("lines", "width")

    def __init__(self, value: Cell | None, free_text: bool, cut: bool) -> None:
        if value is None or (isinstance(value, str) and (not value or (value.isascii() and value.isprintable()))):
            self.lines: list[list[Run]] = [[(value, "")]] if value else [[]]
            self.width = len(value) if value else 0
            return
        items = value if isinstance(value, list) else [value]
        lines: list[list[Run]] = []
        for item in items:
            runs = [(item, "")] if isinstance(item, str) else item.runs
            lines.extend(_lines_of(runs, free_text, cut))
        self.lines = lines or [[]]
        self.width = max(_width_of(line) for line in self.lines)


def _lines_of(runs: list[Run], free_text: bool, cut: bool) -> list[list[Run]]:
    """Runs split at line breaks (free text: a break is a break, or a space when the text is
    cut; elsewhere it stays, to be shown as an escape) with tabs expanded from the line start."""
    if free_text:
        runs = [(text.replace("\r\n", "\n"), style) for text, style in runs]
        if cut:
            runs = [(text.replace("\n", " "), style) for text, style in runs]
    lines: list[list[Run]] = [[]]
    column = 0
    for text, style in runs:
        parts = text.split("\n") if free_text else [text]
        for n, part in enumerate(parts):
            if n:
                lines.append([])
                column = 0
            if "\t" in part:
                part = expand_tabs(part, column)
            if part:
                lines[-1].append((part, style))
                column += width(part)
    return lines


def _width_of(runs: list[Run]) -> int:
    return sum(width(text) for text, _ in runs)


def _atoms(runs: list[Run]) -> Iterator[tuple[str, int, str]]:
    """(piece, cells, style) for each piece a line may be cut between, already printable."""
    for text, style in runs:
        for piece in pieces(text):
            yield piece, (1 if len(piece) == 1 and piece.isascii() else width(piece)), style


def _merge(atoms: Iterable[tuple[str, int, str]]) -> Line:
    out: Line = []
    for piece, _, style in atoms:
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + piece, style)
        else:
            out.append((piece, style))
    return out


def _safe(runs: list[Run]) -> Line:
    return [(printable(text), style) for text, style in runs]


def cut(runs: list[Run], room: int, ellipsis: str) -> tuple[Line, int]:
    """The line cut to `room` cells, ending in `ellipsis` when anything was left out; and its width."""
    if room < 1:
        return [], 0
    if all(simple(text) for text, _ in runs):  # the common case: cut by characters
        out: Line = []
        left = room if sum(len(text) for text, _ in runs) <= room else room - 1
        for text, style in runs:
            if left <= 0:
                break
            out.append((text[:left], style))
            left -= len(out[-1][0])
        if left >= 0 and sum(len(text) for text, _ in out) == sum(len(text) for text, _ in runs):
            return out, room - left
        return [*out, (ellipsis, out[-1][1] if out else runs[0][1])], room
    taken: list[tuple[str, int, str]] = []
    used = 0
    for piece, cells, style in _atoms(runs):
        taken.append((piece, cells, style))
        used += cells
        if used > room:
            break
    else:
        return _merge(taken), used
    while taken and used > room - 1:  # room for the ellipsis
        used -= taken.pop()[1]
    style = taken[-1][2] if taken else runs[0][1] if runs else ""
    return _merge([*taken, (ellipsis, 1, style)]), used + 1


def wrap(runs: list[Run], room: int, hang: int = 0) -> list[tuple[Line, int]]:
    """The line word-wrapped: the first line at most `room` cells, the others `room - hang`
    (the caller indents them). A word longer than a line is broken between two pieces."""
    lines: list[tuple[Line, int]] = []
    line: list[tuple[str, int, str]] = []
    used = 0
    space: int | None = None  # where in `line` the last space is

    def finish(atoms: list[tuple[str, int, str]]) -> None:
        while atoms and atoms[-1][0] == " ":
            atoms = atoms[:-1]
        lines.append((_merge(atoms), sum(cells for _, cells, _ in atoms)))

    for atom in _atoms(runs):
        limit = max(room - (hang if lines else 0), 1)
        piece, cells, _ = atom
        if piece == " ":
            if not line and lines:  # no spaces at the start of a wrapped line
                continue
            if used + 1 > limit:
                finish(line)
                line, used, space = [], 0, None
                continue
            line.append(atom)
            used += 1
            space = len(line) - 1
            continue
        if used + cells > limit and line:
            if space is not None:
                head, line = line[:space], line[space + 1 :]
                finish(head)
                used, space = sum(c for _, c, _ in line), None
                limit = max(room - hang, 1)
            if used + cells > limit and line:
                finish(line)
                line, used, space = [], 0, None
        line.append(atom)
        used += cells
    if line or not lines:
        finish(line)
    return lines


class Table:
    """Records, one a line where they fit (see the module docstring and docs/architecture.md)."""

    __slots__ = ("_widest", "columns", "rows", "title")

    def __init__(self, *columns: Col, title: str | Text | None = None) -> None:
        if not columns:
            raise ValueError("a table needs a column")
        if sum(col.kind == "text" for col in columns) > 1:
            raise ValueError("a table has at most one free-text column")
        self.columns = columns
        self.title = title
        # Rows are kept as given and laid out again when drawn: a long list (meetings --limit
        # 100000) holds its values and each column's widest cell, not every cell's lines.
        self.rows: list[tuple[Cell | None, ...]] = []
        self._widest = [len(col.header) for col in columns]

    def add_row(self, *values: Cell | None) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"a row of {len(values)} cells in a table of {len(self.columns)} columns")
        widest = self._widest
        for n, cell in enumerate(self._cells(values)):
            if cell.width > widest[n]:
                widest[n] = cell.width
        self.rows.append(values)

    def _cells(self, values: tuple[Cell | None, ...]) -> list[_Cell]:
        return [
            _Cell(value, col.kind == "text", col.kind == "text" and not col.wrap)
            for value, col in zip(values, self.columns, strict=True)
        ]

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def widths(self, total: int) -> list[int]:
        """Each column's width at `total` cells (0: left out). A column is as wide as its widest
        cell; when the table would not fit, in this order until it does: the free text gives up
        room down to COMFORT_TEXT cells (a wrapped one, which loses nothing, down to its floor),
        optional columns are left out (the rightmost first; the free text gets back what they
        freed), names are cut (the widest first)
        down to their floor, the free text down to its floor, then to its header. Dates, ids, numbers and labels are never cut: past that the table is wider."""
        widths = list(self._widest)
        excess = sum(widths) + len(GAP) * (len(widths) - 1) - total
        text = [n for n, col in enumerate(self.columns) if col.kind == "text"]
        names = [n for n, col in enumerate(self.columns) if col.kind == "name"]

        def shrink_text(floor: int) -> None:
            nonlocal excess
            for n in text:
                give = max(min(excess, widths[n] - max(floor, len(self.columns[n].header))), 0)
                widths[n] -= give
                excess -= give

        wrapped = any(self.columns[n].wrap for n in text)
        shrink_text(min(self.columns[n].floor for n in text) if wrapped else COMFORT_TEXT)
        for n in reversed(range(len(widths))):
            if excess > 0 and self.columns[n].optional:
                excess -= widths[n] + len(GAP)
                widths[n] = 0
        for n in text:  # room a left-out column freed goes back to the free text
            take = min(-excess, self._widest[n] - widths[n]) if excess < 0 else 0
            widths[n] += take
            excess += take
        while excess > 0:
            shrinkable = [n for n in names if widths[n] > self.columns[n].floor]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda n: widths[n])
            widths[widest] -= 1
            excess -= 1
        shrink_text(min(self.columns[n].floor for n in text) if text else 0)
        shrink_text(0)
        return widths

    def draw(self, total: int, glyphs: Glyphs) -> Iterator[Line]:
        all_widths = self.widths(total)
        shown = [n for n, w in enumerate(all_widths) if w]
        columns = [self.columns[n] for n in shown]
        widths = [all_widths[n] for n in shown]
        if self.title is not None:
            for line, _ in wrap(_runs(self.title, "bold"), total):
                yield line
        right = [col.kind in ("id", "num") for col in columns]
        yield _join_cells([([(col.header, "bold")], len(col.header)) for col in columns], widths, right)
        yield _join_cells([([(glyphs.rule * w, "dim")], w) for w in widths], widths, right)
        for values in self.rows:
            row = self._cells(values)
            drawn = [_fit(row[n], col, w, glyphs) for n, col, w in zip(shown, columns, widths, strict=True)]
            for n in range(max(len(lines) for lines in drawn)):
                yield _join_cells([lines[n] if n < len(lines) else ([], 0) for lines in drawn], widths, right)


def _runs(value: str | Text, style: str = "") -> list[Run]:
    return [(value, style)] if isinstance(value, str) else Text(value, style=style).runs


def _fit(cell: _Cell, col: Col, room: int, glyphs: Glyphs) -> list[tuple[Line, int]]:
    out: list[tuple[Line, int]] = []
    for runs in cell.lines:
        if cell.width <= room or _width_of(runs) <= room:
            out.append((_safe(runs), _width_of(runs)))
        elif col.kind == "text" and col.wrap:
            out.extend(wrap(runs, room))
        else:
            out.append(cut(runs, room, glyphs.ellipsis))
    return out


def _join_cells(cells: list[tuple[Line, int]], widths: list[int], right: list[bool]) -> Line:
    out: Line = []
    last = len(widths) - 1
    for n, ((line, used), room) in enumerate(zip(cells, widths, strict=True)):
        pad = " " * max(room - used, 0)
        if right[n]:
            out.append((pad, ""))
            out.extend(line)
        else:
            out.extend(line)
            if n < last:
                out.append((pad, ""))
        if n < last:
            out.append((GAP, ""))
    while out and not out[-1][0].strip():
        out.pop()
    return out


class Fields:
    """Labelled values, one a line: the label, then the value wrapped under itself. A value is
    free text: a line break in it starts a new line."""

    __slots__ = ("indent", "label_style", "rows")

    def __init__(self, *, indent: int = 2, label_style: str = "") -> None:
        self.indent = indent
        self.label_style = label_style
        self.rows: list[tuple[str | Text, Cell]] = []

    def add(self, label: str | Text, value: Cell) -> None:
        self.rows.append((label, value))

    def draw(self, total: int, glyphs: Glyphs) -> Iterator[Line]:
        labels = [_runs(label, self.label_style) for label, _ in self.rows]
        label_width = max((_width_of(runs) for runs in labels), default=0)
        start = self.indent + label_width + len(GAP)
        room = max(total - start, MIN_VALUE)
        for runs, (_, value) in zip(labels, self.rows, strict=True):
            first = True
            for line in _Cell(value, True, False).lines:
                for drawn, _ in wrap(line, room):
                    if first:
                        head = [
                            (" " * self.indent, ""),
                            *_safe(runs),
                            (" " * (start - self.indent - _width_of(runs)), ""),
                        ]
                        first = False
                    else:
                        head = [(" " * start, "")]
                    yield head + drawn if drawn else _trim(head)


def _trim(line: Line) -> Line:
    while line and not line[-1][0].strip():
        line = line[:-1]
    return line


class Glyphs:
    """The rule and ellipsis characters: Unicode, or ASCII for an output encoding without them."""

    __slots__ = ("ellipsis", "rule")

    def __init__(self, rule: str, ellipsis: str) -> None:
        self.rule, self.ellipsis = rule, ellipsis


UNICODE = Glyphs("─", "…")
ASCII = Glyphs("-", "~")


class Console:
    """Where human output goes (stdout, or stderr for messages). The stream is looked up at each
    print, so redirection (and tests) work."""

    def __init__(self, *, stderr: bool = False) -> None:
        self.stderr = stderr

    @property
    def file(self) -> TextIO:
        return sys.stderr if self.stderr else sys.stdout

    @property
    def width(self) -> int:
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        try:
            return os.get_terminal_size(self.file.fileno()).columns or 80
        except (AttributeError, ValueError, OSError):
            return 80

    def styles(self) -> bool:
        """Whether to write styles: on a terminal, unless NO_COLOR is set or TERM is dumb."""
        if os.environ.get("NO_COLOR") or os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
            return False
        try:
            return self.file.isatty()
        except (AttributeError, ValueError):
            return False

    def glyphs(self) -> Glyphs:
        encoding = (getattr(self.file, "encoding", None) or "utf-8").lower().replace("_", "-")
        return UNICODE if encoding.startswith("utf") else ASCII

    def print(self, *items: str | Text | Table | Fields, hang: int = 0) -> None:
        """Write the items: a `Table` or `Fields` as its lines; strings and `Text`s one after
        another as one line, word-wrapped to the width (lines after the first indented by `hang`).
        With no items, an empty line."""
        styles, glyphs, total = self.styles(), self.glyphs(), self.width
        write = self.file.write
        pending: list[str | Text] = []

        def paragraph() -> Iterator[Line]:
            if pending:
                for n, (line, _) in enumerate(wrap(Text(*pending).runs, total, hang)):
                    yield [(" " * hang, ""), *line] if n and line else line
                pending.clear()

        def lines() -> Iterator[Line]:
            for item in items:
                if isinstance(item, Table | Fields):
                    yield from paragraph()
                    yield from item.draw(total, glyphs)
                else:
                    pending.append(item)
            yield from paragraph()

        wrote = False
        for line in lines():
            write(_ansi(line) if styles else "".join(text for text, _ in line))
            write("\n")
            wrote = True
        if not wrote:
            write("\n")
        self.file.flush()


def _ansi(line: Line) -> str:
    out = []
    for text, style in line:
        codes = ";".join(sorted({_SGR[word] for word in style.split() if word in _SGR}, key=int))
        out.append(f"\x1b[{codes}m{text}\x1b[0m" if codes and text else text)
    return "".join(out)
