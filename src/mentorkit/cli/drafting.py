"""Drafting: pitch, pitches (sent, reply, show), summary, templates (list, show, path, edit).

Drafts go to stdout alone, so `mentorkit pitch ... | pbcopy` copies just the text; counts,
warnings and notes go to stderr.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from mentorkit.cli.common import (
    JsonOpt,
    console,
    echo_document,
    emit_json,
    now,
    profile,
    profile_zone,
    reading,
    say,
    writing,
)
from mentorkit.cli.handoff import CopyOpt, MailOpt, hand_off

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""


TemplateOpt = Annotated[
    str | None,
    typer.Option(
        "--template", metavar="NAME|PATH", help="A template NAME (see `templates list`) or a template file PATH."
    ),
]
OnOpt = Annotated[
    str | None, typer.Option("--on", metavar="DATE", help="When (default today): 2026-12-03, yesterday, monday...")
]
if TYPE_CHECKING:
    import sqlite3

    from mentorkit.domain.pitches import Pitch

PitchIdArg = Annotated[str, typer.Argument(metavar="ID", help="The pitch id (see `mentorkit pitches`).")]


def _day(conn: sqlite3.Connection, text: str | None) -> tuple[date, date]:
    """A past DATE argument, and today, both in the profile's zone."""
    from mentorkit.dates import parse_date

    me = profile(conn)
    today = now().astimezone(me.zone).date()
    if text is None:
        return today, today
    return parse_date(text, today=today, date_order=me.date_order, past=True), today


# ---- pitch --------------------------------------------------------------------------------


