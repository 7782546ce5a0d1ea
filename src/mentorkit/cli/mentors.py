"""Mentors and arenas: add-mentor, mentors, show, edit, stage, end, arenas, arena add."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mentorkit.cli.common import (
    JsonOpt,
    MentorArg,
    console,
    emit_json,
    now,
    profile_zone,
    reading,
    say,
    writing,
)

if TYPE_CHECKING:
    from mentorkit.domain.mentors import MentorFields

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""


EmailOpt = Annotated[str | None, typer.Option(help="Email address.")]
InstitutionOpt = Annotated[str | None, typer.Option(help="Institution or company.")]
TitleOpt = Annotated[str | None, typer.Option(help="Their position, e.g. 'Dean of Medicine'.")]
ProfileUrlOpt = Annotated[
    str | None,
    typer.Option("--profile-url", help="Their LinkedIn, ORCID or web page (tells people of one name apart)."),
]
LocationOpt = Annotated[str | None, typer.Option(help="City or place.")]
TimezoneOpt = Annotated[
    str | None, typer.Option("--timezone", "--tz", help="Their IANA time zone, e.g. America/New_York.")
]
ArenaOpt = Annotated[list[str] | None, typer.Option("--arena", help="An arena they cover; repeat for more.")]
LocalOpt = Annotated[
    bool | None, typer.Option("--local/--remote", help="At your institution, or remote.", show_default=False)
]
StageOpt = Annotated[str | None, typer.Option(help="prospect, pilot, active, paused.")]
NewStageOpt = Annotated[
    str | None,
    typer.Option(
        "--stage",
        help="prospect (the default, unless `config set mentors.default_stage` says otherwise), pilot, active, paused.",
    ),
]
PilotWeeksOpt = Annotated[
    int | None, typer.Option("--pilot-weeks", help="Length of a pilot before its review (default 8).")
]
CadenceOpt = Annotated[
    str | None,
    typer.Option(
        help="How often to be in touch: weekly, biweekly, monthly, quarterly, every N days/weeks/months, or an RRULE."
    ),
]
SourceOpt = Annotated[
    str | None, typer.Option(help="How you found them (conference, podcast, LinkedIn, colleague...).")
]
HookOpt = Annotated[
    str | None,
    typer.Option(
        help="How you know them, as a sentence a pitch opens with: "
        "'I heard your talk on rural sepsis care at SAEM in May'."
    ),
]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", help="Expertise tag; repeat for more.")]
ChannelOpt = Annotated[
    list[str] | None, typer.Option("--channel", help="Preferred channel (email, video, phone, text); repeat.")
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Notes about them ('-' reads stdin).")]
RoleOpt = Annotated[
    list[str] | None,
    typer.Option("--role", help="What they do for you: sponsor, coach, connector, advisor, role-model; repeat."),
]
PeerOpt = Annotated[bool, typer.Option("--peer", help="A near-peer (mastermind member) rather than a mentor.")]


HoursOpt = Annotated[
    str | None,
    typer.Option(help="Their working hours for plan's warnings, e.g. 09:00-17:00 ('none': the config's)."),
]


def _fields(
    name: str | None,
    email: str | None,
    institution: str | None,
    location: str | None,
    timezone: str | None,
    arena: list[str] | None,
    local: bool | None,
    stage: str | None,
    pilot_weeks: int | None,
    cadence: str | None,
    source: str | None,
    hook: str | None,
    tag: list[str] | None,
    channel: list[str] | None,
    note: str | None,
    title: str | None = None,
    profile_url: str | None = None,
) -> MentorFields:
    from mentorkit.cli.common import read_text_arg
    from mentorkit.domain.mentors import MentorFields

    return MentorFields(
        name=name,
        email=email,
        institution=institution,
        title=title,
        profile_url=profile_url,
        location=location,
        timezone=timezone,
        local=local,
        stage=stage,
        pilot_weeks=pilot_weeks,
        cadence=cadence,
        source=source,
        hook=hook,
        notes=read_text_arg(note),
        channels=channel,
        arenas=arena or [],
        tags=tag or [],
    )


@app.command("add-mentor")
def add_mentor(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Their full name, e.g. 'Dr. Teresa Alvarez'.")],
    email: EmailOpt = None,
    institution: InstitutionOpt = None,
    title: TitleOpt = None,
    profile_url: ProfileUrlOpt = None,
    location: LocationOpt = None,
    timezone: TimezoneOpt = None,
    arena: ArenaOpt = None,
    local: LocalOpt = None,
    stage: NewStageOpt = None,
    pilot_weeks: PilotWeeksOpt = None,
    cadence: CadenceOpt = None,
    source: SourceOpt = None,
    hook: HookOpt = None,
    tag: TagOpt = None,
    channel: ChannelOpt = None,
    note: NoteOpt = None,
    hours: HoursOpt = None,
    peer: PeerOpt = False,
    role: RoleOpt = None,
    again: Annotated[
        bool, typer.Option("--again", help="Add them even though a mentor of the same name exists.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add a mentor; prints the new id. New mentors start as prospects (near-peers, --peer, as
    active) unless --stage (or the config's mentors.default_stage) says otherwise.
    A name already on the board (case and honorifics ignored) is refused unless --again."""
    from mentorkit.dates import format_day
    from mentorkit.domain.mentors import add_mentor as add

    fields = _fields(
        name,
        email,
        institution,
        location,
        timezone,
        arena,
        local,
        stage,
        pilot_weeks,
        cadence,
        source,
        hook,
        tag,
        channel,
        note,
        title,
        profile_url,
    )
    fields.kind = "peer" if peer else "mentor"
    if stage is None and not peer:  # a near-peer starts active (domain/mentors.add_mentor)
        from mentorkit.config import load

        fields.stage = load().default_stage
    fields.roles = role or []
    fields.hours = hours
    with writing(ctx) as conn:
        mentor = add(conn, now(), profile_zone(conn), fields, again=again)
    if as_json:
        emit_json(mentor)
        return
    typer.echo(mentor.id)
    say(
        f"Added {mentor.name} (#{mentor.id}) as {mentor.stage}"
        + (f"; pilot review on {format_day(mentor.pilot_review_on)}" if mentor.pilot_review_on else "")
    )


