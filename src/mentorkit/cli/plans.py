"""Mentoring agreements (`agreement draft/set/show`) and the Individual Development Plan (`idp`)
(issue 19; docs/goals.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mentorkit.cli.common import (
    JsonOpt,
    MentorArg,
    console,
    echo_document,
    emit_json,
    now,
    profile,
    profile_zone,
    read_text_arg,
    reading,
    say,
    state,
    writing,
)

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""

TemplateOpt = Annotated[str | None, typer.Option(help="A template NAME or PATH instead of the default.")]

agreement_app = typer.Typer(
    help="The mentoring agreement with a mentor: `agreement draft`, `agreement set`, `agreement show`.",
    no_args_is_help=True,
)
app.add_typer(agreement_app, name="agreement")


@agreement_app.command("draft")
def agreement_draft(ctx: typer.Context, mentor: MentorArg, template: TemplateOpt = None) -> None:
    """Draft the mentoring agreement to send a mentor: expectations, goals, cadence,
    confidentiality, check-ins, how to end it, a review date."""
    from mentorkit.domain.agreement_draft import draft_agreement
    from mentorkit.domain.mentors import resolve_mentor

    with reading(ctx) as conn:
        who = resolve_mentor(conn, mentor)
        text = draft_agreement(conn, now(), profile(conn), who, template)
    echo_document(text)
    say(f"Once agreed: mentorkit agreement set {who.id} --cadence ... --review-on DATE --edit")


@agreement_app.command("set")
def agreement_set(
    ctx: typer.Context,
    mentor: MentorArg,
    cadence: Annotated[
        str | None, typer.Option(help="The agreed cadence (it becomes the mentor's): monthly, every 3 weeks...")
    ] = None,
    minutes: Annotated[int | None, typer.Option(help="The agreed length of a meeting, in minutes.")] = None,
    channel: Annotated[str | None, typer.Option(help="How you meet: video, phone, in-person...")] = None,
    agreed_on: Annotated[str | None, typer.Option("--agreed-on", help="When it was agreed (default today).")] = None,
    review_on: Annotated[
        str | None, typer.Option("--review-on", help="When to review it (default six months after it was agreed).")
    ] = None,
    text: Annotated[str | None, typer.Option(help="What was agreed ('-' reads stdin).")] = None,
    edit: Annotated[
        bool, typer.Option("--edit", help="Write what was agreed in $EDITOR, starting from the draft.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record the agreement with a mentor (or renew it): what and when, the cadence, length and
    channel, and the review date, which then appears in `followups`."""
    from mentorkit.cli.goals import parse_day
    from mentorkit.domain.agreements import set_agreement
    from mentorkit.domain.mentors import resolve_mentor
    from mentorkit.errors import InvalidInput

    if edit and text is not None:
        raise InvalidInput("use either --text or --edit, not both")
    body = read_text_arg(text)
    if edit:
        from mentorkit.domain.agreement_draft import draft_agreement
        from mentorkit.domain.agreements import get_agreement
        from mentorkit.editor import edit_text

        with reading(ctx) as conn:
            who = resolve_mentor(conn, mentor)
            old = get_agreement(conn, who.id)
            start = old.text if old and old.text else draft_agreement(conn, now(), profile(conn), who)
        body = edit_text(start, suffix=".txt", allow_unchanged=True)
    moment = now()
    with writing(ctx) as conn:
        who = resolve_mentor(conn, mentor)
        today = moment.astimezone(profile_zone(conn)).date()
        result, new = set_agreement(
            conn,
            moment,
            today,
            who.id,
            text=body,
            agreed_on=parse_day(conn, agreed_on) if agreed_on else None,
            review_on=parse_day(conn, review_on) if review_on else None,
            cadence=cadence,
            minutes=minutes,
            channel=channel,
        )
    if as_json:
        emit_json(result)
        return
    from mentorkit.dates import format_day

    cadence_text = f"; {result.cadence_label} is now their cadence" if result.cadence_label else ""
    review = f"; review on {format_day(result.review_on)}" if result.review_on else ""
    say(f"{'Recorded' if new else 'Updated'} the agreement with {result.mentor}{review}{cadence_text}.")


@agreement_app.command("show")
def agreement_show(ctx: typer.Context, mentor: MentorArg, as_json: JsonOpt = False) -> None:
    """Show the agreement recorded with a mentor."""
    from mentorkit.dates import format_day
    from mentorkit.domain.agreements import get_agreement
    from mentorkit.domain.mentors import resolve_mentor
    from mentorkit.errors import NotFound

    with reading(ctx) as conn:
        who = resolve_mentor(conn, mentor)
        result = get_agreement(conn, who.id)
    if result is None:
        raise NotFound(
            f"no agreement recorded with {who.name}; draft one: mentorkit agreement draft {who.id}, "
            f"then record it: mentorkit agreement set {who.id}"
        )
    if as_json:
        emit_json(result)
        return
    from mentorkit.cli.render import Fields, styled

    out = console()
    out.print(styled(f"Mentoring agreement with {result.mentor}", "bold"))
    fields = Fields()
    fields.add("agreed", format_day(result.agreed_on))
    fields.add("review", format_day(result.review_on) if result.review_on else "—")
    fields.add("cadence", result.cadence_label or "—")
    fields.add("length", f"{result.minutes} minutes" if result.minutes else "—")
    fields.add("channel", result.channel or "—")
    fields.add("text", result.text or "— (add it with `agreement set MENTOR --edit`)")
    out.print(fields)


@app.command("idp")
def idp(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="Progress since this date (default a year ago): 2026-01-01, ...")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to FILE (a new file, 0600) instead of stdout.", dir_okay=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    template: TemplateOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Your Individual Development Plan in Markdown: profile, goals by arena with milestones,
    mentors and sponsors, agreements, and progress since a date."""
    from mentorkit.cli.goals import parse_day
    from mentorkit.domain.idp import build_idp, render_idp

    if output is not None:
        from mentorkit.cli.data import refuse_existing

        refuse_existing(ctx, output, force)
    with reading(ctx) as conn:
        me = profile(conn)
        plan = build_idp(conn, now(), me, parse_day(conn, since) if since else None)
    if as_json:
        emit_json(plan)
        return
    text = render_idp(plan, template)
    if output is None:
        echo_document(text)
        return
    from mentorkit.exchange.atomic import atomic_text

    with atomic_text(output, protect=[state(ctx).store().path]) as out:
        out.write(text)
    say(f"Wrote your IDP ({text.count(chr(10))} lines) to {output}.")
