"""The human form of `review`: a short report a person can act on (docs/review.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mentorkit.cli.common import console, esc

if TYPE_CHECKING:
    from mentorkit.cli.render import Console
    from mentorkit.domain.review import AdviceTally, FollowupStats, MentorReview, Ranked, Review

REASON_LABELS = {
    "stale": "stale",
    "pilot-due": "pilot due",
    "flagged": "flagged",
    "one-sided": "one-sided",
    "low-value": "low value",
}


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _meetings(m: MentorReview) -> str:
    modes = ", ".join(f"{n} {mode}" for mode, n in sorted(m.meetings_by_mode.items(), key=lambda kv: -kv[1]))
    text = _n(m.held, "contact") + (f" ({modes})" if modes else "")
    missed = [
        part
        for part in (f"{m.cancelled} cancelled" if m.cancelled else "", f"{m.missed} missed" if m.missed else "")
        if part
    ]
    if missed:
        text += "; " + ", ".join(missed)
    if m.last_contact:
        ago = m.days_since_contact
        text += f"; last contact {m.last_contact} ({'today' if ago == 0 else _n(ago or 0, 'day') + ' ago'})"
    else:
        text += "; never in touch yet"
    return text


def _cadence(m: MentorReview) -> str:
    kept = m.cadence_kept
    if not m.cadence:
        return "[dim]no cadence set (mentorkit edit " + str(m.id) + " --cadence monthly)[/dim]"
    if kept.percent is None:
        return f"{esc(m.cadence)}: too early to tell (less than one {kept.window_days}-day window tracked)"
    colour = "green" if kept.percent >= 75 else "yellow" if kept.percent >= 50 else "red"
    return (
        f"{esc(m.cadence)}: kept [{colour}]{kept.percent}%[/{colour}] "
        f"({kept.kept} of {kept.windows} {kept.window_days}-day windows had a contact)"
    )


def _side(label: str, s: FollowupStats) -> str:
    text = f"{label} {s.open} open"
    if s.late:
        text += f" ([red]{s.late} late[/red])"
    if s.done:
        text += f", {s.done} done in a median {s.median_days_to_done:g} days"
    return text


def _tally(t: AdviceTally) -> str:
    parts = [
        f"{n} {word}"
        for n, word in (
            (t.helpful, "helpful"),
            (t.mixed, "mixed"),
            (t.unhelpful, "unhelpful"),
            (t.untested, "untested"),
        )
        if n
    ]
    return ", ".join(parts)


def _advice(m: MentorReview) -> str:
    given = f"{m.advice.total} given" + (f" ({_tally(m.advice)})" if m.advice.total else "")
    record = m.advice_record
    if record.rated:
        given += f"; track record {record.helpful} helpful of {record.rated} rated"
    elif record.total:
        given += f"; none of {record.total} rated yet"
    return given


def _mentor_block(out: Console, m: MentorReview) -> None:
    from mentorkit.cli.render import Grid

    where = {True: "local", False: "remote", None: ""}[m.local]
    stage = m.stage + (f", review {m.pilot_review_on}" if m.stage == "pilot" and m.pilot_review_on else "")
    head = " · ".join(x for x in (stage, esc(m.cadence or ""), where) if x)
    out.print(f"[bold]{esc(m.name)}[/bold] (#{m.id}) — {head}")
    grid = Grid()
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    grid.add_row("  meetings", _meetings(m))
    grid.add_row("  cadence", _cadence(m))
    grid.add_row("  follow-ups", _side("mine:", m.mine) + " · " + _side("theirs:", m.theirs))
    grid.add_row("  advice", _advice(m))
    if m.flags:
        grid.add_row(
            "  flags",
            "; ".join(
                f"[red]{f.kind}[/red] since {f.raised_on}"
                + (f" (resolved {f.resolved_on})" if f.resolved_on else "")
                + (f": {esc(f.note)}" if f.note else "")
                for f in m.flags
            ),
        )
    out.print(grid)


def _rankings(out: Console, by_use: list[Ranked], by_advice: list[Ranked]) -> None:
    """Both rankings side by side: rank, most used, most helpful advice."""
    from mentorkit.cli.common import new_table

    advice = [r for r in by_advice if r.count > 0]
    table = new_table("#", "most used (contacts in the period)", "most helpful advice (all time)")
    for n, used in enumerate(by_use):
        helped = f"{esc(advice[n].mentor)}: {esc(advice[n].detail)}" if n < len(advice) else ""
        table.add_row(str(used.rank), f"{esc(used.mentor)}: {esc(used.detail)}", helped)
    out.print(table)
    if not advice:
        out.print("[dim]No advice rated helpful yet: mentorkit advice rate ID helpful[/dim]")


def render_review(review: Review) -> None:
    out = console()
    out.print(f"[bold]Review of your board[/bold], {review.since} to {review.until} ({review.days} days)")
    out.print()
    if not review.mentors:
        out.print("No active, pilot or paused mentors to review. Add one: mentorkit add-mentor NAME --stage active")
    for m in review.mentors:
        _mentor_block(out, m)
        out.print()
    if review.mentors:
        _rankings(out, review.by_use, review.by_helpful_advice)
        out.print()
    if review.gaps:
        out.print("[bold]Gaps on the board[/bold] (arenas without an active or pilot mentor)")
        for gap in review.gaps:
            if gap.prospects:
                names = ", ".join(f"{esc(p.name)} (#{p.id})" for p in gap.prospects)
                out.print(f"  [red]{esc(gap.arena)}[/red]: prospects who could fill it: {names}")
            else:
                out.print(
                    f"  [red]{esc(gap.arena)}[/red]: no prospects; "
                    f"draft an approach: mentorkit pitch --arena {esc(gap.arena)}"
                )
        out.print()
    if review.reconsider:
        from mentorkit.cli.render import Grid

        out.print("[bold]Relationships to reconsider[/bold]")
        grid = Grid()
        grid.add_column(style="yellow", no_wrap=True)
        grid.add_column()
        for item in review.reconsider:
            grid.add_row(
                f"  {REASON_LABELS[item.reason]}",
                f"[bold]{esc(item.mentor)}[/bold]: {esc(item.detail)}\n[dim]→ {esc(item.action)}[/dim]",
            )
        out.print(grid)
    else:
        out.print(
            "[green]Nothing to reconsider:[/green] no stale, flagged, one-sided or low-value "
            "relationships, and no pilot reviews due."
        )
    if review.groups:
        out.print()
        out.print("[bold]Mastermind groups[/bold]")
        for g in review.groups:
            kept = g.cadence_kept
            rate = f"; cadence kept {kept.percent}%" if kept.percent is not None else ""
            last = f", last {g.last_meeting}" if g.last_meeting else ""
            out.print(f"  {esc(g.name)}: {_n(g.members, 'member')}, {_n(g.held, 'meeting')} in the period{last}{rate}")
    if review.ended:
        out.print()
        out.print("[bold]Ended in this period[/bold]")
        for e in review.ended:
            out.print(f"  {esc(e.mentor)} on {e.on}" + (f": {esc(e.reason)}" if e.reason else ""))