@app.command("edit")
def edit(
    ctx: typer.Context,
    mentor: MentorArg,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    email: EmailOpt = None,
    institution: InstitutionOpt = None,
    title: TitleOpt = None,
    profile_url: ProfileUrlOpt = None,
    location: LocationOpt = None,
    timezone: TimezoneOpt = None,
    arena: ArenaOpt = None,
    remove_arena: Annotated[
        list[str] | None, typer.Option("--remove-arena", help="Stop listing them in an arena.")
    ] = None,
    local: LocalOpt = None,
    stage: StageOpt = None,
    pilot_weeks: PilotWeeksOpt = None,
    cadence: CadenceOpt = None,
    source: SourceOpt = None,
    hook: HookOpt = None,
    tag: TagOpt = None,
    remove_tag: Annotated[list[str] | None, typer.Option("--remove-tag", help="Remove a tag.")] = None,
    role: RoleOpt = None,
    remove_role: Annotated[list[str] | None, typer.Option("--remove-role", help="Take a role away.")] = None,
    channel: ChannelOpt = None,
    note: NoteOpt = None,
    hours: HoursOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a mentor. --arena, --tag and --role add; --remove-arena, --remove-tag and --remove-role
    take away."""
    from mentorkit.domain.mentors import edit_mentor, resolve_mentor

    fields = _fields(
        name,
        email,
        institution,
        location,
        timezone,
        arena,
        local,
        stage,
        pilot_weeks,
        cadence,
        source,
        hook,
        tag,
        channel,
        note,
        title,
        profile_url,
    )
    fields.remove_arenas, fields.remove_tags = remove_arena or [], remove_tag or []
    fields.roles, fields.remove_roles = role or [], remove_role or []
    fields.hours = hours
    with writing(ctx) as conn:
        result = edit_mentor(conn, now(), profile_zone(conn), resolve_mentor(conn, mentor), fields)
    if as_json:
        emit_json(result)
    else:
        say(f"Updated {result.name} (#{result.id}).")


@app.command("stage")
def stage(
    ctx: typer.Context,
    mentor: MentorArg,
    new_stage: Annotated[str, typer.Argument(metavar="STAGE", help="prospect, pilot, active, paused or ended.")],
    reason: Annotated[str | None, typer.Option(help="Why (required for ended).")] = None,
    pilot_weeks: PilotWeeksOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Move a mentor to another stage; the history of stages is kept."""
    from mentorkit.domain.mentors import resolve_mentor, set_stage

    with writing(ctx) as conn:
        result = set_stage(
            conn,
            now(),
            profile_zone(conn),
            resolve_mentor(conn, mentor),
            new_stage,
            reason=reason,
            pilot_weeks=pilot_weeks,
        )
    if as_json:
        emit_json(result)
    else:
        say(
            f"{result.name} is now {result.stage}"
            + (f"; pilot review on {result.pilot_review_on}" if result.pilot_review_on else ".")
        )


@app.command("end")
def end(
    ctx: typer.Context,
    mentor: MentorArg,
    reason: Annotated[str, typer.Option(help="Why the relationship ends (kept in the history).")],
    as_json: JsonOpt = False,
) -> None:
    """End a relationship. Its meetings, advice and follow-ups stay; it leaves the board."""
    stage(ctx, mentor, "ended", reason=reason, pilot_weeks=None, as_json=as_json)


@app.command("mentors")
def mentors(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Everyone: prospects and ended relationships too.")] = False,
    stage: Annotated[
        list[str] | None, typer.Option("--stage", help="Only people in this stage; repeat for more.")
    ] = None,
    arena: Annotated[str | None, typer.Option(help="Only mentors in this arena.")] = None,
    tag: Annotated[str | None, typer.Option(help="Only mentors with this tag.")] = None,
    match: Annotated[
        str | None, typer.Option("--match", help="Only people with these words in name, title, institution or notes.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Only people whose source contains this (e.g. LinkedIn).")] = None,
    add_tag: Annotated[
        list[str] | None, typer.Option("--add-tag", help="Bulk: add this tag to everyone listed.")
    ] = None,
    remove_tag: Annotated[
        list[str] | None, typer.Option("--remove-tag", help="Bulk: remove this tag from everyone listed.")
    ] = None,
    add_arena: Annotated[
        list[str] | None, typer.Option("--add-arena", help="Bulk: add everyone listed to this arena.")
    ] = None,
    remove_arena: Annotated[
        list[str] | None, typer.Option("--remove-arena", help="Bulk: take everyone listed out of this arena.")
    ] = None,
    set_stage: Annotated[
        str | None, typer.Option("--set-stage", help="Bulk: move everyone listed to this stage.")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Bulk: why (required with --set-stage ended).")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Bulk: do not ask (needed when not on a terminal).")] = False,
    duplicates: Annotated[
        bool, typer.Option("--duplicates", help="List pairs that are likely one person (merge them with `merge`).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """List the board (active, pilot, paused; --all for everyone), filtered; with a bulk option
    (--add-tag, --add-arena, --set-stage...), change everyone listed at once, after a preview."""
    from mentorkit.cli.triage import list_or_change
    from mentorkit.domain.triage import BulkAction

    if duplicates:
        from mentorkit.cli.fixes import show_duplicates

        show_duplicates(ctx, as_json)
        return
    action = BulkAction(
        add_tags=add_tag or [],
        remove_tags=remove_tag or [],
        add_arenas=add_arena or [],
        remove_arenas=remove_arena or [],
        stage=set_stage,
        reason=reason,
    )
    list_or_change(
        ctx,
        all_=all_,
        stages=stage or [],
        arena=arena,
        tag=tag,
        text=match,
        source=source,
        action=action,
        yes=yes,
        as_json=as_json,
    )


@app.command("arenas")
def arenas(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the arenas of your career and how many mentors cover each."""
    from mentorkit.domain.arenas import list_arenas

    with reading(ctx) as conn:
        rows = list_arenas(conn)
    if as_json:
        emit_json(rows)
        return
    from mentorkit.cli.render import Col, Table

    table = Table(Col("arena", "name"), Col("mentors", "num"), Col("description", "text", wrap=True))
    for a in rows:
        table.add_row(a.name, str(a.mentors), a.description or "")
    console().print(table)


arena_app = typer.Typer(help="Manage arenas (research, career, personal, and your own).", no_args_is_help=True)
app.add_typer(arena_app, name="arena")


@arena_app.command("add")
def arena_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="e.g. teaching, clinical, leadership, writing.")],
    description: Annotated[str | None, typer.Option(help="What the arena covers.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an arena."""
    from mentorkit.domain.arenas import add_arena

    with writing(ctx) as conn:
        result = add_arena(conn, now(), name, description)
    if as_json:
        emit_json(result)
    else:
        say(f"Added the arena {result.name}.")
