"""`board`: the personal board of directors at a glance."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from mentorkit.cli.common import JsonOpt, console, emit_json, esc, new_table, reading

if TYPE_CHECKING:
    from mentorkit.domain.board import Board, Seat


def _seat(seat: Seat) -> str:
    where = {True: "local", False: "remote", None: ""}[seat.local]
    marks = [m for m in (where, "" if seat.stage == "active" else seat.stage) if m]
    label = esc(seat.name) + (f" [dim]({', '.join(marks)})[/dim]" if marks else "")
    return f"[dim]{label}[/dim]" if seat.stage == "paused" else label


def render_board(board: Board) -> None:
    out = console()
    table = new_table("arena", "mentors", "cover", "prospects", title="Personal board of directors")
    for arena in board.arenas:
        if arena.gap:
            cover = "[bold red]GAP[/bold red]"
        elif arena.single_point:
            cover = "[yellow]1 (single point)[/yellow]"
        else:
            cover = f"[green]{arena.covered_by}[/green]"
        table.add_row(
            esc(arena.name),
            "\n".join(_seat(s) for s in arena.mentors) or "—",
            cover,
            ", ".join(esc(s.name) for s in arena.prospects) or "",
        )
    out.print(table)
    mix = board.mix
    out.print(
        f"Mix: {mix['local']} local, {mix['remote']} remote" + (f", {mix['unknown']} not set" if mix["unknown"] else "")
    )
    if board.gaps:
        out.print(
            "[bold red]Gaps:[/bold red] "
            + ", ".join(esc(g) for g in board.gaps)
            + " — find a mentor (see prospects above, or `mentorkit pitch --arena ARENA`)"
        )
    for point in board.single_points:
        if point.kind == "arena":
            out.print(f"[yellow]Single point:[/yellow] {esc(point.arenas[0])} rests on {esc(point.mentor)} alone")
        else:
            out.print(
                f"[yellow]Single point:[/yellow] {esc(point.mentor)} is the only cover of "
                + ", ".join(esc(a) for a in point.arenas)
            )
    if board.unassigned:
        out.print(
            "No arena yet: "
            + ", ".join(esc(s.name) for s in board.unassigned)
            + " — add one with `mentorkit edit MENTOR --arena ARENA`"
        )
    for group in board.groups:
        members = ", ".join(esc(m) for m in group.members) or "no members yet"
        cadence = f", {esc(group.cadence)}" if group.cadence else ""
        out.print(f"Near-peer group: [bold]{esc(group.name)}[/bold] ({members}{cadence})")


def board(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Your personal board of directors: arenas by mentors, gaps, single points, local/remote mix."""
    from mentorkit.domain.board import build_board

    with reading(ctx) as conn:
        result = build_board(conn)
    if as_json:
        emit_json(result)
    else:
        render_board(result)


def register(app: typer.Typer) -> None:
    app.command("board")(board)
