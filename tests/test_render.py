"""The light renderer (cli/render.py) prints what Rich prints, for the tables and lines we use."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console as RichConsole
from rich.markup import escape as rich_escape
from rich.table import Table as RichTable

from mentorkit.cli import render

WORDS = st.sampled_from(
    [
        "a",
        "Dr.",
        "Teresa",
        "Alvarez",
        "check",
        "in",
        "(quarterly;",
        "2026-08-17)",
        "—",
        "#12",
        "mentorkit",
        "summary",
        "supercalifragilisticexpialidocious",
        "x" * 30,
        "café",
        "naïve",
        "東京",
        "[bold]",
        "\\",
        "a[b]",
    ]
)
CELL = st.lists(WORDS, max_size=12).map(" ".join)
STYLED_CELL = st.builds(
    lambda words, style: f"[{style}]{rich_escape(words)}[/{style}]" if style else rich_escape(words),
    CELL,
    st.sampled_from(["", "red", "bold red", "dim", "yellow", "green"]),
)


def rich_text(*objects: object, width: int, terminal: bool = False) -> str:
    out = io.StringIO()
    console = RichConsole(
        file=out,
        width=width,
        highlight=False,
        force_terminal=terminal,
        color_system="standard" if terminal else None,
        legacy_windows=False,
    )
    console.print(*objects)
    return out.getvalue()


def light_text(table: render.Table, width: int) -> str:
    return "\n".join(line.plain for line in table.lines(width)) + "\n"


def tables(columns: list[str], rows: list[list[str]], title: str | None) -> tuple[RichTable, render.Table]:
    rich_table = RichTable(title=title, title_justify="left", header_style="bold", expand=False)
    for column in columns:
        rich_table.add_column(column)
    light = render.Table(*columns, title=title)
    for row in rows:
        rich_table.add_row(*row)
        light.add_row(*row)
    return rich_table, light


@settings(max_examples=120, deadline=None)
@given(
    columns=st.lists(
        st.sampled_from(["id", "kind", "with", "what", "due", "", "last contact"]), min_size=1, max_size=7
    ),
    data=st.data(),
    width=st.integers(min_value=20, max_value=170),
    title=st.one_of(st.none(), CELL),
)
def test_tables_match_rich(columns: list[str], data: st.DataObject, width: int, title: str | None) -> None:
    rows = data.draw(st.lists(st.lists(STYLED_CELL, min_size=len(columns), max_size=len(columns)), max_size=6))
    rich_table, light = tables(columns, rows, rich_escape(title) if title else None)
    assert light_text(light, width) == rich_text(rich_table, width=width)


LABEL = st.sampled_from(["  meetings", "  cadence", "  follow-ups", "  advice", "  flags", "  pilot due", "", "  x"])


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    width=st.integers(min_value=16, max_value=170),
    styles=st.tuples(st.sampled_from(["", "dim", "yellow"]), st.sampled_from(["", "dim"])),
    label_wraps=st.booleans(),
)
def test_grids_match_rich(data: st.DataObject, width: int, styles: tuple[str, str], label_wraps: bool) -> None:
    """The report layout of `review`: a no-wrap label column beside text, which may span lines."""
    text = st.lists(STYLED_CELL, min_size=1, max_size=3).map("\n".join)
    rows = data.draw(st.lists(st.tuples(LABEL, text), min_size=1, max_size=5))
    rich_grid = RichTable.grid(padding=(0, 2))
    light = render.Grid()
    for n, style in enumerate(styles):
        no_wrap = n == 0 and not label_wraps
        rich_grid.add_column(style=style or None, no_wrap=no_wrap)
        light.add_column(style=style, no_wrap=no_wrap)
    for row in rows:
        rich_grid.add_row(*row)
        light.add_row(*row)
    assert light.plain_enough()
    assert "\n".join(line.plain for line in light.lines(width)) + "\n" == rich_text(rich_grid, width=width)


@settings(max_examples=120, deadline=None)
@given(
    text=st.lists(st.one_of(STYLED_CELL, CELL.map(rich_escape)), max_size=5).map(" ".join),
    width=st.integers(min_value=10, max_value=120),
)
def test_marked_up_lines_match_rich(text: str, width: int) -> None:
    light = render.wrap(render.Styled.from_markup(text), width, justify=False, fold=True)
    assert "\n".join(line.plain for line in light) + "\n" == rich_text(text, width=width)


@pytest.mark.parametrize(
    "markup",
    [
        "[bold]Review[/bold] of your board",
        "[red]late[/red] and [yellow]today[/yellow]",
        "[bold red]GAP[/bold red]",
        "[dim]no cadence[/dim] set",
        "plain \\[not a tag] text",
        "[green]kept [bold]75%[/bold][/green]",
    ],
)
def test_styles_match_rich_on_a_terminal(markup: str, monkeypatch: pytest.MonkeyPatch) -> None:
    light = render.Styled.from_markup(markup)
    assert light.ansi(colour=False, plain_only=False) + "\n" == rich_text(markup, width=200, terminal=True)
    monkeypatch.delenv("NO_COLOR")
    assert light.ansi(colour=True, plain_only=False) + "\n" == rich_text(markup, width=200, terminal=True)


def test_escape_is_riches() -> None:
    for text in ["[bold]", "a\\", "\\[x]", "[/]", "x [red]y[/red] \\\\[z]", "C:\\path\\"]:
        assert render.escape(text) == rich_escape(text)


def test_a_table_holding_a_rich_object_is_drawn_by_rich(capsys: pytest.CaptureFixture[str]) -> None:
    from rich.text import Text

    table = render.Table("kind", "match")
    table.add_row("advice", Text("a snippet"))
    assert not table.plain_enough()
    render.Console().print(table)
    assert "a snippet" in capsys.readouterr().out


def test_unmatched_closing_tags_are_errors_as_in_rich() -> None:
    with pytest.raises(ValueError, match="doesn't match any open tag"):
        render.Styled.from_markup("[bold]x[/red]")
