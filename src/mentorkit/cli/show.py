"""One mentor on a page: show."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from mentorkit.cli.common import JsonOpt, MentorArg, console, emit_json, now, profile_zone, reading
from mentorkit.cli.meetings import status_text, their_time, when_short

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from mentorkit.domain.detail import MentorDetail

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""


@app.command("show")
def show(ctx: typer.Context, mentor: MentorArg, as_json: JsonOpt = False) -> None:
    """One mentor: details, arenas, stages, meetings, open follow-ups, advice and flags."""
    from mentorkit.domain.detail import mentor_detail
    from mentorkit.domain.mentors import resolve_mentor

    moment = now()
    with reading(ctx) as conn:
        my_zone = profile_zone(conn)
        detail = mentor_detail(conn, moment, my_zone, resolve_mentor(conn, mentor))
    if as_json:
        emit_json(detail)
        return
    _render_detail(detail, my_zone, moment)


def _render_detail(detail: MentorDetail, zone: tzinfo, moment: datetime) -> None:
    from mentorkit.cli.render import Col, Fields, Table, Text, styled
    from mentorkit.dates import describe_lateness, format_day

    m = detail.mentor
    out = console()
    today = moment.astimezone(zone).date()
    check_in = None
    planned = next((mt for mt in detail.upcoming if mt.id == detail.check_in_planned), None)
    if planned is not None:  # it stands for the check-in, as in `followups`
        check_in = f"meeting #{planned.id}, planned for {format_day(planned.starts_at.astimezone(zone).date())}"
    elif detail.next_check_in:
        check_in = f"{format_day(detail.next_check_in)} ({describe_lateness(detail.next_check_in, today)})"
    out.print(
        styled(m.name, "bold"),
        f" (#{m.id}) — {m.stage}"
        + (f" since {format_day(m.stage_changed_at.astimezone(zone).date())}" if m.stage_changed_at else "")
        + (" · near-peer" if m.kind == "peer" else ""),
    )
    facts = [
        ("arenas", ", ".join(m.arenas)),
        ("title", m.title),
        ("institution", m.institution),
        ("profile", m.profile_url),
        ("location", m.location),
        ("time zone", m.timezone),
        ("local", {True: "local", False: "remote", None: None}[m.local]),
        ("email", m.email),
        ("cadence", m.cadence_label),
        ("groups", ", ".join(detail.groups)),
        ("working hours", m.hours),
        ("last contact", format_day(m.last_contact.astimezone(zone).date()) if m.last_contact else None),
        ("next check-in", check_in),
        ("pilot review", format_day(m.pilot_review_on) if m.pilot_review_on else None),
        ("source", m.source),
        ("hook", m.hook),
        ("tags", ", ".join(m.tags)),
        ("roles", ", ".join(m.roles)),
        ("channels", ", ".join(m.channels)),
        ("ended because", m.end_reason),
        ("notes", m.notes),
    ]
    fields = Fields()
    for label, value in facts:
        if value:
            fields.add(label, str(value))
    if len(detail.stages) > 1:
        fields.add(
            "stages", " → ".join(f"{s.stage} {format_day(s.changed_at.astimezone(zone).date())}" for s in detail.stages)
        )
    if detail.goals:
        fields.add("goals", list[str | Text](detail.goals))
    if detail.agreement is not None:
        pact = detail.agreement
        review = f", review {format_day(pact.review_on)}" if pact.review_on else ""
        fields.add("agreement", f"agreed {format_day(pact.agreed_on)}{review} (`agreement show {m.id}`)")
    for flag in detail.flags:
        state = f"resolved {format_day(flag.resolved_on)}" if flag.resolved_on else "open"
        fields.add(
            styled("flag", "red"),
            f"{flag.kind} ({format_day(flag.raised_on)}, {state})" + (f": {flag.note}" if flag.note else ""),
        )
    out.print(fields)
    if detail.upcoming or detail.meetings:
        table = Table(
            Col("id", "id"),
            Col("when", "date"),
            Col("their time", "date", optional=True),
            Col("mode"),
            Col("status"),
            Col("notes / agenda", "text"),
            title=f"Meetings ({_meeting_counts(detail)})",
        )
        for meeting in detail.upcoming + detail.meetings:
            table.add_row(
                str(meeting.id),
                when_short(meeting, zone),
                their_time(meeting, zone),
                meeting.mode,
                status_text(meeting),
                meeting.notes or meeting.agenda or "",
            )
        out.print(table)
    if detail.followups:
        more = detail.followups_total > len(detail.followups)
        title = f"Open follow-ups ({len(detail.followups)} of {detail.followups_total})" if more else "Open follow-ups"
        table = Table(Col("id", "id"), Col("due", "date"), Col("owner"), Col("what", "text", wrap=True), title=title)
        for f in detail.followups:
            table.add_row(str(f.id), format_day(f.due_on) if f.due_on else "—", f.owner, f.text)
        out.print(table)
        if more:
            out.print(
                styled(
                    f"The {len(detail.followups)} due soonest; all: mentorkit followups --all --mentor {m.id}", "dim"
                )
            )
    if detail.advice:
        more = detail.advice_total > len(detail.advice)
        title = f"Advice ({len(detail.advice)} of {detail.advice_total})" if more else "Advice"
        table = Table(
            Col("id", "id"),
            Col("given", "date"),
            Col("arena", "name"),
            Col("outcome"),
            Col("advice", "text", wrap=True),
            title=title,
        )
        for a in detail.advice:
            table.add_row(str(a.id), format_day(a.given_on), a.arena or "", a.outcome, a.text)
        out.print(table)
        if more:
            out.print(styled(f"The {len(detail.advice)} latest; all: mentorkit advice --mentor {m.id}", "dim"))


def _meeting_counts(detail: MentorDetail) -> str:
    """'3 held, 1 planned, 1 cancelled or missed': a cancelled meeting is neither a contact nor planned."""
    parts = [f"{detail.held_total} held", f"{len(detail.upcoming)} planned"]
    if detail.called_off_total:
        parts.append(f"{detail.called_off_total} cancelled or missed")
    return ", ".join(parts)
