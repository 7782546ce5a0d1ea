"""config path, config show, config set KEY VALUE, config unset KEY: the TOML config file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mentorkit.cli.common import JsonOpt, console, emit_json, say

if TYPE_CHECKING:
    from mentorkit.config import Written

app = typer.Typer()
"""The commands of this module (registered on the root by cli/lazy.py)."""

config_app = typer.Typer(
    help="Your settings file (config.toml): working hours, reminder time, mail, defaults.", no_args_is_help=True
)
app.add_typer(config_app, name="config")

KeyArg = Annotated[str, typer.Argument(metavar="KEY", help="A dotted key such as hours.start (see `config show`).")]


@config_app.command("path")
def config_path(as_json: JsonOpt = False) -> None:
    """Print where the config file is (it may not exist yet; $MENTORKIT_CONFIG moves it)."""
    from mentorkit.config import config_path as where

    path = where()
    if as_json:
        emit_json({"path": str(path), "exists": path.exists()})
        return
    typer.echo(str(path))
    if not path.exists():
        say("No file there yet: every setting is its default. `mentorkit config set KEY VALUE` makes it.")


@config_app.command("show")
def config_show(as_json: JsonOpt = False) -> None:
    """Show every setting, its value, and whether it is the default or set in the file."""
    from mentorkit.config import config_path as where
    from mentorkit.config import settings

    path = where()
    rows = settings(path)
    if as_json:
        emit_json(
            {"path": str(path), "settings": [{"key": s.key, "value": s.value, "default": s.default} for s in rows]}
        )
        return
    from mentorkit.cli.render import Col, Table

    table = Table(Col("key", "label"), Col("value", "name"), Col("from", "label"), Col("what it is", "text"))
    for row in rows:
        table.add_row(row.key, _shown(row.value), "default" if row.default else "file", row.help)
    console().print(table)
    say(f"File: {path}" + ("" if path.exists() else " (not there yet)"))


def _shown(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@config_app.command("set")
def config_set(
    key: KeyArg,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The value: 09:00, 15m, smtp.example.org, true ...")],
) -> None:
    """Set one key in the config file (made 0600 if it does not exist)."""
    from mentorkit.config import set_value

    written = set_value(key, value)
    _report(written, f"{written.key} = {_shown(written.value)}", "Set")


@config_app.command("unset")
def config_unset(key: KeyArg) -> None:
    """Remove one key from the config file, so it takes its default again."""
    from mentorkit.config import unset_value

    written = unset_value(key)
    _report(written, f"{written.key} (back to its default)", "Removed")


def _report(written: Written, what: str, done: str) -> None:
    if not written.changed:
        say(f"Nothing to change in {written.path}: {what} already.")
        return
    say(f"{done} {what} in {written.path}.")
    if written.rewritten:
        say("The file was written anew in mentorkit's layout (one line per key); comments in it were not kept.")