@app.command("pitch")
def pitch(
    ctx: typer.Context,
    arena: Annotated[
        str | None, typer.Option("--arena", help="The arena this pitch opens (research, career, ...).")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", metavar="MENTOR", help="The mentor it is for (id or part of the name).")
    ] = None,
    request: Annotated[
        str | None, typer.Option(help="The directed request it ends with (default: one that fits the arena).")
    ] = None,
    template: TemplateOpt = None,
    save: Annotated[
        bool, typer.Option("--save", help="Store the pitch, to mark it sent and record the reply later.")
    ] = False,
    mail: MailOpt = False,
    copy: CopyOpt = False,
    mark_sent: Annotated[
        bool, typer.Option("--mark-sent", help="Store the pitch and record that it went out today.")
    ] = False,
    goal: Annotated[
        str | None, typer.Option("--goal", metavar="ID", help="Draw it from this goal (its arena, its next step).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Draft a 30-second elevator pitch for an arena (or a goal), from your profile."""
    from mentorkit.domain.pitches import draft_pitch

    if arena is None and goal is None:
        from mentorkit.errors import InvalidInput

        raise InvalidInput("name the pitch's --arena, or a --goal it serves (see `mentorkit goals`)")
    if arena is not None:
        _ask_for_missing(ctx, arena)
    if mail or copy:  # handed on first: if that fails, nothing is saved or marked
        with reading(ctx) as conn:
            draft = draft_pitch(
                conn, now(), profile(conn), arena=arena, mentor=to, request=request, template=template, goal=goal
            )
        hand_off(
            draft.text,
            [draft.email] if draft.email else [],
            f"Mentorship in {draft.arena}",
            mail=mail,
            copy=copy,
            what="the pitch",
            missing=f"{draft.mentor} has no email address" if draft.mentor else "the pitch is to no one (--to)",
        )
    opener = writing if save or mark_sent else reading
    with opener(ctx) as conn:
        result = draft_pitch(
            conn,
            now(),
            profile(conn),
            arena=arena,
            mentor=to,
            request=request,
            template=template,
            save=save or mark_sent,
            goal=goal,
        )
        if mark_sent and result.id is not None:
            from mentorkit.domain.pitches import mark_sent as mark

            me = profile(conn)
            today = now().astimezone(me.zone).date()
            mark(conn, now(), result.id, today, today, me.zone)
    if as_json:
        emit_json(result)
        return
    if not (mail or copy):
        echo_document(result.text)
    say(
        f"{result.words} words, about {result.seconds} seconds spoken at 150 words a minute; "
        f"{result.paragraphs} paragraph{'s' if result.paragraphs != 1 else ''}."
    )
    for warning in result.warnings:
        say(f"Warning: {warning}.")
    if result.mentor_id is not None and not result.hook:
        say(
            f'Tip: open with how you know them: mentorkit edit {result.mentor_id} --hook "I heard your talk on ... at ..."'
        )
    if result.id is not None and mark_sent:
        say(
            f"Saved as pitch #{result.id}, marked sent today. When the reply comes: mentorkit pitches reply {result.id} ..."
        )
    elif result.id is not None:
        say(f"Saved as pitch #{result.id}. When it goes out: mentorkit pitches sent {result.id}")


def at_terminal() -> bool:
    """Whether a person can answer a question: stdin and stderr are both terminals."""
    import sys

    return sys.stdin.isatty() and sys.stderr.isatty()


def _ask_for_missing(ctx: typer.Context, arena: str) -> None:
    """At a terminal, ask for what the profile lacks for a pitch and save it; elsewhere the draft
    fails with one line naming the exact `profile set` command."""
    from mentorkit.domain.pitches import pitch_gaps

    with reading(ctx) as conn:
        gaps = pitch_gaps(conn, profile(conn), arena)
    if not gaps or not at_terminal():
        return
    say("A pitch needs a little about you first; your answers are saved to your profile.")
    answers = {gap.field: typer.prompt(gap.prompt, err=True) for gap in gaps}
    from mentorkit.domain.profile import set_profile

    with writing(ctx) as conn:
        set_profile(conn, now(), name=answers.get("name"), story=answers.get("story"))
    say("Saved; change them with `mentorkit profile set`.")


# ---- pitches ------------------------------------------------------------------------------

pitches_app = typer.Typer(help="Your saved pitches: the outreach pipeline (draft, sent, reply).")
app.add_typer(pitches_app, name="pitches")


@pitches_app.callback(invoke_without_command=True)
def pitches(
    ctx: typer.Context,
    arena: Annotated[str | None, typer.Option(help="Only pitches in this arena.")] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="MENTOR", help="Only pitches to this mentor.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List saved pitches, newest first, with where each stands."""
    from mentorkit.dates import format_day

    if ctx.invoked_subcommand is not None:
        return
    from mentorkit.domain.mentors import resolve_mentor
    from mentorkit.domain.pitches import list_pitches

    with reading(ctx) as conn:
        mentor_id = resolve_mentor(conn, to).id if to else None
        zone = profile_zone(conn)
        rows = list_pitches(conn, arena=arena, mentor_id=mentor_id)
    if as_json:
        emit_json([_pitch_json(p) for p in rows])
        return
    if not rows:
        say("No saved pitches. Draft one and keep it: mentorkit pitch --arena research --to MENTOR --save")
        return
    from mentorkit.cli.render import Col, Table

    table = Table(
        Col("id", "id"),
        Col("arena", "name"),
        Col("to", "name"),
        Col("spoken", "num"),
        Col("where it stands", "date"),
        Col("request", "text"),
    )
    for p in rows:
        if p.response:
            stands = f"{p.response} {format_day(p.responded_on)}" if p.responded_on else p.response
        elif p.sent_on:
            stands = f"sent {format_day(p.sent_on)}"
        else:
            stands = f"drafted {format_day(p.created_at.astimezone(zone).date())}"
        table.add_row(str(p.id), p.arena or "—", p.mentor or "—", f"{p.seconds} s", stands, p.request or "")
    console().print(table)


def _pitch_json(p: Pitch) -> dict[str, object]:
    from mentorkit.domain.common import jsonable

    return {**jsonable(p), "state": p.state}


@pitches_app.command("show")
def pitches_show(ctx: typer.Context, pitch_id: PitchIdArg, as_json: JsonOpt = False) -> None:
    """Print one saved pitch's text."""
    from mentorkit.domain.pitches import get_pitch

    with reading(ctx) as conn:
        result = get_pitch(conn, pitch_id)
    if as_json:
        emit_json(_pitch_json(result))
        return
    echo_document(result.body)
    say(
        f"Pitch #{result.id} ({result.arena or 'no arena'}"
        + (f", to {result.mentor}" if result.mentor else "")
        + f"): {result.state}."
    )


@pitches_app.command("sent")
def pitches_sent(ctx: typer.Context, pitch_id: PitchIdArg, on: OnOpt = None, as_json: JsonOpt = False) -> None:
    """Record that a pitch went out."""
    from mentorkit.domain.pitches import mark_sent

    with writing(ctx) as conn:
        day, today = _day(conn, on)
        result = mark_sent(conn, now(), pitch_id, day, today, profile_zone(conn))
    if as_json:
        emit_json(_pitch_json(result))
        return
    say(
        f"Pitch #{result.id} marked sent on {result.sent_on}. When the reply comes: "
        f"mentorkit pitches reply {result.id} accepted|declined|no-answer"
    )


@pitches_app.command("reply")
def pitches_reply(
    ctx: typer.Context,
    pitch_id: PitchIdArg,
    response: Annotated[str, typer.Argument(metavar="REPLY", help="accepted, declined or no-answer.")],
    on: OnOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record the reply to a pitch. Accepted moves a prospect to a pilot relationship."""
    from mentorkit.domain.pitches import record_reply

    with writing(ctx) as conn:
        day, today = _day(conn, on)
        result = record_reply(conn, now(), profile_zone(conn), pitch_id, response, day, today)
    p = result.pitch
    if as_json:
        emit_json({**_pitch_json(p), "marked_sent": result.marked_sent, "stage": result.stage})
        return
    if result.marked_sent:
        say(f"Pitch #{p.id} had not been marked sent; recorded it as sent on {p.sent_on}.")
    say(f"Pitch #{p.id}: {p.response} on {p.responded_on}.")
    if result.stage:
        say(f"{p.mentor} is now in a pilot relationship; see `mentorkit show {p.mentor_id}`.")
    elif p.response == "declined" and p.mentor_id is not None:
        say(f'To close the prospect: mentorkit end {p.mentor_id} --reason "declined the pitch"')


# ---- summary ------------------------------------------------------------------------------


@app.command("summary")
def summary(
    ctx: typer.Context,
    meeting_id: Annotated[str, typer.Argument(metavar="MEETING_ID", help="The meeting (see `mentorkit meetings`).")],
    template: TemplateOpt = None,
    mark_sent: Annotated[
        bool, typer.Option("--mark-sent", help="Record that you sent it (clears the 'summary owed' follow-up).")
    ] = False,
    edit: Annotated[
        bool, typer.Option("--edit", help="Open the draft in $EDITOR first; what you save is printed (and marked).")
    ] = False,
    output: Annotated[
        str,
        typer.Option(
            "--format", metavar="text|email", help="text, or email: To:, Subject: and the body for a mail client."
        ),
    ] = "text",
    force: Annotated[
        bool, typer.Option("--force", help="Draft a summary of an email or text exchange too (they owe none).")
    ] = False,
    mail: MailOpt = False,
    copy: CopyOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Draft the written summary of a meeting; for a planned one, the agenda to send ahead."""
    from mentorkit.domain.common import choice
    from mentorkit.domain.summaries import draft_summary

    as_email = choice(output, ("text", "email"), "--format") == "email"
    if edit:
        with reading(ctx) as conn:
            draft = draft_summary(conn, now(), profile(conn), meeting_id, template=template, force=force)
        text = _edited(draft.as_email() if as_email else draft.text)
    if mail or copy:  # handed on first: if that fails, nothing is marked sent
        with reading(ctx) as conn:
            draft = draft_summary(conn, now(), profile(conn), meeting_id, template=template, force=force)
        hand_off(
            text if edit else (draft.as_email() if as_email else draft.text),
            draft.to,
            draft.subject,
            mail=mail,
            copy=copy,
            what=f"the {draft.kind} of meeting #{draft.meeting_id}",
            missing=f"no email address for {draft.recipient}",
        )
    opener = writing if mark_sent else reading
    with opener(ctx) as conn:
        me = profile(conn)
        result = draft_summary(conn, now(), me, meeting_id, template=template, mark_sent=mark_sent, force=force)
    if not edit:
        text = result.as_email() if as_email else result.text
    result.text = text
    if as_json:
        emit_json(result)
        return
    if not (mail or copy):
        echo_document(text)
    if as_email and result.without_email:
        n = result.without_email
        say(
            f"{n} member{'s' if n != 1 else ''} of the group {'have' if n != 1 else 'has'} no email address; add them to To: yourself."
        )
    if result.check_notes and not edit:
        say(
            f"Read 'What we discussed' before sending: your notes speak of {result.recipient} in the third "
            f"person. To reword them: mentorkit summary {result.meeting_id} --edit"
        )
    if result.marked_sent:
        say(f"Marked the summary of meeting #{result.meeting_id} as sent.")
    elif mark_sent and result.summary_sent_at:
        from mentorkit.dates import format_day

        sent = format_day(result.summary_sent_at.astimezone(me.zone).date())
        say(f"The summary of meeting #{result.meeting_id} was already marked sent ({sent}).")
    elif result.kind == "summary" and result.summary_sent_at is None:
        say(f"Once you have sent it: mentorkit summary {result.meeting_id} --mark-sent")


def _edited(text: str) -> str:
    """The draft after the person's edits in $EDITOR (saving it unchanged is fine)."""
    from mentorkit.editor import edit_text

    return edit_text(text, suffix=".txt", allow_unchanged=True)


# ---- templates ----------------------------------------------------------------------------

templates_app = typer.Typer(help="The drafting templates, and where your overrides live.", no_args_is_help=True)
app.add_typer(templates_app, name="templates")
NameArg = Annotated[str, typer.Argument(metavar="NAME", help="pitch, summary, report ... (see `templates list`).")]


@templates_app.command("list")
def templates_list(as_json: JsonOpt = False) -> None:
    """List the templates: the defaults, and which ones your own files override."""
    from mentorkit.drafting.files import listing, user_dir

    rows = listing()
    if as_json:
        emit_json(
            [
                {
                    "name": r.name,
                    "filename": r.filename,
                    "source": r.source,
                    "path": str(r.path),
                    "default_path": str(r.default_path) if r.default_path else None,
                }
                for r in rows
            ]
        )
        return
    from mentorkit.cli.render import Col, Table

    table = Table(Col("name", "name"), Col("used"), Col("path", "text", wrap=True))  # the path ends in the file
    labels = {"default": "default", "user": "your override", "user-only": "yours"}
    for row in rows:
        table.add_row(row.name, labels[row.source], str(row.path))
    console().print(table)
    say(f"Your overrides live in {user_dir()} (mentorkit templates edit NAME starts one).")


@templates_app.command("show")
def templates_show(
    name: NameArg,
    default: Annotated[
        bool, typer.Option("--default", help="Show the shipped default even when you override it.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Print a template's source: your override if you have one, else the default."""
    from mentorkit.drafting.files import find_named, read_source

    found = find_named(name, default_only=default)
    text = read_source(found)
    if as_json:
        emit_json(
            {
                "name": found.name,
                "filename": found.filename,
                "source": found.source,
                "path": str(found.path),
                "text": text,
            }
        )
        return
    echo_document(text)
    say(f"({'your override' if found.source == 'user' else 'default'}: {found.path})")


@templates_app.command("path")
def templates_path(as_json: JsonOpt = False) -> None:
    """Print the directory your template overrides live in (it may not exist yet)."""
    from mentorkit.drafting.files import default_dir, user_dir

    if as_json:
        emit_json({"user_dir": str(user_dir()), "default_dir": str(default_dir())})
        return
    typer.echo(str(user_dir()))
    say(f"A file there named like a default (e.g. pitch.txt.j2) replaces it. Defaults: {default_dir()}")


@templates_app.command("edit")
def templates_edit(name: NameArg) -> None:
    """Edit your own copy of a template in $EDITOR (the default is copied first; an existing
    copy is never overwritten)."""
    import os
    import shlex
    import subprocess

    from mentorkit.drafting.engine import check_syntax
    from mentorkit.drafting.files import TemplateFile, copy_default_to_user, short_name
    from mentorkit.errors import InvalidInput

    copied = copy_default_to_user(name)
    path = copied.path
    if copied.created:
        say(f"Copied the default to {path}")
    editor = os.environ.get("EDITOR", "").strip()
    if not editor:
        say(f"EDITOR is not set: edit {path} with any editor; mentorkit uses it from now on.")
        return
    try:
        command = [*shlex.split(editor), str(path)]
    except ValueError:
        raise InvalidInput(
            f"EDITOR cannot be read as a command (an unclosed quote?); fix it, or edit {path} directly"
        ) from None
    try:
        completed = subprocess.run(command, check=False)  # a list: no shell
    except OSError as exc:
        raise InvalidInput(
            f"cannot run the editor {command[0]!r} from EDITOR ({exc.strerror}); edit {path} directly"
        ) from None
    if completed.returncode != 0:
        raise InvalidInput(f"the editor exited with status {completed.returncode}; your copy is at {path}")
    check_syntax(TemplateFile(short_name(path.name), path.name, path, "user"))
    say(f"Saved {path}; mentorkit uses it from now on.")
