"""`sync [URL] [--init]`: exchange changes with a PostgreSQL hub (docs/sync.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from mentorkit.cli.common import JsonOpt, emit_json, say, writing

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""


@app.command("sync")
def sync(
    ctx: typer.Context,
    url: Annotated[
        str | None,
        typer.Argument(
            metavar="URL",
            help="The hub, postgresql://ROLE@HOST:PORT/DATABASE; default MENTORKIT_SYNC_URL, then the config "
            "file's sync.url. Passwords belong in ~/.pgpass or PGPASSWORD.",
            show_default=False,
        ),
    ] = None,
    init: Annotated[
        bool, typer.Option("--init", help="Create or upgrade the hub (run once by the hub database's owner).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Push this device's changes to the hub and pull the others'; conflicts go to the later change."""
    _need_the_sync_extra(init)
    from mentorkit.sync.hub import resolve_url

    target = resolve_url(url)
    if init:
        from mentorkit.sync.init import init_hub

        done = init_hub(target)
        if as_json:
            emit_json(done)
            return
        if done.before is None:
            say(f"Set up the hub {done.hub} (revision {done.after}).")
        elif done.before == done.after:
            say(f"The hub {done.hub} is up to date (revision {done.after}).")
        else:
            say(f"Upgraded the hub {done.hub} from revision {done.before} to {done.after}.")
        if done.group_created:
            say("Made the group role mentorkit_users; add each person who syncs: GRANT mentorkit_users TO ROLE;")
        return
    from mentorkit.sync.engine import sync as run_sync

    with writing(ctx) as conn:
        result = run_sync(conn, target)
    if as_json:
        emit_json(result)
        return
    for line in result.lines():
        say(line)


SYNC_HINT = "pip install 'mentorkit[sync]' (or: pipx inject mentorkit 'psycopg[binary]>=3.3.4' alembic)"


def _need_the_sync_extra(init: bool) -> None:
    """A plain install has no PostgreSQL driver (nor Alembic, for --init): say what to install."""
    from importlib.util import find_spec

    from mentorkit.errors import InvalidInput

    for module in ("psycopg", "alembic") if init else ("psycopg",):
        try:
            found = find_spec(module) is not None
        except (ImportError, ValueError):  # a module set to None in sys.modules, or with no spec
            found = False
        if not found:
            raise InvalidInput(f"mentorkit sync needs the sync extra: {SYNC_HINT}")
