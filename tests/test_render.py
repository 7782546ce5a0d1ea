"""mentorkit's own tables, fields and lines (cli/render.py, cli/text.py; docs/architecture.md "Output")."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.cli import render
from mentorkit.cli.render import Col, Console, Fields, Table, Text, styled
from mentorkit.cli.text import printable, width


@pytest.fixture(autouse=True)
def a_known_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widths of emoji sequences depend on the terminal named by TERM/TERM_PROGRAM (cli/text.py)."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("TERM_PROGRAM", raising=False)


def drawn(table: Table | Fields, total: int = 80) -> list[str]:
    return ["".join(text for text, _ in line) for line in table.draw(total, render.UNICODE)]


def test_printable_shows_every_control_as_an_escape() -> None:
    assert printable("Evil\x1b[31mRED\x07\x08\r\n\x7f\x9b\x9d") == "Evil\\x1b[31mRED\\x07\\x08\\r\\n\\x7f\\x9b\\x9d"
    assert printable("a\u2028b\u202eevil\udcff") == "a\\u2028b\\u202eevil\\udcff"
    for kept in ("Zoë", "東京", "👍🏽", "👨\u200d👩\u200d👧", "soft\u00adhyphen", "e\u0301", "\\n typed"):
        assert printable(kept) == kept


@pytest.mark.parametrize(
    ("text", "cells"),
    [("plain", 5), ("東京", 4), ("👍🏽", 2), ("👨\u200d👩\u200d👧", 2), ("e\u0301", 1), ("a\x1bb", 6), ("🇯🇵", 2)],
)
def test_width_counts_terminal_cells(text: str, cells: int) -> None:
    assert width(text) == cells


def test_the_characters_measured_without_the_library_are_what_the_library_says() -> None:
    import wcwidth

    from mentorkit.cli.text import NARROW

    for char in NARROW:
        assert wcwidth.width(char, control_codes="ignore") == 1, repr(char)
        assert list(wcwidth.iter_graphemes(char + char)) == [char, char], repr(char)


def test_plain_latin_text_is_measured_without_importing_wcwidth() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from mentorkit.cli.text import width, pieces; "
        "assert width('Zoë — café · naïve…') == 19; list(pieces('Ångström → done')); "
        "print('wcwidth' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_widths_follow_what_the_library_knows_of_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    family = "👨\u200d👩\u200d👧"
    monkeypatch.setenv("TERM_PROGRAM", "vscode")  # draws the three emoji side by side
    assert width(family) == 6
    monkeypatch.delenv("TERM_PROGRAM")
    assert width(family) == 2


def test_ids_dates_and_labels_are_never_cut_names_and_text_are() -> None:
    table = Table(Col("id", "id"), Col("due", "date"), Col("with", "name"), Col("what", "text"))
    table.add_row("12345", "2026-11-30", "Dr. Bartholomew Featherstonehaugh-Smythe", "x " * 200)
    header, rule, row = drawn(table, 60)
    assert row.startswith("12345  2026-11-30  ") and row.endswith("…")
    assert width(row) == 60 and "Dr. Barthol" in row and "…" in row.split("  ")[2]
    assert header.split() == ["id", "due", "with", "what"]
    assert set(rule.replace(" ", "")) == {"─"}


def test_every_column_has_a_header() -> None:
    with pytest.raises(ValueError, match="header"):
        Col("")


def test_a_row_that_fits_is_one_line_and_ids_align_right() -> None:
    table = Table(Col("id", "id"), Col("name", "name"))
    table.add_row("1", "Ana")
    table.add_row("12", "Ben")
    assert drawn(table) == ["id  name", "──  ────", " 1  Ana", "12  Ben"]


def test_free_text_wraps_under_itself_or_is_cut_with_line_breaks_as_spaces() -> None:
    wrapped = Table(Col("id", "id"), Col("advice", "text", wrap=True))
    wrapped.add_row("1", "one two three four five six seven eight\nnine")
    assert drawn(wrapped, 24)[2:] == [" 1  one two three four", "    five six seven eight", "    nine"]
    cut = Table(Col("id", "id"), Col("notes", "text"))
    cut.add_row("1", "first line\nsecond line")
    assert drawn(cut)[2] == " 1  first line second line"


def test_a_cut_never_splits_an_escape_or_a_wide_character() -> None:
    table = Table(Col("id", "id"), Col("name", "name", min=8))
    table.add_row("1", "ab\x1b[31m東京東京東京東京")
    table.add_row("2", "x" * 100)
    for total in range(12, 30):
        line = drawn(table, total)[2]
        name = line[4:]
        assert name.startswith("ab\\x1b") or name == "ab…" or name == "a…", (total, line)
        assert width(line) <= max(total, 4 + 8)


def test_tabs_expand_to_stops_of_eight_from_the_cell_edge() -> None:
    table = Table(Col("id", "id"), Col("note", "text"))
    table.add_row("1", "a\tb")
    assert drawn(table)[2] == " 1  a       b"


def _print_to(monkeypatch: pytest.MonkeyPatch, *, tty: bool, no_color: bool, item: object) -> str:
    out = io.StringIO()
    out.isatty = lambda: tty  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdout", out)
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    Console().print(item)  # type: ignore[arg-type]
    return out.getvalue()


def test_styles_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    line = Text("due ", styled("2 days late", "red"))
    assert _print_to(monkeypatch, tty=True, no_color=False, item=line) == "due \x1b[31m2 days late\x1b[0m\n"
    assert _print_to(monkeypatch, tty=True, no_color=True, item=line) == "due 2 days late\n"
    assert _print_to(monkeypatch, tty=False, no_color=False, item=line) == "due 2 days late\n"


def test_stored_text_is_never_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    line = Text("[bold]x[/bold] ", styled("[red]", "bold"))
    assert _print_to(monkeypatch, tty=False, no_color=False, item=line) == "[bold]x[/bold] [red]\n"


def test_fields_wrap_values_under_themselves() -> None:
    fields = Fields()
    fields.add("name", "Maya")
    fields.add("story", "I study why older adults return to the ED within a week")
    assert drawn(fields, 40) == [
        "  name   Maya",
        "  story  I study why older adults return",
        "         to the ED within a week",
    ]


ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from("\x1b\x9b\t\n\r"))


@settings(max_examples=150, deadline=None)
@given(
    cells=st.lists(st.tuples(st.integers(0, 10**6), ANY_TEXT, ANY_TEXT), min_size=1, max_size=5),
    total=st.integers(20, 130),
)
def test_any_text_in_any_width_stays_safe_and_aligned(cells: list[tuple[int, str, str]], total: int) -> None:
    table = Table(Col("id", "id"), Col("due", "date"), Col("with", "name"), Col("what", "text"))
    for n, name, what in cells:
        table.add_row(str(n), "2026-12-07", name, what)
    lines = drawn(table, total)
    widest_id = max(len(str(n)) for n, _, _ in cells)
    for line in lines:
        assert not re.search("[\x00-\x1f\x7f-\x9f]", line)
        assert width(line) <= max(total, max(widest_id, 2) + 2 + 10 + 2 + 14 + 2 + 4)
    for line, (n, _, _) in zip(lines[2:], cells, strict=False):
        assert line[: max(widest_id, 2)].strip() == str(n)  # ids whole, and aligned
        assert "2026-12-07" in line


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.tuples(st.text(st.characters(codec="latin-1"), max_size=12), st.sampled_from(["", "bold"]))),
    room=st.integers(0, 40),
)
def test_a_cut_keeps_whole_pieces_and_ends_in_an_ellipsis(parts: list[tuple[str, str]], room: int) -> None:
    """Latin-1 text takes the shortcut (one cell a character); with controls, the long way."""
    from itertools import accumulate

    from mentorkit.cli.render import cut
    from mentorkit.cli.text import pieces

    runs = [(text, style) for text, style in parts if text]
    line, used = cut(runs, room, "…")
    plain = "".join(printable(text) for text, _ in runs)
    shown = "".join(text for text, _ in line)
    assert used == width(shown) <= room
    if width(plain) <= room:
        assert shown == plain
    elif room:
        prefixes = {"", *accumulate(piece for text, _ in runs for piece in pieces(text))}
        assert shown.endswith("…") and shown[:-1] in prefixes
        assert used >= room - max((len(p) for text, _ in runs for p in pieces(text)), default=1)
