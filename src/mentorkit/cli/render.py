"""Tables and marked-up lines, printed the way Rich prints them, without importing Rich.

Why (docs/performance.md): importing Rich's console and table costs more than the rest of a
read command, and Rich lays out a table cell by cell through its general renderer, about a
millisecond a cell; `mentorkit followups` on a big board prints a thousand cells. These are the
two things the read commands print, so this module draws them directly: Rich's table layout
(its width measuring, column collapsing and word wrapping, ported from rich/table.py,
rich/_wrap.py and rich/_ratio.py, MIT licence) and Rich's markup (`[bold]`, `[red]...[/red]`,
`[/]`, backslash escapes). tests/test_render.py checks that the output is the same as Rich's.

Anything else, or any table holding a Rich object instead of a string, is handed to a real Rich
console, so callers can keep using Rich for what this does not draw.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console as RichConsole

_TAG = re.compile(r"((\\*)\[([a-z#/@][^[]*?)])")
_ESCAPE = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")
_CONTROL = {ord(c): None for c in "\x07\x08\x0b\x0c\x0d"}  # what Rich strips from text
_SGR = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "blink": "5", "reverse": "7", "strike": "9"}
_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
# HEAVY_HEAD as Rich draws it: top, header row, header rule, body row, bottom.
_BOX = {"top": "┏━┳┓", "head": "┃┃┃", "rule": "┡━╇┩", "row": "│││", "bottom": "└─┴┘"}
_ASCII_BOX = {"top": "+--+", "head": "|||", "rule": "|-+|", "row": "|||", "bottom": "+--+"}

Span = tuple[int, int, str]


def escape(markup: str) -> str:
    """Escape text so it prints as itself inside markup (the same as `rich.markup.escape`)."""
    if "[" not in markup and not markup.endswith("\\"):  # nothing that could read as a tag
        return markup

    def _escape(match: re.Match[str]) -> str:
        backslashes, text = match.groups()
        return f"{backslashes}{backslashes}\\{text}"

    markup = _ESCAPE.sub(_escape, markup)
    if markup.endswith("\\") and not markup.endswith("\\\\"):
        return markup + "\\"
    return markup


class Styled:
    """Plain text with style spans: what a marked-up string means."""

    __slots__ = ("plain", "spans")

    def __init__(self, plain: str, spans: list[Span] | None = None) -> None:
        self.plain = plain
        self.spans = spans or []

    @classmethod
    def from_markup(cls, markup: str, style: str = "") -> Styled:
        """Parse Rich markup. An unmatched closing tag is an error, as in Rich."""
        if "[" not in markup and markup.isprintable():  # the common case: nothing to parse
            return cls(markup, [(0, len(markup), style)] if style else [])
        plain: list[str] = []
        length = 0
        spans: list[Span] = []
        stack: list[tuple[int, str]] = []
        position = 0

        controls = not markup.isprintable() and any(chr(c) in markup for c in _CONTROL)

        def text(chunk: str) -> None:
            nonlocal length
            if controls:
                chunk = chunk.translate(_CONTROL)
            plain.append(chunk)
            length += len(chunk)

        for match in _TAG.finditer(markup):
            full, escapes, tag = match.groups()
            start, end = match.span()
            if start > position:
                text(markup[position:start])
            position = end
            if escapes:
                backslashes, escaped = divmod(len(escapes), 2)
                if backslashes:
                    text("\\" * backslashes)
                if escaped:
                    text(full[len(escapes) :])
                    continue
            if tag.startswith("/"):
                name = tag[1:].strip()
                if not name:
                    if not stack:
                        raise ValueError(f"closing tag '[/]' at position {start} has nothing to close")
                    opened_at, opened = stack.pop()
                else:
                    for index in range(len(stack) - 1, -1, -1):
                        if stack[index][1] == name.lower():
                            opened_at, opened = stack.pop(index)
                            break
                    else:
                        raise ValueError(f"closing tag '[/{name}]' at position {start} doesn't match any open tag")
                if not opened.startswith("@"):
                    spans.append((opened_at, length, opened))
            else:
                stack.append((length, tag.strip().lower()))
        if position < len(markup):
            text(markup[position:])
        spans.extend((at, length, name) for at, name in reversed(stack) if not name.startswith("@"))
        joined = "".join(plain)
        if "\t" in joined:
            joined, spans = _expand_tabs(joined, spans)
        if style:
            spans.insert(0, (0, len(joined), style))
        return cls(joined, sorted(spans, key=lambda s: s[0]))

    def slice(self, start: int, end: int) -> Styled:
        spans = [(max(a, start) - start, min(b, end) - start, s) for a, b, s in self.spans if a < end and b > start]
        return Styled(self.plain[start:end], spans)

    def pad(self, width: int) -> Styled:
        missing = width - cell_len(self.plain)
        return Styled(self.plain + " " * missing, self.spans) if missing > 0 else self

    def ansi(self, colour: bool, plain_only: bool) -> str:
        """The text with SGR codes for its styles (none when `plain_only`)."""
        if plain_only or not self.spans:
            return self.plain
        cuts = sorted({0, len(self.plain), *(a for a, _, _ in self.spans), *(b for _, b, _ in self.spans)})
        out = []
        for a, b in itertools.pairwise(cuts):
            if a >= b:
                continue
            codes = _sgr([s for x, y, s in self.spans if x <= a and y >= b], colour)
            chunk = self.plain[a:b]
            out.append(f"\x1b[{codes}m{chunk}\x1b[0m" if codes else chunk)
        return "".join(out)


def _expand_tabs(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """Tabs to spaces at 8-column stops (as Rich does), moving the spans with the text."""
    out: list[str] = []
    where: list[int] = []  # where[i]: the position of text[i] in the result
    position = column = 0
    for char in text:
        where.append(position)
        piece = " " * (8 - column % 8) if char == "\t" else char
        column = 0 if char == "\n" else column + len(piece)
        out.append(piece)
        position += len(piece)
    where.append(position)
    return "".join(out), [(where[a], where[b], s) for a, b, s in spans]


def _sgr(styles: list[str], colour: bool) -> str:
    """SGR parameters for the combined styles, ordered as Rich orders them (attributes, colours)."""
    attributes: set[str] = set()
    fg = bg = ""
    for style in styles:
        on = False
        for word in style.lower().split():
            if word == "on":
                on = True
                continue
            if word in _SGR:
                attributes.add(_SGR[word])
            elif colour and word.removeprefix("bright_") in _COLOURS:
                code = str(
                    (40 if on else 30)
                    + (60 if word.startswith("bright_") else 0)
                    + _COLOURS.index(word.removeprefix("bright_"))
                )
                fg, bg = (fg, code) if on else (code, bg)
            on = False
    return ";".join([*sorted(attributes, key=int), *(c for c in (fg, bg) if c)])


def cell_len(text: str) -> int:
    """How many terminal cells `text` takes (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    total = len(text)
    for char in set(text):
        if char > "\x7f":
            width = _char_width(char)
            if width != 1:
                total += (width - 1) * text.count(char)
    return total


_widths: dict[str, int] = {}


def _char_width(char: str) -> int:
    if char not in _widths:
        import unicodedata

        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            _widths[char] = 0
        else:
            _widths[char] = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return _widths[char]


def _chop(text: str, width: int) -> list[str]:
    """Split a word into pieces of at most `width` cells."""
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for char in text:
        size = cell_len(char)
        if current and used + size > width:
            pieces.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += size
    if current:
        pieces.append("".join(current))
    return pieces


def _divide_line(text: str, width: int, fold: bool) -> list[int]:
    """Offsets at which to break `text` to fit `width` cells (rich._wrap.divide_line)."""
    breaks: list[int] = []
    offset = 0
    size = len if text.isascii() else cell_len
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        word_length = size(word.rstrip())
        if width - offset >= word_length:
            offset += size(word)
        elif word_length > width:
            if fold:
                pieces = _chop(word, width)
                for n, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if n == len(pieces) - 1:
                        offset = cell_len(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                offset = cell_len(word)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def _crop(text: Styled, width: int, ellipsis: bool) -> Styled:
    """Cut a line to `width` cells (ending in an ellipsis when asked), as Text.truncate does."""
    if cell_len(text.plain) <= width:
        return text
    keep = width - 1 if ellipsis else width
    used, end = 0, 0
    for end, char in enumerate(text.plain):  # noqa: B007
        if used + cell_len(char) > keep:
            break
        used += cell_len(char)
    else:
        end = len(text.plain)
    cut = text.slice(0, end)
    if ellipsis:
        cut = Styled(cut.plain + " " * (keep - used) + "…", cut.spans)
    return cut


def wrap(text: Styled, width: int, *, justify: bool, fold: bool) -> list[Styled]:
    """Word-wrap to `width` cells: Rich's Text.wrap with justify left (padded) or default."""
    width = max(width, 1)
    if "\n" not in text.plain and cell_len(text.plain) <= width:  # the common case: it fits
        return [text.pad(width) if justify else text]
    lines: list[Styled] = []
    for line in _split_lines(text):
        if cell_len(line.plain) <= width:
            lines.append(line.pad(width) if justify else line)
            continue
        cuts = [0, *_divide_line(line.plain, width, fold), len(line.plain)]
        for a, b in itertools.pairwise(cuts):
            piece = line.slice(a, b)
            excess = len(piece.plain) - width
            if excess > 0:
                trailing = _TRAILING_SPACE.search(piece.plain)
                if trailing:
                    piece = piece.slice(0, len(piece.plain) - min(len(trailing.group(0)), excess))
            piece = _crop(piece, width, ellipsis=not fold)
            lines.append(piece.pad(width) if justify else piece)
    return lines


def _split_lines(text: Styled) -> list[Styled]:
    """The lines of `text`, each with its part of the spans (one pass over the spans)."""
    import bisect

    plains = text.plain.split("\n")
    if not text.spans:
        return [Styled(plain) for plain in plains]
    starts, position = [], 0
    for plain in plains:
        starts.append(position)
        position += len(plain) + 1
    spans: list[list[Span]] = [[] for _ in plains]
    for a, b, style in text.spans:
        if a >= b:
            continue
        for n in range(bisect.bisect_right(starts, a) - 1, bisect.bisect_right(starts, b - 1)):
            start = starts[n]
            clipped = (max(a, start) - start, min(b, start + len(plains[n])) - start, style)
            if clipped[0] < clipped[1]:
                spans[n].append(clipped)
    return [Styled(plain, line_spans) for plain, line_spans in zip(plains, spans, strict=True)]


class Table:
    """The subset of `rich.table.Table` that mentorkit's lists use: columns, rows, a title."""

    __slots__ = ("caption", "columns", "header_style", "rows", "title", "title_justify")

    def __init__(
        self, *columns: str, title: str | None = None, title_justify: str = "left", header_style: str = "bold"
    ) -> None:
        self.columns: list[str] = list(columns)
        self.rows: list[list[Any]] = []
        self.title = title
        self.title_justify = title_justify
        self.header_style = header_style
        self.caption: str | None = None

    def add_column(self, header: str = "") -> None:
        self.columns.append(header)

    def add_row(self, *cells: Any) -> None:
        if len(cells) > len(self.columns):
            raise ValueError(f"a row of {len(cells)} cells in a table of {len(self.columns)} columns")
        self.rows.append([("" if cell is None else cell) for cell in cells] + [""] * (len(self.columns) - len(cells)))

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def plain_enough(self) -> bool:
        """True when this module can draw it: only strings, a left-justified title, no caption."""
        return (
            self.caption is None
            and self.title_justify == "left"
            and all(isinstance(cell, str) for row in self.rows for cell in row)
        )

    def to_rich(self) -> Any:
        """The same table as a `rich.table.Table` (for cells that are Rich objects)."""
        from rich.table import Table as RichTable

        table = RichTable(
            title=self.title,
            title_justify=self.title_justify,  # type: ignore[arg-type]
            header_style=self.header_style,
            expand=False,
            caption=self.caption,
        )
        for column in self.columns:
            table.add_column(column)
        for row in self.rows:
            table.add_row(*row)
        return table

    def lines(self, width: int, *, ascii_only: bool = False) -> list[Styled]:
        """The drawn table, one `Styled` per line, at most `width` cells wide."""
        return list(self.iter_lines(width, ascii_only=ascii_only))

    def iter_lines(self, width: int, *, ascii_only: bool = False) -> Iterator[Styled]:
        """`lines`, drawn one row at a time: the widths come from a first pass that keeps only
        each cell's measurements, so a table of 100,000 rows is not held drawn."""
        if not self.columns:
            yield Styled("")
            return
        box = _ASCII_BOX if ascii_only else _BOX
        header = [Styled.from_markup(c, self.header_style) for c in self.columns]
        naturals = [[_natural(cell)] for cell in header]
        for row in self.rows:
            for column, cell in zip(naturals, row, strict=True):
                column.append(_natural(Styled.from_markup(cell)))
        widths = _widths_of(naturals, width - len(self.columns) - 1)
        table_width = sum(widths) + len(widths) + 1
        if self.title:
            yield from wrap(Styled.from_markup(self.title, "italic"), table_width, justify=True, fold=True)
        yield Styled(_rule(box["top"], widths))
        yield from _row_lines(header, widths, box["head"][0], header=True)
        yield Styled(_rule(box["rule"], widths))
        for row in self.rows:
            yield from _row_lines([Styled.from_markup(cell) for cell in row], widths, box["row"][0])
        yield Styled(_rule(box["bottom"], widths))


class Grid:
    """The subset of `rich.table.Table.grid(padding=(0, 2))` that reports use: columns of
    labels and text side by side, no borders, two spaces between columns (Rich collapses the
    padding between neighbours, and a grid has none at its edges)."""

    __slots__ = ("columns", "rows")

    def __init__(self) -> None:
        self.columns: list[tuple[str, bool]] = []  # (style, no_wrap)
        self.rows: list[list[Any]] = []

    def add_column(self, *, style: str = "", no_wrap: bool = False) -> None:
        self.columns.append((style, no_wrap))

    def add_row(self, *cells: Any) -> None:
        if len(cells) > len(self.columns):
            raise ValueError(f"a row of {len(cells)} cells in a grid of {len(self.columns)} columns")
        self.rows.append([*cells] + [""] * (len(self.columns) - len(cells)))

    def plain_enough(self) -> bool:
        return all(isinstance(cell, str) for row in self.rows for cell in row)

    def to_rich(self) -> Any:
        from rich.table import Table as RichTable

        grid = RichTable.grid(padding=(0, 2))
        for style, no_wrap in self.columns:
            grid.add_column(style=style or None, no_wrap=no_wrap)
        for row in self.rows:
            grid.add_row(*row)
        return grid

    def lines(self, width: int, *, ascii_only: bool = False) -> list[Styled]:
        """The drawn grid, one `Styled` per line, at most `width` cells wide."""
        if not self.rows:
            return []
        pads = [2] * (len(self.columns) - 1) + [0]
        cells = [
            [Styled.from_markup(cell, style) for cell, (style, _) in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]
        widths = _column_widths(cells, width, pads, [not no_wrap for _, no_wrap in self.columns])
        out: list[Styled] = []
        for row in cells:
            wrapped = []
            for cell, w, pad, (_, no_wrap) in zip(row, widths, pads, self.columns, strict=True):
                inner = max(w - pad, 0)
                if no_wrap:
                    wrapped.append([_crop(line, inner, ellipsis=True).pad(inner) for line in _split_lines(cell)])
                else:
                    wrapped.append(wrap(cell, inner, justify=True, fold=False) if inner else [])
            for n in range(max(1, *(len(lines) for lines in wrapped))):
                pieces: list[str] = []
                spans: list[Span] = []
                at = 0
                for lines, w, pad in zip(wrapped, widths, pads, strict=True):
                    if n < len(lines):
                        line = lines[n]
                        spans += [(a + at, b + at, style) for a, b, style in line.spans]
                        pieces.append(line.plain + " " * pad)
                    else:
                        pieces.append(" " * w)
                    at += len(pieces[-1])
                out.append(Styled("".join(pieces), spans))
        return out


def _rule(chars: str, widths: list[int]) -> str:
    left, line, cross, right = chars[0], chars[1], chars[2], chars[3]
    return left + cross.join(line * w for w in widths) + right


def _row_lines(cells: list[Styled], widths: list[int], bar: str, *, header: bool = False) -> list[Styled]:
    """One row of cells, each wrapped in its column; header cells sit at the bottom, as in Rich."""
    wrapped = [
        wrap(cell, w - 2, justify=True, fold=False) if w > 2 else [] for cell, w in zip(cells, widths, strict=True)
    ]
    height = max(1, *(len(lines) for lines in wrapped))
    out = []
    step = len(bar)
    for n in range(height):
        pieces: list[str] = []
        spans: list[Span] = []
        at = step
        for lines, w in zip(wrapped, widths, strict=True):
            k = n - (height - len(lines)) if header else n
            if w > 2 and 0 <= k < len(lines):
                inner = lines[k]
                pieces.append(f" {inner.plain} ")
                if inner.spans:
                    spans += [(a + at + 1, b + at + 1, style) for a, b, style in inner.spans]
            else:  # below a shorter cell, or no room inside the padding
                pieces.append(" " * w)
            at += len(pieces[-1]) + step
        out.append(Styled(bar + bar.join(pieces) + bar, spans))
    return out


def _natural(cell: Styled) -> tuple[int, int]:
    """A cell's longest word and longest line, in cells (what Rich's Text measures)."""
    plain = cell.plain
    if plain.isascii() and plain.isprintable():  # one line; only spaces separate words
        longest = len(plain)
        shortest = max(map(len, plain.split()), default=longest) if " " in plain else longest
    else:
        longest = max((cell_len(line) for line in plain.splitlines()), default=0)
        shortest = max((cell_len(word) for word in plain.split()), default=longest)
    return min(max(0, shortest), longest), longest


def _measure(natural: tuple[int, int], max_width: int, pad: int = 2) -> int:
    """A padded cell's maximum width within `max_width` (Rich's Measurement.get(Padding(Text)))."""
    if max_width < 1:
        return 0
    if max_width - pad < 1:
        return max_width
    return min(min(natural[1], max_width - pad) + pad, max_width)


def _column_widths(
    rows: list[list[Styled]], max_width: int, pads: list[int] | None = None, wrapable: list[bool] | None = None
) -> list[int]:
    """Rich's Table._calculate_column_widths for columns without fixed widths: `pads` are the
    columns' horizontal padding (2 each unless given), `wrapable` the columns that may shrink."""
    return _widths_of(
        [[_natural(cell) for cell in column] for column in zip(*rows, strict=True)], max_width, pads, wrapable
    )


def _widths_of(
    columns: list[list[tuple[int, int]]],
    max_width: int,
    pads: list[int] | None = None,
    wrapable: list[bool] | None = None,
) -> list[int]:
    """`_column_widths` from each column's cells' measurements (`_natural`)."""
    pads = pads or [2] * len(columns)

    def measure(width: int, cells: list[tuple[int, int]], pad: int) -> int:
        if width < 1:
            return 0
        return min(max(_measure(cell, width, pad) for cell in cells), width)

    widths = [measure(max_width, cells, pad) or 1 for cells, pad in zip(columns, pads, strict=True)]
    if sum(widths) > max_width:
        widths = _collapse(widths, max_width, wrapable or [True] * len(widths))
        if sum(widths) > max_width:
            widths = _ratio_reduce(sum(widths) - max_width, [1] * len(widths), widths, widths)
        widths = [measure(w, cells, pad) for w, cells, pad in zip(widths, columns, pads, strict=True)]
    return widths


def _collapse(widths: list[int], max_width: int, wrapable: list[bool]) -> list[int]:
    """Shrink the widest columns that may wrap first, down towards the next widest
    (Table._collapse_widths)."""
    total = sum(widths)
    excess = total - max_width
    while any(wrapable) and total and excess > 0:
        widest = max(w for w, ok in zip(widths, wrapable, strict=True) if ok)
        second = max((w if ok and w != widest else 0) for w, ok in zip(widths, wrapable, strict=True))
        difference = widest - second
        ratios = [1 if (w == widest and ok) else 0 for w, ok in zip(widths, wrapable, strict=True)]
        if not any(ratios) or not difference:
            break
        widths = _ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
        total = sum(widths)
        excess = total - max_width
    return widths


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich._ratio.ratio_reduce."""
    ratios = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


class Console:
    """Prints strings (Rich markup) and `Table`s itself; hands anything else to a Rich console.

    Width, colour and terminal detection follow Rich's rules: COLUMNS, else the terminal's size,
    else 80; styles only on a terminal (or with FORCE_COLOR); NO_COLOR keeps bold and dim but
    drops colours. The stream is looked up at each print, so redirection (and tests) work.
    """

    def __init__(self, *, stderr: bool = False, soft_wrap: bool = False) -> None:
        self.stderr = stderr
        self.soft_wrap = soft_wrap
        self._rich: RichConsole | None = None

    @property
    def file(self) -> TextIO:
        return sys.stderr if self.stderr else sys.stdout

    @property
    def rich(self) -> RichConsole:
        """The Rich console behind this one, created on first need."""
        if self._rich is None:
            from rich.console import Console as RichConsole

            self._rich = RichConsole(stderr=self.stderr, highlight=False, soft_wrap=self.soft_wrap)
        return self._rich

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rich, name)

    @property
    def width(self) -> int:
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        if self._dumb():
            return 80
        for fd in (0, 1, 2):
            try:
                size = os.get_terminal_size(fd).columns
            except (AttributeError, ValueError, OSError):
                continue
            return size or 80
        return 80

    def _is_terminal(self) -> bool:
        if os.environ.get("FORCE_COLOR"):
            return True
        try:
            return self.file.isatty()
        except (AttributeError, ValueError):
            return False

    def _dumb(self) -> bool:
        return os.environ.get("TERM", "").lower() in ("dumb", "unknown") and self._is_terminal()

    def print(
        self,
        *objects: Any,
        markup: bool = True,
        end: str = "\n",
        soft_wrap: bool | None = None,
        highlight: bool | None = None,
        **options: Any,
    ) -> None:
        """Print like `rich.console.Console.print`; see the class docstring for what is drawn here."""
        drawable = not options and all(
            isinstance(o, str) or (isinstance(o, Table | Grid) and o.plain_enough()) for o in objects
        )
        if not drawable:
            converted = [o.to_rich() if isinstance(o, Table | Grid) else o for o in objects]
            self.rich.print(*converted, markup=markup, end=end, soft_wrap=soft_wrap, highlight=highlight, **options)
            return
        styled_output = self._is_terminal() and not self._dumb()
        colour = styled_output and not os.environ.get("NO_COLOR")
        encoding = (getattr(self.file, "encoding", None) or "utf-8").lower()
        width = self.width
        no_wrap = self.soft_wrap if soft_wrap is None else soft_wrap
        texts: list[Styled] = []

        def flush_texts() -> list[Styled]:
            if not texts:
                return []
            joined = _join_texts(texts)
            texts.clear()
            return [joined] if no_wrap else wrap(joined, width, justify=False, fold=True)

        def drawn() -> Iterator[Styled]:
            for obj in objects:
                if isinstance(obj, Table):
                    yield from flush_texts()
                    yield from obj.iter_lines(width, ascii_only=not encoding.startswith("utf"))
                elif isinstance(obj, Grid):
                    yield from flush_texts()
                    yield from obj.lines(width, ascii_only=not encoding.startswith("utf"))
                else:
                    texts.append(Styled.from_markup(obj) if markup else Styled(obj.translate(_CONTROL)))
            yield from flush_texts()

        write = self.file.write
        for n, line in enumerate(drawn()):  # written as drawn: a long table is never held whole
            write(("\n" if n else "") + line.ansi(colour, not styled_output))
        write(end)
        self.file.flush()


def _join_texts(texts: list[Styled]) -> Styled:
    plain, spans, at = [], [], 0
    for n, text in enumerate(texts):
        if n:
            plain.append(" ")
            at += 1
        plain.append(text.plain)
        spans += [(a + at, b + at, s) for a, b, s in text.spans]
        at += len(text.plain)
    return Styled("".join(plain), spans)
