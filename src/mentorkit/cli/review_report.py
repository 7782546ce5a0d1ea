"""The human form of `review`: a short report a person can act on (docs/review.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mentorkit.cli.common import console
from mentorkit.cli.render import Fields, Text, styled
from mentorkit.dates import format_day

if TYPE_CHECKING:
    from mentorkit.cli.render import Console
    from mentorkit.domain.goal_review import GoalProgress
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
        text += f"; last contact {format_day(m.last_contact)} ({'today' if ago == 0 else _n(ago or 0, 'day') + ' ago'})"
    else:
        text += "; never in touch yet"
    return text


def _cadence(m: MentorReview) -> Text:
    kept = m.cadence_kept
    if not m.cadence:
        return styled(f"no cadence set (mentorkit edit {m.id} --cadence monthly)", "dim")
    if kept.percent is None:
        return Text(f"{m.cadence}: too early to tell (no expected contact is overdue yet)")
    colour = "green" if kept.percent >= 75 else "yellow" if kept.percent >= 50 else "red"
    return Text(
        f"{m.cadence}: kept ",
        styled(f"{kept.percent}%", colour),
        f" ({kept.kept} of {kept.windows} expected date{'' if kept.windows == 1 else 's'} had a contact)",
    )


def _side(label: str, s: FollowupStats) -> Text:
    text = Text(f"{label} {s.open} open")
    if s.late:
        text = Text(text, " (", styled(f"{s.late} late", "red"), ")")
    if s.done:
        text = Text(text, f", {s.done} done in a median {s.median_days_to_done:g} days after the meeting")
        if s.median_days_late is not None:
            days = s.median_days_late
            against = "on the due date" if days == 0 else f"{abs(days):g} day{'s' if abs(days) != 1 else ''} "
            against += "" if days == 0 else ("late" if days > 0 else "early")
            text = Text(text, f" ({s.done_late} of {s.done_with_due} late; median {against})")
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
    where = {True: "local", False: "remote", None: ""}[m.local]
    stage = m.stage + (f", review {format_day(m.pilot_review_on)}" if m.stage == "pilot" and m.pilot_review_on else "")
    head = " · ".join(x for x in (stage, m.cadence or "", where) if x)
    out.print(styled(m.name, "bold"), f" (#{m.id}) — {head}")
    fields = Fields(label_style="dim")
    fields.add("meetings", _meetings(m))
    fields.add("cadence", _cadence(m))
    fields.add("follow-ups", Text(_side("mine:", m.mine), " · ", _side("theirs:", m.theirs)))
    fields.add("advice", _advice(m))
    if m.flags:
        flags = Text()
        for n, f in enumerate(m.flags):
            flags = Text(
                flags,
                "; " if n else "",
                styled(f.kind, "red"),
                f" since {format_day(f.raised_on)}"
                + (f" (resolved {format_day(f.resolved_on)})" if f.resolved_on else "")
                + (f": {f.note}" if f.note else ""),
            )
        fields.add("flags", flags)
    out.print(fields)


def _rankings(out: Console, by_use: list[Ranked], by_advice: list[Ranked]) -> None:
    """The two rankings, one under the other: who is used most, whose advice helped most."""
    from mentorkit.cli.render import Col, Table

    used = Table(Col("#", "id"), Col("most used (contacts in the period)", "text", wrap=True))
    for r in by_use:
        used.add_row(str(r.rank), f"{r.mentor}: {r.detail}")
    out.print(used)
    advice = [r for r in by_advice if r.count > 0]
    if not advice:
        out.print(styled("No advice rated helpful yet: mentorkit advice rate ID helpful", "dim"))
        return
    out.print()
    helped = Table(Col("#", "id"), Col("most helpful advice (all time)", "text", wrap=True))
    for r in advice:
        helped.add_row(str(r.rank), f"{r.mentor}: {r.detail}")
    out.print(helped)


def _goal_line(g: GoalProgress) -> Text:
    steps = "no milestones"
    if g.milestones:
        steps = f"milestones {g.milestones_done}/{g.milestones} done" + (
            f" ({g.done_in_period} in the period)" if g.done_in_period else ""
        )
    late = styled(f", {g.late} late", "red") if g.late else ""
    served = f"; {_n(g.meetings, 'meeting')}, {g.advice} advice" if g.meetings or g.advice else ""
    who = f"; with {', '.join(g.mentors)}" if g.mentors else ""
    nxt = f". Next: {g.next_milestone}, {format_day(g.next_due)}" if g.next_milestone and g.next_due else ""
    return Text(steps, late, served + who + nxt)


def _goals(out: Console, review: Review) -> None:
    if review.goals:
        out.print(styled("Goals", "bold"), " (progress in the period)")
        for g in review.goals:
            by = f" (by {format_day(g.due_on)})" if g.due_on else ""
            state = "" if g.status == "open" else f" [{g.status}]"
            out.print(f"  {g.arena} #{g.id}: {g.text}{by}{state}: ", _goal_line(g), hang=4)
        out.print()
    if review.goal_gaps:
        out.print(styled("Goals no mentor helps with", "bold"))
        for gap in review.goal_gaps:
            head = f"  {gap.arena} #{gap.goal_id}: {gap.text}: "
            if gap.prospects:
                names = ", ".join(f"{p.name} (#{p.id})" for p in gap.prospects)
                out.print(head, styled(f"prospects who could help: {names}", "yellow"), hang=4)
            else:
                out.print(
                    head,
                    styled(f"no prospects; link a mentor: mentorkit goal link {gap.goal_id} MENTOR", "yellow"),
                    hang=4,
                )
        out.print()


def render_review(review: Review) -> None:
    out = console()
    out.print(
        styled("Review of your board", "bold"),
        f", {format_day(review.since)} to {format_day(review.until)} ({review.days} days)",
    )
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
        out.print(styled("Gaps on the board", "bold"), " (arenas without an active or pilot mentor)")
        for gap in review.gaps:
            if gap.prospects:
                names = ", ".join(f"{p.name} (#{p.id})" for p in gap.prospects)
                out.print("  ", styled(gap.arena, "red"), f": prospects who could fill it: {names}", hang=4)
            else:
                out.print(
                    "  ",
                    styled(gap.arena, "red"),
                    f": no prospects; draft an approach: mentorkit pitch --arena {gap.arena}",
                    hang=4,
                )
        out.print()
    _goals(out, review)
    if review.reconsider:
        out.print(styled("Relationships to reconsider", "bold"))
        fields = Fields(label_style="yellow")
        for item in review.reconsider:
            fields.add(
                REASON_LABELS[item.reason],
                [Text(styled(item.mentor, "bold"), f": {item.detail}"), styled(f"→ {item.action}", "dim")],
            )
        out.print(fields)
    else:
        out.print(
            styled("Nothing to reconsider:", "green"),
            " no stale, flagged, one-sided or low-value relationships, and no pilot reviews due.",
        )
    if review.groups:
        out.print()
        out.print(styled("Mastermind groups", "bold"))
        for g in review.groups:
            kept = g.cadence_kept
            rate = f"; cadence kept {kept.percent}%" if kept.percent is not None else ""
            last = f", last {format_day(g.last_meeting)}" if g.last_meeting else ""
            items = []
            for side, label in ((g.mine, "mine"), (g.theirs, "theirs")):
                if side.open:
                    items.append(f"{label} {side.open} open" + (f" ({side.late} late)" if side.late else ""))
            extra = f"; follow-ups: {', '.join(items)}" if items else ""
            if g.advice.total:
                extra += f"; {_n(g.advice.total, 'piece')} of advice"
            out.print(
                f"  {g.name}: {_n(g.members, 'member')}, {_n(g.held, 'meeting')} in the period{last}{rate}{extra}",
                hang=4,
            )
    if review.ended:
        out.print()
        out.print(styled("Ended in this period", "bold"))
        for e in review.ended:
            out.print(f"  {e.mentor} on {e.on}" + (f": {e.reason}" if e.reason else ""), hang=4)
