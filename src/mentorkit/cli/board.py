"""`board`: the personal board of directors at a glance."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from mentorkit.cli.common import JsonOpt, console, emit_json, reading
from mentorkit.cli.render import Col, Table, Text, styled

if TYPE_CHECKING:
    from mentorkit.domain.board import Board, Seat


app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""


def _seat(seat: Seat) -> Text:
    where = {True: "local", False: "remote", None: ""}[seat.local]
    marks = [m for m in (where, "" if seat.stage == "active" else seat.stage) if m]
    label = Text(seat.name, styled(f" ({', '.join(marks)})", "dim") if marks else "")
    return styled(label, "dim") if seat.stage == "paused" else label


def render_board(board: Board) -> None:
    out = console()
    table = Table(
        Col("arena", "name"),
        Col("mentors", "name"),
        Col("cover"),
        Col("prospects", "text", wrap=True),
        title="Personal board of directors",
    )
    for arena in board.arenas:
        if arena.gap:
            cover = styled("GAP", "bold red")
        elif arena.single_point:
            cover = styled("1 (single point)", "yellow")
        else:
            cover = styled(arena.covered_by, "green")
        table.add_row(
            arena.name,
            [_seat(s) for s in arena.mentors] or "—",
            cover,
            ", ".join(s.name for s in arena.prospects),
        )
    out.print(table)
    _goals(board)
    mix = board.mix
    out.print(
        f"Mix: {mix['local']} local, {mix['remote']} remote" + (f", {mix['unknown']} not set" if mix["unknown"] else "")
    )
    if board.gaps:
        out.print(
            styled("Gaps:", "bold red"),
            " " + ", ".join(board.gaps) + " — find a mentor (see prospects above, or `mentorkit pitch --arena ARENA`)",
        )
    for point in board.single_points:
        if point.kind == "arena":
            out.print(styled("Single point:", "yellow"), f" {point.arenas[0]} rests on {point.mentor} alone")
        else:
            out.print(
                styled("Single point:", "yellow"),
                f" {point.mentor} is the only cover of " + ", ".join(point.arenas),
            )
    if board.unassigned:
        out.print(
            "No arena yet: "
            + ", ".join(s.name for s in board.unassigned)
            + " — add one with `mentorkit edit MENTOR --arena ARENA`"
        )
    if board.sponsors:
        out.print("Sponsors: " + ", ".join(s.name for s in board.sponsors))
    else:
        out.print(
            styled("No sponsor:", "yellow"),
            " no one on your board is marked as advocating for you where you are not in the room"
            " — `mentorkit edit MENTOR --role sponsor`",
            hang=2,
        )
    for group in board.groups:
        members = ", ".join(group.members) or "no members yet"
        cadence = f", {group.cadence}" if group.cadence else ""
        out.print("Near-peer group: ", styled(group.name, "bold"), f" ({members}{cadence})")


def _goals(board: Board) -> None:
    """Each arena's open goals, one line each, and whether a mentor helps with it."""
    from mentorkit.dates import format_day

    out = console()
    arenas = [a for a in board.arenas if a.goals]
    if not arenas:
        out.print("No open goals yet: `mentorkit goal add ARENA TEXT --by DATE`")
        return
    out.print(styled("Open goals", "bold"))
    for arena in arenas:
        for goal in arena.goals:
            by = f" (by {format_day(goal.due_on)})" if goal.due_on else ""
            who = Text(" — ", ", ".join(goal.mentors)) if goal.mentors else styled(" — no mentor linked", "yellow")
            out.print(f"  {arena.name} #{goal.id}: {goal.text}{by}", who, hang=4)


@app.command("board")
def board(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Your personal board of directors: arenas by mentors, gaps, open goals, sponsors, single points,
    local/remote mix."""
    from mentorkit.domain.board import build_board

    with reading(ctx) as conn:
        result = build_board(conn)
    if as_json:
        emit_json(result)
    else:
        render_board(result)
