"""`demo`: fill an empty store with an example board."""

from __future__ import annotations

import typer

from mentorkit.cli.common import JsonOpt, emit_json, now, say, state, writing

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""


@app.command("demo")
def demo(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Fill a new, empty store with a realistic example board so you can try every command."""
    from mentorkit.domain.demo import fill_demo

    with writing(ctx) as conn:
        result = fill_demo(conn, now())
    if as_json:
        emit_json(result)
        return
    say(
        f"Filled {state(ctx).store().path} with an example board: {result.mentors} people, "
        f"{result.meetings} meetings, {result.followups} follow-ups, {result.advice} pieces of advice."
    )
    say("Try: mentorkit board · mentorkit followups · mentorkit show teresa · mentorkit meetings · mentorkit review")
