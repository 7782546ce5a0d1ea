"""`profile set` and `profile show`."""

from __future__ import annotations

from typing import Annotated

import typer

from mentorkit.cli.common import JsonOpt, console, emit_json, now, reading, say, writing

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""


profile_app = typer.Typer(help="Your own profile, used to draft pitches and summaries.", no_args_is_help=True)
app.add_typer(profile_app, name="profile")


@profile_app.command("set")
def profile_set(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option(help="Your name as you sign emails.")] = None,
    role: Annotated[str | None, typer.Option(help="e.g. 'Assistant Professor of Emergency Medicine'.")] = None,
    institution: Annotated[str | None, typer.Option(help="Where you work.")] = None,
    timezone: Annotated[
        str | None, typer.Option("--timezone", "--tz", help="Your IANA time zone, e.g. America/Chicago.")
    ] = None,
    story: Annotated[str | None, typer.Option(help="Your career story in a few sentences ('-' reads stdin).")] = None,
    goal: Annotated[
        list[str] | None,
        typer.Option(
            "--goal", metavar="ARENA=TEXT", help="Your goal in an arena; repeat for more. An empty TEXT clears it."
        ),
    ] = None,
    story_for: Annotated[
        list[str] | None,
        typer.Option(
            "--story-for",
            metavar="ARENA=TEXT",
            help="The story a pitch in this arena tells, instead of --story; repeat for more. Empty TEXT clears it.",
        ),
    ] = None,
    request_for: Annotated[
        list[str] | None,
        typer.Option(
            "--request-for",
            metavar="ARENA=TEXT",
            help="The request a pitch in this arena ends with (a question); repeat for more. Empty TEXT clears it.",
        ),
    ] = None,
    email: Annotated[str | None, typer.Option(help="Your email address, for the sign-off of a pitch.")] = None,
    date_order: Annotated[
        str | None, typer.Option("--date-order", help="How you write numeric dates: DMY, MDY or YMD.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Set fields of your profile; fields you leave out keep their value."""
    from mentorkit.cli.common import read_text_arg
    from mentorkit.domain.profile import set_profile

    with writing(ctx) as conn:
        result = set_profile(
            conn,
            now(),
            name=name,
            role=role,
            institution=institution,
            timezone=timezone,
            story=read_text_arg(story),
            date_order=date_order,
            goals=goal,
            stories=story_for,
            requests=request_for,
            email=email,
        )
    if as_json:
        emit_json(result)
    else:
        say("Profile saved.")


@profile_app.command("show")
def profile_show(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show your profile."""
    with reading(ctx) as conn:
        from mentorkit.domain.profile import get_profile

        result = get_profile(conn)
    if as_json:
        emit_json(result)
        return
    from mentorkit.cli.render import Fields, styled

    out = console()
    out.print(styled("Profile", "bold"))
    fields = Fields()
    for label, value in (
        ("name", result.name),
        ("role", result.role),
        ("institution", result.institution),
        ("email", result.email),
        ("time zone", result.timezone),
        ("date order", result.date_order or "ISO only (set --date-order)"),
        ("story", result.story),
    ):
        fields.add(label, value or "—")
    for label, values in (("goal", result.goals), ("story", result.stories), ("request", result.requests)):
        for arena, text in values.items():
            fields.add(f"{label}: {arena}", text)
    out.print(fields)
    if not result.is_set:
        say("Your profile is empty: `mentorkit profile set --name ... --role ... --timezone ...`")
